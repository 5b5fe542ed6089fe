/**
 * Push and pull through a real registry (docker-registry, anonymous),
 * checked both ways against an independent model of epoch's push and pull:
 * byte-exact data, holes kept, the artifact's exact shape.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseReference } from '../../src-core/registry/reference';
import { RegistryClient } from '../../src-core/registry/client';
import { pushSnapshot } from '../../src-core/registry/push';
import { pullSnapshot } from '../../src-core/registry/pull';
import { DigestCache } from '../../src-core/registry/digest-cache';
import { referencePull, referencePush } from './helpers/epoch-reference';
import { registryAvailable, SKIP_REASON, startRegistry, type TestRegistry } from './helpers/registry-server';
import { expectSameData, makeSnapshot, tempStore, type TempStore } from './helpers/snapshots';

const FIXTURES = path.join(__dirname, '../fixtures/good');
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function tarEntries(bytes: Buffer): Promise<{ name: string; mode: number; pax: Record<string, string>; body: Buffer }[]> {
  const out: { name: string; mode: number; pax: Record<string, string>; body: Buffer }[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({ name: h.name, mode: h.mode ?? 0, pax: (h.pax ?? {}) as Record<string, string>, body: Buffer.concat(chunks) });
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([bytes]).pipe(extract);
  await done;
  return out;
}

describe.skipIf(!registryAvailable)(`registry interop with epoch's format${registryAvailable ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let registry: TestRegistry;
  let a: TempStore;
  let b: TempStore;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, credentials: null });
  });
  afterAll(async () => {
    await registry?.stop();
  });
  beforeEach(async () => {
    a = await tempStore();
    b = await tempStore();
  });
  afterEach(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it('our push is pulled by the epoch model byte-exact, sparse maps and holes included, with the exact artifact shape', async () => {
    const { id, config } = await makeSnapshot(a.store, 'web-golden');
    const target = parseReference(`${registry.host}/team/web-golden:v1`);
    const result = await pushSnapshot(a.store, 'web-golden', target, client, { cache: new DigestCache(), chunkSize: 3 * 1024 * 1024 });
    expect(result.layers).toBe(6);

    const base = `http://${registry.host}`;
    const manifestRes = await fetch(`${base}/v2/team/web-golden/manifests/v1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const manifestBytes = Buffer.from(await manifestRes.arrayBuffer());
    expect(`sha256:${sha(manifestBytes)}`).toBe(result.digest);
    const manifest = JSON.parse(manifestBytes.toString()) as Record<string, unknown> & { layers: { mediaType: string; size: number; annotations: Record<string, string> }[]; config: { mediaType: string; digest: string } };
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers', 'annotations']);
    expect(manifest.artifactType).toBe('application/vnd.cocoonstack.snapshot.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.cocoonstack.snapshot.config.v1+json');
    expect((manifest.annotations as Record<string, string>)['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(manifest.layers.map((l) => [l.annotations['org.opencontainers.image.title'], l.mediaType])).toEqual([
      ['cidata.img', 'application/vnd.cocoonstack.vm.cidata'],
      ['config.json', 'application/vnd.cocoonstack.vm.config+json'],
      ['cow.raw', 'application/vnd.cocoonstack.disk.raw'],
      ['empty.bin', 'application/octet-stream'],
      ['memory-ranges', 'application/vnd.cocoonstack.vm.memory'],
      ['state.json', 'application/vnd.cocoonstack.vm.state+json'],
    ]);
    expect(manifestBytes.toString()).toContain('\n  "schemaVersion": 2,\n');

    const cfgRes = await fetch(`${base}/v2/team/web-golden/blobs/${manifest.config.digest}`);
    const cfgText = await cfgRes.text();
    const cfg = JSON.parse(cfgText) as Record<string, unknown> & { files: Record<string, { mode?: number; sparseMap?: string; sparseSize?: number }> };
    expect(Object.keys(cfg)).toEqual(['schemaVersion', 'snapshotId', 'description', 'image', 'imageDigest', 'imageType', 'imageBlobIds', 'hypervisor', 'cpu', 'memory', 'storage', 'nics', 'network', 'files', 'createdAt']);
    expect(cfg.snapshotId).toBe(id);
    expect(cfgText).toContain('"description":"golden \\u003cweb\\u003e \\u0026 cache"');
    expect(Object.keys(cfg.imageBlobIds as object)).toEqual(['01'.repeat(32), 'cd'.repeat(32)]);
    expect(cfg.files['cow.raw']?.sparseSize).toBe(16 * 1024 * 1024);
    expect(cfg.files['cow.raw']?.sparseMap).toMatch(/^\[\{"o":0,"l":\d+\}/);
    const memStat = await fs.stat(path.join((await a.store.dataDir(id)).dir, 'memory-ranges'));
    expect(cfg.files['memory-ranges']).toEqual({ mode: memStat.mode & 0o777 });
    expect(cfg.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    // The epoch model's pull: the tar it would hand to cocoon snapshot import.
    const imported = await referencePull({ base }, 'team/web-golden', 'v1', 'copy');
    const entries = await tarEntries(imported);
    expect(entries[0]?.name).toBe('snapshot.json');
    const envelope = JSON.parse(entries[0]!.body.toString()) as { config: Record<string, unknown> };
    expect(envelope.config).toMatchObject({ name: 'copy', cpu: config.cpu, memory: config.memory, hypervisor: config.hypervisor, image: config.image, nics: 1 });
    const srcDir = (await a.store.dataDir(id)).dir;
    for (const e of entries.slice(1)) {
      const original = await fs.readFile(path.join(srcDir, e.name));
      if (e.pax['COCOON.sparse.map']) {
        // Rebuild the file from its segments: the layer held only the data.
        const segments = JSON.parse(e.pax['COCOON.sparse.map']) as { o: number; l: number }[];
        const rebuilt = Buffer.alloc(Number(e.pax['COCOON.sparse.size']));
        let at = 0;
        for (const s of segments) {
          e.body.copy(rebuilt, s.o, at, at + s.l);
          at += s.l;
        }
        expect(at).toBe(e.body.length);
        expect(e.body.length).toBeLessThan(rebuilt.length);
        expect(sha(rebuilt)).toBe(sha(original));
      } else {
        expect(sha(e.body)).toBe(sha(original));
      }
    }
    // And that tar imports (as cocoon would take it) into the same bytes with the holes kept.
    const newId = await b.store.import(Readable.from([imported]));
    await expectSameData(expect, srcDir, (await b.store.dataDir(newId)).dir);
  });

  it("the epoch model's push of a cocoon archive pulls into the store byte-exact, holes included", async () => {
    const archive = gunzipSync(await fs.readFile(path.join(FIXTURES, 'cocoon-ch.tar.gz')));
    const expected = JSON.parse(await fs.readFile(path.join(FIXTURES, 'expect.json'), 'utf8')) as Record<string, { files: Record<string, { size: number; sha256: string }> }>;
    await referencePush({ base: `http://${registry.host}` }, 'golden/web', 'latest', archive);

    const { id, preview } = await pullSnapshot(client, parseReference(`${registry.host}/golden/web`), b.store, { description: 'from the registry' });
    expect(preview.defaultName).toBe('web');
    expect(preview.config).toMatchObject({ name: 'web', cpu: 2, memory: 1073741824, hypervisor: 'cloud-hypervisor' });
    const snap = await b.store.inspect(id);
    expect(snap.name).toBe('web');
    expect(snap.description).toBe('from the registry');
    const want = expected['cocoon-ch.tar.gz']!.files;
    expect(snap.files.map((f) => f.name).sort()).toEqual(Object.keys(want).sort());
    for (const f of snap.files) {
      const bytes = await fs.readFile(path.join(snap.data_dir, f.name));
      expect([f.name, bytes.length, sha(bytes)]).toEqual([f.name, want[f.name]!.size, want[f.name]!.sha256]);
    }
    const cow = snap.files.find((f) => f.name === 'cow.raw')!;
    expect(cow.allocated).toBeLessThan(cow.size / 4);
  });

  it('a second push of an unchanged snapshot uploads nothing, and a push to another repository mounts the blobs', async () => {
    await makeSnapshot(a.store, 'reuse', { memoryBytes: 2 * 1024 * 1024 });
    const cache = new DigestCache();
    const first = await pushSnapshot(a.store, 'reuse', parseReference(`${registry.host}/reuse/one:a`), client, { cache, chunkSize: 256 * 1024, concurrency: 2 });
    expect(first.uploadedBytes).toBe(first.dataBytes);
    const again = await pushSnapshot(a.store, 'reuse', parseReference(`${registry.host}/reuse/one:b`), client, { cache });
    expect(again.uploadedBytes).toBe(0);
    const elsewhere = await pushSnapshot(a.store, 'reuse', parseReference(`${registry.host}/reuse/two:a`), client, { cache });
    expect(elsewhere.uploadedBytes).toBe(0);
    expect(elsewhere.reusedBytes).toBe(first.dataBytes);
    const { id } = await pullSnapshot(client, parseReference(`${registry.host}/reuse/two:a`), b.store);
    await expectSameData(expect, (await a.store.dataDir('reuse')).dir, (await b.store.dataDir(id)).dir);
  });
});
