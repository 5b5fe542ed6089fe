// Registry push and pull through a loopback docker-registry (CNCF
// distribution), beside a raw-tar export and import of the same snapshot:
// MB/s of snapshot data moved and the CLI's peak RSS.
//
// Knobs (environment): BENCH_SCALE (default 1: 1 GiB memory + 16 GiB sparse
// disk with 256 MiB of data), BENCH_RUNS (default 3), BENCH_DIR, BENCH_KEEP=1,
// BENCH_JSON (write results as JSON).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { smallFiles, writeMemoryFile, writeSparseDisk } from './generate.mjs';
import { CLI, median, settle, snapdesk, withWorkDir } from './measure.mjs';
import { fmtBytes, printTable } from './report.mjs';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const RUNS = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '3', 10));
const BASE = process.env.BENCH_DIR ?? os.tmpdir();
const REGISTRY_BIN = '/usr/bin/docker-registry';
const scaled = (bytes) => Math.max(64 * 1024, Math.round((bytes * SCALE) / 4096) * 4096);
const log = (msg) => process.stderr.write(`[bench:registry] ${msg}\n`);

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

async function startRegistry(work) {
  const port = await freePort();
  const config = path.join(work, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(work, 'registry')}`,
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: bench',
      '',
    ].join('\n'),
  );
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    if (await fetch(`http://127.0.0.1:${port}/v2/`).then(() => true, () => false)) return { host: `127.0.0.1:${port}`, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('docker-registry did not start');
}

async function main() {
  if (spawnSync(REGISTRY_BIN, ['--version']).status !== 0) {
    log('docker-registry is not installed (Debian package docker-registry): registry rows skipped');
    return;
  }
  let registry = null;
  const stopRegistry = () => {
    if (registry && registry.child.exitCode === null) registry.child.kill('SIGTERM');
  };
  await withWorkDir(
    BASE,
    'snapdesk-bench-registry-',
    async (work) => {
      registry = await startRegistry(work);
      await run(work, registry.host);
    },
    { log, beforeRemove: stopRegistry },
  );
}

async function run(work, host) {
  const root = path.join(work, 'store');
  const src = path.join(work, 'src');
  mkdirSync(src);
  for (const [file, text] of Object.entries(smallFiles())) writeFileSync(path.join(src, file), text);
  const memory = scaled(1 * GiB);
  log(`generating ${fmtBytes(memory)} memory + ${fmtBytes(scaled(16 * GiB))} sparse disk (${fmtBytes(scaled(256 * MiB))} data)`);
  writeMemoryFile(path.join(src, 'memory-ranges'), memory, 1);
  writeSparseDisk(path.join(src, 'cow.raw'), scaled(16 * GiB), scaled(256 * MiB), 2);
  await snapdesk(root, ['create', '--from-dir', src, '--name', 'bench', '--config', JSON.stringify({ cpu: 2, memory, hypervisor: 'cloud-hypervisor' })], work);
  rmSync(src, { recursive: true, force: true });
  const details = JSON.parse((await snapdesk(root, ['inspect', 'bench'], work)).stdout);
  // Allocated bytes: what the layers hold (data segments), near enough for a rate.
  const data = details.usage.allocated;

  const rows = [];
  const measure = async (label, fn) => {
    const results = [];
    for (let i = 0; i < RUNS; i++) {
      await settle();
      results.push(await fn(i));
    }
    const seconds = median(results.map((r) => r.seconds));
    const rss = Math.max(...results.map((r) => r.rssMiB ?? 0));
    rows.push({ label, seconds, mbps: data / MiB / seconds, rssMiB: rss });
    log(`${label}: ${seconds.toFixed(2)} s`);
  };

  const tarFile = path.join(work, 'bench.tar');
  await measure('export --no-gzip (raw tar, local)', () => snapdesk(root, ['export', 'bench', '--no-gzip', '--force', '-o', tarFile], work));
  await measure('import (raw tar, local)', async (i) => {
    const r = await snapdesk(path.join(work, `imp-${i}`), ['import', tarFile], work);
    rmSync(path.join(work, `imp-${i}`), { recursive: true, force: true });
    return r;
  });
  rmSync(tarFile, { force: true });
  // Each run pushes to a fresh repository.
  // A fresh digest cache per run: with the last run's, a push would only mount what is already there.
  await measure('push (loopback registry)', (i) => {
    process.env.XDG_CACHE_HOME = path.join(work, `cache-${i}`);
    return snapdesk(root, ['push', 'bench', `${host}/bench/run${i}:v1`], work);
  });
  await measure('push again, unchanged (digest cache: HEAD only)', () => snapdesk(root, ['push', 'bench', `${host}/bench/run0:v2`], work));
  await measure('pull (loopback registry)', async (i) => {
    const r = await snapdesk(path.join(work, `pull-${i}`), ['pull', `${host}/bench/run0:v1`], work);
    rmSync(path.join(work, `pull-${i}`), { recursive: true, force: true });
    return r;
  });

  const lines = [`Registry push/pull: ${fmtBytes(data)} of snapshot data (memory ${fmtBytes(memory)}, sparse disk), median of ${RUNS}`, ''];
  printTable(
    lines,
    ['operation', 'seconds', 'MB/s (MiB of data)', 'peak RSS'],
    rows.map((r) => [r.label, r.seconds.toFixed(2), r.mbps.toFixed(0), `${r.rssMiB.toFixed(0)} MiB`]),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ dataBytes: data, rows }, null, 2));
}

if (!CLI) throw new Error('CLI path unknown');
main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
