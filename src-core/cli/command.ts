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
  /** Aborted when a cancellable command is interrupted; it passes it on, so what it started rolls back. */
  signal: AbortSignal;
}

/** One `snapdesk` subcommand. Returns the exit code; throws SnapDeskError for user errors. */
export interface CliCommand {
  name: string;
  /** e.g. "export REF [-o FILE|-] [--no-gzip] [--level N]" */
  usage: string;
  summary: string;
  /**
   * It hands ctx.signal to everything it starts that would leave something
   * behind if the process died (a pending record, a partial file): the first
   * interrupt aborts that instead of ending the process. Others end at once.
   */
  cancellable?: boolean;
  run(args: string[], ctx: CliContext): Promise<number>;
}
