import type { SnapshotConfig } from '../types';

/** Characters no common file system (Windows included) takes in a name. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/** The default export file name: "<name>.tgz", or "<id>.tgz" when unnamed, safe on any file system. */
export function defaultArchiveName(config: Pick<SnapshotConfig, 'name' | 'id'>): string {
  const base = config.name
    .replace(UNSAFE, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 200);
  return `${base || config.id || 'snapshot'}.tgz`;
}
