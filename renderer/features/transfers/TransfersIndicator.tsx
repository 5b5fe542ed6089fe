import { useShallow } from 'zustand/react/shallow';
import { useApp, useTasks, useUi, useUploads } from '../../app/context';
import { isActive } from './tasks-store';

/**
 * Toolbar button: how many transfers (uploads included) run and their
 * overall percent, or how many failed since the drawer was last open; opens
 * the drawer. Its size never changes, so the toolbar never grows or jumps.
 */
export function TransfersIndicator() {
  const app = useApp();
  const open = useUi((s) => s.transfersOpen);
  const seenAt = useUi((s) => s.transfersSeenAt);
  const failed = useTasks((s) => (open ? 0 : Object.values(s.byId).filter((t) => t.state === 'failed' && (t.finishedAt ?? 0) >= seenAt).length));
  // Every running transfer counts; the percent is over the bytes of those whose size is known.
  const tasks = useTasks(
    useShallow((s) => {
      let running = 0;
      let done = 0;
      let total = 0;
      for (const t of Object.values(s.byId)) {
        if (!isActive(t)) continue;
        running++;
        if (t.bytesTotal) {
          done += Math.min(t.bytesDone, t.bytesTotal);
          total += t.bytesTotal;
        }
      }
      return { running, done, total };
    }),
  );
  const uploads = useUploads(
    useShallow((s) => {
      let done = 0;
      let total = 0;
      for (const id of s.order) {
        for (const f of s.byId[id]?.files ?? []) {
          done += Math.min(f.bytesDone, f.bytesTotal);
          total += f.bytesTotal;
        }
      }
      return { running: s.order.length, done, total };
    }),
  );
  const running = tasks.running + uploads.running;
  const total = tasks.total + uploads.total;
  const percent = total > 0 ? Math.floor(((tasks.done + uploads.done) / total) * 100) : null;
  const label =
    running > 0
      ? `Transfers: ${running} running${percent !== null ? `, ${percent}%` : ''}${failed > 0 ? `, ${failed} failed` : ''}`
      : failed > 0
        ? `Transfers: ${failed} failed`
        : 'Transfers';
  return (
    <button
      type="button"
      className={`transfers-indicator${running > 0 ? ' busy' : ''}${failed > 0 ? ' failed' : ''}`}
      aria-label={label}
      aria-expanded={open}
      title={label}
      onClick={() => app.stores.ui.getState().setTransfers(!open)}
    >
      <span aria-hidden="true">⇅</span>
      <span aria-hidden="true" className="indicator-text">
        {running > 0 ? `${running} · ${percent !== null ? `${percent}%` : '…'}` : failed > 0 ? `${failed} failed` : 'Transfers'}
      </span>
      <span className="mini-progress" aria-hidden="true">
        <span className="mini-fill" style={{ width: `${running > 0 ? (percent ?? 0) : 0}%` }} />
      </span>
    </button>
  );
}
