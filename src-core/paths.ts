import path from 'node:path';

/** Where a cocoon root keeps the snapshot module (see FORMAT.md "On-disk store"). */
export interface StorePaths {
  root: string;
  /** <root>/snapshot/db */
  dbDir: string;
  /** <root>/snapshot/db/snapshots.json */
  indexFile: string;
  /** <root>/snapshot/db/snapshots.lock */
  lockFile: string;
  /** <root>/snapshot/localfile: parent of every data directory. */
  dataRoot: string;
}

export function storePaths(root: string): StorePaths {
  const abs = path.resolve(root);
  const dbDir = path.join(abs, 'snapshot', 'db');
  return {
    root: abs,
    dbDir,
    indexFile: path.join(dbDir, 'snapshots.json'),
    lockFile: path.join(dbDir, 'snapshots.lock'),
    dataRoot: path.join(abs, 'snapshot', 'localfile'),
  };
}

/** The data directory cocoon assigns to a snapshot ID. */
export const dataDirFor = (paths: StorePaths, id: string): string => path.join(paths.dataRoot, id);
