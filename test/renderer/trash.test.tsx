// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

function list() {
  return [
    makeSnapshot({ name: 'web-golden', usage: { size: 66 * MiB, allocated: 3 * MiB }, created_at: '2026-11-03T00:00:00Z' }),
    makeSnapshot({ name: 'db-base', usage: { size: 10 * GiB, allocated: 2 * GiB }, created_at: '2026-11-02T00:00:00Z' }),
  ];
}

describe('deletes you can undo', () => {
  it('Delete moves to the trash without asking, and the toast offers Undo, which brings it back', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    const toast = await screen.findByText('Moved db-base to the trash.');
    expect(screen.queryByRole('row', { name: 'db-base' })).not.toBeInTheDocument();
    expect(api.callsOf('snapshots.delete')).toEqual([]);
    expect(await screen.findByRole('button', { name: 'Trash: 1 snapshot, 2 GiB' })).toBeInTheDocument();
    await user.click(within(toast.closest('.toast') as HTMLElement).getByRole('button', { name: 'Undo' }));
    expect(await screen.findByText('Restored db-base.')).toBeInTheDocument();
    const back = await screen.findByRole('row', { name: 'db-base' });
    // Selected again, and the focus that fell with the Undo button is on the list.
    await waitFor(() => expect(back).toHaveAttribute('aria-selected', 'true'));
    await waitFor(() => expect(document.activeElement?.closest('[role="grid"]')).not.toBeNull());
    expect(await screen.findByRole('button', { name: 'Trash is empty' })).toBeInTheDocument();
  });

  it('a double-click on Delete moves one snapshot, not the one the selection moved on to', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.dblClick(screen.getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Moved db-base to the trash.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('row', { name: 'web-golden' })).toHaveAttribute('aria-selected', 'true'));
    expect(api.callsOf('trash.move')).toHaveLength(1);
    expect(screen.getByRole('row', { name: 'web-golden' })).toBeInTheDocument();
    expect(screen.queryByText(/Nothing was moved/)).not.toBeInTheDocument();
  });

  it('trashing every snapshot leaves focus on the empty list’s Import…, not lost to the page', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Delete}');
    expect(await screen.findByText('No snapshots yet')).toBeInTheDocument();
    const importHere = within(screen.getByRole('region', { name: 'No snapshots yet' })).getByRole('button', { name: 'Import…' });
    await waitFor(() => expect(importHere).toHaveFocus());
  });

  it('Undo of a delete of several snapshots says so in one toast, not one per snapshot', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Delete}');
    const moved = await screen.findByText(/^Moved .* to the trash\.$/);
    await user.click(within(moved.closest('.toast') as HTMLElement).getByRole('button', { name: 'Undo' }));
    await screen.findByRole('row', { name: 'web-golden' });
    await screen.findByRole('row', { name: 'db-base' });
    await waitFor(() => expect(screen.getAllByText(/^Restored /)).toHaveLength(1));
    expect(screen.getByText(/^Restored /).textContent).toMatch(/web-golden/);
    expect(screen.getByText(/^Restored /).textContent).toMatch(/db-base/);
  });

  it('a Delete that the free-space threshold empties at once says it was deleted for ever, with no Undo', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.trash.freeBytes = 1 * GiB;
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const toast = (await screen.findByText(/^Deleted db-base for ever: this disk has less free space than the trash keeps free/)).closest('.toast') as HTMLElement;
    expect(within(toast).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    expect(screen.queryByText('Moved db-base to the trash.')).not.toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Trash is empty' })).toBeInTheDocument();
  });

  it('Undo after the name was taken meanwhile brings up the rename prompt with a free name', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.keyboard('{Delete}');
    const toast = (await screen.findByText('Moved db-base to the trash.')).closest('.toast') as HTMLElement;
    api.snapshots = [...api.snapshots, makeSnapshot({ name: 'db-base' })];
    await user.click(within(toast).getByRole('button', { name: 'Undo' }));
    const prompt = await screen.findByRole('dialog', { name: 'Restore “db-base” as…' });
    expect(prompt).toHaveAccessibleDescription(/A snapshot named “db-base” exists now/);
    const input = within(prompt).getByRole('textbox', { name: 'New name' });
    expect(input).toHaveValue('db-base-2');
    expect(input).toHaveFocus();
    // The taken name again: Restore is disabled and says why.
    await user.clear(input);
    await user.type(input, 'db-base');
    expect(within(prompt).getByRole('button', { name: 'Restore' })).toBeDisabled();
    expect(within(prompt).getByRole('alert')).toHaveTextContent('That name is taken');
    // Spaces around it count for nothing: the taken name is still the taken name.
    await user.clear(input);
    await user.type(input, ' db-base ');
    expect(within(prompt).getByRole('button', { name: 'Restore' })).toBeDisabled();
    await user.clear(input);
    await user.type(input, ' db-old {Enter}');
    expect(await screen.findByText('Restored db-old.')).toBeInTheDocument();
    expect(api.callsOf('trash.restore').at(-1)).toMatchObject({ name: 'db-old' });
    expect(screen.queryByRole('dialog', { name: /Restore/ })).not.toBeInTheDocument();
    expect(api.callsOf('trash.restore').at(-1)).toMatchObject({ name: 'db-old' });
  });

  it('the Trash view lists name, size and when deleted; Restore; Delete for ever and Empty trash ask first', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Delete}');
    await screen.findByText('Moved web-golden and db-base to the trash.');
    await user.click(await screen.findByRole('button', { name: 'Trash: 2 snapshots, 2 GiB' }));
    const view = screen.getByRole('dialog', { name: 'Trash' });
    expect(view).toHaveAccessibleDescription(/2 snapshots, 2 GiB\. Snapshots stay 7 days, or less when free space falls under 2 GiB\./);
    const table = within(view).getByRole('table', { name: 'Snapshots in the trash' });
    const row = within(table).getByRole('row', { name: 'db-base' });
    expect(row).toHaveTextContent(/db-base\s*2 GiB\s*now/);

    await user.click(within(view).getByRole('button', { name: 'Delete db-base for ever' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete db-base for ever?' });
    expect(confirm).toHaveAccessibleDescription(/frees 2 GiB\. It cannot be undone\./);
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(api.callsOf('trash.deleteForever')).toEqual([]);
    await user.click(within(view).getByRole('button', { name: 'Delete db-base for ever' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete for ever' }));
    expect(await screen.findByText('Deleted db-base for ever.')).toBeInTheDocument();
    await waitFor(() => expect(within(table).queryByRole('row', { name: 'db-base' })).not.toBeInTheDocument());
    // The row and its focused button are gone: focus stays in the Trash view, not on the page behind it.
    await waitFor(() => expect(view.contains(document.activeElement)).toBe(true));

    await user.click(within(view).getByRole('button', { name: 'Restore web-golden' }));
    expect(await screen.findByText('Restored web-golden.')).toBeInTheDocument();
    expect(await screen.findByRole('row', { name: 'web-golden' })).toBeInTheDocument();
    expect(within(view).getByText('The trash is empty.', { exact: false })).toBeInTheDocument();
    expect(within(view).getByRole('button', { name: 'Empty trash…' })).toBeDisabled();
    await waitFor(() => expect(view.contains(document.activeElement)).toBe(true));
    // So Escape still closes it.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Trash' })).not.toBeInTheDocument();
  });

  it('Empty trash asks first, naming how much it frees', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Delete}');
    await user.click(await screen.findByRole('button', { name: 'Trash: 2 snapshots, 2 GiB' }));
    await user.click(screen.getByRole('button', { name: 'Empty trash…' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Empty the trash?' });
    expect(confirm).toHaveAccessibleDescription(/all 2 snapshots in the trash and frees 2 GiB/);
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Empty trash' }));
    expect(await screen.findByText('Emptied the trash: 2 snapshots deleted for ever.')).toBeInTheDocument();
    expect(api.trash.items).toEqual([]);
  });

  it('Empty trash with one snapshot in it says so in the singular', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(await screen.findByRole('button', { name: 'Trash: 1 snapshot, 2 GiB' }));
    await user.click(screen.getByRole('button', { name: 'Empty trash…' }));
    expect(screen.getByRole('alertdialog', { name: 'Empty the trash?' })).toHaveAccessibleDescription(/This deletes the one snapshot in the trash and frees 2 GiB/);
  });

  it('a failed move says nothing was moved and why, and keeps the row', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.override('trash.move', async () => {
      throw Object.assign(new Error('snapshot db-base is in use (an export is reading it); try again when it finishes'), { code: 'locked' });
    });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('row', { name: 'db-base' }));
    await user.keyboard('{Delete}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Nothing was moved to the trash: snapshot db-base is in use');
    expect(screen.getByRole('row', { name: 'db-base' })).toBeInTheDocument();
  });

  it('Settings keep retention and the free-space threshold', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const days = await within(dialog).findByRole('spinbutton', { name: 'Keep deleted snapshots (days)' });
    expect(days).toHaveValue(7);
    const gib = within(dialog).getByRole('spinbutton', { name: 'Empty the trash when free space is under (GiB)' });
    expect(gib).toHaveValue(2);
    await user.clear(days);
    await user.type(days, '30');
    await user.clear(gib);
    await user.type(gib, '10');
    await user.click(within(dialog).getByRole('button', { name: 'Save trash settings' }));
    expect(await screen.findByText('Trash settings saved.')).toBeInTheDocument();
    expect(api.callsOf('trash.setSettings').at(-1)).toEqual({ retentionDays: 30, minFreeBytes: 10 * GiB });
    // Saved once: the form that re-opens on the stored values does not send them again.
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(api.callsOf('trash.setSettings')).toHaveLength(1);
  });

  it('Settings refuse a retention past 3650 days on the field itself, and warn when the threshold is above the free space', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.trash.freeBytes = 50 * GiB;
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const days = await within(dialog).findByRole('spinbutton', { name: 'Keep deleted snapshots (days)' });
    await user.clear(days);
    await user.type(days, '4000');
    await user.click(within(dialog).getByRole('button', { name: 'Save trash settings' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Keep snapshots for a whole number of days, from 0 to 3650.');
    expect(days).toHaveAttribute('aria-invalid', 'true');
    expect(api.callsOf('trash.setSettings')).toEqual([]);

    const gib = within(dialog).getByRole('spinbutton', { name: 'Empty the trash when free space is under (GiB)' });
    expect(within(dialog).queryByText(/every Delete would delete for ever/)).not.toBeInTheDocument();
    await user.clear(gib);
    await user.type(gib, '100');
    expect(within(dialog).getByText(/^This disk has 50 GiB free, less than that: every Delete would delete for ever, with no Undo\.$/)).toBeInTheDocument();
    expect(gib).toHaveAccessibleDescription(/every Delete would delete for ever/);
  });

  it('Settings closed with trash edits not saved yet saves them, as the theme applies at once', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    const days = await within(dialog).findByRole('spinbutton', { name: 'Keep deleted snapshots (days)' });
    await user.clear(days);
    await user.type(days, '30');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(await screen.findByText('Trash settings saved.')).toBeInTheDocument();
    expect(api.callsOf('trash.setSettings')).toEqual([{ retentionDays: 30, minFreeBytes: 2 * GiB }]);
    // An invalid edit is not sent on close.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const again = screen.getByRole('dialog', { name: 'Settings' });
    await user.clear(await within(again).findByRole('spinbutton', { name: 'Keep deleted snapshots (days)' }));
    await user.click(within(again).getByRole('button', { name: 'Close' }));
    expect(api.callsOf('trash.setSettings')).toHaveLength(1);
    // Nor on Save: an emptied field is not 0 days.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const third = screen.getByRole('dialog', { name: 'Settings' });
    await user.clear(await within(third).findByRole('spinbutton', { name: 'Keep deleted snapshots (days)' }));
    await user.click(within(third).getByRole('button', { name: 'Save trash settings' }));
    expect(within(third).getByRole('alert')).toHaveTextContent('Keep snapshots for a whole number of days, from 0 to 3650.');
    expect(api.callsOf('trash.setSettings')).toHaveLength(1);
  });
});
