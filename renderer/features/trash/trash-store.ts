/** The trash as the window knows it: what it holds, and which trash dialog is open. */
import { createStore } from 'zustand/vanilla';
import type { TrashSummary } from '../../contract';

/** A restore refused because the name is taken: the rename prompt. */
export interface RestorePromptState {
  id: string;
  /** The name it had. */
  takenName: string;
  /** A free name to start from. */
  suggestedName: string;
}

/** A "for ever" action waiting for the user's yes. */
export type TrashConfirm = { kind: 'deleteForever'; ids: string[] } | { kind: 'empty' };

export interface TrashState {
  summary: TrashSummary | null;
  error: string | null;
  viewOpen: boolean;
  restorePrompt: RestorePromptState | null;
  confirm: TrashConfirm | null;
  setSummary(summary: TrashSummary): void;
  setError(error: string): void;
  setViewOpen(open: boolean): void;
  setRestorePrompt(prompt: RestorePromptState | null): void;
  setConfirm(confirm: TrashConfirm | null): void;
}

export function createTrashStore() {
  return createStore<TrashState>()((set) => ({
    summary: null,
    error: null,
    viewOpen: false,
    restorePrompt: null,
    confirm: null,
    setSummary: (summary) => set({ summary, error: null }),
    setError: (error) => set({ error }),
    setViewOpen: (viewOpen) => set({ viewOpen }),
    setRestorePrompt: (restorePrompt) => set({ restorePrompt }),
    setConfirm: (confirm) => set({ confirm }),
  }));
}

export type TrashStore = ReturnType<typeof createTrashStore>;
