import { Dialog } from '../../shared/Dialog';
import { useApp } from '../../app/context';
import { formatBytes } from '../../../src-core/rules';
import { displayName } from '../../format/ids';
import { formatExactTime } from '../../format/time';
import { RelativeTime } from '../../shared/RelativeTime';
import { useTrash } from './use-trash';

/** What is in the trash (name, size, when deleted), with Restore, Delete for ever and Empty trash. */
export function TrashView() {
  const open = useTrash((s) => s.viewOpen);
  return open ? <TrashList /> : null;
}

function TrashList() {
  const app = useApp();
  const trash = app.trash;
  const summary = useTrash((s) => s.summary);
  const error = useTrash((s) => s.error);
  const confirm = useTrash((s) => s.confirm);
  const prompt = useTrash((s) => s.restorePrompt);
  const items = summary?.items ?? [];
  const close = () => trash.store.getState().setViewOpen(false);

  return (
    <Dialog
      title="Trash"
      className="trash-dialog"
      onClose={() => {
        // Escape in a confirmation or the rename prompt above closes that one only.
        if (!confirm && !prompt) close();
      }}
      description={
        summary ? (
          <p>
            {items.length === 0 ? 'The trash is empty.' : `${items.length} snapshot${items.length === 1 ? '' : 's'}, ${formatBytes(summary.totalSize)}.`} Snapshots stay{' '}
            {summary.settings.retentionDays} day{summary.settings.retentionDays === 1 ? '' : 's'}
            {summary.settings.minFreeBytes > 0 ? `, or less when free space falls under ${formatBytes(summary.settings.minFreeBytes)}` : ''}.
          </p>
        ) : (
          <p>{error ? `Could not read the trash: ${error}` : 'Loading…'}</p>
        )
      }
    >
      {items.length > 0 ? (
        <table className="trash-table" aria-label="Snapshots in the trash">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Deleted</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const name = displayName(item.snapshot);
              return (
                <tr key={item.snapshot.id} aria-label={name}>
                  <td className="wrap">{name}</td>
                  <td className="nowrap">{formatBytes(item.size)}</td>
                  <td className="nowrap" title={formatExactTime(item.deletedAt)}>
                    <RelativeTime iso={item.deletedAt} />
                  </td>
                  <td className="trash-actions">
                    <button type="button" aria-label={`Restore ${name}`} onClick={() => void trash.restore(item.snapshot.id)}>
                      Restore
                    </button>
                    <button type="button" className="danger" aria-label={`Delete ${name} for ever`} onClick={() => trash.askDeleteForever([item.snapshot.id])}>
                      Delete for ever…
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="danger" disabled={items.length === 0} onClick={() => trash.askEmpty()}>
          Empty trash…
        </button>
        <button type="button" className="primary" data-autofocus onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
