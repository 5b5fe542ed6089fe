import type { ErrorData } from '../../../src-core/errors';
import type { SnapdeskApi, Task } from '../../contract';
import { errorCode, errorMessage } from '../../format/errors';
import { freeName, nameProblem } from '../../../src-core/rules';
import type { Stores } from '../../app/stores';

/** What the pull dialog's name field says right now, and a free name one click away. */
export interface PullNameCheck {
  /** The name the snapshot will get (typed, else the registry's default). */
  name: string;
  problem: string | null;
  suggestion: string | null;
}

interface Host {
  refresh(): Promise<void>;
  selectedIds(): string[];
  nameOf(id: string): string;
  showSnapshot(id: string): void;
}

/** "host/repo:tag" → "host". */
export const registryOf = (reference: string): string => reference.trim().split('/')[0] ?? '';
/** "host/repo:tag" or "host/repo@sha256:…" → "host/repo". */
const repositoryOf = (reference: string): string => {
  const text = reference.trim().replace(/@.*$/, '');
  const slash = text.indexOf('/');
  const colon = text.lastIndexOf(':');
  return colon > slash ? text.slice(0, colon) : text;
};
/** A repository-friendly form of a snapshot name: lower case, [a-z0-9._-]. */
const repoSlug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '') || 'snapshot';

/**
 * Push, pull and sign-in for the window: the dialogs' drafts live in the
 * registry store; a registry that refuses us opens the sign-in dialog, and
 * signing in repeats what was refused.
 */
export class RegistryActions {
  /** What to do again once signed in, by registry. */
  private readonly retries = new Map<string, () => Promise<void>>();
  /** Tasks started here, with how to start them again (after a sign-in). */
  private readonly restart = new Map<string, () => Promise<void>>();

  constructor(
    private readonly api: SnapdeskApi,
    private readonly stores: Stores,
    private readonly host: Host,
  ) {}

  private get state() {
    return this.stores.registry.getState();
  }

  // ---- push ----

  openPush(): void {
    const ids = this.host.selectedIds();
    if (ids.length !== 1) {
      this.stores.ui.getState().toast('info', ids.length === 0 ? 'Select the snapshot to push.' : 'Push one snapshot at a time: select just one.');
      return;
    }
    const id = ids[0] as string;
    const name = this.host.nameOf(id);
    const last = this.state.recent[0];
    const target = last ? `${registryOf(last)}/${repoSlug(name)}:latest` : '';
    this.state.setPush({ snapshotId: id, snapshotName: name, target, error: null, busy: false });
  }

  async submitPush(): Promise<void> {
    const draft = this.state.push;
    if (!draft) return;
    this.state.patchPush({ busy: true, error: null });
    const target = draft.target.trim();
    const start = async (): Promise<void> => {
      const task = await this.api.call('registry.push', { ref: draft.snapshotId, target });
      this.restart.set(task.id, start);
    };
    try {
      await start();
      this.state.remember(repositoryOf(target));
      this.state.setPush(null);
      this.stores.ui.getState().setTransfers(true);
    } catch (err) {
      this.state.patchPush({ busy: false, error: errorMessage(err) });
    }
  }

  // ---- pull ----

  openPull(reference = ''): void {
    this.state.setPull({ reference, preview: null, loading: false, error: null, name: '', description: '', busy: false });
  }

  /** Asks the registry what the reference holds; a refusal opens the sign-in dialog and comes back here. */
  async previewPull(): Promise<void> {
    const draft = this.state.pull;
    if (!draft) return;
    const reference = draft.reference.trim();
    this.state.patchPull({ loading: true, error: null, preview: null });
    try {
      const preview = await this.api.call('registry.preview', { reference });
      if (this.state.pull?.reference.trim() === reference) this.state.patchPull({ preview, loading: false });
    } catch (err) {
      this.state.patchPull({ loading: false, error: errorMessage(err) });
      if (errorCode(err) === 'unauthorized') this.askSignIn(registryOf(reference), errorMessage(err), () => this.previewPull());
    }
  }

  /** The same rule as an import's name: free in the store, with a free one offered when taken. */
  checkPullName(): PullNameCheck | null {
    const draft = this.state.pull;
    const preview = draft?.preview;
    if (!draft || !preview) return null;
    const typed = draft.name.trim();
    const name = typed || preview.defaultName;
    const bad = nameProblem(draft.name);
    if (bad) return { name, problem: bad, suggestion: null };
    const list = this.stores.snapshots.getState().list;
    const inStore = (n: string) => list.some((s) => s.name === n);
    const taken = (preview.nameTaken && name === preview.config.name) || inStore(name);
    if (!taken) return { name, problem: null, suggestion: null };
    const suggestion = preview.suggestedName && name === preview.config.name && !inStore(preview.suggestedName) ? preview.suggestedName : freeName(name, inStore);
    return { name, problem: `A snapshot named “${name}” already exists. Choose another name.`, suggestion };
  }

  async submitPull(): Promise<void> {
    const draft = this.state.pull;
    const check = this.checkPullName();
    if (!draft?.preview || !check || check.problem) return;
    // Pinned to the digest previewed: a tag moved meanwhile cannot swap what comes in.
    const reference = `${repositoryOf(draft.preview.reference)}@${draft.preview.digest}`;
    const input = { reference, name: check.name, ...(draft.description.trim() ? { description: draft.description.trim() } : {}) };
    this.state.patchPull({ busy: true, error: null });
    const start = async (): Promise<void> => {
      const task = await this.api.call('registry.pull', input);
      this.restart.set(task.id, start);
    };
    try {
      await start();
      this.state.remember(repositoryOf(draft.preview.reference));
      this.state.setPull(null);
      this.stores.ui.getState().setTransfers(true);
    } catch (err) {
      this.state.patchPull({ busy: false, error: errorMessage(err) });
    }
  }

  // ---- sign-in ----

  askSignIn(registry: string, reason: string, retry?: () => Promise<void>): void {
    if (retry) this.retries.set(registry, retry);
    this.state.setSignIn({ registry, reason, error: null, busy: false });
  }

  async signIn(username: string, password: string): Promise<void> {
    const draft = this.state.signIn;
    if (!draft) return;
    this.state.patchSignIn({ busy: true, error: null });
    try {
      await this.api.call('registry.login', { registry: draft.registry, username, password });
    } catch (err) {
      this.state.patchSignIn({ busy: false, error: errorMessage(err) });
      return;
    }
    this.state.setSignIn(null);
    this.stores.ui.getState().toast('success', `Signed in to ${draft.registry}.`);
    const retry = this.retries.get(draft.registry);
    this.retries.delete(draft.registry);
    if (retry) await retry().catch((err: unknown) => this.stores.ui.getState().toast('error', errorMessage(err)));
  }

  cancelSignIn(): void {
    const draft = this.state.signIn;
    if (draft) this.retries.delete(draft.registry);
    this.state.setSignIn(null);
  }

  // ---- tasks ----

  /** A push or pull task ended: say so; a refusal by the registry offers sign-in and starts the task again after it. */
  onTaskEnded(task: Task): void {
    const ui = this.stores.ui.getState();
    const again = this.restart.get(task.id);
    this.restart.delete(task.id);
    if (task.state === 'done') {
      if (task.kind === 'pull') void this.host.refresh().then(() => ui.toast('success', `${task.title}: done.`));
      else ui.toast('success', `Pushed to ${task.result?.reference ?? 'the registry'}.`);
      return;
    }
    if (task.state !== 'failed') return;
    const registry = refusedBy(task.error);
    if (registry) this.askSignIn(registry, task.error?.message ?? 'The registry refused access.', again);
    else ui.toast('error', `${task.title} failed: ${task.error?.message ?? 'unknown error'}`);
  }
}

/** The registry named by an `unauthorized` error, if that is what it is. */
function refusedBy(error: ErrorData | null): string | null {
  if (error?.code !== 'unauthorized') return null;
  const registry = error.details?.registry;
  return typeof registry === 'string' ? registry : null;
}
