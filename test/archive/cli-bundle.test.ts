/**
 * The bundled CLI (as scripts/build.mjs builds it) in real processes: the
 * compression workers start from inside the bundle, and an export piped
 * into an import moves a snapshot between stores through stdout and stdin.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirDigest, noise, sparseFile } from './dir-target';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the bundled snapdesk CLI', () => {
  let work: string;
  let cli: string;
  let id: string;
  const run = (cmd: string): string =>
    execFileSync('sh', ['-c', cmd], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-bundle-'));
    cli = path.join(work, 'snapdesk.cjs');
    await build({
      entryPoints: [path.join(REPO, 'src-core/cli/snapdesk.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      logLevel: 'silent',
    });
    await fs.mkdir(path.join(work, 'data'));
    await fs.writeFile(path.join(work, 'data', 'mem'), Buffer.concat([noise(3 * 1024 * 1024, 1), Buffer.alloc(2 * 1024 * 1024, 7)]));
    await sparseFile(path.join(work, 'data', 'cow.raw'), 256 * 1024 * 1024, [{ offset: 100 * 1024 * 1024, bytes: noise(64 * 1024, 2) }]);
    id = run(`node ${cli} --root a create --from-dir data --name piped`).trim();
  }, 60_000);
  afterAll(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  it('export -o - | import - moves a snapshot between roots with parallel gzip from inside the bundle', async () => {
    const imported = run(`node ${cli} --root a export piped -o - | node ${cli} --root b import - --name moved`).trim();
    expect(imported).toMatch(/^[A-Z2-7]{26}$/);
    expect(imported).not.toBe(id);
    const inspect = JSON.parse(run(`node ${cli} --root b inspect moved`)) as { data_dir: string; usage: { allocated: number } };
    expect(inspect.usage.allocated).toBeLessThan(16 * 1024 * 1024);
    expect(await dirDigest(inspect.data_dir)).toEqual(await dirDigest(path.join(work, 'data')));
  });

  it('the default export file passes gzip -t and verify', () => {
    run(`node ${cli} --root a export piped`);
    run('gzip -t piped.tgz');
    expect(run(`node ${cli} verify piped.tgz`)).toMatch(/^OK: "piped" — 2 data files/);
  });
});
