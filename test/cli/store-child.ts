/**
 * A child process for crash tests: does one store operation and stops in the
 * middle of it, saying so on stdout, so the parent can SIGKILL it there.
 *   create ROOT ID NAME  — creates from a tar stream that stalls after one and a half files
 *   import ROOT NAME     — imports an archive that stalls inside its first data file
 *   hold-lock ROOT       — takes the store's exclusive lock and keeps it
 *   trash-step ROOT STEP OP REF [NAME] — runs a trash operation (trash, restore
 *                          [as NAME], purge) and stops at the named step
 */
import { openStore } from '../../src-core/localfile';
import { StoreLock } from '../../src-core/lock';
import { storePaths } from '../../src-core/paths';
import { stalledArchive, stallingTar } from '../core/fixtures';

const [mode, root, id, name] = process.argv.slice(2);
// A stalled stream holds no handle of its own: keep the process alive until it is killed.
setInterval(() => undefined, 1 << 30);

if (mode === 'create') {
  void openStore({ root: root! }).create({ id: id!, name: name! }, stallingTar(() => process.stdout.write('stalled\n')));
} else if (mode === 'import') {
  void openStore({ root: root! }).import(stalledArchive(id!, () => process.stdout.write('stalled\n')));
} else if (mode === 'trash-step') {
  const [, , step, op, ref, newName] = process.argv.slice(2);
  const onStep = async (at: string): Promise<void> => {
    if (at !== step) return;
    process.stdout.write(`at ${at}\n`);
    await new Promise(() => undefined);
  };
  const { trash } = openStore({ root: root! });
  if (op === 'trash') void trash.moveToTrash([ref!], { onStep });
  else if (op === 'restore') void trash.restore(ref!, { onStep, ...(newName !== undefined ? { name: newName } : {}) });
  else void trash.deleteForever([ref!], { onStep });
} else if (mode === 'hold-lock') {
  void new StoreLock(storePaths(root!)).withExclusive(async () => {
    process.stdout.write('locked\n');
    await new Promise(() => undefined);
  });
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
