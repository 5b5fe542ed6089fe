import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useApp, useSelection, useUi, useView } from '../app/context';
import type { ThemeChoice } from '../shared/ui-store';
import { TrashButton } from '../features/trash/TrashButton';
import { MenuPopup } from '../features/snapshots/MenuPopup';
import { TransfersIndicator } from '../features/transfers/TransfersIndicator';
import { useWindowWidth } from './use-window-width';

export const THEME_NAMES: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const THEME_ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };
/** The spinner shows at least this long, so a fast refresh is still seen to happen. */
const REFRESH_MIN_MS = 600;

/** The window's actions: import, export, push, pull, delete, refresh, search, transfers, theme, settings, help. */
export function Toolbar() {
  const app = useApp();
  const count = useSelection((s) => s.selected.size);
  const ui = app.stores.ui.getState();

  return (
    <header className="toolbar" aria-label="Toolbar">
      <button type="button" className="primary" onClick={() => void app.imports.pick()}>
        Import…
      </button>
      <button type="button" disabled={count === 0} onClick={() => void app.exports.exportSelected()}>
        Export
      </button>
      <button type="button" disabled={count !== 1} title="Push the selected snapshot to an OCI registry" onClick={() => app.registry.openPush()}>
        Push…
      </button>
      <button type="button" title="Pull a snapshot from an OCI registry" onClick={() => app.registry.openPull()}>
        Pull…
      </button>
      {/* The second click of a double-click (detail 2) is not a second Delete: the selection has moved on to the next row by then. */}
      <button type="button" className="danger" disabled={count === 0} onClick={(e) => e.detail <= 1 && app.moveSelectedToTrash()}>
        Delete
      </button>
      <RefreshButton />
      <SearchBox />
      <span className="toolbar-spacer" />
      <TransfersIndicator />
      <TrashButton />
      <ThemeMenuButton />
      <button type="button" className="icon" aria-label="Settings" title="Settings" onClick={() => ui.setSettings(true)}>
        <span aria-hidden="true">⚙</span>
      </button>
      <button type="button" className="icon" aria-label="Keyboard shortcuts and help" title="Help (?)" onClick={() => ui.setHelp(true)}>
        <span aria-hidden="true">?</span>
      </button>
    </header>
  );
}

/** Refresh, with a spinner while the list is read (kept briefly, so a quick read is still seen). */
function RefreshButton() {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    await Promise.all([app.snapshots.refresh(), new Promise((r) => setTimeout(r, REFRESH_MIN_MS))]);
    setBusy(false);
  };
  return (
    <button type="button" className={busy ? 'refresh busy' : 'refresh'} aria-busy={busy} aria-label="Refresh" title="Refresh (F5)" onClick={() => void run()}>
      <span className="refresh-icon" aria-hidden="true">
        ↻
      </span>
      {/* In a narrow window only the icon shows; the button keeps its name. */}
      <span className="refresh-label" aria-hidden="true">
        Refresh
      </span>
    </button>
  );
}

/** The theme as a menu of named choices: System, Light, Dark. */
function ThemeMenuButton() {
  const app = useApp();
  const theme = useUi((s) => s.theme);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const ref = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={ref}
        type="button"
        className="icon"
        aria-label={`Theme: ${THEME_NAMES[theme]}`}
        title={`Theme: ${THEME_NAMES[theme]}`}
        aria-haspopup="menu"
        aria-expanded={menu !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setMenu(menu ? null : { x: r.right - 180, y: r.bottom + 4 });
        }}
      >
        <span aria-hidden="true">{THEME_ICON[theme]}</span>
      </button>
      {menu
        ? createPortal(
            <MenuPopup
              label="Theme"
              x={menu.x}
              y={menu.y}
              onClose={(restore) => {
                setMenu(null);
                if (restore) ref.current?.focus();
              }}
              items={(['system', 'light', 'dark'] as const).map((t) => ({
                label: t === 'system' ? 'System (follow the OS)' : THEME_NAMES[t],
                kind: 'radio' as const,
                checked: theme === t,
                run: () => app.stores.ui.getState().setTheme(t),
              }))}
            />,
            document.body,
          )
        : null}
    </>
  );
}

/** Up to this window width the toolbar is narrow (the same width as the `max-width` media query in app.css). */
export const NARROW_TOOLBAR_MAX_WIDTH = 1040;
const SEARCH_HINT = 'Search name, ID, description, image';

function SearchBox() {
  const app = useApp();
  // In a narrow window the full hint would be cut mid-word; it stays in the tooltip.
  const narrow = useWindowWidth() <= NARROW_TOOLBAR_MAX_WIDTH;
  const query = useView((s) => s.query);
  const focusSignal = useUi((s) => s.focusSearch);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focusSignal > 0) {
      ref.current?.focus();
      ref.current?.select();
    }
  }, [focusSignal]);
  return (
    <input
      ref={ref}
      className="search"
      type="search"
      aria-label="Search snapshots"
      placeholder={narrow ? 'Search' : SEARCH_HINT}
      title={SEARCH_HINT}
      value={query}
      onChange={(e) => app.stores.view.getState().setQuery(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && query) {
          e.preventDefault();
          e.stopPropagation();
          app.stores.view.getState().setQuery('');
        } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
          // Straight from the search to the results.
          e.preventDefault();
          const first = app.stores.visible()[0];
          if (first) app.snapshots.showSnapshot(first.id);
        }
      }}
    />
  );
}
