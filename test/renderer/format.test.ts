// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { displayName, listNames, shortId } from '../../renderer/format/ids';
import { formatEta, formatRelativeTime } from '../../renderer/format/time';

describe('formatting for people', () => {
  it('remaining times read naturally', () => {
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
});
