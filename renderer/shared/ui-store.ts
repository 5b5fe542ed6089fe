import { createStore } from 'zustand/vanilla';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'snapdesk.theme';

export interface ContextMenuState {
  x: number;
  y: number;
  /** The row right-clicked (already selected when the menu opens). */
  id: string;
}

/** The window's chrome: theme, which panel or dialog is open, and requests for focus. */
export interface UiState {
  theme: ThemeChoice;
  /** IDs awaiting delete confirmation, or null when the dialog is closed. */
  confirmDelete: readonly string[] | null;
  helpOpen: boolean;
  settingsOpen: boolean;
  transfersOpen: boolean;
  contextMenu: ContextMenuState | null;
  /** A request for the inspect panel to start editing a field (context menu "Rename"); `n` makes repeats distinct. */
  editRequest: { id: string; field: 'name'; n: number } | null;
  /** Bumped to ask the search box or the inspect panel to take focus. */
  focusSearch: number;
  focusInspect: number;
  /** Bumped to ask the table to scroll its focused row into view. */
  revealFocus: number;
  setTheme(theme: ThemeChoice): void;
  cycleTheme(): void;
  askDelete(ids: readonly string[]): void;
  closeDelete(): void;
  setHelp(open: boolean): void;
  setSettings(open: boolean): void;
  setTransfers(open: boolean): void;
  openContextMenu(menu: ContextMenuState): void;
  closeContextMenu(): void;
  requestEdit(id: string): void;
  requestFocusSearch(): void;
  requestFocusInspect(): void;
  requestReveal(): void;
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
  return createStore<UiState>()((set, get) => ({
    theme: readTheme(),
    confirmDelete: null,
    helpOpen: false,
    settingsOpen: false,
    transfersOpen: false,
    contextMenu: null,
    editRequest: null,
    focusSearch: 0,
    focusInspect: 0,
    revealFocus: 0,
    setTheme: (theme) => {
      writeTheme(theme);
      set({ theme });
    },
    cycleTheme: () => get().setTheme(NEXT_THEME[get().theme]),
    askDelete: (ids) => set({ confirmDelete: ids.length > 0 ? ids : null }),
    closeDelete: () => set({ confirmDelete: null }),
    setHelp: (helpOpen) => set({ helpOpen }),
    setSettings: (settingsOpen) => set({ settingsOpen }),
    setTransfers: (transfersOpen) => set({ transfersOpen }),
    openContextMenu: (contextMenu) => set({ contextMenu }),
    closeContextMenu: () => set({ contextMenu: null }),
    requestEdit: (id) => set((s) => ({ editRequest: { id, field: 'name', n: (s.editRequest?.n ?? 0) + 1 } })),
    requestFocusSearch: () => set((s) => ({ focusSearch: s.focusSearch + 1 })),
    requestFocusInspect: () => set((s) => ({ focusInspect: s.focusInspect + 1 })),
    requestReveal: () => set((s) => ({ revealFocus: s.revealFocus + 1 })),
  }));
}
