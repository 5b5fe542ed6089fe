// `npm run web -- --root DIR [--port N]`: the app in a browser, served on
// loopback; the printed address carries the sign-in token in its fragment.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebServer } from './server';

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { root: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run web -- [--root DIR] [--port N]\n\nServes Snapshot Desk on http://127.0.0.1 for a local browser; open the printed address (its #token=… signs the page in).\n');
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}"`);
  // npm runs scripts from the package folder; a relative --root means the user's own folder.
  const root = values.root === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.root);
  const server = await startWebServer({ root, port, version: version() });
  process.stdout.write(`Snapshot Desk is serving the store at ${server.context.store().root}\nOpen: ${server.url}\n`);
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    // Running tasks are cancelled and their partial output removed before exit.
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`snapdesk web: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
