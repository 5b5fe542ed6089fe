/**
 * One HTTP exchange with a registry on node's http/https: streamed request
 * bodies with backpressure, streamed responses, abort by signal, and
 * redirects for reads (blob downloads are often sent to a storage host) that
 * never carry the registry's Authorization to another host.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { cancelled, SnapDeskError } from '../errors';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer | AsyncIterable<Buffer>;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The URL that answered (after redirects). */
  url: string;
  body: IncomingMessage;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
const MAX_REDIRECTS = 5;

/** Where a request went, for messages: scheme, host and path, never the query (upload state, signatures). */
export const describeUrl = (url: string): string => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
};

function networkError(url: string, err: NodeJS.ErrnoException): SnapDeskError {
  const where = describeUrl(url);
  const why = err.code === 'ECONNREFUSED' ? 'nothing is listening there' : err.code === 'ENOTFOUND' ? 'the host name does not resolve' : (err.code ?? err.message);
  const tls = /certificate|SSL|TLS/i.test(err.message) ? ' (a TLS problem: for a plain-HTTP registry that is not on this machine, use --plain-http)' : '';
  return new SnapDeskError('registry', `cannot reach the registry at ${where}: ${why}${tls}`, { url: where, errno: err.code ?? null }, { cause: err });
}

/** Resolves when a request can take more body (or has closed); leaves no listener behind. */
function drained(outgoing: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}

function sendOnce(req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(cancelled());
      return;
    }
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    const outgoing = (secure ? https : http).request(url, { method: req.method, headers: req.headers ?? {}, agent: secure ? httpsAgent : httpAgent });
    let settled = false;
    let bodySent = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      reject(err instanceof SnapDeskError ? err : networkError(req.url, err as NodeJS.ErrnoException));
    };
    const onAbort = (): void => {
      outgoing.destroy();
      fail(cancelled());
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('error', fail);
    outgoing.on('response', (res) => {
      req.signal?.removeEventListener('abort', onAbort);
      if (req.signal) {
        const signal = req.signal;
        const abortBody = (): void => {
          res.destroy(cancelled());
        };
        signal.addEventListener('abort', abortBody, { once: true });
        res.once('close', () => signal.removeEventListener('abort', abortBody));
      }
      // An answer before the whole body was sent (an error): once it is read, the half-sent request is dropped.
      res.once('close', () => {
        if (!bodySent) outgoing.destroy();
      });
      settled = true;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url: req.url, body: res });
    });
    const body = req.body;
    if (body === undefined || Buffer.isBuffer(body)) {
      bodySent = true;
      outgoing.end(body);
    } else {
      void (async () => {
        try {
          for await (const chunk of body) {
            if (settled) return; // the server answered early (an error): stop sending
            if (!outgoing.write(chunk)) await drained(outgoing);
          }
          bodySent = true;
          outgoing.end();
        } catch (err) {
          outgoing.destroy();
          fail(err);
        }
      })();
    }
  });
}

/** Sends a request; GET and HEAD follow redirects, dropping Authorization when the host changes. */
export async function send(req: HttpRequest): Promise<HttpResponse> {
  let current = req;
  for (let hop = 0; ; hop++) {
    const res = await sendOnce(current);
    const location = res.headers.location;
    const followable = (current.method === 'GET' || current.method === 'HEAD') && [301, 302, 303, 307, 308].includes(res.status) && location;
    if (!followable) return res;
    res.body.resume();
    if (hop >= MAX_REDIRECTS) throw new SnapDeskError('registry', `the registry redirected ${describeUrl(req.url)} more than ${MAX_REDIRECTS} times`, { url: describeUrl(req.url) });
    const next = new URL(location, current.url);
    const headers = { ...(current.headers ?? {}) };
    if (next.origin !== new URL(current.url).origin) delete headers.Authorization;
    current = { ...current, url: next.toString(), headers };
  }
}

/** Reads a (small) response body, refusing more than `limit` bytes. */
export async function readBody(res: HttpResponse, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared > limit) {
    res.body.destroy();
    throw new SnapDeskError('registry', `the registry sent a ${what} of ${declared} bytes, more than the ${limit} allowed`, { url: describeUrl(res.url) });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      res.body.destroy();
      throw new SnapDeskError('registry', `the registry sent a ${what} larger than the ${limit} bytes allowed`, { url: describeUrl(res.url) });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Throws away a response body so the connection can be reused. */
export function discard(res: HttpResponse): void {
  res.body.resume();
}
