import { createStore } from 'zustand/vanilla';
import type { UploadProgress } from '../../contract';

/** One file of a batch being sent to the server (browser transport) before the import dialog can read it. */
export interface UploadFile {
  name: string;
  bytesDone: number;
  bytesTotal: number;
  /** When its first byte was reported; null while it waits for the files before it. */
  startedAt: number | null;
  /** Average bytes per second so far. */
  rate: number;
}

/** The files of one drop or pick: uploaded one after another, cancelled together (all or none are kept). */
export interface UploadBatch {
  id: number;
  files: readonly UploadFile[];
  cancelling: boolean;
}

/**
 * Uploads in flight, by batch. A batch appears with its first progress
 * report, so a desktop drop (registered at once, nothing sent) never shows
 * one; a progress tick replaces one batch, re-rendering only its card.
 */
export interface UploadsState {
  byId: Readonly<Record<number, UploadBatch>>;
  order: readonly number[];
  progress(id: number, files: readonly { name: string; size: number }[], p: UploadProgress, now?: number): void;
  markCancelling(id: number): void;
  end(id: number): void;
}

export function createUploadsStore() {
  return createStore<UploadsState>()((set) => ({
    byId: {},
    order: [],
    progress: (id, files, p, now = Date.now()) =>
      set((s) => {
        const known = s.byId[id];
        const batch: UploadBatch = known ?? {
          id,
          files: files.map((f) => ({ name: f.name, bytesDone: 0, bytesTotal: f.size, startedAt: null, rate: 0 })),
          cancelling: false,
        };
        const fileList = batch.files.map((f, i) => {
          if (i !== p.index) return f;
          const startedAt = f.startedAt ?? now;
          const seconds = (now - startedAt) / 1000;
          return { ...f, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, startedAt, rate: seconds > 0 ? p.bytesDone / seconds : 0 };
        });
        return { byId: { ...s.byId, [id]: { ...batch, files: fileList } }, ...(known ? {} : { order: [...s.order, id] }) };
      }),
    markCancelling: (id) =>
      set((s) => {
        const batch = s.byId[id];
        return batch ? { byId: { ...s.byId, [id]: { ...batch, cancelling: true } } } : {};
      }),
    end: (id) =>
      set((s) => {
        if (!(id in s.byId)) return {};
        const byId = { ...s.byId };
        delete byId[id];
        return { byId, order: s.order.filter((x) => x !== id) };
      }),
  }));
}

/** 0..100, whole percent. */
export function uploadPercent(f: UploadFile): number {
  if (f.bytesTotal <= 0) return f.startedAt === null ? 0 : 100;
  return Math.min(100, Math.floor((f.bytesDone / f.bytesTotal) * 100));
}

/** Seconds left for one file at its rate so far; null until there is a rate. */
export function uploadEta(f: UploadFile): number | null {
  if (f.rate <= 0 || f.bytesDone >= f.bytesTotal) return null;
  return (f.bytesTotal - f.bytesDone) / f.rate;
}
