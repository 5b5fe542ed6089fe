/**
 * The contract types the renderer uses, imported in this one place so the
 * window's code depends on the shared contract through a single seam.
 */
export type { AppInfo, ArchiveRef, EventName, EventPayloads, MenuCommand, RegistryPreview, Settings, SnapdeskApi, Task, TrashItem, TrashSettings, TrashSummary, UploadProgress } from '../electron/app/contract';
