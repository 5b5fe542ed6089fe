import { createPortal } from 'react-dom';
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useApp, useView } from '../../app/context';
import type { SortKey } from './view-store';
import { COLUMN_BY_KEY, COLUMNS, MAX_COLUMN_WIDTH, type ColumnLayout } from './columns';
import { MenuPopup } from './MenuPopup';

/** Arrow-key step when resizing a column from the keyboard. */
const KEY_STEP = 16;

/**
 * The header row: sort buttons with resize handles. The headers are one tab
 * stop (roving: arrows move between them), reached after the list itself.
 */
export function TableHeader({ layout }: { layout: ColumnLayout }) {
  const app = useApp();
  const sortKey = useView((s) => s.sortKey);
  const sortDir = useView((s) => s.sortDir);
  const [active, setActive] = useState<SortKey | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const rowRef = useRef<HTMLDivElement>(null);
  const view = app.stores.view;
  // The tab stop: the last header the user moved to, else the sorted one, else Name.
  const stop = [active, sortKey].find((k) => k !== null && layout.shown.some((c) => c.key === k)) ?? 'name';

  const focusHeader = (key: SortKey) => {
    setActive(key);
    rowRef.current?.querySelector<HTMLElement>(`[data-sort="${key}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, key: SortKey) => {
    const i = layout.shown.findIndex((c) => c.key === key);
    const mod = e.ctrlKey || e.metaKey || e.altKey;
    if (mod && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      view.getState().setWidth(key, layout.widthOf(key) + (e.key === 'ArrowRight' ? KEY_STEP : -KEY_STEP));
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const next = layout.shown[Math.max(0, Math.min(layout.shown.length - 1, i + (e.key === 'ArrowRight' ? 1 : -1)))];
      if (next) focusHeader(next.key);
    } else if (e.key === 'Home' || e.key === 'End') {
      const next = e.key === 'Home' ? layout.shown[0] : layout.shown[layout.shown.length - 1];
      if (next) focusHeader(next.key);
    } else if (e.key === 'ArrowDown') {
      // Down from the headers goes back into the list.
      rowRef.current?.closest<HTMLElement>('[role="grid"]')?.focus();
    } else if (e.key === 'F10' && e.shiftKey) {
      const r = e.currentTarget.getBoundingClientRect();
      setMenu({ x: r.left, y: r.bottom });
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div role="rowgroup" className="grid-head">
      <div
        ref={rowRef}
        role="row"
        aria-rowindex={1}
        className="row head"
        onContextMenu={(e) => {
          e.preventDefault();
          setMenu({ x: e.clientX, y: e.clientY });
        }}
      >
        {layout.shown.map((c) => {
          const sorted = c.key === sortKey;
          return (
            <div
              key={c.key}
              role="columnheader"
              className={`cell${c.numeric ? ' num' : ''}${c.fixed ? ' name' : ''}`}
              aria-sort={sorted ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                className="sort"
                data-sort={c.key}
                tabIndex={c.key === stop ? 0 : -1}
                title="Click to sort; right-click to choose columns; Ctrl+←/→ to resize"
                onFocus={() => setActive(c.key)}
                onKeyDown={(e) => onKeyDown(e, c.key)}
                onClick={() => view.getState().sortBy(c.key)}
              >
                <span className="sort-label">{c.label}</span>
                <span className="sort-mark" aria-hidden="true">
                  {sorted ? (sortDir === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
              <ResizeHandle columnKey={c.key} label={c.label} width={layout.widthOf(c.key)} />
              {c === layout.shown[layout.shown.length - 1] ? (
                <button
                  type="button"
                  className="columns-button"
                  tabIndex={-1}
                  aria-label="Choose columns"
                  title="Choose columns"
                  aria-haspopup="menu"
                  aria-expanded={menu !== null}
                  onClick={(e) => {
                    const r = e.currentTarget.getBoundingClientRect();
                    setMenu(menu ? null : { x: r.right - 220, y: r.bottom + 2 });
                  }}
                >
                  <span aria-hidden="true">⋯</span>
                </button>
              ) : null}
            </div>
          );
        })}
      </div>
      {menu
        ? createPortal(
        <MenuPopup
          label="Columns"
          x={menu.x}
          y={menu.y}
          onClose={(restore) => {
            setMenu(null);
            if (restore) focusHeader(stop);
          }}
          items={[
            ...COLUMNS.map((c) => ({
              label: c.label,
              kind: 'checkbox' as const,
              checked: layout.shown.includes(c),
              disabled: c.fixed === true,
              keepOpen: true,
              run: () => view.getState().toggleHidden(c.key),
            })),
            { label: 'Reset columns', separated: true, run: () => view.getState().resetLayout() },
          ]}
        />,
        document.body,
      )
        : null}
    </div>
  );
}

/** Drag to resize; double-click gives the column its default width back. */
function ResizeHandle({ columnKey, label, width }: { columnKey: SortKey; label: string; width: number }) {
  const app = useApp();
  const drag = useRef<{ x: number; width: number } | null>(null);
  const min = COLUMN_BY_KEY.get(columnKey)?.minWidth ?? 40;
  const setWidth = (w: number | null) => app.stores.view.getState().setWidth(columnKey, w === null ? null : Math.max(min, Math.min(MAX_COLUMN_WIDTH, w)));
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${label}`}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={MAX_COLUMN_WIDTH}
      className="col-resize"
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={() => setWidth(null)}
      onPointerDown={(e: PointerEvent<HTMLSpanElement>) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture?.(e.pointerId);
        drag.current = { x: e.clientX, width };
      }}
      onPointerMove={(e) => {
        if (drag.current) setWidth(drag.current.width + e.clientX - drag.current.x);
      }}
      onPointerUp={() => {
        drag.current = null;
      }}
      onPointerCancel={() => {
        drag.current = null;
      }}
    />
  );
}
