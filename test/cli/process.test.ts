import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STALE_PENDING_MS } from '../../src-core/gc';
import { newSnapshotId } from '../../src-core/ids';
import { readIndex } from '../../src-core/index-file';
import { openStore } from '../../src-core/localfile';
import { buildBundles, type Bundles } from './build-cli';

const run = promisify(execFile);
let bundles: Bundles;
let root: string;
let src: string;

beforeAll(async () => {
  bundles = await buildBundles();
});
afterAll(async () => {
  await bundles?.cleanup();
});
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-proc-'));
  src = path.join(root, 'src');
  await fs.mkdir(src);
  await fs.writeFile(path.join(src, 'vmstate'), 'state');
  await fs.writeFile(path.join(src, 'mem'), 'memory');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const store = (): string => path.join(root, 'store');
const indexFile = (): string => path.join(store(), 'snapshot', 'db', 'snapshots.json');

async function snapdesk(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [bundles.cli, '--root', store(), ...args], { env: bundles.env });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`snapdesk ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** Polls until `check` holds (a child's writes land a moment after it reports; later still on a loaded machine). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts a store-child and waits until it reports it is in the middle of its work. */
async function childAt(word: string, ...args: string[]): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, [bundles.child, ...args], { env: bundles.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let seen = '';
  while (!seen.includes(word)) {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    seen += chunk.toString();
  }
  return child;
}

describe('the bundled snapdesk CLI', () => {
  it('runs from the bundle with koffi loaded by require, and fails in one line with exit 1', async () => {
    expect(await snapdesk('list', '--json')).toBe('[]\n');
    const failed = await run(process.execPath, [bundles.cli, '--root', store(), 'inspect', 'nothing'], { env: bundles.env }).then(
      () => null,
      (err: { code: number; stderr: string; stdout: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toBe('snapdesk: snapshot not found: no snapshot has the ID, name or ID prefix "nothing" (run "snapdesk list" to see them)\n');
  });

  it('two processes hammering create, rename and delete on one store lose no record', async () => {
    // Per worker, 25 rounds of 4 operations: create a, create b, rename a (name and description), rm b.
    const worker = async (w: string): Promise<void> => {
      for (let g = 0; g < 25; g++) {
        await snapdesk('create', '--from-dir', src, '--name', `${w}-${g}-a`, '--config', '{"cpu":1}');
        await snapdesk('create', '--from-dir', src, '--name', `${w}-${g}-b`);
        await snapdesk('rename', `${w}-${g}-a`, '--name', `${w}-${g}-kept`, '--description', `round ${g}`);
        await snapdesk('rm', `${w}-${g}-b`);
      }
    };
    const started = Date.now();
    await Promise.all([worker('p'), worker('q')]);
    const elapsed = Date.now() - started;
    process.stdout.write(`[measure] 2 processes x 100 CLI operations: ${elapsed} ms\n`);

    const list = JSON.parse(await snapdesk('list', '--json')) as { id: string; name: string; description?: string }[];
    const expected = ['p', 'q'].flatMap((w) => Array.from({ length: 25 }, (_, g) => `${w}-${g}-kept`)).sort();
    expect(list.map((s) => s.name).sort()).toEqual(expected);
    expect(list.every((s) => s.description === `round ${s.name.split('-')[1]}`)).toBe(true);
    const index = await readIndex(indexFile());
    expect(index.snapshots.size).toBe(50);
    expect([...index.names.keys()].sort()).toEqual(expected);
    // The directories are exactly the snapshots, and a deleted snapshot's lease file went with it: GC finds nothing to do.
    const entries = await fs.readdir(path.join(store(), 'snapshot', 'localfile'), { withFileTypes: true });
    expect(entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()).toEqual(list.map((s) => s.id).sort());
    const leases = entries.filter((e) => e.name.endsWith('.lease')).map((e) => e.name.slice(0, -'.lease'.length));
    expect(leases.every((id) => list.some((s) => s.id === id))).toBe(true);
    expect(await snapdesk('gc')).toBe('removed 0 orphan data directories and 0 stale pending records\n');
  }, 600_000);

  it('a process killed with SIGKILL mid-create leaves a readable store that GC restores to a clean state', async () => {
    const id = newSnapshotId();
    const child = await childAt('stalled', 'create', store(), id, 'interrupted');
    const dir = path.join(store(), 'snapshot', 'localfile', id);
    await eventually(async () => (await fs.readdir(dir).catch(() => [] as string[])).includes('first'), 'the first data file');
    // While the create runs, GC (from another process) leaves it alone.
    expect(await snapdesk('gc')).toContain('0 stale pending records');
    expect(await fs.readdir(dir)).toContain('first');

    child.kill('SIGKILL');
    await once(child, 'exit');

    // The index parses; the remnant is a pending record, invisible, holding its name.
    const index = await readIndex(indexFile());
    expect(index.snapshots.get(id)?.data.pending).toBe(true);
    expect(await snapdesk('list', '--json')).toBe('[]\n');
    expect(await openStore({ root: store() }).isNameTaken('interrupted')).toBe(true);

    // Its build lease died with the process, so GC knows it is a remnant without waiting 24 h.
    expect(await snapdesk('gc')).toBe(`removed 0 orphan data directories and 1 stale pending record\npending ${id}\n`);
    const after = await readIndex(indexFile());
    expect(after.snapshots.size).toBe(0);
    expect(after.names.size).toBe(0);
    expect(await fs.readdir(path.join(store(), 'snapshot', 'localfile'))).toEqual([]);
    expect(await fs.readdir(path.join(store(), 'snapshot', 'db'))).toEqual(['snapshots.json', 'snapshots.lock']);
    await snapdesk('create', '--from-dir', src, '--name', 'interrupted');
  });

  it('GC removes the lease file of an import killed with SIGKILL, with its pending record and data', async () => {
    const child = await childAt('stalled', 'import', store(), 'killed-import');
    const dataRoot = path.join(store(), 'snapshot', 'localfile');
    await eventually(async () => (await fs.readdir(dataRoot).catch(() => [] as string[])).some((n) => n.endsWith('.lease')), 'the build lease');
    const [dirName] = (await fs.readdir(dataRoot)).filter((n) => !n.endsWith('.lease'));
    expect(await fs.readdir(dataRoot)).toContain(`${dirName}.lease`);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await snapdesk('gc')).toBe(`removed 0 orphan data directories and 1 stale pending record\npending ${dirName}\n`);
    expect(await fs.readdir(dataRoot)).toEqual([]);
  });

  it('GC removes the lease file a killed import leaves after cocoon (which ignores leases) cleaned the record and directory', async () => {
    const child = await childAt('stalled', 'import', store(), 'cleaned-by-cocoon');
    const dataRoot = path.join(store(), 'snapshot', 'localfile');
    await eventually(async () => (await fs.readdir(dataRoot).catch(() => [] as string[])).some((n) => n.endsWith('.lease')), 'the build lease');
    const [dirName] = (await fs.readdir(dataRoot)).filter((n) => !n.endsWith('.lease'));
    child.kill('SIGKILL');
    await once(child, 'exit');
    // cocoon's GC, past its 24 h grace: the directory and the record go, the lease file it does not know stays.
    await fs.rm(path.join(dataRoot, dirName!), { recursive: true });
    await fs.writeFile(indexFile(), '{"snapshots":{},"names":{}}\n');
    expect(await fs.readdir(dataRoot)).toEqual([`${dirName}.lease`]);
    expect(await snapdesk('gc')).toBe('removed 0 orphan data directories and 0 stale pending records\n');
    expect(await fs.readdir(dataRoot)).toEqual([]);
  });

  it('a remnant without a build lease (as an older cocoon leaves it) waits out the 24 h grace', async () => {
    const id = newSnapshotId();
    const child = await childAt('stalled', 'create', store(), id, 'old-style');
    child.kill('SIGKILL');
    await once(child, 'exit');
    // Make it look like a remnant of a creator that takes no leases.
    await fs.rm(path.join(store(), 'snapshot', 'localfile', `${id}.lease`));
    expect(await snapdesk('gc')).toContain('0 stale pending records');
    const later = openStore({ root: store(), now: () => Date.now() + STALE_PENDING_MS + 60_000 });
    expect(await later.gc()).toEqual({ removedOrphanDirs: [], removedStalePending: [id] });
    expect(await fs.readdir(path.join(store(), 'snapshot', 'localfile'))).toEqual([]);
  });

  it('an import interrupted with SIGTERM rolls back (no record, data or lease left) and exits 143', async () => {
    // Big enough to be several gzip members: half of it is a start the import can read.
    await fs.writeFile(path.join(src, 'mem'), randomBytes(4 * 1024 * 1024));
    await snapdesk('create', '--from-dir', src, '--name', 'vm');
    await snapdesk('export', 'vm', '-o', path.join(root, 'vm.tgz'));
    await snapdesk('rm', 'vm');
    const archive = await fs.readFile(path.join(root, 'vm.tgz'));
    const child = spawn(process.execPath, [bundles.cli, '--root', store(), 'import', '--name', 'piped'], { env: bundles.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // Half the archive, then nothing: the import has begun (its build lease exists) and waits for the rest.
    child.stdin!.write(archive.subarray(0, archive.length >> 1));
    const dataRoot = path.join(store(), 'snapshot', 'localfile');
    await eventually(async () => (await fs.readdir(dataRoot).catch(() => [] as string[])).some((n) => n.endsWith('.lease')), 'the build lease');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(143);
    expect(stderr).toBe('snapdesk: import cancelled\n');
    expect(await fs.readdir(dataRoot)).toEqual([]);
    expect((await readIndex(indexFile())).snapshots.size).toBe(0);
    expect(await snapdesk('gc')).toBe('removed 0 orphan data directories and 0 stale pending records\n');
  });

  it('an export to a file interrupted with SIGINT removes its partial file and exits 130', async () => {
    // 32 MiB of word salad at level 9: seconds of work on two cores, so the signal lands mid-export.
    const words = 'snapshot memory page guest kernel vcpu restore export archive sparse region balloon device queue'.split(' ');
    const text = Buffer.allocUnsafe(32 * 1024 * 1024);
    for (let at = 0, x = 1; at < text.length; ) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      at += text.write(`${words[x % words.length]}${x % 7 === 0 ? '\n' : ' '}`, at);
    }
    await fs.writeFile(path.join(src, 'mem'), text);
    await snapdesk('create', '--from-dir', src, '--name', 'big');
    const out = path.join(root, 'out');
    await fs.mkdir(out);
    const child = spawn(process.execPath, [bundles.cli, '--root', store(), 'export', 'big', '--level', '9', '-o', path.join(out, 'big.tgz')], { env: bundles.env, stdio: 'ignore' });
    await eventually(async () => (await fs.readdir(out)).some((n) => n.endsWith('.partial')), 'the partial file');
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(130);
    expect(await fs.readdir(out)).toEqual([]);
    // Its read lease is gone too: the snapshot can be deleted.
    await snapdesk('rm', 'big');
  });

  it('a process killed while holding the lock does not leave the store locked', async () => {
    const child = await childAt('locked', 'hold-lock', store());
    let done = false;
    const write = snapdesk('create', '--from-dir', src, '--name', 'after-kill').then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    child.kill('SIGKILL');
    await write;
    expect(done).toBe(true);
  });
});
