/**
 * Typed errors with a stable `code` that UIs and the CLI switch on, and a
 * message a person can act on. They cross process boundaries as plain data
 * (`toErrorData` / `fromErrorData`).
 */

export const ERROR_CODES = [
  'not_found',
  'ambiguous_ref',
  'name_conflict',
  'invalid_ref',
  'invalid_input',
  'invalid_archive',
  'unsupported_archive',
  'cancelled',
  'no_space',
  'locked',
  'registry',
  'unauthorized',
  'io',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, string | number | boolean | string[] | null>;

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class SnapDeskError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnapDeskError';
    this.code = code;
    this.details = details;
  }

  toData(): ErrorData {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export const isSnapDeskError = (err: unknown, code?: ErrorCode): err is SnapDeskError =>
  err instanceof SnapDeskError && (code === undefined || err.code === code);

export function notFound(ref: string): SnapDeskError {
  return new SnapDeskError('not_found', `snapshot not found: no snapshot has the ID, name or ID prefix "${ref}" (run "snapdesk list" to see them)`, { ref });
}

export function ambiguousRef(ref: string, matches: string[]): SnapDeskError {
  return new SnapDeskError(
    'ambiguous_ref',
    `ambiguous ref "${ref}": it is a prefix of ${matches.length} snapshot IDs (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}); give more characters of the ID`,
    { ref, matches },
  );
}

export function nameConflict(name: string, existingId?: string): SnapDeskError {
  return new SnapDeskError('name_conflict', `a snapshot named "${name}" already exists; choose another name`, { name, existingId: existingId ?? null });
}

export function cancelled(what = 'operation'): SnapDeskError {
  return new SnapDeskError('cancelled', `${what} cancelled`);
}

export function invalidArchive(reason: string, details?: ErrorDetails): SnapDeskError {
  return new SnapDeskError('invalid_archive', `invalid snapshot archive: ${reason}`, details);
}

const ERRNO_NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Normalizes anything thrown into a SnapDeskError (I/O errnos get their own codes). */
export function toSnapDeskError(err: unknown): SnapDeskError {
  if (err instanceof SnapDeskError) return err;
  if (err instanceof Error) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (err.name === 'AbortError' || errno === 'ABORT_ERR') return cancelled();
    if (errno && ERRNO_NO_SPACE.has(errno)) {
      return new SnapDeskError('no_space', `not enough disk space: ${err.message}`, { errno }, { cause: err });
    }
    if (errno) return new SnapDeskError('io', err.message, { errno }, { cause: err });
    return new SnapDeskError('internal', err.message, undefined, { cause: err });
  }
  return new SnapDeskError('internal', String(err));
}

export function toErrorData(err: unknown): ErrorData {
  return toSnapDeskError(err).toData();
}

export function fromErrorData(data: ErrorData): SnapDeskError {
  return new SnapDeskError(data.code, data.message, data.details);
}
