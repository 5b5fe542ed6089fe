// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

function list() {
  return [
    makeSnapshot({ name: 'web-golden', usage: { size: 66 * MiB, allocated: 1 * GiB }, created_at: '2026-11-03T00:00:00Z' }),
    makeSnapshot({ name: 'db-base', usage: { size: 10 * GiB, allocated: 2 * GiB }, created_at: '2026-11-02T00:00:00Z' }),
  ];
}

describe('the status bar shows what the trash holds', () => {
  it('says nothing of an empty trash, then the count and size after a delete, and opens the Trash view on a click', async () => {
    const api = new FakeApi({ snapshots: list() });
    const { user } = await renderApp(api);
    const status = screen.getByRole('contentinfo', { name: 'Status' });
    expect(within(status).queryByText(/Trash/)).not.toBeInTheDocument();

    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}{Delete}');
    await screen.findByText('Moved web-golden and db-base to the trash.');
    const part = await within(status).findByRole('button', { name: 'Open the trash: 2 snapshots, 3 GiB' });
    expect(part).toHaveTextContent('Trash: 2 · 3 GiB');

    await user.click(part);
    const view = screen.getByRole('dialog', { name: 'Trash' });
    await user.click(within(view).getByRole('button', { name: 'Restore db-base' }));
    await screen.findByText('Restored db-base.');
    expect(await within(status).findByRole('button', { name: 'Open the trash: 1 snapshot, 1 GiB' })).toHaveTextContent('Trash: 1 · 1 GiB');

    await user.click(within(view).getByRole('button', { name: 'Restore web-golden' }));
    await screen.findByText('Restored web-golden.');
    expect(within(status).queryByRole('button', { name: /Open the trash/ })).not.toBeInTheDocument();
  });
});
