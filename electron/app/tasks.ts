import { randomBytes } from 'node:crypto';
import { SnapDeskError, cancelled, isSnapDeskError, toErrorData } from '../../src-core/errors';
import type { Progress } from '../../src-core/types';
import type { Task, TaskKind, TaskResult } from './contract';

export interface TaskRunContext {
  signal: AbortSignal;
  onProgress(progress: Progress): void;
}

export interface TaskSpec {
  kind: TaskKind;
  title: string;
  bytesTotal?: number | null;
  run(ctx: TaskRunContext): Promise<TaskResult>;
  /** Runs after the work settled and before the final state is announced (e.g. deleting an uploaded copy). */
  onSettled?(task: Task): Promise<void> | void;
}

/** Progress of all unfinished tasks together, for the taskbar. */
export interface AggregateProgress {
  active: number;
  /** 0..1 when every active task knows its total; null otherwise (indeterminate). */
  fraction: number | null;
}

export interface TaskManagerOptions {
  /** Tasks running at once; the rest wait queued. */
  concurrency?: number;
  /** Every announced change of a task (progress throttled, state changes immediate). */
  onUpdate?: (task: Task) => void;
  onAggregate?: (progress: AggregateProgress) => void;
  /** A task reached done, failed or cancelled. */
  onFinished?: (task: Task) => void;
  /** Minimum time between two progress announcements of one task. */
  throttleMs?: number;
  now?: () => number;
  /** Timer for the trailing announcement; returns a canceller. */
  schedule?: (fn: () => void, ms: number) => () => void;
}

const FINAL_STATES = new Set(['done', 'failed', 'cancelled']);
/** Rate samples closer than this are merged, so a burst of tiny chunks does not make the rate jitter. */
const RATE_WINDOW_MS = 500;
const RATE_SMOOTHING = 0.3;

interface Entry {
  task: Task;
  spec: TaskSpec;
  controller: AbortController;
  lastEmit: number;
  cancelTrailing: (() => void) | null;
  sample: { t: number; bytes: number };
  settled: Promise<Task>;
  resolveSettled: (task: Task) => void;
}

const defaultSchedule = (fn: () => void, ms: number): (() => void) => {
  const timer = setTimeout(fn, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
};

export const isFinished = (task: Task): boolean => FINAL_STATES.has(task.state);

/**
 * Long operations (export, import, verify) as cancellable tasks with
 * byte progress, a smoothed rate and an ETA, run with bounded concurrency.
 */
export class TaskManager {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private readonly concurrency: number;
  private readonly throttleMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;

  constructor(private readonly opts: TaskManagerOptions = {}) {
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.throttleMs = opts.throttleMs ?? 100;
    this.now = opts.now ?? Date.now;
    this.schedule = opts.schedule ?? defaultSchedule;
  }

  /** Creates the task (queued, or running when a slot is free) and returns a snapshot of it. */
  start(spec: TaskSpec): Task {
    const id = randomBytes(12).toString('base64url');
    const t = this.now();
    const task: Task = {
      id,
      kind: spec.kind,
      title: spec.title,
      state: 'queued',
      bytesDone: 0,
      bytesTotal: spec.bytesTotal ?? null,
      rate: 0,
      etaSeconds: null,
      file: null,
      startedAt: t,
      finishedAt: null,
      error: null,
      result: null,
    };
    let resolveSettled: (task: Task) => void = () => undefined;
    const settled = new Promise<Task>((resolve) => {
      resolveSettled = resolve;
    });
    const entry: Entry = { task, spec, controller: new AbortController(), lastEmit: t, cancelTrailing: null, sample: { t, bytes: 0 }, settled, resolveSettled };
    this.entries.set(id, entry);
    this.queue.push(entry);
    this.announce(entry);
    this.pump();
    return { ...entry.task };
  }

  get(id: string): Task | undefined {
    const entry = this.entries.get(id);
    return entry ? { ...entry.task } : undefined;
  }

  list(): Task[] {
    return [...this.entries.values()].map((e) => ({ ...e.task }));
  }

  /** Resolves with the task once it is done, failed or cancelled. */
  wait(id: string): Promise<Task> {
    return this.entry(id).settled;
  }

  /** A queued task is dropped at once; a running one is aborted and settles after its cleanup. */
  cancel(id: string): void {
    const entry = this.entry(id);
    if (isFinished(entry.task)) return;
    if (entry.task.state === 'queued') {
      // Not in the queue any more: an earlier cancel is already settling it (splice(-1) would drop another task).
      const at = this.queue.indexOf(entry);
      if (at < 0) return;
      this.queue.splice(at, 1);
      entry.controller.abort();
      void this.settle(entry, 'cancelled', cancelled(entry.task.title));
      return;
    }
    entry.controller.abort();
  }

  /** Forgets finished tasks. */
  clear(): void {
    for (const [id, entry] of this.entries) if (isFinished(entry.task)) this.entries.delete(id);
  }

  /** Cancels everything and waits for the cleanups (app quit, server close). */
  async shutdown(): Promise<void> {
    const open = [...this.entries.values()].filter((e) => !isFinished(e.task));
    for (const entry of open) this.cancel(entry.task.id);
    await Promise.all(open.map((e) => e.settled));
  }

  aggregate(): AggregateProgress {
    let active = 0;
    let done = 0;
    let total = 0;
    let known = true;
    for (const { task } of this.entries.values()) {
      if (isFinished(task)) continue;
      active++;
      if (task.bytesTotal && task.bytesTotal > 0) {
        done += Math.min(task.bytesDone, task.bytesTotal);
        total += task.bytesTotal;
      } else known = false;
    }
    return { active, fraction: active > 0 && known && total > 0 ? done / total : null };
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new SnapDeskError('not_found', `no task with ID "${id}" (it may have been cleared)`, { taskId: id });
    return entry;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift() as Entry;
      this.run(entry);
    }
  }

  private run(entry: Entry): void {
    this.running++;
    const t = this.now();
    entry.task.state = 'running';
    entry.task.startedAt = t;
    entry.sample = { t, bytes: 0 };
    this.announce(entry);
    const { signal } = entry.controller;
    let work: Promise<TaskResult>;
    try {
      work = entry.spec.run({ signal, onProgress: (p) => this.progress(entry, p) });
    } catch (err) {
      work = Promise.reject(err);
    }
    work.then(
      (result) => (signal.aborted ? this.settle(entry, 'cancelled', cancelled(entry.task.title)) : this.settle(entry, 'done', undefined, result)),
      (err: unknown) => this.settle(entry, signal.aborted || isSnapDeskError(err, 'cancelled') ? 'cancelled' : 'failed', signal.aborted ? cancelled(entry.task.title) : err),
    ).finally(() => {
      this.running--;
      this.pump();
    });
  }

  private progress(entry: Entry, p: Progress): void {
    const { task } = entry;
    if (task.state !== 'running') return;
    task.bytesDone = p.bytesDone;
    if (p.bytesTotal !== undefined) task.bytesTotal = p.bytesTotal;
    if (p.file !== undefined) task.file = p.file;
    const t = this.now();
    const dt = t - entry.sample.t;
    if (dt >= RATE_WINDOW_MS) {
      const instant = ((p.bytesDone - entry.sample.bytes) * 1000) / dt;
      task.rate = task.rate === 0 ? instant : task.rate * (1 - RATE_SMOOTHING) + instant * RATE_SMOOTHING;
      entry.sample = { t, bytes: p.bytesDone };
    }
    task.etaSeconds = task.bytesTotal !== null && task.rate > 0 ? Math.max(0, (task.bytesTotal - task.bytesDone) / task.rate) : null;

    const since = t - entry.lastEmit;
    if (since >= this.throttleMs) {
      this.announce(entry);
    } else if (!entry.cancelTrailing) {
      // The last tick of a burst still gets announced, just later.
      entry.cancelTrailing = this.schedule(() => {
        entry.cancelTrailing = null;
        if (entry.task.state === 'running') this.announce(entry);
      }, this.throttleMs - since);
    }
  }

  private async settle(entry: Entry, state: 'done' | 'failed' | 'cancelled', err?: unknown, result?: TaskResult): Promise<void> {
    const { task } = entry;
    try {
      await entry.spec.onSettled?.({ ...task, state });
    } catch (cleanupErr) {
      console.error(`snapdesk: cleanup after task ${task.id} failed:`, cleanupErr);
    }
    task.state = state;
    task.finishedAt = this.now();
    task.etaSeconds = null;
    task.rate = 0;
    if (state === 'done') {
      task.result = result ?? {};
      if (task.bytesTotal !== null) task.bytesDone = task.bytesTotal;
    } else {
      task.error = toErrorData(err);
    }
    this.announce(entry);
    this.opts.onFinished?.({ ...task });
    entry.resolveSettled({ ...task });
  }

  private announce(entry: Entry): void {
    entry.cancelTrailing?.();
    entry.cancelTrailing = null;
    entry.lastEmit = this.now();
    this.opts.onUpdate?.({ ...entry.task });
    this.opts.onAggregate?.(this.aggregate());
  }
}
