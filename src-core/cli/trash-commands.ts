/**
 * snapdesk trash: what the app's Delete moved aside. `snapdesk rm` stays
 * permanent, as cocoon's is; these commands list, restore and empty the trash.
 */
import { isSnapDeskError, SnapDeskError } from '../errors';
import { parseCommandArgs, stringOpt, usageError } from './args';
import { requireExistingRoot, type CliCommand, type CliContext } from './command';
import { formatBytes, formatCount } from '../rules';
import { formatTable, formatTime, terminalJson, terminalLine } from './format';

/** One line on stdout, escaped (see ./format). */
const print = (ctx: CliContext, text: string): void => {
  ctx.stdout.write(terminalLine(text));
};

const SHORT_ID = 12;
const USAGE = 'trash list [--json] | trash restore REF [--name NAME] | trash rm REF... | trash empty';

async function list(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, 'trash list [--json]');
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'trash list [--json]');
  await requireExistingRoot(ctx);
  const summary = await ctx.store.trash.list();
  if (values.json) {
    ctx.stdout.write(terminalJson(summary));
    return 0;
  }
  const rows = summary.items.map((i) => [i.snapshot.id.slice(0, SHORT_ID), i.snapshot.name === '' ? '-' : i.snapshot.name, formatBytes(i.size), formatTime(i.deletedAt), formatTime(i.purgeAt)]);
  ctx.stdout.write(formatTable(['ID', 'NAME', 'SIZE', 'DELETED (UTC)', 'PURGED AFTER (UTC)'], rows));
  print(ctx, `${summary.items.length} in the trash, ${formatBytes(summary.totalSize)}; kept ${summary.settings.retentionDays} days`);
  return 0;
}

async function restore(args: string[], ctx: CliContext): Promise<number> {
  const usage = 'trash restore REF [--name NAME]';
  const { values, positionals } = parseCommandArgs(args, { name: { type: 'string' } }, usage);
  if (positionals.length !== 1) throw usageError('trash restore takes exactly one REF', usage);
  await requireExistingRoot(ctx);
  const name = stringOpt(values.name);
  try {
    const snapshot = await ctx.store.trash.restore(positionals[0]!, name !== undefined ? { name } : {});
    print(ctx, snapshot.id);
    return 0;
  } catch (err) {
    if (isSnapDeskError(err, 'name_conflict') && typeof err.details?.suggestedName === 'string') {
      throw new SnapDeskError('name_conflict', `${err.message}: run "snapdesk trash restore ${positionals[0]} --name ${JSON.stringify(err.details.suggestedName)}"`, err.details);
    }
    throw err;
  }
}

async function rm(args: string[], ctx: CliContext): Promise<number> {
  const usage = 'trash rm REF...';
  const { positionals } = parseCommandArgs(args, {}, usage);
  if (positionals.length === 0) throw usageError('trash rm needs at least one REF', usage);
  await requireExistingRoot(ctx);
  for (const id of await ctx.store.trash.deleteForever(positionals)) print(ctx, id);
  return 0;
}

async function empty(args: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, 'trash empty');
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'trash empty');
  await requireExistingRoot(ctx);
  const ids = await ctx.store.trash.empty();
  print(ctx, `deleted ${formatCount(ids.length, 'snapshot')} for ever`);
  return 0;
}

const SUBCOMMANDS: Record<string, (args: string[], ctx: CliContext) => Promise<number>> = { list, restore, rm, empty };

export const trashCommand: CliCommand = {
  name: 'trash',
  usage: USAGE,
  summary: 'Snapshots the app deleted (rm is permanent): list them, restore one with its ID (--name if its name was taken), delete some or all for ever',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const run = sub !== undefined ? SUBCOMMANDS[sub] : undefined;
    if (!run || !Object.hasOwn(SUBCOMMANDS, sub!)) throw usageError(sub === undefined ? 'trash needs a subcommand' : `unknown trash subcommand "${sub}"`, USAGE);
    return run(rest, ctx);
  },
};
