import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SnapshotBackend } from '../../src-core/backend';
import { defaultRoot, ROOT_ENV } from '../../src-core/default-root';
import { SnapDeskError, toErrorData } from '../../src-core/errors';
import { createAppContext, type AppContext } from '../app/app-context';
import { isCallName, type Envelope } from '../app/contract';
import { SECURITY_HEADERS } from '../app/csp';
import { webDialogs } from '../desktop/dialogs';
import { enveloped, invokeEnveloped } from '../app/envelope';
import { SettingsStore } from '../app/settings';
import { resolveStaticFile } from '../app/static-files';
import { allowedHosts, checkRequestOrigin, isAuthorized, newToken, sessionCookie, tokensEqual } from './auth';
import { DownloadExports } from './downloads';
import { checkUploadRequest, receiveUpload } from './uploads';

export interface WebServerOptions {
  /** The cocoon root; otherwise $SNAPDESK_ROOT, then the default. */
  root?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Fixed token (tests); otherwise a random one. */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir?: string;
  version?: string;
  /** Largest accepted upload in bytes. */
  maxUploadBytes?: number;
  env?: NodeJS.ProcessEnv;
  openStore?: (root: string) => SnapshotBackend | Promise<SnapshotBackend>;
  /** How long an export waits for the browser to start its download. */
  exportAttachTimeoutMs?: number;
}

export interface WebServer {
  /** Open this in a browser: it carries the token once, then a cookie does. */
  url: string;
  /** Base URL without the token. */
  origin: string;
  token: string;
  port: number;
  context: AppContext<DownloadExports>;
  /** Where uploads are kept until imported or released (removed on close). */
  uploadDir: string;
  close(): Promise<void>;
}

const MAX_JSON_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly data: SnapDeskError,
  ) {
    super(data.message);
  }
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8' });

const sendError = (res: ServerResponse, status: number, err: unknown): void => sendJson(res, status, { ok: false, error: toErrorData(err) } satisfies Envelope<never>);

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // Demanding JSON keeps plain HTML forms of other sites out, on top of the Origin check.
  if (type !== 'application/json') throw new HttpError(415, new SnapDeskError('invalid_input', 'calls must be sent as application/json'));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new HttpError(413, new SnapDeskError('invalid_input', 'the call input is too large'));
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, new SnapDeskError('invalid_input', 'the call input is not valid JSON'));
  }
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>Snapshot Desk</title>
<p>Open the address printed by <code>npm run web</code> (it ends with <code>?token=…</code>) to sign in.</p>`;

/**
 * The browser transport: the built renderer, the same handlers as the
 * desktop app over POST /api/call/<name>, events over SSE, uploads in and
 * exports out as streamed bodies. Listens on loopback only and requires the
 * token (cookie or Bearer) on every request.
 */
export async function startWebServer(opts: WebServerOptions = {}): Promise<WebServer> {
  const env = opts.env ?? process.env;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const rendererDir = resolve(opts.rendererDir ?? join(__dirname, '..', '..', 'renderer'));
  const maxUploadBytes = opts.maxUploadBytes ?? 1024 ** 4;
  const settings = await SettingsStore.load(null, { cli: opts.root, env: env[ROOT_ENV], defaultRoot: defaultRoot({ env }) });
  const uploadRoot = await mkdtemp(join(tmpdir(), 'snapdesk-uploads-'));
  const context = await createAppContext({
    info: { version: opts.version ?? '0.0.0', platform: process.platform, transport: 'web' },
    settings,
    // Loaded on first use so tests of the transport alone can supply their own store.
    openStore: opts.openStore ?? (async (root) => (await import('../../src-core/localfile')).openStore({ root })),
    dialogs: webDialogs,
    makeExports: (deps) => new DownloadExports({ ...deps, attachTimeoutMs: opts.exportAttachTimeoutMs }),
  });
  /** Open event streams and how to stop feeding each one. */
  const streams = new Map<ServerResponse, () => void>();
  let hosts = new Set<string>();
  let port = 0;

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = context.bus.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    // Also run before the server ends the stream: a write after end (events of tasks cancelled on close) throws uncaught.
    const stop = (): void => {
      unsubscribe();
      clearInterval(heartbeat);
      streams.delete(res);
    };
    streams.set(res, stop);
    req.on('close', stop);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method === 'POST' && path.startsWith('/api/call/')) {
      const name = path.slice('/api/call/'.length);
      if (!isCallName(name)) return sendError(res, 404, new SnapDeskError('invalid_input', `unknown call: ${name}`));
      const input = await readJsonBody(req);
      return sendJson(res, 200, await invokeEnveloped(context.handlers, name, input));
    }
    if (req.method === 'GET' && path === '/api/events') return events(req, res);
    if (req.method === 'POST' && path === '/api/archives/check') {
      const body = await readJsonBody(req);
      return sendJson(res, 200, await enveloped(() => checkUploadRequest(body, uploadRoot, maxUploadBytes)));
    }
    if (req.method === 'POST' && path === '/api/archives') {
      const answer = await enveloped(() => receiveUpload(req, uploadRoot, context.archives, maxUploadBytes));
      // Refused while the body may still be arriving: answer, then close rather than read gigabytes.
      if (!answer.ok) res.setHeader('Connection', 'close');
      return sendJson(res, 200, answer);
    }
    const download = /^\/api\/exports\/([A-Za-z0-9_-]{1,64})$/.exec(path);
    if (req.method === 'GET' && download) {
      if (!(await context.exports.serve(download[1] as string, res))) {
        sendError(res, 404, new SnapDeskError('not_found', 'no export is waiting for this download (it may have finished or been cancelled)'));
      }
      return;
    }
    sendError(res, 404, new SnapDeskError('invalid_input', `no such endpoint: ${req.method ?? ''} ${path}`));
  };

  const page = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensEqual(given, token)) return send(res, 403, UNAUTHORIZED_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
      // Trade the token for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      // One leading slash only: "//host" would send the browser to another site.
      return send(res, 303, '', { Location: `/${url.pathname.replace(/^\/+/, '')}${url.search}`, 'Set-Cookie': sessionCookie(port, token) });
    }
    if (!isAuthorized(req, port, token)) return send(res, 401, UNAUTHORIZED_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
    const file = await resolveStaticFile(rendererDir, url.pathname);
    // Browsers ask for a favicon on their own; no icon is not an error worth a console line.
    if (!file && url.pathname === '/favicon.ico') return send(res, 204, '');
    if (!file) return send(res, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
  };

  const server = createServer((req, res) => {
    const refusal = checkRequestOrigin(req, hosts);
    if (refusal) return send(res, refusal.status, `forbidden: ${refusal.reason}`, { 'Content-Type': 'text/plain; charset=utf-8' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = url.pathname.startsWith('/api/')
      ? isAuthorized(req, port, token)
        ? api(req, res, url.pathname)
        : Promise.resolve(sendError(res, 401, new SnapDeskError('invalid_input', 'not signed in: open the address printed by the server')))
      : page(req, res, url);
    handle.catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, err instanceof HttpError ? err.status : 500, err instanceof HttpError ? err.data : err);
    });
  });

  // An upload or download of a snapshot may take far longer than Node's default 5-minute request limit.
  server.requestTimeout = 0;

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (err) {
    // Port taken or not allowed: leave nothing behind.
    await context.close();
    await rm(uploadRoot, { recursive: true, force: true });
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shownHost}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    context,
    uploadDir: uploadRoot,
    async close() {
      for (const [res, stop] of streams) {
        stop();
        res.end();
      }
      const closed = new Promise<void>((done) => server.close(() => done()));
      try {
        await context.close();
      } finally {
        server.closeAllConnections();
        await closed;
        await rm(uploadRoot, { recursive: true, force: true });
      }
    },
  };
}
