// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { formatBytes, formatMemory, formatRate } from '../../renderer/format/bytes';
import { displayName, listNames, shortId } from '../../renderer/format/ids';
import { freeName, nameProblem } from '../../renderer/format/names';
import { formatEta, formatRelativeTime } from '../../renderer/format/time';
import { isArchiveName, splitArchiveFiles } from '../../renderer/features/imports/file-kinds';

describe('formatting for people', () => {
  it('byte sizes use binary units, whole numbers stay whole', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(150.4 * 1024 ** 3)).toBe('150 GiB');
    expect(formatBytes(2.01 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('memory shows GiB or MiB and a dash when unset', () => {
    expect(formatMemory(1073741824)).toBe('1 GiB');
    expect(formatMemory(536870912)).toBe('512 MiB');
    expect(formatMemory(undefined)).toBe('—');
  });

  it('rates and remaining times read naturally', () => {
    expect(formatRate(5 * 1024 ** 2)).toBe('5 MiB/s');
    expect(formatRate(0)).toBe('—');
    expect(formatEta(42)).toBe('42 s left');
    expect(formatEta(125)).toBe('2 min 5 s left');
    expect(formatEta(3 * 3600 + 60)).toBe('3 h 1 min left');
    expect(formatEta(null)).toBe('');
  });

  it('relative times count from the given now', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(formatRelativeTime('2026-11-28T11:59:50Z', now)).toBe('now');
    expect(formatRelativeTime('2026-11-28T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelativeTime('2026-11-28T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelativeTime('2026-11-27T11:00:00Z', now)).toBe('yesterday');
    expect(formatRelativeTime('2026-11-18T12:00:00Z', now)).toBe('10 days ago');
    expect(formatRelativeTime('2025-11-28T12:00:00Z', now)).toBe('1 year ago');
    expect(formatRelativeTime('not a date', now)).toBe('—');
  });

  it('short IDs are 8 characters and unnamed snapshots are called by them', () => {
    expect(shortId('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe('ABCDEFGH');
    expect(displayName({ id: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', name: '' })).toBe('unnamed ABCDEFGH');
    expect(displayName({ id: 'X', name: 'web' })).toBe('web');
  });

  it('lists of names are joined as a sentence', () => {
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b'])).toBe('a and b');
    expect(listNames(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('a, b and 3 others');
  });

  it('a name with a slash or control character is refused before it is sent', () => {
    expect(nameProblem('web-golden')).toBeNull();
    expect(nameProblem('a/b')).toMatch(/slashes/);
    expect(nameProblem('a\u0007b')).toMatch(/control/);
    expect(nameProblem('x'.repeat(257))).toMatch(/256/);
  });

  it('a free name counts up from -2 past the taken ones', () => {
    const taken = new Set(['web', 'web-2', 'web-3']);
    expect(freeName('web', (n) => taken.has(n))).toBe('web-4');
    expect(freeName('web-2', (n) => taken.has(n))).toBe('web-4');
  });

  it('only .tgz, .tar.gz and .tar files count as archives', () => {
    expect(isArchiveName('a.tgz')).toBe(true);
    expect(isArchiveName('A.TAR.GZ')).toBe(true);
    expect(isArchiveName('a.tar')).toBe(true);
    expect(isArchiveName('a.zip')).toBe(false);
    expect(isArchiveName('tar')).toBe(false);
    const { accepted, refused } = splitArchiveFiles([{ name: 'x.tgz' }, { name: 'notes.txt' }]);
    expect(accepted.map((f) => f.name)).toEqual(['x.tgz']);
    expect(refused.map((f) => f.name)).toEqual(['notes.txt']);
  });
});
