import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src-core/localfile';
import { runCli } from './run-cli';

let root: string;
let src: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-cli-trash-'));
  src = path.join(root, 'src');
  await fs.mkdir(src);
  await fs.writeFile(path.join(src, 'mem'), Buffer.alloc(4096, 7));
  await openStore({ root: store() }).trash.setSettings({ minFreeBytes: 0 });
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const store = (): string => path.join(root, 'store');
const cli = (...args: string[]) => runCli(['--root', store(), ...args]);

async function create(name: string): Promise<string> {
  const r = await cli('create', '--from-dir', src, '--name', name);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('snapdesk trash', () => {
  it('rm stays permanent: nothing goes to the trash', async () => {
    await create('web');
    expect((await cli('rm', 'web')).code).toBe(0);
    expect(await cli('trash', 'list', '--json').then((r) => (JSON.parse(r.stdout) as { items: unknown[] }).items)).toEqual([]);
  });

  it('lists what the app moved to the trash, restores it by name, and says how to pass --name when the name is taken', async () => {
    const id = await create('web');
    await openStore({ root: store() }).trash.moveToTrash(['web']);
    const listed = await cli('trash', 'list');
    expect(listed.stdout).toMatch(new RegExp(`^ID +NAME +SIZE +DELETED \\(UTC\\) +PURGED AFTER \\(UTC\\)\\n${id.slice(0, 12)} +web +4 KiB `));
    expect(listed.stdout).toMatch(/1 in the trash, 4 KiB; kept 7 days\n$/);
    await create('web');
    const refused = await cli('trash', 'restore', 'web');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`snapdesk: cannot restore "web": a snapshot of that name exists now; restore it under another name (for example "web-2"): run "snapdesk trash restore web --name "web-2""\n`);
    const restored = await cli('trash', 'restore', 'web', '--name', 'web-old');
    expect(restored).toEqual({ code: 0, stdout: `${id}\n`, stderr: '' });
    expect((await openStore({ root: store() }).inspect('web-old')).id).toBe(id);
  });

  it('rm deletes from the trash for ever, empty deletes the rest, bad subcommands name the usage', async () => {
    const a = await create('a');
    await create('b');
    await openStore({ root: store() }).trash.moveToTrash(['a', 'b']);
    expect(await cli('trash', 'rm', 'a')).toEqual({ code: 0, stdout: `${a}\n`, stderr: '' });
    expect(await cli('trash', 'empty')).toEqual({ code: 0, stdout: 'deleted 1 snapshot for ever\n', stderr: '' });
    expect((await cli('trash', 'list', '--json')).stdout).toContain('"items": []');
    const bad = await cli('trash', 'shred');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown trash subcommand "shred" \(usage: snapdesk trash list/);
    expect((await cli('trash', 'restore', 'nothing')).stderr).toMatch(/nothing in the trash has the ID, name or ID prefix "nothing"/);
  });
});
