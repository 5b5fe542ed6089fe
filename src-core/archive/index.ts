/** The archive codec's public surface. */
export { exportArchive, exportArchiveToFile, type ExportSource } from './export';
export { importArchive } from './import';
export { previewArchive } from './preview';
export { extractDataTar } from './tar-extract';
export { packDataDir } from './tar-pack';
export { verifyArchive } from './verify';
