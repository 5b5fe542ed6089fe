/**
 * Sizes and counts for people, the same in the CLI and the window. Binary
 * units (GiB, MiB) because memory and disk images are sized in powers of two.
 * Whole numbers stay whole ("2 GiB", not "2.0 GiB"); otherwise one decimal
 * below 100 ("1.5 KiB"), none from 100 up ("150 GiB").
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

const grouped = new Intl.NumberFormat('en-US');

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  let text = Number.isInteger(value) ? String(value) : value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
  // Rounding can reach the next unit (1023.7 KiB → "1024 KiB"): say "1 MiB" instead.
  if (Number(text) >= 1024 && unit < UNITS.length - 1) {
    text = '1';
    unit++;
  }
  return `${text} ${UNITS[unit]}`;
}

/** Transfer rate, e.g. "12.5 MiB/s"; a dash until there is one. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** A size that may be unset (memory, storage): a dash for none. */
export function formatOptionalBytes(bytes: number | undefined): string {
  if (!bytes) return '—';
  return formatBytes(bytes);
}

/** A number with thousands separators: 10000 → "10,000". */
export const formatNumber = (n: number): string => grouped.format(n);

/** Exact byte count with thousands separators, e.g. for tooltips: "1,536 bytes". */
export function formatExactBytes(bytes: number): string {
  return formatCount(bytes, 'byte');
}

/** "1 snapshot", "10,000 snapshots", "2 directories": a count and its noun, singular only for one. */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}
