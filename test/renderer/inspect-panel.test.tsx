// @vitest-environment jsdom
import { screen, waitFor, within, fireEvent } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

function setup(transport: 'electron' | 'web' = 'electron') {
  const web = makeSnapshot({
    name: 'web-golden',
    description: 'nginx + app',
    cpu: 2,
    memory: GiB,
    storage: 20 * GiB,
    queue_size: 256,
    disk_queue_size: 128,
    image: 'ghcr.io/acme/web:1.4',
    image_type: 'oci',
    image_digest: 'sha256:0f3c9b1e2d',
    network: 'cocoon-net',
    nics: 2,
    image_blob_ids: { aaaa1111: {}, bbbb2222: {} },
    created_at: '2026-11-01T08:30:00Z',
  });
  const other = makeSnapshot({ name: 'db-base' });
  const api = new FakeApi({ snapshots: [web, other], transport });
  api.files.set(web.id, [
    { name: 'memory-ranges', size: 2 * MiB, allocated: 2 * MiB },
    { name: 'cow.raw', size: 64 * MiB, allocated: 512 * 1024 },
  ]);
  return { api, web, other };
}

async function inspect(name: string, user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await user.click(screen.getByRole('row', { name }));
  return screen.findByRole('heading', { name, level: 3 });
}

/** Opens web-golden's details, starts editing its name and types `text` over it; the input. */
async function typeName(text: string, user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await inspect('web-golden', user);
  await user.click(screen.getByRole('button', { name: 'Edit name' }));
  const input = screen.getByRole('textbox', { name: 'Name' });
  await user.clear(input);
  await user.type(input, text);
  return input;
}

describe('the inspect panel', () => {
  it('shows every config field with units, digest, blob IDs, files with apparent and on-disk size, and the data directory', async () => {
    const { api, web } = setup();
    const { user } = await renderApp(api);
    await inspect('web-golden', user);
    const panel = screen.getByRole('complementary', { name: 'Details' });
    const field = (label: string) => within(panel).getByText(label, { selector: 'dt' }).nextElementSibling as HTMLElement;
    expect(field('ID')).toHaveTextContent(web.id);
    expect(field('CPU')).toHaveTextContent('2 vCPUs');
    expect(field('Memory')).toHaveTextContent('1 GiB');
    expect(field('Storage (COW disk)')).toHaveTextContent('20 GiB');
    expect(field('Queue size')).toHaveTextContent('256');
    expect(field('Disk queue size')).toHaveTextContent('128');
    expect(field('Hypervisor')).toHaveTextContent('cloud-hypervisor');
    expect(field('Image')).toHaveTextContent('ghcr.io/acme/web:1.4');
    expect(field('Image type')).toHaveTextContent('oci');
    expect(field('Image digest')).toHaveTextContent('sha256:0f3c9b1e2d');
    expect(field('Network')).toHaveTextContent('cocoon-net');
    expect(field('NICs')).toHaveTextContent('2');
    expect(field('Direct I/O')).toHaveTextContent('on');
    expect(field('Created').querySelector('time')).toHaveAttribute('datetime', '2026-11-01T08:30:00Z');
    expect(within(panel).getByRole('list', { name: 'Image blob IDs' })).toHaveTextContent(/aaaa1111.*bbbb2222/);
    expect(field('Data directory')).toHaveTextContent(`/var/lib/cocoon/snapshot/localfile/${web.id}`);
    const files = within(panel).getByRole('table', { name: 'Data files' });
    const cow = within(files).getByRole('row', { name: /cow\.raw/ });
    expect(cow).toHaveTextContent('64 MiB');
    expect(cow).toHaveTextContent('512 KiB');
    expect(within(files).getByRole('row', { name: /Total/ })).toHaveTextContent(/66 MiB.*2\.5 MiB/);
  });

  it('offers Show in folder only on the desktop', async () => {
    const desk = setup('electron');
    const { user, unmount } = await renderApp(desk.api);
    await inspect('web-golden', user);
    await user.click(screen.getByRole('button', { name: 'Show in folder' }));
    expect(desk.api.callsOf('snapshots.showInFolder')).toEqual([{ ref: desk.web.id }]);
    unmount();
    const web = setup('web');
    const r = await renderApp(web.api);
    await inspect('web-golden', r.user);
    expect(screen.queryByRole('button', { name: 'Show in folder' })).not.toBeInTheDocument();
  });

  it('copies the details as JSON', async () => {
    const { api, web } = setup();
    const { user } = await renderApp(api);
    await inspect('web-golden', user);
    await user.click(screen.getByRole('button', { name: 'Copy as JSON' }));
    const json = JSON.parse(await navigator.clipboard.readText());
    expect(json.id).toBe(web.id);
    expect(json.files).toHaveLength(2);
  });

  it('renames inline and the table follows', async () => {
    const { api, web } = setup();
    const { user } = await renderApp(api);
    await inspect('web-golden', user);
    await user.click(screen.getByRole('button', { name: 'Edit name' }));
    const input = screen.getByRole('textbox', { name: 'Name' });
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, 'web-golden-v2{Enter}');
    expect(await screen.findByRole('row', { name: 'web-golden-v2' })).toBeInTheDocument();
    expect(api.callsOf('snapshots.rename')).toEqual([{ ref: web.id, name: 'web-golden-v2' }]);
    expect(screen.queryByRole('textbox', { name: 'Name' })).not.toBeInTheDocument();
  });

  it('spaces around a typed name are dropped, and a name of spaces alone leaves the snapshot unnamed, shown as such', async () => {
    const { api, web } = setup();
    const { user } = await renderApp(api);
    await typeName('  web-v3 {Enter}', user);
    expect(await screen.findByRole('row', { name: 'web-v3' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Edit name' }));
    await user.clear(screen.getByRole('textbox', { name: 'Name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '   {Enter}');
    expect(await screen.findByText('Name removed: the snapshot is unnamed.')).toBeInTheDocument();
    expect(api.callsOf('snapshots.rename')).toEqual([
      { ref: web.id, name: 'web-v3' },
      { ref: web.id, name: '' },
    ]);
    expect(await screen.findByRole('row', { name: `Unnamed snapshot ${web.id.slice(0, 8)}` })).toBeInTheDocument();
  });

  it('a description with line breaks and tabs shows them as spaces in the list and as lines in the details, never as escapes', async () => {
    const multi = makeSnapshot({ name: 'multi', description: 'line one\nline two\tend' });
    const { user } = await renderApp(new FakeApi({ snapshots: [multi] }));
    const row = screen.getByRole('row', { name: 'multi' });
    const cell = row.querySelector('.cell.desc') as HTMLElement;
    expect(cell.querySelector('.escaped-char')).toBeNull();
    expect(cell.textContent).toBe('line one\nline two\tend');
    await user.click(row);
    const panel = await screen.findByRole('complementary', { name: 'Details' });
    const shown = await within(panel).findByText((_, el) => el?.classList.contains('editable-value') === true && el.textContent === 'line one\nline two\tend');
    expect(shown).toHaveClass('multiline');
    expect(shown.querySelector('.escaped-char')).toBeNull();
  });

  it('a name of spaces only, as another tool may store it, reads as unnamed', async () => {
    const spaced = makeSnapshot({ name: '   ' });
    await renderApp(new FakeApi({ snapshots: [spaced] }));
    expect(screen.getByRole('row', { name: `Unnamed snapshot ${spaced.id.slice(0, 8)}` })).toBeInTheDocument();
  });

  it('a taken name is flagged as typed in the import dialog’s words with a free name offered; the store’s own refusal shows at the input', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    const input = await typeName('db-base', user);
    // Checked as typed, in the import dialog's words, with Save held back and a free name offered.
    const error = screen.getByText('A snapshot named “db-base” already exists. Choose another name.');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/already exists/);
    expect(input).toHaveValue('db-base');
    expect(error.closest('[id]')?.id).toBe(input.getAttribute('aria-describedby'));
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Use “db-base-2”' }));
    expect(input).toHaveValue('db-base-2');
    expect(input).toHaveFocus();
    expect(input).not.toHaveAttribute('aria-invalid');
    // A name taken meanwhile (not yet in the list) is refused by the store and shown at the input, keeping the text.
    api.snapshots.push(makeSnapshot({ name: 'db-base-2' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/a snapshot named "db-base-2" already exists/);
    expect(input).toHaveValue('db-base-2');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Name' })).not.toBeInTheDocument();
    expect(screen.getByRole('row', { name: 'web-golden' })).toBeInTheDocument();
  });

  it('refuses a name with a control or invisible formatting character before sending it', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    await inspect('web-golden', user);
    await user.click(screen.getByRole('button', { name: 'Edit name' }));
    const box = screen.getByRole('textbox', { name: 'Name' });
    await user.type(box, 'x');
    // A typed bidi override (user-event cannot type it as a key).
    fireEvent.change(box, { target: { value: 'web\u202egpj' } });
    await user.type(box, '{Enter}');
    expect(await screen.findByText('A name cannot contain control or invisible formatting characters (it has \\u202e).')).toBeInTheDocument();
    expect(api.callsOf('snapshots.rename')).toEqual([]);
  });

  it('takes a name with a slash, as cocoon does', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    await typeName('team/web{Enter}', user);
    await waitFor(() => expect(api.callsOf('snapshots.rename')).toHaveLength(1));
    expect(api.callsOf('snapshots.rename')[0]).toMatchObject({ name: 'team/web' });
  });

  it('edits the description', async () => {
    const { api, web } = setup();
    const { user } = await renderApp(api);
    await inspect('web-golden', user);
    await user.click(screen.getByRole('button', { name: 'Edit description' }));
    const box = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(box);
    await user.type(box, 'warm cache');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.callsOf('snapshots.rename')).toEqual([{ ref: web.id, description: 'warm cache' }]));
    expect(await screen.findByRole('row', { name: 'web-golden' })).toHaveTextContent('warm cache');
  });

  it('Rename in the context menu starts editing the name', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    fireEvent.contextMenu(screen.getByRole('row', { name: 'web-golden' }));
    await user.click(screen.getByRole('menuitem', { name: 'Rename…' }));
    expect(await screen.findByRole('textbox', { name: 'Name' })).toHaveValue('web-golden');
  });

  it('summarizes a multi-selection with its total size', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    expect(screen.getByText('2 snapshots selected')).toBeInTheDocument();
    expect(screen.getByRole('complementary', { name: 'Details' })).toHaveTextContent(/6 MiB on disk/);
  });

  it('renders text from archives as text, never markup', async () => {
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: '<img src=x onerror=alert(1)>', description: '<b>bold</b>' })] });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: '<img src=x onerror=alert(1)>' }));
    await screen.findByRole('heading', { name: '<img src=x onerror=alert(1)>', level: 3 });
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('a rename in progress when the snapshot is deleted elsewhere (the CLI) is not lost without a word: a toast says what was not saved and why', async () => {
    const { api } = setup();
    const { user } = await renderApp(api);
    await typeName('web-new', user);
    // Removed outside the app; the app hears of it as a store change.
    api.snapshots = api.snapshots.filter((s) => s.name !== 'web-golden');
    api.emit('store.changed', { root: api.settings.root });
    await waitFor(() => expect(screen.queryByRole('row', { name: 'web-golden' })).toBeNull());
    expect(await screen.findByText(/The name “web-new” was not saved: the snapshot is no longer in the store\./)).toBeInTheDocument();
    // The field that had focus went with the pane: focus is back on the list, not lost to the page.
    await waitFor(() => expect(screen.getByRole('grid')).toHaveFocus());
  });
});
