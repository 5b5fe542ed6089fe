import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebClient } from '../../../renderer/api/web-client';
import { startWebServer, type WebServer } from '../../../electron/web/server';
import { TestEventSource } from './sse-client';

/** A browser-transport server on a temp root and a web client talking to it with the Bearer token. */
export async function webApp(opts: { exportAttachTimeoutMs?: number; maxUploadBytes?: number } = {}) {
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
      const source = new TestEventSource(url, server.token);
      sources.push(source);
      return source;
    },
    download: (url) => void downloads.push(url),
    pickFiles: async () => [],
  });
  return {
    dir,
    root: join(dir, 'root'),
    server,
    client,
    downloads,
    sources,
    auth: { Authorization: `Bearer ${server.token}` },
    async close() {
      for (const s of sources) s.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
