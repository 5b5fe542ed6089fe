import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { useApp, useSelection, useSnapshots, useUi, useView } from '../../app/context';
import { useVisibleSnapshots } from './use-visible';
import { useClock } from '../../shared/use-clock';
import { columnLayout, HEAD_HEIGHT, ROW_HEIGHT } from './columns';
import { rowDomId, SnapshotRow } from './SnapshotRow';
import { TableHeader } from './TableHeader';

/** Used until the body is laid out (and in environments without layout). */
const FALLBACK_HEIGHT = 600;

const observeRect = (instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void) =>
  observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height: FALLBACK_HEIGHT }));

/**
 * The snapshot list as an ARIA grid: sortable, resizable, hideable columns,
 * multi-select, full keyboard use, and virtualized rows of fixed height. One
 * element scrolls both ways, so the header stays on top and the Name column
 * stays at the left while the rest scrolls sideways.
 */
export function SnapshotTable() {
  const app = useApp();
  const rows = useVisibleSnapshots();
  const query = useView((s) => s.query);
  const widths = useView((s) => s.widths);
  const hidden = useView((s) => s.hidden);
  const layout = useMemo(() => columnLayout(widths, hidden), [widths, hidden]);
  const toastInset = useUi((s) => s.toastInset);
  const focus = useSelection((s) => s.focus);
  const reveal = useUi((s) => s.revealFocus);
  const revealTakesFocus = useUi((s) => s.revealTakesFocus);
  const now = useClock(useSnapshots((s) => s.newestCreatedAt));
  const gridRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // The virtualizer re-renders this component on scroll by design; rows are memoized on their own.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => bodyRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // Rows start below the sticky header, and room is kept at the end so the last row can scroll clear of the toasts.
    paddingStart: HEAD_HEIGHT,
    paddingEnd: toastInset,
    scrollPaddingStart: HEAD_HEIGHT,
    scrollPaddingEnd: toastInset,
    getItemKey: (i) => rows[i]?.id ?? i,
    initialRect: { width: 1000, height: FALLBACK_HEIGHT },
    observeElementRect: observeRect,
  });

  const focusIndex = focus === null ? -1 : rows.findIndex((r) => r.id === focus);

  // "Show snapshot" and similar: bring the focused row into view and take keyboard focus.
  useEffect(() => {
    if (reveal === 0) return;
    const i = app.stores.visible().findIndex((r) => r.id === app.stores.selection.getState().focus);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'center' });
    if (revealTakesFocus) gridRef.current?.focus();
    // Only a new request acts; revealTakesFocus changes with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reveal, app, virtualizer]);

  // A toast coming up over the focused row moves the row up out from under it.
  useEffect(() => {
    if (toastInset === 0) return;
    const i = app.stores.visible().findIndex((r) => r.id === app.stores.selection.getState().focus);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [toastInset, app, virtualizer]);

  const moveTo = (index: number, extend: boolean) => {
    if (rows.length === 0) return;
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const id = (rows[i] as { id: string }).id;
    const sel = app.stores.selection.getState();
    if (extend) sel.extendTo(id, rows.map((r) => r.id));
    else sel.selectOnly(id);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== gridRef.current) return;
    const mod = e.ctrlKey || e.metaKey;
    const page = Math.max(1, Math.floor(((bodyRef.current?.clientHeight || FALLBACK_HEIGHT) - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
    const ui = app.stores.ui.getState();
    const sel = app.stores.selection.getState();
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(focusIndex < 0 ? 0 : focusIndex + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(focusIndex < 0 ? 0 : focusIndex - 1, e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(rows.length - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(focusIndex < 0 ? 0 : focusIndex + page, e.shiftKey);
        break;
      case 'PageUp':
        moveTo(focusIndex < 0 ? 0 : focusIndex - page, e.shiftKey);
        break;
      case ' ':
        if (focus !== null) sel.toggle(focus);
        break;
      case 'Enter':
        if (focus !== null) {
          if (!sel.selected.has(focus)) sel.selectOnly(focus);
          ui.requestFocusInspect();
        }
        break;
      case 'Delete':
      case 'Backspace':
        // The Mac keyboard's "delete" key is Backspace. Plain: to the trash (Undo offered); with Shift: for ever, after a confirmation.
        if (e.shiftKey) app.snapshots.askDeleteForeverSelected();
        else app.moveSelectedToTrash();
        break;
      case 'Escape':
        // With nothing selected, Escape is left to the window (it closes the transfers drawer).
        if (sel.selected.size === 0) handled = false;
        else sel.clear();
        break;
      case 'F2':
        // Rename, as in file managers: the details pane opens on the name field.
        if (focus !== null) {
          sel.selectOnly(focus);
          ui.requestEdit(focus);
        }
        break;
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'F10' && !e.shiftKey) {
          handled = false;
          break;
        }
        if (focus !== null) {
          if (!sel.selected.has(focus)) sel.selectOnly(focus);
          const rect = document.getElementById(rowDomId(focus))?.getBoundingClientRect();
          ui.openContextMenu({ x: (rect?.left ?? 0) + 24, y: (rect?.bottom ?? 0) - 4, id: focus });
        }
        break;
      default:
        if (mod && e.key.toLowerCase() === 'a') sel.selectAll(rows.map((r) => r.id));
        else handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const items = virtualizer.getVirtualItems();
  // Point at the focused row only while it is rendered; a scrolled-away row has no element to name.
  const focusRendered = focusIndex >= 0 && items.some((v) => v.index === focusIndex);

  const style = { '--cols': layout.template } as CSSProperties;

  return (
    <div
      ref={gridRef}
      className="grid"
      role="grid"
      aria-label="Snapshots"
      aria-rowcount={rows.length + 1}
      aria-colcount={layout.shown.length}
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={focusRendered && focus !== null ? rowDomId(focus) : undefined}
      data-main-focus
      onKeyDown={onKeyDown}
      style={style}
    >
      <div ref={bodyRef} className="grid-body">
        <div className="grid-spacer" style={{ height: rows.length === 0 ? 160 : virtualizer.getTotalSize(), minWidth: layout.minWidth }}>
          <TableHeader layout={layout} />
          <div role="rowgroup" className="grid-rows">
            {rows.length === 0 ? (
              <div role="row" className="no-match">
                <div role="gridcell">
                  <p>No snapshot matches “{query}”.</p>
                  <button
                    type="button"
                    onClick={() => {
                      app.stores.view.getState().setQuery('');
                      gridRef.current?.focus();
                    }}
                  >
                    Clear search
                  </button>
                </div>
              </div>
            ) : (
              items.map((v) => {
                const s = rows[v.index];
                return s ? <SnapshotRow key={s.id} snapshot={s} index={v.index} top={v.start} now={now} columns={layout.shown} /> : null;
              })
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
