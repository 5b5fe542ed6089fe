import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Controller } from './controller';
import type { Stores } from './stores';
import type { AppState } from '../features/settings/settings-store';
import type { ImportState } from '../features/imports/import-store';
import type { SelectionState } from '../features/snapshots/selection-store';
import type { SnapshotsState } from '../features/snapshots/snapshots-store';
import type { TasksState } from '../features/transfers/tasks-store';
import type { UiState } from '../shared/window-store';
import type { UploadsState } from '../features/transfers/uploads-store';
import type { ViewState } from '../features/snapshots/view-store';

/** The injected API (through its controller) and this window's stores; never a module global, so tests pass a fake. */
export const AppContext = createContext<Controller | null>(null);

export function useController(): Controller {
  const c = useContext(AppContext);
  if (!c) throw new Error('useController outside <AppProvider>');
  return c;
}

export function useStores(): Stores {
  return useController().stores;
}

export const useSnapshots = <T,>(sel: (s: SnapshotsState) => T): T => useStore(useStores().snapshots, sel);
export const useSelection = <T,>(sel: (s: SelectionState) => T): T => useStore(useStores().selection, sel);
export const useView = <T,>(sel: (s: ViewState) => T): T => useStore(useStores().view, sel);
export const useTasks = <T,>(sel: (s: TasksState) => T): T => useStore(useStores().tasks, sel);
export const useUi = <T,>(sel: (s: UiState) => T): T => useStore(useStores().ui, sel);
export const useImports = <T,>(sel: (s: ImportState) => T): T => useStore(useStores().imports, sel);
export const useUploads = <T,>(sel: (s: UploadsState) => T): T => useStore(useStores().uploads, sel);
export const useAppInfo = <T,>(sel: (s: AppState) => T): T => useStore(useStores().app, sel);

/** True in the desktop app, where folders can be shown and native dialogs exist. */
export const useIsDesktop = (): boolean => useAppInfo((s) => s.info?.transport === 'electron');
