/**
 * Interrupts of a CLI run: the first SIGINT, SIGTERM or SIGHUP aborts the
 * run's AbortSignal, so a transfer in progress rolls back (an import's
 * pending record, data and lease; an export's hidden partial file) before
 * the process ends; a second one ends it at once. The exit code is then the
 * shell's for that signal, 128 + its number.
 */
import { constants } from 'node:os';

const WATCHED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Watched = (typeof WATCHED)[number];

export interface Interrupts {
  /** Aborted by the first interrupt. */
  signal: AbortSignal;
  /** 128 + the signal's number once one came, else null. */
  exitCode(): number | null;
  /** Stops listening (the process's default handling returns). */
  dispose(): void;
}

export function watchInterrupts(proc: NodeJS.Process = process): Interrupts {
  const ac = new AbortController();
  let received: Watched | null = null;
  const codeOf = (name: Watched): number => 128 + constants.signals[name];
  const handlers = WATCHED.map((name) => {
    const onSignal = (): void => {
      if (received !== null) proc.exit(codeOf(name));
      received = name;
      ac.abort();
    };
    proc.on(name, onSignal);
    return [name, onSignal] as const;
  });
  return {
    signal: ac.signal,
    exitCode: () => (received === null ? null : codeOf(received)),
    dispose: () => handlers.forEach(([name, onSignal]) => proc.off(name, onSignal)),
  };
}
