import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createWebClient } from '../../../renderer/api/web-client';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../electron/web/server';
import { TestEventSource } from './sse-client';

/** Trades the printed token for a session secret, as the page does. */
export async function openSession(server: WebServer): Promise<string> {
  const res = await fetch(`${server.origin}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: server.token }) });
  const answer = (await res.json()) as { ok: boolean; result: { secret: string } };
  if (!answer.ok) throw new Error('could not sign in');
  return answer.result.secret;
}

/** A single-use ticket of `secret`'s session. */
export async function issueTicket(server: WebServer, secret: string, purpose: { purpose: 'events' } | { purpose: 'download'; taskId: string }): Promise<string> {
  const res = await fetch(`${server.origin}/api/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: JSON.stringify(purpose) });
  return ((await res.json()) as { result: { ticket: string } }).result.ticket;
}

/** A web-shell server on a temp root and a web client signed in to it with the printed token. */
export async function webApp(opts: Omit<WebServerOptions, 'root' | 'port' | 'rendererDir'> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'snapdesk-web-'));
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Snapshot Desk</title>');
  const server: WebServer = await startWebServer({ root: join(dir, 'root'), port: 0, rendererDir: join(dir, 'renderer'), ...opts });
  const downloads: string[] = [];
  const sources: TestEventSource[] = [];
  const client = createWebClient({
    baseUrl: server.origin,
    token: server.token,
    openEvents: (url) => {
      const source = new TestEventSource(url);
      sources.push(source);
      return source;
    },
    download: (url) => void downloads.push(url),
  });
  const secret = await openSession(server);
  return {
    dir,
    root: join(dir, 'root'),
    server,
    client,
    downloads,
    sources,
    /** A session of its own, for requests sent by hand. */
    auth: { Authorization: `Bearer ${secret}` },
    /** The download address of export task `taskId`, with a fresh ticket. */
    async downloadUrl(taskId: string): Promise<string> {
      return `${server.origin}/api/exports/${taskId}?ticket=${await issueTicket(server, secret, { purpose: 'download', taskId })}`;
    },
    /** Resolves once the client's event stream is open. */
    async eventsOpened(): Promise<void> {
      await expect.poll(() => sources.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await sources[0]?.opened;
    },
    async close() {
      for (const s of sources) s.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
