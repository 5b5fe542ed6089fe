import type { SnapdeskApi } from '../../electron/app/contract';
import { createWebClient } from './web-client';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the web shell. */
    snapdesk?: SnapdeskApi;
  }
}

/**
 * The printed token from the address's fragment (`#token=…`), which no
 * request carries, removed from the address bar and history at once.
 */
export function takeTokenFromAddress(location: Location, history: History): string | undefined {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token === null) return undefined;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return token;
}

let webClient: SnapdeskApi | null = null;

/** The API of whichever shell hosts the renderer: Electron's bridge, or the web shell's client signed in with the address's token. */
export function getApi(): SnapdeskApi {
  if (window.snapdesk) return window.snapdesk;
  webClient ??= createWebClient({ token: takeTokenFromAddress(window.location, window.history), storage: window.sessionStorage });
  return webClient;
}
