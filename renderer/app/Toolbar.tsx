import { useEffect, useRef } from 'react';
import { useController, useSelection, useUi, useView } from './context';
import type { ThemeChoice } from '../shared/window-store';
import { TransfersIndicator } from '../features/transfers/TransfersIndicator';

const THEME_LABEL: Record<ThemeChoice, string> = { system: 'Theme: follows the system', light: 'Theme: light', dark: 'Theme: dark' };
const THEME_ICON: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/** The window's actions: import, export, delete, refresh, search, transfers, theme, settings, help. */
export function Toolbar() {
  const controller = useController();
  const count = useSelection((s) => s.selected.size);
  const theme = useUi((s) => s.theme);
  const ui = controller.stores.ui.getState();

  return (
    <header className="toolbar" aria-label="Toolbar">
      <button type="button" className="primary" onClick={() => void controller.pickImport()}>
        Import…
      </button>
      <button type="button" disabled={count === 0} onClick={() => void controller.exportSelected()}>
        Export
      </button>
      <button type="button" className="danger" disabled={count === 0} onClick={() => controller.askDeleteSelected()}>
        Delete
      </button>
      <button type="button" onClick={() => void controller.refresh()}>
        Refresh
      </button>
      <SearchBox />
      <span className="toolbar-spacer" />
      <TransfersIndicator />
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
  const controller = useController();
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
      onChange={(e) => controller.stores.view.getState().setQuery(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && query) {
          e.preventDefault();
          e.stopPropagation();
          controller.stores.view.getState().setQuery('');
        } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
          // Straight from the search to the results.
          e.preventDefault();
          const first = controller.stores.visible()[0];
          if (first) controller.showSnapshot(first.id);
        }
      }}
    />
  );
}
