/**
 * Registry push, preview, pull, tags and sign-in through the browser
 * transport (the same handlers the desktop binds to IPC), against a real
 * docker-registry: pushes and pulls run as tasks with progress; a refusal
 * crosses as `unauthorized` naming the registry, never the password.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../electron/app/contract';
import { isSnapDeskError } from '../../src-core/errors';
import { LocalFileStore } from '../../src-core/localfile';
import { htpasswdAvailable, registryAvailable, SKIP_REASON, startRegistry, type TestRegistry } from '../registry/helpers/registry-server';
import { makeSnapshot } from '../registry/helpers/snapshots';
import { webApp } from './helpers/web-app';

let app: Awaited<ReturnType<typeof webApp>>;
let dockerConfig: string;

describe.skipIf(!registryAvailable || !htpasswdAvailable)(`registry calls in the browser transport${registryAvailable ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let open: TestRegistry;
  let guarded: TestRegistry;
  beforeAll(async () => {
    [open, guarded] = await Promise.all([startRegistry(), startRegistry({ mode: 'htpasswd', users: { carol: 'right-password' } })]);
  });
  afterAll(async () => {
    await open?.stop();
    await guarded?.stop();
  });
  beforeEach(async () => {
    dockerConfig = await mkdtemp(join(tmpdir(), 'snapdesk-web-dockercfg-'));
    vi.stubEnv('DOCKER_CONFIG', dockerConfig);
    vi.stubEnv('XDG_CACHE_HOME', join(dockerConfig, 'cache'));
    app = await webApp();
  });
  afterEach(async () => {
    await app.close();
    vi.unstubAllEnvs();
    await rm(dockerConfig, { recursive: true, force: true });
  });

  const settle = (task: Task): Promise<Task> => app.server.context.tasks.wait(task.id);

  it('pushes a stored snapshot as a task, lists its tag, previews it and pulls it back under another name', async () => {
    const store = app.server.context.store();
    expect(store).toBeInstanceOf(LocalFileStore);
    await makeSnapshot(store as LocalFileStore, 'golden');
    const updates: Task[] = [];
    const off = app.client.on('task.updated', (t) => void updates.push(t));
    await new Promise((r) => setTimeout(r, 100));

    const push = await app.client.call('registry.push', { ref: 'golden', target: `${open.host}/web/golden:v1` });
    expect(push).toMatchObject({ kind: 'push', title: `Push golden to ${open.host}/web/golden:v1` });
    const pushed = await settle(push);
    expect(pushed).toMatchObject({ state: 'done', result: { reference: `${open.host}/web/golden:v1`, digest: expect.stringMatching(/^sha256:/) } });
    expect(pushed.bytesDone).toBeGreaterThan(1024 * 1024);

    expect(await app.client.call('registry.tags', { repository: `${open.host}/web/golden` })).toEqual(['v1']);
    const preview = await app.client.call('registry.preview', { reference: `${open.host}/web/golden:v1` });
    expect(preview).toMatchObject({ defaultName: 'golden', nameTaken: true, suggestedName: 'golden-2', digest: pushed.result?.digest, config: { cpu: 2, hypervisor: 'cloud-hypervisor' } });

    const pull = await app.client.call('registry.pull', { reference: `${open.host}/web/golden@${preview.digest}`, name: 'golden-2' });
    const pulled = await settle(pull);
    expect(pulled).toMatchObject({ kind: 'pull', state: 'done' });
    expect((await app.client.call('snapshots.inspect', { ref: pulled.result?.snapshotId as string })).name).toBe('golden-2');
    await new Promise((r) => setTimeout(r, 200));
    off();
    // A loopback push can finish inside one progress interval, so its bytes may first show on the final update.
    expect(updates.some((t) => t.id === push.id && t.state === 'running')).toBe(true);
    expect(updates.some((t) => t.id === push.id && t.bytesDone > 0)).toBe(true);
    expect(updates.some((t) => t.id === pull.id && t.state === 'done')).toBe(true);
  });

  it('a refused sign-in arrives as unauthorized naming the registry, a right one is saved, and a refused pull task names the registry', async () => {
    const err = await app.client.call('registry.login', { registry: guarded.host, username: 'carol', password: 'wrong-password' }).catch((e: unknown) => e);
    expect(isSnapDeskError(err, 'unauthorized')).toBe(true);
    expect((err as { details?: Record<string, unknown> }).details?.registry).toBe(guarded.host);
    expect((err as Error).message).not.toContain('wrong-password');

    const refused = await settle(await app.client.call('registry.pull', { reference: `${guarded.host}/private/vm:v1` }));
    expect(refused).toMatchObject({ state: 'failed', error: { code: 'unauthorized', details: { registry: guarded.host } } });

    await app.client.call('registry.login', { registry: guarded.host, username: 'carol', password: 'right-password' });
    // Signed in, the same pull now gets as far as the (missing) manifest.
    const missing = await settle(await app.client.call('registry.pull', { reference: `${guarded.host}/private/vm:v1` }));
    expect(missing).toMatchObject({ state: 'failed', error: { code: 'not_found' } });
    expect(await app.client.call('registry.logout', { registry: guarded.host })).toEqual({ removed: true });
  });
});
