import type { Readable, Writable } from 'node:stream';
import type { LocalFileStore } from '../localfile';

export interface CliContext {
  store: LocalFileStore;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** stderr is a terminal: progress bars allowed. */
  stderrIsTTY: boolean;
  /** The environment (DOCKER_CONFIG, HOME for registry credentials). */
  env: NodeJS.ProcessEnv;
}

/** One `snapdesk` subcommand. Returns the exit code; throws SnapDeskError for user errors. */
export interface CliCommand {
  name: string;
  /** e.g. "export REF [-o FILE|-] [--no-gzip] [--level N]" */
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}
