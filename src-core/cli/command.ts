import { promises as fs } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ROOT_ENV } from '../default-root';
import { SnapDeskError } from '../errors';
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

/**
 * For commands that only change what a store holds (rm, rename, gc, trash):
 * a root that does not exist is a mistyped --root, said in words, rather
 * than a place to create the store's folders (taking the lock would).
 */
export async function requireExistingRoot(ctx: CliContext): Promise<void> {
  const root = ctx.store.root;
  if (await fs.stat(root).then((st) => st.isDirectory(), () => false)) return;
  throw new SnapDeskError('not_found', `there is no snapshot store at ${root} (no such folder); check --root or $${ROOT_ENV}`, { path: root });
}
