// One data set's transfer benchmark: a snapshot generated from the set's
// recipe, then export, import, verify and preview against the tar + pigz/gzip
// pipelines, interleaved (A B C A B C …) so the machine's noise hits every
// contender alike.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GUEST_MIX, MEMORY_MIX, smallFiles, writeMemoryFile, writeSparseDisk } from './generate.mjs';
import { median, settle, shell, snapdesk, summarize } from './measure.mjs';
import { fmtBytes } from './report.mjs';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;

/** The data sets: memory file recipe and sparse disk recipe (sizes before BENCH_SCALE). */
export const SETS = {
  guest: {
    title: 'guest (realistic)',
    memory: 512 * MiB,
    mix: GUEST_MIX,
    maxRun: 6,
    diskApparent: 4 * GiB,
    diskData: 128 * MiB,
    diskExtents: 128,
    describe: (s) =>
      `memory-ranges ${fmtBytes(s.memory)} (45% zero pages scattered in runs of 1-6 pages, 25% code-like, 20% text-like, 10% random), cow.raw ${fmtBytes(s.diskApparent)} apparent with ${fmtBytes(s.diskData)} data in ${s.diskExtents} extents`,
  },
  bulk: {
    title: 'bulk',
    memory: 1 * GiB,
    mix: MEMORY_MIX,
    maxRun: 64,
    diskApparent: 16 * GiB,
    diskData: 256 * MiB,
    diskExtents: 0,
    describe: (s) =>
      `memory-ranges ${fmtBytes(s.memory)} (40% zero, 20% random, 20% code-like, 20% text-like pages in runs of 1-64 pages), cow.raw ${fmtBytes(s.diskApparent)} apparent with ${fmtBytes(s.diskData)} data in extents of 64 KiB-4 MiB`,
  },
};

export const fileSize = (file) => statSync(file).size;
const allocated = async (dir) => Number((await shell(`du -sB1 ${q(dir)} | cut -f1`)).stdout.trim());
/** The data directory of a snapshot, as `snapdesk inspect` reports it. */
const dataDir = async (root, work, ref) => JSON.parse((await snapdesk(root, ['inspect', ref], work)).stdout).data_dir;

/** Creates a snapshot from a freshly generated directory via the CLI, then drops the source. */
export async function createSnapshot(root, work, name, fill, config) {
  const src = path.join(work, `src-${name}`);
  mkdirSync(src);
  for (const [file, text] of Object.entries(smallFiles())) writeFileSync(path.join(src, file), text);
  const info = fill(src);
  const r = await snapdesk(root, ['create', '--from-dir', src, '--name', name, '--config', JSON.stringify(config)], work);
  rmSync(src, { recursive: true, force: true });
  const id = r.stdout.trim().split(/\s+/).pop();
  return { id, dir: await dataDir(root, work, id), info, createSeconds: r.seconds };
}

/** RUNS rounds of every contender in turn; per contender its runs summarized (see summarize). */
async function interleave(ctx, contenders, beforeEach = () => undefined) {
  const runs = Object.fromEntries(contenders.map((c) => [c.key, []]));
  for (let round = 1; round <= ctx.runs; round++) {
    for (const c of contenders) {
      beforeEach(c);
      if (c.before) await c.before();
      await settle();
      ctx.log(`${c.label}: run ${round}/${ctx.runs}`);
      runs[c.key].push(await c.run());
      if (c.after) await c.after();
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarize(v)]));
}

/** Per-round ratios a/b of two contenders' runs (same round, so the same machine load): median and range. */
export function ratios(a, b) {
  const rs = a.runs.map((x, i) => x / b.runs[i]);
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
}

/** One untimed import, checked: the same files with the same bytes, and no more disk than the source. */
async function checkImport(root, work, archive, src) {
  await snapdesk(root, ['import', archive, '--name', 'bench-check'], work);
  const dir = await dataDir(root, work, 'bench-check');
  const files = ['memory-ranges', 'cow.raw', ...Object.keys(smallFiles())];
  const same = files.every((f) => statSync(path.join(dir, f)).size === statSync(path.join(src.dir, f)).size);
  const cmp = await shell(`cmp ${q(path.join(dir, 'memory-ranges'))} ${q(path.join(src.dir, 'memory-ranges'))} && cmp ${q(path.join(dir, 'cow.raw'))} ${q(path.join(src.dir, 'cow.raw'))} && echo same`);
  const imported = await allocated(dir);
  const source = await allocated(src.dir);
  await snapdesk(root, ['rm', 'bench-check'], work);
  return { sizesMatch: same, identical: cmp.stdout.trim() === 'same', allocatedImported: imported, allocatedSource: source };
}

/** Runs export, import, verify and preview on one data set; returns its rows, ratios and checks. */
export async function benchSet(ctx, name, recipe) {
  const { root, work, hasPigz } = ctx;
  const s = { memory: ctx.scaled(recipe.memory), diskApparent: ctx.scaled(recipe.diskApparent), diskData: ctx.scaled(recipe.diskData), diskExtents: recipe.diskExtents };
  const snap = `bench-${name}`;
  ctx.log(`[${name}] generating: ${recipe.describe(s)}`);
  const main = await createSnapshot(
    root,
    work,
    snap,
    (src) => {
      writeMemoryFile(path.join(src, 'memory-ranges'), s.memory, 1, recipe.mix, recipe.maxRun);
      return { extents: writeSparseDisk(path.join(src, 'cow.raw'), s.diskApparent, s.diskData, 2, s.diskExtents) };
    },
    { cpu: 2, memory: s.memory, storage: s.diskApparent, hypervisor: 'cloud-hypervisor' },
  );
  const result = { name, title: recipe.title, description: recipe.describe(s), rows: [] };

  // ---- export: snapdesk vs tar -S | pigz -1 -p2 vs tar -S | gzip -1.
  const out = { snapdesk: path.join(work, `${name}-snapdesk.tgz`), pigz: path.join(work, `${name}-pigz.tgz`), gzip: path.join(work, `${name}-gzip.tgz`) };
  const exportContenders = [
    { key: 'snapdesk', label: 'snapdesk export -o FILE', run: () => snapdesk(root, ['export', snap, '-o', out.snapdesk], work) },
    ...(hasPigz ? [{ key: 'pigz', label: 'tar -S -cf - DIR | pigz -1 -p2', run: () => shell(`tar -S -cf - -C ${q(main.dir)} . | pigz -1 -p2 > ${q(out.pigz)}`) }] : []),
    { key: 'gzip', label: 'tar -S -cf - DIR | gzip -1', run: () => shell(`tar -S -cf - -C ${q(main.dir)} . | gzip -1 > ${q(out.gzip)}`) },
  ];
  const exportTimes = await interleave(ctx, exportContenders, (c) => rmSync(out[c.key], { force: true }));
  for (const c of exportContenders) result.rows.push({ op: 'export', label: c.label, ...exportTimes[c.key], output: fileSize(out[c.key]) });

  // ---- import: snapdesk import (its own archive) vs pigz -dc | tar -xSf (the pigz archive).
  result.roundTrip = await checkImport(root, work, out.snapdesk, main);
  let importN = 0;
  const importDir = path.join(work, 'tar-import');
  const importContenders = [
    {
      key: 'snapdesk',
      label: 'snapdesk import FILE',
      run: () => snapdesk(root, ['import', out.snapdesk, '--name', `${snap}-import-${++importN}`], work),
      after: async () => snapdesk(root, ['rm', `${snap}-import-${importN}`], work),
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
  const importTimes = await interleave(ctx, importContenders);
  for (const c of importContenders) result.rows.push({ op: 'import', label: c.label, ...importTimes[c.key] });

  // ---- verify reads the whole archive like import, without writing; preview reads snapshot.json only.
  const verifyContenders = [
    { key: 'verify', label: 'snapdesk verify FILE', run: () => snapdesk(root, ['verify', out.snapdesk], work) },
    { key: 'preview', label: 'snapdesk preview FILE', run: () => snapdesk(root, ['preview', out.snapdesk], work) },
    ...(hasPigz ? [{ key: 'pigzt', label: 'pigz -dc FILE | tar -tf - (reference)', run: () => shell(`pigz -dc ${q(out.pigz)} | tar -tf - > /dev/null`) }] : []),
  ];
  const verifyTimes = await interleave(ctx, verifyContenders);
  for (const c of verifyContenders) result.rows.push({ op: c.key === 'preview' ? 'preview' : 'verify', label: c.label, ...verifyTimes[c.key] });

  for (const f of Object.values(out)) rmSync(f, { force: true });
  await snapdesk(root, ['rm', snap], work);
  result.export = exportTimes;
  result.import = importTimes;
  result.verify = verifyTimes;
  if (hasPigz) {
    result.exportRatio = ratios(exportTimes.snapdesk, exportTimes.pigz);
    result.importRatio = ratios(importTimes.snapdesk, importTimes.pigz);
  }
  return result;
}
