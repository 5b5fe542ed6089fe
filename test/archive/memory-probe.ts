/**
 * Child-process entry for the memory tests: runs one store operation on an
 * archive file and prints its outcome with the process's peak resident
 * memory, so a test can measure what an archive costs without its own heap
 * in the way. Usage: memory-probe <preview|verify|import> <store root> <archive>.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { toSnapDeskError } from '../../src-core/errors';
import { openStore } from '../../src-core/localfile';

export interface ProbeResult {
  ok: boolean;
  code?: string;
  message?: string;
  /** Peak resident set size of the process, KiB. */
  peakKiB: number;
}

/**
 * Peak resident memory of this process, KiB. VmHWM belongs to this process's
 * own address space; getrusage's maxRSS also counts the parent's memory at
 * the fork that started it (Linux carries it across exec), so it is only the
 * fallback where /proc is missing.
 */
function peakKiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

async function run(op: string, root: string, file: string): Promise<ProbeResult> {
  const store = openStore({ root });
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    if (op === 'preview') await store.preview(input);
    else if (op === 'verify') await store.verify(input);
    else if (op === 'import') await store.import(input);
    else throw new Error(`unknown operation ${op}`);
    return { ok: true, peakKiB: peakKiB() };
  } catch (err) {
    const e = toSnapDeskError(err);
    return { ok: false, code: e.code, message: e.message, peakKiB: peakKiB() };
  }
}

const [op = '', root = '', file = ''] = process.argv.slice(2);
void run(op, root, file).then((r) => {
  process.stdout.write(`${JSON.stringify(r)}\n`);
});
