/** Entry point of the `snapdesk` CLI (bundled to out/cli/snapdesk.cjs). */
import { terminalLine } from './format';
import { watchInterrupts, type Interrupts } from './interrupt';
import { main } from './main';

// A reader that went away (`snapdesk list | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Caught only while a cancellable command runs; any other ends on the first one, as by default.
let interrupts: Interrupts | null = null;

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  catchInterrupts: () => (interrupts ??= watchInterrupts()).signal,
})
  .then(
    (code) => {
      // exitCode, not exit(): piped stdout must drain before the process ends.
      process.exitCode = interrupts?.exitCode() ?? code;
    },
    (err: unknown) => {
      process.stderr.write(terminalLine(`snapdesk: internal error: ${String(err)}`));
      process.exitCode = 1;
    },
  )
  .finally(() => interrupts?.dispose());
