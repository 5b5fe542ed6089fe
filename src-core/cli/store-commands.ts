/** snapdesk's store commands: list, inspect, rm, rename, gc, create. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { packDataDir } from '../archive/tar-pack';
import { SnapDeskError } from '../errors';
import { newSnapshotId } from '../ids';
import { validateConfig } from '../record';
import type { SnapshotConfig } from '../types';
import { parseCommandArgs, stringOpt, usageError } from './args';
import { requireExistingRoot, type CliCommand, type CliContext } from './command';
import { formatBytes, formatCount } from '../rules';
import { formatTable, formatTime, terminalJson, terminalLine } from './format';
import { withTextOptionHint } from './text-hints';
import { validateDescription, validateName } from '../names';

/** One line on stdout, escaped (see ./format). */
const print = (ctx: CliContext, text: string): void => {
  ctx.stdout.write(terminalLine(text));
};

const printJson = (ctx: CliContext, value: unknown): void => {
  ctx.stdout.write(terminalJson(value));
};

/** Short IDs in the table: 12 of 26 characters (60 bits) are unique in any real store and still a valid prefix ref. */
const SHORT_ID = 12;

const list: CliCommand = {
  name: 'list',
  usage: 'list [--json]',
  summary: 'List snapshots, oldest first (--json: full records with cocoon field names)',
  async run(args, ctx) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } }, this.usage);
    if (values.json) {
      printJson(ctx, await ctx.store.list());
      return 0;
    }
    const rows = (await ctx.store.listSummaries()).map((s) => [
      s.id.slice(0, SHORT_ID),
      s.name === '' ? '-' : s.name,
      s.hypervisor ?? '-',
      s.cpu ? String(s.cpu) : '-',
      s.memory ? formatBytes(s.memory) : '-',
      s.usage ? formatBytes(s.usage.allocated) : '?',
      formatTime(s.created_at),
    ]);
    ctx.stdout.write(formatTable(['ID', 'NAME', 'HYPERVISOR', 'CPU', 'MEMORY', 'SIZE', 'CREATED (UTC)'], rows));
    return 0;
  },
};

const inspect: CliCommand = {
  name: 'inspect',
  usage: 'inspect REF',
  summary: 'Show one snapshot as JSON: its record, data directory, files and disk usage',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, this.usage);
    if (positionals.length !== 1) throw usageError('inspect takes exactly one REF', this.usage);
    printJson(ctx, await ctx.store.inspect(positionals[0]!));
    return 0;
  },
};

const rm: CliCommand = {
  name: 'rm',
  usage: 'rm REF...',
  summary: 'Delete snapshots for ever, as cocoon does (all refs are resolved first; nothing is deleted if one is wrong); prints the deleted IDs. The app moves to the trash instead: see "trash"',
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, this.usage);
    if (positionals.length === 0) throw usageError('rm needs at least one REF', this.usage);
    await requireExistingRoot(ctx);
    for (const id of await ctx.store.delete(positionals)) print(ctx, id);
    return 0;
  },
};

const rename: CliCommand = {
  name: 'rename',
  usage: 'rename REF [--name NAME] [--description TEXT]',
  summary: 'Change the name and/or description of a snapshot (--name "" makes it unnamed); prints its ID',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { name: { type: 'string' }, description: { type: 'string' } }, this.usage);
    if (positionals.length !== 1) throw usageError('rename takes exactly one REF', this.usage);
    const name = stringOpt(values.name);
    const description = stringOpt(values.description);
    if (name === undefined && description === undefined) throw usageError('give --name and/or --description', this.usage);
    const patch = { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) };
    const snapshot = await (async () => {
      // The text is checked first: a wrong --name is the thing to fix whichever store it was meant for.
      if (name !== undefined) validateName(name);
      if (description !== undefined) validateDescription(description);
      await requireExistingRoot(ctx);
      return ctx.store.rename(positionals[0]!, patch);
    })().catch(async (err: unknown) => {
      throw await withTextOptionHint(err, ctx);
    });
    print(ctx, snapshot.id);
    return 0;
  },
};

const gc: CliCommand = {
  name: 'gc',
  usage: 'gc',
  summary: 'Remove orphan data directories and pending records older than 24 h; finish interrupted trash moves; delete from the trash what is past its retention or what low free space requires',
  async run(args, ctx) {
    parseCommandArgs(args, {}, this.usage);
    await requireExistingRoot(ctx);
    const report = await ctx.store.gc();
    print(ctx, `removed ${formatCount(report.removedOrphanDirs.length, 'orphan data directory', 'orphan data directories')} and ${formatCount(report.removedStalePending.length, 'stale pending record')}`);
    for (const id of report.removedOrphanDirs) print(ctx, `orphan ${id}`);
    for (const id of report.removedStalePending) print(ctx, `pending ${id}`);
    for (const id of report.purgedFromTrash ?? []) print(ctx, `trash ${id}`);
    return 0;
  },
};

function parseConfigOption(json: string | undefined): SnapshotConfig {
  if (json === undefined) return { name: '' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new SnapDeskError('invalid_input', `--config is not valid JSON: ${(err as Error).message}`);
  }
  return validateConfig(raw);
}

const create: CliCommand = {
  name: 'create',
  cancellable: true,
  usage: 'create --from-dir DIR [--name NAME] [--description TEXT] [--config JSON]',
  summary: "Store DIR's regular files (flat) as a new snapshot; --config sets record fields (cpu, memory, hypervisor, …); prints the new ID",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'from-dir': { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, config: { type: 'string' } },
      this.usage,
    );
    if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, this.usage);
    const dir = stringOpt(values['from-dir']);
    if (!dir) throw usageError('create needs --from-dir DIR', this.usage);
    const st = await fs.stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new SnapDeskError('invalid_input', `--from-dir ${dir} is not a directory`, { path: dir });
    const cfg = parseConfigOption(stringOpt(values.config));
    const name = stringOpt(values.name);
    const description = stringOpt(values.description);
    // A new snapshot always gets a new ID, whatever --config says.
    const config: SnapshotConfig = { ...cfg, id: newSnapshotId(), ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) };
    const id = await ctx.store.create(config, packDataDir(path.resolve(dir)), { signal: ctx.signal }).catch(async (err: unknown) => {
      throw await withTextOptionHint(err, ctx);
    });
    print(ctx, id);
    return 0;
  },
};

export const storeCommands: CliCommand[] = [list, inspect, rm, rename, gc, create];
