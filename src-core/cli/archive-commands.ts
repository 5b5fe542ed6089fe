/**
 * snapdesk's archive commands: export, import, verify, preview. Data goes to
 * stdout only when asked for with "-" (so `snapdesk export a -o - | snapdesk
 * --root other import -` works); progress is drawn on stderr, and only when
 * stderr is a terminal.
 */
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ARCHIVE_READ_CHUNK } from '../archive/archive-source';
import { SnapDeskError } from '../errors';
import { ARCHIVE_EXTENSIONS_TEXT, escapeUnsafe, exportFileName, formatBytes, formatCount } from '../rules';
import { importAdvice } from '../archive/preview';
import type { Progress, SnapshotConfig } from '../types';
import { parseCommandArgs, stringOpt, usageError } from './args';
import type { CliCommand, CliContext } from './command';
import { terminalJson, terminalLine } from './format';
import { withTextOptionHint } from './text-hints';

/** A one-line progress bar on stderr, redrawn at most 10 times a second; a no-op off a terminal. */
export function progressBar(ctx: CliContext, label: string): { onProgress?: (p: Progress) => void; done(): void } {
  if (!ctx.stderrIsTTY) return { done: () => undefined };
  let last = 0;
  let drawn = false;
  const draw = (p: Progress): void => {
    const total = p.bytesTotal && p.bytesTotal > 0 ? p.bytesTotal : undefined;
    const ratio = total ? Math.min(1, p.bytesDone / total) : 0;
    const width = 24;
    const bar = total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, ' ')}] ${Math.floor(ratio * 100)}%` : '';
    const amount = total ? `${formatBytes(p.bytesDone)} / ${formatBytes(total)}` : formatBytes(p.bytesDone);
    const file = p.file ? ` ${escapeUnsafe(p.file.slice(0, 40))}` : '';
    ctx.stderr.write(`\r\u001b[2K${label} ${bar} ${amount}${file}`);
    drawn = true;
  };
  return {
    onProgress(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(p);
    },
    done() {
      if (drawn) ctx.stderr.write('\r\u001b[2K');
    },
  };
}

/** FILE or "-" (stdin) as a stream, with its size for progress when known. */
async function openInput(ctx: CliContext, file: string | undefined): Promise<{ stream: Readable; size?: number }> {
  if (file === undefined || file === '-') return { stream: ctx.stdin };
  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new SnapDeskError('invalid_input', `${file} is not a regular file`, { path: file });
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new SnapDeskError('invalid_input', `no such file: ${file}`, { path: file });
    throw err;
  }
  return { stream: createReadStream(file, { highWaterMark: ARCHIVE_READ_CHUNK }), size };
}

function parseLevel(text: string | undefined, usage: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]$/.test(text)) throw usageError(`--level must be a number from 1 (fast) to 9 (small), not "${text}"`, usage);
  return Number(text);
}

const exportCommand: CliCommand = {
  name: 'export',
  cancellable: true,
  usage: 'export REF [-o FILE|-] [--no-gzip] [--level N] [--force]',
  summary: 'Write a snapshot as a cocoon archive (default ./<name>.tgz; "-o -" writes to stdout; --level 1-9, default 1)',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { output: { type: 'string', short: 'o' }, 'no-gzip': { type: 'boolean' }, level: { type: 'string' }, force: { type: 'boolean' } },
      this.usage,
    );
    if (positionals.length !== 1) throw usageError('export takes exactly one REF', this.usage);
    const gzip = !values['no-gzip'];
    const level = parseLevel(stringOpt(values.level), this.usage);
    if (!gzip && level !== undefined) throw usageError('--level applies to gzip output only; drop --no-gzip or --level', this.usage);
    const snapshot = await ctx.store.inspect(positionals[0]!);
    const opts = { gzip, ...(level !== undefined ? { level } : {}), signal: ctx.signal };
    const output = stringOpt(values.output);
    if (output === '-') {
      const { stream } = await ctx.store.export(snapshot.id, opts);
      await pipeline(stream, ctx.stdout, { end: false, signal: ctx.signal });
      return 0;
    }
    const file = output ?? exportFileName(snapshot, gzip);
    if (!values.force && (await fs.stat(file).then(() => true, () => false))) {
      throw new SnapDeskError('invalid_input', `${file} already exists; choose another file with -o, or add --force to replace it`, { path: file });
    }
    const bar = progressBar(ctx, 'exporting');
    try {
      const { bytes } = await ctx.store.exportToFile(snapshot.id, file, { ...opts, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) });
      bar.done();
      ctx.stderr.write(terminalLine(`exported ${snapshot.name || snapshot.id} to ${path.resolve(file)} (${formatBytes(bytes)})`));
    } finally {
      bar.done();
    }
    return 0;
  },
};

const importCommand: CliCommand = {
  name: 'import',
  cancellable: true,
  usage: 'import [FILE|-] [--name N] [--description D]',
  summary: `Store a cocoon archive (${ARCHIVE_EXTENSIONS_TEXT}; "-" or nothing reads stdin) as a new snapshot; prints its ID`,
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { name: { type: 'string' }, description: { type: 'string' } }, this.usage);
    if (positionals.length > 1) throw usageError('import takes at most one FILE', this.usage);
    const input = await openInput(ctx, positionals[0]);
    const bar = progressBar(ctx, 'importing');
    try {
      const id = await ctx.store
        .import(input.stream, {
          ...(stringOpt(values.name) !== undefined ? { name: stringOpt(values.name) } : {}),
          ...(stringOpt(values.description) !== undefined ? { description: stringOpt(values.description) } : {}),
          ...(input.size !== undefined ? { sizeHint: input.size } : {}),
          ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          signal: ctx.signal,
        })
        .catch(async (err: unknown) => {
          bar.done();
          throw await withTextOptionHint(err, ctx);
        });
      bar.done();
      ctx.stdout.write(terminalLine(id));
    } finally {
      bar.done();
    }
    return 0;
  },
};

const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify FILE|- [--json]',
  summary: 'Check a whole archive (headers, names, sparse maps, gzip CRC) without storing anything',
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, this.usage);
    if (positionals.length !== 1) throw usageError('verify takes exactly one FILE', this.usage);
    const input = await openInput(ctx, positionals[0]);
    const bar = progressBar(ctx, 'verifying');
    let report;
    try {
      report = await ctx.store.verify(input.stream, { ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) });
    } finally {
      bar.done();
    }
    if (values.json) {
      ctx.stdout.write(terminalJson(report));
      return 0;
    }
    const sparse = report.files.filter((f) => f.sparse).length;
    ctx.stdout.write(
      terminalLine(
        `OK: ${report.config.name ? JSON.stringify(report.config.name) : '(unnamed)'} — ${formatCount(report.files.length, 'data file')}, ` +
          `${formatBytes(report.dataSize)}${sparse ? ` (${sparse} sparse)` : ''}, ${report.gzip ? 'gzip' : 'raw tar'}, ${formatBytes(report.archiveBytes)} archive`,
      ),
    );
    // The archive is sound, but an import here would still stop at its name or description: said now, with the option to pass.
    for (const note of await importNotes(report.config, ctx)) ctx.stdout.write(terminalLine(`note: ${note}`));
    return 0;
  },
};

/** What an import into this store would refuse in `config`, as sentences naming the option that gets past it. */
async function importNotes(config: SnapshotConfig, ctx: CliContext): Promise<string[]> {
  const advice = await importAdvice(config, ctx.store);
  const option = `--name ${advice.suggestedName ? JSON.stringify(advice.suggestedName) : 'NAME'}`;
  const notes: string[] = [];
  if (advice.nameProblem) notes.push(`${advice.nameProblem} Import it with ${option}.`);
  else if (advice.nameTaken) notes.push(`a snapshot named ${JSON.stringify(config.name)} is already in this store; import it with ${option}.`);
  if (advice.descriptionProblem) notes.push(`${advice.descriptionProblem} Import it with --description TEXT.`);
  return notes;
}

const previewCommand: CliCommand = {
  name: 'preview',
  usage: 'preview FILE|-',
  summary: "Show an archive's snapshot.json as JSON (reads only the first entry), whether its name is free here, and a name to use when it is not",
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, this.usage);
    if (positionals.length !== 1) throw usageError('preview takes exactly one FILE', this.usage);
    const input = await openInput(ctx, positionals[0]);
    ctx.stdout.write(terminalJson(await ctx.store.preview(input.stream)));
    return 0;
  },
};

/** export, import, verify, preview. */
export const archiveCommands: CliCommand[] = [exportCommand, importCommand, verifyCommand, previewCommand];
