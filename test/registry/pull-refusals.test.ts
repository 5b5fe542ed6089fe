/**
 * What a pull refuses, and that a refused or cancelled pull leaves nothing:
 * a blob damaged in the registry's storage, manifests that are not
 * snapshots, hostile titles, a name in use; plus image-index resolution and
 * pulling by digest.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isSnapDeskError } from '../../src-core/errors';
import { RegistryClient } from '../../src-core/registry/client';
import { DigestCache } from '../../src-core/registry/digest-cache';
import { planPull, pullSnapshot } from '../../src-core/registry/pull';
import { pushSnapshot } from '../../src-core/registry/push';
import { parseReference } from '../../src-core/registry/reference';
import { registryAvailable, SKIP_REASON, startRegistry, type TestRegistry } from './helpers/registry-server';
import { dataDirsOf, indexRecords, makeSnapshot, tempStore, type TempStore } from './helpers/snapshots';

const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function putBlob(base: string, repo: string, body: Buffer): Promise<string> {
  const digest = digestOf(body);
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const loc = new URL(start.headers.get('location')!, base);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, { method: 'PUT', body: new Uint8Array(body) });
  expect(put.status).toBe(201);
  return digest;
}

async function putManifest(base: string, repo: string, tag: string, mediaType: string, body: object): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body));
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'Content-Type': mediaType }, body: new Uint8Array(bytes) });
  expect([res.status, await res.text()]).toEqual([201, '']);
  return digestOf(bytes);
}

async function expectNothingLeft(t: TempStore): Promise<void> {
  expect(await t.store.list()).toEqual([]);
  expect(await dataDirsOf(t.root)).toEqual([]);
  expect(Object.keys(await indexRecords(t.root))).toEqual([]);
}

describe.skipIf(!registryAvailable)(`pull refusals and index resolution${registryAvailable ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  let base: string;
  let a: TempStore;
  let b: TempStore;

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host, credentials: null });
    base = `http://${registry.host}`;
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

  it("a blob damaged in the registry's storage is caught while streaming and nothing is kept", async () => {
    await makeSnapshot(a.store, 'victim', { memoryBytes: 3 * 1024 * 1024 });
    await pushSnapshot(a.store, 'victim', parseReference(`${registry.host}/damage/victim:v1`), client, { cache: new DigestCache() });
    const manifest = (await (await fetch(`${base}/v2/damage/victim/manifests/v1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } })).json()) as {
      layers: { digest: string; annotations: Record<string, string> }[];
    };
    const memory = manifest.layers.find((l) => l.annotations['org.opencontainers.image.title'] === 'memory-ranges')!;
    const file = registry.blobPath(memory.digest);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10]! + 1) % 256; // same size, one byte off near the end
    await fs.writeFile(file, bytes);

    const err = await pullSnapshot(client, parseReference(`${registry.host}/damage/victim:v1`), b.store).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'registry')).toBe(true);
    expect((err as Error).message).toMatch(/memory-ranges .* is damaged: its content does not match its sha256 digest; nothing was kept/);
    await expectNothingLeft(b);
  });

  it('an image index resolves to linux/amd64, else the first child with a known platform, as epoch picks', async () => {
    await makeSnapshot(a.store, 'amd');
    await makeSnapshot(a.store, 'arm');
    const cache = new DigestCache();
    const amd = await pushSnapshot(a.store, 'amd', parseReference(`${registry.host}/multi/vm:amd`), client, { cache });
    const arm = await pushSnapshot(a.store, 'arm', parseReference(`${registry.host}/multi/vm:arm`), client, { cache });
    const entry = (digest: string, size: number, platform: object): object => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size, platform });
    const sizeOf = async (tag: string): Promise<number> => Number((await fetch(`${base}/v2/multi/vm/manifests/${tag}`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } })).headers.get('content-length'));
    const [amdSize, armSize] = [await sizeOf('amd'), await sizeOf('arm')];
    const index = (manifests: object[]): object => ({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests });
    await putManifest(base, 'multi/vm', 'both', 'application/vnd.oci.image.index.v1+json', index([entry(arm.digest, armSize, { os: 'linux', architecture: 'arm64' }), entry(amd.digest, amdSize, { os: 'linux', architecture: 'amd64' })]));
    await putManifest(base, 'multi/vm', 'noamd', 'application/vnd.oci.image.index.v1+json', index([entry(amd.digest, amdSize, { os: 'unknown', architecture: 'unknown' }), entry(arm.digest, armSize, { os: 'linux', architecture: 'arm64' })]));
    await putManifest(base, 'multi/vm', 'none', 'application/vnd.oci.image.index.v1+json', index([entry(amd.digest, amdSize, { os: 'unknown', architecture: 'unknown' })]));

    expect((await planPull(client, parseReference(`${registry.host}/multi/vm:both`), b.store)).preview.digest).toBe(amd.digest);
    expect((await planPull(client, parseReference(`${registry.host}/multi/vm:noamd`), b.store)).preview.digest).toBe(arm.digest);
    const none = await planPull(client, parseReference(`${registry.host}/multi/vm:none`), b.store).catch((e: unknown) => e);
    expect((none as Error).message).toMatch(/image index with no usable platform entry/);
    // Pulling by digest names exactly one manifest.
    const { id } = await pullSnapshot(client, parseReference(`${registry.host}/multi/vm@${arm.digest}`), b.store);
    expect((await b.store.inspect(id)).name).toBe('vm');
  });

  it('a container image is refused in plain words before anything is written', async () => {
    const config = await putBlob(base, 'library/nginx', Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'));
    await putManifest(base, 'library/nginx', 'latest', 'application/vnd.oci.image.manifest.v1+json', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 79 },
      layers: [],
    });
    const err = await pullSnapshot(client, parseReference(`${registry.host}/library/nginx`), b.store).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'unsupported_archive')).toBe(true);
    expect((err as Error).message).toBe(`${registry.host}/library/nginx:latest cannot be pulled as a snapshot: it is a container image, not a VM snapshot (docker, oras or crane pull those)`);
    await expectNothingLeft(b);
  });

  it('a layer titled with a path is refused before anything is written', async () => {
    const layer = await putBlob(base, 'evil/snap', Buffer.from('owned'));
    const cfg = Buffer.from('{"schemaVersion":"v1","snapshotId":"","createdAt":"2026-01-01T00:00:00Z"}');
    const cfgDigest = await putBlob(base, 'evil/snap', cfg);
    await putManifest(base, 'evil/snap', 'latest', 'application/vnd.oci.image.manifest.v1+json', {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.cocoonstack.snapshot.v1+json',
      config: { mediaType: 'application/vnd.cocoonstack.snapshot.config.v1+json', digest: cfgDigest, size: cfg.length },
      layers: [{ mediaType: 'application/octet-stream', digest: layer, size: 5, annotations: { 'org.opencontainers.image.title': '../../etc/cron.d/x' } }],
    });
    const err = await pullSnapshot(client, parseReference(`${registry.host}/evil/snap`), b.store).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'invalid_archive')).toBe(true);
    expect((err as Error).message).toMatch(/layer 1 is titled "..\/..\/etc\/cron.d\/x"/);
    await expectNothingLeft(b);
  });

  it('a name in use is flagged by the preview with a free one, and the pull under it is refused', async () => {
    await makeSnapshot(a.store, 'dup');
    await pushSnapshot(a.store, 'dup', parseReference(`${registry.host}/names/dup:v1`), client, { cache: new DigestCache() });
    await pullSnapshot(client, parseReference(`${registry.host}/names/dup:v1`), b.store);
    const plan = await planPull(client, parseReference(`${registry.host}/names/dup:v1`), b.store);
    expect([plan.preview.nameTaken, plan.preview.suggestedName]).toEqual([true, 'dup-2']);
    const err = await pullSnapshot(client, parseReference(`${registry.host}/names/dup:v1`), b.store).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'name_conflict')).toBe(true);
    const { id } = await pullSnapshot(client, parseReference(`${registry.host}/names/dup:v1`), b.store, { name: 'dup-2' });
    expect((await b.store.list()).map((s) => s.name).sort()).toEqual(['dup', 'dup-2']);
    expect((await b.store.inspect(id)).name).toBe('dup-2');
  });

  it('a pull cancelled mid-stream leaves nothing listed and nothing on disk', async () => {
    await makeSnapshot(a.store, 'big', { memoryBytes: 24 * 1024 * 1024 });
    await pushSnapshot(a.store, 'big', parseReference(`${registry.host}/cancel/big:v1`), client, { cache: new DigestCache() });
    const ac = new AbortController();
    const err = await pullSnapshot(client, parseReference(`${registry.host}/cancel/big:v1`), b.store, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.bytesDone > 1024 * 1024) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'cancelled')).toBe(true);
    await expectNothingLeft(b);
  });
});
