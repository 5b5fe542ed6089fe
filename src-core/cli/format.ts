/** Human formatting for the CLI's table output. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; binary units, as disk tools show them. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** RFC 3339 → "2024-05-01 10:00:00" in UTC (the header says so). */
export function formatTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

/** Left-aligned columns separated by two spaces; control characters in cells are shown as "?". */
export function formatTable(header: string[], rows: string[][]): string {
  const clean = (s: string): string => [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? '?' : c)).join('');
  const all = [header, ...rows.map((r) => r.map(clean))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ').trimEnd()).join('\n') + '\n';
}
