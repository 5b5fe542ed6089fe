import type { SnapshotBackend } from '../../src-core/backend';
import { ArchiveRegistry } from './archive-registry';
import type { AppInfo, Settings } from './contract';
import { EventBus } from './events';
import { OpenedArchives } from './opened-archives';
import { createHandlers, type Handlers } from './handlers';
import type { HostServices } from './host';
import type { SettingsStore } from './settings';
import { watchStore, watchTrash, type StoreWatcher, type StoreWatchOptions } from './store-watch';
import { TaskManager, type TaskManagerOptions } from './tasks';
import { startTrashUpkeep } from './trash-handlers';

export interface AppContextOptions<H extends HostServices = HostServices> {
  info: AppInfo;
  settings: SettingsStore;
  openStore(root: string): Promise<SnapshotBackend> | SnapshotBackend;
  /** The shell's host services (dialogs, file manager, export delivery), given the store in use and the tasks. */
  makeHost(deps: { store(): SnapshotBackend; tasks: TaskManager }): H;
  /** Taskbar progress and notifications (desktop). */
  taskHooks?: Pick<TaskManagerOptions, 'onAggregate' | 'onFinished' | 'concurrency'>;
  /** Index watching; false turns it off. */
  watch?: StoreWatchOptions | false;
}

export interface AppContext<H extends HostServices = HostServices> {
  bus: EventBus;
  tasks: TaskManager;
  archives: ArchiveRegistry;
  opened: OpenedArchives;
  handlers: Handlers;
  host: H;
  store(): SnapshotBackend;
  /** Registers files opened with the app (bad ones are skipped) and hands them to the renderer. */
  openFiles(paths: string[]): Promise<void>;
  /** Cancels tasks (waiting for their cleanup), stops watching, deletes uploaded copies. */
  close(): Promise<void>;
}

/** Everything both shells share: the store, tasks, archives, events and the handlers over them. */
export async function createAppContext<H extends HostServices>(opts: AppContextOptions<H>): Promise<AppContext<H>> {
  const bus = new EventBus();
  const tasks = new TaskManager({ ...opts.taskHooks, onUpdate: (task) => bus.emit('task.updated', task) });
  const archives = new ArchiveRegistry();
  const opened = new OpenedArchives(bus);
  let store = await opts.openStore(opts.settings.get().root);
  let watchers: StoreWatcher[] = [];

  const watchRoot = (root: string): void => {
    for (const w of watchers) w.close();
    watchers = [];
    if (opts.watch !== false) {
      watchers.push(watchStore(root, () => bus.emit('store.changed', { root }), opts.watch));
      // The CLI's `snapdesk trash` changes it too; the window's trash count and dialog follow.
      watchers.push(watchTrash(root, () => bus.emit('trash.changed', { root }), opts.watch));
    }
  };
  watchRoot(store.root);

  const switchRoot = async (settings: Settings): Promise<void> => {
    // Running tasks keep the store they started with; new calls use the new one.
    store = await opts.openStore(settings.root);
    watchRoot(store.root);
    bus.emit('store.changed', { root: store.root });
  };

  const current = (): SnapshotBackend => store;
  const host = opts.makeHost({ store: current, tasks });
  const trashChanged = (root: string): void => bus.emit('trash.changed', { root });
  const stopTrashUpkeep = startTrashUpkeep(current, trashChanged);
  const handlers = createHandlers({
    info: opts.info,
    trashChanged,
    store: current,
    switchRoot,
    settings: opts.settings,
    tasks,
    archives,
    opened,
    host,
  });

  return {
    bus,
    tasks,
    archives,
    opened,
    handlers,
    host,
    store: current,
    async openFiles(paths) {
      const refs = [];
      for (const path of paths) {
        try {
          refs.push(...(await archives.register([path])));
        } catch (err) {
          console.error(`snapdesk: not opening ${path}:`, err instanceof Error ? err.message : err);
        }
      }
      opened.add(refs);
    },
    async close() {
      for (const w of watchers) w.close();
      stopTrashUpkeep();
      await tasks.shutdown();
      await archives.releaseAll();
    },
  };
}
