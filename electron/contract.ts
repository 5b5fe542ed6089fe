/**
 * The one contract between the renderer and the main process: every call
 * (name, input schema, result type) and every event. Main's IPC binding, the
 * preload bridge, the browser transport and the renderer's client are all
 * derived from these tables, so a channel string is never typed twice.
 *
 * Only plain, structured-clone-safe data crosses: no class instances, no
 * functions, errors as `ErrorData`.
 */
import { z } from 'zod';
import { trashCalls, type TrashEventPayloads } from './trash-handlers';
import { CALL_NAMES, EVENT_NAMES, channelOf, type CallNameList, type EventNameList } from './channels';
import type { ErrorData } from '../src-core/errors';
import { isPrintableName, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../src-core/names';
import type {
  ArchivePreview,
  GcReport,
  Snapshot,
  SnapshotDetails,
  SnapshotSummary,
  VerifyReport,
} from '../src-core/types';

/** Phantom marker carrying a result type through the table. */
const returns = <T>(): T => undefined as unknown as T;

// Refs and names are bounded so a hostile renderer cannot send megabytes.
const ref = z.string().min(1).max(256);
const snapshotName = z.string().max(MAX_NAME_LENGTH).refine(isPrintableName, 'name must not contain control characters or slashes');
const description = z.string().max(MAX_DESCRIPTION_LENGTH);
const archiveId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const taskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** An archive the user chose (dialog) or dropped; main knows its path, the renderer only this. */
export interface ArchiveRef {
  id: string;
  /** File name for display (no directory). */
  name: string;
  size: number;
}

export type TaskKind = 'import' | 'export' | 'verify';
export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TaskResult {
  /** Import: the new snapshot's ID. */
  snapshotId?: string;
  /** Export: the file written (shown to the user; never sent back as a path to act on). */
  fileName?: string;
  /** Verify: the report. */
  report?: VerifyReport;
}

export interface Task {
  id: string;
  kind: TaskKind;
  title: string;
  state: TaskState;
  bytesDone: number;
  bytesTotal: number | null;
  /** Bytes per second, smoothed. */
  rate: number;
  etaSeconds: number | null;
  file: string | null;
  startedAt: number;
  finishedAt: number | null;
  error: ErrorData | null;
  result: TaskResult | null;
}

export interface Settings {
  /** The store root in use. */
  root: string;
  /** Where the root came from. */
  rootSource: 'default' | 'cli' | 'env' | 'setting';
  defaultRoot: string;
}

export interface AppInfo {
  version: string;
  platform: string;
  /** 'electron' for the desktop app, 'web' for the browser transport. */
  transport: 'electron' | 'web';
}

export const calls = {
  'app.info': { input: z.undefined(), result: returns<AppInfo>() },
  'snapshots.list': { input: z.undefined(), result: returns<SnapshotSummary[]>() },
  'snapshots.inspect': { input: z.object({ ref }).strict(), result: returns<SnapshotDetails>() },
  'snapshots.delete': { input: z.object({ refs: z.array(ref).min(1).max(10_000) }).strict(), result: returns<{ deleted: string[] }>() },
  'snapshots.rename': {
    input: z.object({ ref, name: snapshotName.optional(), description: description.optional() }).strict(),
    result: returns<Snapshot>(),
  },
  'snapshots.gc': { input: z.undefined(), result: returns<GcReport>() },
  /** Desktop: shows the save dialog; null when the user cancels. Browser: starts a download. */
  'snapshots.export': {
    input: z.object({ ref, gzip: z.boolean().optional(), level: z.number().int().min(1).max(9).optional() }).strict(),
    result: returns<Task | null>(),
  },
  'snapshots.showInFolder': { input: z.object({ ref }).strict(), result: returns<void>() },
  /** Desktop: the open dialog (multi-select). */
  'archives.pick': { input: z.undefined(), result: returns<ArchiveRef[]>() },
  /** Desktop: paths of dropped files, from the preload (webUtils.getPathForFile); main checks each. */
  'archives.register': { input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(256) }).strict(), result: returns<ArchiveRef[]>() },
  /** Forgets an archive ref (an uploaded copy in the browser transport is deleted). */
  'archives.release': { input: z.object({ archiveId }).strict(), result: returns<void>() },
  /**
   * Archives opened with the app before the renderer was listening (command
   * line, open-file); the renderer calls it once at startup. Later ones arrive
   * as `archives.opened` events.
   */
  'archives.takeOpened': { input: z.undefined(), result: returns<ArchiveRef[]>() },
  'archives.preview': { input: z.object({ archiveId }).strict(), result: returns<ArchivePreview>() },
  'archives.import': {
    input: z.object({ archiveId, name: snapshotName.optional(), description: description.optional() }).strict(),
    result: returns<Task>(),
  },
  'archives.verify': { input: z.object({ archiveId }).strict(), result: returns<Task>() },
  'tasks.list': { input: z.undefined(), result: returns<Task[]>() },
  'tasks.cancel': { input: z.object({ taskId }).strict(), result: returns<void>() },
  /** Removes finished tasks from the list. */
  'tasks.clear': { input: z.undefined(), result: returns<void>() },
  'tasks.showInFolder': { input: z.object({ taskId }).strict(), result: returns<void>() },
  'settings.get': { input: z.undefined(), result: returns<Settings>() },
  /** Desktop: a directory dialog; null when cancelled. */
  'settings.chooseRoot': { input: z.undefined(), result: returns<Settings | null>() },
  'settings.resetRoot': { input: z.undefined(), result: returns<Settings>() },
  ...trashCalls,
} as const;

export type CallName = keyof typeof calls;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallResult<K extends CallName> = (typeof calls)[K]['result'];

export interface EventPayloads extends TrashEventPayloads {
  /** The index changed (this app, the CLI, cocoon): re-list. */
  'store.changed': { root: string };
  /** A task was created, progressed (throttled ~10/s), or finished. */
  'task.updated': Task;
  /** The menu asked the renderer to do something that needs its selection. */
  'menu.command': { command: MenuCommand };
  /** Files opened with the app (command line, open-file, second instance). */
  'archives.opened': { archives: ArchiveRef[] };
}
export type EventName = keyof EventPayloads;
export { CALL_NAMES, EVENT_NAMES, channelOf };

// The zod-free name lists in channels.ts must match these tables exactly (both directions).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: [Same<CallNameList, CallName>, Same<EventNameList, EventName>] = [true, true];
void namesMatch;

export type { TrashItem, TrashSettings, TrashSummary } from '../src-core/trash/trash';

export type MenuCommand = 'import' | 'export' | 'delete' | 'selectAll' | 'find' | 'help' | 'refresh';

/** What a call returns across any transport: a result or an error as data. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorData };


/**
 * The API the renderer sees (window.snapdesk on the desktop; a fetch/SSE
 * client in the browser). Call methods reject with SnapDeskError rebuilt
 * from ErrorData.
 */
export interface SnapdeskApi {
  call<K extends CallName>(name: K, ...input: CallInput<K> extends undefined ? [] : [CallInput<K>]): Promise<CallResult<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /**
   * Turns dropped/selected DOM Files into archive refs (desktop: paths via
   * webUtils, at once; browser: uploads, one file after another). All or
   * none: on failure or abort nothing stays registered. `onProgress` hears
   * each upload's bytes (never called on the desktop, which has nothing to
   * send); aborting `signal` stops the upload and rejects with `cancelled`.
   */
  registerFiles(files: File[], onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<ArchiveRef[]>;
}

/** How far the upload of one of the files given to `registerFiles` is. */
export interface UploadProgress {
  /** The file's position in the `files` given (two files may share a name). */
  index: number;
  fileName: string;
  bytesDone: number;
  bytesTotal: number;
}

/** Validates a call's input; throws a ZodError on bad input. */
export function parseInput<K extends CallName>(name: K, input: unknown): CallInput<K> {
  return calls[name].input.parse(input) as CallInput<K>;
}

export const isCallName = (name: string): name is CallName => Object.prototype.hasOwnProperty.call(calls, name);
