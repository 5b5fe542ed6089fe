// `npm run bench`: export/import throughput and memory of the snapdesk CLI
// against GNU tar + pigz/gzip on the same snapshot, all in one run.
//
// Knobs (environment):
//   BENCH_SCALE  multiplies every data size (default 1; 0.05 for a quick run)
//   BENCH_RUNS   timed runs per contender, interleaved A B A B (default 3)
//   BENCH_DIR    where to generate data (default the system temp dir)
//   BENCH_KEEP=1 keep the generated data (default: everything is removed)
//   BENCH_JSON   also write the results as JSON to this file
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { smallFiles, writeMemoryFile, writeSparseDisk } from './generate.mjs';
import { CLI, have, median, settle, shell, snapdesk } from './measure.mjs';
import { fmtBytes, fmtRatio, printTable } from './report.mjs';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const RUNS = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '3', 10));
const BASE = process.env.BENCH_DIR ?? os.tmpdir();
const TARGETS = { exportVsPigz: 0.8, importVsPigz: 1.0, rssMiB: 250 };

if (!(SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number, got "${process.env.BENCH_SCALE}"`);
const scaled = (bytes) => Math.max(64 * 1024, Math.round((bytes * SCALE) / 4096) * 4096);

const sizes = {
  memory: scaled(1 * GiB),
  cowApparent: scaled(16 * GiB),
  cowData: scaled(256 * MiB),
  bigApparent: scaled(100 * GiB),
  bigData: scaled(64 * MiB),
  memory2: scaled(2 * GiB),
};

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm run bench does)`);
  const hasPigz = await have('pigz');
  if (!hasPigz) log('pigz is not installed: the pigz comparisons are skipped (Debian/Ubuntu: apt-get install pigz)');
  for (const tool of ['tar', 'gzip', 'du']) if (!(await have(tool))) throw new Error(`${tool} is required`);

  mkdirSync(BASE, { recursive: true });
  const work = mkdtempSync(path.join(BASE, 'snapdesk-bench-'));
  const cleanup = () => {
    if (process.env.BENCH_KEEP === '1') log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    await runBench(work, hasPigz);
  } finally {
    cleanup();
  }
}

/** Creates a snapshot from a freshly generated directory via the CLI, then drops the source. */
async function createSnapshot(root, work, name, fill, config) {
  const src = path.join(work, `src-${name}`);
  mkdirSync(src);
  for (const [file, text] of Object.entries(smallFiles())) writeFileSync(path.join(src, file), text);
  const info = fill(src);
  const r = await snapdesk(root, ['create', '--from-dir', src, '--name', name, '--config', JSON.stringify(config)], work);
  rmSync(src, { recursive: true, force: true });
  const id = r.stdout.trim().split(/\s+/).pop();
  return { id, dir: await dataDir(root, work, id), info, createSeconds: r.seconds };
}

/** The data directory of a snapshot, as `snapdesk inspect` reports it. */
const dataDir = async (root, work, ref) => JSON.parse((await snapdesk(root, ['inspect', ref], work)).stdout).data_dir;
const allocated = async (dir) => Number((await shell(`du -sB1 ${q(dir)} | cut -f1`)).stdout.trim());
const fileSize = (file) => statSync(file).size;

async function runBench(work, hasPigz) {
  const root = path.join(work, 'store');
  const results = { scale: SCALE, runs: RUNS, sizes, host: { cpus: os.cpus().length, node: process.version }, rows: [], checks: [] };

  log(`generating: memory-ranges ${fmtBytes(sizes.memory)}, cow.raw ${fmtBytes(sizes.cowApparent)} apparent / ${fmtBytes(sizes.cowData)} data`);
  const main = await createSnapshot(
    root,
    work,
    'bench-main',
    (src) => {
      writeMemoryFile(path.join(src, 'memory-ranges'), sizes.memory, 1);
      return { extents: writeSparseDisk(path.join(src, 'cow.raw'), sizes.cowApparent, sizes.cowData, 2) };
    },
    { cpu: 2, memory: sizes.memory, storage: sizes.cowApparent, hypervisor: 'cloud-hypervisor' },
  );
  const mainAllocated = await allocated(main.dir);
  log(`created ${main.id} in ${main.createSeconds.toFixed(1)} s (${fmtBytes(mainAllocated)} on disk, ${main.info.extents} extents)`);

  // ---- export: snapdesk vs tar -S | pigz -1 -p2 vs tar -S | gzip -1, interleaved.
  const out = {
    snapdesk: path.join(work, 'snapdesk.tgz'),
    pigz: path.join(work, 'pigz.tgz'),
    gzip: path.join(work, 'gzip.tgz'),
  };
  const exportContenders = [
    { key: 'snapdesk', label: 'snapdesk export -o FILE', run: () => snapdesk(root, ['export', 'bench-main', '-o', out.snapdesk], work) },
    ...(hasPigz ? [{ key: 'pigz', label: 'tar -S -cf - DIR | pigz -1 -p2', run: () => shell(`tar -S -cf - -C ${q(main.dir)} . | pigz -1 -p2 > ${q(out.pigz)}`) }] : []),
    { key: 'gzip', label: 'tar -S -cf - DIR | gzip -1', run: () => shell(`tar -S -cf - -C ${q(main.dir)} . | gzip -1 > ${q(out.gzip)}`) },
  ];
  const exportTimes = await interleave(exportContenders, (c) => rmSync(out[c.key], { force: true }));
  for (const c of exportContenders) {
    results.rows.push({ op: 'export', label: c.label, ...exportTimes[c.key], output: fileSize(out[c.key]) });
  }
  if (hasPigz) {
    // Not a contender: snapdesk fsyncs the archive before renaming it into place; this is the pipeline doing the same.
    const synced = path.join(work, 'pigz-synced.tgz');
    await settle();
    const r = await shell(`tar -S -cf - -C ${q(main.dir)} . | pigz -1 -p2 > ${q(synced)} && sync -f ${q(synced)}`);
    rmSync(synced, { force: true });
    results.rows.push({ op: 'export', label: '  (pigz line + sync -f, 1 run, for reference)', median: r.seconds, runs: [r.seconds], rss: null });
  }

  // ---- import: snapdesk import (its own archive) vs pigz -dc | tar -xSf (the pigz archive).
  let importN = 0;
  const importDir = path.join(work, 'tar-import');
  const importContenders = [
    {
      key: 'snapdesk',
      label: 'snapdesk import FILE',
      run: () => snapdesk(root, ['import', out.snapdesk, '--name', `bench-import-${++importN}`], work),
      after: async () => snapdesk(root, ['rm', `bench-import-${importN}`], work),
    },
    ...(hasPigz
      ? [
          {
            key: 'pigz',
            label: 'pigz -dc FILE | tar -xSf - -C DIR',
            before: () => mkdirSync(importDir),
            run: () => shell(`pigz -dc ${q(out.pigz)} | tar -xSf - -C ${q(importDir)}`),
            after: () => rmSync(importDir, { recursive: true, force: true }),
          },
        ]
      : []),
  ];
  const firstImport = await checkImport(root, work, out.snapdesk, main);
  results.checks.push(firstImport);
  const importTimes = await interleave(importContenders);
  for (const c of importContenders) results.rows.push({ op: 'import', label: c.label, ...importTimes[c.key] });
  if (hasPigz) {
    // Not a contender: what the tar pipeline costs when it, too, makes the data durable.
    mkdirSync(importDir);
    await settle();
    const synced = await shell(`pigz -dc ${q(out.pigz)} | tar -xSf - -C ${q(importDir)} && sync -f ${q(importDir)}`);
    rmSync(importDir, { recursive: true, force: true });
    results.rows.push({ op: 'import', label: '  (same + sync -f, 1 run, for reference)', median: synced.seconds, runs: [synced.seconds], rss: null });
  }
  for (const f of Object.values(out)) rmSync(f, { force: true });
  await snapdesk(root, ['rm', 'bench-main'], work);

  // ---- a 100 GiB-apparent sparse disk with little data: export time must follow data, not apparent size.
  log(`generating: disk.raw ${fmtBytes(sizes.bigApparent)} apparent / ${fmtBytes(sizes.bigData)} data`);
  const big = await createSnapshot(root, work, 'bench-sparse', (src) => ({ extents: writeSparseDisk(path.join(src, 'disk.raw'), sizes.bigApparent, sizes.bigData, 3) }), {
    cpu: 1,
    storage: sizes.bigApparent,
    hypervisor: 'firecracker',
  });
  const bigOut = path.join(work, 'sparse.tgz');
  const bigExport = await snapdesk(root, ['export', 'bench-sparse', '-o', bigOut], work);
  results.rows.push({ op: 'sparse export', label: `snapdesk export (${fmtBytes(sizes.bigApparent)} apparent)`, median: bigExport.seconds, runs: [bigExport.seconds], rss: bigExport.rssMiB, cpu: bigExport.cpuSeconds, output: fileSize(bigOut) });
  rmSync(bigOut, { force: true });
  if (hasPigz) {
    const ref = await shell(`tar -S -cf - -C ${q(big.dir)} . | pigz -1 -p2 > ${q(bigOut)}`);
    results.rows.push({ op: 'sparse export', label: 'tar -S | pigz -1 -p2 (1 run, reference)', median: ref.seconds, runs: [ref.seconds], rss: null, output: fileSize(bigOut) });
    rmSync(bigOut, { force: true });
  }
  await snapdesk(root, ['rm', 'bench-sparse'], work);

  // ---- memory must not grow with snapshot size: export a memory file twice as large.
  log(`generating: memory-ranges ${fmtBytes(sizes.memory2)} (RSS scaling check)`);
  await createSnapshot(root, work, 'bench-mem2', (src) => writeMemoryFile(path.join(src, 'memory-ranges'), sizes.memory2, 4), { cpu: 2, memory: sizes.memory2 });
  const mem2Out = path.join(work, 'mem2.tgz');
  const mem2 = await snapdesk(root, ['export', 'bench-mem2', '-o', mem2Out], work);
  results.rows.push({ op: 'rss check', label: `snapdesk export (${fmtBytes(sizes.memory2)} memory)`, median: mem2.seconds, runs: [mem2.seconds], rss: mem2.rssMiB, cpu: mem2.cpuSeconds, output: fileSize(mem2Out) });
  rmSync(mem2Out, { force: true });
  await snapdesk(root, ['rm', 'bench-mem2'], work);

  report(results, exportTimes, importTimes, mem2, hasPigz);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2) + '\n');
}

/** RUNS rounds of every contender in turn (A B C A B C …); per contender the median, all runs, and the peak RSS/CPU seen. */
async function interleave(contenders, beforeEach = () => undefined) {
  const acc = Object.fromEntries(contenders.map((c) => [c.key, { runs: [], rss: [], cpu: [] }]));
  for (let round = 1; round <= RUNS; round++) {
    for (const c of contenders) {
      beforeEach(c);
      if (c.before) await c.before();
      await settle();
      log(`${c.label}: run ${round}/${RUNS}`);
      const r = await c.run();
      acc[c.key].runs.push(r.seconds);
      if (r.rssMiB !== null) acc[c.key].rss.push(r.rssMiB);
      if (r.cpuSeconds !== null) acc[c.key].cpu.push(r.cpuSeconds);
      if (c.after) await c.after();
    }
  }
  return Object.fromEntries(
    Object.entries(acc).map(([k, v]) => [k, { median: median(v.runs), runs: v.runs, rss: v.rss.length ? Math.max(...v.rss) : null, cpu: v.cpu.length ? median(v.cpu) : null }]),
  );
}

/** One untimed import, checked: the same files with the same sizes, and no more disk than the source. */
async function checkImport(root, work, archive, src) {
  await snapdesk(root, ['import', archive, '--name', 'bench-check'], work);
  const dir = await dataDir(root, work, 'bench-check');
  const files = ['memory-ranges', 'cow.raw', ...Object.keys(smallFiles())];
  const same = files.every((f) => statSync(path.join(dir, f)).size === statSync(path.join(src.dir, f)).size);
  const cmp = await shell(`cmp ${q(path.join(dir, 'memory-ranges'))} ${q(path.join(src.dir, 'memory-ranges'))} && echo same`);
  const imported = await allocated(dir);
  const source = await allocated(src.dir);
  await snapdesk(root, ['rm', 'bench-check'], work);
  return { what: 'round trip (export → import)', sizesMatch: same, memoryIdentical: cmp.stdout.trim() === 'same', allocatedImported: imported, allocatedSource: source };
}

function report(results, exportTimes, importTimes, mem2, hasPigz) {
  const lines = [];
  lines.push('');
  lines.push(`Snapshot Desk benchmark — scale ${SCALE}, ${RUNS} interleaved runs per contender (median), ${results.host.cpus} CPUs, node ${results.host.node}`);
  lines.push(
    `Snapshot: memory-ranges ${fmtBytes(sizes.memory)} (40% zero, 20% random, 20% code-like, 20% text-like pages), cow.raw ${fmtBytes(sizes.cowApparent)} apparent with ${fmtBytes(sizes.cowData)} data in scattered extents`,
  );
  lines.push('');
  printTable(
    lines,
    ['operation', 'command', 'median s', 'runs s', 'output', 'peak RSS', 'CPU s'],
    results.rows.map((r) => [
      r.op,
      r.label,
      r.median.toFixed(2),
      r.runs.map((x) => x.toFixed(2)).join(' / '),
      r.output !== undefined ? fmtBytes(r.output) : '',
      r.rss !== null && r.rss !== undefined ? `${r.rss.toFixed(0)} MiB` : '',
      r.cpu !== null && r.cpu !== undefined ? r.cpu.toFixed(1) : '',
    ]),
  );
  lines.push('');
  const verdict = (ok) => (ok ? 'MET' : 'MISSED');
  const checks = [];
  if (hasPigz) {
    const ex = exportTimes.snapdesk.median / exportTimes.pigz.median;
    const im = importTimes.snapdesk.median / importTimes.pigz.median;
    checks.push(['export time, snapdesk / (tar | pigz -1 -p2)', fmtRatio(ex), `≤ ${TARGETS.exportVsPigz}×`, verdict(ex <= TARGETS.exportVsPigz)]);
    checks.push(['import time, snapdesk / (pigz -dc | tar -xS)', fmtRatio(im), `≤ ${TARGETS.importVsPigz}×`, verdict(im <= TARGETS.importVsPigz)]);
  }
  checks.push(['export time, snapdesk / (tar | gzip -1)', fmtRatio(exportTimes.snapdesk.median / exportTimes.gzip.median), '', '']);
  const peak = Math.max(exportTimes.snapdesk.rss ?? 0, importTimes.snapdesk.rss ?? 0, mem2.rssMiB ?? 0);
  checks.push(['peak RSS of snapdesk (export, import, 2× memory)', `${peak.toFixed(0)} MiB`, `< ${TARGETS.rssMiB} MB`, verdict(peak * 1.048576 < TARGETS.rssMiB)]);
  const grow = (mem2.rssMiB ?? 0) - (exportTimes.snapdesk.rss ?? 0);
  checks.push([
    `RSS growth, export of ${fmtBytes(sizes.memory2)} vs ${fmtBytes(sizes.memory)} memory`,
    `${(exportTimes.snapdesk.rss ?? 0).toFixed(0)} → ${(mem2.rssMiB ?? 0).toFixed(0)} MiB (${grow >= 0 ? '+' : ''}${grow.toFixed(0)})`,
    'flat (< +32 MiB)',
    verdict(grow < 32),
  ]);
  const rt = results.checks[0];
  checks.push([
    'round trip: sizes equal, memory identical, no extra disk',
    `${rt.sizesMatch && rt.memoryIdentical ? 'yes' : 'NO'}; ${fmtBytes(rt.allocatedImported)} vs ${fmtBytes(rt.allocatedSource)} allocated`,
    'identical, ≤ 1.05× allocated',
    verdict(rt.sizesMatch && rt.memoryIdentical && rt.allocatedImported <= rt.allocatedSource * 1.05),
  ]);
  printTable(lines, ['check', 'measured', 'target', ''], checks);
  results.targets = checks.map(([check, measured, target, v]) => ({ check, measured, target, verdict: v }));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`[bench] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
