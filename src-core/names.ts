/** Snapshot names: what is accepted, and how a free one is derived from a taken one. */
import { SnapDeskError } from './errors';

export const MAX_NAME_LENGTH = 256;
export const MAX_DESCRIPTION_LENGTH = 4096;

/** No control characters and no path separators: the one rule for names, shared with the IPC contract. */
export function isPrintableName(name: string): boolean {
  for (const c of name) {
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || c === '/' || c === '\\') return false;
  }
  return true;
}

/**
 * A name ends up in file names (`<name>.tar.gz`) and terminal output, so
 * control characters and path separators are refused. "" means unnamed.
 */
export function validateName(name: string): string {
  if (name.length > MAX_NAME_LENGTH) {
    throw new SnapDeskError('invalid_input', `snapshot name is too long (${name.length} characters, at most ${MAX_NAME_LENGTH})`, { name: name.slice(0, 64) });
  }
  if (!isPrintableName(name)) {
    throw new SnapDeskError('invalid_input', `snapshot name "${[...name].map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\u007f' ? '?' : ch)).join('')}" must not contain slashes or control characters`, { name });
  }
  return name;
}

export function validateDescription(description: string): string {
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new SnapDeskError('invalid_input', `description is too long (${description.length} characters, at most ${MAX_DESCRIPTION_LENGTH})`);
  }
  return description;
}

/** "web" → "web-2", "web-3", …; "web-2" → "web-3", …: the first candidate `isTaken` refuses not. */
export function freeName(name: string, isTaken: (candidate: string) => boolean): string {
  if (name === '' || !isTaken(name)) return name;
  const m = /^(.*)-(\d{1,9})$/.exec(name);
  const base = m ? m[1]! : name;
  let n = m ? Number(m[2]) + 1 : 2;
  for (;;) {
    const candidate = `${base}-${n}`;
    if (!isTaken(candidate)) return candidate;
    n++;
  }
}
