/**
 * An in-memory SnapdeskApi for renderer tests: a snapshot list, archives,
 * and tasks a test drives (progress, finish, fail), with every call logged.
 * It behaves as the real handlers do (inputs checked against the contract,
 * refs resolved as the store does, the same typed errors): the scenario suite
 * in scenarios/ runs the same steps against it and against the handlers.
 */
import type {
  AppInfo,
  ArchiveRef,
  CallInput,
  CallName,
  CallResult,
  EventName,
  EventPayloads,
  SnapdeskApi,
  Settings,
  Task,
  UploadProgress,
} from '../../electron/app/contract';
import { ZodError } from 'zod';
import { parseInput } from '../../electron/app/contract';
import { invalidInput } from '../../electron/app/handlers';
import { SnapDeskError, ambiguousRef, cancelled, nameConflict, notFound, type ErrorData } from '../../src-core/errors';
import { FakeTrash } from './fake-trash';
import type { DataFileInfo, SnapshotConfig, SnapshotDetails, SnapshotSummary } from '../../src-core/types';
import { cleanDescription, cleanName, descriptionProblem, freeName, nameProblem } from '../../src-core/rules';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
let idSeq = 0;

/** A deterministic 26-character base32 ID, distinct per call. */
export function fakeId(seed = ++idSeq): string {
  let n = seed * 2654435761;
  let out = '';
  for (let i = 0; i < 26; i++) {
    out += B32[Math.abs(n) % 32];
    n = Math.floor(n / 3) + i * 7919 + seed;
  }
  return out;
}

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export function makeSnapshot(p: Partial<SnapshotSummary> & { name: string }): SnapshotSummary {
  return {
    id: fakeId(),
    created_at: '2026-11-20T10:00:00Z',
    cpu: 2,
    memory: GiB,
    hypervisor: 'cloud-hypervisor',
    usage: { size: 64 * MiB, allocated: 3 * MiB },
    ...p,
  };
}

export interface LoggedCall {
  name: CallName;
  input: unknown;
}

type Handler = (input: unknown) => Promise<unknown> | unknown;

/** A registerFiles call held by `holdUploads`: the test reports its progress and lets it finish or fail. */
export interface FakeUpload {
  files: File[];
  signal: AbortSignal | undefined;
  /** Reports `bytesDone` of file `index`, as the browser transport's upload does. */
  progress(index: number, bytesDone: number): void;
  /** Finishes the upload: registerFiles resolves with the archives. */
  finish(): void;
  fail(error: SnapDeskError): void;
}

interface FakeArchive {
  ref: ArchiveRef;
  config: SnapshotConfig;
  /** Unreadable: the preview fails with this, and so does an import. */
  error?: ErrorData;
  /** Readable metadata, refused when read in full: the preview works, an import fails with this. */
  importError?: ErrorData;
}

/** How an archive registered from a file reads (see archiveFor). */
export interface FakeArchiveFaults {
  error?: ErrorData;
  importError?: ErrorData;
}

/** The real handlers' messages for what the fake refuses the same way. */
const archiveGone = (archiveId: string) =>
  new SnapDeskError('not_found', 'that archive is no longer available; choose or drop the file again', { archiveId });
const noTask = (taskId: string) => new SnapDeskError('not_found', `no task with ID "${taskId}" (it may have been cleared)`, { taskId });
/** IDs and names as the store resolves them: exact ID, exact name, then a unique ID prefix of 3 or more. */
const MIN_PREFIX = 3;

export class FakeApi implements SnapdeskApi {
  snapshots: SnapshotSummary[];
  files = new Map<string, DataFileInfo[]>();
  archives = new Map<string, FakeArchive>();
  tasks = new Map<string, Task & { archiveId?: string; name?: string; description?: string }>();
  calls: LoggedCall[] = [];
  info: AppInfo;
  settings: Settings = { root: '/var/lib/cocoon', rootSource: 'default', defaultRoot: '/var/lib/cocoon' };
  /** What the folder dialog of settings.chooseRoot answers (null = Cancel). */
  folderAnswer: string | null = '/srv/other-store';
  /** What the save dialog of snapshots.export answers ('cancel' = the user cancelled; see also exportCancels). */
  saveAnswer: 'proposed' | 'cancel' = 'proposed';
  /** What archives.pick returns. */
  pickResult: ArchiveRef[] = [];
  /** What `archives.takeOpened` returns once (files opened with the app before the window listened). */
  openedAtStart: ArchiveRef[] = [];
  /** What snapshots.export returns next (null = the user cancelled the save dialog). */
  exportCancels = new Set<string>();
  private listeners = new Map<EventName, Set<(p: unknown) => void>>();
  private overrides = new Map<CallName, Handler>();
  private gates = new Map<CallName, { resolve: () => void }[] | null>();
  private archiveSeq = 0;
  private taskSeq = 0;
  /** What a dropped file registers as, by file name (see archiveFor). */
  private configFor = new Map<string, { config: Partial<SnapshotConfig> & { name: string }; faults: FakeArchiveFaults }>();
  /** The settings at start, which settings.resetRoot returns to. */
  private readonly startSettings: Settings;
  /** The snapshot lists of the roots not in use, by root. */
  private readonly otherRoots = new Map<string, SnapshotSummary[]>();
  private uploadsHeld = false;
  /** registerFiles calls waiting for the test, oldest first (only while uploads are held). */
  readonly uploads: FakeUpload[] = [];

  /** The trash (moves snapshots out of and back into `snapshots`). */
  readonly trash = new FakeTrash({
    list: () => this.snapshots,
    setList: (list) => {
      this.snapshots = list;
    },
    now: () => Date.now(),
    changed: (what) => (what === 'store' ? this.emit('store.changed', { root: this.settings.root }) : this.emit('trash.changed', { root: this.settings.root })),
  });

  constructor(opts: { snapshots?: SnapshotSummary[]; transport?: AppInfo['transport'] } = {}) {
    this.snapshots = opts.snapshots ?? [];
    this.info = { version: '0.1.0', platform: 'linux', transport: opts.transport ?? 'electron' };
    this.startSettings = { ...this.settings };
  }

  // ---- SnapdeskApi ----

  async call<K extends CallName>(name: K, ...input: CallInput<K> extends undefined ? [] : [CallInput<K>]): Promise<CallResult<K>> {
    const arg: unknown = input[0];
    this.calls.push({ name, input: arg });
    const gate = this.gates.get(name);
    if (gate) await new Promise<void>((resolve) => gate.push({ resolve }));
    const override = this.overrides.get(name);
    const result = override ? await override(arg) : await this.handle(name, this.checked(name, arg));
    return result as CallResult<K>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const l = listener as (p: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Registers at once, as the desktop does; after `holdUploads()`, uploads as the browser does, driven by the test. */
  async registerFiles(files: File[], onProgress?: (p: UploadProgress) => void, signal?: AbortSignal): Promise<ArchiveRef[]> {
    if (!this.uploadsHeld) return this.registerNow(files);
    if (signal?.aborted) throw cancelled(`the upload of ${files[0]?.name ?? 'files'}`);
    return new Promise<ArchiveRef[]>((resolve, reject) => {
      const settle = (): void => {
        const at = this.uploads.indexOf(upload);
        if (at >= 0) this.uploads.splice(at, 1);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        settle();
        reject(cancelled(`the upload of ${files[0]?.name ?? 'files'}`));
      };
      const upload: FakeUpload = {
        files,
        signal,
        progress: (index, bytesDone) => {
          const f = files[index] as File;
          onProgress?.({ index, fileName: f.name, bytesDone, bytesTotal: f.size });
        },
        finish: () => {
          settle();
          resolve(this.registerNow(files));
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.uploads.push(upload);
    });
  }

  // ---- test controls ----

  /** Replace a call's behaviour. */
  override<K extends CallName>(name: K, fn: (input: CallInput<K>) => Promise<CallResult<K>> | CallResult<K>): void {
    this.overrides.set(name, fn as Handler);
  }

  /** Hold calls of `name` until `release(name)` lets the oldest one through. */
  hold(name: CallName): void {
    this.gates.set(name, []);
  }

  /** How many calls of `name` are waiting at the gate. */
  waiting(name: CallName): number {
    return this.gates.get(name)?.length ?? 0;
  }

  release(name: CallName): void {
    this.gates.get(name)?.shift()?.resolve();
  }

  callsOf(name: CallName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  addArchive(fileName: string, config: Partial<SnapshotConfig> & { name: string }, size = 10 * MiB, error?: ErrorData, importError?: ErrorData): FakeArchive {
    const id = `arch${++this.archiveSeq}`;
    const a: FakeArchive = { ref: { id, name: fileName, size }, config: { cpu: 2, memory: GiB, hypervisor: 'cloud-hypervisor', ...config }, error, importError };
    this.archives.set(id, a);
    return a;
  }

  /** Configure what a file (by name) registers as, before it is dropped, and whether reading it fails. */
  archiveFor(fileName: string, config: Partial<SnapshotConfig> & { name: string }, faults: FakeArchiveFaults = {}): void {
    this.configFor.set(fileName, { config, faults });
  }

  /** From now on registerFiles behaves as a browser upload: it waits in `uploads` for the test to drive it. */
  holdUploads(): void {
    this.uploadsHeld = true;
  }

  progress(taskId: string, bytesDone: number, patch: Partial<Task> = {}): Task {
    return this.updateTask(taskId, { state: 'running', bytesDone, ...patch });
  }

  /** Ends a task successfully; an import commits here (and can hit a name conflict, like the store). */
  finish(taskId: string): Task {
    const t = this.mustTask(taskId);
    if (t.kind === 'import') {
      const archive = this.archives.get(t.archiveId ?? '');
      const refused = archive?.error ?? archive?.importError;
      if (refused) return this.fail(taskId, refused);
      const name = t.name || archive?.config.name || '';
      const holder = name ? this.snapshots.find((s) => s.name === name) : undefined;
      if (holder) return this.fail(taskId, nameConflict(name, holder.id).toData());
      const snap = makeSnapshot({ ...archive?.config, name, description: t.description || archive?.config.description, created_at: new Date().toISOString() });
      this.snapshots = [...this.snapshots, snap];
      const done = this.updateTask(taskId, { state: 'done', finishedAt: Date.now(), bytesDone: t.bytesTotal ?? t.bytesDone, result: { snapshotId: snap.id } });
      this.emit('store.changed', { root: this.settings.root });
      return done;
    }
    const fileName = t.kind === 'export' ? `${t.title.replace(/^Export /, '')}.tgz` : undefined;
    return this.updateTask(taskId, { state: 'done', finishedAt: Date.now(), bytesDone: t.bytesTotal ?? t.bytesDone, result: fileName ? { fileName } : {} });
  }

  fail(taskId: string, error: ErrorData): Task {
    return this.updateTask(taskId, { state: 'failed', finishedAt: Date.now(), error, result: null });
  }

  /** Adds a snapshot as if another program did, and says so. */
  addSnapshot(s: SnapshotSummary): void {
    this.snapshots = [...this.snapshots, s];
    this.emit('store.changed', { root: this.settings.root });
  }

  // ---- internals ----

  private registerNow(files: File[]): ArchiveRef[] {
    return files.map((f) => {
      const known = this.configFor.get(f.name);
      const config = known?.config ?? { name: f.name.replace(/\.(tgz|tar\.gz|tar)$/i, '') };
      return this.addArchive(f.name, config, f.size, known?.faults.error, known?.faults.importError).ref;
    });
  }

  /** A call's input as the handlers see it: checked against the contract, refused with their invalid_input error. */
  private checked(name: CallName, input: unknown): unknown {
    try {
      return parseInput(name, input);
    } catch (err) {
      if (err instanceof ZodError) throw invalidInput(name, err);
      throw err;
    }
  }

  private mustTask(taskId: string) {
    const t = this.tasks.get(taskId);
    if (!t) throw noTask(taskId);
    return t;
  }

  private mustArchive(archiveId: string): FakeArchive {
    const a = this.archives.get(archiveId);
    if (!a) throw archiveGone(archiveId);
    return a;
  }

  /** Moves to another store root: its own list of snapshots (none when new), and says so. */
  private switchRoot(settings: Settings): Settings {
    this.otherRoots.set(this.settings.root, this.snapshots);
    this.snapshots = this.otherRoots.get(settings.root) ?? [];
    this.otherRoots.delete(settings.root);
    this.settings = settings;
    this.emit('store.changed', { root: settings.root });
    return { ...settings };
  }

  private updateTask(taskId: string, patch: Partial<Task>): Task {
    const next = { ...this.mustTask(taskId), ...patch };
    this.tasks.set(taskId, next);
    const { archiveId: _a, name: _n, description: _d, ...task } = next;
    this.emit('task.updated', task);
    return task;
  }

  private newTask(kind: Task['kind'], title: string, bytesTotal: number | null, extra: { archiveId?: string; name?: string; description?: string } = {}): Task {
    const task: Task = {
      id: `task${++this.taskSeq}`,
      kind,
      title,
      state: 'queued',
      bytesDone: 0,
      bytesTotal,
      rate: 0,
      etaSeconds: null,
      file: null,
      startedAt: Date.now(),
      finishedAt: null,
      error: null,
      result: null,
    };
    this.tasks.set(task.id, { ...task, ...extra });
    return task;
  }

  private find(ref: string): SnapshotSummary {
    const exact = this.snapshots.find((x) => x.id === ref) ?? this.snapshots.find((x) => ref !== '' && x.name === ref);
    if (exact) return exact;
    if (ref.length >= MIN_PREFIX) {
      const matches = this.snapshots.filter((x) => x.id.startsWith(ref));
      if (matches.length === 1) return matches[0] as SnapshotSummary;
      if (matches.length > 1) throw ambiguousRef(ref, matches.map((x) => x.id).sort());
    }
    throw notFound(ref);
  }

  private async handle(name: CallName, input: unknown): Promise<unknown> {
    const arg = (input ?? {}) as Record<string, unknown>;
    if (name.startsWith('trash.')) return this.trash.handle(name, arg);
    switch (name) {
      case 'app.info':
        return this.info;
      case 'snapshots.list':
        return this.snapshots.map((s) => ({ ...s }));
      case 'snapshots.inspect': {
        const s = this.find(String(arg.ref));
        const files = this.files.get(s.id) ?? [
          { name: 'memory-ranges', size: 2 * MiB, allocated: 2 * MiB },
          { name: 'cow.raw', size: 64 * MiB, allocated: MiB },
        ];
        const usage = files.reduce((u, f) => ({ size: u.size + f.size, allocated: u.allocated + f.allocated }), { size: 0, allocated: 0 });
        const { usage: _u, ...rest } = s;
        const details: SnapshotDetails = { ...rest, data_dir: `${this.settings.root}/snapshot/localfile/${s.id}`, files, usage };
        return details;
      }
      case 'snapshots.delete': {
        const refs = arg.refs as string[];
        // Every ref resolves before anything goes (all or nothing); a snapshot named twice goes once.
        const ids = [...new Set(refs.map((r) => this.find(r).id))];
        this.snapshots = this.snapshots.filter((s) => !ids.includes(s.id));
        this.emit('store.changed', { root: this.settings.root });
        return { deleted: ids };
      }
      case 'snapshots.rename': {
        const newName = arg.name as string | undefined;
        if (newName === undefined && arg.description === undefined) {
          throw new SnapDeskError('invalid_input', 'nothing to change: give a new name or description');
        }
        const s = this.find(String(arg.ref));
        const holder = newName ? this.snapshots.find((o) => o.name === newName && o.id !== s.id) : undefined;
        if (holder) throw nameConflict(newName as string, holder.id);
        const next = { ...s, ...(newName !== undefined ? { name: newName } : {}), ...(arg.description !== undefined ? { description: arg.description as string } : {}) };
        this.snapshots = this.snapshots.map((o) => (o.id === s.id ? next : o));
        this.emit('store.changed', { root: this.settings.root });
        const { usage: _u, ...snap } = next;
        return snap;
      }
      case 'snapshots.gc':
        return { removedOrphanDirs: [], removedStalePending: [] };
      case 'snapshots.export': {
        const s = this.find(String(arg.ref));
        if (this.saveAnswer === 'cancel' || this.exportCancels.has(s.id)) return null;
        const task = this.newTask('export', `Export ${s.name || s.id}`, s.usage?.size ?? null);
        this.emit('task.updated', task);
        return task;
      }
      case 'snapshots.showInFolder':
        this.find(String(arg.ref));
        return undefined;
      case 'tasks.showInFolder': {
        const t = this.tasks.get(String(arg.taskId));
        if (!t || t.kind !== 'export' || t.state !== 'done') {
          throw new SnapDeskError('invalid_input', 'only a finished export has a file to show', { taskId: String(arg.taskId) });
        }
        return undefined;
      }
      case 'archives.pick':
        return this.pickResult;
      case 'archives.register':
        return [];
      case 'archives.release':
        this.archives.delete(String(arg.archiveId));
        return undefined;
      case 'archives.takeOpened': {
        const opened = this.openedAtStart;
        this.openedAtStart = [];
        return opened;
      }
      case 'archives.preview': {
        const a = this.mustArchive(String(arg.archiveId));
        if (a.error) throw new SnapDeskError(a.error.code, a.error.message);
        // As the store's preview: a refused name is cleaned, a taken one counted on (the rules of src-core/rules).
        const isTaken = (n: string) => this.snapshots.some((s) => s.name === n);
        const taken = a.config.name !== '' && isTaken(a.config.name);
        const problem = nameProblem(a.config.name);
        const from = problem ? cleanName(a.config.name) : taken ? a.config.name : '';
        const suggestedName = from !== '' ? freeName(from, isTaken) : undefined;
        const descProblem = a.config.description !== undefined ? descriptionProblem(a.config.description) : null;
        const described = descProblem && a.config.description !== undefined ? { descriptionProblem: descProblem, suggestedDescription: cleanDescription(a.config.description) } : {};
        return { config: a.config, version: 1, gzip: true, nameTaken: taken, ...(problem ? { nameProblem: problem } : {}), ...(suggestedName ? { suggestedName } : {}), ...described };
      }
      case 'archives.import': {
        const a = this.mustArchive(String(arg.archiveId));
        const task = this.newTask('import', `Import ${a.ref.name}`, a.ref.size, {
          archiveId: a.ref.id,
          name: arg.name as string | undefined,
          description: arg.description as string | undefined,
        });
        this.emit('task.updated', task);
        return task;
      }
      case 'archives.verify':
        throw new SnapDeskError('internal', 'not faked');
      case 'tasks.list':
        return [...this.tasks.values()].map(({ archiveId: _a, name: _n, description: _d, ...t }) => t);
      case 'tasks.cancel': {
        const t = this.mustTask(String(arg.taskId));
        if (t.state === 'queued' || t.state === 'running') {
          this.updateTask(t.id, { state: 'cancelled', finishedAt: Date.now(), error: new SnapDeskError('cancelled', `${t.title} cancelled`).toData() });
        }
        return undefined;
      }
      case 'tasks.clear':
        for (const [id, t] of this.tasks) if (t.state !== 'queued' && t.state !== 'running') this.tasks.delete(id);
        return undefined;
      case 'settings.get':
        return { ...this.settings };
      case 'settings.chooseRoot':
        if (this.folderAnswer === null) return null;
        return this.switchRoot({ ...this.settings, root: this.folderAnswer, rootSource: 'setting' });
      case 'settings.resetRoot':
        // Forgets the folder chosen in Settings: the root is again the one the app started with.
        return this.switchRoot({ ...this.startSettings });
    }
  }
}
