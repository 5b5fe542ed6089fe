import { useEffect } from 'react';
import { useApp, useToasts, useUi } from '../app/context';
import type { Toast } from './toasts-store';
import { UploadsPanel } from '../features/transfers/UploadsPanel';

const LIFETIME_MS = 6000;

/** Results of actions. Errors stay until dismissed; the rest fade after a few seconds. */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  // Never on top of the transfers drawer: a failed task's toast would hide that task's row.
  const drawerOpen = useUi((s) => s.transfersOpen);
  return (
    <div className={drawerOpen ? 'toasts beside-drawer' : 'toasts'} aria-label="Notifications">
      {/* Uploads stand in the same stack, above the results, so neither covers the other. */}
      <UploadsPanel />
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastView({ toast }: { toast: Toast }) {
  const app = useApp();
  useEffect(() => {
    if (toast.kind === 'error') return;
    const timer = setTimeout(() => app.stores.toasts.getState().dismiss(toast.id), LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [toast, app]);
  return (
    <div className={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast-text">{toast.message}</span>
      {toast.action ? (
        <button
          type="button"
          className="small toast-action"
          onClick={() => {
            app.stores.toasts.getState().dismiss(toast.id);
            toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="icon small" aria-label="Dismiss" onClick={() => app.stores.toasts.getState().dismiss(toast.id)}>
        ✕
      </button>
    </div>
  );
}
