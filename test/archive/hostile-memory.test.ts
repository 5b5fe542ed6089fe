/**
 * Decompression bombs aimed at the reader's per-archive accumulations:
 * gzip files of at most 6 MB that inflate to gigabytes of stacked extended
 * headers or to maps of millions of segments. Each is previewed, verified
 * and imported in a child process whose peak resident memory is compared
 * with the same operation on a good archive: the difference must stay under
 * 100 MiB, the archive must be refused with a typed error, and the store
 * must be byte-for-byte unchanged.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEGMENTS } from '../../src-core/archive/sparse-map';
import { PieceGzip } from '../helpers/gzip-craft';
import { captureTree, readIndexBytes, seedSnapshots, tempStore, type TempStore } from '../helpers/store-state';
import { bombLayouts, type BombLayout } from '../helpers/tar-craft';
import type { ProbeResult } from './memory-probe';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const GOOD = path.join(HERE, '..', 'fixtures', 'good', 'cocoon-ch.tar.gz');
const MiB = 1024 * 1024;
const MAX_ARCHIVE_BYTES = 6 * 1000 * 1000;
const MAX_EXTRA_KIB = 100 * 1024;

interface Bomb {
  title: string;
  layout: BombLayout;
  count: number;
  /** What it would cost unbounded (for the reader of the test). */
  inflated: string;
  message: RegExp;
  /** The attack sits before snapshot.json, so preview meets it too. */
  beforeEnvelope: boolean;
}

const BOMBS: Bomb[] = [
  { title: 'stacked PAX headers with 50,000 records of 64 KiB', layout: 'stackedPax', count: 500, inflated: '3.3 GB of records', message: /extended headers/, beforeEnvelope: true },
  { title: '65,000 repeated GNU long-name headers', layout: 'repeatedLongNames', count: 65_000, inflated: '300 MB of headers', message: /extended headers/, beforeEnvelope: true },
  { title: '5,000 global PAX headers of 1 MiB', layout: 'repeatedGlobals', count: 5000, inflated: '5.2 GB of headers', message: /extended headers/, beforeEnvelope: true },
  { title: '680 entries each after a 7.5 MiB PAX header', layout: 'bigHeaderPerEntry', count: 680, inflated: '5.3 GB of headers', message: /archive's extended headers/, beforeEnvelope: false },
  { title: 'a COCOON.sparse.map of 580,000 empty segments', layout: 'tinyCocoonSegments', count: 580_000, inflated: '8 MB of JSON', message: /cow\.raw.*segments/, beforeEnvelope: false },
  { title: 'a GNU sparse map of 2 million empty segments', layout: 'tinyGnuSegments', count: 2_000_000, inflated: '8 MB of map text', message: /cow\.raw.*segments/, beforeEnvelope: false },
  { title: 'a COCOON.sparse.map of the most segments allowed', layout: 'fullCocoonMap', count: MAX_SEGMENTS, inflated: '7 MB of JSON', message: /cow\.raw.*describes/, beforeEnvelope: false },
  { title: 'a GNU sparse map of the most segments allowed', layout: 'fullGnuMap', count: MAX_SEGMENTS, inflated: '5 MB of map text', message: /cow\.raw.*describes/, beforeEnvelope: false },
];

const run = promisify(execFile);

describe('decompression bombs against the archive reader', { timeout: 180_000 }, () => {
  let ts: TempStore;
  let work: string;
  let probe: string;
  const baseline = new Map<string, number>();

  async function measure(op: string, file: string): Promise<ProbeResult> {
    // A small old-space cap makes a regression die quickly instead of eating the machine's memory.
    const { stdout } = await run(process.execPath, ['--max-old-space-size=768', probe, op, ts.root, file], {
      env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') },
      maxBuffer: MiB,
    });
    return JSON.parse(stdout) as ProbeResult;
  }

  beforeAll(async () => {
    ts = await tempStore('snapdesk-bombs-');
    await seedSnapshots(ts.store, 1);
    work = await fs.mkdtemp(path.join(path.dirname(ts.root), 'snapdesk-bomb-files-'));
    probe = path.join(work, 'memory-probe.cjs');
    await build({ entryPoints: [path.join(HERE, 'memory-probe.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: probe, logLevel: 'warning' });
    for (const op of ['preview', 'verify', 'import']) {
      const r = await measure(op, GOOD);
      expect(r.ok, `${op} of the good archive: ${r.message}`).toBe(true);
      baseline.set(op, r.peakKiB);
    }
    // The good imports are part of the store the bombs must leave as it is.
  });
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
    await ts.cleanup();
  });

  for (const bomb of BOMBS) {
    it(`${bomb.title} (${bomb.inflated}) in a .tgz of at most 6 MB is refused with bounded memory and the store unchanged`, async () => {
      const file = path.join(work, `${bomb.layout}.tgz`);
      const gz = new PieceGzip();
      await pipeline(Readable.from(gz.stream(bombLayouts[bomb.layout](bomb.count))), createWriteStream(file));
      const size = (await fs.stat(file)).size;
      expect(size).toBeLessThanOrEqual(MAX_ARCHIVE_BYTES);
      const tree = await captureTree(ts.root);
      const index = await readIndexBytes(ts.root);
      const ops = bomb.beforeEnvelope ? ['preview', 'verify', 'import'] : ['verify', 'import'];
      const report: string[] = [];
      for (const op of ops) {
        const r = await measure(op, file);
        const extra = r.peakKiB - (baseline.get(op) ?? 0);
        report.push(`${op}: peak ${Math.round(r.peakKiB / 1024)} MiB (+${Math.round(extra / 1024)} MiB)`);
        expect({ op, ok: r.ok, code: r.code }).toEqual({ op, ok: false, code: 'invalid_archive' });
        expect(r.message).toMatch(bomb.message);
        expect(extra, `${op} used ${Math.round(extra / 1024)} MiB more than on a good archive`).toBeLessThan(MAX_EXTRA_KIB);
      }
      console.info(`${bomb.layout} (${(size / 1e6).toFixed(2)} MB): ${report.join(', ')}`);
      expect(await readIndexBytes(ts.root)).toEqual(index);
      expect(await captureTree(ts.root)).toEqual(tree);
    });
  }
});
