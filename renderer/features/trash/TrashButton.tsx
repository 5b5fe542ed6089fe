import { useApp } from '../../app/context';
import { formatBytes } from '../../../src-core/rules';
import './trash.css';
import { useTrash } from './use-trash';

/** The toolbar's trash: what it holds at a glance, and the way into the Trash view. */
export function TrashButton() {
  const app = useApp();
  const summary = useTrash((s) => s.summary);
  const count = summary?.items.length ?? 0;
  const text = count === 0 ? 'Trash is empty' : `Trash: ${count} snapshot${count === 1 ? '' : 's'}, ${formatBytes(summary?.totalSize ?? 0)}`;
  return (
    <button type="button" className="trash-button" aria-label={text} title={text} onClick={() => app.trash.store.getState().setViewOpen(true)}>
      {/* A word, not an emoji: not every system font has the wastebasket glyph. */}
      <span aria-hidden="true">Trash</span>
      {count > 0 ? (
        <span className="trash-count" aria-hidden="true">
          {count} · {formatBytes(summary?.totalSize ?? 0)}
        </span>
      ) : null}
    </button>
  );
}
