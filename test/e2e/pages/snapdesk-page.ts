/**
 * The Snapshot Desk window as a person (and a screen reader) sees it: found
 * by roles and accessible names, never by CSS classes. Every wait is on
 * something visible; nothing waits on a clock.
 */
import type { Download, Locator, Page } from 'playwright-core';

export class SnapdeskPage {
  constructor(readonly page: Page) {}

  /** Opens the signed address and waits until the first read of the store has an answer. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.ready();
  }

  /** Waits until the window has drawn and the first read of the store has an answer. */
  async ready(): Promise<void> {
    await this.page.getByRole('main').waitFor();
    await this.page.getByText('Reading snapshots…').waitFor({ state: 'detached' });
  }

  // ---- the list ----

  get grid(): Locator {
    return this.page.getByRole('grid', { name: 'Snapshots' });
  }

  /** A snapshot row, named by the snapshot's name. */
  row(name: string): Locator {
    return this.grid.getByRole('row', { name, exact: true });
  }

  /** Names of the rows shown, top to bottom (the header row has no name). */
  async rowNames(): Promise<string[]> {
    if ((await this.grid.count()) === 0) return [];
    const labels = await this.grid.getByRole('row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
    return labels.filter((l): l is string => l !== null);
  }

  async waitForRow(name: string): Promise<Locator> {
    const row = this.row(name);
    await row.waitFor({ state: 'visible' });
    return row;
  }

  async waitForNoRow(name: string): Promise<void> {
    await this.row(name).waitFor({ state: 'detached' });
  }

  async select(name: string): Promise<void> {
    const row = await this.waitForRow(name);
    await row.click();
    await this.page.waitForFunction((el) => el?.getAttribute('aria-selected') === 'true', await row.elementHandle());
  }

  /** The window's header with its actions (a banner landmark). */
  get toolbar(): Locator {
    return this.page.getByRole('banner');
  }

  toolbarButton(name: string | RegExp): Locator {
    return this.toolbar.getByRole('button', { name, exact: typeof name === 'string' });
  }

  // ---- states ----

  get emptyState(): Locator {
    return this.page.getByRole('heading', { name: 'No snapshots yet' });
  }

  get storeErrorState(): Locator {
    return this.page.getByRole('heading', { name: 'The snapshot store could not be read' });
  }

  // ---- details ----

  get details(): Locator {
    return this.page.getByRole('complementary', { name: 'Details' });
  }

  /** The value shown beside a label in the details list. */
  detailValue(label: string): Locator {
    return this.details.getByRole('term').filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  get filesTable(): Locator {
    return this.details.getByRole('table', { name: 'Data files' });
  }

  async fileNames(): Promise<string[]> {
    return this.filesTable.getByRole('rowgroup').nth(1).getByRole('rowheader').allTextContents();
  }

  /** Renames in the details panel: Edit, type, Enter. */
  async renameInline(newName: string): Promise<void> {
    await this.details.getByRole('button', { name: 'Edit name' }).click();
    const input = this.details.getByRole('textbox', { name: 'Name', exact: true });
    await input.fill(newName);
    await input.press('Enter');
  }

  // ---- dialogs ----

  dialog(name?: string | RegExp): Locator {
    return this.page.getByRole('dialog', name === undefined ? {} : { name });
  }

  alertDialog(name?: string | RegExp): Locator {
    return this.page.getByRole('alertdialog', name === undefined ? {} : { name });
  }

  get importDialog(): Locator {
    return this.dialog(/^Import (snapshot|\d+ snapshots)$/);
  }

  /** The name field of one archive in the import dialog (labelled "Name for <file>"). */
  importNameField(fileName: string): Locator {
    return this.importDialog.getByRole('textbox', { name: `Name for ${fileName}`, exact: true });
  }

  /** Deletes for ever: Shift+Delete on the list, then the confirmation dialog (the toolbar's Delete moves to the trash). */
  async deleteSelected(name: string): Promise<void> {
    await this.page.keyboard.press('Shift+Delete');
    const confirm = this.alertDialog(`Delete ${name}?`);
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
  }

  /** Starts an export of the selection and returns the browser download it turns into. */
  async exportSelected(): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.toolbarButton('Export').click()]);
    return download;
  }

  // ---- drops ----

  /**
   * A real file drop: the files go on the hidden drop input (so big files stay
   * on disk), then dragenter/dragover/drop carry a DataTransfer of them to the window.
   */
  async dropFiles(paths: string[]): Promise<void> {
    const input = this.page.getByTestId('drop-input');
    await input.setInputFiles(paths);
    await input.evaluate((el) => {
      const files = (el as HTMLInputElement).files;
      const dt = new DataTransfer();
      for (const f of Array.from(files ?? [])) dt.items.add(f);
      const target = document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    });
  }

  // ---- uploads (browser transport) ----

  /** The bar of a file being sent to the server before the import dialog can read it. */
  uploadBar(fileName: string): Locator {
    return this.page.getByRole('progressbar', { name: `Uploading ${fileName}`, exact: true });
  }

  /** Cancel of the upload a drop of one file started. */
  cancelUploadButton(fileName: string): Locator {
    return this.page.getByRole('button', { name: `Cancel upload of ${fileName}`, exact: true });
  }

  // ---- transfers ----

  get transfers(): Locator {
    return this.page.getByRole('region', { name: 'Transfers' });
  }

  task(title: string): Locator {
    return this.transfers.getByRole('listitem', { name: title, exact: true });
  }

  progressBar(title: string): Locator {
    return this.page.getByRole('progressbar', { name: `${title} progress`, exact: true });
  }

  /** Opens the drawer unless it is open; call it when nothing else is about to toggle it. */
  async openTransfers(): Promise<void> {
    if (await this.transfers.isVisible()) return;
    await this.toolbarButton(/^Transfers/).click();
    await this.transfers.waitFor();
  }

  // ---- messages ----

  /** Error toasts and inline alerts (role="alert"). */
  alerts(): Locator {
    return this.page.getByRole('alert');
  }

  async alertTexts(): Promise<string[]> {
    return (await this.alerts().allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
