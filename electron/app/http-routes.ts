/**
 * The HTTP routes of the web shell, declared once: method, path (with
 * `:param` segments), how a request proves it is signed in, and what its
 * body is. The server routes from this table and the browser client builds
 * its requests from it; `contract.ts` holds each route's input schema and
 * result type (zod stays out of this file, so the client can import it
 * without bundling zod) and checks at compile time that both tables name the
 * same routes.
 */

/**
 * How a route authenticates:
 * - `token`: the printed token itself, in the JSON body (only to open a session);
 * - `session`: `Authorization: Bearer <session secret>`;
 * - `ticket`: `?ticket=`, a short-lived single-use ticket (for what a browser
 *   opens without headers: the event stream, a download).
 */
export type RouteAuth = 'token' | 'session' | 'ticket';

/** What a route's request carries: JSON, a file as the raw body (name in a header, size in Content-Length), or nothing. */
export type RouteBody = 'json' | 'file' | 'none';

export interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  auth: RouteAuth;
  body: RouteBody;
}

export const HTTP_ROUTES = {
  /** Trades the printed token for a session secret. */
  'session.open': { method: 'POST', path: '/api/session', auth: 'token', body: 'json' },
  /** A single-use ticket for the event stream or one download. */
  'tickets.issue': { method: 'POST', path: '/api/tickets', auth: 'session', body: 'json' },
  /** Any call of the contract's `calls` table, answered with an envelope. */
  'calls.invoke': { method: 'POST', path: '/api/call/:name', auth: 'session', body: 'json' },
  /** Whether the server can take a batch of uploads (size limit, free space), before any byte is sent. */
  'uploads.check': { method: 'POST', path: '/api/archives/check', auth: 'session', body: 'json' },
  /** One archive as the request body (its name in UPLOAD_FILE_NAME_HEADER of src-core/rules); answers its ArchiveRef. */
  'uploads.send': { method: 'POST', path: '/api/archives', auth: 'session', body: 'file' },
  /** The archive of a browser export task, streamed as it is written. */
  'exports.download': { method: 'GET', path: '/api/exports/:taskId', auth: 'ticket', body: 'none' },
  /** Server-sent events: every event of the contract, by its name. */
  'events.stream': { method: 'GET', path: '/api/events', auth: 'ticket', body: 'none' },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof HTTP_ROUTES;

export const ROUTE_NAMES = Object.keys(HTTP_ROUTES) as RouteName[];

/** The query parameter carrying a ticket. */
export const TICKET_PARAM = 'ticket';

/** The path of `route` with its `:params` filled in (URI-encoded). */
export function routePath(route: RouteName, params: Record<string, string> = {}): string {
  return HTTP_ROUTES[route].path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new TypeError(`route ${route} needs :${key}`);
    return encodeURIComponent(value);
  });
}

/** The route a request names and its decoded `:params`, or null for none of ours. */
export function matchRoute(method: string, path: string): { route: RouteName; params: Record<string, string> } | null {
  for (const route of ROUTE_NAMES) {
    const spec: RouteSpec = HTTP_ROUTES[route];
    if (spec.method !== method) continue;
    const want = spec.path.split('/');
    const got = path.split('/');
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      const w = want[i] as string;
      const g = got[i] as string;
      if (w.startsWith(':')) {
        try {
          params[w.slice(1)] = decodeURIComponent(g);
        } catch {
          ok = false;
        }
        ok &&= g !== '';
      } else ok = w === g;
    }
    if (ok) return { route, params };
  }
  return null;
}
