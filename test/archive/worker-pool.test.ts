import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { WORKER_NICE_STEP, WorkerPool } from '../../src-core/archive/worker-pool';

// Answers a job with the worker's own thread id, as the kernel names it.
const SAYS_ITS_THREAD = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (job) => {
  if (job.stop) return parentPort.close();
  parentPort.postMessage({ id: job.id, thread: require('node:fs').readlinkSync('/proc/thread-self') });
});
`;

/** A thread's nice value as /proc shows it (stat field 19), read here, not by the code under test. */
const niceOf = (thread: string): number => Number(readFileSync(`/proc/${thread}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);

describe('worker pool scheduling priority', () => {
  it.skipIf(process.platform !== 'linux')('runs its workers below the main thread, which keeps its own priority', async () => {
    const before = getPriority();
    const pool = new WorkerPool(SAYS_ITS_THREAD, 2, null, 'test');
    try {
      const replies = await Promise.all([pool.run({}), pool.run({})]);
      expect(WORKER_NICE_STEP).toBeGreaterThan(0);
      for (const reply of replies) expect(niceOf(reply.thread as string)).toBe(Math.min(19, before + WORKER_NICE_STEP));
      expect(niceOf('thread-self')).toBe(before);
      expect(getPriority()).toBe(before);
    } finally {
      await pool.terminate();
    }
  });
});
