/**
 * The main flows against the real desktop app. They need the Electron
 * binary, which `npm install` only downloads when allowed to; without it
 * (ELECTRON_PATH unset and node_modules/electron has no binary) every test
 * here is skipped with the reason printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src-core/localfile';
import { cli, cliList, dataHashes, GOOD_ARCHIVE, importFile, REPO, storeState, tempDir, TRAVERSAL_ARCHIVE, UI_TIMEOUT } from './harness';
import { SnapdeskPage } from './pages/snapdesk-page';

/**
 * The Electron executable: $ELECTRON_PATH, else the one the electron package
 * downloaded (what `require('electron')` returns, read from its path.txt so
 * the package's index is not loaded just to find out it is missing).
 */
function findElectron(): { path: string | null; reason: string } {
  const fromEnv = process.env.ELECTRON_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv, reason: '' } : { path: null, reason: `ELECTRON_PATH=${fromEnv} does not exist` };
  try {
    const pkgDir = dirname(createRequire(__filename).resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return { path: null, reason: 'the electron package has no binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD); set ELECTRON_PATH or reinstall electron' };
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? { path: bin, reason: '' } : { path: null, reason: `the electron binary ${bin} is missing` };
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
}

const electron = findElectron();
const electronPath = electron.path;
if (!electronPath) console.warn(`[e2e] Electron tests skipped: ${electron.reason}.`);

interface DesktopApp {
  app: ElectronApplication;
  desk: SnapdeskPage;
  root: string;
  store: ReturnType<typeof openStore>;
  dir: string;
}

let running: DesktopApp | null = null;

afterEach(async () => {
  if (!running) return;
  await running.app.close().catch(() => undefined);
  await rm(running.dir, { recursive: true, force: true });
  running = null;
});

/** The built app (out/electron/desktop/main.cjs) on a fresh store root, with its own settings folder. */
async function launchDesktop(seed?: (store: DesktopApp['store']) => Promise<void>): Promise<DesktopApp> {
  const main = join(REPO, 'out', 'electron', 'desktop', 'main.cjs');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "node scripts/build.mjs" (npm test does it first)`);
  const dir = await tempDir('electron');
  const root = join(dir, 'root');
  const store = openStore({ root });
  await seed?.(store);
  await mkdir(join(dir, 'config'));
  const app = await _electron.launch({
    executablePath: electronPath as string,
    args: ['--no-sandbox', main, '--root', root],
    cwd: REPO,
    // A settings folder of its own, so a saved root or a running instance of the user's app cannot interfere.
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), HOME: dir },
    timeout: 60_000,
  });
  const page = await app.firstWindow();
  page.setDefaultTimeout(UI_TIMEOUT);
  const desk = new SnapdeskPage(page);
  await desk.ready();
  running = { app, desk, root, store, dir };
  return running;
}

const seedGolden = async (store: DesktopApp['store']): Promise<void> => {
  await importFile(store, GOOD_ARCHIVE);
};

describe('the desktop app (Electron)', () => {
  it.skipIf(!electronPath)('lists and inspects the snapshots of the store given with --root', { timeout: 180_000 }, async () => {
    const { desk, store } = await launchDesktop(seedGolden);
    await desk.select('web-golden');
    await desk.filesTable.waitFor();
    expect(await desk.detailValue('ID').textContent()).toBe((await store.inspect('web-golden')).id);
    expect(await desk.detailValue('Hypervisor').textContent()).toBe('cloud-hypervisor');
    expect((await desk.fileNames()).sort()).toEqual(['cocoon.json', 'config.json', 'cow.raw', 'empty.bin', 'memory-ranges', 'state.json']);
    // The desktop shows the data directory in the file manager.
    await desk.details.getByRole('button', { name: 'Show in folder' }).waitFor();
  });

  it.skipIf(!electronPath)('a dropped archive with a taken name is renamed in the dialog and imported', { timeout: 180_000 }, async () => {
    const { desk, root, dir } = await launchDesktop(seedGolden);
    await desk.waitForRow('web-golden');
    const copy = join(dir, 'web-golden.tgz');
    await copyFile(GOOD_ARCHIVE, copy);
    await desk.dropFiles([copy]);
    const dialog = desk.dialog('Import snapshot');
    await dialog.waitFor();
    const field = desk.importNameField('web-golden.tgz');
    await field.waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('web-golden-desktop');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await desk.waitForRow('web-golden-desktop');
    expect((await cliList(root)).map((s) => s.name).sort()).toEqual(['web-golden', 'web-golden-desktop']);
  });

  it.skipIf(!electronPath)('renames inline, exports through the save dialog, and deletes after confirming', { timeout: 240_000 }, async () => {
    const { app, desk, root, store, dir } = await launchDesktop(seedGolden);
    await desk.select('web-golden');
    await desk.renameInline('web-desktop');
    await desk.waitForRow('web-desktop');
    expect((await cliList(root)).map((s) => s.name)).toEqual(['web-desktop']);

    // The native save dialog cannot be clicked by a test: answer it from the main process.
    const target = join(dir, 'exported.tgz');
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath })) as unknown as typeof dialog.showSaveDialog;
    }, target);
    await desk.toolbarButton('Export').click();
    // Wait for the result first: the window opens the drawer itself when the export starts.
    await desk.page.getByRole('status').filter({ hasText: 'Exported' }).waitFor();
    await desk.openTransfers();
    await desk.task('Export web-desktop').getByText('Done').waitFor();
    const other = openStore({ root: join(dir, 'other-root') });
    const id = await importFile(other, target);
    expect(await dataHashes(other, id)).toEqual(await dataHashes(store, 'web-desktop'));

    await desk.deleteSelected('web-desktop');
    await desk.waitForNoRow('web-desktop');
    expect(await cliList(root)).toEqual([]);
  });

  it.skipIf(!electronPath)('a hostile archive is refused in plain words and the store is unchanged', { timeout: 180_000 }, async () => {
    const { desk, root } = await launchDesktop(seedGolden);
    await desk.waitForRow('web-golden');
    const before = await storeState(root);
    await desk.dropFiles([TRAVERSAL_ARCHIVE]);
    const dialog = desk.importDialog;
    await dialog.waitFor();
    const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
    const refusedEarly = dialog.getByRole('alert');
    await importButton.or(refusedEarly).first().waitFor();
    if (!(await refusedEarly.isVisible())) await importButton.click();
    await desk.alerts().filter({ hasText: /traversal\.tar\.gz/ }).first().waitFor();
    expect(await desk.rowNames()).toEqual(['web-golden']);
    expect(await storeState(root)).toEqual(before);
  });

  it.skipIf(!electronPath)('snapshots created and removed with the CLI appear and disappear by themselves', { timeout: 180_000 }, async () => {
    const { desk, root, dir } = await launchDesktop();
    await desk.emptyState.waitFor();
    const files = join(dir, 'files');
    await mkdir(files);
    await writeFile(join(files, 'vmstate'), 'state\n');
    await cli(root, 'create', '--from-dir', files, '--name', 'from-cli');
    await desk.waitForRow('from-cli');
    await cli(root, 'rm', 'from-cli');
    await desk.waitForNoRow('from-cli');
    await desk.emptyState.waitFor();
  });
});
