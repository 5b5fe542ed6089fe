import { useEffect, useRef } from 'react';
import { useApp, useSelection, useUi, useView } from './context';
import type { ThemeChoice } from '../shared/ui-store';
import { TrashButton } from '../features/trash/TrashButton';
import { TransfersIndicator } from '../features/transfers/TransfersIndicator';

const THEME_LABEL: Record<ThemeChoice, string> = { system: 'Theme: follows the system', light: 'Theme: light', dark: 'Theme: dark' };
const THEME_ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** The window's actions: import, export, push, pull, delete, refresh, search, transfers, theme, settings, help. */
export function Toolbar() {
  const app = useApp();
  const count = useSelection((s) => s.selected.size);
  const theme = useUi((s) => s.theme);
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
      <button type="button" className="danger" disabled={count === 0} onClick={() => void app.trash.moveToTrash(app.snapshots.selectedIds())}>
        Delete
      </button>
      <button type="button" onClick={() => void app.snapshots.refresh()}>
        Refresh
      </button>
      <SearchBox />
      <span className="toolbar-spacer" />
      <TransfersIndicator />
      <TrashButton />
      <button type="button" className="icon" aria-label={`${THEME_LABEL[theme]} (change)`} title={THEME_LABEL[theme]} onClick={() => ui.cycleTheme()}>
        <span aria-hidden="true">{THEME_ICON[theme]}</span>
      </button>
      <button type="button" className="icon" aria-label="Settings" title="Settings" onClick={() => ui.setSettings(true)}>
        <span aria-hidden="true">⚙</span>
      </button>
      <button type="button" className="icon" aria-label="Keyboard shortcuts and help" title="Help (?)" onClick={() => ui.setHelp(true)}>
        <span aria-hidden="true">?</span>
      </button>
    </header>
  );
}

function SearchBox() {
  const app = useApp();
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
      placeholder="Search name, ID, description, image"
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
