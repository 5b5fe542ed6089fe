/** Argument parsing for snapdesk: the global part, and each command's own options. */
import { parseArgs } from 'node:util';
import { SnapDeskError } from '../errors';

export interface GlobalArgs {
  root?: string;
  help: boolean;
  command?: string;
  /** The command's own arguments (global options removed). */
  rest: string[];
}

export function usageError(message: string, usage?: string): SnapDeskError {
  return new SnapDeskError('invalid_input', usage ? `${message} (usage: snapdesk ${usage})` : message);
}

/**
 * Takes `--root DIR` / `--root=DIR` wherever it appears before `--` (people
 * add it after the command too), and `-h`/`--help` before the command.
 */
export function parseGlobal(argv: readonly string[]): GlobalArgs {
  const out: GlobalArgs = { help: false, rest: [] };
  let i = 0;
  let passthrough = false;
  while (i < argv.length) {
    const a = argv[i]!;
    i++;
    if (passthrough) {
      out.rest.push(a);
      continue;
    }
    if (a === '--') {
      passthrough = true;
      if (out.command !== undefined) out.rest.push(a);
      continue;
    }
    if (a === '--root' || a.startsWith('--root=')) {
      const value = a === '--root' ? argv[i++] : a.slice('--root='.length);
      if (value === undefined || value === '') throw usageError('--root needs a directory', '--root DIR COMMAND');
      out.root = value;
      continue;
    }
    if (out.command === undefined) {
      if (a === '-h' || a === '--help' || a === 'help') {
        out.help = true;
        continue;
      }
      if (a.startsWith('-')) throw usageError(`unknown option "${a}" (run "snapdesk --help" to see the options)`);
      out.command = a;
      continue;
    }
    out.rest.push(a);
  }
  return out;
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedCommandArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** A command's options, strictly: an unknown option or a missing value is a usage error naming the command's usage. */
export function parseCommandArgs(args: string[], options: OptionSpec, usage: string): ParsedCommandArgs {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    // Node's messages run over several lines; keep the first, it names the problem.
    const message = String((err as Error).message);
    const ambiguous = /^Option '([^']+)' argument is ambiguous\./.exec(message);
    // "ambiguous" is Node's word for a value that starts with a dash ("--level -1"): say what to do instead.
    const spelled = /use '(--[\w-]+)=-XYZ'/.exec(message)?.[1];
    if (ambiguous && spelled) throw usageError(`${ambiguous[1]} needs a value; to give one that starts with "-", write ${spelled}=VALUE`, usage);
    const first = message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw usageError(first, usage);
  }
}

export const stringOpt = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
