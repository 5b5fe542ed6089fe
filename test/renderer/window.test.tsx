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
  it('follows the system until chosen, cycles light → dark → system, and remembers the choice', async () => {
    const { user, unmount } = await renderApp(new FakeApi());
    expect(document.documentElement.dataset.theme).toBeUndefined();
    await user.click(screen.getByRole('button', { name: /Theme: follows the system/ }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
    await user.click(screen.getByRole('button', { name: /Theme: light/ }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    unmount();
    const again = await renderApp(new FakeApi());
    expect(document.documentElement.dataset.theme).toBe('dark');
    await again.user.click(screen.getByRole('button', { name: /Theme: dark/ }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
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
  it('results fade on their own; errors stay until dismissed', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { stores } = await renderApp(api);
    vi.useFakeTimers();
    act(() => {
      stores.toasts.getState().show('success', 'Exported alpha.tgz.');
      stores.toasts.getState().show('error', 'Import failed: disk full');
    });
    expect(screen.getByRole('status')).toHaveTextContent('Exported alpha.tgz.');
    act(() => {
      vi.advanceTimersByTime(7000);
    });
    expect(screen.queryByText('Exported alpha.tgz.')).not.toBeInTheDocument();
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Import failed: disk full');
    vi.useRealTimers();
    act(() => within(alert).getByRole('button', { name: 'Dismiss' }).click());
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
  it('shows the store root; Change… exists on the desktop and re-lists; Reset goes back to the default', async () => {
    const api = new FakeApi({ snapshots: two() });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/var/lib/cocoon');
    expect(within(dialog).getByRole('button', { name: 'Reset to default' })).toBeDisabled();
    const lists = api.callsOf('snapshots.list').length;
    await user.click(within(dialog).getByRole('button', { name: 'Change…' }));
    await waitFor(() => expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/srv/other-store'));
    expect(dialog).toHaveTextContent('chosen in Settings');
    expect(api.callsOf('snapshots.list').length).toBeGreaterThan(lists);
    await user.click(within(dialog).getByRole('button', { name: 'Reset to default' }));
    await waitFor(() => expect(within(dialog).getByTestId('store-root')).toHaveTextContent('/var/lib/cocoon'));
    expect(api.callsOf('settings.resetRoot')).toHaveLength(1);
  });

  it('has no Change… in the browser', async () => {
    const api = new FakeApi({ transport: 'web' });
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.queryByRole('button', { name: 'Change…' })).not.toBeInTheDocument();
  });
});
