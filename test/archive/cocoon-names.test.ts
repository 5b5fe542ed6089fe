/**
 * Names and descriptions as cocoon takes them (any string: slashes, any
 * length), through the store: archives import under what they say, and only
 * names with control or invisible formatting characters are refused, with a
 * typed error and nothing left behind. Names already in an index are read,
 * resolved and kept, whatever they hold.
 */
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzip } from '../helpers/gzip-craft';
import { captureTree, indexFileOf, seedSnapshots, tempStore, treeDiff, type TempStore } from '../helpers/store-state';
import { envelopeEntry, envelopeText, fileEntry, goodConfig, tarOf } from '../helpers/tar-craft';

let ts: TempStore;
beforeEach(async () => {
  ts = await tempStore('snapdesk-names-');
  await seedSnapshots(ts.store, 1);
});
afterEach(() => ts.cleanup());

const archive = (config: Record<string, unknown>): Readable =>
  Readable.from([gzip(tarOf([envelopeEntry(envelopeText(goodConfig(config))), fileEntry('state.json', '{"ok":true}\n')]))]);

describe('cocoon-shaped names through the store', () => {
  it('an archive named team/web with a 5,000-character description imports under what it says', async () => {
    const description = `${'warm cache, '.repeat(500)}`.slice(0, 5000);
    const preview = await ts.store.preview(archive({ name: 'team/web', description }));
    expect(preview).not.toHaveProperty('nameProblem');
    expect(preview).not.toHaveProperty('descriptionProblem');
    const id = await ts.store.import(archive({ name: 'team/web', description }));
    expect(await ts.store.inspect('team/web')).toMatchObject({ id, name: 'team/web', description });
    const index = JSON.parse(await fs.readFile(indexFileOf(ts.root), 'utf8')) as { names: Record<string, string> };
    expect(index.names['team/web']).toBe(id);
  });

  it('preview flags a name with control or bidi characters and offers a cleaned free name', async () => {
    const preview = await ts.store.preview(archive({ name: 'seed-1\u202e', description: 'x\u0085' }));
    expect(preview).toMatchObject({
      nameTaken: false,
      nameProblem: expect.stringMatching(/\\u202e/),
      // "seed-1" is taken, so the cleaned name is counted on from N+1.
      suggestedName: 'seed-2',
      descriptionProblem: expect.stringMatching(/\\u0085/),
      suggestedDescription: 'x',
    });
  });

  it('importing such a name is refused with a typed error and leaves the store byte for byte as it was', async () => {
    const before = await captureTree(ts.root);
    await expect(ts.store.import(archive({ name: 'web\u001b[2J' }))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/^snapshot name "web\\u001b\[2J" refused: /),
      details: { field: 'name', suggestion: 'web[2J' },
    });
    expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
    // The user's name overrides the archive's, as in cocoon.
    const id = await ts.store.import(archive({ name: 'web\u001b[2J' }), { name: 'web' });
    expect((await ts.store.inspect(id)).name).toBe('web');
  });

  it('a name already in the index is never rejected on read: listed, resolved, exported and re-described as it is', async () => {
    const [id] = (await ts.store.list()).map((s) => s.id);
    const hostile = 'old\u009b\u202e\u0007name';
    const index = JSON.parse(await fs.readFile(indexFileOf(ts.root), 'utf8')) as { snapshots: Record<string, { name: string }>; names: Record<string, string> };
    index.snapshots[id!]!.name = hostile;
    index.names = { [hostile]: id! };
    await fs.writeFile(indexFileOf(ts.root), JSON.stringify(index));
    expect((await ts.store.list()).map((s) => s.name)).toEqual([hostile]);
    expect((await ts.store.inspect(hostile)).id).toBe(id);
    expect((await ts.store.rename(hostile, { description: 'still here' })).name).toBe(hostile);
    const { stream } = await ts.store.export(hostile, { gzip: false });
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(0);
  });
});
