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

/**
 * What each kind of failure means, in words for a person. The error's own
 * message (a parser's "tar header field checksum is not an octal number")
 * is the detail behind a disclosure, never the headline.
 */
const PLAIN: Record<ErrorCode, string> = {
  not_found: 'the snapshot is no longer in the store',
  ambiguous_ref: 'more than one snapshot matches',
  name_conflict: 'a snapshot with that name already exists',
  invalid_ref: 'that is not a valid snapshot reference',
  invalid_input: 'the request was refused as invalid',
  invalid_archive: 'the file is not a valid snapshot archive',
  unsupported_archive: 'the archive uses a format this version cannot read',
  cancelled: 'it was cancelled',
  no_space: 'there is not enough free disk space',
  locked: 'the store is busy with another operation; try again in a moment',
  registry: 'the registry refused or failed the request',
  unauthorized: 'the registry needs you to sign in',
  io: 'the disk could not be read or written',
  internal: 'something unexpected went wrong',
};

export interface PlainError {
  /** Short, for a headline after "Could not …: ". */
  reason: string;
  /** The original message, for a "Details" disclosure; null when it adds nothing. */
  detail: string | null;
}

/** A registry that never answered (the core's error names the socket error it got) is a different story from one that said no. */
const REGISTRY_UNREACHABLE = 'the registry could not be reached';

function socketErrno(err: unknown): string | null {
  const details = typeof err === 'object' && err !== null && 'details' in err ? (err as { details?: { errno?: unknown } }).details : undefined;
  return typeof details?.errno === 'string' ? details.errno : null;
}

/** A failure as plain words plus the original message as detail. Errors without a known code keep their message. */
export function plainError(err: unknown): PlainError {
  const code = errorCode(err);
  const message = errorMessage(err);
  if (code === null || !(code in PLAIN)) return { reason: message, detail: null };
  const reason = code === 'registry' && socketErrno(err) !== null ? REGISTRY_UNREACHABLE : PLAIN[code];
  return { reason, detail: message && message !== reason ? message : null };
}
