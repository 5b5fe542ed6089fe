// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { FakeApi, type FakeUpload } from './fake-api';
import { renderApp } from './render-app';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'application/gzip' });

function drop(files: File[]) {
  const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
  fireEvent.dragEnter(document.body, { dataTransfer });
  fireEvent.dragOver(document.body, { dataTransfer });
  fireEvent.drop(document.body, { dataTransfer });
}

/** The browser transport, with uploads the test drives. */
async function browserApp() {
  const api = new FakeApi({ transport: 'web' });
  api.archiveFor('big.tgz', { name: 'big-one' });
  api.holdUploads();
  const view = await renderApp(api);
  return { api, ...view };
}

async function nextUpload(api: FakeApi): Promise<FakeUpload> {
  await waitFor(() => expect(api.uploads).toHaveLength(1));
  return api.uploads[0] as FakeUpload;
}

describe('uploading dropped files in the browser', () => {
  it('a dropped archive shows its upload with percent, then the import dialog opens when it is done', async () => {
    const { api } = await browserApp();
    drop([file('big.tgz', 2000)]);
    const upload = await nextUpload(api);
    act(() => upload.progress(0, 0));
    const bar = await screen.findByRole('progressbar', { name: 'Uploading big.tgz' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    act(() => upload.progress(0, 900));
    expect(bar).toHaveAttribute('aria-valuenow', '45');
    expect(bar).toHaveAttribute('aria-valuetext', expect.stringMatching(/^45%, /));
    const card = within(screen.getByRole('region', { name: 'Transfers' })).getByRole('listitem', { name: 'Upload of big.tgz' });
    expect(within(card).getByText('45%')).toBeInTheDocument();
    // Nothing to preview until the whole archive is on the server.
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    act(() => upload.progress(0, 2000));
    expect(bar).toHaveAttribute('aria-valuenow', '100');
    act(() => upload.finish());
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    expect(await within(dialog).findByRole('textbox', { name: 'Name for big.tgz' })).toHaveValue('big-one');
    expect(screen.queryByRole('progressbar', { name: 'Uploading big.tgz' })).not.toBeInTheDocument();
  });

  it('Cancel stops the upload, keeps nothing and opens no dialog', async () => {
    const { api, user } = await browserApp();
    drop([file('big.tgz', 2000)]);
    const upload = await nextUpload(api);
    act(() => upload.progress(0, 500));
    await user.click(await screen.findByRole('button', { name: 'Cancel upload of big.tgz' }));

    expect(upload.signal?.aborted).toBe(true);
    expect(await screen.findByText('Upload of big.tgz cancelled; nothing was kept.')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar', { name: 'Uploading big.tgz' })).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.uploads).toEqual([]);
    expect(api.archives.size).toBe(0);
  });

  it('several files upload one after another, each with its own bar, and one Cancel stops them all', async () => {
    const { api, user } = await browserApp();
    drop([file('first.tgz', 1000), file('second.tar', 4000)]);
    const upload = await nextUpload(api);
    act(() => upload.progress(0, 250));
    const card = within(await screen.findByRole('region', { name: 'Transfers' })).getByRole('listitem', { name: 'Upload of 2 files' });
    expect(within(card).getByRole('progressbar', { name: 'Uploading first.tgz' })).toHaveAttribute('aria-valuenow', '25');
    const second = within(card).getByRole('progressbar', { name: 'Uploading second.tar' });
    expect(second).toHaveAttribute('aria-valuenow', '0');
    expect(within(within(card).getByRole('group', { name: 'second.tar' })).getByText('Waiting')).toBeInTheDocument();

    act(() => {
      upload.progress(0, 1000);
      upload.progress(1, 1000);
    });
    expect(within(card).getByRole('progressbar', { name: 'Uploading first.tgz' })).toHaveAttribute('aria-valuenow', '100');
    expect(second).toHaveAttribute('aria-valuenow', '25');

    await user.click(within(card).getByRole('button', { name: 'Cancel upload of 2 files' }));
    expect(await screen.findByText('Upload of first.tgz and second.tar cancelled; nothing was kept.')).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: 'Upload of 2 files' })).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('a finished batch of several files opens one import dialog for all of them', async () => {
    const { api } = await browserApp();
    drop([file('first.tgz', 1000), file('second.tar', 4000)]);
    const upload = await nextUpload(api);
    act(() => {
      upload.progress(0, 1000);
      upload.progress(1, 4000);
    });
    act(() => upload.finish());
    const dialog = await screen.findByRole('dialog', { name: 'Import 2 snapshots' });
    expect(await within(dialog).findByRole('textbox', { name: 'Name for first.tgz' })).toHaveValue('first');
    expect(await within(dialog).findByRole('textbox', { name: 'Name for second.tar' })).toHaveValue('second');
    expect(screen.queryByRole('listitem', { name: 'Upload of 2 files' })).not.toBeInTheDocument();
  });

  it('an upload the server refuses says why, and its bar goes away', async () => {
    const { api } = await browserApp();
    drop([file('big.tgz', 2000)]);
    const upload = await nextUpload(api);
    act(() => upload.progress(0, 100));
    await screen.findByRole('progressbar', { name: 'Uploading big.tgz' });
    act(() => upload.fail(new SnapDeskError('no_space', 'not enough space in /tmp for big.tgz')));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Could not open big\.tgz: there is not enough free disk space\./);
    expect(within(alert).getByText('Details').closest('details')).toHaveTextContent('not enough space in /tmp for big.tgz');
    expect(screen.queryByRole('progressbar', { name: 'Uploading big.tgz' })).not.toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('two drops upload side by side, and cancelling one leaves the other going', async () => {
    const { api, user } = await browserApp();
    drop([file('big.tgz', 2000)]);
    drop([file('other.tgz', 1000)]);
    await waitFor(() => expect(api.uploads).toHaveLength(2));
    const [big, other] = api.uploads as [FakeUpload, FakeUpload];
    act(() => {
      big.progress(0, 1000);
      other.progress(0, 100);
    });
    await user.click(await screen.findByRole('button', { name: 'Cancel upload of other.tgz' }));
    await screen.findByText('Upload of other.tgz cancelled; nothing was kept.');
    expect(big.signal?.aborted).toBe(false);
    expect(screen.getByRole('progressbar', { name: 'Uploading big.tgz' })).toHaveAttribute('aria-valuenow', '50');
    act(() => big.finish());
    expect(await screen.findByRole('dialog', { name: 'Import snapshot' })).toBeInTheDocument();
  });
});

describe('dropping files on the desktop', () => {
  it('registers them at once: no upload is shown and the dialog opens', async () => {
    const api = new FakeApi({ transport: 'electron' });
    await renderApp(api);
    drop([file('big.tgz', 2000)]);
    expect(await screen.findByRole('dialog', { name: 'Import snapshot' })).toBeInTheDocument();
    expect(screen.queryByRole('progressbar', { name: /^Uploading / })).not.toBeInTheDocument();
  });
});
