import { useApp } from '../../app/context';
import { formatBytes, formatCount } from '../../../src-core/rules';
import './trash.css';
import { useTrash } from './use-trash';

/** The status bar's share of the trash: how many snapshots and how much disk it holds, a click away from the Trash view. */
export function TrashStatus() {
  const app = useApp();
  const summary = useTrash((s) => s.summary);
  const count = summary?.items.length ?? 0;
  // An empty trash says nothing: the toolbar's button already tells that.
  if (!summary || count === 0) return null;
  const size = formatBytes(summary.totalSize);
  return (
    <button
      type="button"
      className="trash-status"
      data-testid="status-trash"
      aria-label={`Open the trash: ${formatCount(count, 'snapshot')}, ${size}`}
      onClick={() => app.trash.store.getState().setViewOpen(true)}
    >
      Trash: {count} · {size}
    </button>
  );
}
