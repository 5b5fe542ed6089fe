import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = join(__dirname, '..', '..', 'renderer');
const FEATURES = join(RENDERER, 'features');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('the renderer’s layout', () => {
  it('no renderer source file is over 400 lines', () => {
    const long = sources(RENDERER)
      .map((path) => ({ file: relative(RENDERER, path), lines: readFileSync(path, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('every feature has an actions module, and only actions modules (and the composition) hold the API', () => {
    const features = readdirSync(FEATURES).filter((name) => statSync(join(FEATURES, name)).isDirectory());
    expect(features).toEqual(expect.arrayContaining(['exports', 'imports', 'settings', 'snapshots', 'transfers']));
    for (const feature of features) expect(readdirSync(join(FEATURES, feature))).toContain('actions.ts');
    const holders = sources(RENDERER)
      .filter((path) => /\bSnapdeskApi\b/.test(readFileSync(path, 'utf8')))
      .map((path) => relative(RENDERER, path))
      .filter((file) => !/^features\/[^/]+\/actions\.ts$/.test(file) && !file.startsWith('api/'));
    expect(holders.sort()).toEqual(['App.tsx', 'app/app-model.ts', 'contract.ts']);
  });
});
