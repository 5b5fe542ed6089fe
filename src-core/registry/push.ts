/**
 * Push: a stored snapshot to REGISTRY/REPO:TAG as epoch's snapshot
 * artifact. Data files upload a few at a time (each read once), then the
 * config blob, then the manifest under the tag; the manifest lists the
 * layers in archive order whatever order they finished in.
 */
import { createHash } from 'node:crypto';
import { cancelled, toSnapDeskError } from '../errors';
import type { LocalFileStore } from '../localfile';
import type { Progress } from '../types';
import { encodeArtifactConfig, type ArtifactFile } from './artifact-config';
import { uploadFileBlob, uploadSmallBlob, type UploadedBlob } from './blob-upload';
import type { RegistryClient } from './client';
import { sharedDigestCache, type DigestCache } from './digest-cache';
import { encodeManifest, type Descriptor } from './manifest';
import { ANNOTATION_TITLE, MEDIA_OCI_MANIFEST, MEDIA_SNAPSHOT_CONFIG, mediaTypeForFile } from './media';
import { formatRef, type RegistryRef } from './reference';
import { openSnapshotSource } from './store-seam';

export interface PushOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Blobs uploaded at once (default 3). */
  concurrency?: number;
  /** Bytes per PATCH request (default 64 MiB). */
  chunkSize?: number;
  /** Sets the cocoonstack.snapshot.baseimage annotation. */
  baseImage?: string;
  /** Digests of files pushed before (default: the per-user cache file). */
  cache?: DigestCache;
  /** Where the default cache's directory comes from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export interface PushResult {
  reference: string;
  /** sha256 of the manifest: pull by REGISTRY/REPO@DIGEST. */
  digest: string;
  layers: number;
  /** Sum of the layers' sizes. */
  dataBytes: number;
  uploadedBytes: number;
  /** Bytes the registry already had (found or mounted). */
  reusedBytes: number;
}

export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 3;

/** Runs fn over items, `limit` at a time; the first failure stops the rest, and all settle before it is thrown. */
async function eachLimited<T, R>(items: T[], limit: number, stop: AbortController, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { err: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (err) {
        failure ??= { err };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw (failure as { err: unknown }).err;
  return out;
}

export async function pushSnapshot(store: LocalFileStore, snapshotRef: string, target: RegistryRef, client: RegistryClient, opts: PushOptions = {}): Promise<PushResult> {
  const tag = target.tag ?? 'latest';
  const repo = target.repository;
  const now = opts.now ?? Date.now;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) throw cancelled('push');
  const source = await openSnapshotSource(store, snapshotRef, opts.signal);
  const cache = opts.cache ?? sharedDigestCache(opts.env);
  try {
    const total = source.files.reduce((n, f) => n + f.dataBytes, 0);
    let done = 0;
    let current: string | undefined;
    opts.onProgress?.({ bytesDone: 0, bytesTotal: total });
    const blobs: UploadedBlob[] = await eachLimited(source.files, opts.concurrency ?? DEFAULT_CONCURRENCY, stop, (file) =>
      uploadFileBlob(file, {
        client,
        repository: repo,
        dir: source.dir,
        cache,
        chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
        signal: stop.signal,
        onBytes: (n) => {
          done += n;
          current = file.name;
          opts.onProgress?.({ bytesDone: done, bytesTotal: total, file: current });
        },
      }),
    );
    const files = new Map<string, ArtifactFile>();
    const layers: Descriptor[] = source.files.map((f, i) => {
      const meta: ArtifactFile = { mode: f.mode };
      if (f.sparseMap !== null) {
        meta.sparseMap = f.sparseMap;
        meta.sparseSize = f.size;
      }
      files.set(f.name, meta);
      return { mediaType: mediaTypeForFile(f.name), digest: blobs[i]!.digest, size: f.dataBytes, annotations: { [ANNOTATION_TITLE]: f.name } };
    });
    const pushedAt = now();
    const configBytes = encodeArtifactConfig(source.config, files, pushedAt);
    const configDigest = await uploadSmallBlob(client, repo, configBytes, stop.signal);
    const manifest = encodeManifest({ mediaType: MEDIA_SNAPSHOT_CONFIG, digest: configDigest, size: configBytes.length }, layers, pushedAt, opts.baseImage);
    if (stop.signal.aborted) throw cancelled('push');
    await client.putManifest(repo, tag, manifest, MEDIA_OCI_MANIFEST, stop.signal);
    await cache.save();
    const uploadedBytes = blobs.reduce((n, b) => n + (b.how === 'uploaded' ? b.size : 0), 0);
    return {
      reference: formatRef({ registry: target.registry, repository: repo, tag }),
      digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
      layers: layers.length,
      dataBytes: total,
      uploadedBytes,
      reusedBytes: total - uploadedBytes,
    };
  } catch (err) {
    const e = toSnapDeskError(err);
    throw opts.signal?.aborted || e.code === 'cancelled' ? cancelled('push') : e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await source.release();
  }
}
