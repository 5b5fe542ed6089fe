import type { ErrorCode, ErrorData } from '../../src-core/errors';

/**
 * Reads a rejected call's code without relying on `instanceof`: the error may
 * come from another bundle's copy of SnapDeskError or be plain data.
 */
export function errorCode(err: unknown): ErrorCode | null {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: ErrorCode }).code;
  }
  return null;
}

export function errorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'message' in err && typeof (err as { message: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}

export function errorData(err: unknown): ErrorData {
  return { code: errorCode(err) ?? 'internal', message: errorMessage(err) };
}
