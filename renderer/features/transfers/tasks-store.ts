import { createStore } from 'zustand/vanilla';
import type { Task } from '../../contract';

/**
 * Transfers by ID. `order` changes only when a task appears or goes, so a
 * progress tick replaces one `byId` entry and re-renders only the row that
 * selects it.
 */
export interface TasksState {
  byId: Readonly<Record<string, Task>>;
  order: readonly string[];
  upsert(task: Task): void;
  setAll(tasks: Task[]): void;
  /** Drop finished tasks (after tasks.clear). */
  removeFinished(): void;
}

export const isActive = (t: Task): boolean => t.state === 'queued' || t.state === 'running';

export function createTasksStore() {
  return createStore<TasksState>()((set) => ({
    byId: {},
    order: [],
    upsert: (task) =>
      set((s) => {
        const prev = s.byId[task.id];
        const known = prev !== undefined;
        // An ended task never goes back to running: a late reply or event is older than the end.
        if (prev && !isActive(prev) && isActive(task)) return {};
        return { byId: { ...s.byId, [task.id]: task }, ...(known ? {} : { order: [...s.order, task.id] }) };
      }),
    setAll: (tasks) => set({ byId: Object.fromEntries(tasks.map((t) => [t.id, t])), order: tasks.map((t) => t.id) }),
    removeFinished: () =>
      set((s) => {
        const order = s.order.filter((id) => {
          const t = s.byId[id];
          return t !== undefined && isActive(t);
        });
        return { order, byId: Object.fromEntries(order.map((id) => [id, s.byId[id] as Task])) };
      }),
  }));
}

export interface TaskAggregate {
  running: number;
  /** 0..100 over tasks whose total is known; null when none is. */
  percent: number | null;
}

export function aggregate(byId: Readonly<Record<string, Task>>): TaskAggregate {
  let running = 0;
  let done = 0;
  let total = 0;
  for (const t of Object.values(byId)) {
    if (!isActive(t)) continue;
    running++;
    if (t.bytesTotal) {
      done += Math.min(t.bytesDone, t.bytesTotal);
      total += t.bytesTotal;
    }
  }
  return { running, percent: total > 0 ? Math.floor((done / total) * 100) : null };
}

export function taskPercent(t: Task): number | null {
  if (t.state === 'done') return 100;
  if (!t.bytesTotal) return null;
  return Math.min(100, Math.floor((t.bytesDone / t.bytesTotal) * 100));
}
