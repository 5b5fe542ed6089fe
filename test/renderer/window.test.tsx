// @vitest-environment jsdom
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { THEME_KEY } from '../../renderer/shared/ui-store';
import { FakeApi, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

const two = () => [makeSnapshot({ name: 'alpha', created_at: '2026-11-02T00:00:00Z' }), makeSnapshot({ name: 'beta', created_at: '2026-11-01T00:00:00Z' })];

afterEach(() => {
  localStorage.clear();
  delete document.documentElement.dataset.theme;
  vi.useRealTimers();
});

describe('theme', () => {
  it('is a menu of named choices (System, Light, Dark) that follows the system until chosen and remembers the choice', async () => {
    const { user, unmount } = await renderApp(new FakeApi());
    expect(document.documentElement.dataset.theme).toBeUndefined();
    const button = screen.getByRole('button', { name: 'Theme: System' });
    expect(button).toHaveAttribute('aria-haspopup', 'menu');
    await user.click(button);
    const menu = screen.getByRole('menu', { name: 'Theme' });
    const choices = within(menu).getAllByRole('menuitemradio');
    expect(choices.map((c) => c.textContent?.replace(/^[●✓]/, ''))).toEqual(['System (follow the OS)', 'Light', 'Dark']);
    expect(within(menu).getByRole('menuitemradio', { name: 'System (follow the OS)' })).toHaveAttribute('aria-checked', 'true');
    expect(within(menu).getByRole('menuitemradio', { name: 'System (follow the OS)' })).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(screen.getByRole('button', { name: 'Theme: Dark' })).toHaveFocus();
    unmount();
    const again = await renderApp(new FakeApi());
    expect(document.documentElement.dataset.theme).toBe('dark');
    await again.user.click(screen.getByRole('button', { name: 'Theme: Dark' }));
    await again.user.click(screen.getByRole('menuitemradio', { name: 'System (follow the OS)' }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
    // Escape closes the menu without a change.
    await again.user.click(screen.getByRole('button', { name: 'Theme: System' }));
    await again.user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });
});

describe('help overlay', () => {
  it('opens with ?, F1, the toolbar or the menu, lists the shortcuts, and closes with Escape returning focus', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByRole('table')).toHaveTextContent('Delete the selection');
    expect(within(help).getByRole('button', { name: 'Close' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('grid')).toHaveFocus();
    await user.keyboard('{F1}');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    act(() => api.emit('menu.command', { command: 'help' }));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await user.click(screen.getByRole('button', { name: 'Keyboard shortcuts and help' }));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeInTheDocument();
  });

  it('typing ? in the search box types it instead', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: two() }));
    await user.type(screen.getByRole('searchbox'), 'what?');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('searchbox')).toHaveValue('what?');
  });

  it('keeps Tab inside the dialog', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: two() }));
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    for (let i = 0; i < 8; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
  });
});

describe('toasts', () => {
  it('results fade after a few seconds; errors stay longer but fade too; repeats collapse into one with a count', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { stores } = await renderApp(api);
    vi.useFakeTimers();
    act(() => {
      stores.ui.getState().toast('success', 'Exported alpha.tgz.');
      stores.ui.getState().toast('error', 'Could not open x.tgz: the file is not a valid snapshot archive.', { detail: 'tar header field checksum is not an octal number' });
      stores.ui.getState().toast('error', 'Could not open x.tgz: the file is not a valid snapshot archive.', { detail: 'tar header field checksum is not an octal number' });
      stores.ui.getState().toast('error', 'Could not open x.tgz: the file is not a valid snapshot archive.', { detail: 'tar header field checksum is not an octal number' });
    });
    expect(screen.getByRole('status')).toHaveTextContent('Exported alpha.tgz.');
    // Three bad drops of one file: one toast, "×3", the parser's words only behind Details.
    const alert = screen.getByRole('alert');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(alert).toHaveTextContent('×3');
    expect(within(alert).getByText('Details').closest('details')).not.toHaveAttribute('open');
    expect(within(alert).getByText('tar header field checksum is not an octal number')).not.toBeVisible();
    act(() => {
      vi.advanceTimersByTime(7000);
    });
    expect(screen.queryByText('Exported alpha.tgz.')).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(9000);
    });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    vi.useRealTimers();
  });

  it('a toast carries an action button, and a toast can be dismissed', async () => {
    const { stores, user } = await renderApp(new FakeApi({ snapshots: two() }));
    let undone = 0;
    act(() => {
      stores.ui.getState().toast('success', 'Deleted alpha.', { action: { label: 'Undo', run: () => undone++ } });
    });
    await user.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    expect(undone).toBe(1);
    expect(screen.queryByText('Deleted alpha.')).not.toBeInTheDocument();
    act(() => {
      stores.ui.getState().toast('error', 'Nope.');
    });
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('menu commands', () => {
  it('select all, find, delete and refresh do what they say', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { stores } = await renderApp(api);
    act(() => api.emit('menu.command', { command: 'selectAll' }));
    expect(stores.selection.getState().selected.size).toBe(2);
    act(() => api.emit('menu.command', { command: 'find' }));
    expect(screen.getByRole('searchbox')).toHaveFocus();
    // The menu's Delete is the window's: to the trash, with Undo.
    act(() => api.emit('menu.command', { command: 'delete' }));
    expect(await screen.findByText(/^Moved .+ and .+ to the trash\.$/)).toBeInTheDocument();
    expect(api.callsOf('trash.move')).toHaveLength(1);
    const before = api.callsOf('snapshots.list').length;
    act(() => api.emit('menu.command', { command: 'refresh' }));
    await waitFor(() => expect(api.callsOf('snapshots.list').length).toBe(before + 1));
  });

  it('Ctrl+F focuses the search', async () => {
    const { user } = await renderApp(new FakeApi({ snapshots: two() }));
    await user.keyboard('{Control>}f{/Control}');
    expect(screen.getByRole('searchbox')).toHaveFocus();
  });

  it('stops listening when the window goes away', async () => {
    const api = new FakeApi();
    const { unmount } = await renderApp(api);
    expect(api.listenerCount('task.updated')).toBe(1);
    unmount();
    expect(api.listenerCount('task.updated')).toBe(0);
    expect(api.listenerCount('store.changed')).toBe(0);
  });
});

describe('settings', () => {
  it('opens on its first control (the theme), not on a folder action; shows the store root; Change folder… re-lists; Reset keeps focus in the dialog', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(within(dialog).getByRole('combobox', { name: 'Theme' })).toHaveFocus();
    expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/var/lib/cocoon');
    expect(within(dialog).getByRole('button', { name: 'Reset folder to default' })).toBeDisabled();
    const lists = api.callsOf('snapshots.list').length;
    const change = within(dialog).getByRole('button', { name: 'Change folder…' });
    await user.click(change);
    await waitFor(() => expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/srv/other-store'));
    expect(dialog).toHaveTextContent('chosen in Settings');
    expect(api.callsOf('snapshots.list').length).toBeGreaterThan(lists);
    // Focus comes back to the button once the action is done.
    await waitFor(() => expect(change).toHaveFocus());
    await user.click(within(dialog).getByRole('button', { name: 'Reset folder to default' }));
    await waitFor(() => expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/var/lib/cocoon'));
    expect(api.callsOf('settings.resetRoot')).toHaveLength(1);
    // Reset disabled itself: focus goes to Close, not the page, and Escape still closes the dialog.
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('Reset folder to default is off while the folder comes from --root or the environment, and says why', async () => {
    for (const [rootSource, why] of [
      ['cli', 'The folder is set by the --root option; start the app without it to use the default.'],
      ['env', 'The folder is set by the environment; start the app without it to use the default.'],
    ] as const) {
      const api = new FakeApi({ snapshots: two() });
      api.settings = { root: '/srv/given', rootSource, defaultRoot: '/var/lib/cocoon' };
      const { user, unmount } = await renderApp(api);
      await user.click(screen.getByRole('button', { name: 'Settings' }));
      const reset = within(screen.getByRole('dialog', { name: 'Settings' })).getByRole('button', { name: 'Reset folder to default' });
      expect(reset).toBeDisabled();
      expect(reset).toHaveAttribute('title', why);
      unmount();
    }
  });

  it('the theme can be chosen in Settings too', async () => {
    const { user } = await renderApp(new FakeApi());
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Theme' }), 'Light');
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('has no Change folder… in the browser', async () => {
    const api = new FakeApi({ transport: 'web' });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.queryByRole('button', { name: 'Change folder…' })).not.toBeInTheDocument();
  });
});
