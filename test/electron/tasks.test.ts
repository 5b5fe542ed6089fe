import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import type { Task } from '../../electron/app/contract';
import { TaskManager, type TaskRunContext } from '../../electron/app/tasks';

/** A task body the test drives by hand: progress ticks, then finish or fail. */
function controllable() {
  let ctx: TaskRunContext | null = null;
  let finish: (v: { fileName: string }) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((r) => {
    ready = r;
  });
  const run = (c: TaskRunContext): Promise<{ fileName: string }> => {
    ctx = c;
    ready();
    return new Promise((res, rej) => {
      finish = res;
      fail = rej;
      c.signal.addEventListener('abort', () => rej(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    });
  };
  return {
    run,
    started,
    progress: (bytesDone: number, file?: string) => ctx?.onProgress({ bytesDone, file }),
    finish: () => finish({ fileName: 'x.tgz' }),
    fail: (e: unknown) => fail(e),
  };
}

function manager(opts: ConstructorParameters<typeof TaskManager>[0] = {}) {
  let clock = 1_000;
  const updates: Task[] = [];
  const trailing: (() => void)[] = [];
  const tasks = new TaskManager({
    now: () => clock,
    schedule: (fn) => {
      trailing.push(fn);
      return () => trailing.splice(trailing.indexOf(fn), 1);
    },
    onUpdate: (t) => updates.push(t),
    ...opts,
  });
  return { tasks, updates, trailing, advance: (ms: number) => (clock += ms) };
}

describe('task manager', () => {
  it('a task goes from running to done and announces each state change', async () => {
    const { tasks, updates } = manager();
    const body = controllable();
    const task = tasks.start({ kind: 'export', title: 'Export web', bytesTotal: 100, run: body.run });
    await body.started;
    body.finish();
    const done = await tasks.wait(task.id);
    expect(done.state).toBe('done');
    expect(done.result).toEqual({ fileName: 'x.tgz' });
    expect(done.bytesDone).toBe(100);
    expect(updates.map((u) => u.state)).toEqual(['queued', 'running', 'done']);
  });

  it('progress is announced at most once per throttle interval, with the last tick delivered later', async () => {
    const { tasks, updates, trailing, advance } = manager();
    const body = controllable();
    const task = tasks.start({ kind: 'import', title: 'Import', bytesTotal: 1000, run: body.run });
    await body.started;
    const before = updates.length;
    for (let i = 1; i <= 100; i++) {
      advance(10); // 100 ticks over one second
      body.progress(i * 9);
    }
    const progressUpdates = updates.length - before;
    expect(progressUpdates).toBeLessThanOrEqual(11);
    expect(progressUpdates).toBeGreaterThanOrEqual(9);
    // A burst that stops between intervals leaves one trailing announcement pending.
    advance(5);
    body.progress(1000);
    expect(updates.at(-1)?.bytesDone).toBe(900);
    expect(trailing).toHaveLength(1);
    trailing[0]?.();
    expect(updates.at(-1)?.bytesDone).toBe(1000);
    body.finish();
    await tasks.wait(task.id);
  });

  it('the rate is smoothed bytes per second and the ETA follows from it', async () => {
    const { tasks, advance } = manager();
    const body = controllable();
    const task = tasks.start({ kind: 'verify', title: 'Verify', bytesTotal: 10_000, run: body.run });
    await body.started;
    advance(1000);
    body.progress(1000, 'mem');
    const t = tasks.get(task.id) as Task;
    expect(t.rate).toBe(1000);
    expect(t.etaSeconds).toBe(9);
    expect(t.file).toBe('mem');
    body.finish();
    await tasks.wait(task.id);
  });

  it('cancelling a running task aborts its signal and ends it as cancelled', async () => {
    const { tasks } = manager();
    const body = controllable();
    const task = tasks.start({ kind: 'import', title: 'Import', run: body.run });
    await body.started;
    tasks.cancel(task.id);
    const end = await tasks.wait(task.id);
    expect(end.state).toBe('cancelled');
    expect(end.error?.code).toBe('cancelled');
  });

  it('a failure keeps its error code for the renderer', async () => {
    const { tasks } = manager();
    const body = controllable();
    const task = tasks.start({ kind: 'import', title: 'Import', run: body.run });
    await body.started;
    body.fail(new SnapDeskError('name_conflict', 'taken', { name: 'web' }));
    const end = await tasks.wait(task.id);
    expect(end.state).toBe('failed');
    expect(end.error).toEqual({ code: 'name_conflict', message: 'taken', details: { name: 'web' } });
  });

  it('runs at most `concurrency` tasks at once and starts queued ones as slots free up', async () => {
    const { tasks } = manager({ concurrency: 2 });
    const bodies = [controllable(), controllable(), controllable()];
    const ids = bodies.map((b, i) => tasks.start({ kind: 'export', title: `T${i}`, run: b.run }).id);
    await Promise.all([bodies[0]?.started, bodies[1]?.started]);
    expect(ids.map((id) => tasks.get(id)?.state)).toEqual(['running', 'running', 'queued']);
    bodies[0]?.finish();
    await bodies[2]?.started;
    expect(tasks.get(ids[2] as string)?.state).toBe('running');
    bodies[1]?.finish();
    bodies[2]?.finish();
    await Promise.all(ids.map((id) => tasks.wait(id)));
  });

  it('a queued task is cancelled without ever running', async () => {
    const { tasks } = manager({ concurrency: 1 });
    const first = controllable();
    let ran = false;
    const a = tasks.start({ kind: 'export', title: 'A', run: first.run });
    const b = tasks.start({
      kind: 'export',
      title: 'B',
      run: async () => {
        ran = true;
        return {};
      },
    });
    tasks.cancel(b.id);
    expect((await tasks.wait(b.id)).state).toBe('cancelled');
    first.finish();
    await tasks.wait(a.id);
    expect(ran).toBe(false);
  });

  it('cancelling a queued task twice while its cleanup runs leaves the other queued tasks alone', async () => {
    const { tasks } = manager({ concurrency: 1 });
    const first = controllable();
    const third = controllable();
    let endCleanup: () => void = () => undefined;
    const cleanup = new Promise<void>((r) => {
      endCleanup = r;
    });
    const a = tasks.start({ kind: 'import', title: 'A', run: first.run });
    const b = tasks.start({ kind: 'import', title: 'B', run: async () => ({}), onSettled: () => cleanup });
    const c = tasks.start({ kind: 'import', title: 'C', run: third.run });
    tasks.cancel(b.id);
    // A second click on Cancel while B's cleanup (deleting its upload) is still running.
    tasks.cancel(b.id);
    endCleanup();
    expect((await tasks.wait(b.id)).state).toBe('cancelled');
    first.finish();
    await tasks.wait(a.id);
    // Let the freed slot be refilled (pump runs once A's settle chain unwinds).
    await new Promise((r) => setImmediate(r));
    expect(tasks.get(c.id)?.state).toBe('running');
    await third.started;
    third.finish();
    expect((await tasks.wait(c.id)).state).toBe('done');
  });

  it('clear forgets finished tasks only, and an unknown task ID is not_found', async () => {
    const { tasks } = manager();
    const running = controllable();
    const r = tasks.start({ kind: 'export', title: 'running', run: running.run });
    const d = tasks.start({ kind: 'export', title: 'done', run: async () => ({}) });
    await tasks.wait(d.id);
    tasks.clear();
    expect(tasks.list().map((t) => t.id)).toEqual([r.id]);
    expect(() => tasks.cancel('nope')).toThrow(expect.objectContaining({ code: 'not_found' }));
    running.finish();
    await tasks.wait(r.id);
  });

  it('aggregate progress covers unfinished tasks and finished tasks notify once', async () => {
    const aggregates: (number | null)[] = [];
    const finished: string[] = [];
    const { tasks, advance } = manager({ onAggregate: (a) => aggregates.push(a.active === 0 ? -1 : a.fraction), onFinished: (t) => finished.push(t.id) });
    const body = controllable();
    const task = tasks.start({ kind: 'import', title: 'Import', bytesTotal: 200, run: body.run });
    await body.started;
    advance(200);
    body.progress(50);
    expect(aggregates.at(-1)).toBe(0.25);
    body.finish();
    await tasks.wait(task.id);
    expect(aggregates.at(-1)).toBe(-1);
    expect(finished).toEqual([task.id]);
  });

  it('the settle hook runs before the final state is announced', async () => {
    const order: string[] = [];
    const { tasks } = manager({ onUpdate: (t) => order.push(t.state) });
    const task = tasks.start({ kind: 'import', title: 'Import', run: async () => ({}), onSettled: async () => void order.push('cleanup') });
    await tasks.wait(task.id);
    expect(order).toEqual(['queued', 'running', 'cleanup', 'done']);
  });

  it('shutdown cancels everything and waits for the cleanups', async () => {
    const { tasks } = manager({ concurrency: 1 });
    const a = controllable();
    const ta = tasks.start({ kind: 'export', title: 'A', run: a.run });
    const tb = tasks.start({ kind: 'export', title: 'B', run: async () => ({}) });
    await a.started;
    await tasks.shutdown();
    expect(tasks.get(ta.id)?.state).toBe('cancelled');
    expect(tasks.get(tb.id)?.state).toBe('cancelled');
  });
});
