import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.ts')) out.push(relative(ROOT, join(e.parentPath, e.name)));
  }
  return out;
}

const importsOf = (text: string): string[] => [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);

describe('electron/ layers', () => {
  it('only the desktop shell imports electron; the app layer imports no shell; the shells import each other not at all', async () => {
    const seen: Record<string, string[]> = {};
    for (const file of [...(await sources('electron/app')), ...(await sources('electron/web')), ...(await sources('electron/desktop'))]) {
      const layer = file.split('/')[1] as string;
      const bad = importsOf(await readFile(join(ROOT, file), 'utf8')).filter((spec) => {
        if (spec === 'electron' || spec.startsWith('electron/')) return layer !== 'desktop';
        if (spec.includes('../desktop/')) return layer !== 'desktop';
        if (spec.includes('../web/')) return layer !== 'web';
        return false;
      });
      if (bad.length > 0) seen[file] = bad;
    }
    expect(seen).toEqual({});
    // What differs between hosts goes through HostServices: no handler asks which transport it runs on.
    for (const file of await sources('electron/app')) expect(await readFile(join(ROOT, file), 'utf8')).not.toMatch(/\.transport\s*[!=]==/);
    expect(await sources('electron')).toEqual(expect.arrayContaining(['electron/desktop/main.ts', 'electron/web/server.ts', 'electron/app/contract.ts']));
    // Nothing sits beside the three folders.
    const top = (await readdir(join(ROOT, 'electron'), { withFileTypes: true })).map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    expect(top.sort()).toEqual(['app/', 'desktop/', 'web/']);
  });

  it('lint refuses an import of electron, or of another shell, outside the desktop shell', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const lint = async (filePath: string, code: string): Promise<string[]> =>
      (await eslint.lintText(code, { filePath: join(ROOT, filePath) }))[0]?.messages.map((m) => m.ruleId ?? m.message) ?? [];
    const electron = "import { app } from 'electron';\nexport const x = app;\n";
    expect(await lint('electron/app/probe.ts', electron)).toContain('no-restricted-imports');
    expect(await lint('electron/web/probe.ts', electron)).toContain('no-restricted-imports');
    expect(await lint('electron/desktop/probe.ts', electron)).toEqual([]);
    expect(await lint('electron/app/probe.ts', "import { desktopHost } from '../desktop/host';\nexport const x = desktopHost;\n")).toContain('no-restricted-imports');
    expect(await lint('electron/web/probe.ts', "import { desktopHost } from '../desktop/host';\nexport const x = desktopHost;\n")).toContain('no-restricted-imports');
    expect(await lint('electron/desktop/probe.ts', "import { WebHost } from '../web/host';\nexport const x = WebHost;\n")).toContain('no-restricted-imports');
  });
});
