// @vitest-environment jsdom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLOCK_SKEW_SECONDS, formatRelativeTime } from '../../renderer/format/time';
import { RelativeTime } from '../../renderer/shared/RelativeTime';
import { tickFor } from '../../renderer/shared/use-clock';
import { FakeApi, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();
const DAY = 86_400;

describe('relative times (Intl.RelativeTimeFormat)', () => {
  it('hands over between units at counts that read the same in the next unit', () => {
    expect(formatRelativeTime(ago(44), NOW)).toBe('now');
    expect(formatRelativeTime(ago(45), NOW)).toBe('1 minute ago');
    expect(formatRelativeTime(ago(44 * 60), NOW)).toBe('44 minutes ago');
    expect(formatRelativeTime(ago(45 * 60), NOW)).toBe('1 hour ago');
    expect(formatRelativeTime(ago(21 * 3600), NOW)).toBe('21 hours ago');
    expect(formatRelativeTime(ago(22 * 3600), NOW)).toBe('yesterday');
    expect(formatRelativeTime(ago(25 * DAY), NOW)).toBe('25 days ago');
    expect(formatRelativeTime(ago(26 * DAY), NOW)).toBe('1 month ago');
    expect(formatRelativeTime(ago(320 * DAY), NOW)).toBe('11 months ago');
    expect(formatRelativeTime(ago(3 * 365 * DAY), NOW)).toBe('3 years ago');
  });

  it('the short form, for the list\'s Created column, is never longer than "25 days ago"', () => {
    expect(formatRelativeTime(ago(44 * 60), NOW, 'short')).toBe('44 min. ago');
    expect(formatRelativeTime(ago(21 * 3600), NOW, 'short')).toBe('21 hr. ago');
    expect(formatRelativeTime(ago(22 * 3600), NOW, 'short')).toBe('yesterday');
    expect(formatRelativeTime(ago(320 * DAY), NOW, 'short')).toBe('11 mo. ago');
    expect(formatRelativeTime(ago(44), NOW, 'short')).toBe('now');
    let longest = '';
    for (let s = 0; s <= 3 * 365 * DAY; s += 600) {
      const text = formatRelativeTime(ago(s), NOW, 'short');
      if (text.length > longest.length) longest = text;
    }
    expect(longest.length).toBeLessThanOrEqual('25 days ago'.length);
  });

  it('never says "12 months": day by day through the second year, months stop at 11 and years follow', () => {
    const seen = new Set<string>();
    for (let d = 300; d <= 800; d++) seen.add(formatRelativeTime(ago(d * DAY), NOW));
    expect([...seen]).not.toContain('12 months ago');
    expect([...seen]).toEqual(['10 months ago', '11 months ago', '1 year ago', '2 years ago']);
  });

  it('a creation time slightly ahead of this clock reads "now", not "in the future"; far ahead is said as such', () => {
    expect(formatRelativeTime(ago(-5), NOW)).toBe('now');
    expect(formatRelativeTime(ago(-(CLOCK_SKEW_SECONDS - 1)), NOW)).toBe('now');
    expect(formatRelativeTime(ago(-10 * 60), NOW)).toBe('in 10 minutes');
  });

  it('the shared clock ticks every second while the newest time is under a minute old, then every minute', () => {
    expect(tickFor(NOW - 5_000, NOW)).toBe(1_000);
    expect(tickFor(NOW - 59_000, NOW)).toBe(1_000);
    expect(tickFor(NOW - 60_000, NOW)).toBe(60_000);
    expect(tickFor(null, NOW)).toBe(60_000);
  });
});

describe('relative times on screen', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a fresh time moves from "now" to "1 minute ago" within seconds of turning 45 s old, not at the next whole minute', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    render(<RelativeTime iso={ago(40)} />);
    expect(document.body).toHaveTextContent('now');
    act(() => vi.advanceTimersByTime(6_000));
    expect(document.body).toHaveTextContent('1 minute ago');
  });

  it('a snapshot made a moment ago reads "now" in the list and in the details panel, and both move on together (the list in its short form)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    // Its clock ran 20 s ahead of this window's: the list used to say "in the future" here.
    const fresh = makeSnapshot({ name: 'fresh', created_at: ago(-20) });
    const { user } = await renderApp(new FakeApi({ snapshots: [fresh, makeSnapshot({ name: 'old', created_at: ago(400 * DAY) })] }));
    const row = screen.getByRole('row', { name: 'fresh' });
    expect(within(row).getByText('now', { selector: 'time' })).toBeInTheDocument();
    await user.click(row);
    const panel = screen.getByRole('complementary', { name: 'Details' });
    await waitFor(() => expect(within(panel).getByText('(now)')).toBeInTheDocument());

    act(() => vi.advanceTimersByTime(70_000));
    expect(within(row).getByText('1 min. ago', { selector: 'time' })).toBeInTheDocument();
    expect(within(panel).getByText('(1 minute ago)')).toBeInTheDocument();
    expect(within(screen.getByRole('row', { name: 'old' })).getByText('1 yr. ago', { selector: 'time' })).toBeInTheDocument();
  });
});
