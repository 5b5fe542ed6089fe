import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreLock } from '../../src-core/lock';
import { storePaths, type StorePaths } from '../../src-core/paths';
import { AsyncRWLock } from '../../src-core/rwlock';

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the in-process readers-writer lock', () => {
  it('writers never overlap and readers share', async () => {
    const lock = new AsyncRWLock();
    let writers = 0;
    let readers = 0;
    let maxReaders = 0;
    const write = async (): Promise<void> => {
      const release = await lock.acquire('exclusive');
      writers++;
      expect(writers).toBe(1);
      expect(readers).toBe(0);
      await tick(1);
      writers--;
      release();
    };
    const read = async (): Promise<void> => {
      const release = await lock.acquire('shared');
      readers++;
      maxReaders = Math.max(maxReaders, readers);
      expect(writers).toBe(0);
      await tick(2);
      readers--;
      release();
    };
    await Promise.all([read(), read(), write(), read(), write(), read(), read()]);
    expect(maxReaders).toBeGreaterThan(1);
  });

  it('a waiting writer goes before readers that came after it', async () => {
    const lock = new AsyncRWLock();
    const order: string[] = [];
    const r1 = await lock.acquire('shared');
    const w = lock.acquire('exclusive').then((release) => {
      order.push('writer');
      release();
    });
    const r2 = lock.acquire('shared').then((release) => {
      order.push('late reader');
      release();
    });
    await tick();
    expect(order).toEqual([]);
    r1();
    await Promise.all([w, r2]);
    expect(order).toEqual(['writer', 'late reader']);
  });

  it('releasing twice is harmless', async () => {
    const lock = new AsyncRWLock();
    const release = await lock.acquire('exclusive');
    release();
    release();
    const again = await lock.acquire('exclusive');
    again();
  });
});

describe('the cross-process store lock (flock on snapshots.lock)', () => {
  let root: string;
  let paths: StorePaths;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-lock-'));
    paths = storePaths(root);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Another process holding flock(1) on the lock file until we tell it to stop. */
  async function holdWithFlockTool(mode: '-x' | '-s'): Promise<{ release(): Promise<void> }> {
    await fs.mkdir(paths.dbDir, { recursive: true });
    const child = spawn('flock', [mode, paths.lockFile, 'sh', '-c', 'echo held; read line'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    expect(chunk.toString()).toContain('held');
    return {
      async release() {
        child.stdin.end('\n');
        await once(child, 'exit');
      },
    };
  }

  const canTake = (mode: '-x' | '-s'): boolean => spawnSync('flock', ['-n', mode, paths.lockFile, 'true']).status === 0;

  it('a write waits while another process holds flock -x, without blocking the event loop', async () => {
    const holder = await holdWithFlockTool('-x');
    let acquired = false;
    const write = new StoreLock(paths).withExclusive(async () => {
      acquired = true;
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await tick(300);
    clearInterval(timer);
    expect(acquired).toBe(false);
    expect(ticks).toBeGreaterThan(3);
    await holder.release();
    await write;
    expect(acquired).toBe(true);
  });

  it('a read waits for another process\'s exclusive lock but shares with its shared lock', async () => {
    const exclusive = await holdWithFlockTool('-x');
    let read = false;
    const reading = new StoreLock(paths).withShared(async () => {
      read = true;
    });
    await tick(200);
    expect(read).toBe(false);
    await exclusive.release();
    await reading;
    expect(read).toBe(true);

    const shared = await holdWithFlockTool('-s');
    await new StoreLock(paths).withShared(async () => undefined);
    await shared.release();
  });

  it('while the store holds its write lock, other processes can take neither lock; while reading, only a shared one', async () => {
    const lock = new StoreLock(paths);
    await lock.withExclusive(async () => {
      expect(canTake('-x')).toBe(false);
      expect(canTake('-s')).toBe(false);
    });
    expect(canTake('-x')).toBe(true);
    await lock.withShared(async () => {
      expect(canTake('-s')).toBe(true);
      expect(canTake('-x')).toBe(false);
    });
  });

  it('the lock is released when the work throws', async () => {
    const lock = new StoreLock(paths);
    await expect(lock.withExclusive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(canTake('-x')).toBe(true);
    await lock.withExclusive(async () => undefined);
  });

  it('reading a root that does not exist creates nothing', async () => {
    const missing = storePaths(path.join(root, 'no', 'such'));
    await new StoreLock(missing).withShared(async () => undefined);
    await expect(fs.stat(path.join(root, 'no'))).rejects.toThrow();
  });
});
