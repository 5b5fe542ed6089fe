import { SnapDeskError, invalidArchive, type ErrorDetails } from '../errors';

export { invalidArchive };

/** A well-formed archive using a tar feature this app does not read (the user can re-create it without it). */
export function unsupportedArchive(reason: string, details?: ErrorDetails): SnapDeskError {
  return new SnapDeskError('unsupported_archive', `unsupported snapshot archive: ${reason}`, details);
}

/** Text from an archive made safe to show: control characters escaped, length bounded. */
export function quoteArchiveText(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  // JSON escaping turns every control character into a visible \u escape.
  return JSON.stringify(cut).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
