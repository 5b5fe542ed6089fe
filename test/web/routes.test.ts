import { describe, expect, it } from 'vitest';
import { routes } from '../../electron/app/contract';
import { HTTP_ROUTES, matchRoute, ROUTE_NAMES, routePath } from '../../electron/app/http-routes';
import { webApp } from './helpers/web-app';

const sampleParams = { name: 'snapshots.list', taskId: 'a b/c' };

describe('HTTP routes declared once', () => {
  it('every route’s path, filled in, is matched back to it with its params decoded; nothing else matches', () => {
    for (const route of ROUTE_NAMES) {
      const spec = HTTP_ROUTES[route];
      const params = Object.fromEntries([...spec.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => [m[1] as string, sampleParams[m[1] as keyof typeof sampleParams]]));
      const path = routePath(route, params);
      expect(matchRoute(spec.method, path)).toEqual({ route, params });
      expect(matchRoute(spec.method === 'GET' ? 'POST' : 'GET', path)).toBeNull();
    }
    expect(routePath('exports.download', { taskId: 'a b/c' })).toBe('/api/exports/a%20b%2Fc');
    expect(matchRoute('GET', '/api/exports/')).toBeNull();
    expect(matchRoute('GET', '/api/exports/x/y')).toBeNull();
    expect(matchRoute('POST', '/api/archives/other')).toBeNull();
    expect(() => routePath('exports.download')).toThrow(/needs :taskId/);
  });

  it('every declared route has an input schema and a result in the contract', () => {
    expect(Object.keys(routes).sort()).toEqual([...ROUTE_NAMES].sort());
  });

  it('the server answers every declared route, each refusing a request that has not signed in the way it declares', async () => {
    const app = await webApp();
    try {
      for (const route of ROUTE_NAMES) {
        const spec = HTTP_ROUTES[route];
        const res = await fetch(`${app.server.origin}${routePath(route, { name: 'snapshots.list', taskId: 'abc' })}`, {
          method: spec.method,
          headers: spec.method === 'POST' ? { 'Content-Type': 'application/json' } : {},
          body: spec.method === 'POST' ? JSON.stringify(route === 'session.open' ? { token: 'wrong' } : {}) : undefined,
        });
        expect([route, res.status]).toEqual([route, 401]);
        expect(await res.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
      const undeclared = await fetch(`${app.server.origin}/api/archives`, { headers: app.auth });
      expect(undeclared.status).toBe(404);
      expect(await undeclared.json()).toMatchObject({ ok: false, error: { message: 'no such endpoint: GET /api/archives' } });
    } finally {
      await app.close();
    }
  });
});
