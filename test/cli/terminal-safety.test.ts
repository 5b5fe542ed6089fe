/**
 * Names reach terminals escaped, never raw: a name stored by another program
 * (cocoon takes any string) with C1 codes, bidi overrides or an escape
 * sequence is listed, exported and quoted in errors with each of those
 * characters written as its `\uXXXX` escape. Archives named like cocoon names
 * them (`team/web`, long descriptions) import under what they say, and a
 * name this app refuses comes with the option to pass and a name to use.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gzip } from '../helpers/gzip-craft';
import { envelopeEntry, envelopeText, fileEntry, goodConfig, tarOf } from '../helpers/tar-craft';
import { runCli } from './run-cli';

// Every character class a terminal acts on or hides: C1 CSI, bidi override, ESC, zero-width space.
const HOSTILE = 'web\u009b2J\u202egpj\u001b[31mred\u200b';
const ESCAPED = 'web\\u009b2J\\u202egpj\\u001b[31mred\\u200b';
/** What must never reach a terminal raw. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

let root: string;
let src: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-tty-'));
  src = path.join(root, 'src');
  await fs.mkdir(src);
  await fs.writeFile(path.join(src, 'vmstate'), 'state');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const store = (): string => path.join(root, 'store');
const cli = (...args: string[]) => runCli(['--root', store(), ...args]);
const indexFile = (): string => path.join(store(), 'snapshot', 'db', 'snapshots.json');

/** A snapshot created normally, then renamed in the index file itself, as another program could. */
async function storedWithName(name: string): Promise<string> {
  const r = await cli('create', '--from-dir', src, '--name', 'placeholder');
  expect(r.code).toBe(0);
  const id = r.stdout.trim();
  const index = JSON.parse(await fs.readFile(indexFile(), 'utf8')) as { snapshots: Record<string, { name: string }>; names: Record<string, string> };
  index.snapshots[id]!.name = name;
  index.names = { [name]: id };
  await fs.writeFile(indexFile(), JSON.stringify(index));
  return id;
}

async function archiveFile(file: string, config: Record<string, unknown>): Promise<string> {
  const p = path.join(root, file);
  await fs.writeFile(p, gzip(tarOf([envelopeEntry(envelopeText(goodConfig(config))), fileEntry('state.json', '{"ok":true}\n')])));
  return p;
}

describe('a stored name with C1, bidi and escape characters', () => {
  it('is listed escaped, and the table keeps its columns', async () => {
    const id = await storedWithName(HOSTILE);
    const r = await cli('list');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    const [head, row] = r.stdout.trimEnd().split('\n');
    expect(row).toContain(`${id.slice(0, 12)}  ${ESCAPED}  `);
    // The escaped name is as wide as its column.
    expect(head!.indexOf('HYPERVISOR')).toBe(row!.indexOf(ESCAPED) + ESCAPED.length + 2);
  });

  it('is never rejected on read: list --json and inspect print it escaped, and the JSON still reads back the exact name', async () => {
    const id = await storedWithName(HOSTILE);
    const list = await cli('list', '--json');
    expect(list.stdout).not.toMatch(RAW);
    expect((JSON.parse(list.stdout) as { name: string }[])[0]!.name).toBe(HOSTILE);
    const inspect = await cli('inspect', HOSTILE);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).not.toMatch(RAW);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ id, name: HOSTILE });
  });

  it('export prints it escaped', async () => {
    await storedWithName(HOSTILE);
    const out = path.join(root, 'out.tgz');
    const r = await cli('export', HOSTILE, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toBe(`exported ${ESCAPED} to ${out} (${r.stderr.match(/\((.+)\)\n$/)![1]})\n`);
  });

  it('errors quote it escaped, on one line', async () => {
    await storedWithName(HOSTILE);
    await cli('create', '--from-dir', src, '--name', 'taken');
    const conflict = await cli('rename', HOSTILE, '--name', 'taken');
    expect(conflict.code).toBe(1);
    const missing = await cli('inspect', `${HOSTILE}-nope`);
    expect(missing.stderr).toBe(`snapdesk: snapshot not found: no snapshot has the ID, name or ID prefix "${ESCAPED}-nope" (run "snapdesk list" to see them)\n`);
    const unknown = await runCli(['\u001b]0;pwned\u0007']);
    expect(unknown.stderr).toBe('snapdesk: unknown command "\\u001b]0;pwned\\u0007" (run "snapdesk --help" to see the commands)\n');
    for (const r of [conflict, missing, unknown]) {
      expect(r.stderr).not.toMatch(RAW);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('a new name with such characters is refused, naming --name and a cleaned name to use', async () => {
    const r = await cli('create', '--from-dir', src, '--name', 'db\u202e\u001b');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toBe(
      'snapdesk: snapshot name "db\\u202e\\u001b" refused: A name cannot contain control or invisible formatting characters (it has \\u202e). ' +
        "Give the snapshot another name with --name NAME, e.g. --name 'db'.\n",
    );
    expect((await cli('rename', 'nothing', '--description', 'x\u001b')).stderr).toContain('--description TEXT');
  });
});

describe('archive names as cocoon writes them', () => {
  it('an archive named team/web with a 5,000-character description imports under what it says', async () => {
    const description = `${'long description, '.repeat(294)}end`.slice(0, 5000);
    expect(description).toHaveLength(5000);
    const file = await archiveFile('team.tgz', { name: 'team/web', description });
    const r = await cli('import', file);
    expect(r.code).toBe(0);
    const [s] = JSON.parse((await cli('list', '--json')).stdout) as { id: string; name: string; description: string }[];
    expect(s).toMatchObject({ id: r.stdout.trim(), name: 'team/web', description });
    expect((await cli('inspect', 'team/web')).code).toBe(0);
  });

  it('an archive whose name has control characters is refused with the --name to pass; preview flags it and offers that name', async () => {
    await cli('create', '--from-dir', src, '--name', 'web-golden');
    const file = await archiveFile('bad.tgz', { name: 'web-golden\u202e\u001b[2J' });
    const preview = await cli('preview', file);
    expect(preview.stdout).not.toMatch(RAW);
    expect(JSON.parse(preview.stdout)).toMatchObject({
      nameTaken: false,
      nameProblem: 'A name cannot contain control or invisible formatting characters (it has \\u202e).',
      // Cleaned, then counted on: "web-golden" itself is taken here.
      suggestedName: 'web-golden[2J',
    });
    // verify finds the archive sound, and says now what the import will stop at, with the option to pass.
    const verified = await cli('verify', file);
    expect(verified.code).toBe(0);
    expect(verified.stdout.split('\n')[1]).toBe('note: A name cannot contain control or invisible formatting characters (it has \\u202e). Import it with --name "web-golden[2J".');
    const refused = await cli('import', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'snapdesk: snapshot name "web-golden\\u202e\\u001b[2J" refused: A name cannot contain control or invisible formatting characters (it has \\u202e). ' +
        "Give the snapshot another name with --name NAME, e.g. --name 'web-golden[2J'.\n",
    );
    expect(JSON.parse((await cli('list', '--json')).stdout)).toHaveLength(1);
    const imported = await cli('import', file, '--name', 'web-golden-copy');
    expect(imported.code).toBe(0);
    expect((JSON.parse((await cli('list', '--json')).stdout) as { name: string }[]).map((s) => s.name)).toEqual(['web-golden', 'web-golden-copy']);
  });

  it('the suggested name is counted on when the cleaned name is taken too', async () => {
    await cli('create', '--from-dir', src, '--name', 'db');
    const file = await archiveFile('db.tgz', { name: 'db\u200b', description: 'red \u001b[31m' });
    expect(JSON.parse((await cli('preview', file)).stdout)).toMatchObject({
      suggestedName: 'db-2',
      descriptionProblem: expect.stringMatching(/\\u001b/),
      suggestedDescription: 'red [31m',
    });
    const r = await cli('import', file, '--name', 'db-2');
    expect(r.stderr).toContain("Give the snapshot another description with --description TEXT, e.g. --description 'red [31m'.");
  });
});
