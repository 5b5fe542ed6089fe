import { isAbsolute, resolve } from 'node:path';
import { isArchiveFileName } from '../../src-core/rules';

export interface ShellArgs {
  root?: string;
  /** Archive files named on the command line (opened with the app). */
  files: string[];
}

/**
 * Reads `--root DIR` / `--root=DIR` and archive paths from a command line;
 * everything else (Chromium switches, the app path, `--`) is ignored.
 * Relative paths are taken from `cwd` (a second instance's directory).
 */
export function parseShellArgs(argv: readonly string[], cwd = process.cwd()): ShellArgs {
  const out: ShellArgs = { files: [] };
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--root' && i + 1 < argv.length) out.root = abs(argv[++i] as string);
    else if (arg.startsWith('--root=')) out.root = abs(arg.slice('--root='.length));
    else if (!arg.startsWith('-') && isArchiveFileName(arg)) out.files.push(abs(arg));
  }
  return out;
}
