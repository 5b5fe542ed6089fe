/** Small helpers for store tests: temp roots and tar streams built in code. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export async function tempRoot(prefix = 'snapdesk-core-'): Promise<{ root: string; cleanup(): Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { root, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

/** A tar stream of flat data files, as create takes it. */
export function dataTar(files: Record<string, string | Buffer>): Readable {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, body);
  pack.finalize();
  return Readable.from(pack);
}

/** The bytes of a tar holding one whole file and the first 64 KiB of a second (1 MiB) one. */
function partialTarBytes(): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  let length = 0;
  return new Promise((resolve) => {
    pack.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      chunks.push(chunk);
      length += chunk.length;
      if (length >= 512 + 512 + 512 + 64 * 1024) resolve(Buffer.concat(chunks));
    });
    pack.entry({ name: 'first', mode: 0o644 }, 'complete file\n');
    const entry = pack.entry({ name: 'second', mode: 0o644, size: 1 << 20 });
    entry.write(Buffer.alloc(64 * 1024, 1));
  });
}

/** A tar stream that delivers one whole file and part of a second, then fails like a dropped connection. */
export function failingTar(): Readable {
  return Readable.from(
    (async function* () {
      yield await partialTarBytes();
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('source went away');
    })(),
  );
}

/** A tar stream that delivers one whole file and part of a second, calls onStalled once that was read, and then sends nothing more. */
export function stallingTar(onStalled: () => void): Readable {
  return Readable.from(
    (async function* () {
      yield await partialTarBytes();
      setTimeout(onStalled, 20);
      await new Promise(() => undefined);
    })(),
  );
}

export async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * A cocoon archive (snapshot.json, then a 1 MiB data file) that delivers the
 * metadata and 64 KiB of data, calls onStalled, and then sends nothing more.
 */
export function stalledArchive(name: string, onStalled: () => void): Readable {
  const head = new Promise<Buffer>((resolve) => {
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    let length = 0;
    pack.on('data', (data: unknown) => {
      chunks.push(data as Buffer);
      length += (data as Buffer).length;
      if (length >= 3 * 512 + 64 * 1024) resolve(Buffer.concat(chunks));
    });
    pack.entry({ name: 'snapshot.json', mode: 0o644 }, `${JSON.stringify({ config: { name }, version: 1 })}\n`);
    pack.entry({ name: 'mem', mode: 0o644, size: 1 << 20 }).write(Buffer.alloc(64 * 1024, 7));
  });
  return Readable.from(
    (async function* () {
      yield await head;
      setTimeout(onStalled, 200);
      await new Promise(() => undefined);
    })(),
  );
}
