import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppModel } from './app-model';
import type { Stores } from './stores';
import type { ImportState } from '../features/imports/import-store';
import type { RegistryState } from '../features/registry/registry-store';
import { isDesktop, type SettingsState } from '../features/settings/settings-store';
import type { SelectionState } from '../features/snapshots/selection-store';
import type { SnapshotsState } from '../features/snapshots/snapshots-store';
import type { ViewState } from '../features/snapshots/view-store';
import type { TasksState } from '../features/transfers/tasks-store';
import type { UploadsState } from '../features/transfers/uploads-store';
import type { UiState } from '../shared/ui-store';

/** This window's stores and features' actions; never a module global, so tests pass a model over a fake API. */
export const AppContext = createContext<AppModel | null>(null);

export function useApp(): AppModel {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}

export function useStores(): Stores {
  return useApp().stores;
}

export const useSnapshots = <T,>(sel: (s: SnapshotsState) => T): T => useStore(useStores().snapshots, sel);
export const useSelection = <T,>(sel: (s: SelectionState) => T): T => useStore(useStores().selection, sel);
export const useView = <T,>(sel: (s: ViewState) => T): T => useStore(useStores().view, sel);
export const useTasks = <T,>(sel: (s: TasksState) => T): T => useStore(useStores().tasks, sel);
export const useUi = <T,>(sel: (s: UiState) => T): T => useStore(useStores().ui, sel);
export const useImports = <T,>(sel: (s: ImportState) => T): T => useStore(useStores().imports, sel);
export const useUploads = <T,>(sel: (s: UploadsState) => T): T => useStore(useStores().uploads, sel);
export const useSettings = <T,>(sel: (s: SettingsState) => T): T => useStore(useStores().settings, sel);
export const useRegistry = <T,>(sel: (s: RegistryState) => T): T => useStore(useStores().registry, sel);

/** True in the desktop app, where folders can be shown and native dialogs exist. */
export const useIsDesktop = (): boolean => useSettings(isDesktop);
