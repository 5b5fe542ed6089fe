import { createStore } from 'zustand/vanilla';
import type { SnapshotSummary } from '../../../src-core/types';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface SnapshotsState {
  list: SnapshotSummary[];
  byId: ReadonlyMap<string, SnapshotSummary>;
  status: LoadStatus;
  /** True once a list was read; a later failed refresh keeps showing it. */
  loaded: boolean;
  error: string | null;
  /** Bumped on every successful load, so detail views know to re-read. */
  version: number;
  /** When the newest snapshot was created (epoch ms), so the list's clock knows how often relative times change; null when none is dated. */
  newestCreatedAt: number | null;
  /** When the list last arrived (ms since the epoch), shown in the status bar so a refresh is seen to happen. */
  loadedAt: number | null;
  setLoading(): void;
  setList(list: SnapshotSummary[]): void;
  setError(message: string): void;
}

export type SnapshotsStore = ReturnType<typeof createSnapshotsStore>;

export function createSnapshotsStore() {
  return createStore<SnapshotsState>()((set) => ({
    list: [],
    byId: new Map(),
    status: 'idle',
    loaded: false,
    error: null,
    version: 0,
    newestCreatedAt: null,
    loadedAt: null,
    setLoading: () => set({ status: 'loading' }),
    setList: (list) =>
      set((s) => ({
        list,
        byId: new Map(list.map((x) => [x.id, x])),
        status: 'ready',
        loaded: true,
        error: null,
        version: s.version + 1,
        newestCreatedAt: newestOf(list),
        loadedAt: Date.now(),
      })),
    setError: (message) => set({ status: 'error', error: message }),
  }));
}

function newestOf(list: readonly SnapshotSummary[]): number | null {
  let newest: number | null = null;
  for (const s of list) {
    const t = Date.parse(s.created_at);
    if (!Number.isNaN(t) && (newest === null || t > newest)) newest = t;
  }
  return newest;
}
