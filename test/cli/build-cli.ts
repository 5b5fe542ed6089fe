/**
 * Bundles the CLI exactly as scripts/build.mjs does (esbuild, node20, cjs,
 * packages external so koffi is loaded with require), plus test-only entry
 * points, into a temp dir. Building just these, rather than running the
 * whole build, keeps the test independent of the app and renderer bundles.
 */
import { build } from 'esbuild';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface Bundles {
  dir: string;
  cli: string;
  child: string;
  /** Env for running the bundles: node_modules of the repo on NODE_PATH, as an installed app has them beside it. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function buildBundles(): Promise<Bundles> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-bundle-'));
  await build({
    entryPoints: { snapdesk: path.join(REPO, 'src-core/cli/snapdesk.ts'), 'store-child': path.join(REPO, 'test/cli/store-child.ts') },
    outdir: dir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') };
  delete env.SNAPDESK_ROOT;
  return {
    dir,
    cli: path.join(dir, 'snapdesk.cjs'),
    child: path.join(dir, 'store-child.cjs'),
    env,
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
