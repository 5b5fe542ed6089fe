import { useEffect, useState } from 'react';
import type { SnapdeskApi } from './contract';
import { AppContext } from './app/context';
import { Controller } from './app/controller';
import { ContextMenu } from './components/ContextMenu';
import { DeleteDialog } from './components/DeleteDialog';
import { DropTarget } from './components/DropTarget';
import { HelpOverlay } from './components/HelpOverlay';
import { ImportDialog } from './components/ImportDialog';
import { InspectPanel } from './components/InspectPanel';
import { PullDialog } from './components/PullDialog';
import { PushDialog } from './components/PushDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { SignInDialog } from './components/SignInDialog';
import { SnapshotsView } from './components/SnapshotsView';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { Toolbar } from './components/Toolbar';
import { TransfersPanel } from './components/TransfersPanel';
import { RestorePrompt } from './features/trash/RestorePrompt';
import { TrashConfirm } from './features/trash/TrashConfirm';
import { TrashView } from './features/trash/TrashView';
import { useShortcuts } from './hooks/use-shortcuts';
import { createStores } from './state/stores';
import type { ThemeChoice } from './state/ui-store';
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
            {/* Docked under the list: it never covers the details pane the user is working in. */}
            <TransfersPanel />
          </section>
          <InspectPanel />
        </main>
        <StatusBar />
        <ContextMenu />
        <DeleteDialog />
        <ImportDialog />
        <PushDialog />
        <PullDialog />
        <SignInDialog />
        <HelpOverlay />
        <SettingsDialog />
        <TrashView />
        <TrashConfirm />
        <RestorePrompt />
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
