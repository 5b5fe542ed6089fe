/**
 * Crash safety of the trash: a child process runs a trash operation, stops
 * at each durable step in turn, and is killed with SIGKILL there. Whatever
 * the step, the snapshot is afterwards in exactly one place (the store or
 * the trash), and at no moment is a data directory in snapshot/localfile
 * left without a record, which cocoon's GC would take for an orphan.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import { openStore } from '../../src-core/localfile';
import type { TrashStep } from '../../src-core/trash/trash';
import { dataTar } from '../core/fixtures';
import { buildBundles, type Bundles } from './build-cli';

let bundles: Bundles;
let root: string;

beforeAll(async () => {
  bundles = await buildBundles();
});
afterAll(async () => {
  await bundles?.cleanup();
});
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-trash-crash-'));
  await openStore({ root }).trash.setSettings({ minFreeBytes: 0 });
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const dataRoot = (): string => path.join(root, 'snapshot', 'localfile');
const trashRoot = (): string => path.join(root, 'snapshot', 'trash');
const has = async (p: string): Promise<boolean> => (await fs.lstat(p).catch(() => null)) !== null;

/** Runs a trash-step child until it reports the step, then SIGKILLs it there. */
async function killAt(step: TrashStep, op: 'trash' | 'restore' | 'purge', ref: string, name?: string): Promise<void> {
  const child = spawn(process.execPath, [bundles.child, 'trash-step', root, step, op, ref, ...(name !== undefined ? [name] : [])], { env: bundles.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = '';
  const exited = once(child, 'exit');
  while (!seen.includes(`at ${step}`)) {
    const chunk = await Promise.race([once(child.stdout, 'data').then(([c]) => String(c)), exited.then(() => null)]);
    if (chunk === null) throw new Error(`the child exited before reaching ${step}`);
    seen += chunk;
  }
  child.kill('SIGKILL');
  await exited;
}

/** Every data directory in snapshot/localfile has a record: cocoon's GC finds no orphan. */
async function expectNoOrphanForCocoon(): Promise<void> {
  const raw = JSON.parse(await fs.readFile(path.join(root, 'snapshot', 'db', 'snapshots.json'), 'utf8')) as { snapshots: Record<string, unknown> };
  const dirs = (await fs.readdir(dataRoot(), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const dir of dirs) expect(Object.keys(raw.snapshots)).toContain(dir);
}

/** Where the snapshot is after recovery: 'store', 'trash', or a failure if neither or both. */
async function whereIs(id: string): Promise<'store' | 'trash'> {
  const store = openStore({ root });
  const inTrash = (await store.trash.list()).items.some((i) => i.snapshot.id === id);
  const inStore = (await store.list()).some((s) => s.id === id);
  expect([inStore, inTrash]).not.toEqual([true, true]);
  expect([inStore, inTrash]).not.toEqual([false, false]);
  if (inStore) {
    expect(await has(path.join(dataRoot(), id, 'mem'))).toBe(true);
    expect(await has(path.join(trashRoot(), id))).toBe(false);
    return 'store';
  }
  expect(await has(path.join(trashRoot(), id, 'mem'))).toBe(true);
  expect(await has(path.join(dataRoot(), id))).toBe(false);
  return 'trash';
}

async function snapshot(name: string): Promise<string> {
  const id = newSnapshotId();
  await openStore({ root }).create({ id, name }, dataTar({ mem: 'memory', vmstate: 'state' }));
  return id;
}

describe('a kill at any step of a trash operation leaves the snapshot in exactly one place', () => {
  const trashSteps: [TrashStep, 'store' | 'trash'][] = [
    ['trash:entry-written', 'store'],
    ['trash:dir-moved', 'trash'],
    ['trash:record-removed', 'trash'],
  ];
  for (const [step, expected] of trashSteps) {
    it(`moving to the trash, killed after ${step}: in the ${expected} after recovery`, async () => {
      const id = await snapshot('web');
      await killAt(step, 'trash', 'web');
      await expectNoOrphanForCocoon();
      expect(await whereIs(id)).toBe(expected);
      // GC agrees and changes nothing more.
      await openStore({ root }).gc();
      expect(await whereIs(id)).toBe(expected);
    });
  }

  const restoreSteps: [TrashStep, 'store' | 'trash'][] = [
    ['restore:entry-marked', 'trash'],
    ['restore:record-added', 'trash'],
    ['restore:dir-moved', 'store'],
  ];
  for (const [step, expected] of restoreSteps) {
    it(`restoring under a new name, killed after ${step}: in the ${expected} after recovery`, async () => {
      const id = await snapshot('web');
      await openStore({ root }).trash.moveToTrash([id]);
      await snapshot('web');
      await killAt(step, 'restore', id, 'web-restored');
      await expectNoOrphanForCocoon();
      expect(await whereIs(id)).toBe(expected);
      const store = openStore({ root });
      await store.gc();
      expect(await whereIs(id)).toBe(expected);
      if (expected === 'store') expect((await store.inspect(id)).name).toBe('web-restored');
      // Whatever happened, the name it was to take is free or its own, and a second restore can finish the job.
      if (expected === 'trash') expect((await store.trash.restore(id, { name: 'web-restored' })).id).toBe(id);
    });
  }

  for (const step of ['purge:marked', 'purge:dir-removed'] as const) {
    it(`deleting for ever, killed after ${step}: recovery finishes the deletion`, async () => {
      const id = await snapshot('web');
      await openStore({ root }).trash.moveToTrash([id]);
      await killAt(step, 'purge', id);
      const store = openStore({ root });
      expect((await store.trash.list()).items).toEqual([]);
      expect(await fs.readdir(trashRoot())).toEqual(['trash.json']);
      expect(await store.list()).toEqual([]);
    });
  }
});
