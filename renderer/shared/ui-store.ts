import { createStore } from 'zustand/vanilla';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'snapdesk.theme';

/** A button a toast may carry (e.g. Undo after a delete, Show transfers after a failure). */
export interface ToastAction {
  label: string;
  run: () => void;
}

export interface ToastOptions {
  /** The long form (e.g. the parser's own words), shown behind a disclosure, never in the headline. */
  detail?: string;
  action?: ToastAction;
}

export interface Toast extends ToastOptions {
  id: number;
  kind: 'info' | 'success' | 'error';
  /** One short line. */
  message: string;
  /** How many times the same message came in a row (shown as ×N); each repeat restarts its timer. */
  count: number;
  /** Bumped on each repeat, so the toast's timer restarts. */
  seq: number;
}

export interface ContextMenuState {
  x: number;
  y: number;
  /** The row right-clicked (already selected when the menu opens). */
  id: string;
}

export interface UiState {
  theme: ThemeChoice;
  toasts: readonly Toast[];
  /** IDs awaiting delete confirmation, or null when the dialog is closed. */
  confirmDelete: readonly string[] | null;
  helpOpen: boolean;
  settingsOpen: boolean;
  transfersOpen: boolean;
  /** When the drawer was last open (ms): failures after this are flagged on the toolbar indicator. */
  transfersSeenAt: number;
  contextMenu: ContextMenuState | null;
  /** A request for the inspect panel to start editing a field (context menu "Rename"); `n` makes repeats distinct. */
  editRequest: { id: string; field: 'name'; n: number } | null;
  /** Bumped to ask the search box or the inspect panel to take focus. */
  focusSearch: number;
  focusInspect: number;
  /** Bumped to ask the table to scroll its focused row into view. */
  revealFocus: number;
  /** Whether that reveal also moves keyboard focus to the table (not when the user is typing elsewhere). */
  revealTakesFocus: boolean;
  /** Height (px) the toast stack covers at the bottom of the window; the list keeps its rows clear of it. */
  toastInset: number;
  setTheme(theme: ThemeChoice): void;
  cycleTheme(): void;
  toast(kind: Toast['kind'], message: string, options?: ToastOptions): number;
  dismissToast(id: number): void;
  askDelete(ids: readonly string[]): void;
  closeDelete(): void;
  setHelp(open: boolean): void;
  setSettings(open: boolean): void;
  setTransfers(open: boolean): void;
  openContextMenu(menu: ContextMenuState): void;
  closeContextMenu(): void;
  requestEdit(id: string): void;
  /** The field asked for is editing: the request is done (a field drawn later must not start on it). */
  editRequestTaken(): void;
  requestFocusSearch(): void;
  requestFocusInspect(): void;
  requestReveal(takeFocus?: boolean): void;
  setToastInset(px: number): void;
}

function readTheme(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function writeTheme(theme: ThemeChoice): void {
  try {
    if (theme === 'system') globalThis.localStorage?.removeItem(THEME_KEY);
    else globalThis.localStorage?.setItem(THEME_KEY, theme);
  } catch {
    // Storage may be disabled; the choice then lasts for this window only.
  }
}

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };

export type UiStore = ReturnType<typeof createUiStore>;

export function createUiStore() {
  let toastSeq = 0;
  return createStore<UiState>()((set, get) => ({
    theme: readTheme(),
    toasts: [],
    confirmDelete: null,
    helpOpen: false,
    settingsOpen: false,
    transfersOpen: false,
    transfersSeenAt: 0,
    contextMenu: null,
    editRequest: null,
    focusSearch: 0,
    focusInspect: 0,
    revealFocus: 0,
    revealTakesFocus: true,
    toastInset: 0,
    setTheme: (theme) => {
      writeTheme(theme);
      set({ theme });
    },
    cycleTheme: () => get().setTheme(NEXT_THEME[get().theme]),
    toast: (kind, message, options = {}) => {
      const seq = ++toastSeq;
      const same = get().toasts.find((t) => t.kind === kind && t.message === message && t.detail === options.detail);
      if (same) {
        // A repeat (four bad drops of one file) collapses into one toast with a count.
        set((s) => ({ toasts: s.toasts.map((t) => (t === same ? { ...t, ...options, count: t.count + 1, seq } : t)) }));
        return same.id;
      }
      // Keep the last three; a burst of results should not bury the window.
      set((s) => ({ toasts: [...s.toasts.slice(-2), { id: seq, seq, kind, message, count: 1, ...options }] }));
      return seq;
    },
    dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
    askDelete: (ids) => set({ confirmDelete: ids.length > 0 ? ids : null }),
    closeDelete: () => set({ confirmDelete: null }),
    setHelp: (helpOpen) => set({ helpOpen }),
    setSettings: (settingsOpen) => set({ settingsOpen }),
    setTransfers: (transfersOpen) => set((s) => (s.transfersOpen === transfersOpen ? {} : { transfersOpen, transfersSeenAt: Date.now() })),
    openContextMenu: (contextMenu) => set({ contextMenu }),
    closeContextMenu: () => set({ contextMenu: null }),
    requestEdit: (id) => set((s) => ({ editRequest: { id, field: 'name', n: (s.editRequest?.n ?? 0) + 1 } })),
    editRequestTaken: () => set({ editRequest: null }),
    requestFocusSearch: () => set((s) => ({ focusSearch: s.focusSearch + 1 })),
    requestFocusInspect: () => set((s) => ({ focusInspect: s.focusInspect + 1 })),
    requestReveal: (takeFocus = true) => set((s) => ({ revealFocus: s.revealFocus + 1, revealTakesFocus: takeFocus })),
    setToastInset: (toastInset) => set((s) => (s.toastInset === toastInset ? {} : { toastInset })),
  }));
}
