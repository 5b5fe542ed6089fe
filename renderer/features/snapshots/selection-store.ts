import { createStore } from 'zustand/vanilla';

/**
 * Which rows are selected, the anchor of shift-ranges and the row that has
 * keyboard focus. Rules follow desktop file managers: click selects one,
 * Ctrl/Cmd toggles, Shift selects anchor..target in the order shown.
 */
export interface SelectionState {
  selected: ReadonlySet<string>;
  anchor: string | null;
  focus: string | null;
  /** Plain click or arrow: just this row. */
  selectOnly(id: string): void;
  /** Ctrl/Cmd+click: add or remove this row; it becomes the anchor. */
  toggle(id: string): void;
  /** Shift+click or Shift+arrow: anchor..id in `order`, replacing the selection. */
  extendTo(id: string, order: readonly string[]): void;
  selectAll(order: readonly string[]): void;
  /** Replace the selection with these IDs (e.g. "Show snapshot"). */
  select(ids: readonly string[]): void;
  clear(): void;
  /** Forget rows that no longer exist. */
  prune(exists: (id: string) => boolean): void;
}

export function createSelectionStore() {
  return createStore<SelectionState>()((set) => ({
    selected: new Set<string>(),
    anchor: null,
    focus: null,
    selectOnly: (id) => set({ selected: new Set([id]), anchor: id, focus: id }),
    toggle: (id) =>
      set((s) => {
        const selected = new Set(s.selected);
        if (selected.has(id)) selected.delete(id);
        else selected.add(id);
        return { selected, anchor: id, focus: id };
      }),
    extendTo: (id, order) =>
      set((s) => {
        const to = order.indexOf(id);
        if (to < 0) return {};
        const anchor = s.anchor !== null && order.includes(s.anchor) ? s.anchor : id;
        const from = order.indexOf(anchor);
        const [lo, hi] = from <= to ? [from, to] : [to, from];
        return { selected: new Set(order.slice(lo, hi + 1)), anchor, focus: id };
      }),
    selectAll: (order) => set((s) => ({ selected: new Set(order), focus: s.focus ?? order[0] ?? null, anchor: s.anchor ?? order[0] ?? null })),
    select: (ids) => set({ selected: new Set(ids), anchor: ids[0] ?? null, focus: ids[0] ?? null }),
    clear: () => set({ selected: new Set<string>() }),
    prune: (exists) =>
      set((s) => {
        const kept = [...s.selected].filter(exists);
        const anchor = s.anchor !== null && exists(s.anchor) ? s.anchor : null;
        const focus = s.focus !== null && exists(s.focus) ? s.focus : null;
        if (kept.length === s.selected.size && anchor === s.anchor && focus === s.focus) return {};
        return { selected: new Set(kept), anchor, focus };
      }),
  }));
}
