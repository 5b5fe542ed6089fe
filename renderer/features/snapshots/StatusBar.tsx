import { useSelection, useSnapshots, useView } from '../../app/context';
import { TrashStatus } from '../trash/TrashStatus';
import { useVisibleSnapshots } from './use-visible';
import { formatBytes } from '../../../src-core/rules';
import type { SnapshotSummary } from '../../../src-core/types';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const onDisk = (list: readonly SnapshotSummary[]) => list.reduce((sum, s) => sum + (s.usage?.allocated ?? 0), 0);

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The bottom line: how many snapshots and how much disk, the selection's share, and when the list was last read. */
export function StatusBar() {
  const list = useSnapshots((s) => s.list);
  const loaded = useSnapshots((s) => s.loaded);
  const loading = useSnapshots((s) => s.status === 'loading');
  const loadedAt = useSnapshots((s) => s.loadedAt);
  const query = useView((s) => s.query);
  const selected = useSelection((s) => s.selected);
  const visible = useVisibleSnapshots();
  if (!loaded) return <footer className="statusbar" aria-label="Status" />;
  const picked = selected.size > 0 ? visible.filter((s) => selected.has(s.id)) : [];
  return (
    <footer className="statusbar" aria-label="Status">
      <span data-testid="status-total">
        {plural(list.length, 'snapshot', 'snapshots')} · {formatBytes(onDisk(list))} on disk
      </span>
      {query.trim() !== '' ? <span data-testid="status-shown">{visible.length.toLocaleString('en-US')} shown</span> : null}
      {picked.length > 0 ? (
        <span data-testid="status-selection">
          {picked.length.toLocaleString('en-US')} selected · {formatBytes(onDisk(picked))}
        </span>
      ) : null}
      <TrashStatus />
      <span className="statusbar-spacer" />
      <span className="muted" data-testid="status-updated">
        {loading ? 'Refreshing…' : loadedAt !== null ? `Updated ${clock.format(loadedAt)}` : ''}
      </span>
    </footer>
  );
}
