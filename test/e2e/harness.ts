/**
 * End-to-end harness: the built renderer served by the real browser
 * transport over a fresh temp store, driven in real Chromium. Nothing here is
 * mocked; the store is the one the CLI and cocoon use.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { openStore, type LocalFileStore } from '../../src-core/localfile';
import { storePaths } from '../../src-core/paths';
import type { Snapshot } from '../../src-core/types';
import chromiumConfig from './chromium.json';
import { SnapdeskPage } from './pages/snapdesk-page';

const run = promisify(execFile);

export const REPO = resolve(__dirname, '..', '..');
export const RENDERER_DIR = join(REPO, 'out', 'renderer');
export const CLI = join(REPO, 'out', 'cli', 'snapdesk.cjs');
export const FIXTURES = join(REPO, 'test', 'fixtures');
export const GOOD_ARCHIVE = join(FIXTURES, 'good', 'cocoon-ch.tar.gz');
export const TRAVERSAL_ARCHIVE = join(FIXTURES, 'hostile', 'traversal.tar.gz');
export const SCREENSHOT_DIR = join(REPO, 'test-results', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? chromiumConfig.path;

/** Generous: two cores are shared with everything else running. */
export const UI_TIMEOUT = 30_000;

// CI runs as root (--no-sandbox); the networking switches keep Chromium from phoning out of a
// closed network. Shared with the list benchmark.
const CHROMIUM_ARGS = chromiumConfig.args;

/** Fails with what to do when the build output or the browser is missing. */
export function assertPrerequisites(): void {
  const missing = [join(RENDERER_DIR, 'index.html'), CLI].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`end-to-end tests need the build output (${missing.join(', ')} missing): run "node scripts/build.mjs" (npm test does it first)`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`end-to-end tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
}

export async function launchChromium(): Promise<Browser> {
  assertPrerequisites();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `snapdesk-e2e-${prefix}-`));
}

/** The real CLI against `root`; resolves with stdout, rejects with stderr in the message. */
export async function cli(root: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [CLI, '--root', root, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`snapdesk ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
  }
}

/** What the CLI lists: the outside view of the store. */
export async function cliList(root: string): Promise<Snapshot[]> {
  return JSON.parse(await cli(root, 'list', '--json')) as Snapshot[];
}

export async function importFile(store: LocalFileStore, file: string, name?: string): Promise<string> {
  return store.import(createReadStream(file), name ? { name } : {});
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** sha256 of every data file of a snapshot, by file name. */
export async function dataHashes(store: LocalFileStore, ref: string): Promise<Record<string, string>> {
  const details = await store.inspect(ref);
  const out: Record<string, string> = {};
  for (const f of details.files) out[f.name] = await sha256File(join(details.data_dir, f.name));
  return out;
}

/** The index bytes and the data directories: what "the store is unchanged" means. */
export async function storeState(root: string): Promise<{ index: string | null; dataDirs: string[] }> {
  const paths = storePaths(root);
  const index = await readFile(paths.indexFile, 'utf8').catch(() => null);
  const dataDirs = await readdir(paths.dataRoot).catch(() => [] as string[]);
  return { index, dataDirs: dataDirs.sort() };
}

/** Writes an index that is not JSON, so every read of the store fails. */
export async function damageIndex(root: string): Promise<void> {
  const paths = storePaths(root);
  await mkdir(paths.dbDir, { recursive: true });
  await writeFile(paths.indexFile, '{"snapshots": {not json');
}

export interface Desk {
  root: string;
  store: LocalFileStore;
  server: WebServer;
  context: BrowserContext;
  page: Page;
  desk: SnapdeskPage;
  close(): Promise<void>;
}

export interface OpenDeskOptions {
  /** Runs against the store before the page loads. */
  seed?: (store: LocalFileStore, root: string) => Promise<void>;
  colorScheme?: 'light' | 'dark';
}

/** A fresh store root, the browser transport on 127.0.0.1:0 over it, and a page signed in to it. */
export async function openDesk(browser: Browser, opts: OpenDeskOptions = {}): Promise<Desk> {
  const dir = await tempDir('desk');
  const root = join(dir, 'root');
  const store = openStore({ root });
  let server: WebServer | null = null;
  let context: BrowserContext | null = null;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await opts.seed?.(store, root);
    server = await startWebServer({ root, port: 0, host: '127.0.0.1', rendererDir: RENDERER_DIR, version: 'e2e' });
    context = await browser.newContext({ acceptDownloads: true, colorScheme: opts.colorScheme ?? 'light', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    const desk = new SnapdeskPage(page);
    await desk.open(server.url);
    return { root, store, server, context, page, desk, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Saves the page in the light and the dark theme as test-results/screenshots/<name>-<theme>.png. */
export async function screenshotBothThemes(page: Page, name: string): Promise<string[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const files: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const file = join(SCREENSHOT_DIR, `${name}-${colorScheme}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    files.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}

/** What a test file gets from `desksPerTest`: pages opened on fresh stores, and scratch directories, all gone after each test. */
export interface DeskSession {
  open(opts?: OpenDeskOptions): Promise<Desk>;
  /** Removes `dir` after the test; returns it. */
  scratch(dir: string): string;
}

/**
 * One Chromium for the test file; the desk a test opens and the scratch
 * directories it names are closed and removed after each test.
 */
export function desksPerTest(): DeskSession {
  let browser: Browser | null = null;
  let desk: Desk | null = null;
  const scratch: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    await desk?.close();
    desk = null;
    for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async open(opts = {}) {
      if (!browser) throw new Error('the browser is not running: open desks inside tests');
      await desk?.close();
      desk = await openDesk(browser, opts);
      return desk;
    },
    scratch(dir) {
      scratch.push(dir);
      return dir;
    },
  };
}
