import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore, resolveRootSetting } from '../../electron/app/settings';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snapdesk-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('root setting', () => {
  it('--root beats SNAPDESK_ROOT beats the saved setting beats the default', () => {
    const all = { cli: '/cli', env: '/env', setting: '/set', defaultRoot: '/def' };
    expect(resolveRootSetting(all)).toEqual({ root: '/cli', rootSource: 'cli', defaultRoot: '/def' });
    expect(resolveRootSetting({ ...all, cli: undefined }).rootSource).toBe('env');
    expect(resolveRootSetting({ ...all, cli: undefined, env: undefined }).rootSource).toBe('setting');
    expect(resolveRootSetting({ defaultRoot: '/def' })).toEqual({ root: '/def', rootSource: 'default', defaultRoot: '/def' });
  });

  it('a chosen root is saved as JSON and used by the next start; reset forgets it', async () => {
    const file = join(dir, 'userData', 'settings.json');
    const s = await SettingsStore.load(file, { defaultRoot: '/def' });
    expect(s.get().rootSource).toBe('default');
    await s.setRoot('/srv/cocoon');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ root: '/srv/cocoon' });
    const next = await SettingsStore.load(file, { defaultRoot: '/def' });
    expect(next.get()).toEqual({ root: '/srv/cocoon', rootSource: 'setting', defaultRoot: '/def' });
    expect((await next.resetRoot()).root).toBe('/def');
    expect((await SettingsStore.load(file, { defaultRoot: '/def' })).get().rootSource).toBe('default');
  });

  it('quick successive root changes all succeed and the last one is what is saved and used', async () => {
    const file = join(dir, 'userData', 'settings.json');
    const s = await SettingsStore.load(file, { defaultRoot: '/def' });
    const results = await Promise.allSettled([s.setRoot('/a'), s.setRoot('/b'), s.resetRoot(), s.setRoot('/c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(s.get()).toEqual({ root: '/c', rootSource: 'setting', defaultRoot: '/def' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ root: '/c' });
  });

  it('a corrupt settings file means defaults, not a failed start', async () => {
    const file = join(dir, 'settings.json');
    await writeFile(file, '{not json');
    expect((await SettingsStore.load(file, { env: '/env', defaultRoot: '/def' })).get().rootSource).toBe('env');
    await writeFile(file, JSON.stringify({ root: 'relative/path' }));
    expect((await SettingsStore.load(file, { defaultRoot: '/def' })).get().rootSource).toBe('default');
  });
});
