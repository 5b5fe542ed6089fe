import { createStore } from 'zustand/vanilla';
import type { RegistryPreview } from '../../contract';

export const RECENT_KEY = 'snapdesk.recentRegistries';
const MAX_RECENT = 8;

/** The push dialog: one snapshot and where it goes. */
export interface PushDraft {
  snapshotId: string;
  snapshotName: string;
  target: string;
  error: string | null;
  busy: boolean;
}

/** The pull dialog: a reference, what the registry says it holds, and the name it gets here. */
export interface PullDraft {
  reference: string;
  preview: RegistryPreview | null;
  loading: boolean;
  error: string | null;
  name: string;
  description: string;
  busy: boolean;
}

/** The sign-in dialog, opened by a registry that refused us. */
export interface SignInDraft {
  registry: string;
  /** Why it opened, in words. */
  reason: string;
  error: string | null;
  busy: boolean;
}

export interface RegistryState {
  push: PushDraft | null;
  pull: PullDraft | null;
  signIn: SignInDraft | null;
  /** Repositories used lately ("host/repo"), newest first; remembered across sessions. */
  recent: readonly string[];
  setPush(draft: PushDraft | null): void;
  patchPush(patch: Partial<PushDraft>): void;
  setPull(draft: PullDraft | null): void;
  patchPull(patch: Partial<PullDraft>): void;
  setSignIn(draft: SignInDraft | null): void;
  patchSignIn(patch: Partial<SignInDraft>): void;
  remember(repository: string): void;
}

function readRecent(): string[] {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export function createRegistryStore() {
  return createStore<RegistryState>()((set, get) => ({
    push: null,
    pull: null,
    signIn: null,
    recent: readRecent(),
    setPush: (push) => set({ push }),
    patchPush: (patch) => {
      const push = get().push;
      if (push) set({ push: { ...push, ...patch } });
    },
    setPull: (pull) => set({ pull }),
    patchPull: (patch) => {
      const pull = get().pull;
      if (pull) set({ pull: { ...pull, ...patch } });
    },
    setSignIn: (signIn) => set({ signIn }),
    patchSignIn: (patch) => {
      const signIn = get().signIn;
      if (signIn) set({ signIn: { ...signIn, ...patch } });
    },
    remember: (repository) => {
      const recent = [repository, ...get().recent.filter((r) => r !== repository)].slice(0, MAX_RECENT);
      set({ recent });
      try {
        globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(recent));
      } catch {
        // Private mode or a full quota: remembering is a convenience.
      }
    },
  }));
}
