/** Relative and exact times; `now` is a parameter so tests need no clock. */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 45) return 'just now';
  if (seconds < 90) return '1 minute ago';
  if (seconds < HOUR) return `${Math.round(seconds / MINUTE)} minutes ago`;
  if (seconds < 1.5 * HOUR) return '1 hour ago';
  if (seconds < DAY) return `${Math.round(seconds / HOUR)} hours ago`;
  if (seconds < 1.5 * DAY) return 'yesterday';
  if (seconds < 30 * DAY) return `${Math.round(seconds / DAY)} days ago`;
  if (seconds < 365 * DAY) {
    const months = Math.max(1, Math.round(seconds / (30 * DAY)));
    return months === 1 ? '1 month ago' : `${months} months ago`;
  }
  const years = Math.round(seconds / (365 * DAY));
  return years <= 1 ? '1 year ago' : `${years} years ago`;
}

// One formatter for every row: toLocaleString with options builds a new one per call, which
// costs a visible share of the first render of a long list.
const exactTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** Exact local time with the zone, for titles and the inspect panel. */
export function formatExactTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return exactTime.format(t);
}

/** Remaining time of a transfer, e.g. "2 min 5 s left". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s left`;
  if (s < HOUR) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  return `${Math.floor(s / HOUR)} h ${Math.floor((s % HOUR) / 60)} min left`;
}
