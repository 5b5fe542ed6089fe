import { useEffect, useState } from 'react';
import type { SnapdeskApi } from './contract';
import { AppContext } from './app/context';
import { Controller } from './app/controller';
import { ContextMenu } from './features/snapshots/ContextMenu';
import { DeleteDialog } from './features/snapshots/DeleteDialog';
import { DropTarget } from './features/imports/DropTarget';
import { HelpOverlay } from './app/HelpOverlay';
import { ImportDialog } from './features/imports/ImportDialog';
import { InspectPanel } from './features/snapshots/InspectPanel';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { SnapshotsView } from './features/snapshots/SnapshotsView';
import { Toasts } from './shared/Toasts';
import { Toolbar } from './app/Toolbar';
import { TransfersPanel } from './features/transfers/TransfersPanel';
import { useShortcuts } from './app/use-shortcuts';
import { createStores } from './app/stores';
import type { ThemeChoice } from './shared/window-store';
import { useStore } from 'zustand';

interface AppProps {
  api: SnapdeskApi;
  /** Tests may pass a controller to reach its stores; otherwise one is made for `api`. */
  controller?: Controller;
}

/** The Snapshot Desk window. */
export function App({ api, controller: given }: AppProps) {
  const [controller] = useState(() => given ?? new Controller(api, createStores()));
  const theme = useStore(controller.stores.ui, (s) => s.theme);

  useEffect(() => controller.start(), [controller]);
  useShortcuts(controller);
  useEffect(() => applyTheme(theme), [theme]);

  return (
    <AppContext.Provider value={controller}>
      <div className="app">
        <Toolbar />
        <main className="main">
          <section className="list-pane" aria-label="Snapshot list">
            <SnapshotsView />
          </section>
          <InspectPanel />
        </main>
        <TransfersPanel />
        <ContextMenu />
        <DeleteDialog />
        <ImportDialog />
        <HelpOverlay />
        <SettingsDialog />
        <Toasts />
        <DropTarget />
      </div>
    </AppContext.Provider>
  );
}

/** "system" leaves the choice to prefers-color-scheme in the CSS. */
function applyTheme(theme: ThemeChoice): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
