// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

function list() {
  return [
    makeSnapshot({ name: 'alpha', created_at: '2026-11-03T00:00:00Z' }),
    makeSnapshot({ name: 'beta', created_at: '2026-11-02T00:00:00Z' }),
    makeSnapshot({ name: 'gamma', created_at: '2026-11-01T00:00:00Z' }),
  ];
}

describe('exporting', () => {
  it('exports every selected snapshot one after another, in the order shown', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.hold('snapshots.export');
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    // The second export is not asked for until the first one's dialog has answered.
    await waitFor(() => expect(api.waiting('snapshots.export')).toBe(1));
    expect(api.callsOf('snapshots.export')).toHaveLength(1);
    act(() => api.release('snapshots.export'));
    await waitFor(() => expect(api.callsOf('snapshots.export')).toHaveLength(2));
    expect(api.waiting('snapshots.export')).toBe(1);
    act(() => api.release('snapshots.export'));
    await waitFor(() => expect(api.callsOf('snapshots.export')).toHaveLength(3));
    act(() => api.release('snapshots.export'));
    const refs = api.callsOf('snapshots.export').map((c) => (c as { ref: string }).ref);
    expect(refs).toEqual(api.snapshots.map((s) => s.id));
    expect(await screen.findByRole('progressbar', { name: 'Export gamma progress' })).toBeInTheDocument();
    expect(screen.getAllByRole('progressbar')).toHaveLength(3);
  });

  it('cancelling a save dialog stops the rest of the batch and says so', async () => {
    const api = new FakeApi({ snapshots: list() });
    api.exportCancels.add(api.snapshots[1]?.id ?? '');
    const { user } = await renderApp(api);
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByText('Export stopped: 1 of 3 started.')).toBeInTheDocument();
    expect(api.callsOf('snapshots.export')).toHaveLength(2);
  });

  it('the context menu and the menu command export too', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    fireEvent.contextMenu(screen.getByRole('row', { name: 'beta' }));
    await user.click(screen.getByRole('menuitem', { name: 'Export…' }));
    await waitFor(() => expect(api.callsOf('snapshots.export')).toEqual([{ ref: api.snapshots[1]?.id }]));
    act(() => api.emit('menu.command', { command: 'export' }));
    await waitFor(() => expect(api.callsOf('snapshots.export')).toHaveLength(2));
  });
});
