import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchStore, watchTrash, type StoreWatcher } from '../../electron/app/store-watch';
import { storePaths } from '../../src-core/paths';
import { trashPaths } from '../../src-core/trash/trash-index';

let root: string;
let watcher: StoreWatcher | null = null;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'snapdesk-watch-'));
});
afterEach(async () => {
  watcher?.close();
  await rm(root, { recursive: true, force: true });
});

/** Writes the index the way cocoon and the CLI do: temp file, then rename over it. */
async function writeIndexAtomically(content: object): Promise<void> {
  const { dbDir, indexFile } = storePaths(root);
  await mkdir(dbDir, { recursive: true });
  await writeFile(join(dbDir, 'snapshots.json.tmp-1'), JSON.stringify(content));
  await rename(join(dbDir, 'snapshots.json.tmp-1'), indexFile);
}

function changes(): { count: () => number; next: () => Promise<void> } {
  let count = 0;
  let wake: (() => void) | null = null;
  watcher = watchStore(root, () => {
    count++;
    wake?.();
  }, { debounceMs: 20, pollMs: 20 });
  return {
    count: () => count,
    next: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      }),
  };
}

describe('store watch', () => {
  it('an outside atomic write of the index is reported once per burst', async () => {
    await writeIndexAtomically({ snapshots: {}, names: {} });
    const c = changes();
    const fired = c.next();
    await writeIndexAtomically({ snapshots: { A: {} }, names: {} });
    await writeIndexAtomically({ snapshots: { B: {} }, names: {} });
    await fired;
    expect(c.count()).toBe(1);
  });

  it('a root whose index folder does not exist yet is watched from the moment it appears', async () => {
    const c = changes();
    const fired = c.next();
    await writeIndexAtomically({ snapshots: {}, names: {} });
    await fired;
    expect(c.count()).toBeGreaterThanOrEqual(1);
    // And it keeps watching the directory it found.
    const again = c.next();
    await writeIndexAtomically({ snapshots: { C: {} }, names: {} });
    await again;
  });

  it('the lock file and temp files alone are not changes', async () => {
    await writeIndexAtomically({ snapshots: {}, names: {} });
    const c = changes();
    const { dbDir, lockFile } = storePaths(root);
    await writeFile(lockFile, '');
    await writeFile(join(dbDir, 'unrelated.tmp'), 'x');
    // Several debounce periods: long enough for a wrongly reported change to have fired.
    await new Promise((r) => setTimeout(r, 150));
    expect(c.count()).toBe(0);
    // A real change afterwards proves the watcher was live all along.
    const fired = c.next();
    await writeIndexAtomically({ snapshots: { D: {} }, names: {} });
    await fired;
    expect(c.count()).toBe(1);
  });
});

describe('trash watch', () => {
  /** Writes the trash index the way `snapdesk trash` does: temp file, then rename over it. */
  async function writeTrashAtomically(content: object): Promise<void> {
    const { root: dir, indexFile } = trashPaths(storePaths(root));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'trash.json.tmp-1'), JSON.stringify(content));
    await rename(join(dir, 'trash.json.tmp-1'), indexFile);
  }

  it('a trash index written outside the window (snapdesk trash restore in a terminal) is reported, from a root with no trash yet; a snapshot index write is not', async () => {
    let count = 0;
    let wake: (() => void) | null = null;
    watcher = watchTrash(root, () => {
      count++;
      wake?.();
    }, { debounceMs: 20, pollMs: 20 });
    await writeIndexAtomically({ snapshots: { A: {} }, names: {} });
    await new Promise((r) => setTimeout(r, 150));
    expect(count).toBe(0);
    const fired = new Promise<void>((resolve) => {
      wake = resolve;
    });
    await writeTrashAtomically({ version: 1, entries: {} });
    await fired;
    expect(count).toBeGreaterThanOrEqual(1);
  });
});
