/**
 * Where the app keeps its own store when no root is given: `<userData>/store`,
 * with userData computed as Electron's app.getPath('userData') does for the
 * product name "Snapshot Desk", so the CLI (plain Node, no Electron) and the
 * app agree without asking Electron.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Snapshot Desk';
export const ROOT_ENV = 'SNAPDESK_ROOT';

export interface PlatformEnv {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Electron's appData for the platform, then the product name. */
export function userDataDir({ platform = process.platform, env = process.env, home = os.homedir() }: PlatformEnv = {}): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
    default:
      return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), PRODUCT_NAME);
  }
}

export function defaultRoot(opts: PlatformEnv = {}): string {
  const dir = userDataDir(opts);
  return (opts.platform ?? process.platform) === 'win32' ? path.win32.join(dir, 'store') : path.posix.join(dir, 'store');
}

export interface ResolvedRoot {
  root: string;
  source: 'cli' | 'env' | 'default';
}

/** `--root` wins, then $SNAPDESK_ROOT, then the default; relative paths are taken from the working directory. */
export function resolveRoot({ cliRoot, env = process.env, cwd = process.cwd() }: { cliRoot?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): ResolvedRoot {
  if (cliRoot) return { root: path.resolve(cwd, cliRoot), source: 'cli' };
  const fromEnv = env[ROOT_ENV];
  if (fromEnv) return { root: path.resolve(cwd, fromEnv), source: 'env' };
  return { root: defaultRoot({ env }), source: 'default' };
}
