import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src-core/localfile';
import { dataDirFor, storePaths } from '../../src-core/paths';
import { existsSync, readFileSync } from 'node:fs';
import {
  cliList,
  dataHashes,
  desksPerTest,
  FIXTURES,
  GOOD_ARCHIVE,
  importFile,
  screenshotBothThemes,
  sha256File,
  tempDir,
  type Desk,
} from './harness';

interface ExpectedFile {
  size: number;
  sha256: string;
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'good', 'expect.json'), 'utf8')) as Record<string, { files: Record<string, ExpectedFile> }>;
const goldenFiles = expected['cocoon-ch.tar.gz']?.files ?? {};

const desks = desksPerTest();

/** A store holding web-golden (the reference archive) and a small firecracker snapshot named "other". */
const goldenAndOther = async (store: Desk['store']): Promise<void> => {
  await importFile(store, GOOD_ARCHIVE);
  await importFile(store, join(FIXTURES, 'good', 'cocoon-fc.tar'), 'other');
};

describe('managing snapshots in a real browser over a real store', () => {
  it('the list shows every snapshot, and inspecting one shows its fields and data files', { timeout: 120_000 }, async () => {
    const desk = await desks.open({ seed: goldenAndOther });
    const { desk: ui } = desk;
    await ui.waitForRow('web-golden');
    expect(await ui.rowNames()).toEqual(expect.arrayContaining(['web-golden', 'other']));
    await screenshotBothThemes(desk.page, 'list');

    const golden = (await desk.store.list()).find((s) => s.name === 'web-golden');
    await ui.select('web-golden');
    await ui.filesTable.waitFor();
    expect(await ui.details.getByRole('heading', { name: 'web-golden' }).count()).toBe(1);
    expect(await ui.detailValue('ID').textContent()).toBe(golden?.id);
    expect(await ui.detailValue('Hypervisor').textContent()).toBe('cloud-hypervisor');
    expect(await ui.detailValue('CPU').textContent()).toBe('2 vCPUs');
    expect(await ui.detailValue('Memory').textContent()).toBe('1 GiB');
    expect(await ui.detailValue('Description').textContent()).toContain('nginx + app, warmed cache');
    expect(await ui.detailValue('Data directory').textContent()).toContain(dataDirFor(storePaths(desk.root), golden?.id ?? ''));
    expect((await ui.fileNames()).sort()).toEqual(Object.keys(goldenFiles).sort());
    await screenshotBothThemes(desk.page, 'inspect');
    await ui.filesTable.scrollIntoViewIfNeeded();
    await screenshotBothThemes(desk.page, 'inspect-files');
  });

  it('renaming inline shows the new name in the row, and the CLI sees it', { timeout: 120_000 }, async () => {
    const desk = await desks.open({ seed: goldenAndOther });
    const { desk: ui } = desk;
    await ui.select('web-golden');

    // A taken name is flagged as it is typed, in the import dialog's words, and nothing is sent.
    await ui.renameInline('other');
    await ui.details.getByText('A snapshot named “other” already exists. Choose another name.').waitFor();
    expect(await ui.details.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await ui.details.getByRole('button', { name: 'Cancel' }).click();

    await ui.renameInline('web-renamed');
    await ui.waitForRow('web-renamed');
    await ui.waitForNoRow('web-golden');
    await ui.details.getByRole('heading', { name: 'web-renamed' }).waitFor();
    const names = (await cliList(desk.root)).map((s) => s.name).sort();
    expect(names).toEqual(['other', 'web-renamed']);
  });

  it('an exported download imports back with every data file identical', { timeout: 180_000 }, async () => {
    const desk = await desks.open({ seed: goldenAndOther });
    const { desk: ui } = desk;
    await ui.select('web-golden');
    const download = await ui.exportSelected();
    expect(download.suggestedFilename()).toMatch(/^web-golden\.(tgz|tar\.gz)$/);
    const dir = await tempDir('export');
    desks.scratch(dir);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(await download.failure()).toBeNull();

    await ui.openTransfers();
    await ui.task('Export web-golden').getByText('Done').waitFor();

    const other = openStore({ root: join(dir, 'root') });
    const id = await importFile(other, file);
    const original = await dataHashes(desk.store, 'web-golden');
    expect(await dataHashes(other, id)).toEqual(original);
    // And both match what the reference archive is known to hold.
    expect(original).toEqual(Object.fromEntries(Object.entries(goldenFiles).map(([name, f]) => [name, f.sha256])));
    expect((await other.inspect(id)).name).toBe('web-golden');
    expect(await sha256File(file)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('deleting for ever asks first, then the row is gone and so is the snapshot in the store', { timeout: 120_000 }, async () => {
    const desk = await desks.open({ seed: goldenAndOther });
    const { desk: ui } = desk;
    const golden = await desk.store.inspect('web-golden');
    await ui.select('web-golden');

    // Cancelling the confirmation deletes nothing.
    await desk.page.keyboard.press('Shift+Delete');
    const confirm = ui.alertDialog('Delete web-golden?');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/cannot be undone/);
    await screenshotBothThemes(desk.page, 'delete-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await cliList(desk.root)).map((s) => s.name)).toContain('web-golden');

    await ui.deleteSelected('web-golden');
    await ui.waitForNoRow('web-golden');
    expect(await ui.rowNames()).toEqual(['other']);
    expect((await cliList(desk.root)).map((s) => s.name)).toEqual(['other']);
    expect(existsSync(golden.data_dir)).toBe(false);
  });
});
