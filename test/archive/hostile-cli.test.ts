/**
 * The command line meets hostile archives as files: `snapdesk import`,
 * `verify` and `preview` must exit 1 with one readable line on stderr, and
 * leave the store exactly as it was.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { captureTree, seedSnapshots, tempStore, treeDiff, type TempStore, type TreeEntry } from '../helpers/store-state';
import { hostileCases } from './hostile-cases';

const CLI_CASES = [
  'the reference path-traversal archive',
  'the reference symlink archive',
  'the reference archive without snapshot.json',
  'the reference truncated gzip archive',
  'a name with a terminal escape sequence',
  'envelope version 2',
  'a gzip stream with a wrong CRC32',
  'a sparse map with overlapping segments',
];

describe('snapdesk on hostile archive files', () => {
  let ts: TempStore;
  let files: string;
  let before: Map<string, TreeEntry>;

  beforeAll(async () => {
    ts = await tempStore('snapdesk-hostile-cli-');
    await seedSnapshots(ts.store, 1);
    files = path.join(ts.root, '..', `${path.basename(ts.root)}-files`);
    await fs.mkdir(files);
  });
  afterAll(async () => {
    await fs.rm(files, { recursive: true, force: true });
    await ts.cleanup();
  });
  beforeEach(async () => {
    before = await captureTree(ts.root);
  });

  for (const title of CLI_CASES) {
    const c = hostileCases.find((x) => x.title === title);
    if (!c) throw new Error(`no hostile case titled "${title}"`);
    it(`import, verify and preview of ${title} exit 1 with one line naming the problem`, async () => {
      const file = path.join(files, `${CLI_CASES.indexOf(title)}.tgz`);
      await fs.writeFile(file, c.bytes());
      for (const command of c.inEnvelope ? ['import', 'verify', 'preview'] : ['import', 'verify']) {
        const r = await runCli(['--root', ts.root, command, file]);
        expect(r.code, `${command}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(/^snapdesk: [^\n]+\n$/);
        expect(r.stderr).toMatch(c.message);
        // eslint-disable-next-line no-control-regex
        expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
      expect(treeDiff(before, await captureTree(ts.root))).toEqual([]);
    });
  }
});
