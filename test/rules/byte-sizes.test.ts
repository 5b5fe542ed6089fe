import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatExactBytes, formatNumber, formatOptionalBytes, formatRate } from '../../src-core/rules';

describe('byte sizes, one format for the CLI and the window', () => {
  it('binary units; whole numbers stay whole, one decimal below 100, none from 100 up', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(12.34 * 1024 ** 3)).toBe('12.3 GiB');
    expect(formatBytes(150.4 * 1024 ** 3)).toBe('150 GiB');
    expect(formatBytes(2.01 * 1024 ** 3)).toBe('2 GiB');
    expect(formatBytes(3 * 1024 ** 5)).toBe('3 PiB');
  });

  it('rounding never shows 1024 of a unit', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MiB');
    expect(formatBytes(1023.7 * 1024 ** 2)).toBe('1 GiB');
  });

  it('no size is a dash', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
    expect(formatOptionalBytes(undefined)).toBe('—');
    expect(formatOptionalBytes(0)).toBe('—');
    expect(formatOptionalBytes(1073741824)).toBe('1 GiB');
  });

  it('rates', () => {
    expect(formatRate(5 * 1024 ** 2)).toBe('5 MiB/s');
    expect(formatRate(12.5 * 1024 ** 2)).toBe('12.5 MiB/s');
    expect(formatRate(0)).toBe('—');
  });
});

describe('counts', () => {
  it('thousands separators, and the noun singular only for one', () => {
    expect(formatNumber(10000)).toBe('10,000');
    expect(formatCount(1, 'snapshot')).toBe('1 snapshot');
    expect(formatCount(0, 'snapshot')).toBe('0 snapshots');
    expect(formatCount(10000, 'snapshot')).toBe('10,000 snapshots');
    expect(formatCount(2, 'orphan data directory', 'orphan data directories')).toBe('2 orphan data directories');
    expect(formatExactBytes(1536)).toBe('1,536 bytes');
    expect(formatExactBytes(1)).toBe('1 byte');
  });
});
