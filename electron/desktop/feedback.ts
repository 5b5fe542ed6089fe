import type { Task } from '../app/contract';
import type { AggregateProgress } from '../app/tasks';

/** win.setProgressBar's value: -1 removes the bar, above 1 is indeterminate. */
export function progressBarValue(progress: AggregateProgress): number {
  if (progress.active === 0) return -1;
  return progress.fraction === null ? 2 : progress.fraction;
}

/** Tasks shorter than this finish while the user is still looking: no notification. */
export const NOTIFY_AFTER_MS = 5_000;

/** The OS notification for a finished task, or null when none is wanted. */
export function finishedNotification(task: Task, windowFocused: boolean): { title: string; body: string } | null {
  if (windowFocused || task.finishedAt === null || task.finishedAt - task.startedAt < NOTIFY_AFTER_MS) return null;
  if (task.state === 'cancelled') return null;
  if (task.state === 'failed') return { title: `${task.title} failed`, body: task.error?.message ?? 'The task failed.' };
  const what = task.kind === 'export' ? `Saved ${task.result?.fileName ?? 'the archive'}` : task.kind === 'import' ? 'The snapshot is in your store.' : 'The archive is valid.';
  return { title: `${task.title} finished`, body: what };
}
