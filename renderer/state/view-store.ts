import { createStore } from 'zustand/vanilla';
import type { SnapshotSummary } from '../../src-core/types';

export type SortKey = 'name' | 'id' | 'hypervisor' | 'cpu' | 'memory' | 'size' | 'image' | 'created' | 'description';
export type SortDir = 'asc' | 'desc';

export interface ViewState {
  sortKey: SortKey;
  sortDir: SortDir;
  query: string;
  /** Clicking the sorted column flips it; another column starts ascending (dates and sizes descending). */
  sortBy(key: SortKey): void;
  setQuery(query: string): void;
}

const DESC_FIRST: ReadonlySet<SortKey> = new Set(['created', 'size', 'memory', 'cpu']);

export function createViewStore() {
  return createStore<ViewState>()((set) => ({
    sortKey: 'created',
    sortDir: 'desc',
    query: '',
    sortBy: (key) =>
      set((s) =>
        s.sortKey === key ? { sortDir: s.sortDir === 'asc' ? 'desc' : 'asc' } : { sortKey: key, sortDir: DESC_FIRST.has(key) ? 'desc' : 'asc' },
      ),
    setQuery: (query) => set({ query }),
  }));
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortValue(s: SnapshotSummary, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return s.name;
    case 'id':
      return s.id;
    case 'hypervisor':
      return s.hypervisor ?? '';
    case 'cpu':
      return s.cpu ?? 0;
    case 'memory':
      return s.memory ?? 0;
    case 'size':
      return s.usage?.allocated ?? -1;
    case 'image':
      return s.image ?? '';
    case 'created':
      return Date.parse(s.created_at) || 0;
    case 'description':
      return s.description ?? '';
  }
}

/** Case-insensitive match of every word of the query against name, ID, description and image. */
export function matchesQuery(s: SnapshotSummary, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = `${s.name}\n${s.id}\n${s.description ?? ''}\n${s.image ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The rows as shown: filtered, then sorted (ties broken by ID so the order is stable). */
export function visibleSnapshots(list: readonly SnapshotSummary[], sortKey: SortKey, sortDir: SortDir, query: string): SnapshotSummary[] {
  const rows = query.trim() ? list.filter((s) => matchesQuery(s, query)) : list.slice();
  const sign = sortDir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const va = sortValue(a, sortKey);
    const vb = sortValue(b, sortKey);
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return c !== 0 ? c * sign : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return rows;
}
