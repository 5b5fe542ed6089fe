// `npm run bench` (second part): how the list holds up with many snapshots.
// Builds a store of N snapshots in cocoon's format (one made by the CLI, the
// rest cloned in the index with hard-linked data files), then times
//   - `snapdesk list --json` (whole process),
//   - the app in real Chromium over the browser transport: from the page's
//     navigation to the first rows on screen; from the last byte of the list
//     reply to those rows (body decode + JSON parse + render + paint); and
//     from the app's "snapdesk:list-received" mark, the list in hand, to those
//     rows (state + sort + React render + layout + paint): the "first render"
//     the UI is held to (target < 200 ms at 10,000).
//
// Knobs (environment):
//   BENCH_SNAPSHOTS  how many snapshots (default 10000)
//   BENCH_RUNS       page loads to take the median of (default 5)
//   BENCH_DIR        where the store goes (default the system temp dir)
//   CHROMIUM_PATH    the browser (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import chromiumConfig from '../test/e2e/chromium.json' with { type: 'json' };
import { smallFiles } from './generate.mjs';
import { median, snapdesk } from './measure.mjs';
import { printTable } from './report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB = path.resolve(HERE, '..', 'out', 'electron', 'web', 'main.cjs');
const COUNT = Math.max(1, Number.parseInt(process.env.BENCH_SNAPSHOTS ?? '10000', 10));
const RUNS = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? '5', 10));
const BASE = process.env.BENCH_DIR ?? os.tmpdir();
const CHROMIUM = process.env.CHROMIUM_PATH ?? chromiumConfig.path;
const TARGET_RENDER_MS = 200;
// The end-to-end tests' switches: headless as root on a closed network.
const CHROMIUM_ARGS = chromiumConfig.args;

const log = (msg) => process.stderr.write(`[bench:list] ${msg}\n`);

/** 26 characters of RFC 4648 base32, as cocoon's IDs are. */
function newId() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(26)].map((b) => alphabet[b & 31]).join('');
}

/** One real snapshot from the CLI, then COUNT-1 clones of its record (fresh IDs, names, dates) sharing its files by hard link. */
async function buildStore(root, work) {
  const src = path.join(work, 'src');
  mkdirSync(src);
  for (const [file, text] of Object.entries(smallFiles())) writeFileSync(path.join(src, file), text);
  const config = { cpu: 2, memory: 1024 ** 3, storage: 16 * 1024 ** 3, hypervisor: 'cloud-hypervisor', image: 'ghcr.io/example/ubuntu:24.04' };
  await snapdesk(root, ['create', '--from-dir', src, '--name', 'vm-00000', '--config', JSON.stringify(config)], work);
  const indexPath = path.join(root, 'snapshot', 'db', 'snapshots.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8'));
  const [template] = Object.values(index.snapshots);
  const files = readdirSync(template.data_dir);
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 1; i < COUNT; i++) {
    const id = newId();
    const name = `vm-${String(i).padStart(5, '0')}`;
    const dataDir = path.join(root, 'snapshot', 'localfile', id);
    mkdirSync(dataDir);
    for (const f of files) linkSync(path.join(template.data_dir, f), path.join(dataDir, f));
    index.snapshots[id] = { ...template, id, name, description: i % 3 ? `nightly build ${i}` : undefined, created_at: new Date(start + i * 60_000).toISOString(), data_dir: dataDir };
    index.names[name] = id;
  }
  // Nothing else uses this store yet, so a plain write is enough here.
  writeFileSync(indexPath, JSON.stringify(index));
}

/** Starts `npm run web`'s server on a free port; resolves with its printed address and a stop function. */
function startWeb(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEB, '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /Open: (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve({ url: m[1], stop: () => new Promise((done) => (child.once('close', done), child.kill('SIGTERM'))) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`the web server exited (${code}) before serving: ${out.trim()}`)));
  });
}

/** Loads the page fresh and reads its own clock: navigation → rows, and list reply → rows. */
async function loadOnce(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // Recorded by the page itself, the moment the first data row is in the DOM (before the frame paints it: rAF after).
  await page.addInitScript(() => {
    const seen = () => document.querySelector('[role="row"][aria-rowindex="2"]');
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      const inDom = performance.now();
      requestAnimationFrame(() => setTimeout(() => (window.__rowsPainted = { inDom, painted: performance.now() }), 0));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__rowsPainted !== undefined, null, { timeout: 120_000 });
  const m = await page.evaluate(() => {
    const reply = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/call/snapshots.list'));
    const inHand = performance.getEntriesByName('snapdesk:list-received')[0];
    const rows = document.querySelectorAll('[role="row"][aria-rowindex]').length;
    const total = document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount');
    return { ...window.__rowsPainted, replyEnd: reply ? reply.responseEnd : null, replyBytes: reply ? reply.encodedBodySize : null, inHand: inHand ? inHand.startTime : null, rows, total };
  });
  await context.close();
  if (m.replyEnd === null) throw new Error('the page never asked for snapshots.list');
  if (m.inHand === null) throw new Error('the page never marked snapdesk:list-received');
  if (Number(m.total) !== COUNT + 1) throw new Error(`the grid says ${m.total} rows, expected ${COUNT + 1} (with the header)`);
  return { toRows: m.painted, fromReply: m.painted - m.replyEnd, render: m.painted - m.inHand, replyEnd: m.replyEnd, replyBytes: m.replyBytes, domRows: m.rows };
}

async function main() {
  for (const needed of [WEB, CHROMIUM]) if (!existsSync(needed)) throw new Error(`${needed} is missing (npm run bench builds first; Chromium: apt-get install -y chromium)`);
  mkdirSync(BASE, { recursive: true });
  const work = mkdtempSync(path.join(BASE, 'snapdesk-bench-list-'));
  const root = path.join(work, 'store');
  let web = null;
  let browser = null;
  try {
    log(`building a store of ${COUNT} snapshots`);
    await buildStore(root, work);
    const cliRuns = [];
    for (let i = 0; i < RUNS; i++) cliRuns.push(await snapdesk(root, ['list', '--json'], work));
    const listed = JSON.parse(cliRuns[0].stdout).length;
    if (listed !== COUNT) throw new Error(`snapdesk list --json printed ${listed} snapshots, expected ${COUNT}`);

    web = await startWeb(root);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    await loadOnce(browser, web.url); // warm-up: the first load also fills the OS and HTTP caches
    const loads = [];
    for (let i = 0; i < RUNS; i++) loads.push(await loadOnce(browser, web.url));

    const ms = (xs) => `${median(xs).toFixed(0)} ms`;
    const lines = [];
    printTable(
      lines,
      [`list with ${COUNT} snapshots (median of ${RUNS})`, 'time', 'note'],
      [
        ['snapdesk list --json (whole process)', ms(cliRuns.map((r) => r.seconds * 1000)), `peak RSS ${median(cliRuns.map((r) => r.rssMiB)).toFixed(0)} MiB`],
        ['page: navigation → first rows painted', ms(loads.map((l) => l.toRows)), `list reply ${(loads[0].replyBytes / 1024 ** 2).toFixed(1)} MiB, ends at ${ms(loads.map((l) => l.replyEnd))}`],
        ['page: last byte of the reply → first rows painted', ms(loads.map((l) => l.fromReply)), 'includes reading and parsing the JSON body'],
        ['page: list in hand → first rows painted', ms(loads.map((l) => l.render)), `${loads[0].domRows} rows in the DOM; target < ${TARGET_RENDER_MS} ms`],
      ],
    );
    process.stdout.write(`\n${lines.join('\n')}\n`);
    const render = median(loads.map((l) => l.render));
    process.stdout.write(`\nfirst render of ${COUNT} snapshots: ${render.toFixed(0)} ms ${render < TARGET_RENDER_MS ? 'meets' : 'MISSES'} the < ${TARGET_RENDER_MS} ms target\n`);
  } finally {
    await browser?.close();
    await web?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:list] ${err.stack ?? err}\n`);
  process.exit(1);
});
