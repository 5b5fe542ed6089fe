/** Relative and exact times; `now` is a parameter so tests need no clock. */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A creation time up to this far ahead of our clock reads as "now": the
 * snapshot was made by another process (cocoon, the CLI, a server in the
 * browser transport) whose clock may run a little ahead of this window's.
 */
export const CLOCK_SKEW_SECONDS = 2 * MINUTE;

/**
 * The unit an age is told in: the first whose rounded count stays below
 * `below`. Each step hands over at a count that reads the same in the next
 * unit (45 minutes → 1 hour, 22 hours → 1 day, 26 days → 1 month, and
 * 11 months → 1 year, never "12 months"); beyond months, years.
 */
const UNITS: readonly { unit: Intl.RelativeTimeFormatUnit; seconds: number; below: number }[] = [
  { unit: 'second', seconds: 1, below: 45 },
  { unit: 'minute', seconds: MINUTE, below: 45 },
  { unit: 'hour', seconds: HOUR, below: 22 },
  { unit: 'day', seconds: DAY, below: 26 },
  { unit: 'month', seconds: (365.25 / 12) * DAY, below: 12 },
];
const YEAR = { unit: 'year', seconds: 365.25 * DAY } as const;

/** "long" reads "44 minutes ago"; "short", for the list's narrow column, "44 min. ago" (never wider than "25 days ago"). */
export type RelativeTimeStyle = 'long' | 'short';

// Built once (a formatter per call costs a visible share of a long list's first render).
// "auto" only for days, for "yesterday"; elsewhere it would say "last year" of a date 11 months back.
const FORMATS = {
  long: { inWords: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }), inNumbers: new Intl.RelativeTimeFormat(undefined, { numeric: 'always' }) },
  short: {
    inWords: new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }),
    inNumbers: new Intl.RelativeTimeFormat(undefined, { numeric: 'always', style: 'short' }),
  },
} as const;

/** How long ago `iso` was, e.g. "5 minutes ago", "yesterday", "1 year ago"; "now" within the first 45 seconds. */
export function formatRelativeTime(iso: string, now: number = Date.now(), style: RelativeTimeStyle = 'long'): string {
  const { inWords, inNumbers } = FORMATS[style];
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  let age = (now - t) / 1000;
  if (age < 0 && age > -CLOCK_SKEW_SECONDS) age = 0;
  const size = Math.abs(age);
  const { unit, seconds } = UNITS.find((u) => Math.round(size / u.seconds) < u.below) ?? YEAR;
  if (unit === 'second') return inWords.format(0, 'second');
  // Each hand-over happens at a count that rounds to at least 1 of the next unit, so no "0 months".
  const count = Math.round(size / seconds) * (age > 0 ? -1 : 1);
  return (unit === 'day' ? inWords : inNumbers).format(count, unit);
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
