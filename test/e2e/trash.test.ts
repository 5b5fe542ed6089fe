/**
 * Deletes you can undo, in Chromium over a real store, at the two window
 * sizes of the review (1280×800 and 900×600) in both themes: the toolbar's
 * Delete moves a snapshot to the trash (cocoon's view of the store, the CLI,
 * no longer sees it), Undo brings it back with its ID, and a restore whose
 * name was taken meanwhile asks for another name. Each key moment is saved as
 * test-results/screenshots/trash-<size>-<theme>-<moment>.png for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliList, GOOD_ARCHIVE, importFile, launchChromium, openDesk, SCREENSHOT_DIR, type Desk } from './harness';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
] as const;
const THEMES = ['light', 'dark'] as const;
const RUNS = SIZES.flatMap((size) => THEMES.map((theme) => ({ size, theme, label: `${size.width}x${size.height}-${theme}` })));

let browser: Browser;
let desk: Desk | null = null;

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  if (desk) await rm(desk.root, { recursive: true, force: true }).catch(() => undefined);
  await desk?.close();
  desk = null;
});
afterAll(async () => {
  await browser?.close();
});

const seed = async (store: Desk['store']): Promise<void> => {
  // Independent of this machine's free space.
  await store.trash.setSettings({ minFreeBytes: 0 });
  await importFile(store, GOOD_ARCHIVE);
};

async function openAt(run: (typeof RUNS)[number]): Promise<Desk> {
  const opened = await openDesk(browser, { seed, colorScheme: run.theme });
  await opened.page.setViewportSize(run.size);
  // One frame for the resize listeners (details pane, menus) to settle.
  await opened.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return opened;
}

async function screenshot(page: Page, label: string, moment: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `trash-${label}-${moment}.png`), animations: 'disabled' });
}

/** Fails unless the element lies wholly inside the viewport and is the topmost thing at its centre (nothing covers it). */
async function expectInViewAndUncovered(page: Page, target: Locator, what: string): Promise<void> {
  const box = await target.boundingBox();
  const view = page.viewportSize();
  if (!box || !view) throw new Error(`${what} has no box`);
  expect(box.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what} top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} right edge`).toBeLessThanOrEqual(view.width);
  expect(box.y + box.height, `${what} bottom edge`).toBeLessThanOrEqual(view.height);
  const onTop = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
  expect(onTop, `${what} is covered by another element`).toBe(true);
}

describe('the trash in a real browser over a real store', () => {
  for (const run of RUNS) {
    it(`Delete moves to the trash at once, and Undo brings the snapshot back with its ID (${run.label})`, { timeout: 120_000 }, async () => {
      desk = await openAt(run);
      const { desk: ui, page } = desk;
      const golden = await desk.store.inspect('web-golden');
      await ui.select('web-golden');
      await ui.toolbarButton('Delete').click();
      const toast = page.locator('.toast').filter({ hasText: 'Moved web-golden to the trash.' });
      await toast.waitFor();
      await ui.waitForNoRow('web-golden');
      expect(await cliList(desk.root)).toEqual([]);
      expect(existsSync(golden.data_dir)).toBe(false);
      expect(existsSync(join(desk.root, 'snapshot', 'trash', golden.id, 'memory-ranges'))).toBe(true);
      // A trash that holds something must not push the toolbar's last buttons out of the window.
      await expectInViewAndUncovered(page, ui.toolbarButton(/^Trash: 1 snapshot, /), 'the toolbar Trash');
      await expectInViewAndUncovered(page, ui.toolbarButton('Keyboard shortcuts and help'), 'the toolbar Help');
      const inStatus = page.getByRole('contentinfo', { name: 'Status' }).getByRole('button', { name: /^Open the trash: 1 snapshot, / });
      await inStatus.waitFor();
      await expectInViewAndUncovered(page, inStatus, 'the status bar trash');
      const undo = toast.getByRole('button', { name: 'Undo' });
      await expectInViewAndUncovered(page, undo, 'Undo');
      await screenshot(page, run.label, 'undo-toast');

      await undo.click();
      await ui.waitForRow('web-golden');
      expect((await cliList(desk.root)).map((s) => [s.id, s.name])).toEqual([[golden.id, 'web-golden']]);
      expect(existsSync(join(golden.data_dir, 'memory-ranges'))).toBe(true);
      await ui.toolbarButton('Trash is empty').waitFor();
      await inStatus.waitFor({ state: 'detached' });
    });

    it(`restoring from the Trash view when the name was taken asks for a new name and keeps the ID (${run.label})`, { timeout: 120_000 }, async () => {
      desk = await openAt(run);
      const { desk: ui, page } = desk;
      const golden = await desk.store.inspect('web-golden');
      await ui.select('web-golden');
      await ui.toolbarButton('Delete').click();
      await ui.waitForNoRow('web-golden');
      // Meanwhile another web-golden arrives (another program, here the store itself).
      const newer = await importFile(desk.store, GOOD_ARCHIVE);
      await ui.waitForRow('web-golden');

      await ui.toolbarButton(/^Trash: 1 snapshot, /).click();
      const view = ui.dialog('Trash');
      await view.getByRole('row', { name: 'web-golden' }).waitFor();
      const restore = view.getByRole('button', { name: 'Restore web-golden' });
      await expectInViewAndUncovered(page, restore, 'Restore in the Trash view');
      await expectInViewAndUncovered(page, view.getByRole('button', { name: 'Close' }), 'Close in the Trash view');
      // The view is as wide as it is meant to be (720 px, less a margin on narrow windows), so sizes and times stay on one line.
      const width = (await view.boundingBox())?.width ?? 0;
      expect(width).toBeGreaterThanOrEqual(Math.min(720, run.size.width - 32) - 1);
      const cells = view.getByRole('row', { name: 'web-golden' }).getByRole('cell');
      // Size and "deleted" time each on one line: their text's line boxes all share one top.
      const lineTops = (el: Element): number => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      };
      for (const i of [1, 2]) expect(await cells.nth(i).evaluate(lineTops)).toBe(1);
      await screenshot(page, run.label, 'trash-view');
      await restore.click();
      const prompt = ui.dialog('Restore “web-golden” as…');
      await prompt.waitFor();
      const input = prompt.getByRole('textbox', { name: 'New name' });
      expect(await input.inputValue()).toBe('web-golden-2');
      expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
      await expectInViewAndUncovered(page, input, 'the rename input');
      await expectInViewAndUncovered(page, prompt.getByRole('button', { name: 'Restore' }), 'the rename prompt Restore');
      await screenshot(page, run.label, 'rename-prompt');
      await input.fill('web-golden-old');
      await input.press('Enter');
      await prompt.waitFor({ state: 'detached' });
      await ui.waitForRow('web-golden-old');
      const listed = (await cliList(desk.root)).map((s) => [s.id, s.name]).sort();
      expect(listed).toEqual([
        [golden.id, 'web-golden-old'],
        [newer, 'web-golden'],
      ].sort());
      await view.getByText('The trash is empty.', { exact: false }).waitFor();
      // The answer to an action in the dialog shows above its backdrop, clear of the dialog's buttons.
      const restored = page.locator('.toast').filter({ hasText: 'Restored web-golden-old.' });
      await expectInViewAndUncovered(page, restored, 'the Restored toast over the Trash view');
      const close = await view.getByRole('button', { name: 'Close' }).boundingBox();
      const toastBox = await restored.boundingBox();
      if (close && toastBox) expect(toastBox.y + toastBox.height <= close.y || toastBox.y >= close.y + close.height || toastBox.x + toastBox.width <= close.x || toastBox.x >= close.x + close.width).toBe(true);
      await screenshot(page, run.label, 'restored-toast-over-dialog');
    });
  }
});
