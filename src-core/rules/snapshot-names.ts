/**
 * Snapshot names and descriptions. cocoon itself takes any string for both
 * (no length limit, no character rule; its `snapshot list` prints them as
 * they are), so the one thing refused here is what would be dangerous to
 * show: control and invisible formatting characters (see unsafe-text.ts).
 * A description may hold line breaks and tabs: it is free text, shown in
 * multi-line fields, and escaped wherever it is printed on one line.
 * Records already in an index are never checked: these rules apply to what
 * this app writes.
 */
import { escapeUnsafe, firstUnsafeChar, escapeChar, stripUnsafe } from './unsafe-text';

/**
 * Not a rule of names but a bound on what one request may carry: as much
 * as an archive's snapshot.json (at most 1 MiB) can hold, so any name or
 * description an archive brings can be sent back unchanged.
 */
export const MAX_TEXT_FIELD_LENGTH = 1024 * 1024;

const DESCRIPTION = { multiline: true } as const;

/** Why `name` cannot be stored, as a sentence, or null when it can. */
export function nameProblem(name: string): string | null {
  const bad = firstUnsafeChar(name);
  return bad === null ? null : `A name cannot contain control or invisible formatting characters (it has ${escapeChar(bad)}).`;
}

/** Why `description` cannot be stored, as a sentence, or null when it can (line breaks and tabs are fine). */
export function descriptionProblem(description: string): string | null {
  const bad = firstUnsafeChar(description, DESCRIPTION);
  return bad === null
    ? null
    : `A description cannot contain control or invisible formatting characters other than line breaks and tabs (it has ${escapeChar(bad)}).`;
}

/** `name` with its unsafe characters removed (line breaks and tabs become spaces), trimmed; "" when nothing is left. */
export function cleanName(name: string): string {
  return stripUnsafe(name).replace(/ {2,}/g, ' ').trim();
}

/** `description` with its unsafe characters removed; Windows line ends become plain ones. */
export function cleanDescription(description: string): string {
  return stripUnsafe(description.replace(/\r\n/g, '\n'), DESCRIPTION).trim();
}

/** A name for a message: quoted, with its unsafe characters escaped. */
export const quoteName = (name: string): string => `“${escapeUnsafe(name)}”`;

/**
 * "web" → "web-2", "web-3", …; "web-7" → "web-8", …: the first candidate
 * `isTaken` refuses not, counting on from a number the name already ends in.
 * "" (unnamed) and a free name are returned as they are.
 */
export function freeName(name: string, isTaken: (candidate: string) => boolean): string {
  if (name === '' || !isTaken(name)) return name;
  const m = /^(.*)-(\d{1,9})$/s.exec(name);
  const base = m ? m[1]! : name;
  let n = m ? Number(m[2]) + 1 : 2;
  for (;;) {
    const candidate = `${base}-${n}`;
    if (!isTaken(candidate)) return candidate;
    n++;
  }
}
