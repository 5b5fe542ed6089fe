import { createStore } from 'zustand/vanilla';
import type { AppInfo, Settings } from '../../contract';

/** What the host told us about itself: desktop or browser, and the store root. */
export interface AppState {
  info: AppInfo | null;
  settings: Settings | null;
  setInfo(info: AppInfo): void;
  setSettings(settings: Settings): void;
}

export function createAppStore() {
  return createStore<AppState>()((set) => ({
    info: null,
    settings: null,
    setInfo: (info) => set({ info }),
    setSettings: (settings) => set({ settings }),
  }));
}
