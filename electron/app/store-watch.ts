import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { storePaths } from '../../src-core/paths';
import { trashPaths } from '../../src-core/trash/trash-index';

export interface StoreWatchOptions {
  /** Quiet time before one change notification is sent for a burst of writes. */
  debounceMs?: number;
  /** How often to look for the index directory while it does not exist yet. */
  pollMs?: number;
}

export interface StoreWatcher {
  close(): void;
}

/** Calls `onChange` when the snapshot index of the store at `root` changes, whoever wrote it (this app, the CLI, cocoon). */
export function watchStore(root: string, onChange: () => void, opts: StoreWatchOptions = {}): StoreWatcher {
  const { dbDir, indexFile } = storePaths(root);
  return watchIndexFile(dbDir, path.basename(indexFile), onChange, opts);
}

/** Calls `onChange` when the trash index of the store at `root` changes (this app or `snapdesk trash` in a terminal). */
export function watchTrash(root: string, onChange: () => void, opts: StoreWatchOptions = {}): StoreWatcher {
  const { root: trashDir, indexFile } = trashPaths(storePaths(root));
  return watchIndexFile(trashDir, path.basename(indexFile), onChange, opts);
}

/**
 * Calls `onChange` when the file `indexName` in `dbDir` is replaced.
 * Watches the directory rather than the file because every index write is a
 * rename of a temp file over it, which a file watch would lose. While the
 * directory does not exist (a fresh root, an empty trash), it polls for it,
 * and it goes back to polling if the directory disappears.
 */
function watchIndexFile(dbDir: string, indexName: string, onChange: () => void, opts: StoreWatchOptions): StoreWatcher {
  const debounceMs = opts.debounceMs ?? 150;
  const pollMs = opts.pollMs ?? 1000;
  let watcher: FSWatcher | null = null;
  let poll: NodeJS.Timeout | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let closed = false;

  const fire = (): void => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      if (!closed) onChange();
    }, debounceMs);
  };

  const startPolling = (): void => {
    if (closed || poll) return;
    poll = setInterval(() => {
      if (tryWatch()) {
        if (poll) clearInterval(poll);
        poll = null;
        // The directory appeared: whatever was written in it is a change.
        fire();
      }
    }, pollMs);
    poll.unref();
  };

  // The directory went away (root removed or replaced): the store changed; wait for it to come back.
  const lost = (): void => {
    watcher?.close();
    watcher = null;
    fire();
    startPolling();
  };

  const tryWatch = (): boolean => {
    try {
      watcher = watch(dbDir, { persistent: false }, (type, filename) => {
        // Lock-file opens and our temp files are not changes; the rename onto the index is.
        if (filename === null || filename === indexName) fire();
        if (type === 'rename' && !existsSync(dbDir)) lost();
      });
    } catch {
      return false;
    }
    watcher.on('error', lost);
    return true;
  };

  if (!tryWatch()) startPolling();

  return {
    close(): void {
      closed = true;
      watcher?.close();
      if (poll) clearInterval(poll);
      if (debounce) clearTimeout(debounce);
    },
  };
}
