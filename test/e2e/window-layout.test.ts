/**
 * The window at the two sizes the review used (1280×800 and 900×600), in both
 * themes, over a real store of many snapshots: layout, columns, small-window
 * behaviour, a transfer running while the user works, dialogs and messages.
 * Screenshots go to test-results/screenshots/ (git-ignored) for a person to look at.
 */
import { rm, statfs, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { newSnapshotId } from '../../src-core/ids';
import type { LocalFileStore } from '../../src-core/localfile';
import type { SnapshotConfig } from '../../src-core/types';
import { desksPerTest, GOOD_ARCHIVE, importFile, screenshotBothThemes, tempDir, UI_TIMEOUT } from './harness';

const GiB = 1024 ** 3;
const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
] as const;

const desks = desksPerTest();

/** A snapshot with the given config and no data files (an empty tar), made in milliseconds. */
async function emptySnapshot(store: LocalFileStore, cfg: SnapshotConfig): Promise<string> {
  // An empty tar is two zero blocks.
  return store.create({ id: newSnapshotId(), ...cfg }, Readable.from([Buffer.alloc(1024)]));
}

const IMAGES = [
  'ghcr.io/cocoonstack/images/ubuntu-server:24.04',
  'registry.example.internal:5000/platform/build-agents/debian-bookworm-docker:2026.11.3',
  'docker.io/library/alpine:3.20',
  'quay.io/fedora/fedora-coreos:stable',
];

/** Forty snapshots of varied names, sizes of config, images and descriptions, plus the reference archive. */
async function manySnapshots(store: LocalFileStore): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await emptySnapshot(store, {
      name: i % 7 === 3 ? `build-agent-debian-bookworm-with-docker-and-warm-cache-${i}` : `vm-${String(i).padStart(2, '0')}-${['web', 'db', 'ci', 'cache'][i % 4]}`,
      cpu: 1 + (i % 8),
      memory: (1 + (i % 16)) * GiB,
      hypervisor: i % 3 === 0 ? 'firecracker' : 'cloud-hypervisor',
      image: IMAGES[i % IMAGES.length],
      ...(i % 2 === 0 ? { description: `nightly golden image #${i}, warmed caches and pre-pulled containers` } : {}),
    });
  }
  // Last, so it is the newest and at the top of the list.
  await importFile(store, GOOD_ARCHIVE);
}

async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  // One frame for the resize listeners (details pane, menus) to settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} has no box`);
  return b;
};

/** The toolbar's transfers label and search hint, and whether each shows whole. */
function toolbarTexts(page: Page): Promise<{ transfers: string | null; transfersCut: boolean; hint: string; hintFits: boolean }> {
  return page.evaluate(() => {
    const label = document.querySelector<HTMLElement>('.transfers-indicator .indicator-text') as HTMLElement;
    const search = document.querySelector<HTMLInputElement>('header.toolbar input.search') as HTMLInputElement;
    const style = getComputedStyle(search);
    const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
    ctx.font = style.font;
    const room = search.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { transfers: label.textContent, transfersCut: label.scrollWidth > label.clientWidth, hint: search.placeholder, hintFits: ctx.measureText(search.placeholder).width <= room };
  });
}

describe('the window at 1280×800 and 900×600', () => {
  it('columns fit at 1280 with every value whole; at 900 the details pane collapses, the table scrolls sideways with Name kept', { timeout: 240_000 }, async () => {
    const desk = await desks.open({ seed: manySnapshots });
    const { page, desk: ui } = desk;
    await ui.waitForRow('web-golden');

    // 1280: the details pane is open beside a table whose columns all fit.
    await resize(page, SIZES[0]);
    await ui.select('vm-37-db');
    await ui.details.getByRole('heading', { name: 'vm-37-db', level: 3 }).waitFor();
    // Editing the description does not pull its label down.
    const label = ui.details.getByRole('term').filter({ hasText: /^Description$/ });
    const labelBefore = await label.boundingBox();
    await ui.details.getByRole('button', { name: 'Edit description' }).click();
    await ui.details.getByRole('textbox', { name: 'Description' }).waitFor();
    expect((await label.boundingBox())?.y).toBe(labelBefore?.y);
    await screenshotBothThemes(page, 'window-1280-editing-description');
    await page.keyboard.press('Escape');
    const grid = await box(page, '[role="grid"] .grid-body');
    const head = await box(page, '[role="grid"] .row.head');
    expect(head.width).toBeLessThanOrEqual(grid.width);
    // Created, Image and Name are not cut: each cell's text fits its cell.
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.grid-rows .row .cell:not(.image):not(.desc)')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent),
    );
    expect(cut.filter((t) => !t?.startsWith('build-agent'))).toEqual([]);
    // The image's tag survives truncation.
    const tags = await page.locator('.grid-rows .cell.image .ref-tail').allTextContents();
    expect(tags).toEqual(expect.arrayContaining([':24.04', ':2026.11.3']));
    // A cut reference keeps its end (the image's name) in view and loses its start (the registry).
    const heads = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.grid-rows .cell.image .ref-head')].map((head) => {
        const box = head.getBoundingClientRect();
        const text = (head.firstElementChild as HTMLElement).getBoundingClientRect();
        return { cut: text.width > box.width + 1, endShown: Math.abs(text.right - box.right) <= 1, startHidden: text.left < box.left - 1 };
      }),
    );
    expect(heads.some((h) => h.cut)).toBe(true);
    expect(heads.filter((h) => h.cut && !(h.endShown && h.startHidden))).toEqual([]);
    expect(await toolbarTexts(page)).toEqual({ transfers: 'Transfers', transfersCut: false, hint: 'Search name, ID, description, image', hintFits: true });
    // Sorted by any column, its header label stays whole beside the sort mark.
    for (const key of ['name', 'id', 'hypervisor', 'cpu', 'memory', 'size', 'image', 'created']) {
      await page.locator(`button.sort[data-sort="${key}"]`).click();
      const cut = await page.locator(`button.sort[data-sort="${key}"] .sort-label`).evaluate((l) => l.scrollWidth > l.clientWidth);
      expect({ key, cut }).toEqual({ key, cut: false });
    }
    await page.locator('button.sort[data-sort="created"]').click();
    await screenshotBothThemes(page, 'window-1280-list');

    // 900: the details pane collapses to a rail; nothing of the table is fixed wider than the window.
    await resize(page, SIZES[1]);
    await ui.details.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Show details' }).waitFor();
    // Every toolbar control is whole on the one line, the last (Help) included.
    const help = await box(page, 'header.toolbar button[aria-label="Keyboard shortcuts and help"]');
    expect(help.x + help.width).toBeLessThanOrEqual(900);
    // Nor is any cut mid-word: the transfers button's label, and the search box's hint (shorter here).
    expect(await toolbarTexts(page)).toEqual({ transfers: 'Transfers', transfersCut: false, hint: 'Search', hintFits: true });
    const small = await box(page, '[role="grid"] .grid-body');
    expect(small.x + small.width).toBeLessThanOrEqual(900);
    await screenshotBothThemes(page, 'window-900-list');

    // Sideways: the Name column stays where it was.
    const nameBefore = await box(page, '.grid-rows .row .cell.name');
    await page.locator('[role="grid"] .grid-body').evaluate((el) => el.scrollBy({ left: 400 }));
    await page.waitForFunction(() => (document.querySelector('[role="grid"] .grid-body')?.scrollLeft ?? 0) > 0);
    const nameAfter = await box(page, '.grid-rows .row .cell.name');
    expect(nameAfter.x).toBe(nameBefore.x);
    await screenshotBothThemes(page, 'window-900-scrolled-sideways');

    // The collapse is remembered once the user chooses it.
    await page.getByRole('button', { name: 'Show details' }).click();
    await ui.details.waitFor();
    await screenshotBothThemes(page, 'window-900-details-open');
    await page.reload();
    await ui.ready();
    await ui.details.waitFor();
  });

  it('columns can be hidden and resized, and the layout and sort survive a reload', { timeout: 180_000 }, async () => {
    const desk = await desks.open({ seed: manySnapshots });
    const { page, desk: ui } = desk;
    await ui.waitForRow('web-golden');
    await ui.grid.getByRole('columnheader', { name: /^Name/ }).getByRole('button').click();
    await page.getByRole('button', { name: 'Choose columns' }).click();
    const menu = page.getByRole('menu', { name: 'Columns' });
    await menu.getByRole('menuitemcheckbox', { name: 'Hypervisor' }).click();
    await screenshotBothThemes(page, 'window-columns-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    const handle = ui.grid.getByRole('separator', { name: 'Resize Image' });
    const h = await handle.boundingBox();
    if (!h) throw new Error('no resize handle');
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2 + 80, h.y + h.height / 2, { steps: 4 });
    await page.mouse.up();
    const width = Number(await handle.getAttribute('aria-valuenow'));
    expect(width).toBeGreaterThan(200);

    await page.reload();
    await ui.ready();
    // Sorted by name, as left: the first row is now a build agent.
    await ui.waitForRow('build-agent-debian-bookworm-with-docker-and-warm-cache-3');
    expect(await ui.grid.getByRole('columnheader', { name: /^Hypervisor/ }).count()).toBe(0);
    expect(Number(await ui.grid.getByRole('separator', { name: 'Resize Image' }).getAttribute('aria-valuenow'))).toBe(width);
    expect(await ui.grid.getByRole('columnheader', { name: /^Name/ }).getAttribute('aria-sort')).toBe('ascending');
  });

  for (const size of SIZES) {
    it(`a transfer running while you work (${size.width}×${size.height}): the drawer covers nothing, the toolbar keeps its height`, { timeout: 240_000 }, async () => {
      const work = await tempDir('window');
      desks.scratch(work);
      const big = join(work, 'a very long archive file name from the nightly build of the platform team, kept for the quarterly restore drill of every build agent and database replica.tgz');
      // Sparse: made at once and taking no disk, yet the browser sends every byte of it (see import.test.ts).
      const { bavail, bsize } = await statfs(tmpdir());
      const gib = Math.min(8, Math.floor((bavail * bsize) / 2 / GiB));
      if (gib < 1) throw new Error(`this test needs 2 GiB free in ${tmpdir()}`);
      await writeFile(big, '');
      await truncate(big, gib * GiB);

      const desk = await desks.open({ seed: manySnapshots });
      const { page, desk: ui } = desk;
      await desk.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await resize(page, size);
      await ui.waitForRow('web-golden');
      if (size.width < 1100) await page.getByRole('button', { name: 'Show details' }).click();
      await ui.select('web-golden');
      await ui.details.getByRole('heading', { name: 'web-golden', level: 3 }).waitFor();
      const toolbarBefore = (await box(page, 'header.toolbar')).height;

      await ui.dropFiles([big]);
      const bar = ui.uploadBar(big.split('/').pop() ?? '');
      await bar.waitFor();
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
      // The toolbar did not grow while the indicator counts.
      expect((await box(page, 'header.toolbar')).height).toBe(toolbarBefore);
      // The drawer lists the upload and sits under the list, not over the details pane.
      const drawer = await box(page, 'section.transfers');
      const details = await box(page, 'aside.inspect');
      expect(drawer.x + drawer.width).toBeLessThanOrEqual(details.x + 1);
      // The long file name ends in an ellipsis; percent and bar stay in view.
      const title = page.locator('section.transfers .upload-file .task-title').first();
      expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      const state = await box(page, 'section.transfers .upload-file .task-state');
      expect(state.x + state.width).toBeLessThanOrEqual(drawer.x + drawer.width);

      // Working on: Copy as JSON is reachable and the click lands on it.
      const copy = ui.details.getByRole('button', { name: 'Copy as JSON' });
      await copy.scrollIntoViewIfNeeded();
      const c = await copy.boundingBox();
      if (!c) throw new Error('Copy as JSON has no box');
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent, { x: c.x + c.width / 2, y: c.y + c.height / 2 });
      expect(hit).toBe('Copy as JSON');
      await screenshotBothThemes(page, `window-${size.width}-transfer-while-working`);
      await copy.click();
      await page.getByText('Copied the details as JSON.').waitFor();
      // The toast does not cover the selected row.
      const row = await ui.row('web-golden').boundingBox();
      const toast = await box(page, '.toasts .toast');
      if (row) expect(row.y + row.height <= toast.y || row.x + row.width <= toast.x || row.y >= toast.y + toast.height).toBe(true);
      await screenshotBothThemes(page, `window-${size.width}-transfer-toast`);

      // Escape (from the list) closes the drawer; the upload goes on and the indicator still counts it.
      await ui.grid.focus();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await ui.transfers.waitFor({ state: 'detached' });
      expect(await ui.toolbarButton(/^Transfers: 1 running/).count()).toBe(1);
      expect((await box(page, 'header.toolbar')).height).toBe(toolbarBefore);
      await ui.openTransfers();
      await ui.cancelUploadButton(big.split('/').pop() ?? '').click();
      await bar.waitFor({ state: 'detached' });
      expect((await box(page, 'header.toolbar')).height).toBe(toolbarBefore);
      await rm(big);
    });
  }

  it('dialogs at 900×600: help opens at its top, import keeps its footer and does not re-centre, settings starts on the theme', { timeout: 180_000 }, async () => {
    const desk = await desks.open({ seed: manySnapshots });
    const { page, desk: ui } = desk;
    await resize(page, SIZES[1]);
    await ui.waitForRow('web-golden');

    await page.keyboard.press('F1');
    const help = ui.dialog('Keyboard shortcuts');
    await help.waitFor();
    expect(await help.locator('.dialog-body').evaluate((el) => el.scrollTop)).toBe(0);
    expect(await help.getByRole('button', { name: 'Close' }).isVisible()).toBe(true);
    await screenshotBothThemes(page, 'window-900-help');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = ui.dialog('Settings');
    await settings.waitFor();
    expect(await settings.getByRole('combobox', { name: 'Theme' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshotBothThemes(page, 'window-900-settings');
    await page.keyboard.press('Escape');

    // Three copies of a taken name: each gets a free one, and the footer stays in view.
    const work = await tempDir('window-import');
    desks.scratch(work);
    const files = ['web-golden.tgz', 'golden copy with a rather long file name that has to wrap somewhere.tar.gz', 'third.tgz'].map((n) => join(work, n));
    const { copyFile } = await import('node:fs/promises');
    for (const f of files) await copyFile(GOOD_ARCHIVE, f);
    await ui.dropFiles(files);
    const dialog = ui.dialog('Import 3 snapshots');
    await dialog.waitFor();
    await ui.importNameField('third.tgz').waitFor();
    await expect.poll(() => ui.importNameField('third.tgz').inputValue()).toMatch(/^web-golden-\d$/);
    const importButton = dialog.getByRole('button', { name: 'Import 3 snapshots' });
    expect(await importButton.isEnabled()).toBe(true);
    const footer = await box(page, '.dialog-footer');
    expect(footer.y + footer.height).toBeLessThanOrEqual(600);
    const top = (await box(page, '.import-dialog')).y;
    // A conflict message coming and going does not move the dialog.
    await ui.importNameField('third.tgz').fill('web-golden');
    await dialog.getByText(/already exists/).first().waitFor();
    expect(await importButton.isDisabled()).toBe(true);
    await screenshotBothThemes(page, 'window-900-import-conflict');
    expect((await box(page, '.import-dialog')).y).toBe(top);
    await ui.importNameField('third.tgz').fill('third-free');
    expect((await box(page, '.import-dialog')).y).toBe(top);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('messages: a non-archive dropped three times is one toast ×3; a search with no result offers Clear search; the status bar counts', { timeout: 180_000 }, async () => {
    const desk = await desks.open({ seed: manySnapshots });
    const { page, desk: ui } = desk;
    await ui.waitForRow('web-golden');
    const work = await tempDir('window-msg');
    desks.scratch(work);
    const notes = join(work, 'notes.txt');
    await writeFile(notes, 'not an archive');
    for (let i = 0; i < 3; i++) await ui.dropFiles([notes]);
    const toast = page.getByRole('alert').filter({ hasText: '×3' });
    await toast.waitFor();
    expect(await ui.alerts().count()).toBe(1);
    // The toast keeps its place when the drawer opens…
    const t1 = await toast.boundingBox();
    await ui.openTransfers();
    expect(await toast.boundingBox()).toEqual(t1);
    // …and sits under a modal's backdrop, not above it.
    await page.getByRole('button', { name: 'Settings' }).click();
    await ui.dialog('Settings').waitFor();
    if (!t1) throw new Error('toast has no box');
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.toasts') !== null, { x: t1.x + t1.width / 2, y: t1.y + t1.height / 2 });
    expect(onTop).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('status-total').textContent()).toMatch(/^41 snapshots · /);
    await screenshotBothThemes(page, 'window-1280-error-toast');

    await page.getByRole('searchbox').fill('no such thing');
    await page.getByRole('button', { name: 'Clear search' }).waitFor();
    await screenshotBothThemes(page, 'window-1280-no-results');
    await page.getByRole('button', { name: 'Clear search' }).click();
    await ui.waitForRow('web-golden');
  });
});
