import type { SnapdeskApi } from '../../electron/app/contract';
import { createWebClient } from './web-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser transport. */
    snapdesk?: SnapdeskApi;
  }
}

/** The API of whichever shell hosts the renderer: Electron's bridge or the browser transport. */
export function getApi(): SnapdeskApi {
  return window.snapdesk ?? createWebClient();
}
