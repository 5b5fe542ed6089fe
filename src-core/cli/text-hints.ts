/**
 * A refused name or description, told the CLI way: which option to pass,
 * with a cleaned value that is free in this store as the example.
 */
import { isSnapDeskError, SnapDeskError } from '../errors';
import type { CliContext } from './command';

/** Single-quoted for a POSIX shell: the example can be pasted as it is. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * `err` with the option to pass added when it is a refused or taken name
 * (`--name`) or a refused description (`--description`); anything else
 * unchanged.
 */
export async function withTextOptionHint(err: unknown, ctx: CliContext): Promise<unknown> {
  if (isSnapDeskError(err, 'name_conflict') && typeof err.details?.name === 'string') {
    const free = await ctx.store.suggestFreeName(err.details.name);
    return new SnapDeskError(err.code, `${err.message} with --name NAME, e.g. --name ${shellQuote(free)}.`, { ...err.details, suggestedName: free }, { cause: err });
  }
  if (!isSnapDeskError(err, 'invalid_input')) return err;
  const field = err.details?.field;
  if (field !== 'name' && field !== 'description') return err;
  const cleaned = err.details?.suggestion;
  let example = '';
  if (typeof cleaned === 'string' && cleaned !== '') {
    example = field === 'name' ? await ctx.store.suggestFreeName(cleaned) : cleaned;
  }
  const option = field === 'name' ? '--name NAME' : '--description TEXT';
  const eg = example !== '' ? `, e.g. --${field} ${shellQuote(example)}` : '';
  return new SnapDeskError(err.code, `${err.message} Give the snapshot another ${field} with ${option}${eg}.`, err.details, { cause: err });
}
