/**
 * Cancelling at any point leaves nothing behind: no record, no data
 * directory, no temp file, no worker thread.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportArchive, exportArchiveToFile } from '../../src-core/archive/export';
import { importArchive } from '../../src-core/archive/import';
import { livePoolWorkers } from '../../src-core/archive/worker-pool';
import { verifyArchive } from '../../src-core/archive/verify';
import { dirTarget, noise, tempDir, type DirTarget } from './dir-target';

const MiB = 1024 * 1024;

/** Worker threads end shortly after the stream that owns them is destroyed. */
async function workersGone(): Promise<boolean> {
  for (let i = 0; i < 100 && livePoolWorkers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return livePoolWorkers() === 0;
}

async function exported(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of exportArchive({ dir, config: { name: 'abort-me' } })) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `data` in 64 KiB chunks, calling `at(bytesSent)` before each; records whether it was let go. */
function feed(data: Buffer, at: (sent: number) => void): { stream: Readable; released: () => boolean } {
  let released = false;
  function* gen(): Generator<Buffer> {
    try {
      for (let i = 0; i < data.length; i += 64 * 1024) {
        at(i);
        yield data.subarray(i, i + 64 * 1024);
      }
    } finally {
      released = true;
    }
  }
  return { stream: Readable.from(gen()), released: () => released };
}

describe('cancelling', () => {
  let src: string;
  let work: string;
  let target: DirTarget;
  let archive: Buffer;

  beforeEach(async () => {
    src = await tempDir();
    work = await tempDir('snapdesk-abort-');
    target = await dirTarget();
    await fs.writeFile(path.join(src, 'a-first'), noise(64 * 1024, 1));
    await fs.writeFile(path.join(src, 'memory'), noise(8 * MiB, 2));
    archive = await exported(src);
  });
  afterEach(async () => {
    for (const d of [src, work]) await fs.rm(d, { recursive: true, force: true });
    await target.cleanup();
  });

  const expectNothingLeft = async (): Promise<void> => {
    expect(target.records.size).toBe(0);
    expect(await fs.readdir(target.root)).toEqual([]);
  };

  it('an import aborted before it starts is cancelled without reserving anything', async () => {
    const controller = new AbortController();
    controller.abort();
    const { stream } = feed(archive, () => undefined);
    await expect(importArchive(stream, target, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expectNothingLeft();
    expect(stream.destroyed).toBe(true);
  });

  it('an import aborted in the middle of a data file is rolled back and lets go of its input', async () => {
    const controller = new AbortController();
    const { stream, released } = feed(archive, (sent) => {
      if (sent >= archive.length / 2) controller.abort();
    });
    const seen: (string | undefined)[] = [];
    const err = await importArchive(stream, target, { signal: controller.signal, onProgress: (p) => seen.push(p.file) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled', message: 'import cancelled' });
    expect(seen).toContain('memory');
    await expectNothingLeft();
    expect(released()).toBe(true);
  });

  it('an abort that arrives during the commit still leaves nothing', async () => {
    const controller = new AbortController();
    target.onCommit = () => controller.abort();
    await expect(importArchive(Readable.from([archive]), target, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expectNothingLeft();
  });

  it('an abort after the whole input was read, before the commit, rolls back', async () => {
    const controller = new AbortController();
    const err = await importArchive(Readable.from([archive]), target, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone === archive.length) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    await expectNothingLeft();
  });

  it('verify aborted midway is cancelled', async () => {
    const controller = new AbortController();
    const { stream } = feed(archive, (sent) => {
      if (sent > MiB) controller.abort();
    });
    await expect(verifyArchive(stream, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('an export to a file aborted midway leaves no file and no temp file', async () => {
    const controller = new AbortController();
    const file = path.join(work, 'out.tgz');
    const err = await exportArchiveToFile({ dir: src, config: { name: 'x' } }, file, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > 2 * MiB) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled', message: 'export cancelled' });
    expect(await fs.readdir(work)).toEqual([]);
    expect(await workersGone()).toBe(true);
  });

  it('an export aborted before it starts writes nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(exportArchiveToFile({ dir: src, config: { name: 'x' } }, path.join(work, 'out.tgz'), { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(await fs.readdir(work)).toEqual([]);
  });

  it('an export stream aborted midway errors with cancelled', async () => {
    const controller = new AbortController();
    const stream = exportArchive({ dir: src, config: { name: 'x' } }, { signal: controller.signal });
    let got = 0;
    const err = await (async () => {
      for await (const c of stream) {
        got += (c as Buffer).length;
        if (got > 0) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'cancelled' });
    expect(await workersGone()).toBe(true);
  });

  it('exports aborted at every moment, and streams dropped by their reader, stop their workers cleanly (the process lives on)', async () => {
    // Text keeps the workers inside deflate calls for milliseconds at a time (random data is only stored).
    const text = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `line ${i}: restored web-golden from ${(i * 2654435761) % 1000003}\n`).join(''));
    await fs.writeFile(path.join(src, 'memory'), text);
    for (let i = 0; i < 12; i++) {
      const controller = new AbortController();
      const file = path.join(work, `out-${i}.tgz`);
      const running = exportArchiveToFile({ dir: src, config: { name: 'x' } }, file, { signal: controller.signal }).catch((e: unknown) => e);
      // From before the first chunk to well into compression: some aborts land while a worker is mid-call.
      setTimeout(() => controller.abort(), i * 3);
      expect(await running).toMatchObject({ code: 'cancelled' });
      const stream = exportArchive({ dir: src, config: { name: 'x' } });
      stream.once('data', () => setTimeout(() => stream.destroy(), i));
      await new Promise((resolve) => stream.once('close', resolve));
    }
    expect(await workersGone()).toBe(true);
    expect(await fs.readdir(work)).toEqual([]);
  });

  it('a failed export (a data file that vanished) leaves no file behind', async () => {
    const file = path.join(work, 'out.tgz');
    const dir = path.join(work, 'missing');
    await expect(exportArchiveToFile({ dir, config: { name: 'x' } }, file)).rejects.toMatchObject({ code: 'io' });
    expect(await fs.readdir(work)).toEqual([]);
  });
});
