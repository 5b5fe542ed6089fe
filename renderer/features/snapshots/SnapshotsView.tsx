import { useApp, useIsDesktop, useSnapshots } from '../../app/context';
import { SnapshotTable } from './SnapshotTable';
import { ArchiveExtensions } from '../../shared/ArchiveExtensions';

/** The table, or what to do when there is nothing to show (empty store, unreadable store, first load). */
export function SnapshotsView() {
  const app = useApp();
  const loaded = useSnapshots((s) => s.loaded);
  const status = useSnapshots((s) => s.status);
  const error = useSnapshots((s) => s.error);
  const count = useSnapshots((s) => s.list.length);
  const desktop = useIsDesktop();

  if (!loaded && status === 'error') {
    return (
      <section className="state error-state" aria-labelledby="store-error-title">
        <h2 id="store-error-title">The snapshot store could not be read</h2>
        <p className="error-text">{error}</p>
        <p>Check that the store folder exists and that you can read it, or choose another folder in Settings.</p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => void app.snapshots.refresh()}>
            Try again
          </button>
          <button type="button" onClick={() => app.stores.ui.getState().setSettings(true)}>
            Settings…
          </button>
        </div>
      </section>
    );
  }
  if (!loaded) {
    return (
      <section className="state" aria-busy="true">
        <p role="status">Reading snapshots…</p>
      </section>
    );
  }
  return (
    <div className="snapshots-view">
      {status === 'error' ? (
        <div className="banner" role="alert">
          <span>Could not refresh the list: {error}</span>
          <button type="button" onClick={() => void app.snapshots.refresh()}>
            Try again
          </button>
        </div>
      ) : null}
      {count === 0 ? (
        <section className="state empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">No snapshots yet</h2>
          <p>
            Drop a snapshot archive (<ArchiveExtensions />) anywhere on this window, or
            choose one with <strong>Import…</strong> below.
          </p>
          <p className="muted">
            Snapshots saved with <code>cocoon snapshot save</code> into this store appear here by themselves.
            {desktop ? ' To see another cocoon store, change the folder in Settings.' : ''}
          </p>
          <div className="actions">
            {/* Where focus goes when it has nowhere else to be (list-focus.ts), as the list does when there is one. */}
            <button type="button" className="primary" data-main-focus onClick={() => void app.imports.pick()}>
              Import…
            </button>
          </div>
        </section>
      ) : (
        <SnapshotTable />
      )}
    </div>
  );
}
