import { createStore } from 'zustand/vanilla';
import type { AppInfo, Settings } from '../../contract';

/** What the host told us about itself (desktop or browser, version) and where its store is. */
export interface SettingsState {
  info: AppInfo | null;
  settings: Settings | null;
  setInfo(info: AppInfo): void;
  setSettings(settings: Settings): void;
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;

export function createSettingsStore() {
  return createStore<SettingsState>()((set) => ({
    info: null,
    settings: null,
    setInfo: (info) => set({ info }),
    setSettings: (settings) => set({ settings }),
  }));
}

/** True in the desktop app, where folders can be shown and native dialogs exist. */
export const isDesktop = (s: SettingsState): boolean => s.info?.transport === 'electron';
