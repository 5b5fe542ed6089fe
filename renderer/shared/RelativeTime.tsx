import { formatRelativeTime } from '../format/time';
import { useClock } from './use-clock';

/** "5 minutes ago" for `iso`, kept current by the window's shared clock (the same "now" the list uses). */
export function RelativeTime({ iso }: { iso: string }) {
  const at = Date.parse(iso);
  const now = useClock(Number.isNaN(at) ? null : at);
  return <>{formatRelativeTime(iso, now)}</>;
}
