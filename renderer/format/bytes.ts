/**
 * Byte sizes for people: binary units (GiB, MiB) because memory and disk
 * images are sized in powers of two, and cocoon stores them that way.
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // Whole numbers stay whole ("2 GiB", not "2.0 GiB"); otherwise one decimal, or none from 100 up.
  const text = Number.isInteger(value) ? String(value) : value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${UNITS[unit]}`;
}

/** Transfer rate, e.g. "12.5 MiB/s". */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** Memory sizes as the table shows them: GiB from 1 GiB up, else MiB. */
export function formatMemory(bytes: number | undefined): string {
  if (!bytes) return '—';
  return formatBytes(bytes);
}

const grouped = new Intl.NumberFormat('en-US');

/** Exact byte count with thousands separators, for tooltips. */
export function formatExactBytes(bytes: number): string {
  return `${grouped.format(bytes)} bytes`;
}
