/**
 * Characters that must never reach a terminal or a page as themselves: C0 and
 * C1 controls and DEL (Cc: escape sequences, carriage returns), Unicode format
 * characters (Cf: bidi overrides and isolates, zero-width spaces and joiners,
 * soft hyphens, tag characters), line and paragraph separators (Zl, Zp), and
 * lone surrogates (Cs: no valid UTF-8 encoding). Every place that cleans,
 * refuses or shows such characters uses the functions of this file.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNSAFE_ALL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Multi-line text (descriptions) keeps its line breaks and tabs; everything else is treated alike. */
export interface UnsafeTextOptions {
  multiline?: boolean;
}

const LAYOUT = new Set(['\n', '\t']);
const LINE_OR_TAB = /^[\t\n\v\f\r\u0085\u2028\u2029]$/;
const counts = (ch: string, opts: UnsafeTextOptions | undefined): boolean => !(opts?.multiline && LAYOUT.has(ch));

/**
 * The visible form of one unsafe character: its UTF-16 code units as `\uXXXX`
 * (e.g. U+202E → `\u202e`). The same spelling as a JSON or JavaScript escape,
 * so escaped JSON stays valid JSON with the same value.
 */
export function escapeChar(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** The first unsafe character of `text`, or null. */
export function firstUnsafeChar(text: string, opts?: UnsafeTextOptions): string | null {
  if (!UNSAFE.test(text)) return null;
  for (const m of text.matchAll(UNSAFE_ALL)) if (counts(m[0], opts)) return m[0];
  return null;
}

export const hasUnsafeChars = (text: string, opts?: UnsafeTextOptions): boolean => firstUnsafeChar(text, opts) !== null;

/** `text` with every unsafe character written as its escape: safe to print anywhere. */
export function escapeUnsafe(text: string, opts?: UnsafeTextOptions): string {
  return text.replace(UNSAFE_ALL, (ch) => (counts(ch, opts) ? escapeChar(ch) : ch));
}

/**
 * Pretty JSON for a terminal: JSON.stringify already escapes C0 controls, and
 * the rest (C1, format characters) is escaped here the same way, so the
 * output parses to exactly the same value.
 */
export function escapedJson(value: unknown): string {
  return escapeUnsafe(JSON.stringify(value, null, 2) ?? 'null', { multiline: true });
}

/** A run of text: shown as is, or an escape to be marked as one (e.g. `\u202e` in a distinct style). */
export interface TextSegment {
  text: string;
  escaped: boolean;
}

/** Splits text into plain runs and escaped runs, for a UI that marks the escapes. */
export function splitUnsafe(text: string, opts?: UnsafeTextOptions): TextSegment[] {
  const segments: TextSegment[] = [];
  const push = (piece: string, escaped: boolean): void => {
    if (piece === '') return;
    const last = segments[segments.length - 1];
    if (last && last.escaped === escaped) last.text += piece;
    else segments.push({ text: piece, escaped });
  };
  let at = 0;
  for (const m of text.matchAll(UNSAFE_ALL)) {
    if (!counts(m[0], opts)) continue;
    push(text.slice(at, m.index), false);
    push(escapeChar(m[0]), true);
    at = m.index + m[0].length;
  }
  push(text.slice(at), false);
  return segments;
}

/**
 * `text` without its unsafe characters: whitespace controls (tab, line
 * breaks) become spaces, the rest is dropped.
 */
export function stripUnsafe(text: string, opts?: UnsafeTextOptions): string {
  return text.replace(UNSAFE_ALL, (ch) => (!counts(ch, opts) ? ch : LINE_OR_TAB.test(ch) ? ' ' : ''));
}
