import { describe, expect, it } from 'vitest';
import { cli, damageIndex, desksPerTest, importFile, GOOD_ARCHIVE, screenshotBothThemes, tempDir, UI_TIMEOUT } from './harness';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { storePaths } from '../../src-core/paths';

const desks = desksPerTest();

describe('the window in a real browser, without user action', () => {
  it('an empty store shows the empty state with a way to import', { timeout: 120_000 }, async () => {
    const desk = await desks.open();
    await desk.desk.emptyState.waitFor();
    expect(await desk.desk.grid.count()).toBe(0);
    await desk.page.getByRole('main').getByRole('button', { name: 'Import…' }).waitFor();
    await screenshotBothThemes(desk.page, 'empty-state');
  });

  it('a store that cannot be read says so in plain words, and the window recovers once it is fixed', { timeout: 120_000 }, async () => {
    const desk = await desks.open({ seed: (_store, root) => damageIndex(root) });
    await desk.desk.storeErrorState.waitFor();
    const section = desk.page.getByRole('region', { name: 'The snapshot store could not be read' });
    expect(await section.textContent()).toMatch(/not valid JSON/);
    await screenshotBothThemes(desk.page, 'store-error');

    // Try again while it is still broken: the store is read again and still refused.
    const before = await desk.server.context.store().list().catch((err: unknown) => err);
    expect(before).toBeInstanceOf(Error);
    await section.getByRole('button', { name: 'Try again' }).click();
    await desk.desk.storeErrorState.waitFor();

    // Repair the index behind the app's back, as a person would: the change is noticed without a click.
    await writeFile(storePaths(desk.root).indexFile, '{"snapshots": {}, "names": {}}\n');
    await importFile(desk.store, GOOD_ARCHIVE);
    await desk.desk.waitForRow('web-golden');
    expect(await desk.desk.storeErrorState.count()).toBe(0);
  });

  it('snapshots created and deleted with the CLI appear and disappear by themselves', { timeout: 120_000 }, async () => {
    const desk = await desks.open();
    await desk.desk.emptyState.waitFor();

    const files = await tempDir('cli-src');
    desks.scratch(files);
    await mkdir(files, { recursive: true });
    await writeFile(join(files, 'vmstate'), 'vm state\n');
    await writeFile(join(files, 'mem'), Buffer.alloc(64 * 1024, 7));
    const id = (await cli(desk.root, 'create', '--from-dir', files, '--name', 'from-cli', '--config', '{"cpu":1,"hypervisor":"firecracker"}')).trim();
    expect(id).toMatch(/^[A-Z2-7]{26}$/);

    const row = await desk.desk.waitForRow('from-cli');
    expect(await row.textContent()).toContain('firecracker');

    await cli(desk.root, 'rm', 'from-cli');
    await desk.desk.waitForNoRow('from-cli');
    await desk.desk.emptyState.waitFor({ timeout: UI_TIMEOUT });
  });
});
