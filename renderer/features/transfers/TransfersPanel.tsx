import { useApp, useTasks, useUi } from '../../app/context';
import { isActive } from './tasks-store';
import { TaskRow } from './TaskRow';

/** The transfers drawer: every import and export, running or finished. */
export function TransfersPanel() {
  const open = useUi((s) => s.transfersOpen);
  return open ? <TransfersDrawer /> : null;
}

function TransfersDrawer() {
  const app = useApp();
  const order = useTasks((s) => s.order);
  // A boolean, so ticks of running tasks do not re-render the drawer.
  const anyFinished = useTasks((s) => s.order.some((id) => {
    const t = s.byId[id];
    return t !== undefined && !isActive(t);
  }));
  return (
    <section className="transfers" aria-labelledby="transfers-title">
      <header className="transfers-head">
        <h2 id="transfers-title" className="panel-title">
          Transfers
        </h2>
        <button type="button" className="small" disabled={!anyFinished} onClick={() => void app.transfers.clearFinished()}>
          Clear finished
        </button>
        <button type="button" className="small" aria-label="Close transfers" onClick={() => app.stores.ui.getState().setTransfers(false)}>
          ✕
        </button>
      </header>
      {order.length === 0 ? (
        <p className="muted">No transfers yet. Imports and exports show their progress here.</p>
      ) : (
        <ul className="task-list" aria-label="Transfers">
          {[...order].reverse().map((id) => (
            <TaskRow key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
