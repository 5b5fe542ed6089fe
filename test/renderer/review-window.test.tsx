// @vitest-environment jsdom
/**
 * The window after the hands-on review: columns, small windows, transfers,
 * focus and keys, empty values, status and feedback. One test per behaviour,
 * named by what it guards.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { splitImageReference } from '../../renderer/features/snapshots/ImageReference';
import { COLUMN_BY_KEY } from '../../renderer/features/snapshots/columns';
import { readLayout, VIEW_KEY } from '../../renderer/features/snapshots/view-store';
import { createTasksStore } from '../../renderer/features/transfers/tasks-store';
import type { Task } from '../../renderer/contract';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { dataRows, renderApp } from './render-app';

const three = () => [
  makeSnapshot({ name: 'alpha', created_at: '2026-11-03T00:00:00Z', image: 'ghcr.io/cocoonstack/images/ubuntu-server:24.04', usage: { size: 8 * GiB, allocated: 2 * GiB } }),
  makeSnapshot({ name: 'beta', created_at: '2026-11-02T00:00:00Z', usage: { size: GiB, allocated: 512 * MiB } }),
  makeSnapshot({ name: 'gamma', created_at: '2026-11-01T00:00:00Z', usage: { size: GiB, allocated: 256 * MiB } }),
];

/** A header's sort button (the last header also holds the Columns button). */
const sortButton = (h: HTMLElement): HTMLElement => within(h).getAllByRole('button')[0] as HTMLElement;
const headerNames = () => screen.getAllByRole('columnheader').map((h) => sortButton(h).textContent?.replace(/[▲▼]/g, ''));

describe('columns', () => {
  it('hide from the Columns menu (Name cannot be hidden), resize from the keyboard, and come back after a reload with the sort', async () => {
    const { user, unmount } = await renderApp(new FakeApi({ snapshots: three() }));
    expect(headerNames()).toContain('Hypervisor');
    await user.click(screen.getByRole('button', { name: 'Choose columns' }));
    const menu = screen.getByRole('menu', { name: 'Columns' });
    expect(within(menu).getByRole('menuitemcheckbox', { name: 'Name' })).toHaveAttribute('aria-disabled', 'true');
    await user.click(within(menu).getByRole('menuitemcheckbox', { name: 'Hypervisor' }));
    // A checkbox menu stays open for the next toggle.
    expect(within(menu).getByRole('menuitemcheckbox', { name: 'Hypervisor' })).toHaveAttribute('aria-checked', 'false');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(headerNames()).not.toContain('Hypervisor');
    expect(within(dataRows()[0] as HTMLElement).queryByText('cloud-hypervisor')).not.toBeInTheDocument();

    const image = screen.getByRole('columnheader', { name: /Image/ });
    sortButton(image).focus();
    await user.keyboard('{Control>}{ArrowRight}{/Control}');
    const imageWidth = (COLUMN_BY_KEY.get('image')?.width ?? 0) + 16;
    expect(screen.getByRole('separator', { name: 'Resize Image' })).toHaveAttribute('aria-valuenow', String(imageWidth));
    await user.click(sortButton(screen.getByRole('columnheader', { name: /Name/ })));

    expect(readLayout(localStorage)).toMatchObject({ hidden: ['hypervisor'], widths: { image: imageWidth }, sortKey: 'name', sortDir: 'asc' });
    unmount();
    await renderApp(new FakeApi({ snapshots: three() }));
    expect(headerNames()).not.toContain('Hypervisor');
    expect(screen.getByRole('separator', { name: 'Resize Image' })).toHaveAttribute('aria-valuenow', String(imageWidth));
    expect(screen.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  });

  it('the table is exactly as wide as its shown columns (no fixed width) and narrows when one is hidden', async () => {
    const { stores } = await renderApp(new FakeApi({ snapshots: three() }));
    const spacer = document.querySelector<HTMLElement>('.grid-spacer') as HTMLElement;
    const full = parseFloat(spacer.style.minWidth);
    expect(full).toBeLessThanOrEqual(945);
    act(() => stores.view.getState().toggleHidden('image'));
    expect(parseFloat(spacer.style.minWidth)).toBe(full - (COLUMN_BY_KEY.get('image')?.width ?? 0));
  });

  it('a saved layout that is damaged or names unknown columns is ignored, value by value', () => {
    localStorage.setItem(VIEW_KEY, JSON.stringify({ sortKey: 'nope', sortDir: 'up', widths: { image: 300, bogus: 5, name: -1 }, hidden: ['name', 'cpu', 'x'], detailsPane: 'closed' }));
    expect(readLayout(localStorage)).toEqual({ sortKey: 'created', sortDir: 'desc', widths: { image: 300 }, hidden: ['cpu'], detailsPane: 'closed' });
    localStorage.setItem(VIEW_KEY, '{not json');
    expect(readLayout(localStorage).sortKey).toBe('created');
  });

  it('image references give up their start, never their tag (or a digest reference\'s digest end)', async () => {
    expect(splitImageReference('ghcr.io/org/ubuntu:24.04')).toEqual(['ghcr.io/org/ubuntu', ':24.04']);
    expect(splitImageReference('registry.local:5000/team/agent')).toEqual(['registry.local:5000/team/agent', '']);
    expect(splitImageReference('alpine@sha256:0123456789abcdef0123')).toEqual(['alpine', '@…cdef0123']);
    expect(splitImageReference('ghcr.io/a/b@sha256:0123')).toEqual(['ghcr.io/a/b', '@sha256:0123']);
    await renderApp(new FakeApi({ snapshots: three() }));
    const cell = within(screen.getByRole('row', { name: 'alpha' })).getByTitle('ghcr.io/cocoonstack/images/ubuntu-server:24.04');
    expect(cell.lastElementChild).toHaveTextContent(/^:24\.04$/);
    expect(cell.firstElementChild).toHaveTextContent(/^ghcr\.io\/cocoonstack\/images\/ubuntu-server$/);
  });
});

describe('small windows', () => {
  it('at 900 px the details pane starts as a rail; opening it is remembered; Hide details is remembered too', async () => {
    const first = await renderApp(new FakeApi({ snapshots: three() }), { width: 900 });
    expect(screen.queryByRole('complementary', { name: 'Details' })).not.toBeInTheDocument();
    await first.user.click(screen.getByRole('button', { name: 'Show details' }));
    expect(screen.getByRole('complementary', { name: 'Details' })).toBeInTheDocument();
    first.unmount();
    const second = await renderApp(new FakeApi({ snapshots: three() }), { width: 900 });
    expect(screen.getByRole('complementary', { name: 'Details' })).toBeInTheDocument();
    await second.user.click(screen.getByRole('button', { name: 'Hide details' }));
    second.unmount();
    await renderApp(new FakeApi({ snapshots: three() }), { width: 1280 });
    expect(screen.queryByRole('complementary', { name: 'Details' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show details' })).toBeInTheDocument();
  });

  it('Enter on a row opens a collapsed details pane, since that is where inspecting happens', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }), { width: 900 });
    await user.click(screen.getByRole('row', { name: 'beta' }));
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'beta', level: 3 })).toBeInTheDocument();
  });

  it('F2 on a row with the details pane collapsed opens it on the name, editing (at 900 px it starts collapsed)', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }), { width: 900 });
    await user.click(screen.getByRole('row', { name: 'beta' }));
    await user.keyboard('{F2}');
    const input = await screen.findByRole('textbox', { name: 'Name' });
    await waitFor(() => expect(input).toHaveFocus());
    expect(input).toHaveValue('beta');
    // Done with: closing the edit and moving on does not start it again on the next row.
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('row', { name: 'alpha' }));
    expect(await screen.findByRole('heading', { name: 'alpha', level: 3 })).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Name' })).not.toBeInTheDocument();
  });

  it('the transfer indicator keeps the same parts idle and busy, so its size never changes the toolbar', async () => {
    const api = new FakeApi({ snapshots: three() });
    const { user } = await renderApp(api);
    const shape = () => [...screen.getByRole('button', { name: /^Transfers/ }).children].map((c) => c.className);
    const idle = shape();
    await user.click(screen.getByRole('row', { name: 'alpha' }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByRole('button', { name: /^Transfers: 1 running/ });
    act(() => {
      api.progress('task1', MiB);
    });
    expect(shape()).toEqual(idle);
  });
});

describe('transfers drawer', () => {
  it('Escape closes it, from inside it or from the list, and focus goes back to the list', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.click(screen.getByRole('button', { name: /^Transfers/ }));
    const drawer = screen.getByRole('region', { name: 'Transfers' });
    within(drawer).getByRole('button', { name: 'Close transfers' }).focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Transfers' })).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('grid')).toHaveFocus());
    await user.click(screen.getByRole('button', { name: /^Transfers/ }));
    screen.getByRole('grid').focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Transfers' })).not.toBeInTheDocument();
  });

  it('a done import shows 100% at once, even when the start reply arrives after its events', () => {
    const tasks = createTasksStore();
    const base: Task = { id: 't', kind: 'import', title: 'Import a.tgz', state: 'running', bytesDone: 10, bytesTotal: 60, rate: 0, etaSeconds: null, file: null, startedAt: 1, finishedAt: null, error: null, result: null };
    tasks.getState().upsert({ ...base, state: 'done', bytesDone: 60, finishedAt: 2 });
    tasks.getState().upsert({ ...base, state: 'queued', bytesDone: 0 });
    expect(tasks.getState().byId.t?.state).toBe('done');
  });

  it('browser uploads are counted by the toolbar indicator with the other transfers', async () => {
    const api = new FakeApi({ snapshots: three(), transport: 'web' });
    api.holdUploads();
    api.archiveFor('big.tgz', { name: 'big' });
    await renderApp(api);
    const { fireEvent } = await import('@testing-library/react');
    const dataTransfer = { files: [new File([new Uint8Array(2000)], 'big.tgz')], types: ['Files'] };
    fireEvent.drop(document.body, { dataTransfer });
    await waitFor(() => expect(api.uploads).toHaveLength(1));
    act(() => api.uploads[0]?.progress(0, 900));
    expect(screen.getByRole('button', { name: 'Transfers: 1 running, 45%' })).toBeInTheDocument();
  });
});

describe('focus and keys', () => {
  it('F2 renames the focused row; saving gives focus back to the list, on the renamed row, so arrows go on from there', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.click(screen.getByRole('row', { name: 'beta' }));
    await user.keyboard('{F2}');
    const input = await screen.findByRole('textbox', { name: 'Name' });
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, 'beta-2{Enter}');
    const row = await screen.findByRole('row', { name: 'beta-2' });
    const list = screen.getByRole('grid');
    await waitFor(() => expect(list).toHaveFocus());
    expect(list.getAttribute('aria-activedescendant')).toBe(row.id);
  });

  it('Escape out of an F2 rename also goes back to the list; a rename begun with Edit name goes back to that button', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.click(screen.getByRole('row', { name: 'beta' }));
    await user.keyboard('{F2}');
    await screen.findByRole('textbox', { name: 'Name' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByRole('grid')).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Edit name' }));
    const input = screen.getByRole('textbox', { name: 'Name' });
    await user.clear(input);
    await user.type(input, 'beta-3{Enter}');
    expect(await screen.findByRole('row', { name: 'beta-3' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit name' })).toHaveFocus());
  });

  it('in a description Enter saves and Shift+Enter starts a new line; focus goes back to Edit description', async () => {
    const api = new FakeApi({ snapshots: three() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'alpha' }));
    await user.click(await screen.findByRole('button', { name: 'Edit description' }));
    const box = screen.getByRole('textbox', { name: 'Description' });
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box).toHaveValue('line one\nline two');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(api.callsOf('snapshots.rename')).toEqual([{ ref: expect.any(String), description: 'line one\nline two' }]));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Edit description' })).toHaveFocus());
  });

  it('clicking another row while renaming saves the edit instead of throwing it away', async () => {
    const api = new FakeApi({ snapshots: three() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'alpha' }));
    await user.click(await screen.findByRole('button', { name: 'Edit name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '-renamed');
    await user.click(screen.getByRole('row', { name: 'gamma' }));
    await waitFor(() => expect(api.callsOf('snapshots.rename')).toEqual([{ ref: expect.any(String), name: 'alpha-renamed' }]));
    expect(await screen.findByRole('row', { name: 'alpha-renamed' })).toBeInTheDocument();
  });

  it('after a delete (to the trash, or for ever) the selection moves to the next row, or the one before at the end', async () => {
    const { user, stores } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.click(screen.getByRole('row', { name: 'beta' }));
    await user.keyboard('{Delete}');
    await waitFor(() => expect(screen.queryByRole('row', { name: 'beta' })).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('row', { name: 'gamma' })).toHaveAttribute('aria-selected', 'true'));
    await user.keyboard('{Shift>}{Delete}{/Shift}');
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: 'gamma' })).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getByRole('row', { name: 'alpha' })).toHaveAttribute('aria-selected', 'true'));
    expect(stores.selection.getState().selected.size).toBe(1);
  });

  it('the column headers are one tab stop, after the list, and arrows move between them', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    const sortButtons = screen.getAllByRole('columnheader').map(sortButton);
    expect(sortButtons.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    // The toolbar's last button, then the list, then the headers: one stop.
    screen.getByRole('button', { name: 'Keyboard shortcuts and help' }).focus();
    await user.tab();
    expect(screen.getByRole('grid')).toHaveFocus();
    await user.tab();
    const created = sortButton(screen.getByRole('columnheader', { name: /Created/ }));
    expect(created).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(sortButton(screen.getByRole('columnheader', { name: /Description/ }))).toHaveFocus();
    await user.keyboard('{Home}');
    expect(sortButton(screen.getByRole('columnheader', { name: /Name/ }))).toHaveFocus();
  });

  it('the help overlay lists F2, Enter to save and Shift+Enter for a new line', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.keyboard('{F1}');
    const table = within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).getByRole('table');
    expect(table).toHaveTextContent('F2Rename the snapshot');
    expect(table).toHaveTextContent('Shift + Enter (in a description)New line');
  });
});

describe('empty values and dialogs', () => {
  it('an empty field shows one dash, "—", in the list and the details', async () => {
    const bare = makeSnapshot({ name: 'bare', hypervisor: undefined, cpu: undefined, memory: undefined });
    const { user } = await renderApp(new FakeApi({ snapshots: [bare] }));
    const row = screen.getByRole('row', { name: 'bare' });
    expect(within(row).getAllByText('—')).toHaveLength(5);
    expect(row.textContent).not.toContain('–');
    await user.click(row);
    await screen.findByRole('heading', { name: 'bare', level: 3 });
    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(details.textContent).not.toContain('–');
    // No dash is set in the monospace font, where "—" looks like "–".
    expect([...details.querySelectorAll('.mono')].filter((el) => el.textContent === '—')).toEqual([]);
  });

  it('dialog buttons are pinned outside the scrolling body', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.keyboard('{F1}');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(close.closest('.dialog-body')).toBeNull();
    expect(close.closest('.dialog-footer')).not.toBeNull();
  });
});

describe('state and feedback', () => {
  it('the status bar counts snapshots and their size, and the selection’s', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    expect(screen.getByTestId('status-total')).toHaveTextContent('3 snapshots · 2.8 GiB on disk');
    expect(screen.queryByTestId('status-selection')).not.toBeInTheDocument();
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    expect(screen.getByTestId('status-selection')).toHaveTextContent('3 selected · 2.8 GiB');
    await user.click(screen.getByRole('row', { name: 'gamma' }));
    expect(screen.getByTestId('status-selection')).toHaveTextContent('1 selected · 256 MiB');
  });

  it('Refresh shows that it works (busy, then a new "Updated" time)', async () => {
    const api = new FakeApi({ snapshots: three() });
    const { user } = await renderApp(api);
    api.hold('snapshots.list');
    const refresh = screen.getByRole('button', { name: 'Refresh' });
    await user.click(refresh);
    expect(refresh).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByTestId('status-updated')).toHaveTextContent('Refreshing…');
    api.release('snapshots.list');
    await waitFor(() => expect(screen.getByTestId('status-updated')).toHaveTextContent(/^Updated /));
    await waitFor(() => expect(refresh).toHaveAttribute('aria-busy', 'false'));
  });

  it('a search with no result offers Clear search, which brings every row back', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: three() }));
    await user.type(screen.getByRole('searchbox'), 'nothing like it');
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(screen.getByRole('searchbox')).toHaveValue('');
    expect(dataRows()).toHaveLength(3);
    expect(screen.getByRole('grid')).toHaveFocus();
  });

  it('the empty state has the whole window: no details pane beside it', async () => {
    await renderApp(new FakeApi());
    expect(screen.getByRole('heading', { name: 'No snapshots yet' })).toBeInTheDocument();
    expect(screen.queryByRole('complementary')).not.toBeInTheDocument();
  });
});
