import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src-core/cli/main';
import { dirDigest, noise, sparseFile } from './dir-target';

interface Run {
  code: number;
  stdout: Buffer;
  stderr: string;
}

async function snapdesk(args: string[], opts: { stdin?: Buffer; tty?: boolean } = {}): Promise<Run> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]): Writable =>
    new Writable({
      write(c: Buffer, _e, cb) {
        into.push(Buffer.from(c));
        cb();
      },
    });
  const code = await main(args, {
    stdin: opts.stdin ? Readable.from([opts.stdin]) : new PassThrough().end(),
    stdout: sink(out),
    stderr: sink(err),
    stderrIsTTY: opts.tty ?? false,
    env: {},
  });
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() };
}

describe('snapdesk export / import / verify / preview', () => {
  let work: string;
  let rootA: string;
  let rootB: string;
  let data: string;

  beforeEach(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-cli-'));
    rootA = path.join(work, 'a');
    rootB = path.join(work, 'b');
    data = path.join(work, 'data');
    await fs.mkdir(data);
    await fs.writeFile(path.join(data, 'mem'), noise(2 * 1024 * 1024, 3));
    await sparseFile(path.join(data, 'cow.raw'), 16 * 1024 * 1024, [{ offset: 1024 * 1024, bytes: noise(4096, 4) }]);
    const created = await snapdesk(['--root', rootA, 'create', '--from-dir', data, '--name', 'web', '--description', 'cli test']);
    expect(created).toMatchObject({ code: 0 });
  });
  afterEach(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('export -o FILE, then verify, preview and import FILE into another root', async () => {
    const file = path.join(work, 'web.tgz');
    const exp = await snapdesk(['--root', rootA, 'export', 'web', '-o', file]);
    expect(exp).toMatchObject({ code: 0, stdout: Buffer.alloc(0) });
    expect(exp.stderr).toMatch(/exported web to .*web\.tgz/);

    const ver = await snapdesk(['verify', file]);
    expect(ver.code).toBe(0);
    expect(ver.stdout.toString()).toMatch(/^OK: "web" — 2 data files, .*\(1 sparse\), gzip/);
    // Against a store that has "web" already, verify says the import will need another name.
    const here = await snapdesk(['--root', rootA, 'verify', file]);
    expect(here.stdout.toString().split('\n')[1]).toBe('note: a snapshot named "web" is already in this store; import it with --name "web-2".');
    expect((await snapdesk(['--root', rootB, 'verify', file])).stdout.toString()).not.toContain('note:');
    const json = await snapdesk(['verify', file, '--json']);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ gzip: true, files: [{ name: 'cow.raw', sparse: true }, { name: 'mem', sparse: false }] });

    const pre = await snapdesk(['--root', rootA, 'preview', file]);
    expect(JSON.parse(pre.stdout.toString())).toMatchObject({ config: { name: 'web', description: 'cli test' }, nameTaken: true, suggestedName: 'web-2' });

    const imp = await snapdesk(['--root', rootB, 'import', file, '--name', 'copy']);
    expect(imp.code).toBe(0);
    const id = imp.stdout.toString().trim();
    expect(id).toMatch(/^[A-Z2-7]{26}$/);
    expect(await dirDigest(path.join(rootB, 'snapshot', 'localfile', id))).toEqual(await dirDigest(data));

    // The same file again under the same name is refused, saying what to do.
    const again = await snapdesk(['--root', rootB, 'import', file, '--name', 'copy']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/"copy" already exists/);
  });

  it('export -o - writes only the archive to stdout, and import - reads it from stdin', async () => {
    const exp = await snapdesk(['--root', rootA, 'export', 'web', '-o', '-']);
    expect(exp.code).toBe(0);
    expect(exp.stderr).toBe('');
    expect(exp.stdout.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const imp = await snapdesk(['--root', rootB, 'import', '-'], { stdin: exp.stdout });
    expect(imp.code).toBe(0);
    const id = imp.stdout.toString().trim();
    expect(await dirDigest(path.join(rootB, 'snapshot', 'localfile', id))).toEqual(await dirDigest(data));
  });

  it('--no-gzip writes a raw tar; --level is checked', async () => {
    const file = path.join(work, 'web.tar');
    expect((await snapdesk(['--root', rootA, 'export', 'web', '-o', file, '--no-gzip'])).code).toBe(0);
    expect((await fs.readFile(file)).subarray(257, 262).toString()).toBe('ustar');
    const bad = await snapdesk(['--root', rootA, 'export', 'web', '-o', path.join(work, 'x.tgz'), '--level', '12']);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/--level must be a number from 1/) });
    expect(await fs.readdir(work)).not.toContain('x.tgz');
  });

  it('export refuses to replace an existing file unless --force', async () => {
    const file = path.join(work, 'web.tgz');
    await fs.writeFile(file, 'keep me');
    const refused = await snapdesk(['--root', rootA, 'export', 'web', '-o', file]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists.*--force/) });
    expect(await fs.readFile(file, 'utf8')).toBe('keep me');
    expect((await snapdesk(['--root', rootA, 'export', 'web', '-o', file, '--force'])).code).toBe(0);
    expect((await fs.readFile(file)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('draws progress on stderr only when it is a terminal', async () => {
    const file = path.join(work, 'web.tgz');
    const tty = await snapdesk(['--root', rootA, 'export', 'web', '-o', file], { tty: true });
    expect(tty.stderr).toContain('\u001b[2Kexporting [');
    expect(tty.stderr).toMatch(/exporting .*%/);
    const imp = await snapdesk(['--root', rootB, 'import', file], { tty: true });
    expect(imp.stderr).toContain('\r\u001b[2Kimporting ');
    expect(imp.stdout.toString()).toMatch(/^[A-Z2-7]{26}\n$/);
  });

  it('a broken archive is one clear line on stderr and exit code 1', async () => {
    const file = path.join(work, 'bad.tgz');
    await fs.writeFile(file, Buffer.from('this is not an archive at all, just some text long enough'));
    const ver = await snapdesk(['verify', file]);
    expect(ver).toMatchObject({ code: 1, stderr: expect.stringMatching(/^snapdesk: invalid snapshot archive: .*\n$/) });
    const imp = await snapdesk(['--root', rootB, 'import', path.join(work, 'missing.tgz')]);
    expect(imp).toMatchObject({ code: 1, stderr: expect.stringMatching(/no such file/) });
  });
});

