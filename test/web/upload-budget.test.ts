import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, statfs, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storePaths } from '../../src-core/paths';
import { startWebServer, uploadsParent } from '../../electron/web/server';
import { UploadBudget } from '../../electron/web/upload-budget';
import { webApp } from './helpers/web-app';

const FIXTURE = join(__dirname, '..', 'fixtures', 'good', 'cocoon-fc.tar');
const MB = 1024 * 1024;
let app: Awaited<ReturnType<typeof webApp>> | null = null;
let dir: string | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** A file system with `bytes` free, whatever else writes to the real one meanwhile. */
const free = (bytes: number) => async (): Promise<number> => bytes;

describe('upload budget', () => {
  it('counts the file system’s real free space', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-budget-'));
    const budget = new UploadBudget(dir, { maxBytes: Number.MAX_SAFE_INTEGER, maxConcurrent: 10, marginBytes: 0 });
    const fs = await statfs(dir);
    await expect(budget.check([{ name: 'a.tgz', size: 1 }])).resolves.toBeUndefined();
    await expect(budget.check([{ name: 'a.tgz', size: fs.blocks * fs.bsize + 1 }])).rejects.toMatchObject({ code: 'no_space' });
  });

  it('uploads in flight reserve their declared size: two that each fit alone cannot both start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-budget-'));
    const budget = new UploadBudget(dir, { maxBytes: 1024 ** 4, maxConcurrent: 10, marginBytes: 28 * MB }, free(128 * MB));
    const first = await budget.reserve({ name: 'a.tgz', size: 60 * MB });
    await expect(budget.check([{ name: 'b.tgz', size: 60 * MB }])).rejects.toMatchObject({ code: 'no_space' });
    await expect(budget.reserve({ name: 'b.tgz', size: 60 * MB })).rejects.toMatchObject({ code: 'no_space', message: expect.stringMatching(/^not enough space in .* for b\.tgz/) });
    // What has landed on disk is counted by the file system, no longer by the reservation.
    first.landed(20 * MB);
    expect(budget.inFlight).toBe(40 * MB);
    first.release();
    expect(budget.inFlight).toBe(0);
    (await budget.reserve({ name: 'b.tgz', size: 60 * MB })).release();
  });

  it('uploads starting at the same moment cannot all pass the free-space check', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-budget-'));
    const budget = new UploadBudget(dir, { maxBytes: 1024 ** 4, maxConcurrent: 10, marginBytes: 28 * MB }, free(128 * MB));
    const outcomes = await Promise.allSettled([0, 1, 2].map((i) => budget.reserve({ name: `${i}.tgz`, size: 45 * MB })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(['no_space']);
  });

  it('caps how many uploads arrive at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-budget-'));
    const budget = new UploadBudget(dir, { maxBytes: 1024 ** 4, maxConcurrent: 2, marginBytes: 0 });
    const held = [await budget.reserve({ name: 'a', size: 1 }), await budget.reserve({ name: 'b', size: 1 })];
    await expect(budget.reserve({ name: 'c', size: 1 })).rejects.toMatchObject({ code: 'locked', message: expect.stringMatching(/2 uploads are already arriving/) });
    held[0]?.release();
    held[0]?.release();
    const again = await budget.reserve({ name: 'c', size: 1 });
    await expect(budget.reserve({ name: 'd', size: 1 })).rejects.toMatchObject({ code: 'locked' });
    again.release();
    held[1]?.release();
  });
});

/** Starts an upload of `declared` bytes, sends `first` of them, and leaves it open; `finish` sends the rest. */
function openUpload(port: number, auth: Record<string, string>, name: string, body: Buffer) {
  let answer: (text: string) => void = () => undefined;
  const answered = new Promise<string>((resolve) => (answer = resolve));
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/archives', headers: { ...auth, 'Content-Length': String(body.length), 'X-Snapdesk-File-Name': name } }, (res) => {
    let text = '';
    res.on('data', (d: Buffer) => (text += d.toString('utf8')));
    res.on('end', () => answer(text));
  });
  req.on('error', () => answer(''));
  req.write(body.subarray(0, 512));
  return { answered, finish: () => req.end(body.subarray(512)), abort: () => req.destroy() };
}

describe('web shell uploads', () => {
  it('live under the store root, outside the folder cocoon’s GC sweeps, and go with the server', async () => {
    app = await webApp();
    const { dataRoot, root } = storePaths(app.root);
    const where = relative(root, app.server.uploadDir);
    expect(where).toMatch(/^snapshot\/\.snapdesk-uploads\/server-\d+-/);
    expect(relative(dataRoot, app.server.uploadDir).startsWith('..')).toBe(true);
    expect((await stat(app.server.uploadDir)).dev).toBe((await stat(root)).dev);
    // A fresh root's snapshot folder gets the mode the store gives it; the uploads folder is private.
    expect((await stat(join(root, 'snapshot'))).mode & 0o777).toBe(0o755 & ~process.umask());
    expect((await stat(uploadsParent(root))).mode & 0o777).toBe(0o700);
    const [ref] = await app.client.registerFiles([new File([await readFile(FIXTURE)], 'fc.tar')]);
    // Our own GC leaves an upload waiting for its import alone.
    await app.server.context.store().gc();
    expect(await app.client.call('archives.preview', { archiveId: ref?.id as string })).toMatchObject({ config: {} });
    await app.server.close();
    await expect(readdir(join(root, 'snapshot'))).resolves.not.toContain('.snapdesk-uploads');
  });

  it('a server starting on a root removes the uploads of servers that died there without closing, and no living one’s', async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-orphans-'));
    const parent = uploadsParent(join(dir, 'root'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await mkdir(join(parent, `server-${dead}-aaaaaa`, 'upload-1'), { recursive: true });
    await writeFile(join(parent, `server-${dead}-aaaaaa`, 'upload-1', 'archive'), 'partial');
    await mkdir(join(parent, `server-${process.ppid}-bbbbbb`), { recursive: true });
    const server = await startWebServer({ root: join(dir, 'root'), port: 0, rendererDir: dir });
    try {
      expect((await readdir(parent)).sort()).toEqual([`server-${process.ppid}-bbbbbb`, relative(parent, server.uploadDir)].sort());
    } finally {
      await server.close();
    }
  });

  it('an upload that would fit alone is refused while others in flight hold the space, and is taken once they end', async () => {
    const body = await readFile(FIXTURE);
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-budget-'));
    // Room for one of these uploads at a time.
    app = await webApp({ uploadMarginBytes: 0, freeSpace: free(body.length * 1.5) });
    const first = openUpload(app.server.port, app.auth, 'first.tar', body);
    await expect.poll(async () => (await readdir(app!.server.uploadDir)).length).toBe(1);
    const second = openUpload(app.server.port, app.auth, 'second.tar', body);
    expect(JSON.parse(await second.answered)).toMatchObject({ ok: false, error: { code: 'no_space' } });
    const check = await fetch(`${app.server.origin}/api/archives/check`, { method: 'POST', headers: { ...app.auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ files: [{ fileName: 'x.tar', size: body.length }] }) });
    expect(await check.json()).toMatchObject({ ok: false, error: { code: 'no_space' } });
    first.finish();
    expect(JSON.parse(await first.answered)).toMatchObject({ ok: true, result: { name: 'first.tar' } });
    expect(await readdir(app.server.uploadDir)).toHaveLength(1);
  });

  it('an upload beyond the concurrent-upload cap is refused in words and keeps nothing', async () => {
    const body = await readFile(FIXTURE);
    app = await webApp({ maxConcurrentUploads: 1 });
    const first = openUpload(app.server.port, app.auth, 'first.tar', body);
    await expect.poll(async () => (await readdir(app!.server.uploadDir)).length).toBe(1);
    const second = openUpload(app.server.port, app.auth, 'second.tar', body);
    expect(JSON.parse(await second.answered)).toMatchObject({ ok: false, error: { code: 'locked' } });
    first.abort();
    await expect.poll(async () => (await readdir(app!.server.uploadDir)).length, { timeout: 10_000 }).toBe(0);
    const [ref] = await app.client.registerFiles([new File([body], 'third.tar')]);
    expect(ref?.name).toBe('third.tar');
  });
});
