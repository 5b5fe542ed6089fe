import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METADATA_NAME } from '../../src-core/archive/entry-name';
import { serializeEnvelope } from '../../src-core/archive/envelope';
import { previewArchive } from '../../src-core/archive/preview';
import { padding } from '../../src-core/archive/tar-header';
import { entryHeaders } from '../../src-core/archive/tar-pack';
import { dirTarget, noise, type DirTarget } from './dir-target';

const MiB = 1024 * 1024;

/** snapshot.json followed by `total` bytes of one data file, generated as it is read. */
function endlessArchive(total: number, gzip: boolean): { stream: Readable; sent: () => number; released: () => boolean } {
  let sent = 0;
  let released = false;
  const env = serializeEnvelope({ name: 'big', cpu: 4 });
  const head = Buffer.concat([
    entryHeaders({ name: METADATA_NAME, size: env.length, mode: 0o644, mtime: 0 }),
    env,
    Buffer.alloc(padding(env.length)),
    entryHeaders({ name: 'mem', size: total, mode: 0o644, mtime: 0 }),
  ]);
  const block = noise(MiB, 1);
  const wrap = (b: Buffer): Buffer => (gzip ? gzipSync(b, { level: 1 }) : b);
  function* gen(): Generator<Buffer> {
    try {
      const first = wrap(head);
      sent += first.length;
      yield first;
      const body = wrap(block);
      for (let done = 0; done < total; done += MiB) {
        sent += body.length;
        yield body;
      }
    } finally {
      released = true;
    }
  }
  return { stream: Readable.from(gen()), sent: () => sent, released: () => released };
}

describe('preview', () => {
  let target: DirTarget;
  beforeEach(async () => {
    target = await dirTarget();
  });
  afterEach(async () => {
    await target.cleanup();
  });

  for (const gzip of [false, true]) {
    it(`reads only snapshot.json of a huge ${gzip ? 'gzip' : 'raw'} archive, then lets go of the input`, async () => {
      const input = endlessArchive(64 * 1024 * MiB, gzip);
      const progress: number[] = [];
      const preview = await previewArchive(input.stream, target, { onProgress: (p) => progress.push(p.bytesDone) });
      expect(preview).toEqual({ config: { name: 'big', cpu: 4 }, version: 1, gzip, nameTaken: false });
      expect(input.sent()).toBeLessThan(8 * MiB);
      await new Promise((r) => setImmediate(r));
      expect(input.released()).toBe(true);
      expect(input.stream.destroyed).toBe(true);
      expect(progress.length).toBeGreaterThan(0);
    });
  }

  it('an archive whose first entry is not snapshot.json is refused by preview too', async () => {
    const head = Buffer.concat([entryHeaders({ name: 'mem', size: 3, mode: 0o644, mtime: 0 }), Buffer.from('abc'), Buffer.alloc(509 + 1024)]);
    await expect(previewArchive(Readable.from([head]), target)).rejects.toMatchObject({ code: 'invalid_archive', message: expect.stringMatching(/first entry is "mem", not snapshot\.json/) });
  });
});
