// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LIST_RECEIVED_MARK } from '../../renderer/features/snapshots/actions';
import { FakeApi, makeSnapshot } from './fake-api';
import { dataRows, renderApp } from './render-app';

function many(n: number) {
  const base = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) =>
    makeSnapshot({ name: `snap-${String(i).padStart(5, '0')}`, created_at: new Date(base + i * 60_000).toISOString() }),
  );
}

describe('ten thousand snapshots', () => {
  it('render as a window of rows, not ten thousand elements', async () => {
    const { stores } = await renderApp(new FakeApi({ snapshots: many(10_000) }));
    const grid = screen.getByRole('grid', { name: 'Snapshots' });
    expect(grid).toHaveAttribute('aria-rowcount', '10001');
    const rows = dataRows();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    // Newest first: the last one created leads.
    expect(rows[0]).toHaveAttribute('aria-label', 'snap-09999');
    expect(stores.visible()).toHaveLength(10_000);
  });

  it('marks each list arrival for DevTools and the list benchmark, with the count', async () => {
    performance.clearMarks(LIST_RECEIVED_MARK);
    await renderApp(new FakeApi({ snapshots: many(10_000) }));
    const marks = performance.getEntriesByName(LIST_RECEIVED_MARK) as PerformanceMark[];
    expect(marks.length).toBeGreaterThan(0);
    expect(marks[marks.length - 1]?.detail).toEqual({ count: 10_000 });
  });

  it('scrolling the body brings the rows there into the DOM', async () => {
    await renderApp(new FakeApi({ snapshots: many(10_000) }));
    const body = document.querySelector('.grid-body') as HTMLElement;
    act(() => {
      body.scrollTop = 34 * 5000;
      fireEvent.scroll(body);
    });
    const labels = dataRows().map((r) => r.getAttribute('aria-label'));
    expect(labels).toContain('snap-04999');
    expect(labels).not.toContain('snap-09999');
    expect(labels.length).toBeLessThan(60);
  });

  it('End jumps to the last row and selects it, and search narrows all ten thousand', async () => {
    const { user, stores } = await renderApp(new FakeApi({ snapshots: many(10_000) }));
    screen.getByRole('grid').focus();
    await user.keyboard('{End}');
    expect(stores.selection.getState().focus).toBe(stores.visible()[9999]?.id);
    expect(screen.getByRole('row', { name: 'snap-00000' })).toHaveAttribute('aria-selected', 'true');
    await user.type(screen.getByRole('searchbox'), 'snap-0424');
    expect(dataRows().map((r) => r.getAttribute('aria-label'))).toHaveLength(10);
  });
});
