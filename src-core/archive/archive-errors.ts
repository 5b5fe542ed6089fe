import { SnapDeskError, invalidArchive, type ErrorDetails } from '../errors';
import { escapeUnsafe } from '../rules';

export { invalidArchive };

/** A well-formed archive using a tar feature this app does not read (the user can re-create it without it). */
export function unsupportedArchive(reason: string, details?: ErrorDetails): SnapDeskError {
  return new SnapDeskError('unsupported_archive', `unsupported snapshot archive: ${reason}`, details);
}

/** Text from an archive made safe to show: control characters escaped, length bounded. */
export function quoteArchiveText(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // JSON quoting escapes C0 controls; the rest of what is unsafe (C1, bidi, zero-width) is escaped the same way.
  return escapeUnsafe(JSON.stringify(cut));
}
