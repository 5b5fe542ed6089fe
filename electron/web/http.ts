import type { IncomingMessage, ServerResponse } from 'node:http';
import { SnapDeskError, toErrorData } from '../../src-core/errors';
import type { Envelope } from '../app/contract';
import { SECURITY_HEADERS } from '../../src-core/rules';

const MAX_JSON_BYTES = 1024 * 1024;

/** A refusal with its HTTP status; the body is the error as an envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly data: SnapDeskError,
  ) {
    super(data.message);
  }
}

export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

export const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8' });

export const sendError = (res: ServerResponse, status: number, err: unknown): void => sendJson(res, status, { ok: false, error: toErrorData(err) } satisfies Envelope<never>);

/** The request's JSON body (undefined when empty), at most `maxBytes` long. */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // Demanding JSON keeps plain HTML forms of other sites out, on top of the Origin check.
  if (type !== 'application/json') throw new HttpError(415, new SnapDeskError('invalid_input', 'calls must be sent as application/json'));
  const tooLarge = (): HttpError => new HttpError(413, new SnapDeskError('invalid_input', 'the call input is too large'));
  // A body declared too long is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
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
