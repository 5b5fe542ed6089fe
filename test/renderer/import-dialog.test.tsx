// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

const file = (name: string, size = 1024) => new File([new Uint8Array(size)], name, { type: 'application/gzip' });

/** A drop the way a browser delivers one (and the way the end-to-end tests synthesize one). */
function drop(files: File[]) {
  const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
  fireEvent.dragEnter(document.body, { dataTransfer });
  fireEvent.dragOver(document.body, { dataTransfer });
  fireEvent.drop(document.body, { dataTransfer });
}

function apiWithGolden() {
  const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'web-golden' })] });
  api.archiveFor('cocoon-ch.tar.gz', { name: 'web-golden', description: 'nginx + app, warmed cache', cpu: 2, memory: GiB, hypervisor: 'cloud-hypervisor' });
  api.archiveFor('cocoon-fc.tar', { name: '', cpu: 1, memory: 512 * MiB, hypervisor: 'firecracker' });
  api.archiveFor('fresh.tgz', { name: 'fresh', cpu: 4, memory: 2 * GiB });
  return api;
}

describe('importing archives', () => {
  it('a drag over the window shows the drop overlay, leaving hides it', async () => {
    await renderApp(new FakeApi());
    const dataTransfer = { files: [], types: ['Files'] };
    fireEvent.dragEnter(document.body, { dataTransfer });
    expect(screen.getByText('Drop to import')).toBeInTheDocument();
    fireEvent.dragLeave(document.body, { dataTransfer, relatedTarget: null });
    expect(screen.queryByText('Drop to import')).not.toBeInTheDocument();
  });

  it('several dropped archives are previewed, named and imported each', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('fresh.tgz'), file('cocoon-fc.tar')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import 2 snapshots' });
    const fresh = await within(dialog).findByRole('group', { name: /fresh\.tgz/ });
    expect(within(fresh).getByText('Name in archive').nextElementSibling).toHaveTextContent('fresh');
    expect(within(fresh).getByText('CPU').nextElementSibling).toHaveTextContent('4');
    expect(within(fresh).getByText('Memory').nextElementSibling).toHaveTextContent('2 GiB');
    const fc = within(dialog).getByRole('group', { name: /cocoon-fc\.tar/ });
    await waitFor(() => expect(within(fc).getByText('Hypervisor').nextElementSibling).toHaveTextContent('firecracker'));
    expect(within(fc).getByText('Name in archive').nextElementSibling).toHaveTextContent('unnamed');

    const name = within(fresh).getByRole('textbox', { name: 'Name for fresh.tgz' });
    expect(name).toHaveValue('fresh');
    await user.clear(name);
    await user.type(name, 'fresh-web');
    await user.type(within(fresh).getByRole('textbox', { name: 'Description for fresh.tgz' }), 'from CI');
    await user.type(within(fc).getByRole('textbox', { name: 'Name for cocoon-fc.tar' }), 'fc-base');
    await user.click(within(dialog).getByRole('button', { name: 'Import 2 snapshots' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const imports = api.callsOf('archives.import') as { archiveId: string; name?: string; description?: string }[];
    expect(imports.map((i) => [i.name, i.description])).toEqual([
      ['fresh-web', 'from CI'],
      ['fc-base', undefined],
    ]);
    expect(screen.getByRole('region', { name: 'Transfers' })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Import fresh.tgz progress' })).toBeInTheDocument();

    act(() => {
      api.finish('task1');
    });
    // The new snapshot is selected (and scrolled to); the open drawer says the name it was saved under, so no toast repeats it.
    const row = await screen.findByRole('row', { name: 'fresh-web' });
    await waitFor(() => expect(row).toHaveAttribute('aria-selected', 'true'));
    const done = within(screen.getByRole('region', { name: 'Transfers' })).getByRole('listitem', { name: 'Import fresh.tgz' });
    expect(done).toHaveTextContent('Saved as fresh-web');
    expect(screen.queryByText('Imported fresh-web.')).not.toBeInTheDocument();
  });

  it('a taken name in the archive is replaced by a free one, said beside the field; typing a taken name disables Import with the reason', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('cocoon-ch.tar.gz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    const name = await within(dialog).findByRole('textbox', { name: /^Name for/ });
    await waitFor(() => expect(name).toHaveValue('web-golden-2'));
    await waitFor(() => expect(name).toHaveFocus());
    expect(name).not.toHaveAttribute('aria-invalid');
    expect(within(dialog).getByText('“web-golden” is already taken, so this one will be named “web-golden-2”.')).toBeInTheDocument();
    const importButton = within(dialog).getByRole('button', { name: 'Import' });
    expect(importButton).toBeEnabled();
    // A single archive has nothing to skip: Cancel does that.
    expect(within(dialog).queryByRole('button', { name: /^Skip/ })).not.toBeInTheDocument();
    // Typing a taken name is flagged, in the same words as renaming in the details pane, and Import says why it waits.
    await user.clear(name);
    await user.type(name, 'web-golden');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/A snapshot named “web-golden” already exists. Choose another name./);
    expect(importButton).toBeDisabled();
    expect(importButton).toHaveAccessibleDescription('Choose a free name for cocoon-ch.tar.gz to import.');
    // Enter in the field does not import either; the field keeps focus.
    await user.type(name, '{Enter}');
    expect(api.callsOf('archives.import')).toEqual([]);
    expect(name).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Use “web-golden-2”' }));
    expect(name).toHaveValue('web-golden-2');
    expect(importButton).toBeEnabled();
  });

  it('two archives of one taken name get different free names, and a name another archive uses is flagged on both', async () => {
    const api = apiWithGolden();
    api.archiveFor('web-golden.tgz', { name: 'web-golden' });
    api.archiveFor('golden copy.tar.gz', { name: 'web-golden' });
    const { user } = await renderApp(api);
    drop([file('web-golden.tgz'), file('golden copy.tar.gz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import 2 snapshots' });
    const first = within(dialog).getByRole('group', { name: /^web-golden\.tgz/ });
    const second = within(dialog).getByRole('group', { name: /^golden copy\.tar\.gz/ });
    const firstName = await within(first).findByRole('textbox', { name: 'Name for web-golden.tgz' });
    const secondName = await within(second).findByRole('textbox', { name: 'Name for golden copy.tar.gz' });
    // Filling in both free names must not make the two imports collide.
    await waitFor(() => expect(new Set([(firstName as HTMLInputElement).value, (secondName as HTMLInputElement).value])).toEqual(new Set(['web-golden-2', 'web-golden-3'])));
    expect(firstName).not.toHaveAttribute('aria-invalid');
    expect(secondName).not.toHaveAttribute('aria-invalid');

    // A name the other archive already uses is flagged, on both, and Import waits.
    const taken = (firstName as HTMLInputElement).value;
    await user.clear(secondName);
    await user.type(secondName, taken);
    expect(secondName).toHaveAttribute('aria-invalid', 'true');
    expect(secondName).toHaveAccessibleDescription(new RegExp(`Another archive in this import is also named “${taken}”`));
    expect(firstName).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).getByRole('button', { name: 'Import 2 snapshots' })).toBeDisabled();
    expect(api.callsOf('archives.import')).toEqual([]);

    await user.click(within(second).getByRole('button', { name: /^Use “web-golden-\d”/ }));
    expect(firstName).not.toHaveAttribute('aria-invalid');
    await user.click(within(dialog).getByRole('button', { name: 'Import 2 snapshots' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = (api.callsOf('archives.import') as { name?: string }[]).map((c) => c.name);
    expect(new Set(sent).size).toBe(2);
    expect(sent).not.toContain('web-golden');
  });

  it('the title counts only archives that can be imported; an unreadable one says why in plain words, details behind a disclosure', async () => {
    const api = apiWithGolden();
    const broken = api.addArchive('broken.tgz', { name: 'x' }, 100, { code: 'invalid_archive', message: 'tar header field checksum is not an octal number (…)' });
    const golden = api.addArchive('fresh.tgz', { name: 'fresh' });
    const { user } = await renderApp(api);
    act(() => api.emit('archives.opened', { archives: [broken.ref, golden.ref] }));
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    const bad = within(dialog).getByRole('group', { name: /broken\.tgz/ });
    expect(await within(bad).findByRole('alert')).toHaveTextContent('broken.tgz cannot be imported: the file is not a valid snapshot archive.');
    expect(within(bad).getByRole('alert')).not.toHaveTextContent('octal');
    expect(within(bad).getByText('Details').closest('details')).toHaveTextContent('tar header field checksum is not an octal number (…)');
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(api.callsOf('archives.import')).toHaveLength(1));
    // The dialog closes once the readable one is under way: it does not stay open on the unreadable one alone.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.callsOf('archives.release')).toContainEqual({ archiveId: broken.ref.id });
  });

  it('a name an import already under way will take is replaced by a free one in a later import', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('fresh.tgz')]);
    let dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // task1 is still running when the same archive is dropped again.
    drop([file('fresh.tgz')]);
    dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    const name = await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await waitFor(() => expect(name).toHaveValue('fresh-2'));
    expect(within(dialog).getByText('“fresh” is already taken, so this one will be named “fresh-2”.')).toBeInTheDocument();
    // Typing it back is flagged with the reason.
    await user.clear(name);
    await user.type(name, 'fresh');
    expect(name).toHaveAccessibleDescription(/An import already under way will be named “fresh”/);
  });

  it('a name conflict at commit brings the prompt back for that archive instead of failing', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('fresh.tgz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // Someone else takes the name while the import runs.
    act(() => api.addSnapshot(makeSnapshot({ name: 'fresh' })));
    act(() => {
      api.progress('task1', 512);
      api.finish('task1');
    });
    const again = await screen.findByRole('dialog', { name: 'Import snapshot' });
    const name = within(again).getByRole('textbox', { name: 'Name for fresh.tgz' });
    // The free name is filled in, and the dialog says why.
    await waitFor(() => expect(name).toHaveValue('fresh-2'));
    expect(within(again).getByText('“fresh” is already taken, so this one will be named “fresh-2”.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(within(again).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(api.callsOf('archives.import')).toHaveLength(2));
    expect((api.callsOf('archives.import')[1] as { name: string }).name).toBe('fresh-2');
    act(() => {
      api.finish('task2');
    });
    expect(await screen.findByRole('row', { name: 'fresh-2' })).toBeInTheDocument();
  });

  it('a conflict the store reports when the import starts is shown at the name field', async () => {
    const api = apiWithGolden();
    api.override('archives.import', async () => {
      throw new SnapDeskError('name_conflict', 'a snapshot named "fresh" already exists; choose another name', { name: 'fresh' });
    });
    const { user } = await renderApp(api);
    drop([file('fresh.tgz')]);
    const dialog = await screen.findByRole('dialog');
    const name = await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(name).toHaveAccessibleDescription(/already exists/));
    expect(within(dialog).getByRole('button', { name: /^Use “fresh-2”/ })).toBeInTheDocument();
  });

  it('refuses files that are not archives, by name, and still imports the rest', async () => {
    const api = apiWithGolden();
    await renderApp(api);
    drop([file('notes.txt'), file('fresh.tgz'), file('photo.png')]);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'notes.txt and photo.png are not snapshot archives: only .tgz, .tar.gz or .tar files can be imported.',
    );
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    expect(within(dialog).getByRole('group', { name: /fresh\.tgz/ })).toBeInTheDocument();
  });

  it('an archive that cannot be read can be removed', async () => {
    const api = apiWithGolden();
    const a = api.addArchive('broken.tgz', { name: 'x' }, 100, { code: 'invalid_archive', message: 'invalid snapshot archive: snapshot.json is missing' });
    const { user } = await renderApp(api);
    act(() => api.emit('archives.opened', { archives: [a.ref] }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('broken.tgz cannot be imported: the file is not a valid snapshot archive.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Remove broken.tgz' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('Import… uses the native picker on the desktop', async () => {
    const api = apiWithGolden();
    const a = api.addArchive('picked.tgz', { name: 'picked' });
    api.pickResult = [a.ref];
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    expect(await within(dialog).findByRole('textbox', { name: 'Name for picked.tgz' })).toHaveValue('picked');
    expect(api.callsOf('archives.pick')).toHaveLength(1);
  });

  it('Import… in the browser opens a file input and uploads what is chosen', async () => {
    const api = apiWithGolden();
    api.info = { ...api.info, transport: 'web' };
    const { user } = await renderApp(api);
    const input = screen.getByTestId('import-input') as HTMLInputElement;
    expect(input.accept).toBe('.tgz,.tar.gz,.tar,application/gzip,application/x-tar');
    expect(input.multiple).toBe(true);
    let clicked = 0;
    input.addEventListener('click', () => clicked++);
    await user.click(screen.getByRole('button', { name: 'Import…' }));
    expect(clicked).toBe(1);
    expect(api.callsOf('archives.pick')).toEqual([]);
    await user.upload(input, [file('fresh.tgz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    expect(await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' })).toHaveValue('fresh');
  });

  it('the menu’s Import and files opened with the app start the same flow', async () => {
    const api = apiWithGolden();
    const a = api.addArchive('opened.tgz', { name: 'opened' });
    api.pickResult = [a.ref];
    await renderApp(api);
    act(() => api.emit('menu.command', { command: 'import' }));
    expect(await screen.findByRole('dialog', { name: 'Import snapshot' })).toBeInTheDocument();
    const b = api.addArchive('second.tgz', { name: 'second' });
    act(() => api.emit('archives.opened', { archives: [b.ref] }));
    expect(await screen.findByRole('dialog', { name: 'Import 2 snapshots' })).toBeInTheDocument();
  });

  it('an archive’s name and description are shown escaped; a refused name and description offer cleaned ones, and Import waits for them', async () => {
    const api = new FakeApi();
    api.archiveFor('bidi.tgz', { name: 'web\u202egolden', description: 'line one\nbell\u0007 here', cpu: 1 });
    const { user } = await renderApp(api);
    drop([file('bidi.tgz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    const item = within(dialog).getByRole('group', { name: /bidi\.tgz/ });
    await waitFor(() => expect(within(item).getByText('Name in archive').nextElementSibling).toHaveTextContent('web\\u202egolden'));
    const shownDescription = within(item).getByText('Description', { selector: 'dt' }).nextElementSibling;
    expect(shownDescription).toHaveTextContent('bell\\u0007 here');
    expect(shownDescription?.querySelector('.escaped-char')).not.toBeNull();

    const importButton = within(dialog).getByRole('button', { name: 'Import' });
    expect(importButton).toBeDisabled();
    await user.click(within(item).getByRole('button', { name: 'Use “webgolden”' }));
    expect(within(item).getByRole('textbox', { name: 'Name for bidi.tgz' })).toHaveValue('webgolden');
    const description = within(item).getByRole('textbox', { name: 'Description for bidi.tgz' });
    expect(description).toHaveAttribute('aria-invalid', 'true');
    expect(importButton).toBeDisabled();
    expect(within(dialog).getByText(/Fix the description for/)).toBeInTheDocument();
    await user.click(within(item).getByRole('button', { name: 'Use the cleaned description' }));
    expect(description).toHaveValue('line one\nbell here');
    expect(description).not.toHaveAttribute('aria-invalid');

    await user.click(importButton);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const imports = api.callsOf('archives.import') as { name?: string; description?: string }[];
    expect(imports.map((i) => [i.name, i.description])).toEqual([['webgolden', 'line one\nbell here']]);
  });

  it('cancel closes the dialog without importing', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('fresh.tgz')]);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.callsOf('archives.import')).toEqual([]);
  });

  it('archives skipped or left in a cancelled dialog are released, imported ones are not', async () => {
    const api = apiWithGolden();
    const { user } = await renderApp(api);
    drop([file('fresh.tgz'), file('cocoon-fc.tar'), file('extra.tgz')]);
    const dialog = await screen.findByRole('dialog', { name: 'Import 3 snapshots' });
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    const fresh = within(dialog).getByRole('group', { name: /fresh\.tgz/ });
    await user.click(within(fresh).getByRole('button', { name: 'Skip fresh.tgz' }));
    const released = () => (api.callsOf('archives.release') as { archiveId: string }[]).map((c) => c.archiveId);
    await waitFor(() => expect(released()).toHaveLength(1));
    await user.click(within(screen.getByRole('dialog', { name: 'Import 2 snapshots' })).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(released()).toHaveLength(3));
    expect(new Set(released()).size).toBe(3);
    expect(api.callsOf('archives.import')).toEqual([]);
  });

  it('files opened with the app before the window listened are offered for import at start', async () => {
    const api = apiWithGolden();
    const a = api.addArchive('from-cli.tgz', { name: 'from-cli' });
    api.openedAtStart = [a.ref];
    await renderApp(api);
    const dialog = await screen.findByRole('dialog', { name: 'Import snapshot' });
    expect(await within(dialog).findByRole('textbox', { name: 'Name for from-cli.tgz' })).toHaveValue('from-cli');
  });
});
