/** Entry point of the `snapdesk` CLI (bundled to out/cli/snapdesk.cjs). */
import { terminalLine } from './format';
import { main } from './main';

// A reader that went away (`snapdesk list | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
}).then(
  (code) => {
    // exitCode, not exit(): piped stdout must drain before the process ends.
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(terminalLine(`snapdesk: internal error: ${String(err)}`));
    process.exitCode = 1;
  },
);
