/** Registry answers turned into typed errors a person can act on. Never carries credentials. */
import { SnapDeskError, type ErrorDetails } from '../errors';
import { describeUrl, readBody, type HttpResponse } from './http';

export const registryError = (message: string, details?: ErrorDetails): SnapDeskError => new SnapDeskError('registry', message, details);

export const unauthorized = (message: string, registry: string): SnapDeskError => new SnapDeskError('unauthorized', message, { registry });

/** `{"errors":[{"code","message"}]}` bodies, summarized: "MANIFEST_UNKNOWN (manifest unknown)". */
function summarizeErrors(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] };
    const parts = (parsed.errors ?? []).slice(0, 3).map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': '));
    return parts.filter((p) => p !== '').join('; ').slice(0, 300);
  } catch {
    return '';
  }
}

/** An unexpected status as an error: what was asked, what came back, and the registry's own words. */
export async function statusError(res: HttpResponse, method: string, what: string, registry: string): Promise<SnapDeskError> {
  const body = method === 'HEAD' ? Buffer.alloc(0) : await readBody(res, 16 * 1024, 'error').catch(() => Buffer.alloc(0));
  const said = summarizeErrors(body);
  const where = describeUrl(res.url);
  const suffix = said ? ` (${said})` : '';
  if (res.status === 401 || res.status === 403) {
    return unauthorized(`${registry} refused access to ${what}${suffix}; sign in with "snapdesk login ${registry}" or check that your account may do this`, registry);
  }
  return registryError(`${registry} answered ${res.status} to ${method} ${what}${suffix}`, { url: where, status: res.status, registry });
}
