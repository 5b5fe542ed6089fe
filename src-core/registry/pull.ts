/**
 * Pull: REGISTRY/REPO[:TAG|@DIGEST] into the store. First a plan (the
 * manifest, an image index resolved as epoch resolves it, the config blob):
 * enough to preview the snapshot and settle its name with nothing written.
 * Then the import: the layers stream into the store's two-phase import as a
 * cocoon archive, every blob's size and sha256 checked as it streams; a
 * mismatch fails the import, which rolls back, so nothing is kept.
 */
import { createHash } from 'node:crypto';
import { SnapDeskError, cancelled, toSnapDeskError } from '../errors';
import type { LocalFileStore } from '../localfile';
import type { Progress, SnapshotConfig } from '../types';
import { parseArtifactConfig, snapshotConfigOf, type ArtifactConfig } from './artifact-config';
import type { RegistryClient } from './client';
import { readBody } from './http';
import { MAX_CONFIG_BYTES, parseManifest, pickIndexChild, type SnapshotLayer } from './manifest';
import { formatRef, manifestReference, type RegistryRef } from './reference';
import { registryError } from './registry-errors';
import { checkSparse, importEntries, type ImportEntry } from './store-seam';

export interface PullPreview {
  reference: string;
  /** sha256 of the snapshot manifest (the index child when the tag named an index). */
  digest: string;
  /** The config the snapshot will have (name = the proposed name). */
  config: SnapshotConfig;
  /** The name the snapshot gets unless another is given: the repository's last path element. */
  defaultName: string;
  nameTaken: boolean;
  suggestedName?: string;
  files: { name: string; size: number; sparse: boolean }[];
  /** Bytes to download (sum of layer sizes). */
  downloadBytes: number;
  /** Apparent size of the data files. */
  dataSize: number;
  /** When the snapshot was pushed (config createdAt). */
  pushedAt: string;
}

export interface PullPlan {
  target: RegistryRef;
  preview: PullPreview;
  artifact: ArtifactConfig;
  layers: SnapshotLayer[];
}

export interface PullOptions {
  /** Local name (default: the repository's last path element). */
  name?: string;
  description?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function notSnapshot(ref: string, kind: string, artifactType: string, configType: string): SnapDeskError {
  const why =
    kind === 'container-image'
      ? 'it is a container image, not a VM snapshot (docker, oras or crane pull those)'
      : kind === 'cloud-image'
        ? 'it is a cocoon OS image, not a VM snapshot'
        : `it is not a VM snapshot (artifact type "${artifactType || 'none'}", config type "${configType || 'none'}")`;
  return new SnapDeskError('unsupported_archive', `${ref} cannot be pulled as a snapshot: ${why}`, { reference: ref, kind });
}

/** Fetches the manifest (through an index when needed) and config: everything a preview needs, nothing written. */
export async function planPull(client: RegistryClient, target: RegistryRef, store: LocalFileStore, opts: { name?: string; signal?: AbortSignal } = {}): Promise<PullPlan> {
  const refText = formatRef(target);
  const repo = target.repository;
  let fetched = await client.getManifest(repo, manifestReference(target), opts.signal);
  let digest = sha256(fetched.bytes);
  if (target.digest && digest !== target.digest) throw registryError(`${refText}: the registry sent a manifest whose digest is ${digest}`, { reference: refText });
  let manifest = parseManifest(fetched.bytes);
  if (manifest.kind === 'image-index') {
    const child = pickIndexChild(manifest.manifests);
    if (!child) throw new SnapDeskError('unsupported_archive', `${refText} is an image index with no usable platform entry`, { reference: refText });
    fetched = await client.getManifest(repo, child.digest, opts.signal);
    digest = sha256(fetched.bytes);
    if (digest !== child.digest) throw registryError(`${refText}: the index entry ${child.digest} came back with digest ${digest}`, { reference: refText });
    manifest = parseManifest(fetched.bytes);
  }
  if (manifest.kind !== 'snapshot') {
    throw manifest.kind === 'image-index' ? notSnapshot(refText, 'nested index', '', '') : notSnapshot(refText, manifest.kind, manifest.artifactType, manifest.configMediaType);
  }
  const configRes = await client.getBlob(repo, manifest.config.digest, opts.signal);
  const configBytes = await readBody(configRes, MAX_CONFIG_BYTES, 'config blob');
  if (configBytes.length !== manifest.config.size || sha256(configBytes) !== manifest.config.digest) {
    throw registryError(`${refText}: the config blob does not match its digest ${manifest.config.digest} and size; the registry's copy is damaged`, { reference: refText, digest: manifest.config.digest });
  }
  const artifact = parseArtifactConfig(configBytes);
  const files: PullPreview['files'] = [];
  for (const l of manifest.layers) {
    const meta = artifact.files[l.title];
    if (meta?.sparseMap) {
      if (!meta.sparseSize) throw new SnapDeskError('invalid_archive', `${refText}: layer ${l.title} has a sparse map without a sparse size`, { reference: refText });
      await checkSparse(l.title, meta.sparseMap, meta.sparseSize, l.size);
      files.push({ name: l.title, size: meta.sparseSize, sparse: true });
    } else files.push({ name: l.title, size: l.size, sparse: false });
  }
  const defaultName = repo.split('/').pop() ?? repo;
  const name = opts.name || defaultName;
  const nameTaken = await store.isNameTaken(name);
  const preview: PullPreview = {
    reference: refText,
    digest,
    config: snapshotConfigOf(artifact, name),
    defaultName,
    nameTaken,
    files,
    downloadBytes: manifest.layers.reduce((n, l) => n + l.size, 0),
    dataSize: files.reduce((n, f) => n + f.size, 0),
    pushedAt: artifact.createdAt,
  };
  if (nameTaken) preview.suggestedName = await store.suggestFreeName(name);
  return { target, preview, artifact, layers: manifest.layers };
}

/** Streams a blob, checking it is exactly `size` bytes with the named digest; throws before the end otherwise. */
async function* verifiedBlob(client: RegistryClient, repo: string, layer: SnapshotLayer, signal: AbortSignal | undefined, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  const res = await client.getBlob(repo, layer.digest, signal);
  const hash = createHash('sha256');
  let got = 0;
  const mismatch = (what: string): SnapDeskError =>
    registryError(`the registry's copy of ${layer.title} (${layer.digest}) is damaged: ${what}; nothing was kept`, { digest: layer.digest, file: layer.title });
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      got += buf.length;
      if (got > layer.size) throw mismatch(`it is longer than the ${layer.size} bytes the manifest says`);
      hash.update(buf);
      onBytes(buf.length);
      yield buf;
    }
  } finally {
    res.body.destroy();
  }
  if (got !== layer.size) throw mismatch(`it ended after ${got} of ${layer.size} bytes`);
  if (`sha256:${hash.digest('hex')}` !== layer.digest) throw mismatch('its content does not match its sha256 digest');
}

/** Pulls a planned snapshot into the store. Returns the new snapshot's ID. */
export async function runPull(client: RegistryClient, plan: PullPlan, store: LocalFileStore, opts: PullOptions = {}): Promise<string> {
  const repo = plan.target.repository;
  const name = opts.name || plan.preview.defaultName;
  const total = plan.preview.downloadBytes;
  let done = 0;
  opts.onProgress?.({ bytesDone: 0, bytesTotal: total });
  const entries: ImportEntry[] = plan.layers.map((layer) => {
    const meta = plan.artifact.files[layer.title] ?? {};
    return {
      name: layer.title,
      // Epoch's pull writes 0640 for a file the config gives no mode.
      mode: meta.mode || 0o640,
      size: layer.size,
      sparse: meta.sparseMap && meta.sparseSize ? { map: meta.sparseMap, size: meta.sparseSize } : null,
      body: () =>
        verifiedBlob(client, repo, layer, opts.signal, (n) => {
          done += n;
          opts.onProgress?.({ bytesDone: done, bytesTotal: total, file: layer.title });
        }),
    };
  });
  const config = snapshotConfigOf(plan.artifact, name);
  try {
    return await importEntries(store, config, entries, {
      name,
      ...(opts.description ? { description: opts.description } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    const e = toSnapDeskError(err);
    throw opts.signal?.aborted ? cancelled('pull') : e;
  }
}

/** Plan and pull in one go (the CLI). */
export async function pullSnapshot(client: RegistryClient, target: RegistryRef, store: LocalFileStore, opts: PullOptions = {}): Promise<{ id: string; preview: PullPreview }> {
  const plan = await planPull(client, target, store, { ...(opts.name ? { name: opts.name } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  const id = await runPull(client, plan, store, opts);
  return { id, preview: plan.preview };
}
