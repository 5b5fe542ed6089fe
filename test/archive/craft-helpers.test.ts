/**
 * The archive-crafting helpers checked against independent readers (GNU tar
 * and gzip), so a hostile case fails for the reason it claims and not
 * because the helper wrote a different kind of broken.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzip, randomBytesSeeded, withBadCrc, withBadIsize } from '../helpers/gzip-craft';
import {
  entry,
  envelopeText,
  fileEntry,
  gnuOldSparseEntry,
  gnuPax00SparseEntry,
  gnuPax01SparseEntry,
  gnuPax10SparseEntry,
  goodConfig,
  header,
  headerChecksum,
  paxRecords,
  sparseEntry,
  tarOf,
  validParts,
} from '../helpers/tar-craft';

const hasGnuTar = spawnSync('tar', ['--version'], { encoding: 'utf8' }).stdout?.includes('GNU tar') ?? false;

function gnuTar(args: string[], input: Buffer, cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('tar', args, { input, cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the tar-crafting helpers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-craft-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a header carries a checksum that tar computes the same way', () => {
    const h = header({ name: 'state.json', size: 12 });
    expect(h.length).toBe(512);
    expect(parseInt(h.subarray(148, 154).toString('latin1'), 8)).toBe(headerChecksum(h));
    expect(h.subarray(257, 265).toString('latin1')).toBe('ustar\x0000');
  });

  it('PAX records count their own length, including when the length gains a digit', () => {
    for (const value of ['x', 'y'.repeat(90), 'z'.repeat(95)]) {
      const rec = paxRecords({ path: value });
      expect(Number(rec.toString('latin1').split(' ')[0])).toBe(rec.length);
    }
  });

  it('the envelope is 2-space JSON with a trailing newline, as cocoon writes it', () => {
    const text = envelopeText(goodConfig({ name: 'x' }));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ config: goodConfig({ name: 'x' }), version: 1 });
    expect(text).toContain('\n  "config": {\n    "cpu": 2,');
  });

  it.skipIf(!hasGnuTar)('GNU tar lists a valid crafted archive entry by entry', () => {
    const r = gnuTar(['-tf', '-'], tarOf(validParts()));
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['snapshot.json', 'state.json']);
  });

  it.skipIf(!hasGnuTar)('GNU tar refuses a header with a wrong checksum', () => {
    const r = gnuTar(['-tf', '-'], tarOf([fileEntry('a', 'x'), entry({ name: 'b', checksum: 'invalid' }, 'y')]));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/header|checksum/i);
  });

  it.skipIf(!hasGnuTar)('GNU tar extracts an old GNU sparse entry to its real size with data at the offsets', async () => {
    const out = path.join(dir, 'old-gnu');
    await fs.mkdir(out);
    const r = gnuTar(['-xf', '-', '-C', out], tarOf([gnuOldSparseEntry('cow.raw', [{ o: 0, l: 512 }, { o: 8192, l: 1024 }], 16_384)]));
    expect(r.stderr).toBe('');
    const data = await fs.readFile(path.join(out, 'cow.raw'));
    expect(data.length).toBe(16_384);
    expect(data[600]).toBe(0);
    expect(data[8192]).not.toBe(0);
  });

  it.skipIf(!hasGnuTar)('GNU tar extracts GNU PAX 0.0 sparse records to the real size', async () => {
    const out = path.join(dir, 'pax00');
    await fs.mkdir(out);
    const r = gnuTar(['-xf', '-', '-C', out], tarOf([gnuPax00SparseEntry('cow.raw', [{ o: 4096, l: 512 }], 16_384)]));
    expect(r.status).toBe(0);
    expect((await fs.stat(path.join(out, 'cow.raw'))).size).toBe(16_384);
  });

  it.skipIf(!hasGnuTar)('GNU tar extracts GNU PAX 0.1 and 1.0 sparse files under their real name and size', async () => {
    for (const [tag, make] of [
      ['pax01', gnuPax01SparseEntry],
      ['pax10', gnuPax10SparseEntry],
    ] as const) {
      const out = path.join(dir, tag);
      await fs.mkdir(out);
      const r = gnuTar(['-xf', '-', '-C', out], tarOf([make('cow.raw', [{ o: 4096, l: 512 }], 16_384)]));
      expect(r.status, r.stderr).toBe(0);
      expect(await fs.readdir(out)).toEqual(['cow.raw']);
      expect((await fs.stat(path.join(out, 'cow.raw'))).size).toBe(16_384);
    }
  });

  it.skipIf(!hasGnuTar)('a cocoon sparse entry is a PAX header GNU tar reads past (it ignores the COCOON records)', () => {
    const r = gnuTar(['-tvf', '-'], tarOf([sparseEntry('cow.raw', [{ o: 0, l: 4096 }], 65_536)]));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/4096 .*cow\.raw/);
    expect(r.stderr).toMatch(/COCOON\.sparse\.map/);
  });

  it('the gzip trailer helpers break only the trailer', () => {
    const gz = gzip(Buffer.from('hello'));
    expect(gunzipSync(gz).toString()).toBe('hello');
    expect(() => gunzipSync(withBadCrc(gz))).toThrow();
    expect(() => gunzipSync(withBadIsize(gz))).toThrow();
    expect(withBadCrc(gz).subarray(0, gz.length - 8)).toEqual(gz.subarray(0, gz.length - 8));
  });

  it('seeded random bytes repeat and never start with the gzip magic', () => {
    expect(randomBytesSeeded(64, 11)).toEqual(randomBytesSeeded(64, 11));
    for (const seed of [3, 5, 11]) expect(randomBytesSeeded(2, seed).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
  });
});
