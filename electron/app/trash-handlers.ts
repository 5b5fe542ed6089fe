/**
 * The trash's part of the contract and its handlers (shared by both shells).
 * Every change is followed by a `trash.changed` event so the window's trash
 * view and indicator refresh; the app also applies retention and the
 * free-space threshold at start and then periodically.
 */
import { z } from 'zod';
import type { SnapshotBackend } from '../../src-core/backend';
import { MAX_RETENTION_DAYS, type TrashSettings, type TrashSummary } from '../../src-core/trash/trash';
import type { Snapshot } from '../../src-core/types';
import { refInput, snapshotNameInput } from './text-inputs';

const returns = <T>(): T => undefined as unknown as T;
const ref = refInput;
const refs = z.array(ref).min(1).max(10_000);
const snapshotName = snapshotNameInput;

export const trashCalls = {
  'trash.list': { input: z.undefined(), result: returns<TrashSummary>() },
  /** The window's Delete: moves snapshots to the trash (undoable). */
  /** `purged`: those of `trashed` deleted for ever at once, because free space was under the trash's threshold. */
  'trash.move': { input: z.object({ refs }).strict(), result: returns<{ trashed: string[]; purged: string[] }>() },
  /** A taken name fails with name_conflict (details.suggestedName); pass `name` to restore under another. */
  'trash.restore': { input: z.object({ ref, name: snapshotName.optional() }).strict(), result: returns<Snapshot>() },
  'trash.deleteForever': { input: z.object({ refs }).strict(), result: returns<{ deleted: string[] }>() },
  'trash.empty': { input: z.undefined(), result: returns<{ deleted: string[] }>() },
  'trash.setSettings': {
    input: z
      .object({
        retentionDays: z.number().int().min(0).max(MAX_RETENTION_DAYS).optional(),
        minFreeBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
      })
      .strict(),
    result: returns<TrashSettings>(),
  },
} as const;

export interface TrashEventPayloads {
  /** What the trash holds changed (a move, restore, purge): re-read it. */
  'trash.changed': { root: string };
}

type TrashCalls = typeof trashCalls;
type TrashImpl = { [K in keyof TrashCalls]: (input: z.output<TrashCalls[K]['input']>) => Promise<TrashCalls[K]['result']> };

export interface TrashHandlerContext {
  store(): SnapshotBackend;
  emit(root: string): void;
}

export function implementTrash(ctx: TrashHandlerContext): TrashImpl {
  /** Runs a change and announces it, also when it failed half-way (some may have moved). */
  const changing = async <T>(fn: (store: SnapshotBackend) => Promise<T>): Promise<T> => {
    const store = ctx.store();
    try {
      return await fn(store);
    } finally {
      ctx.emit(store.root);
    }
  };
  return {
    'trash.list': () => ctx.store().trash.list(),
    'trash.move': (input) =>
      changing(async (store) => {
        const trashed = await store.trash.moveToTrash(input.refs);
        // A delete when space is short may be what pushes the trash over the threshold: the window
        // must then not offer an Undo for what is already gone.
        const purged = await store.trash.purgeDue().catch(() => [] as string[]);
        return { trashed, purged: trashed.filter((id) => purged.includes(id)) };
      }),
    'trash.restore': (input) => changing((store) => store.trash.restore(input.ref, input.name !== undefined ? { name: input.name } : {})),
    'trash.deleteForever': (input) => changing(async (store) => ({ deleted: await store.trash.deleteForever(input.refs) })),
    'trash.empty': () => changing(async (store) => ({ deleted: await store.trash.empty() })),
    'trash.setSettings': (input) =>
      changing(async (store) => {
        const settings = await store.trash.setSettings({
          ...(input.retentionDays !== undefined ? { retentionDays: input.retentionDays } : {}),
          ...(input.minFreeBytes !== undefined ? { minFreeBytes: input.minFreeBytes } : {}),
        });
        await store.trash.purgeDue();
        return settings;
      }),
  };
}

/** How often the running app applies retention and the free-space threshold. */
export const TRASH_UPKEEP_MS = 10 * 60 * 1000;

/** Purges what is due now and every TRASH_UPKEEP_MS; returns the stopper. */
export function startTrashUpkeep(store: () => SnapshotBackend, emit: (root: string) => void, everyMs = TRASH_UPKEEP_MS): () => void {
  const run = async (): Promise<void> => {
    const s = store();
    try {
      if ((await s.trash.purgeDue()).length > 0) emit(s.root);
    } catch (err) {
      console.error('snapdesk: trash upkeep failed:', err instanceof Error ? err.message : err);
    }
  };
  void run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
