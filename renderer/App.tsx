import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { SnapdeskApi } from './contract';
import { createAppModel, type AppModel } from './app/app-model';
import { AppContext } from './app/context';
import { HelpOverlay } from './app/HelpOverlay';
import { Toolbar } from './app/Toolbar';
import { useShortcuts } from './app/use-shortcuts';
import { DropTarget } from './features/imports/DropTarget';
import { ImportDialog } from './features/imports/ImportDialog';
import { PullDialog } from './features/registry/PullDialog';
import { PushDialog } from './features/registry/PushDialog';
import { SignInDialog } from './features/registry/SignInDialog';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { ContextMenu } from './features/snapshots/ContextMenu';
import { DeleteDialog } from './features/snapshots/DeleteDialog';
import { InspectPanel } from './features/snapshots/InspectPanel';
import { SnapshotsView } from './features/snapshots/SnapshotsView';
import { TransfersPanel } from './features/transfers/TransfersPanel';
import { StatusBar } from './features/snapshots/StatusBar';
import { RestorePrompt } from './features/trash/RestorePrompt';
import { TrashConfirm } from './features/trash/TrashConfirm';
import { TrashView } from './features/trash/TrashView';
import { keepFocusInWindow } from './shared/list-focus';
import { Toasts } from './shared/Toasts';
import type { ThemeChoice } from './shared/ui-store';

interface AppProps {
  api: SnapdeskApi;
  /** Tests may pass a model to reach its stores; otherwise one is made for `api`. */
  model?: AppModel;
}

/** The Snapshot Desk window. */
export function App({ api, model }: AppProps) {
  const [app] = useState(() => model ?? createAppModel(api));
  const theme = useStore(app.stores.ui, (s) => s.theme);

  useEffect(() => app.start(), [app]);
  useEffect(() => keepFocusInWindow(), []);
  useShortcuts(app);
  useEffect(() => applyTheme(theme), [theme]);

  return (
    <AppContext.Provider value={app}>
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
