// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { createSelectionStore } from '../../renderer/features/snapshots/selection-store';
import { aggregate, createTasksStore, taskPercent } from '../../renderer/features/transfers/tasks-store';
import { createViewStore, visibleSnapshots } from '../../renderer/features/snapshots/view-store';
import type { Task } from '../../renderer/contract';
import { GiB, MiB, makeSnapshot } from './fake-api';

// The view store saves the layout; each test starts from none.
afterEach(() => localStorage.clear());

const order = ['a', 'b', 'c', 'd', 'e'];

describe('selection rules', () => {
  it('a click selects one row and makes it the anchor', () => {
    const s = createSelectionStore();
    s.getState().selectOnly('b');
    s.getState().selectOnly('c');
    expect([...s.getState().selected]).toEqual(['c']);
    expect(s.getState().anchor).toBe('c');
    expect(s.getState().focus).toBe('c');
  });

  it('shift selects the range from the anchor, in either direction, replacing the range before', () => {
    const s = createSelectionStore();
    s.getState().selectOnly('b');
    s.getState().extendTo('d', order);
    expect([...s.getState().selected]).toEqual(['b', 'c', 'd']);
    s.getState().extendTo('a', order);
    expect([...s.getState().selected]).toEqual(['a', 'b']);
    expect(s.getState().anchor).toBe('b');
    expect(s.getState().focus).toBe('a');
  });

  it('ctrl toggles one row without touching the others and moves the anchor', () => {
    const s = createSelectionStore();
    s.getState().selectOnly('a');
    s.getState().toggle('c');
    expect([...s.getState().selected].sort()).toEqual(['a', 'c']);
    s.getState().toggle('a');
    expect([...s.getState().selected]).toEqual(['c']);
    expect(s.getState().anchor).toBe('a');
    s.getState().extendTo('c', order);
    expect([...s.getState().selected]).toEqual(['a', 'b', 'c']);
  });

  it('select all takes every row shown; prune forgets rows that are gone', () => {
    const s = createSelectionStore();
    s.getState().selectAll(order);
    expect(s.getState().selected.size).toBe(5);
    s.getState().prune((id) => id !== 'c' && id !== 'a');
    expect([...s.getState().selected]).toEqual(['b', 'd', 'e']);
  });

  it('shift without an anchor starts the range at the clicked row', () => {
    const s = createSelectionStore();
    s.getState().extendTo('c', order);
    expect([...s.getState().selected]).toEqual(['c']);
  });
});

describe('sort and search', () => {
  const list = [
    makeSnapshot({ name: 'web-10', memory: 2 * GiB, created_at: '2026-01-03T00:00:00Z', description: 'nginx', image: 'ubuntu:24.04' }),
    makeSnapshot({ name: 'web-9', memory: 512 * MiB, created_at: '2026-01-01T00:00:00Z', image: 'alpine' }),
    makeSnapshot({ name: 'db', memory: GiB, created_at: '2026-01-02T00:00:00Z', usage: null }),
  ];

  it('names sort naturally (web-9 before web-10) and flip on a second click', () => {
    const v = createViewStore();
    v.getState().sortBy('name');
    expect(v.getState().sortDir).toBe('asc');
    expect(visibleSnapshots(list, 'name', 'asc', '').map((s) => s.name)).toEqual(['db', 'web-9', 'web-10']);
    v.getState().sortBy('name');
    expect(v.getState().sortDir).toBe('desc');
  });

  it('the default is newest first; sizes start largest first', () => {
    const v = createViewStore();
    expect(v.getState().sortKey).toBe('created');
    expect(visibleSnapshots(list, 'created', 'desc', '').map((s) => s.name)).toEqual(['web-10', 'db', 'web-9']);
    v.getState().sortBy('memory');
    expect(v.getState().sortDir).toBe('desc');
    expect(visibleSnapshots(list, 'memory', 'desc', '').map((s) => s.name)).toEqual(['web-10', 'db', 'web-9']);
  });

  it('an unreadable size sorts below every readable one', () => {
    expect(visibleSnapshots(list, 'size', 'asc', '')[0]?.name).toBe('db');
  });

  it('search matches every word across name, ID, description and image, ignoring case', () => {
    expect(visibleSnapshots(list, 'name', 'asc', 'NGINX').map((s) => s.name)).toEqual(['web-10']);
    expect(visibleSnapshots(list, 'name', 'asc', 'alpine').map((s) => s.name)).toEqual(['web-9']);
    expect(visibleSnapshots(list, 'name', 'asc', 'web ubuntu').map((s) => s.name)).toEqual(['web-10']);
    const id = (list[2] as { id: string }).id.slice(0, 6);
    expect(visibleSnapshots(list, 'name', 'asc', id.toLowerCase()).map((s) => s.name)).toEqual(['db']);
    expect(visibleSnapshots(list, 'name', 'asc', 'nothing-like-this')).toEqual([]);
  });
});

const task = (id: string, p: Partial<Task> = {}): Task => ({
  id,
  kind: 'export',
  title: `Export ${id}`,
  state: 'running',
  bytesDone: 0,
  bytesTotal: 100,
  rate: 0,
  etaSeconds: null,
  file: null,
  startedAt: 0,
  finishedAt: null,
  error: null,
  result: null,
  ...p,
});

describe('task updates', () => {
  it('an update replaces one task and keeps the order array when the task is known', () => {
    const t = createTasksStore();
    t.getState().upsert(task('a'));
    t.getState().upsert(task('b'));
    const order = t.getState().order;
    const b = t.getState().byId.b;
    t.getState().upsert(task('a', { bytesDone: 50 }));
    expect(t.getState().order).toBe(order);
    expect(t.getState().byId.b).toBe(b);
    expect(t.getState().byId.a?.bytesDone).toBe(50);
  });

  it('clearing finished keeps the running ones', () => {
    const t = createTasksStore();
    t.getState().upsert(task('a', { state: 'done' }));
    t.getState().upsert(task('b'));
    t.getState().upsert(task('c', { state: 'failed' }));
    t.getState().removeFinished();
    expect(t.getState().order).toEqual(['b']);
  });

  it('the aggregate counts running tasks and their overall percent', () => {
    const byId = { a: task('a', { bytesDone: 50 }), b: task('b', { bytesDone: 100, bytesTotal: 300 }), c: task('c', { state: 'done' }) };
    expect(aggregate(byId)).toEqual({ running: 2, percent: 37 });
    expect(aggregate({})).toEqual({ running: 0, percent: null });
    expect(taskPercent(task('x', { bytesTotal: null }))).toBeNull();
    expect(taskPercent(task('x', { state: 'done', bytesTotal: null }))).toBe(100);
  });
});
