import { useState } from 'react';
import { useApp, useSnapshots, useUi } from '../../app/context';
import { formatBytes, escapeUnsafe } from '../../../src-core/rules';
import { displayName } from '../../format/ids';
import { Dialog } from '../../shared/Dialog';
import { EscapedText } from '../../shared/EscapedText';

/** Confirms a delete, naming what goes and how much space it frees. */
export function DeleteDialog() {
  const ids = useUi((s) => s.confirmDelete);
  return ids ? <DeleteConfirm ids={ids} /> : null;
}

function DeleteConfirm({ ids }: { ids: readonly string[] }) {
  const app = useApp();
  const byId = useSnapshots((s) => s.byId);
  const [busy, setBusy] = useState(false);
  const items = ids.map((id) => byId.get(id)).filter((s) => s !== undefined);
  const freed = items.reduce((sum, s) => sum + (s.usage?.allocated ?? 0), 0);
  const title = items.length === 1 ? `Delete ${escapeUnsafe(displayName(items[0] as { id: string; name: string }))}?` : `Delete ${items.length} snapshots?`;
  const close = () => app.stores.ui.getState().closeDelete();

  return (
    <Dialog
      title={title}
      alert
      onClose={close}
      description={
        <p>
          This removes {items.length === 1 ? 'the snapshot and its data files' : 'these snapshots and their data files'} from the store and frees{' '}
          <strong>{formatBytes(freed)}</strong>. It cannot be undone; export first if you may need {items.length === 1 ? 'it' : 'them'} again.
        </p>
      }
    >
      <ul className="delete-list" aria-label="Snapshots to delete">
        {items.map((s) => (
          <li key={s.id}>
            <span>
              <EscapedText text={displayName(s)} />
            </span>
            <span className="muted">{s.usage ? formatBytes(s.usage.allocated) : 'size unknown'}</span>
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" onClick={close} data-autofocus disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void app.snapshots.confirmDelete(items.map((s) => s.id));
          }}
        >
          {items.length === 1 ? 'Delete' : `Delete ${items.length} snapshots`}
        </button>
      </div>
    </Dialog>
  );
}
