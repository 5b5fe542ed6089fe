/**
 * snapdesk: the command line over the same store the app uses. Errors are
 * one line on stderr and exit code 1, worded so a person knows what to do.
 */
import type { Readable, Writable } from 'node:stream';
import { defaultRoot, ROOT_ENV, resolveRoot } from '../default-root';
import { toSnapDeskError } from '../errors';
import { ARCHIVE_EXTENSIONS_TEXT } from '../rules';
import { openStore } from '../localfile';
import { parseGlobal } from './args';
import { archiveCommands } from './archive-commands';
import { registryCommands } from './registry-commands';
import type { CliCommand } from './command';
import { terminalLine, terminalText } from './format';
import { storeCommands } from './store-commands';
import { trashCommand } from './trash-commands';

export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** For a cancellable command: starts catching interrupts and gives the signal they abort (snapdesk.ts: SIGINT, SIGTERM, SIGHUP). */
  catchInterrupts?: () => AbortSignal;
}

export const allCommands = (): CliCommand[] => [...storeCommands, trashCommand, ...archiveCommands, ...registryCommands];

export function helpText(env: NodeJS.ProcessEnv): string {
  const commands = allCommands();
  return [
    'Usage: snapdesk [--root DIR] COMMAND [ARGS]',
    '',
    `Manages cocoon VM snapshots: the localfile store under DIR/snapshot/ and portable archives (${ARCHIVE_EXTENSIONS_TEXT}).`,
    '',
    'Commands:',
    // Usage on one line, what it does on the next: long usages stay readable in 80 columns.
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'Options:',
    `  --root DIR   the store root, e.g. a cocoon root such as /var/lib/cocoon (default: $${ROOT_ENV}, else ${defaultRoot({ env })})`,
    '  -h, --help   this help; "snapdesk COMMAND --help" shows one command',
    '',
    'REF is a snapshot ID, its exact name, or a unique ID prefix of at least 3 characters.',
    '',
  ].join('\n');
}

const wantsHelp = (args: string[]): boolean => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
};

/** One line, always, with anything unsafe (line breaks too) escaped: a message may quote a name or an archive's text. */
export const errorLine = (err: unknown): string => terminalLine(`snapdesk: ${toSnapDeskError(err).message}`);

export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const global = parseGlobal(argv);
    if (global.help || global.command === undefined) {
      (global.help ? io.stdout : io.stderr).write(terminalText(helpText(io.env)));
      return global.help ? 0 : 1;
    }
    const command = allCommands().find((c) => c.name === global.command);
    if (!command) {
      io.stderr.write(terminalLine(`snapdesk: unknown command "${global.command}" (run "snapdesk --help" to see the commands)`));
      return 1;
    }
    if (wantsHelp(global.rest)) {
      io.stdout.write(terminalText(`Usage: snapdesk ${command.usage}\n\n${command.summary}\n`));
      return 0;
    }
    const { root } = resolveRoot({ ...(global.root !== undefined ? { cliRoot: global.root } : {}), env: io.env });
    const store = openStore({ root });
    const signal = (command.cancellable ? io.catchInterrupts?.() : undefined) ?? new AbortController().signal;
    return await command.run(global.rest, { store, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, stderrIsTTY: io.stderrIsTTY, env: io.env, signal });
  } catch (err) {
    io.stderr.write(errorLine(err));
    return 1;
  }
}
