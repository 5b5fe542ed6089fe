import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { defaultRoot, resolveRoot, userDataDir } from '../../src-core/default-root';
import { assertSnapshotId, isSnapshotId, newSnapshotId } from '../../src-core/ids';
import { validateDescription, validateName } from '../../src-core/names';
import { storePaths } from '../../src-core/paths';
import { configEntries, validateConfig } from '../../src-core/record';

describe('snapshot IDs', () => {
  it('are 26 characters of RFC 4648 base32 and differ every time', () => {
    const ids = new Set(Array.from({ length: 2000 }, newSnapshotId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[A-Z2-7]{26}$/);
    // Every one of the 32 characters shows up: the mapping is not biased away from any.
    expect(new Set([...ids].join('')).size).toBe(32);
  });

  it('anything that could become a path is refused', () => {
    for (const bad of ['', '../../etc', 'abcdefghijklmnopqrstuvwxyz', 'ABC', 'ABCDEFGHIJKLMNOPQRSTUVWXY/', 'ABCDEFGHIJKLMNOPQRSTUVWXY1']) {
      expect(isSnapshotId(bad)).toBe(false);
      expect(() => assertSnapshotId(bad)).toThrow(/snapshot ID/);
    }
    expect(assertSnapshotId('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });
});

describe('snapshot names the store writes', () => {
  it('slashes, backslashes, any length and any script are fine, as in cocoon', () => {
    for (const ok of ['team/web', 'a\\b', 'x'.repeat(5000), 'ünïcødé snapshot ✓', '']) expect(validateName(ok)).toBe(ok);
    expect(validateDescription('d'.repeat(5000))).toHaveLength(5000);
    expect(validateDescription('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });

  it('control and invisible formatting characters are refused with a typed error, the name escaped, a cleaned one attached', () => {
    let err: unknown;
    try {
      validateName('evil\u202egpj\u001b[2J');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapDeskError);
    const e = err as SnapDeskError;
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe('snapshot name "evil\\u202egpj\\u001b[2J" refused: A name cannot contain control or invisible formatting characters (it has \\u202e).');
    expect(e.details).toEqual({ field: 'name', suggestion: 'evilgpj[2J' });
    expect(() => validateDescription('red\u001b[31m')).toThrow(/description refused: .*\\u001b/);
  });
});

describe('config validation', () => {
  it('a config from a caller is checked field by field', () => {
    expect(() => validateConfig({ name: 'x', cpu: '2' })).toThrow('field "cpu" must be an integer');
    expect(() => validateConfig({ name: 5 })).toThrow('field "name" must be a string');
    expect(() => validateConfig('nope')).toThrow('must be an object');
    expect(validateConfig({ cpu: 2, memory: 0, hypervisor: 'firecracker' })).toEqual({ name: '', cpu: 2, hypervisor: 'firecracker' });
  });

  it('fields come out in Go struct order with omitempty', () => {
    const entries = configEntries({ nics: 1, name: 'n', cpu: 2, image_blob_ids: { b: {}, a: {} }, windows: false, id: 'I' });
    expect(entries).toEqual([
      ['cpu', 2],
      ['id', 'I'],
      ['name', 'n'],
      ['image_blob_ids', { a: {}, b: {} }],
      ['nics', 1],
    ]);
  });
});

describe('the store layout and the default root', () => {
  it('paths follow cocoon: snapshot/db/snapshots.json, .lock and snapshot/localfile', () => {
    const p = storePaths('/var/lib/cocoon');
    expect(p.indexFile).toBe('/var/lib/cocoon/snapshot/db/snapshots.json');
    expect(p.lockFile).toBe('/var/lib/cocoon/snapshot/db/snapshots.lock');
    expect(p.dataRoot).toBe('/var/lib/cocoon/snapshot/localfile');
  });

  it("the default root is <userData>/store with Electron's userData for \"Snapshot Desk\"", () => {
    expect(defaultRoot({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.config/Snapshot Desk/store');
    expect(defaultRoot({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/u' })).toBe('/xdg/Snapshot Desk/store');
    expect(defaultRoot({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Snapshot Desk/store');
    expect(defaultRoot({ platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' })).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Snapshot Desk\\store',
    );
    expect(userDataDir({ platform: 'linux', env: {}, home: '/h' })).toBe('/h/.config/Snapshot Desk');
  });

  it('--root wins over SNAPDESK_ROOT, which wins over the default', () => {
    expect(resolveRoot({ cliRoot: 'rel', env: { SNAPDESK_ROOT: '/env' }, cwd: '/cwd' })).toEqual({ root: '/cwd/rel', source: 'cli' });
    expect(resolveRoot({ env: { SNAPDESK_ROOT: '/env' } })).toEqual({ root: '/env', source: 'env' });
    expect(resolveRoot({ env: { XDG_CONFIG_HOME: '/xdg' } })).toEqual({ root: process.platform === 'linux' ? '/xdg/Snapshot Desk/store' : expect.any(String), source: 'default' });
  });
});
