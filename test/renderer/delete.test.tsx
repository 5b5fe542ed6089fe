// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

function list() {
  return [
    makeSnapshot({ name: 'web-golden', usage: { size: 66 * MiB, allocated: 3 * MiB }, created_at: '2026-11-03T00:00:00Z' }),
    makeSnapshot({ name: 'db-base', usage: { size: 10 * GiB, allocated: 2 * GiB }, created_at: '2026-11-02T00:00:00Z' }),
    makeSnapshot({ name: 'keep-me', created_at: '2026-11-01T00:00:00Z' }),
  ];
}

/** Shift+Delete deletes for ever, after this confirmation; plain Delete moves to the trash (trash.test.tsx). */
describe('deleting snapshots for ever', () => {
  it('the confirmation names what will go and how much space it frees', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: list() }));
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.keyboard('{Shift>}{Delete}{/Shift}');
    const dialog = screen.getByRole('alertdialog', { name: 'Delete db-base?' });
    expect(dialog).toHaveAccessibleDescription(/frees 2 GiB/);
    expect(within(dialog).getByRole('list', { name: 'Snapshots to delete' })).toHaveTextContent('db-base');
    // Cancel is focused first, so Enter never deletes by accident.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  });

  it('cancel keeps everything and gives focus back', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.keyboard('{Shift>}{Delete}{/Shift}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('grid')).toHaveFocus();
    expect(api.callsOf('snapshots.delete')).toEqual([]);
  });

  it('deleting several reports exactly what was deleted and the space freed', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'web-golden' }));
    await user.keyboard('{Shift>}');
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.keyboard('{Delete}{/Shift}');
    const dialog = screen.getByRole('alertdialog', { name: 'Delete 2 snapshots?' });
    expect(dialog).toHaveAccessibleDescription(/frees 2 GiB/);
    await user.click(within(dialog).getByRole('button', { name: 'Delete 2 snapshots' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Deleted web-golden and db-base (2 snapshots), freeing 2 GiB.');
    expect(screen.queryByRole('row', { name: 'web-golden' })).not.toBeInTheDocument();
    expect(screen.queryByRole('row', { name: 'db-base' })).not.toBeInTheDocument();
    expect(screen.getByRole('row', { name: 'keep-me' })).toBeInTheDocument();
    expect(api.callsOf('snapshots.delete')).toHaveLength(1);
    // Focus lands on the table rather than nowhere.
    expect(screen.getByRole('grid')).toHaveFocus();
  });

  it('says when some were already gone', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.override('snapshots.delete', async ({ refs }) => ({ deleted: refs.slice(0, 1) }));
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Shift>}{Delete}{/Shift}');
    await user.click(screen.getByRole('button', { name: 'Delete 3 snapshots' }));
    expect(await screen.findByText(/Deleted web-golden, freeing 3 MiB\. 2 were already gone\./)).toBeInTheDocument();
  });

  it('a failed delete says nothing was deleted and why', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.override('snapshots.delete', async () => {
      throw new SnapDeskError('locked', 'the store is locked by another program; try again');
    });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'keep-me' }));
    await user.keyboard('{Shift>}{Delete}{/Shift}');
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    const alert = await screen.findByRole('alert');
    // One plain line; the store's own words wait behind Details.
    expect(alert).toHaveTextContent(/^Nothing was deleted: the store is busy with another operation; try again in a moment\./);
    expect(within(alert).getByText('Details').closest('details')).toHaveTextContent('the store is locked by another program; try again');
  });
});
