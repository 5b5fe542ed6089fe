// @vitest-environment jsdom
import { act, render, screen, waitFor, within } from '@testing-library/react';
import { Profiler } from 'react';
import { describe, expect, it } from 'vitest';
import { AppContext } from '../../renderer/app/context';
import { createAppModel } from '../../renderer/app/app-model';
import { SnapshotTable } from '../../renderer/features/snapshots/SnapshotTable';
import { TaskRow } from '../../renderer/features/transfers/TaskRow';
import { Toolbar } from '../../renderer/app/Toolbar';
import { TransfersPanel } from '../../renderer/features/transfers/TransfersPanel';
import type { Task } from '../../renderer/contract';
import { FakeApi, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

async function withExport(transport: 'electron' | 'web' = 'electron') {
  const snap = makeSnapshot({ name: 'web-golden', usage: { size: 100 * MiB, allocated: 10 * MiB } });
  const api = new FakeApi({ snapshots: [snap], transport });
  const r = await renderApp(api);
  await r.user.click(screen.getByRole('row', { name: 'web-golden' }));
  await r.user.click(screen.getByRole('button', { name: 'Export' }));
  await screen.findByRole('progressbar', { name: 'Export web-golden progress' });
  return { ...r, api, snap };
}

describe('the transfers panel', () => {
  it('shows progress with ARIA values, bytes, rate, ETA and the current file', async () => {
    const { api } = await withExport();
    act(() => {
      api.progress('task1', 25 * MiB, { rate: 5 * MiB, etaSeconds: 15, file: 'memory-ranges' });
    });
    const bar = screen.getByRole('progressbar', { name: 'Export web-golden progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    const row = screen.getByRole('listitem', { name: 'Export web-golden' });
    expect(row).toHaveTextContent('25%');
    expect(row).toHaveTextContent('25 MiB of 100 MiB');
    expect(row).toHaveTextContent('5 MiB/s');
    expect(row).toHaveTextContent('15 s left');
    expect(row).toHaveTextContent('memory-ranges');
  });

  it('a running transfer whose rate is not known yet says so instead of leaving a gap', async () => {
    const { api } = await withExport();
    act(() => {
      api.progress('task1', 16 * MiB, { rate: 0, etaSeconds: null, file: 'memory-ranges' });
    });
    const row = screen.getByRole('listitem', { name: 'Export web-golden' });
    const meta = row.querySelector('.task-meta');
    expect([...(meta?.children ?? [])].map((el) => el.textContent)).toEqual(['16 MiB of 100 MiB', 'measuring speed…', 'memory-ranges']);
    act(() => {
      api.progress('task1', 32 * MiB, { rate: 8 * MiB, etaSeconds: 9, file: 'memory-ranges' });
    });
    expect([...(meta?.children ?? [])].map((el) => el.textContent)).toEqual(['32 MiB of 100 MiB', '8 MiB/s', '9 s left', 'memory-ranges']);
  });

  it('an ended task’s bar says how it ended, not only its last percent', async () => {
    const { api, user } = await withExport();
    act(() => {
      api.progress('task1', 10 * MiB);
    });
    const bar = screen.getByRole('progressbar', { name: 'Export web-golden progress' });
    expect(bar).toHaveAttribute('aria-valuetext', '10%');
    await user.click(screen.getByRole('button', { name: 'Cancel Export web-golden' }));
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuetext', 'Cancelled at 10%'));
    expect(screen.getByRole('listitem', { name: 'Export web-golden' })).toHaveTextContent('Stopped at 10 MiB of 100 MiB.');

    await user.click(screen.getByRole('row', { name: 'web-golden' }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const second = await screen.findByRole('progressbar', { name: (_, el) => el.getAttribute('aria-valuetext') === '0%' });
    act(() => {
      api.progress('task2', 40 * MiB);
      api.fail('task2', { code: 'no_space', message: 'not enough disk space' });
    });
    expect(second).toHaveAttribute('aria-valuetext', 'Failed at 40%');

    await user.click(screen.getByRole('button', { name: 'Export' }));
    const third = await screen.findByRole('progressbar', { name: (_, el) => el.getAttribute('aria-valuetext') === '0%' });
    act(() => {
      api.finish('task3');
    });
    expect(third).toHaveAttribute('aria-valuetext', 'Done');
  });

  it('an unknown total is an indeterminate bar without a value', async () => {
    const { api } = await withExport();
    act(() => {
      api.progress('task1', 3 * MiB, { bytesTotal: null });
    });
    const bar = screen.getByRole('progressbar', { name: 'Export web-golden progress' });
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(bar).toHaveAttribute('aria-valuetext', 'working');
  });

  it('the toolbar shows how many run and the overall percent', async () => {
    const { api } = await withExport();
    act(() => {
      api.progress('task1', 50 * MiB);
    });
    expect(screen.getByRole('button', { name: 'Transfers: 1 running, 50%' })).toBeInTheDocument();
    act(() => {
      api.finish('task1');
    });
    expect(screen.getByRole('button', { name: 'Transfers' })).toBeInTheDocument();
  });

  it('Cancel asks the task to stop', async () => {
    const { api, user } = await withExport();
    await user.click(screen.getByRole('button', { name: 'Cancel Export web-golden' }));
    expect(api.callsOf('tasks.cancel')).toEqual([{ taskId: 'task1' }]);
    const row = screen.getByRole('listitem', { name: 'Export web-golden' });
    await waitFor(() => expect(row).toHaveTextContent('Cancelled'));
    expect(within(row).queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument();
  });

  it('a failure is one plain line with the details behind a disclosure, and its bar looks failed', async () => {
    const { api } = await withExport();
    act(() => {
      api.progress('task1', 300);
      api.fail('task1', { code: 'no_space', message: 'not enough disk space: ENOSPC: no space left on device, write' });
    });
    const row = screen.getByRole('listitem', { name: 'Export web-golden' });
    expect(row).toHaveTextContent('Failed');
    expect(row).toHaveTextContent('There is not enough free disk space.');
    expect(within(row).getByText('Details').closest('details')).toHaveTextContent('ENOSPC: no space left on device, write');
    expect(row).toHaveClass('failed');
    // The bar stops where the work stopped (not full) and says how it ended.
    const bar = within(row).getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuetext', expect.stringMatching(/^Failed at \d+%$/));
    expect((bar.firstElementChild as HTMLElement).style.width).not.toBe('100%');
  });

  it('closing the drawer from inside it puts focus on the list, unless the user has already moved it (Ctrl+F to the search)', async () => {
    const { user } = await withExport();
    const close = screen.getByRole('button', { name: 'Close transfers' });
    close.focus();
    await user.click(close);
    await waitFor(() => expect(document.activeElement).toBe(document.querySelector('[data-main-focus]')));

    await user.click(screen.getByRole('button', { name: /^Transfers/ }));
    const again = await screen.findByRole('button', { name: 'Close transfers' });
    again.focus();
    await user.click(again);
    const search = screen.getByRole('searchbox', { name: 'Search snapshots' });
    search.focus();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    expect(search).toHaveFocus();
  });

  it('no toast repeats what the open drawer shows; with the drawer closed a failure toasts once, with Show transfers', async () => {
    const { api, user, stores, app } = await withExport();
    act(() => {
      api.fail('task1', { code: 'no_space', message: 'not enough disk space' });
    });
    expect(screen.getByRole('region', { name: 'Transfers' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Close transfers' }));
    act(() => {
      stores.tasks.getState().upsert({ ...(stores.tasks.getState().byId.task1 as Task), id: 'task9', state: 'running', finishedAt: null, error: null });
    });
    act(() => {
      app.transfers.track({ ...(stores.tasks.getState().byId.task9 as Task), state: 'failed', finishedAt: Date.now(), error: { code: 'io', message: 'EIO: i/o error, read' } });
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^Export web-golden failed: the disk could not be read or written\./);
    // The toolbar says a transfer failed since the drawer was last open.
    expect(screen.getByRole('button', { name: /Transfers: .*1 failed/ })).toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Show transfers' }));
    expect(screen.getByRole('region', { name: 'Transfers' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('a finished export offers Show in folder on the desktop only', async () => {
    const desk = await withExport('electron');
    act(() => {
      desk.api.finish('task1');
    });
    await desk.user.click(screen.getByRole('button', { name: 'Show web-golden.tgz in folder' }));
    expect(desk.api.callsOf('tasks.showInFolder')).toEqual([{ taskId: 'task1' }]);
    desk.unmount();
    const web = await withExport('web');
    act(() => {
      web.api.finish('task1');
    });
    expect(screen.queryByRole('button', { name: /in folder/ })).not.toBeInTheDocument();
  });

  it('a finished import offers Show snapshot, which selects it and clears a search hiding it', async () => {
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'other' })] });
    const a = api.addArchive('fresh.tgz', { name: 'fresh' });
    const { user, stores } = await renderApp(api);
    act(() => api.emit('archives.opened', { archives: [a.ref] }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('textbox', { name: 'Name for fresh.tgz' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await user.type(screen.getByRole('searchbox'), 'other');
    act(() => {
      api.finish('task1');
    });
    // Named by the snapshot, so several finished imports' buttons can be told apart.
    await user.click(await screen.findByRole('button', { name: 'Show snapshot fresh' }));
    expect(screen.getByRole('searchbox')).toHaveValue('');
    const row = screen.getByRole('row', { name: 'fresh' });
    expect(row).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('grid')).toHaveFocus();
    expect(stores.selection.getState().selected.size).toBe(1);
  });

  it('Clear finished removes done tasks and keeps running ones', async () => {
    const { api, user } = await withExport();
    await user.click(screen.getByRole('row', { name: 'web-golden' }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(screen.getAllByRole('progressbar')).toHaveLength(2));
    act(() => {
      api.finish('task1');
    });
    await user.click(screen.getByRole('button', { name: 'Clear finished' }));
    await waitFor(() => expect(screen.getAllByRole('progressbar')).toHaveLength(1));
    expect(api.callsOf('tasks.clear')).toHaveLength(1);
  });

  it('tasks already running when the window opens are listed', async () => {
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'x' })] });
    await api.call('snapshots.export', { ref: 'x' });
    const { user } = await renderApp(api);
    await waitFor(() => expect(screen.getByRole('button', { name: /Transfers: 1 running/ })).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: /Transfers: 1 running/ }));
    expect(screen.getByRole('progressbar', { name: 'Export x progress' })).toBeInTheDocument();
  });
});

describe('render isolation', () => {
  it('a progress tick re-renders only that task’s row — not the table, the toolbar or other tasks', async () => {
    const api = new FakeApi({ snapshots: Array.from({ length: 50 }, (_, i) => makeSnapshot({ name: `s${i}` })) });
    const app = createAppModel(api);
    const stop = app.start();
    await waitFor(() => expect(app.stores.snapshots.getState().loaded).toBe(true));
    await app.exports.exportIds([api.snapshots[0]?.id ?? '', api.snapshots[1]?.id ?? '']);
    const counts: Record<string, number> = {};
    const count = (id: string) => () => {
      counts[id] = (counts[id] ?? 0) + 1;
    };
    render(
      <AppContext.Provider value={app}>
        <Profiler id="table" onRender={count('table')}>
          <SnapshotTable />
        </Profiler>
        <Profiler id="toolbar" onRender={count('toolbar')}>
          <Toolbar />
        </Profiler>
        <Profiler id="drawer" onRender={count('drawer')}>
          <TransfersPanel />
        </Profiler>
        <ul>
          <Profiler id="task1" onRender={count('task1')}>
            <TaskRow id="task1" />
          </Profiler>
          <Profiler id="task2" onRender={count('task2')}>
            <TaskRow id="task2" />
          </Profiler>
        </ul>
      </AppContext.Provider>,
    );
    expect(screen.getAllByRole('row').length).toBeGreaterThan(10);
    for (const k of Object.keys(counts)) counts[k] = 0;

    act(() => {
      api.progress('task1', 10 * MiB);
    });
    act(() => {
      api.progress('task1', 20 * MiB);
    });

    expect(counts.task1).toBe(2);
    expect(counts.task2).toBe(0);
    expect(counts.table).toBe(0);
    expect(screen.getAllByRole('progressbar', { name: 'Export s0 progress' })[0]).toHaveAttribute('aria-valuenow', '31');
    stop();
  });
});
