import { Dialog } from '../../shared/Dialog';
import { useApp } from '../../app/context';
import { formatBytes } from '../../../src-core/rules';
import { displayName, listNames } from '../../format/ids';
import { useTrash } from './use-trash';

/** Asks before anything leaves the trash for ever. */
export function TrashConfirm() {
  const app = useApp();
  const confirm = useTrash((s) => s.confirm);
  const summary = useTrash((s) => s.summary);
  if (!confirm) return null;
  const items = summary?.items ?? [];
  const chosen = confirm.kind === 'empty' ? items : items.filter((i) => confirm.ids.includes(i.snapshot.id));
  const size = chosen.reduce((n, i) => n + i.size, 0);
  const names = chosen.map((i) => displayName(i.snapshot));
  const title = confirm.kind === 'empty' ? 'Empty the trash?' : `Delete ${listNames(names)} for ever?`;
  const cancel = () => app.trash.store.getState().setConfirm(null);
  return (
    <Dialog
      title={title}
      alert
      onClose={cancel}
      description={
        <p>
          This deletes {confirm.kind === 'empty' ? chosen.length === 1 ? 'the one snapshot in the trash' : `all ${chosen.length} snapshots in the trash` : listNames(names)} and frees <strong>{formatBytes(size)}</strong>. It cannot be undone.
        </p>
      }
    >
      <div className="dialog-actions">
        <button type="button" onClick={cancel} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void app.trash.confirm()}>
          {confirm.kind === 'empty' ? 'Empty trash' : 'Delete for ever'}
        </button>
      </div>
    </Dialog>
  );
}
