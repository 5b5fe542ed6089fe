import { describe, expect, it } from 'vitest';
import { defaultRoot, resolveRoot, userDataDir } from '../../src-core/default-root';
import { assertSnapshotId, isSnapshotId, newSnapshotId } from '../../src-core/ids';
import { freeName, validateName } from '../../src-core/names';
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

describe('snapshot names', () => {
  it('a free name is derived by counting up', () => {
    const taken = new Set(['web', 'web-2', 'db-7']);
    expect(freeName('web', (n) => taken.has(n))).toBe('web-3');
    expect(freeName('db-7', (n) => taken.has(n))).toBe('db-8');
    expect(freeName('new', (n) => taken.has(n))).toBe('new');
    expect(freeName('', () => true)).toBe('');
  });

  it('slashes and control characters are refused, unicode is fine', () => {
    expect(() => validateName('a/b')).toThrow('slashes');
    expect(() => validateName('a\\b')).toThrow('slashes');
    expect(() => validateName('a\nb')).toThrow('control');
    expect(() => validateName('x'.repeat(257))).toThrow('too long');
    expect(validateName('ünïcødé snapshot ✓')).toBe('ünïcødé snapshot ✓');
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
