/** What every part of the localfile store shares: where it lives, its lock, the index owner and a clock. */
import { IndexOwner } from './index-tx';
import { StoreLock } from './lock';
import { storePaths, type StorePaths } from './paths';

export interface StoreContext {
  readonly paths: StorePaths;
  readonly lock: StoreLock;
  readonly index: IndexOwner;
  /** Clock in ms (tests move it to age pending records and trash entries). */
  readonly now: () => number;
}

export function storeContext(root: string, now: () => number = Date.now): StoreContext {
  const paths = storePaths(root);
  const lock = new StoreLock(paths);
  return { paths, lock, index: new IndexOwner(paths, lock), now };
}
