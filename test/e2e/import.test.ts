import { randomFillSync } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, statfs, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-core/localfile';
import {
  cli,
  cliList,
  GOOD_ARCHIVE,
  importFile,
  launchChromium,
  openDesk,
  screenshotBothThemes,
  storeState,
  tempDir,
  TRAVERSAL_ARCHIVE,
  UI_TIMEOUT,
  type Desk,
} from './harness';

/** Big enough that importing it takes seconds even on a fast disk: random bytes do not compress. */
const LARGE_BYTES = 768 * 1024 * 1024;
const GiB = 1024 ** 3;
/** A file whose upload takes seconds even over loopback, so there is time to see it and cancel it. */
/** Steps that move the large archive around. */
const SLOW_STEP = 240_000;

let browser: Browser;
let desk: Desk | null = null;
let work: string;

beforeAll(async () => {
  browser = await launchChromium();
  work = await tempDir('import');
});
afterEach(async () => {
  await desk?.close();
  desk = null;
});
afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const seedGolden = async (store: Desk['store']): Promise<void> => {
  await importFile(store, GOOD_ARCHIVE);
};

/** Writes `bytes` of random data in 4 MiB pieces (never the whole file in memory). */
async function randomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  for (let done = 0; done < bytes; done += chunk.length) {
    randomFillSync(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** A large .tgz made the way users make them: a snapshot saved into a store (CLI), exported by the store. */
async function largeArchive(): Promise<string> {
  const files = join(work, 'large-src');
  await mkdir(files, { recursive: true });
  await randomFile(join(files, 'memory-ranges'), LARGE_BYTES);
  const root = join(work, 'large-root');
  await cli(root, 'create', '--from-dir', files, '--name', 'large-one', '--config', '{"cpu":4,"memory":4294967296,"hypervisor":"cloud-hypervisor"}');
  await rm(files, { recursive: true, force: true });
  const archive = join(work, 'large-one.tgz');
  await openStore({ root }).exportToFile('large-one', archive);
  await rm(root, { recursive: true, force: true });
  return archive;
}

describe('importing in a real browser over a real store', () => {
  it('a dropped archive whose name is taken is flagged with a free name, and taking it lists both', { timeout: 180_000 }, async () => {
    desk = await openDesk(browser, { seed: seedGolden });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');

    await ui.dropFiles([GOOD_ARCHIVE]);
    const dialog = ui.dialog('Import snapshot');
    await dialog.waitFor();
    const field = ui.importNameField('cocoon-ch.tar.gz');
    await field.waitFor();
    // The taken name is replaced by a free one, and the dialog says so beside the field.
    await expect.poll(() => field.inputValue()).toMatch(/^web-golden-\d+$/);
    expect(await field.getAttribute('aria-invalid')).toBeNull();
    await dialog.getByText(/“web-golden” is already taken, so this one will be named “web-golden-\d+”/).waitFor();
    // Typing the taken name back is flagged at the field (aria-describedby) and Import waits, saying why.
    await field.fill('web-golden');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await dialog.locator(`[id="${describedBy}"]`).textContent()).toMatch(/“web-golden” already exists/);
    const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await dialog.getByText('Choose a free name for cocoon-ch.tar.gz to import.').waitFor();
    expect((await cliList(desk.root)).map((s) => s.name)).toEqual(['web-golden']);

    const offer = dialog.getByRole('button', { name: /^Use “web-golden-\d+”$/ });
    const suggested = /“(.+)”/.exec((await offer.textContent()) ?? '')?.[1] ?? '';
    await offer.click();
    expect(await field.inputValue()).toBe(suggested);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.waitForRow(suggested);
    expect((await ui.rowNames()).sort()).toEqual(['web-golden', suggested].sort());
    expect((await cliList(desk.root)).map((s) => s.name).sort()).toEqual(['web-golden', suggested].sort());
  });

  it('dropped archives whose name is taken are flagged with a free name, renamed, and all are listed', { timeout: 180_000 }, async () => {
    desk = await openDesk(browser, { seed: seedGolden });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');
    const a = join(work, 'web-golden.tgz');
    const b = join(work, 'golden copy.tar.gz');
    await copyFile(GOOD_ARCHIVE, a);
    await copyFile(GOOD_ARCHIVE, b);

    await ui.dropFiles([a, b]);
    const dialog = ui.dialog('Import 2 snapshots');
    await dialog.waitFor();
    const first = ui.importNameField('web-golden.tgz');
    const second = ui.importNameField('golden copy.tar.gz');
    await first.waitFor();
    await second.waitFor();
    // The taken name is replaced at each field by a different free one.
    await expect.poll(() => first.inputValue()).toMatch(/^web-golden-\d+$/);
    await expect.poll(() => second.inputValue()).toMatch(/^web-golden-\d+$/);
    const suggested = await first.inputValue();
    expect(await second.inputValue()).not.toBe(suggested);
    expect(await first.getAttribute('aria-invalid')).toBeNull();
    const firstGroup = dialog.getByRole('group', { name: /^web-golden\.tgz/ });
    expect(await firstGroup.textContent()).toMatch(/“web-golden” is already taken/);
    await screenshotBothThemes(desk.page, 'import-dialog-conflict');

    // The other archive is renamed by typing; a name also used inside this import is flagged too.
    const secondGroup = dialog.getByRole('group', { name: /^golden copy\.tar\.gz/ });
    await second.fill(suggested);
    await secondGroup.getByText(/also named|already exists/).waitFor();
    const secondOffer = secondGroup.getByRole('button', { name: /^Use “/ });
    expect(await secondOffer.textContent()).not.toContain(`“${suggested}”`);
    await second.fill('web-golden-blue');
    expect(await second.getAttribute('aria-invalid')).toBeNull();

    await dialog.getByRole('button', { name: 'Import 2 snapshots' }).click();
    await dialog.waitFor({ state: 'detached' });
    await ui.waitForRow(suggested);
    await ui.waitForRow('web-golden-blue');
    expect((await ui.rowNames()).sort()).toEqual(['web-golden', 'web-golden-blue', suggested].sort());
    expect((await cliList(desk.root)).map((s) => s.name).sort()).toEqual(['web-golden', 'web-golden-blue', suggested].sort());
  });

  it('a hostile archive is refused in plain words and the store and list stay as they were', { timeout: 180_000 }, async () => {
    desk = await openDesk(browser, { seed: seedGolden });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');
    const before = await storeState(desk.root);
    const rowsBefore = await ui.rowNames();

    await ui.dropFiles([TRAVERSAL_ARCHIVE]);
    const dialog = ui.importDialog;
    await dialog.waitFor();
    // The header alone looks fine, so the refusal may come from the preview or from the import itself.
    const importButton = dialog.getByRole('button', { name: 'Import', exact: true });
    const refusedEarly = dialog.getByRole('alert');
    await importButton.or(refusedEarly).first().waitFor();
    if (await refusedEarly.isVisible()) {
      expect(await refusedEarly.textContent()).toMatch(/traversal\.tar\.gz cannot be imported: /);
    } else {
      await importButton.click();
      await dialog.waitFor({ state: 'detached' });
    }
    // Refused at the preview (an alert in the dialog) or by the import (its transfer fails, in the open drawer).
    const failure = refusedEarly.or(ui.task('Import traversal.tar.gz').filter({ hasText: 'Failed' })).first();
    await failure.waitFor();
    const message = (await failure.textContent()) ?? '';
    // Plain words: what is wrong with which archive (the parser's own words only behind Details), no stack trace or bare errno.
    expect(message).toMatch(/traversal\.tar\.gz|not a valid snapshot archive/);
    expect(message).toMatch(/not a valid snapshot archive/);
    expect(message).not.toMatch(/\bat .+:\d+:\d+|^Error:|\bE[A-Z]{3,}\b/);
    await screenshotBothThemes(desk.page, 'hostile-archive-error');

    expect(await ui.rowNames()).toEqual(rowsBefore);
    expect(await storeState(desk.root)).toEqual(before);
    expect(existsSync(join(desk.root, 'snapshot', 'escape.txt'))).toBe(false);
    expect(existsSync(join(desk.root, 'escape.txt'))).toBe(false);
  });

  it('a large dropped file shows its upload progress before any dialog, and Cancel keeps nothing', { timeout: 180_000 }, async () => {
    // Sparse: made at once and taking no disk, yet the browser sends every byte of it.
    const big = join(work, 'huge upload.tgz');
    // The server refuses an upload larger than the free space of its temp directory.
    // Sized to the free space (up to 8 GiB) so the test holds on small CI disks; it is cancelled long before the end.
    const { bavail, bsize } = await statfs(tmpdir());
    const UPLOAD_GIB = Math.min(8, Math.floor((bavail * bsize) / 2 / GiB));
    if (UPLOAD_GIB < 1) throw new Error(`this test needs 2 GiB free in ${tmpdir()} (set TMPDIR elsewhere)`);
    await writeFile(big, '');
    await truncate(big, UPLOAD_GIB * GiB);
    desk = await openDesk(browser, { seed: seedGolden });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');

    await ui.dropFiles([big]);
    const bar = ui.uploadBar('huge upload.tgz');
    await bar.waitFor();
    expect(await ui.importDialog.count()).toBe(0);
    // The bar moves as bytes reach the server.
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(new RegExp(`^\\d+%, .+ of ${UPLOAD_GIB} GiB$`));
    await screenshotBothThemes(desk.page, 'upload-in-progress');

    await ui.cancelUploadButton('huge upload.tgz').click();
    await desk.page.getByText('Upload of huge upload.tgz cancelled; nothing was kept.').waitFor();
    await bar.waitFor({ state: 'detached' });
    expect(await ui.importDialog.count()).toBe(0);
    // The server deletes what it had received.
    await expect.poll(() => readdir(desk?.server.uploadDir ?? ''), { timeout: 30_000 }).toEqual([]);
    expect(await ui.rowNames()).toEqual(['web-golden']);
    await rm(big);
  });

  it('cancelling a large import leaves no record, no data directory and the index unchanged', { timeout: 600_000 }, async () => {
    const archive = await largeArchive();
    desk = await openDesk(browser, { seed: seedGolden });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');
    const before = await storeState(desk.root);

    await ui.dropFiles([archive]);
    const dialog = ui.dialog('Import snapshot');
    // The browser uploads the whole archive before the dialog can read it: minutes on a busy machine.
    await dialog.waitFor({ timeout: SLOW_STEP });
    expect(await ui.importNameField('large-one.tgz').inputValue()).toBe('large-one');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    // The dialog closes once the task has started (and the window may open the drawer itself).
    await dialog.waitFor({ state: 'detached' });

    const title = 'Import large-one.tgz';
    await ui.openTransfers();
    const bar = ui.progressBar(title);
    await bar.waitFor();
    await screenshotBothThemes(desk.page, 'transfers-in-progress');
    await ui.transfers.getByRole('button', { name: `Cancel ${title}` }).click();
    // Cancelling removes what was written so far before the task reports it.
    await ui.task(title).getByText('Cancelled').waitFor({ timeout: SLOW_STEP });
    await screenshotBothThemes(desk.page, 'transfer-cancelled');

    expect(await ui.rowNames()).toEqual(['web-golden']);
    expect((await cliList(desk.root)).map((s) => s.name)).toEqual(['web-golden']);
    expect(await storeState(desk.root)).toEqual(before);
    // The uploaded copy is not kept either.
    await expect.poll(() => readdir(desk?.server.uploadDir ?? ''), { timeout: 30_000 }).toEqual([]);
  });
});
