import { EventEmitter } from 'node:events';
import { createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchInterrupts } from '../../src-core/cli/interrupt';
import { allCommands } from '../../src-core/cli/main';
import { runCli } from './run-cli';

/** A stand-in for `process`: signals are emitted by the test, exit is recorded. */
function fakeProcess(): NodeJS.Process & { exits: number[] } {
  const proc = new EventEmitter() as unknown as NodeJS.Process & { exits: number[] };
  proc.exits = [];
  proc.exit = ((code: number) => void proc.exits.push(code)) as NodeJS.Process['exit'];
  return proc;
}

describe('interrupts of a CLI run', () => {
  it('the first SIGINT, SIGTERM or SIGHUP aborts the signal and sets the shell exit code 128 + its number', () => {
    for (const [name, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      const proc = fakeProcess();
      const interrupts = watchInterrupts(proc);
      expect(interrupts.signal.aborted).toBe(false);
      expect(interrupts.exitCode()).toBeNull();
      proc.emit(name);
      expect(interrupts.signal.aborted).toBe(true);
      expect(interrupts.exitCode()).toBe(code);
      expect(proc.exits).toEqual([]);
    }
  });

  it('a second interrupt ends the process at once; dispose gives the signals back', () => {
    const proc = fakeProcess();
    const interrupts = watchInterrupts(proc);
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([130]);
    interrupts.dispose();
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(proc.listenerCount(name)).toBe(0);
  });
});

describe('cancellable commands roll back when interrupted', () => {
  let root: string;
  let src: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'snapdesk-int-'));
    src = path.join(root, 'src');
    await fs.mkdir(src);
    await fs.writeFile(path.join(src, 'mem'), Buffer.alloc(256 * 1024, 7));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  const store = (): string => path.join(root, 'store');
  /** Every path under the store and the work directory, to compare before and after. */
  const tree = async (): Promise<string[]> => (await fs.readdir(root, { recursive: true })).sort();
  /** Runs a command as if interrupted before it got anywhere: catchInterrupts hands it an aborted signal. */
  const interrupted = (args: string[], stdin?: NodeJS.ReadableStream) => {
    const catchInterrupts = vi.fn(() => AbortSignal.abort());
    return runCli(['--root', store(), ...args], {}, { catchInterrupts, ...(stdin ? { stdin: stdin as never } : {}) }).then((r) => ({ ...r, caught: catchInterrupts.mock.calls.length }));
  };

  it('export, import and create pass the signal on: each ends "cancelled" and leaves the store and the target directory as they were', async () => {
    expect((await runCli(['--root', store(), 'create', '--from-dir', src, '--name', 'vm'])).code).toBe(0);
    expect((await runCli(['--root', store(), 'export', 'vm', '-o', path.join(root, 'vm.tgz')])).code).toBe(0);
    const before = await tree();

    const exp = await interrupted(['export', 'vm', '-o', path.join(root, 'again.tgz')]);
    expect([exp.code, exp.stderr, exp.caught]).toEqual([1, 'snapdesk: export cancelled\n', 1]);
    const imp = await interrupted(['import', path.join(root, 'vm.tgz'), '--name', 'copy']);
    expect([imp.code, imp.stderr, imp.caught]).toEqual([1, 'snapdesk: import cancelled\n', 1]);
    const piped = await interrupted(['import', '--name', 'piped'], createReadStream(path.join(root, 'vm.tgz')));
    expect([piped.code, piped.stderr]).toEqual([1, 'snapdesk: import cancelled\n']);
    const created = await interrupted(['create', '--from-dir', src, '--name', 'other']);
    expect([created.code, created.stderr, created.caught]).toEqual([1, 'snapdesk: create cancelled\n', 1]);

    expect(await tree()).toEqual(before);
  });

  it('only commands that roll back catch interrupts; the rest (list, verify, gc…) end on the first one as usual', async () => {
    expect(allCommands().filter((c) => c.cancellable).map((c) => c.name).sort()).toEqual(['create', 'export', 'import', 'pull', 'push']);
    const list = await interrupted(['list']);
    expect([list.code, list.caught]).toEqual([0, 0]);
  });
});
