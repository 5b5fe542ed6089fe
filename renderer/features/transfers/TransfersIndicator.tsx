import { useShallow } from 'zustand/react/shallow';
import { useApp, useTasks } from '../../app/context';
import { aggregate } from './tasks-store';

/** Toolbar button: how many transfers run and their overall percent; opens the drawer. */
export function TransfersIndicator() {
  const app = useApp();
  const { running, percent } = useTasks(useShallow((s) => aggregate(s.byId)));
  const label = running > 0 ? `Transfers: ${running} running${percent !== null ? `, ${percent}%` : ''}` : 'Transfers';
  return (
    <button
      type="button"
      className={`transfers-indicator${running > 0 ? ' busy' : ''}`}
      aria-label={label}
      title={label}
      onClick={() => {
        const ui = app.stores.ui.getState();
        ui.setTransfers(!ui.transfersOpen);
      }}
    >
      <span aria-hidden="true">⇅</span>
      {running > 0 ? (
        <span aria-hidden="true" className="indicator-text">
          {running} · {percent !== null ? `${percent}%` : '…'}
        </span>
      ) : null}
      {running > 0 ? (
        <span className="mini-progress" aria-hidden="true">
          <span className="mini-fill" style={{ width: `${percent ?? 0}%` }} />
        </span>
      ) : null}
    </button>
  );
}
