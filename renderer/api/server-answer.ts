import type { Envelope } from '../../electron/app/contract';
import { SnapDeskError, fromErrorData } from '../../src-core/errors';

/**
 * Reads the web shell's answer to a request of any JSON route (a call, an
 * upload, a sign-in): the result, or the error it carries rebuilt as a
 * SnapDeskError. An answer that is not an
 * envelope (a refusal before the API saw the request) becomes an `io` error.
 */
export function readServerAnswer<T>(status: number, contentType: string, body: string): T {
  if (!contentType.startsWith('application/json')) {
    throw new SnapDeskError('io', `the Snapshot Desk server refused the request (HTTP ${status}); reopen the address it printed`, { status });
  }
  let envelope: Envelope<T>;
  try {
    envelope = JSON.parse(body) as Envelope<T>;
  } catch {
    throw new SnapDeskError('io', `the Snapshot Desk server sent an unreadable answer (HTTP ${status}); reload the page`, { status });
  }
  if (envelope.ok) return envelope.result;
  throw fromErrorData(envelope.error);
}
