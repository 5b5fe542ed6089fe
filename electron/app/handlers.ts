import { ZodError } from 'zod';
import type { SnapshotBackend } from '../../src-core/backend';
import { SnapDeskError } from '../../src-core/errors';
import type { ArchiveRegistry } from './archive-registry';
import { calls, parseInput, type AppInfo, type CallInput, type CallName, type CallResult, type Settings } from './contract';
import type { HostServices } from './host';
import type { OpenedArchives } from './opened-archives';
import { registryHandlers } from './registry-handlers';
import type { SettingsStore } from './settings';
import type { TaskManager } from './tasks';
import { implementTrash } from './trash-handlers';

export interface HandlerContext {
  info: AppInfo;
  /** Announces a change of the trash (trash.changed). */
  trashChanged(root: string): void;
  /** The store in use; replaced when the root changes. */
  store(): SnapshotBackend;
  /** Opens the store at the settings' root and restarts the index watcher. */
  switchRoot(settings: Settings): Promise<void>;
  settings: SettingsStore;
  tasks: TaskManager;
  archives: ArchiveRegistry;
  opened: OpenedArchives;
  /** Dialogs, file manager and export delivery of the shell the app runs in. */
  host: HostServices;
  /** Environment for registry credentials (DOCKER_CONFIG, HOME); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** One function per call, taking unvalidated input: what IPC and HTTP both bind. */
export type Handlers = { [K in CallName]: (input: unknown) => Promise<CallResult<K>> };
type Impl = { [K in CallName]: (input: CallInput<K>) => Promise<CallResult<K>> };

/** Zod's issues as short sentences, e.g. `ref: Too big: expected string to have <=256 characters`. */
export function invalidInput(name: string, err: ZodError): SnapDeskError {
  const issues = err.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
  return new SnapDeskError('invalid_input', `invalid input for ${name}: ${issues.join('; ')}`, { call: name, issues });
}

function implement(ctx: HandlerContext): Impl {
  const { tasks, archives, host } = ctx;
  return {
    ...implementTrash({ store: ctx.store, emit: (root) => ctx.trashChanged(root) }),
    'app.info': async () => ctx.info,
    'snapshots.list': () => ctx.store().listSummaries(),
    'snapshots.inspect': ({ ref }) => ctx.store().inspect(ref),
    'snapshots.delete': async ({ refs }) => ({ deleted: await ctx.store().delete(refs) }),
    'snapshots.rename': ({ ref, name, description }) => {
      if (name === undefined && description === undefined) {
        throw new SnapDeskError('invalid_input', 'nothing to change: give a new name or description');
      }
      return ctx.store().rename(ref, { name, description });
    },
    'snapshots.gc': () => ctx.store().gc(),
    'snapshots.export': async ({ ref, gzip, level }) => {
      // Resolve first, so a bad ref fails before any dialog opens.
      const details = await ctx.store().inspect(ref);
      return host.startExport(details, { gzip, level });
    },
    'snapshots.showInFolder': async ({ ref }) => {
      const details = await ctx.store().inspect(ref);
      await host.showInFolder(details.data_dir);
    },
    'archives.pick': async () => {
      const paths = await host.pickArchives();
      return paths.length > 0 ? archives.register(paths) : [];
    },
    'archives.register': async ({ paths }) => archives.register(await host.droppedArchives(paths)),
    'archives.release': ({ archiveId }) => archives.release(archiveId),
    'archives.takeOpened': async () => ctx.opened.take(),
    'archives.preview': async ({ archiveId }) => {
      const { stream } = await archives.openStream(archiveId);
      try {
        return await ctx.store().preview(stream);
      } finally {
        stream.destroy();
      }
    },
    'archives.import': async ({ archiveId, name, description }) => {
      const entry = archives.get(archiveId);
      const store = ctx.store();
      return tasks.start({
        kind: 'import',
        title: `Import ${entry.name}`,
        bytesTotal: entry.size,
        run: async ({ signal, onProgress }) => {
          const { stream, size } = await archives.openStream(archiveId);
          try {
            return { snapshotId: await store.import(stream, { name, description, sizeHint: size, signal, onProgress }) };
          } finally {
            stream.destroy();
          }
        },
        // An uploaded copy has served its purpose once imported or given up; a failed import may be retried under another name.
        onSettled: async (task) => {
          if (entry.temporary && task.state !== 'failed') await archives.release(archiveId);
        },
      });
    },
    'archives.verify': async ({ archiveId }) => {
      const entry = archives.get(archiveId);
      const store = ctx.store();
      return tasks.start({
        kind: 'verify',
        title: `Verify ${entry.name}`,
        bytesTotal: entry.size,
        run: async ({ signal, onProgress }) => {
          const { stream } = await archives.openStream(archiveId);
          try {
            return { report: await store.verify(stream, { signal, onProgress }) };
          } finally {
            stream.destroy();
          }
        },
      });
    },
    'tasks.list': async () => tasks.list(),
    'tasks.cancel': async ({ taskId }) => tasks.cancel(taskId),
    'tasks.clear': async () => tasks.clear(),
    'tasks.showInFolder': async ({ taskId }) => {
      const task = tasks.get(taskId);
      if (!task || task.kind !== 'export' || task.state !== 'done') {
        throw new SnapDeskError('invalid_input', 'only a finished export has a file to show', { taskId });
      }
      await host.showExport(taskId);
    },
    'settings.get': async () => ctx.settings.get(),
    'settings.chooseRoot': async () => {
      const dir = await host.chooseRoot(ctx.settings.get().root);
      if (!dir) return null;
      const settings = await ctx.settings.setRoot(dir);
      await ctx.switchRoot(settings);
      return settings;
    },
    'settings.resetRoot': async () => {
      const settings = await ctx.settings.resetRoot();
      await ctx.switchRoot(settings);
      return settings;
    },
    ...registryHandlers({ store: ctx.store, tasks, ...(ctx.env ? { env: ctx.env } : {}) }),
  };
}

/** Validates each call's input against the contract, then runs it. */
export function createHandlers(ctx: HandlerContext): Handlers {
  const impl = implement(ctx);
  const handlers = {} as Record<CallName, (input: unknown) => Promise<unknown>>;
  for (const name of Object.keys(calls) as CallName[]) {
    const run = impl[name] as (input: unknown) => Promise<unknown>;
    handlers[name] = async (input: unknown) => {
      let parsed: unknown;
      try {
        parsed = parseInput(name, input);
      } catch (err) {
        if (err instanceof ZodError) throw invalidInput(name, err);
        throw err;
      }
      return run(parsed);
    };
  }
  return handlers as Handlers;
}
