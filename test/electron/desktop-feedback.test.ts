import { describe, expect, it } from 'vitest';
import type { Task } from '../../electron/app/contract';
import { finishedNotification, progressBarValue } from '../../electron/desktop/feedback';

const task = (over: Partial<Task>): Task => ({
  id: 't',
  kind: 'export',
  title: 'Export web',
  state: 'done',
  bytesDone: 10,
  bytesTotal: 10,
  rate: 0,
  etaSeconds: null,
  file: null,
  startedAt: 0,
  finishedAt: 60_000,
  error: null,
  result: { fileName: 'web.tgz' },
  ...over,
});

describe('taskbar and notifications', () => {
  it('the taskbar bar disappears when idle, is indeterminate without totals, and shows the fraction otherwise', () => {
    expect(progressBarValue({ active: 0, fraction: null })).toBe(-1);
    expect(progressBarValue({ active: 1, fraction: null })).toBeGreaterThan(1);
    expect(progressBarValue({ active: 2, fraction: 0.5 })).toBe(0.5);
  });

  it('a long task finishing while the window is unfocused notifies; focused, short or cancelled ones do not', () => {
    expect(finishedNotification(task({}), false)).toEqual({ title: 'Export web finished', body: 'Saved web.tgz' });
    expect(finishedNotification(task({ state: 'failed', error: { code: 'no_space', message: 'disk full' } }), false)).toEqual({
      title: 'Export web failed',
      body: 'disk full',
    });
    expect(finishedNotification(task({}), true)).toBeNull();
    expect(finishedNotification(task({ finishedAt: 1000 }), false)).toBeNull();
    expect(finishedNotification(task({ state: 'cancelled' }), false)).toBeNull();
  });
});
