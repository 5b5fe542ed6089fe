import type { RouteInput, RouteResult } from '../../electron/app/contract';
import { HTTP_ROUTES, routePath, type RouteName } from '../../electron/app/http-routes';
import { SnapDeskError } from '../../src-core/errors';
import { readServerAnswer } from './server-answer';

/** Where a page keeps its session secret across reloads of the tab (never the printed token). */
export interface SecretStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const SECRET_KEY = 'snapdesk.session';

export interface WebSessionOptions {
  baseUrl: string;
  fetch: typeof fetch;
  /** The printed token, traded for a session secret on first use. */
  token?: string;
  storage?: SecretStorage;
}

/** Things a request to a route may carry beyond its declaration. */
export interface RouteRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

const notSignedIn = (): SnapDeskError =>
  new SnapDeskError('invalid_input', 'not signed in: open the address printed by the server (it ends with #token=…)');

/**
 * The page's side of signing in: the printed token (from the address's
 * fragment) is traded once for a session secret, kept in memory and the
 * tab's sessionStorage and sent as `Authorization: Bearer`; the event stream
 * and downloads, which a browser opens without headers, get tickets.
 * Requests are built from the route table, never spelled out by hand.
 */
export function createWebSession(opts: WebSessionOptions) {
  let secret: Promise<string> | null = null;
  let token = opts.token;

  const url = (route: RouteName, req: RouteRequest = {}): string => {
    const query = req.query ? `?${new URLSearchParams(req.query).toString()}` : '';
    return `${opts.baseUrl}${routePath(route, req.params)}${query}`;
  };

  async function open(): Promise<string> {
    const kept = opts.storage?.getItem(SECRET_KEY);
    if (kept) return kept;
    if (!token) throw notSignedIn();
    const given = token;
    // Spent: a later sign-in needs the address again, not a token lying in memory.
    token = undefined;
    const opened = await request('session.open', { body: { token: given } satisfies RouteInput<'session.open'> }, false);
    opts.storage?.setItem(SECRET_KEY, opened.secret);
    return opened.secret;
  }

  /** The session secret, opened on first use. */
  function sessionSecret(): Promise<string> {
    secret ??= open().catch((err: unknown) => {
      secret = null;
      throw err;
    });
    return secret;
  }

  /** `Authorization` for a request of a session route. */
  async function authHeaders(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await sessionSecret()}` };
  }

  /** Sends a JSON route and reads its envelope. */
  async function request<R extends RouteName>(route: R, req: RouteRequest = {}, signed = HTTP_ROUTES[route].auth === 'session'): Promise<RouteResult<R>> {
    const spec = HTTP_ROUTES[route];
    const response = await opts.fetch(url(route, req), {
      method: spec.method,
      headers: { 'Content-Type': 'application/json', ...(signed ? await authHeaders() : {}) },
      body: req.body === undefined ? '' : JSON.stringify(req.body),
      credentials: 'omit',
      signal: req.signal,
    });
    if (response.status === 401 && signed) forget();
    return readServerAnswer<RouteResult<R>>(response.status, response.headers.get('content-type') ?? '', await response.text());
  }

  /** The session was refused (the server restarted): forget it, so the next sign-in starts over. */
  function forget(): void {
    secret = null;
    opts.storage?.removeItem(SECRET_KEY);
  }

  /** The URL of a ticket route (the event stream, a download) with a fresh single-use ticket. */
  async function ticketUrl(route: 'events.stream' | 'exports.download', purpose: RouteInput<'tickets.issue'>, params?: Record<string, string>): Promise<string> {
    const { ticket } = await request('tickets.issue', { body: purpose });
    return url(route, { params, query: { ticket } });
  }

  return { url, request, authHeaders, ticketUrl };
}

export type WebSession = ReturnType<typeof createWebSession>;
