import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApp, useUi } from '../app/context';
import type { Toast } from './ui-store';
import { EscapedText } from './EscapedText';

/** How long a toast stays: results briefly, errors longer (they need reading), but every one fades. */
export const TOAST_LIFETIME_MS: Record<Toast['kind'], number> = { info: 5000, success: 6000, error: 15000 };

/**
 * Results of actions, bottom right, one short line each. They sit under
 * modal backdrops, never move with the transfers drawer, and report their
 * height so the list keeps the selected row clear of them.
 */
export function Toasts() {
  const app = useApp();
  const toasts = useUi((s) => s.toasts);
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const el = ref.current;
    const ui = app.stores.ui.getState();
    const report = () => {
      const px = toasts.length === 0 || !el ? 0 : Math.ceil(el.getBoundingClientRect().height) + 16;
      ui.setToastInset(px);
      // The details pane keeps the same room at its end (CSS reads it).
      document.documentElement.style.setProperty('--toast-inset', `${px}px`);
    };
    report();
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(report);
    ro.observe(el);
    return () => ro.disconnect();
  }, [toasts, app]);

  return (
    <div ref={ref} className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  );
}

function ToastView({ toast }: { toast: Toast }) {
  const app = useApp();
  // Hovering or focusing a toast (reading its details, reaching for Undo) holds it.
  const [held, setHeld] = useState(false);
  const dismiss = () => app.stores.ui.getState().dismissToast(toast.id);
  useEffect(() => {
    if (held) return;
    // toast.seq changes on each repeat, so a repeat restarts the clock.
    const timer = setTimeout(() => app.stores.ui.getState().dismissToast(toast.id), TOAST_LIFETIME_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [toast.id, toast.seq, toast.kind, held, app]);

  return (
    <div
      className={`toast ${toast.kind}`}
      role={toast.kind === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      <div className="toast-body">
        <span className="toast-text">
          <EscapedText text={toast.message} multiline />
          {toast.count > 1 ? (
            <span className="toast-count" aria-label={`, ${toast.count} times`}>
              {' '}×{toast.count}
            </span>
          ) : null}
        </span>
        {toast.detail ? (
          <details className="toast-detail">
            <summary>Details</summary>
            <p className="selectable">{toast.detail}</p>
          </details>
        ) : null}
      </div>
      {toast.action ? (
        <button
          type="button"
          className="small toast-action"
          onClick={() => {
            toast.action?.run();
            dismiss();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="icon small" aria-label="Dismiss" onClick={dismiss}>
        ✕
      </button>
    </div>
  );
}
