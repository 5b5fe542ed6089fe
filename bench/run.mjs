// `npm run bench`: export/import throughput and memory of the snapdesk CLI
// against GNU tar + pigz/gzip on the same snapshots, all in one run, on two
// data sets (see SETS), plus verify/preview, a 100 GiB-apparent sparse export
// and an RSS scaling check.
//
// Knobs (environment):
//   BENCH_SCALE  multiplies every data size (default 1; 0.05 for a quick run)
//   BENCH_RUNS   timed runs per contender, interleaved A B A B (default 3)
//   BENCH_SETS   comma-separated data sets to run (default "guest,bulk")
//   BENCH_EXTRA=0 skip the sparse-disk and RSS-scaling checks (quicker iterations)
//   BENCH_DIR    where to generate data (default the system temp dir)
//   BENCH_KEEP=1 keep the generated data (default: everything is removed)
//   BENCH_JSON   also write the results as JSON to this file
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeMemoryFile, writeSparseDisk } from './generate.mjs';
import { CLI, deflater, have, settle, snapdesk, shell, stealPercent, summarize, withWorkDir } from './measure.mjs';
import { cpuTicks } from './proc-stat.mjs';
import { fmtBytes } from './report.mjs';
import { benchSet, createSnapshot, fileSize, SETS } from './transfer.mjs';
import { reportAll } from './verdict.mjs';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const RUNS = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '3', 10));
const BASE = process.env.BENCH_DIR ?? os.tmpdir();
const SET_NAMES = (process.env.BENCH_SETS ?? 'guest,bulk').split(',').map((s) => s.trim()).filter(Boolean);

if (!(SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
for (const name of SET_NAMES) if (!SETS[name]) throw new Error(`unknown data set "${name}" in BENCH_SETS (known: ${Object.keys(SETS).join(', ')})`);
const scaled = (bytes) => Math.max(64 * 1024, Math.round((bytes * SCALE) / 4096) * 4096);

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm run bench does)`);
  const hasPigz = await have('pigz');
  if (!hasPigz) log('pigz is not installed: the pigz comparisons are skipped (Debian/Ubuntu: apt-get install pigz)');
  for (const tool of ['tar', 'gzip', 'du', 'cmp']) if (!(await have(tool))) throw new Error(`${tool} is required`);

  await withWorkDir(BASE, 'snapdesk-bench-', (work) => runBench(work, hasPigz), { log });
}

async function runBench(work, hasPigz) {
  const root = path.join(work, 'store');
  const ctx = { root, work, hasPigz, runs: RUNS, scaled, log };
  const startTicks = cpuTicks();
  const results = { scale: SCALE, runs: RUNS, host: { cpus: os.cpus().length, node: process.version, deflater: await deflater() }, sets: [], extra: [] };
  for (const name of SET_NAMES) results.sets.push(await benchSet(ctx, name, SETS[name]));
  if (process.env.BENCH_EXTRA === '0') {
    results.host.steal = stealPercent(startTicks, cpuTicks());
    process.stdout.write(reportAll(results, { bigExport: null, mem2: null, memory2: 0, hasPigz }) + '\n');
    return;
  }

  // ---- a 100 GiB-apparent sparse disk with little data: export time must follow data, not apparent size.
  const bigApparent = scaled(100 * GiB);
  const bigData = scaled(64 * MiB);
  log(`generating: disk.raw ${fmtBytes(bigApparent)} apparent / ${fmtBytes(bigData)} data`);
  const big = await createSnapshot(root, work, 'bench-sparse', (src) => ({ extents: writeSparseDisk(path.join(src, 'disk.raw'), bigApparent, bigData, 3) }), {
    cpu: 1,
    storage: bigApparent,
    hypervisor: 'firecracker',
  });
  const bigOut = path.join(work, 'sparse.tgz');
  // RUNS runs, each after a sync as before every contender in the sets (settle); the median counts.
  const bigRuns = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(bigOut, { force: true });
    await settle();
    bigRuns.push(await snapdesk(root, ['export', 'bench-sparse', '-o', bigOut], work));
  }
  const bigExport = { op: 'sparse export', label: `snapdesk export (${fmtBytes(bigApparent)} apparent, ${fmtBytes(bigData)} data)`, ...summarize(bigRuns), output: fileSize(bigOut) };
  results.extra.push(bigExport);
  rmSync(bigOut, { force: true });
  if (hasPigz) {
    await settle();
    const ref = await shell(`tar -S -cf - -C ${q(big.dir)} . | pigz -1 -p2 > ${q(bigOut)}`);
    results.extra.push({ op: 'sparse export', label: 'tar -S | pigz -1 -p2 (1 run, reference)', median: ref.seconds, runs: [ref.seconds], rss: null, output: fileSize(bigOut) });
    rmSync(bigOut, { force: true });
  }
  await snapdesk(root, ['rm', 'bench-sparse'], work);

  // ---- memory must not grow with snapshot size: export a memory file twice as large as the bulk set's.
  const memory2 = scaled(2 * GiB);
  log(`generating: memory-ranges ${fmtBytes(memory2)} (RSS scaling check)`);
  await createSnapshot(root, work, 'bench-mem2', (src) => writeMemoryFile(path.join(src, 'memory-ranges'), memory2, 4), { cpu: 2, memory: memory2 });
  const mem2Out = path.join(work, 'mem2.tgz');
  await settle();
  const mem2 = await snapdesk(root, ['export', 'bench-mem2', '-o', mem2Out], work);
  results.extra.push({ op: 'rss check', label: `snapdesk export (${fmtBytes(memory2)} memory)`, ...summarize([mem2]), output: fileSize(mem2Out) });
  rmSync(mem2Out, { force: true });
  await snapdesk(root, ['rm', 'bench-mem2'], work);

  results.host.steal = stealPercent(startTicks, cpuTicks());
  process.stdout.write(reportAll(results, { bigExport, mem2, memory2, hasPigz }) + '\n');
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2) + '\n');
}

main().catch((err) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
