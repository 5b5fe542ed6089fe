// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RegistryPreview, Task } from '../../electron/app/contract';
import { SnapDeskError } from '../../src-core/errors';
import { RECENT_KEY } from '../../renderer/features/registry/registry-store';
import { FakeApi, GiB, MiB, makeSnapshot } from './fake-api';
import { renderApp } from './render-app';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

function preview(p: Partial<RegistryPreview> = {}): RegistryPreview {
  return {
    reference: 'reg.example.com/team/web-golden:v1',
    digest: DIGEST,
    config: { name: 'web-golden', cpu: 4, memory: 2 * GiB, hypervisor: 'cloud-hypervisor', image: 'ghcr.io/x/ubuntu:24.04' },
    defaultName: 'web-golden',
    nameTaken: true,
    suggestedName: 'web-golden-2',
    files: [{ name: 'memory-ranges', size: 2 * GiB, sparse: false }],
    downloadBytes: 300 * MiB,
    dataSize: 18 * GiB,
    pushedAt: '2026-11-30T10:00:00Z',
    ...p,
  };
}

const task = (p: Partial<Task>): Task => ({
  id: 't1',
  kind: 'push',
  title: 'Push web-golden to reg.example.com/team/web-golden:latest',
  state: 'running',
  bytesDone: 0,
  bytesTotal: null,
  rate: 0,
  etaSeconds: null,
  file: null,
  startedAt: 0,
  finishedAt: null,
  error: null,
  result: null,
  ...p,
});

beforeEach(() => localStorage.clear());

describe('pulling from a registry', () => {
  it('previews the reference, flags a taken name with a free one, and pulls the previewed digest under the new name', async () => {
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'web-golden' })] });
    api.override('registry.preview', () => preview());
    api.override('registry.pull', () => task({ kind: 'pull', title: 'Pull reg.example.com/team/web-golden' }));
    const { user } = await renderApp(api);
    await user.click(screen.getByRole('button', { name: 'Pull…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pull snapshot from a registry' });
    await user.type(within(dialog).getByLabelText('Reference'), 'reg.example.com/team/web-golden:v1');
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    expect(api.callsOf('registry.preview')).toEqual([{ reference: 'reg.example.com/team/web-golden:v1' }]);
    expect(within(dialog).getByText('CPU').nextElementSibling).toHaveTextContent('4');
    expect(within(dialog).getByText('Memory').nextElementSibling).toHaveTextContent('2 GiB');
    expect(within(dialog).getByText('Size').nextElementSibling).toHaveTextContent('18 GiB (300 MiB to download)');
    expect(within(dialog).getByText('A snapshot named “web-golden” already exists. Choose another name.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Pull' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Use “web-golden-2”' }));
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveValue('web-golden-2');
    await user.click(within(dialog).getByRole('button', { name: 'Pull' }));
    await waitFor(() => expect(api.callsOf('registry.pull')).toEqual([{ reference: `reg.example.com/team/web-golden@${DIGEST}`, name: 'web-golden-2' }]));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Pull snapshot from a registry' })).not.toBeInTheDocument());
    expect(JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]')).toEqual(['reg.example.com/team/web-golden']);
  });

  it('a registry that refuses the preview asks for sign-in, then previews again', async () => {
    const api = new FakeApi();
    let signedIn = false;
    api.override('registry.preview', () => {
      if (!signedIn) throw new SnapDeskError('unauthorized', 'reg.example.com refused access to the manifest', { registry: 'reg.example.com' });
      return preview({ nameTaken: false });
    });
    api.override('registry.login', () => {
      signedIn = true;
    });
    const { user } = await renderApp(api);
    act(() => api.emit('menu.command', { command: 'pull' }));
    const dialog = await screen.findByRole('dialog', { name: 'Pull snapshot from a registry' });
    await user.type(within(dialog).getByLabelText('Reference'), 'reg.example.com/team/web-golden:v1{Enter}');
    const signIn = await screen.findByRole('dialog', { name: 'Sign in to reg.example.com' });
    await user.type(within(signIn).getByLabelText('User name'), 'alice');
    await user.type(within(signIn).getByLabelText('Password or access token'), 'hunter2');
    await user.click(within(signIn).getByRole('button', { name: 'Sign in' }));
    expect(api.callsOf('registry.login')).toEqual([{ registry: 'reg.example.com', username: 'alice', password: 'hunter2' }]);
    await waitFor(() => expect(api.callsOf('registry.preview')).toHaveLength(2));
    expect(await within(dialog).findByRole('button', { name: 'Pull' })).toBeEnabled();
  });
});

describe('pushing to a registry', () => {
  it('pushes the row from the context menu to the target typed, and a refused task signs in and starts again', async () => {
    localStorage.setItem(RECENT_KEY, JSON.stringify(['reg.example.com/old/thing']));
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'Web Golden' }), makeSnapshot({ name: 'other' })] });
    let n = 0;
    api.override('registry.push', () => task({ id: `push${++n}` }));
    api.override('registry.login', () => undefined);
    const { user } = await renderApp(api);
    fireEvent.contextMenu(screen.getByRole('row', { name: 'Web Golden' }));
    await user.click(screen.getByRole('menuitem', { name: 'Push to registry…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Push “Web Golden”' });
    // The last registry used, with the snapshot's name made into a repository.
    expect(within(dialog).getByLabelText('Registry and repository')).toHaveValue('reg.example.com/web-golden:latest');
    await user.click(within(dialog).getByRole('button', { name: 'Push' }));
    const id = api.snapshots[0]?.id;
    await waitFor(() => expect(api.callsOf('registry.push')).toEqual([{ ref: id, target: 'reg.example.com/web-golden:latest' }]));

    act(() =>
      api.emit(
        'task.updated',
        task({ id: 'push1', state: 'failed', error: { code: 'unauthorized', message: 'reg.example.com refused access to a blob upload', details: { registry: 'reg.example.com' } } }),
      ),
    );
    const signIn = await screen.findByRole('dialog', { name: 'Sign in to reg.example.com' });
    expect(signIn).toHaveTextContent('refused access to a blob upload');
    await user.type(within(signIn).getByLabelText('User name'), 'bob');
    await user.type(within(signIn).getByLabelText('Password or access token'), 's3cret');
    await user.click(within(signIn).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(api.callsOf('registry.push')).toHaveLength(2));
    expect(api.callsOf('registry.push')[1]).toEqual({ ref: id, target: 'reg.example.com/web-golden:latest' });
  });

  it('Push… in the toolbar needs exactly one selected snapshot', async () => {
    const api = new FakeApi({ snapshots: [makeSnapshot({ name: 'a' }), makeSnapshot({ name: 'b' })] });
    const { user } = await renderApp(api);
    expect(screen.getByRole('button', { name: 'Push…' })).toBeDisabled();
    await user.click(screen.getByRole('row', { name: 'a' }));
    expect(screen.getByRole('button', { name: 'Push…' })).toBeEnabled();
    screen.getByRole('grid').focus();
    await user.keyboard('{Control>}a{/Control}');
    expect(screen.getByRole('button', { name: 'Push…' })).toBeDisabled();
  });
});
