import { createStore } from 'zustand/vanilla';
import type { ArchiveRef } from '../../contract';
import type { ArchivePreview } from '../../../src-core/types';

/**
 * Archives waiting for the user to confirm a name (the import dialog), and
 * those whose import task is running, so a name conflict at commit time can
 * bring the prompt back for exactly that archive.
 */
export interface ImportItem {
  archive: ArchiveRef;
  preview: ArchivePreview | null;
  /** Why the archive cannot be imported, in plain words. */
  previewError: string | null;
  /** The reader's own words for it (shown behind "Details"). */
  previewDetail?: string | null;
  /** What the user typed; '' means "keep the archive's own". */
  name: string;
  description: string;
  /** Set when the archive's name (or the one chosen) was taken and a free one was filled in for it. */
  renamedFrom?: string | null;
  /** An error to show at the name field (e.g. a conflict reported at commit); the dialog offers a free name beside it. */
  nameError: string | null;
}

export interface ImportState {
  /** In the dialog, in the order added. */
  pending: readonly ImportItem[];
  /** Import task ID → the item it was started from. */
  running: Readonly<Record<string, ImportItem>>;
  add(archives: readonly ArchiveRef[]): void;
  update(archiveId: string, patch: Partial<ImportItem>): void;
  remove(archiveId: string): void;
  /** Move an item from the dialog to the running table. */
  started(archiveId: string, taskId: string): void;
  /** A task ended: forget it; returns its item. */
  finished(taskId: string): ImportItem | undefined;
  /** Put an item back in the dialog (conflict at commit). */
  reprompt(item: ImportItem): void;
  clear(): void;
}

export function newItem(archive: ArchiveRef): ImportItem {
  return { archive, preview: null, previewError: null, name: '', description: '', nameError: null };
}

export function createImportStore() {
  return createStore<ImportState>()((set, get) => ({
    pending: [],
    running: {},
    add: (archives) =>
      set((s) => {
        const have = new Set(s.pending.map((i) => i.archive.id));
        const fresh = archives.filter((a) => !have.has(a.id)).map(newItem);
        return fresh.length ? { pending: [...s.pending, ...fresh] } : {};
      }),
    update: (archiveId, patch) =>
      set((s) => ({ pending: s.pending.map((i) => (i.archive.id === archiveId ? { ...i, ...patch } : i)) })),
    remove: (archiveId) => set((s) => ({ pending: s.pending.filter((i) => i.archive.id !== archiveId) })),
    started: (archiveId, taskId) =>
      set((s) => {
        const item = s.pending.find((i) => i.archive.id === archiveId);
        if (!item) return {};
        return { pending: s.pending.filter((i) => i !== item), running: { ...s.running, [taskId]: item } };
      }),
    finished: (taskId) => {
      const item = get().running[taskId];
      if (item) {
        set((s) => {
          const running = { ...s.running };
          delete running[taskId];
          return { running };
        });
      }
      return item;
    },
    reprompt: (item) =>
      set((s) => ({ pending: [...s.pending.filter((i) => i.archive.id !== item.archive.id), item] })),
    clear: () => set({ pending: [] }),
  }));
}
