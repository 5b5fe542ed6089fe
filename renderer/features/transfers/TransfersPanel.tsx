import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useApp, useTasks, useUi, useUploads } from '../../app/context';
import { isActive } from './tasks-store';
import { TaskRow } from './TaskRow';
import { UploadsPanel } from './UploadsPanel';

/**
 * The transfers drawer, docked under the list: every upload, import and
 * export, running or finished, in one list. It pushes the list up instead of
 * covering the details pane, and Escape closes it.
 */
export function TransfersPanel() {
  const open = useUi((s) => s.transfersOpen);
  return open ? <TransfersDrawer /> : null;
}

function TransfersDrawer() {
  const app = useApp();
  const order = useTasks((s) => s.order);
  const uploads = useUploads((s) => s.order.length);
  const ref = useRef<HTMLElement>(null);
  // A boolean, so ticks of running tasks do not re-render the drawer.
  const anyFinished = useTasks((s) =>
    s.order.some((id) => {
      const t = s.byId[id];
      return t !== undefined && !isActive(t);
    }),
  );
  // Focus inside the drawer falls to the page when it closes; keepFocusInWindow (list-focus.ts) puts it back on the list.
  const close = () => app.stores.ui.getState().setTransfers(false);

  // Escape closes the drawer from anywhere, unless a dialog, menu or field has a use for it first.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (document.querySelector('[aria-modal="true"], [role="menu"]')) return;
      const t = e.target;
      if (t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') && !ref.current?.contains(t)) return;
      if (t instanceof HTMLElement && t.closest('[role="grid"]') && app.stores.selection.getState().selected.size > 0) return;
      e.preventDefault();
      app.stores.ui.getState().setTransfers(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  };

  return (
    <section ref={ref} className="transfers" aria-labelledby="transfers-title" onKeyDown={onKeyDown}>
      <header className="transfers-head">
        <h2 id="transfers-title" className="panel-title">
          Transfers
        </h2>
        <button type="button" className="small" disabled={!anyFinished} onClick={() => void app.transfers.clearFinished()}>
          Clear finished
        </button>
        <button type="button" className="small" aria-label="Close transfers" title="Close (Escape)" onClick={close}>
          ✕
        </button>
      </header>
      {order.length === 0 && uploads === 0 ? (
        <p className="muted transfers-empty">No transfers. Imports, exports, uploads, pushes and pulls show their progress here.</p>
      ) : (
        <ul className="task-list" aria-label="Transfers">
          <UploadsPanel />
          {[...order].reverse().map((id) => (
            <TaskRow key={id} id={id} />
          ))}
        </ul>
      )}
    </section>
  );
}
