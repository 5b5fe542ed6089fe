/**
 * A fixed set of worker threads built from source text (eval), with a job
 * queue: a job is a message (its buffers moved, not copied), its answer the
 * worker's reply. Jobs finish in any order; callers keep theirs.
 *
 * The worker source must answer each job `{ id, … }` with `{ id, … }` (or
 * `{ id, error, code }`), may post messages without an id (reported to
 * `onNotice`), and must leave when sent `{ stop: true }`, once idle.
 */
import { Worker } from 'node:worker_threads';

/**
 * How much lower than the process's the workers' scheduling priority is, in
 * nice steps. A transfer keeps every core busy with its workers; at equal
 * priority the main thread, woken to hand out the next job or send progress,
 * waits its turn behind them (in A/B runs here, 0.6 s of an export's 4 s).
 * A lower priority lets it in first and roughly halves that wait, at no
 * cost to the transfer while nothing else wants the CPUs; against another
 * busy program the workers get the smaller share, as background work should.
 * Linux keeps a nice value per thread (setpriority(2), BUGS); elsewhere it
 * is the process's, so there the workers are left as they are.
 */
export const WORKER_NICE_STEP = 5;

/** Run first in each worker: lowers its own thread's priority by WORKER_NICE_STEP, where a thread has its own. */
const LOWER_OWN_PRIORITY = `
if (process.platform === 'linux') {
  try {
    const os = require('node:os');
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + ${WORKER_NICE_STEP}));
  } catch {
    // No /proc, or not allowed: the worker runs at the process's priority.
  }
}
`;

/** How long a worker asked to stop may take to finish its job before it is terminated. */
const STOP_GRACE_MS = 10_000;

let liveWorkers = 0;
/** Pool worker threads currently running (all of them end when their pool is terminated). */
export const livePoolWorkers = (): number => liveWorkers;

/** A worker's reply to a job. */
export interface WorkerReply {
  id?: number;
  error?: string;
  code?: string;
  [key: string]: unknown;
}

interface Job {
  message: Record<string, unknown>;
  transfer: ArrayBuffer[];
  resolve: (r: WorkerReply) => void;
  reject: (err: Error) => void;
}

/** An error a worker reported for a job: its message and code, as thrown there. */
export class WorkerJobError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];
  /** Workers that have not exited yet. */
  private readonly running = new Set<Worker>();
  private nextId = 0;
  private dead: Error | null = null;

  constructor(
    source: string,
    size: number,
    workerData: unknown,
    /** What the workers do, for the error when one stops: "compression", "decompression". */
    private readonly work: string,
    onNotice: (message: Record<string, unknown>) => void = () => undefined,
  ) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(LOWER_OWN_PRIORITY + source, { eval: true, workerData });
      liveWorkers++;
      worker.on('message', (reply: WorkerReply) => (reply.id === undefined ? onNotice(reply) : this.onReply(worker, reply)));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        liveWorkers--;
        this.running.delete(worker);
        if (!this.dead) this.fail(new Error(`a ${this.work} worker stopped unexpectedly (exit code ${code})`));
      });
      this.workers.push(worker);
      this.running.add(worker);
      this.idle.push(worker);
    }
  }

  /** Runs one job; `transfer` lists the buffers that move to the worker (they come back in the reply, if at all). */
  run(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead);
      this.queue.push({ message, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.postMessage({ ...job.message, id: this.nextId++ }, job.transfer);
    }
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (job) {
      if (reply.error === undefined) job.resolve(reply);
      else job.reject(new WorkerJobError(reply.error, reply.code));
    }
    this.dispatch();
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const job of [...this.busy.values(), ...this.queue.splice(0)]) job.reject(err);
    this.busy.clear();
    void this.terminate();
  }

  /**
   * Stops every worker; resolves once they have exited. A worker is asked to
   * leave and finishes the job in hand first (a few milliseconds): one torn
   * down in the middle of a native call (koffi's) can take the whole process
   * with it, as koffi cannot raise its error in a dying thread. One that has
   * not left after STOP_GRACE_MS is terminated.
   */
  async terminate(): Promise<void> {
    this.dead ??= new Error(`${this.work} stopped`);
    const leaving = this.workers.splice(0).filter((w) => this.running.has(w));
    await Promise.all(
      leaving.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ stop: true });
          }),
      ),
    );
  }
}
