/**
 * JSON as Go's encoding/json writes it, so the blobs we push hash the same
 * way epoch's would for the same content: struct fields in declaration order
 * (plain objects keep insertion order), map keys sorted by bytes (`Map`
 * values), `<`, `>`, `&`, U+2028 and U+2029 escaped, and MarshalIndent's
 * layout when an indent is given.
 */

export type GoValue = string | number | boolean | null | GoValue[] | Map<string, GoValue> | { [field: string]: GoValue };

const escapeString = (s: string): string =>
  JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function goMarshal(value: GoValue, indent = '', level = 0): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Go JSON cannot hold a non-finite number');
    return String(value);
  }
  if (typeof value === 'string') return escapeString(value);
  const entries: [string | null, GoValue][] = Array.isArray(value)
    ? value.map((v) => [null, v])
    : value instanceof Map
      ? [...value.entries()].sort(([a], [b]) => byBytes(a, b))
      : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const colon = indent ? ': ' : ':';
  const inner = indent ? `\n${indent.repeat(level + 1)}` : '';
  const outer = indent ? `\n${indent.repeat(level)}` : '';
  const parts = entries.map(([k, v]) => (k === null ? '' : escapeString(k) + colon) + goMarshal(v, indent, level + 1));
  return open + inner + parts.join(`,${inner}`) + outer + close;
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros trimmed), in UTC. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.120Z
  const [whole, frac = ''] = iso.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** RFC 3339 to the second, as Go's time.RFC3339 format writes a UTC time. */
export const rfc3339Seconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
