import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { readIndex } from '../../src-core/index-file';
import { storeContext, type StoreContext } from '../../src-core/localfile-context';
import type { StoredRecord } from '../../src-core/record';
import { tempRoot } from './fixtures';

let root: string;
let cleanup: () => Promise<void>;
let ctx: StoreContext;

beforeEach(async () => {
  ({ root, cleanup } = await tempRoot('snapdesk-tx-'));
  ctx = storeContext(root);
});
afterEach(async () => {
  await cleanup();
});

const rec = (id: string, name: string, pending = false): StoredRecord => ({ data: { id, name, created_at: '2026-01-01T00:00:00Z', ...(pending ? { pending: true } : {}) }, extra: [] });

describe('the index owner', () => {
  it('put and delete change a record and its name together, and only a changed index is written', async () => {
    const a = newSnapshotId();
    await ctx.index.write((tx) => tx.put(a, rec(a, 'web')));
    let index = await readIndex(ctx.paths.indexFile);
    expect([...index.names]).toEqual([['web', a]]);
    const before = (await fs.stat(ctx.paths.indexFile)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await ctx.index.write((tx) => tx.get(a));
    expect((await fs.stat(ctx.paths.indexFile)).mtimeMs).toBe(before);
    await ctx.index.write((tx) => tx.delete(a));
    index = await readIndex(ctx.paths.indexFile);
    expect(index.snapshots.size).toBe(0);
    expect(index.names.size).toBe(0);
  });

  it('refuses a taken name (pending records hold theirs) and a duplicate ID; a failed transaction writes nothing', async () => {
    const a = newSnapshotId();
    const b = newSnapshotId();
    await ctx.index.write((tx) => tx.put(a, rec(a, 'web', true)));
    await expect(ctx.index.write((tx) => tx.put(b, rec(b, 'web')))).rejects.toMatchObject({ code: 'name_conflict' });
    await expect(ctx.index.write((tx) => tx.put(a, rec(a, 'other')))).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      ctx.index.write((tx) => {
        tx.put(b, rec(b, 'b'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect([...(await readIndex(ctx.paths.indexFile)).snapshots.keys()]).toEqual([a]);
  });

  it('rename moves the name; resolve and committed ignore pending records', async () => {
    const a = newSnapshotId();
    const p = newSnapshotId();
    await ctx.index.write((tx) => {
      tx.put(a, rec(a, 'web'));
      tx.put(p, rec(p, 'building', true));
    });
    await ctx.index.write((tx) => tx.rename(a, 'api'));
    await ctx.index.read((tx) => {
      expect(tx.resolve('api')).toBe(a);
      expect(() => tx.resolve('web')).toThrow(/not found/);
      expect(() => tx.resolve('building')).toThrow(/not found/);
      expect(tx.committed().map(([id]) => id)).toEqual([a]);
      expect(tx.pending().map(([id]) => id)).toEqual([p]);
      expect(tx.nameHolder('building')).toBe(p);
    });
  });

  it('is the only product code that touches the two maps of the index', async () => {
    const srcRoot = path.resolve(__dirname, '../../src-core');
    const owners = new Set(['index-tx.ts', 'index-file.ts', 'resolve.ts']);
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.ts') && !owners.has(path.relative(srcRoot, p))) {
          const text = await fs.readFile(p, 'utf8');
          if (/\bindex\.(snapshots|names)\b|\breadIndex\(|\bwriteIndex\(/.test(text)) offenders.push(path.relative(srcRoot, p));
        }
      }
    };
    await walk(srcRoot);
    expect(offenders).toEqual([]);
  });
});
