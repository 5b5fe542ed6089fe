/**
 * kill -9 in the middle of a pull: the bundled CLI pulls through a proxy
 * that stalls a blob halfway, is killed, and the store lists nothing; GC
 * then removes the pending record and its data directory.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-core/registry/client';
import { DigestCache } from '../../src-core/registry/digest-cache';
import { pushSnapshot } from '../../src-core/registry/push';
import { parseReference } from '../../src-core/registry/reference';
import { buildBundles, type Bundles } from '../cli/build-cli';
import { registryAvailable, SKIP_REASON, startRegistry, type TestRegistry } from './helpers/registry-server';
import { dataDirsOf, indexRecords, makeSnapshot, MiB, tempStore } from './helpers/snapshots';

/** Forwards to the registry; any blob bigger than 2 MiB is sent only halfway, then the connection hangs. */
function stallingProxy(upstreamPort: number, onStall: () => void): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const length = Number(upRes.headers['content-length'] ?? 0);
      if (!(req.method === 'GET' && req.url?.includes('/blobs/sha256:') && length > 2 * MiB)) {
        upRes.pipe(res);
        return;
      }
      let sent = 0;
      upRes.on('data', (chunk: Buffer) => {
        if (sent >= length / 2) return;
        res.write(chunk);
        sent += chunk.length;
        if (sent >= length / 2) {
          upRes.pause();
          onStall();
        }
      });
    });
    req.pipe(up);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          server.closeAllConnections();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

describe.skipIf(!registryAvailable)(`a pull killed with SIGKILL${registryAvailable ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let registry: TestRegistry;
  let bundles: Bundles;
  beforeAll(async () => {
    [registry, bundles] = await Promise.all([startRegistry(), buildBundles()]);
  });
  afterAll(async () => {
    await registry?.stop();
    await bundles?.cleanup();
  });

  it('leaves nothing listed, and GC removes what it left', async () => {
    const a = await tempStore();
    const b = await tempStore();
    let stalled = (): void => undefined;
    const stall = new Promise<void>((r) => (stalled = r));
    const proxy = await stallingProxy(registry.port, () => stalled());
    try {
      await makeSnapshot(a.store, 'vm', { memoryBytes: 6 * MiB });
      await pushSnapshot(a.store, 'vm', parseReference(`${registry.host}/kill/vm:v1`), new RegistryClient({ registry: registry.host, credentials: null }), { cache: new DigestCache() });

      const child = spawn(process.execPath, [bundles.cli, '--root', b.root, 'pull', `127.0.0.1:${proxy.port}/kill/vm:v1`], { env: bundles.env, stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await stall;
      // The import reserves its pending record once snapshot.json is read (the stream may run ahead of it), and
      // makes its data directory just after: both are there before the kill (on a loaded machine the gap shows).
      let pending: [string, { pending?: boolean }][] = [];
      for (let i = 0; i < 100; i++) {
        pending = Object.entries(await indexRecords(b.root)).filter(([, r]) => r.pending);
        if (pending.length > 0 && (await dataDirsOf(b.root)).includes(pending[0]![0])) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(pending).toHaveLength(1);
      child.kill('SIGKILL');
      await exited;

      expect(await b.store.list()).toEqual([]);
      expect(await dataDirsOf(b.root)).toEqual([pending[0]![0]]);
      const report = await b.store.gc();
      expect(report.removedStalePending).toEqual([pending[0]![0]]);
      expect(await dataDirsOf(b.root)).toEqual([]);
      expect(await indexRecords(b.root)).toEqual({});
    } finally {
      await proxy.close();
      await a.cleanup();
      await b.cleanup();
    }
  });
});
