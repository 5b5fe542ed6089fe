/**
 * Every hostile archive of the catalogue goes through the real store's
 * import, and must be refused with a typed error while the store stays
 * exactly as it was: same snapshots.json bytes, no new data directory, no
 * temp file anywhere under the root.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunked, expectSnapDeskError, refusal } from '../helpers/archive-assert';
import { captureTree, readIndexBytes, seedSnapshots, tempStore, treeDiff, type TempStore, type TreeEntry } from '../helpers/store-state';
import { expandedCases } from './hostile-cases';

const GOOD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'good', 'cocoon-ch.tar.gz');

describe('importing a hostile archive', () => {
  let ts: TempStore;
  let seeded: string[];
  let before: Map<string, TreeEntry>;
  let indexBefore: Buffer | null;

  beforeAll(async () => {
    ts = await tempStore('snapdesk-hostile-');
    seeded = await seedSnapshots(ts.store, 2);
  });
  afterAll(async () => {
    await ts.cleanup();
  });
  beforeEach(async () => {
    before = await captureTree(ts.root);
    indexBefore = await readIndexBytes(ts.root);
  });

  for (const c of expandedCases()) {
    it(`refuses ${c.title} with ${c.code} and leaves the store exactly as it was`, async () => {
      const err = await refusal(ts.store.import(chunked(c.bytes()), {}), (id) => ts.store.delete([id]));
      expectSnapDeskError(err, c.code, c.message);
      expect(await readIndexBytes(ts.root)).toEqual(indexBefore);
      expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
      expect((await ts.store.list()).map((s) => s.id)).toEqual(seeded);
    });
  }

  it('still imports a good archive after refusing all of them (no lock or state left behind)', async () => {
    const id = await ts.store.import(chunked(readFileSync(GOOD)), { name: 'after-hostile' });
    expect((await ts.store.inspect(id)).name).toBe('after-hostile');
    expect((await ts.store.list()).map((s) => s.id)).toEqual([...seeded, id]);
  });
});
