/**
 * Uploads one data file as a blob, reading it once: the registry gets it in
 * PATCH chunks while sha256 is computed over the same bytes, and the final
 * PUT names the digest, which the registry checks. A chunk resent after an
 * authorization retry is read again from the file but not hashed twice.
 * A file whose digest is known from an earlier push is looked up first
 * (HEAD) and, when another repository of the registry has it, mounted.
 */
import { createHash } from 'node:crypto';
import type { RegistryClient } from './client';
import type { DigestCache } from './digest-cache';
import { readEntryBody, type SourceFile } from './store-seam';

export interface BlobUploadOptions {
  client: RegistryClient;
  repository: string;
  dir: string;
  cache: DigestCache;
  chunkSize: number;
  signal?: AbortSignal;
  /** Called with newly covered bytes (sent or found already present). */
  onBytes(n: number): void;
}

export interface UploadedBlob {
  digest: string;
  size: number;
  /** How the registry came to hold it. */
  how: 'uploaded' | 'present' | 'mounted';
}

export async function uploadFileBlob(file: SourceFile, opts: BlobUploadOptions): Promise<UploadedBlob> {
  const { client, repository, signal } = opts;
  const here = `${client.registry}/${repository}`;
  // The layout is part of the key (hashed: a sparse map can be a megabyte).
  const key = `${file.identity}:${file.sparseMap === null ? 'plain' : createHash('sha256').update(file.sparseMap).digest('hex')}`;
  const known = await opts.cache.digestOf(key);
  let location: string | undefined;
  if (known) {
    if (await client.blobExists(repository, known, signal)) {
      opts.onBytes(file.dataBytes);
      await opts.cache.remember(key, known, here);
      return { digest: known, size: file.dataBytes, how: 'present' };
    }
    const prefix = `${client.registry}/`;
    const from = (await opts.cache.repositoriesWith(known)).find((r) => r.startsWith(prefix) && r !== here);
    if (from) {
      const started = await client.startUpload(repository, signal, { digest: known, from: from.slice(prefix.length) });
      if (started.mounted) {
        opts.onBytes(file.dataBytes);
        await opts.cache.remember(key, known, here);
        return { digest: known, size: file.dataBytes, how: 'mounted' };
      }
      // The registry could not mount and opened an ordinary upload instead.
      location = started.location;
    }
  }
  if (location === undefined) {
    const started = await client.startUpload(repository, signal);
    if (started.mounted) throw new Error('unreachable: an upload without mount cannot be mounted');
    location = started.location;
  }

  const hash = createHash('sha256');
  let hashed = 0;
  const chunkBody = (from: number, to: number) =>
    async function* (): AsyncGenerator<Buffer> {
      let at = from;
      for await (const buf of readEntryBody(opts.dir, file, from, to)) {
        const end = at + buf.length;
        if (end > hashed) {
          const fresh = buf.subarray(Math.max(0, hashed - at));
          hash.update(fresh);
          opts.onBytes(fresh.length);
          hashed = end;
        }
        at = end;
        yield buf;
      }
    };
  for (let offset = 0; offset < file.dataBytes; ) {
    const length = Math.min(opts.chunkSize, file.dataBytes - offset);
    location = await client.patchChunk(repository, location, offset, length, chunkBody(offset, offset + length), signal);
    offset += length;
  }
  const digest = `sha256:${hash.digest('hex')}`;
  await client.finishUpload(repository, location, digest, undefined, signal);
  await opts.cache.remember(key, digest, here);
  return { digest, size: file.dataBytes, how: 'uploaded' };
}

/** A small blob held in memory (the config): HEAD, else one POST and one PUT with the body. */
export async function uploadSmallBlob(client: RegistryClient, repository: string, data: Buffer, signal?: AbortSignal): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  if (await client.blobExists(repository, digest, signal)) return digest;
  const started = await client.startUpload(repository, signal);
  if (started.mounted) return digest;
  await client.finishUpload(repository, started.location, digest, data, signal);
  return digest;
}
