import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGlobal } from '../../src-core/cli/args';
import { openStore } from '../../src-core/localfile';
import { runCli } from './run-cli';

let root: string;
let src: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-cli-'));
  src = path.join(root, 'src');
  await fs.mkdir(src);
  await fs.writeFile(path.join(src, 'vmstate'), 'state');
  await fs.writeFile(path.join(src, 'mem'), Buffer.alloc(4096, 7));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const store = (): string => path.join(root, 'store');
const cli = (...args: string[]) => runCli(['--root', store(), ...args]);

async function create(name: string, ...extra: string[]): Promise<string> {
  const r = await cli('create', '--from-dir', src, '--name', name, ...extra);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('snapdesk store commands', () => {
  it('create --from-dir stores the directory\'s files with --config fields and prints the new ID', async () => {
    const id = await create('web', '--description', 'from the CLI', '--config', '{"cpu":2,"memory":1073741824,"hypervisor":"firecracker","id":"IGNORED"}');
    expect(id).toMatch(/^[A-Z2-7]{26}$/);
    const details = await openStore({ root: store() }).inspect(id);
    expect(details).toMatchObject({ name: 'web', description: 'from the CLI', cpu: 2, memory: 1073741824, hypervisor: 'firecracker' });
    expect(details.files.map((f) => [f.name, f.size])).toEqual([
      ['mem', 4096],
      ['vmstate', 5],
    ]);
  });

  it('list prints a table sorted by creation time with the columns people need', async () => {
    const a = await create('first', '--config', '{"cpu":2,"memory":2147483648,"hypervisor":"cloud-hypervisor"}');
    await create('second');
    const r = await cli('list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+HYPERVISOR\s+CPU\s+MEMORY\s+SIZE\s+CREATED \(UTC\)$/);
    expect(lines[1]).toContain(a.slice(0, 12));
    expect(lines[1]).toMatch(/first\s+cloud-hypervisor\s+2\s+2 GiB\s+\d/);
    expect(lines[2]).toContain('second');
    expect(lines).toHaveLength(3);
  });

  it('list --json prints the snapshots with cocoon field names', async () => {
    const id = await create('j', '--config', '{"cpu":1}');
    const r = await cli('list', '--json');
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list).toEqual([{ cpu: 1, id, name: 'j', created_at: expect.any(String) }]);
  });

  it('inspect prints the details as JSON', async () => {
    const id = await create('i');
    const r = await cli('inspect', id.slice(0, 5));
    const details = JSON.parse(r.stdout) as { id: string; files: unknown[]; usage: { size: number } };
    expect(details.id).toBe(id);
    expect(details.usage.size).toBe(4101);
  });

  it('rename and rm print the IDs they changed', async () => {
    const id = await create('old');
    expect((await cli('rename', 'old', '--name', 'new', '--description', 'd')).stdout).toBe(`${id}\n`);
    expect((await cli('rm', 'new')).stdout).toBe(`${id}\n`);
    expect((await cli('list', '--json')).stdout.trim()).toBe('[]');
  });

  it('gc reports what it removed', async () => {
    await fs.mkdir(path.join(store(), 'snapshot', 'localfile', 'ORPHANORPHANORPHANORPHAN22'), { recursive: true });
    const r = await cli('gc');
    expect(r.stdout).toBe('removed 1 orphan data directory and 0 stale pending records\norphan ORPHANORPHANORPHANORPHAN22\n');
  });

  it('SNAPDESK_ROOT selects the store when --root is not given', async () => {
    await create('env');
    const r = await runCli(['list', '--json'], { SNAPDESK_ROOT: store() });
    expect((JSON.parse(r.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['env']);
  });

  it('--help lists every command; COMMAND --help shows one', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['list [--json]', 'inspect REF', 'rm REF...', 'rename REF', 'gc', 'create --from-dir DIR']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('--root DIR');
    const one = await runCli(['rename', '--help']);
    expect(one.stdout).toContain('Usage: snapdesk rename REF [--name NAME] [--description TEXT]');
  });
});

describe('snapdesk errors are one line on stderr with exit code 1', () => {
  const oneLine = (r: { code: number; stdout: string; stderr: string }): string => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.startsWith('snapdesk: ')).toBe(true);
    return r.stderr;
  };

  it('a ref that matches nothing says how to find one', async () => {
    expect(oneLine(await cli('inspect', 'nope'))).toBe('snapdesk: snapshot not found: no snapshot has the ID, name or ID prefix "nope" (run "snapdesk list" to see them)\n');
  });

  it('an ambiguous prefix says to give more characters and lists the matches', async () => {
    const [a, b] = ['AAAAB2AAAAAAAAAAAAAAAAAAAA', 'AAAAC2AAAAAAAAAAAAAAAAAAAA'];
    const rec = (id: string): string => `"${id}":{"id":"${id}","name":"","created_at":"2024-01-01T00:00:00Z"}`;
    await fs.mkdir(path.join(store(), 'snapshot', 'db'), { recursive: true });
    await fs.writeFile(path.join(store(), 'snapshot', 'db', 'snapshots.json'), `{"snapshots":{${rec(a)},${rec(b)}},"names":{}}`);
    const line = oneLine(await cli('inspect', 'AAAA'));
    expect(line).toBe(`snapdesk: ambiguous ref "AAAA": it is a prefix of 2 snapshot IDs (${a}, ${b}); give more characters of the ID\n`);
    expect(oneLine(await cli('rm', a, 'AAA'))).toContain('ambiguous ref "AAA"');
  });

  it('a name in use is refused naming it, with the option to pass and a free name', async () => {
    await create('dup');
    expect(oneLine(await cli('create', '--from-dir', src, '--name', 'dup'))).toBe(
      "snapdesk: a snapshot named \"dup\" already exists; choose another name with --name NAME, e.g. --name 'dup-2'.\n",
    );
  });

  it('usage mistakes name the usage', async () => {
    expect(oneLine(await cli('inspect'))).toContain('usage: snapdesk inspect REF');
    expect(oneLine(await cli('rename', 'x'))).toContain('give --name and/or --description');
    expect(oneLine(await cli('list', '--bogus'))).toContain("Unknown option '--bogus'");
    // A value that starts with a dash: what to write instead, not Node's "argument is ambiguous".
    expect(oneLine(await cli('export', 'x', '--level', '-1'))).toContain('--level needs a value; to give one that starts with "-", write --level=VALUE');
    expect(oneLine(await cli('export', 'x', '-o', '-x'))).toContain('-o needs a value; to give one that starts with "-", write --output=VALUE');
    expect(oneLine(await cli('create'))).toContain('create needs --from-dir DIR');
    expect(oneLine(await cli('create', '--from-dir', path.join(root, 'missing')))).toContain('is not a directory');
    expect(oneLine(await cli('create', '--from-dir', src, '--config', '{bad'))).toContain('--config is not valid JSON');
    expect(oneLine(await cli('create', '--from-dir', src, '--config', '{"cpu":"2"}'))).toContain('field "cpu" must be an integer');
    expect(oneLine(await runCli(['frobnicate']))).toContain('unknown command "frobnicate"');
    expect(oneLine(await runCli(['--root']))).toContain('--root needs a directory');
  });

  it('on a root that does not exist, commands that change a store say so and create nothing there; reading ones show an empty store', async () => {
    const typo = path.join(root, 'no-such-root');
    const at = (...args: string[]) => runCli(['--root', typo, ...args]);
    for (const args of [['rm', 'web'], ['rename', 'web', '--name', 'x'], ['gc'], ['trash', 'list'], ['trash', 'restore', 'web'], ['trash', 'rm', 'web'], ['trash', 'empty']]) {
      const r = await at(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`snapdesk: there is no snapshot store at ${typo} (no such folder); check --root or $SNAPDESK_ROOT\n`);
    }
    expect((await at('list', '--json')).stdout).toBe('[]\n');
    expect(await fs.stat(typo).catch(() => null)).toBeNull();
    // An existing folder that holds no store yet is a store, empty: gc there is fine.
    await fs.mkdir(typo);
    expect((await at('gc')).code).toBe(0);
  });

  it('a damaged index is one line naming the file', async () => {
    await fs.mkdir(path.join(store(), 'snapshot', 'db'), { recursive: true });
    await fs.writeFile(path.join(store(), 'snapshot', 'db', 'snapshots.json'), '{"snapshots":{"A":{"cpu":"x"}}}');
    expect(oneLine(await cli('list'))).toContain('snapshots.json is damaged');
  });

  it('without a command, the help goes to stderr with exit 1', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Usage: snapdesk');
  });
});

describe('global argument parsing', () => {
  it('--root is taken before or after the command, not after --', () => {
    expect(parseGlobal(['--root', '/a', 'list'])).toMatchObject({ root: '/a', command: 'list', rest: [] });
    expect(parseGlobal(['list', '--root=/b', '--json'])).toMatchObject({ root: '/b', command: 'list', rest: ['--json'] });
    expect(parseGlobal(['rm', '--', '--root'])).toMatchObject({ command: 'rm', rest: ['--', '--root'] });
  });
});
