// Running and timing the contenders: the built snapdesk CLI (with a preload
// that reports its peak RSS and CPU time) and shell pipelines of GNU tar,
// pigz and gzip. Wall time is measured around the whole child process.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuTicks } from './proc-stat.mjs';
import { longestDelay, ownShare } from './stalls.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// BENCH_CLI measures another build (for example a copy of the previous one).
export const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.resolve(HERE, '..', 'out', 'cli', 'snapdesk.cjs');
const PROBE = pathToFileURL(path.join(HERE, 'rss-probe.mjs')).href;
const WITNESS = path.join(HERE, 'witness.mjs');

/**
 * Percent of the machine's CPU time stolen between two `cpuTicks()` readings
 * (null where unknown). On a virtual machine a stolen CPU stops every thread
 * on it, the event loop included, so the report shows how much was stolen
 * while each run went on.
 */
export const stealPercent = (a, b) => (a && b && b.total > a.total ? (100 * (b.steal - a.steal)) / (b.total - a.total) : null);

function runChild(file, args, env) {
  return new Promise((resolve, reject) => {
    const ticks = cpuTicks();
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ code, signal, seconds, stdout, stderr, steal: stealPercent(ticks, cpuTicks()) });
    });
  });
}

function failIfBad(what, r) {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r;
}

/** Reads and removes a JSON file a child wrote; null when it is missing (the child died abnormally). */
function takeJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Starts the idle witness process (witness.mjs) and waits until its timer
 * runs; `stop()` ends it and resolves with its late turns (null if it
 * failed).
 */
async function startWitness(workDir) {
  const file = path.join(workDir, `.witness-${process.pid}-${Date.now()}.json`);
  const child = spawn(process.execPath, [WITNESS, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', resolve);
    exited.then(() => reject(new Error('the witness process ended before its timer ran')));
  });
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return takeJson(file)?.turns ?? null;
    },
  };
}

/**
 * Runs `snapdesk --root ROOT ARGS…` beside an idle witness process; resolves
 * with seconds, stdout, peak RSS (MiB), CPU seconds, the event-loop figures
 * (rss-probe.mjs) and the part of them that was the process's own
 * (stalls.mjs).
 */
export async function snapdesk(root, args, workDir) {
  const rssFile = path.join(workDir, `.rss-${process.pid}-${Date.now()}.json`);
  const env = { ...process.env, BENCH_RSS_FILE: rssFile };
  const witness = await startWitness(workDir);
  let r;
  let witnessTurns;
  try {
    r = failIfBad(`snapdesk ${args.join(' ')}`, await runChild(process.execPath, ['--import', PROBE, CLI, '--root', root, ...args], env));
  } finally {
    witnessTurns = await witness.stop();
  }
  const probe = takeJson(rssFile);
  const own = probe?.turns && witnessTurns ? ownShare(probe.turns, witnessTurns, probe.periodMs) : null;
  return {
    seconds: r.seconds,
    stdout: r.stdout,
    rssMiB: probe ? probe.maxRssKiB / 1024 : null,
    cpuSeconds: probe ? (probe.userUs + probe.systemUs) / 1e6 : null,
    maxDelayMs: probe ? probe.maxDelayMs : null,
    maxBusyMs: probe ? probe.maxBusyMs : null,
    busyKernel: probe?.busyKernel ?? null,
    ownDelayMs: own ? own.delayMs : null,
    ownBusyMs: own ? own.heldMs : null,
    ownWorst: own?.worst ?? null,
    unsharedDelayMs: own ? own.witnessOnlyDelayMs : null,
    witnessDelayMs: witnessTurns && probe ? longestDelay(witnessTurns, probe.periodMs) : null,
    steal: r.steal,
  };
}

/**
 * Runs a bash pipeline with pipefail, so a failing tar is not hidden by a
 * succeeding gzip; reports the CPU time of the whole pipeline (bash's `times`
 * for its children), comparable with the snapdesk process's own.
 */
export async function shell(script) {
  const r = failIfBad(script, await runChild('bash', ['-o', 'pipefail', '-c', `${script}\ntimes >&2`], process.env));
  // `times` prints the shell's user/system, then its children's: "0m1.234s 0m0.100s".
  const lines = r.stderr.trim().split('\n');
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1] ?? '');
  const cpuSeconds = m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : null;
  return { seconds: r.seconds, stdout: r.stdout, rssMiB: null, cpuSeconds, maxDelayMs: null, maxBusyMs: null, busyKernel: null, ownDelayMs: null, ownBusyMs: null, witnessDelayMs: null, steal: r.steal };
}

/** Whether a program is on PATH. */
export async function have(program) {
  const r = await runChild('bash', ['-c', `command -v ${program}`], process.env);
  return r.code === 0;
}

/**
 * The deflaters snapdesk's export will use here: ISA-L for level 1 and
 * libdeflate for the rest when their shared libraries load (the same names
 * the app tries, src-core/archive/isal.ts and libdeflate.ts), node:zlib
 * otherwise.
 */
export async function deflater() {
  const libraries = [
    ['ISA-L', { linux: ['libisal.so.2'] }, ' at level 1'],
    ['libdeflate', { linux: ['libdeflate.so.0'], darwin: ['libdeflate.0.dylib', '/opt/homebrew/lib/libdeflate.0.dylib', '/usr/local/lib/libdeflate.0.dylib'], win32: ['libdeflate.dll'] }, ''],
  ];
  const found = [];
  try {
    const koffi = (await import('koffi')).default;
    for (const [label, names, scope] of libraries) {
      const name = (names[process.platform] ?? []).find((n) => {
        try {
          koffi.load(n);
          return true;
        } catch {
          return false;
        }
      });
      if (name) found.push(`${label} (${name})${scope}`);
    }
  } catch {
    // koffi missing
  }
  return found.length > 0 ? found.join(', ') : 'node:zlib (neither ISA-L nor libdeflate found)';
}

/**
 * Runs `fn(work)` in a fresh directory under `base` named from `prefix`,
 * then removes it (kept with BENCH_KEEP=1), also on Ctrl-C; `beforeRemove`
 * stops whatever the run left running there.
 */
export async function withWorkDir(base, prefix, fn, { log = () => undefined, beforeRemove = () => undefined } = {}) {
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(path.join(base, prefix));
  const cleanup = () => {
    beforeRemove();
    if (process.env.BENCH_KEEP === '1') log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  };
  const onInterrupt = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await fn(work);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    cleanup();
  }
}

/**
 * One contender's runs as a report row: the median and every time, the peak
 * RSS, the median CPU time, the longest loop delay and each run's, the
 * longest the main thread held the loop (with the kernel's share of that
 * hold, see rss-probe.mjs), both again without the machine's time (stalls.mjs)
 * with the breakdown of the longest such delay, the witness's longest delay,
 * and each run's host steal.
 */
export function summarize(runs) {
  const known = (pick) => runs.map(pick).filter((x) => x !== null && x !== undefined);
  const max = (xs) => (xs.length ? Math.max(...xs) : null);
  const times = runs.map((r) => r.seconds);
  const cpu = known((r) => r.cpuSeconds);
  const delays = known((r) => r.maxDelayMs);
  const worstHold = runs.filter((r) => typeof r.maxBusyMs === 'number').reduce((a, r) => (a === null || r.maxBusyMs > a.maxBusyMs ? r : a), null);
  const worstOwn = runs.filter((r) => typeof r.ownDelayMs === 'number').reduce((a, r) => (a === null || r.ownDelayMs > a.ownDelayMs ? r : a), null);
  return {
    median: median(times),
    runs: times,
    rss: max(known((r) => r.rssMiB)),
    cpu: cpu.length ? median(cpu) : null,
    delay: max(delays),
    delays,
    busy: max(known((r) => r.maxBusyMs)),
    busyKernel: worstHold?.busyKernel ?? null,
    ownDelay: max(known((r) => r.ownDelayMs)),
    ownWorst: worstOwn?.ownWorst ?? null,
    unsharedDelay: max(known((r) => r.unsharedDelayMs)),
    ownBusy: max(known((r) => r.ownBusyMs)),
    witnessDelay: max(known((r) => r.witnessDelayMs)),
    steals: runs.map((r) => r.steal),
  };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Flushes dirty pages, so one run's writeback is not billed to the next run. */
export async function settle() {
  await runChild('sync', [], process.env);
}
