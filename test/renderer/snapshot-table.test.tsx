// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { dataRows, renderApp } from './render-app';

function threeSnapshots() {
  return [
    makeSnapshot({ name: 'web-golden', created_at: '2026-11-01T00:00:00Z', description: 'nginx + app, warmed cache', image: 'ghcr.io/acme/web:1.4', usage: { size: 66 * MiB, allocated: 3 * MiB } }),
    makeSnapshot({ name: 'db-base', created_at: '2026-11-03T00:00:00Z', memory: 4 * GiB, cpu: 4, usage: { size: 10 * GiB, allocated: 2 * GiB } }),
    makeSnapshot({ name: '', created_at: '2026-11-02T00:00:00Z', hypervisor: 'firecracker', memory: 512 * MiB, cpu: 1 }),
  ];
}

const names = () => dataRows().map((r) => r.getAttribute('aria-label'));

describe('the snapshot table', () => {
  it('shows every column, with rows named by the snapshot name and unnamed ones by a muted short ID', async () => {
    const list = threeSnapshots();
    await renderApp(new FakeApi({ snapshots: list }));
    const row = screen.getByRole('row', { name: 'web-golden' });
    expect(within(row).getByRole('button', { name: `Copy ID ${list[0]?.id.slice(0, 8)}` })).toBeInTheDocument();
    expect(row).toHaveTextContent('cloud-hypervisor');
    expect(row).toHaveTextContent('1 GiB');
    expect(row).toHaveTextContent('3 MiB');
    expect(row).toHaveTextContent('ghcr.io/acme/web:1.4');
    expect(row).toHaveTextContent('nginx + app, warmed cache');
    const size = within(row).getByText('3 MiB');
    expect(size.getAttribute('title')).toMatch(/apparent size 66 MiB/);
    const created = row.querySelector('time');
    expect(created?.getAttribute('datetime')).toBe('2026-11-01T00:00:00Z');
    expect(created?.getAttribute('title')).toMatch(/2026/);
    const unnamed = screen.getByRole('row', { name: `Unnamed snapshot ${list[2]?.id.slice(0, 8)}` });
    expect(within(unnamed).getAllByText(list[2]?.id.slice(0, 8) ?? '')[0]).toHaveClass('muted');
    expect(unnamed).toHaveTextContent('512 MiB');
  });

  it('sorts by a column header and says so with aria-sort', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: threeSnapshots() }));
    expect(screen.getByRole('columnheader', { name: /Created/ })).toHaveAttribute('aria-sort', 'descending');
    expect(names()[0]).toBe('db-base');
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(screen.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByRole('columnheader', { name: /Created/ })).toHaveAttribute('aria-sort', 'none');
    expect(names()).toEqual([expect.stringMatching(/^Unnamed/), 'db-base', 'web-golden']);
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(names()[0]).toBe('web-golden');
    await user.click(screen.getByRole('button', { name: /^On disk/ }));
    expect(names()[0]).toBe('db-base');
  });

  it('searches instantly across name, ID, description and image', async () => {
    const list = threeSnapshots();
    const { user } = await renderApp(new FakeApi({ snapshots: list }));
    const search = screen.getByRole('searchbox', { name: 'Search snapshots' });
    await user.type(search, 'warmed');
    expect(names()).toEqual(['web-golden']);
    await user.clear(search);
    await user.type(search, list[1]?.id.slice(0, 10) ?? '');
    expect(names()).toEqual(['db-base']);
    await user.clear(search);
    await user.type(search, 'no such thing');
    expect(dataRows()).toHaveLength(1);
    expect(screen.getByText(/No snapshot matches/)).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(dataRows()).toHaveLength(3);
  });

  it('a search that hides selected rows deselects them', async () => {
    const { user, stores } = await renderApp(new FakeApi({ snapshots: threeSnapshots() }));
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    await user.type(screen.getByRole('searchbox'), 'golden');
    expect(stores.selection.getState().selected.size).toBe(1);
    expect(screen.getByRole('row', { name: 'web-golden' })).toHaveAttribute('aria-selected', 'true');
  });

  it('selects with click, shift-click for a range and ctrl-click to toggle', async () => {
    const { user, stores } = await renderApp(new FakeApi({ snapshots: threeSnapshots() }));
    // Order shown: db-base, unnamed, web-golden (newest first).
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    expect(screen.getByRole('row', { name: 'db-base' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Shift>}');
    await user.click(screen.getByRole('row', { name: 'web-golden' }));
    await user.keyboard('{/Shift}');
    expect(dataRows().filter((r) => r.getAttribute('aria-selected') === 'true')).toHaveLength(3);
    await user.keyboard('{Control>}');
    await user.click(screen.getByRole('row', { name: /^Unnamed/ }));
    await user.keyboard('{/Control}');
    expect(screen.getByRole('row', { name: /^Unnamed/ })).toHaveAttribute('aria-selected', 'false');
    expect(stores.selection.getState().selected.size).toBe(2);
    await user.click(screen.getByRole('row', { name: 'web-golden' }));
    expect(stores.selection.getState().selected.size).toBe(1);
  });

  it('moves with the keyboard: arrows, shift+arrows, Home/End, Ctrl+A, Enter inspects, Shift+Delete asks', async () => {
    const { user, stores } = await renderApp(new FakeApi({ snapshots: threeSnapshots() }));
    const grid = screen.getByRole('grid', { name: 'Snapshots' });
    grid.focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('row', { name: 'db-base' })).toHaveAttribute('aria-selected', 'true');
    expect(grid.getAttribute('aria-activedescendant')).toBe(screen.getByRole('row', { name: 'db-base' }).id);
    await user.keyboard('{Shift>}{ArrowDown}{/Shift}');
    expect(stores.selection.getState().selected.size).toBe(2);
    await user.keyboard('{End}');
    expect([...stores.selection.getState().selected]).toEqual([stores.visible()[2]?.id]);
    await user.keyboard('{Home}');
    expect(screen.getByRole('row', { name: 'db-base' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{PageDown}');
    expect(screen.getByRole('row', { name: 'web-golden' })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Control>}a{/Control}');
    expect(stores.selection.getState().selected.size).toBe(3);
    await user.keyboard('{Shift>}{Delete}{/Shift}');
    expect(screen.getByRole('alertdialog', { name: 'Delete 3 snapshots?' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(document.activeElement).toBe(grid);
    await user.keyboard('{Home}{Enter}');
    expect(screen.getByRole('heading', { name: 'Details' })).toHaveFocus();
    expect(await screen.findByRole('heading', { name: 'db-base', level: 3 })).toBeInTheDocument();
  });

  it('opens an accessible context menu on right-click with the row’s actions', async () => {
    const api = new FakeApi({ snapshots: threeSnapshots() });
    const { user, stores } = await renderApp(api);
    const row = screen.getByRole('row', { name: 'web-golden' });
    fireEvent.contextMenu(row, { clientX: 100, clientY: 120 });
    const menu = screen.getByRole('menu', { name: 'Snapshot actions' });
    expect(within(menu).getAllByRole('menuitem').map((m) => m.textContent)).toEqual(['Inspect', 'Export…', 'Push to registry…', 'Rename…', 'Copy ID', 'Move to the trash', 'Delete for ever…']);
    expect(within(menu).getByRole('menuitem', { name: 'Inspect' })).toHaveFocus();
    expect(stores.selection.getState().selected.has(stores.visible()[2]?.id ?? '')).toBe(true);
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Export…' })).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(within(menu).getByRole('menuitem', { name: 'Delete for ever…' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();

    fireEvent.contextMenu(screen.getByRole('row', { name: 'web-golden' }), { clientX: 100, clientY: 120 });
    await user.click(screen.getByRole('menuitem', { name: 'Copy ID' }));
    expect(await navigator.clipboard.readText()).toBe(stores.visible()[2]?.id);

    fireEvent.contextMenu(screen.getByRole('row', { name: 'web-golden' }), { clientX: 100, clientY: 120 });
    await user.click(screen.getByRole('menuitem', { name: 'Delete for ever…' }));
    expect(screen.getByRole('alertdialog', { name: 'Delete web-golden?' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    fireEvent.contextMenu(screen.getByRole('row', { name: 'web-golden' }), { clientX: 100, clientY: 120 });
    await user.click(screen.getByRole('menuitem', { name: 'Move to the trash' }));
    expect(await screen.findByText('Moved web-golden to the trash.')).toBeInTheDocument();
  });

  it('the context menu on a multi-selection acts on all of it', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: threeSnapshots() }));
    const grid = screen.getByRole('grid');
    grid.focus();
    await user.keyboard('{Control>}a{/Control}');
    fireEvent.contextMenu(screen.getByRole('row', { name: 'db-base' }));
    expect(screen.getByRole('menuitem', { name: 'Export 3 snapshots…' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Rename…' })).not.toBeInTheDocument();
    await user.keyboard('{Escape}');
    // Shift+F10 opens it from the keyboard too.
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(screen.getByRole('menu')).toBeInTheDocument();
  });

  it('explains how to get snapshots in when the store is empty', async () => {
    await renderApp(new FakeApi({ snapshots: [] }));
    expect(screen.getByRole('heading', { name: 'No snapshots yet' })).toBeInTheDocument();
    const how = screen.getByText(/Drop a snapshot archive/);
    // One full stop, not an ellipsis run into one.
    expect(how.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Drop a snapshot archive (.tgz, .tar.gz or .tar) anywhere on this window, or choose one with Import… below.',
    );
    expect(screen.getAllByRole('button', { name: 'Import…' })).toHaveLength(2);
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
  });

  it('says so when the store cannot be read, and retries', async () => {
    const api = new FakeApi({ snapshots: threeSnapshots() });
    let fail = true;
    api.override('snapshots.list', async () => {
      if (fail) throw new SnapDeskError('io', 'EACCES: permission denied, open /var/lib/cocoon/snapshot/db/snapshots.json');
      return api.snapshots;
    });
    const { user } = await renderApp(api);
    expect(screen.getByRole('heading', { name: 'The snapshot store could not be read' })).toBeInTheDocument();
    expect(screen.getByText(/permission denied/)).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('row', { name: 'web-golden' })).toBeInTheDocument();
  });

  it('re-lists live when the store changes elsewhere', async () => {
    const api = new FakeApi({ snapshots: threeSnapshots() });
    await renderApp(api);
    act(() => api.addSnapshot(makeSnapshot({ name: 'from-the-cli', created_at: '2026-11-10T00:00:00Z' })));
    expect(await screen.findByRole('row', { name: 'from-the-cli' })).toBeInTheDocument();
  });

  it('copies a full ID from the short ID button', async () => {
    const list = threeSnapshots();
    const { user } = await renderApp(new FakeApi({ snapshots: list }));
    await user.click(screen.getByRole('button', { name: `Copy ID ${list[0]?.id.slice(0, 8)}` }));
    expect(await navigator.clipboard.readText()).toBe(list[0]?.id);
    await waitFor(() => expect(screen.getByText('Copied the snapshot ID.')).toBeInTheDocument());
  });
});
