import { createStore } from 'zustand/vanilla';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
  /** One action offered with the message (e.g. Undo); running it dismisses the toast. */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

/** The results of actions, newest last. */
export interface ToastsState {
  toasts: readonly Toast[];
  show(kind: Toast['kind'], message: string, action?: ToastAction): number;
  dismiss(id: number): void;
}

export type ToastsStore = ReturnType<typeof createToastsStore>;

export function createToastsStore() {
  let toastSeq = 0;
  return createStore<ToastsState>()((set) => ({
    toasts: [],
    show: (kind, message, action) => {
      const id = ++toastSeq;
      // Keep the last few; a burst of results should not bury the window.
      set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, message, ...(action ? { action } : {}) }] }));
      return id;
    },
    dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  }));
}
