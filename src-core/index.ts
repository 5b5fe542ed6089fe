/** Public surface of the core: the store, its building blocks, and the shared types. */
export * from './types';
export * from './errors';
export type { SnapshotBackend, GcOrchestrator } from './backend';
export type { Reservation, ImportTarget } from './reservation';
export { LocalFileStore, openStore, type LocalFileStoreOptions } from './localfile';
export { newSnapshotId, isSnapshotId, assertSnapshotId, ID_LENGTH } from './ids';
export { storePaths, dataDirFor, type StorePaths } from './paths';
export { resolve, resolveMany, MIN_PREFIX } from './resolve';
export { defaultRoot, resolveRoot, userDataDir, PRODUCT_NAME, ROOT_ENV, type ResolvedRoot } from './default-root';
export { validateConfig, configEntries, type SnapshotRecord } from './record';
export { validateName, validateDescription } from './names';
export { STALE_PENDING_MS } from './gc';
export { Trash, DEFAULT_MIN_FREE_BYTES, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, type TrashItem, type TrashSummary, type TrashSettings, type RestoreOptions } from './trash/trash';
