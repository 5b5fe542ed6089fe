/**
 * What the CLI writes to a terminal. Every message goes through one of these,
 * so no name, description, file name or error text can bring a control
 * character, C1 code or bidi override to the terminal: each is shown as its
 * escape (e.g. `\u202e`).
 */
import { escapedJson, escapeUnsafe } from '../rules';

/** One line of text, unsafe characters (line breaks included) escaped, newline-terminated. */
export const terminalLine = (text: string): string => `${escapeUnsafe(text)}\n`;

/** Text of several lines (help): line breaks and tabs kept, anything else unsafe escaped. */
export const terminalText = (text: string): string => escapeUnsafe(text, { multiline: true });

/** Pretty JSON with every unsafe character escaped; parses to the same value. */
export const terminalJson = (value: unknown): string => `${escapedJson(value)}\n`;

/** RFC 3339 → "2024-05-01 10:00:00" in UTC (the header says so). */
export function formatTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** Left-aligned columns separated by two spaces; unsafe characters in cells are escaped. */
export function formatTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map((c) => escapeUnsafe(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n') + '\n';
}
