/**
 * Deletes you can undo, in Chromium over a real store: the toolbar's Delete
 * moves a snapshot to the trash (cocoon's view of the store, the CLI, no
 * longer sees it), Undo brings it back with its ID, and a restore whose name
 * was taken meanwhile asks for another name.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliList, GOOD_ARCHIVE, importFile, launchChromium, openDesk, screenshotBothThemes, type Desk } from './harness';

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

describe('the trash in a real browser over a real store', () => {
  it('Delete moves to the trash at once, and Undo brings the snapshot back with its ID', { timeout: 120_000 }, async () => {
    desk = await openDesk(browser, { seed });
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
    await ui.toolbarButton(/^Trash: 1 snapshot, /).waitFor();
    await screenshotBothThemes(page, 'trash-undo-toast');

    await toast.getByRole('button', { name: 'Undo' }).click();
    await ui.waitForRow('web-golden');
    expect((await cliList(desk.root)).map((s) => [s.id, s.name])).toEqual([[golden.id, 'web-golden']]);
    expect(existsSync(join(golden.data_dir, 'memory-ranges'))).toBe(true);
    await ui.toolbarButton('Trash is empty').waitFor();
  });

  it('restoring from the Trash view when the name was taken asks for a new name and keeps the ID', { timeout: 120_000 }, async () => {
    desk = await openDesk(browser, { seed });
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
    await screenshotBothThemes(page, 'trash-view');
    await view.getByRole('button', { name: 'Restore web-golden' }).click();
    const prompt = ui.dialog('Restore "web-golden" as…');
    await prompt.waitFor();
    const input = prompt.getByRole('textbox', { name: 'New name' });
    expect(await input.inputValue()).toBe('web-golden-2');
    await screenshotBothThemes(page, 'trash-restore-conflict');
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
  });
});
