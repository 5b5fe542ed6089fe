/**
 * verify() must refuse every hostile archive with the same code import
 * gives, and preview() must refuse the ones broken in or before
 * snapshot.json; neither may touch the store.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { chunked, expectSnapDeskError, refusal } from '../helpers/archive-assert';
import { captureTree, seedSnapshots, tempStore, treeDiff, type TempStore, type TreeEntry } from '../helpers/store-state';
import { expandedCases } from './hostile-cases';

describe('checking a hostile archive without importing it', () => {
  let ts: TempStore;
  let before: Map<string, TreeEntry>;

  beforeAll(async () => {
    ts = await tempStore('snapdesk-hostile-check-');
    await seedSnapshots(ts.store, 1);
  });
  afterAll(async () => {
    await ts.cleanup();
  });
  beforeEach(async () => {
    before = await captureTree(ts.root);
  });

  for (const c of expandedCases()) {
    it(`verify refuses ${c.title} with ${c.code} and touches nothing`, async () => {
      const err = await refusal(ts.store.verify(chunked(c.bytes())));
      expectSnapDeskError(err, c.code, c.message);
      expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
    });
  }

  for (const c of expandedCases()) {
    if (c.inEnvelope) {
      it(`preview refuses ${c.title} with ${c.code} and touches nothing`, async () => {
        const err = await refusal(ts.store.preview(chunked(c.bytes())));
        expectSnapDeskError(err, c.code, c.message);
        expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
      });
    } else {
      // The damage lies past snapshot.json, which is all preview reads: it may succeed, but must settle cleanly.
      it(`preview of ${c.title} settles with a preview or a typed error and touches nothing`, async () => {
        const outcome = await ts.store.preview(chunked(c.bytes())).then(
          (p) => p,
          (e: unknown) => e,
        );
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(SnapDeskError);
          expect(['invalid_archive', 'unsupported_archive']).toContain((outcome as SnapDeskError).code);
        } else {
          expect(outcome).toHaveProperty('version', 1);
        }
        expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
      });
    }
  }
});
