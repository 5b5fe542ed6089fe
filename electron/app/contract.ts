/**
 * The one contract between the renderer and the main process: every call
 * (name, input schema, result type), every event, and every HTTP route of
 * the web shell. Main's IPC binding, the preload bridge, the web shell's
 * router and the renderer's web client are all derived from these tables,
 * so a channel string or a route is never typed twice.
 *
 * Only plain, structured-clone-safe data crosses: no class instances, no
 * functions, errors as `ErrorData`.
 */
import { z } from 'zod';
import { descriptionInput, refInput, snapshotNameInput } from './text-inputs';
import { trashCalls, type TrashEventPayloads } from './trash-handlers';
import { CALL_NAMES, EVENT_NAMES, channelOf, type CallNameList, type EventNameList } from './channels';
import type { RouteName } from './http-routes';
import type { ErrorData } from '../../src-core/errors';
import type { PullPreview } from '../../src-core/registry/pull';
import type {
  ArchivePreview,
  GcReport,
  Snapshot,
  SnapshotDetails,
  SnapshotSummary,
  VerifyReport,
} from '../../src-core/types';

/** Phantom marker carrying a result type through the table. */
const returns = <T>(): T => undefined as unknown as T;

const ref = refInput;
const snapshotName = snapshotNameInput;
const description = descriptionInput;
const archiveId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const taskId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
// Registry references and hosts are parsed (and refused in words) by src-core; here they are only bounded.
const registryRef = z.string().min(1).max(512);
const registryHost = z.string().min(1).max(256);
const plainHttp = z.boolean().optional();

/** An archive the user chose (dialog) or dropped; main knows its path, the renderer only this. */
export interface ArchiveRef {
  id: string;
  /** File name for display (no directory). */
  name: string;
  size: number;
}

export type TaskKind = 'import' | 'export' | 'verify' | 'push' | 'pull';
export type TaskState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TaskResult {
  /** Import: the new snapshot's ID. */
  snapshotId?: string;
  /** Export: the file written (shown to the user; never sent back as a path to act on). */
  fileName?: string;
  /** Verify: the report. */
  report?: VerifyReport;
  /** Push: where it went and the manifest digest (pull by REGISTRY/REPO@DIGEST). */
  reference?: string;
  digest?: string;
}

/** What a pull will bring in, read from the registry before anything is written. */
export type RegistryPreview = PullPreview;

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
  /**
   * Set on the task a browser export answers with: the archive waits for the
   * page to download it (route `exports.download`). Absent everywhere else.
   */
  awaitsDownload?: true;
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
  /** Starts the export through the host (HostServices.startExport): desktop, after the save dialog (null when cancelled); web, a task marked `awaitsDownload`. */
  'snapshots.export': {
    input: z.object({ ref, gzip: z.boolean().optional(), level: z.number().int().min(1).max(9).optional() }).strict(),
    result: returns<Task | null>(),
  },
  'snapshots.showInFolder': { input: z.object({ ref }).strict(), result: returns<void>() },
  /** The host's open dialog (multi-select); the web host has none (the page uploads instead). */
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
  /** The host's directory dialog; null when cancelled (the web host has none). */
  'settings.chooseRoot': { input: z.undefined(), result: returns<Settings | null>() },
  'settings.resetRoot': { input: z.undefined(), result: returns<Settings>() },
  /** Reads a registry snapshot's manifest and config (nothing written); `name` is checked against the store. */
  'registry.preview': { input: z.object({ reference: registryRef, name: snapshotName.optional(), plainHttp }).strict(), result: returns<RegistryPreview>() },
  'registry.pull': {
    input: z.object({ reference: registryRef, name: snapshotName.optional(), description: description.optional(), plainHttp }).strict(),
    result: returns<Task>(),
  },
  'registry.push': { input: z.object({ ref, target: registryRef, plainHttp }).strict(), result: returns<Task>() },
  /** Checks the credentials with the registry, then saves them in the docker config. */
  'registry.login': {
    input: z.object({ registry: registryHost, username: z.string().min(1).max(256), password: z.string().min(1).max(16_384), plainHttp }).strict(),
    result: returns<void>(),
  },
  'registry.logout': { input: z.object({ registry: registryHost }).strict(), result: returns<{ removed: boolean }>() },
  'registry.tags': { input: z.object({ repository: registryRef, plainHttp }).strict(), result: returns<string[]>() },
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

export type { TrashItem, TrashSettings, TrashSummary } from '../../src-core/trash/trash';

export type MenuCommand = 'import' | 'export' | 'delete' | 'selectAll' | 'find' | 'help' | 'refresh' | 'push' | 'pull';

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

/** A route whose answer is a byte stream, not JSON: `T` names what flows (an archive, events). */
export interface StreamOf<T> {
  readonly streamOf: T;
}

/** One file of an upload: its name as the user's browser gave it, and its size in bytes. */
const uploadedFile = z.object({ fileName: z.string().min(1).max(4096), size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }).strict();
const secret = z.string().min(1).max(256);

/**
 * Input and result of each HTTP route of the web shell (method and path are
 * in http-routes.ts). Inputs are what the server reads from a request, from
 * wherever the route's declaration says: `:params`, `?ticket=`, the JSON body,
 * or the file-name header and Content-Length of an upload.
 */
export const routes = {
  'session.open': { input: z.object({ token: secret }).strict(), result: returns<{ secret: string }>() },
  'tickets.issue': {
    input: z.discriminatedUnion('purpose', [z.object({ purpose: z.literal('events') }).strict(), z.object({ purpose: z.literal('download'), taskId }).strict()]),
    result: returns<{ ticket: string }>(),
  },
  /** The call's result; as with every JSON route, the answer is an Envelope of it. */
  'calls.invoke': { input: z.object({ name: z.string().max(64), input: z.unknown() }).strict(), result: returns<unknown>() },
  'uploads.check': { input: z.object({ files: z.array(uploadedFile).min(1).max(1000) }).strict(), result: returns<null>() },
  'uploads.send': { input: uploadedFile, result: returns<ArchiveRef>() },
  'exports.download': { input: z.object({ taskId, ticket: secret }).strict(), result: returns<StreamOf<'archive'>>() },
  'events.stream': { input: z.object({ ticket: secret }).strict(), result: returns<StreamOf<EventPayloads>>() },
} as const;

export type RouteInput<R extends RouteName> = z.output<(typeof routes)[R]['input']>;
export type RouteResult<R extends RouteName> = (typeof routes)[R]['result'];
export type UploadedFile = z.output<typeof uploadedFile>;

// The zod-free route table in http-routes.ts must name exactly these routes.
const routesMatch: Same<RouteName, keyof typeof routes> = true;
void routesMatch;
