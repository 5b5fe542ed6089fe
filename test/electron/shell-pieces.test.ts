import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShellArgs } from '../../electron/desktop/args';
import type { MenuCommand } from '../../electron/app/contract';
import { menuTemplate } from '../../electron/desktop/menu';
import { resolveStaticFile } from '../../electron/app/static-files';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

describe('application menu', () => {
  const build = (isDev: boolean, platform: NodeJS.Platform = 'linux') => {
    const sent: MenuCommand[] = [];
    const template = menuTemplate({ platform, isDev, appName: 'Snapshot Desk', command: (c) => sent.push(c) });
    return { template, all: items(template), sent };
  };

  it('has File, Edit, View, Snapshot and Help, with Import and Export shortcuts', () => {
    const { template, all } = build(false);
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Snapshot', '&Help']);
    expect(all.find((i) => i.label === 'Import…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(all.find((i) => i.label === 'Export…')?.accelerator).toBe('CmdOrCtrl+E');
  });

  it('menu items that need the selection send menu commands to the renderer', () => {
    const { all, sent } = build(false);
    for (const label of ['Import…', 'Export…', 'Select All', 'Move to Trash', 'Keyboard Shortcuts', 'Find…', 'Refresh']) {
      const click = all.find((i) => i.label === label)?.click as unknown as () => void;
      click();
    }
    expect(sent).toEqual(['import', 'export', 'selectAll', 'delete', 'help', 'find', 'refresh']);
  });

  it('Delete and Select All leave their keys to the renderer (text fields keep working)', () => {
    const { all } = build(false);
    expect(all.find((i) => i.label === 'Move to Trash')?.registerAccelerator).toBe(false);
    expect(all.find((i) => i.label === 'Select All')?.registerAccelerator).toBe(false);
  });

  it('DevTools only in development; macOS gets the app menu', () => {
    expect(build(false).all.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(build(true).all.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(build(false, 'darwin').template[0]?.label).toBe('Snapshot Desk');
  });
});

describe('command line', () => {
  it('reads --root in both forms and archive paths, ignoring switches and the app path', () => {
    expect(parseShellArgs(['/usr/bin/electron', '.', '--', '--root', 'store', '--no-sandbox', 'a.tgz', 'notes.txt'], '/home/u')).toEqual({
      root: '/home/u/store',
      files: ['/home/u/a.tgz'],
    });
    expect(parseShellArgs(['snapdesk', '--root=/srv/c', '/tmp/x.tar.gz', 'b.TAR'], '/w')).toEqual({ root: '/srv/c', files: ['/tmp/x.tar.gz', '/w/b.TAR'] });
  });
});

describe('static renderer files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snapdesk-static-'));
    await mkdir(join(dir, 'r', 'assets'), { recursive: true });
    await writeFile(join(dir, 'r', 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'r', 'assets', 'app.js'), 'x');
    await writeFile(join(dir, 'secret.txt'), 'no');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves files of the renderer with their type, index.html for app routes', async () => {
    const r = join(dir, 'r');
    expect(await resolveStaticFile(r, '/')).toMatchObject({ path: join(r, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(await resolveStaticFile(r, '/assets/app.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8' });
    expect((await resolveStaticFile(r, '/snapshots/ABC'))?.path).toBe(join(r, 'index.html'));
    expect(await resolveStaticFile(r, '/assets/missing.js')).toBeNull();
  });

  it('never leaves the renderer folder', async () => {
    const r = join(dir, 'r');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/a%5c..%5c..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const hit = await resolveStaticFile(r, p);
      expect(hit === null || hit.path === join(r, 'index.html')).toBe(true);
    }
  });
});
