/** Runs snapdesk's main() in-process with captured output. */
import { PassThrough, Readable } from 'node:stream';
import { main, type CliIO } from '../../src-core/cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `io` replaces parts of the default input and output (stdin, catchInterrupts). */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}, io: Partial<CliIO> = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(argv, { stdin: Readable.from([]), stdout, stderr, stderrIsTTY: false, env, ...io });
  return { code, stdout: out, stderr: err };
}
