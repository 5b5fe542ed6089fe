import { memo } from 'react';
import type { Task } from '../../contract';
import { useApp, useIsDesktop, useTasks } from '../../app/context';
import { formatBytes, formatRate } from '../../format/bytes';
import { formatEta } from '../../format/time';
import { isActive, taskPercent } from './tasks-store';

const STATE_TEXT: Record<Task['state'], string> = {
  queued: 'Waiting',
  running: '',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** One transfer. Selects only its own task, so a progress tick re-renders this row alone. */
export const TaskRow = memo(function TaskRow({ id }: { id: string }) {
  const task = useTasks((s) => s.byId[id]);
  const app = useApp();
  const desktop = useIsDesktop();
  if (!task) return null;
  const percent = taskPercent(task);
  const active = isActive(task);
  const eta = formatEta(task.etaSeconds);
  const conflict = task.state === 'failed' && task.error?.code === 'name_conflict' && task.kind === 'import';

  return (
    <li className={`task ${task.state}`} aria-label={task.title}>
      <div className="task-head">
        <span className="task-title">{task.title}</span>
        <span className="task-state">{active ? (percent === null ? '' : `${percent}%`) : STATE_TEXT[task.state]}</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${task.title} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={progressText(task, percent, active)}
      >
        <div className={`progress-fill${percent === null && active ? ' indeterminate' : ''}`} style={{ width: `${percent ?? (active ? 100 : 0)}%` }} />
      </div>
      <div className="task-meta">
        {active ? (
          <>
            <span className="task-bytes">
              {formatBytes(task.bytesDone)}
              {task.bytesTotal !== null ? ` of ${formatBytes(task.bytesTotal)}` : ''}
            </span>
            {/* A fixed-width slot, so the line does not jump when the first rate arrives. */}
            {task.state === 'running' ? <span className="task-rate">{task.rate > 0 ? formatRate(task.rate) : 'measuring speed…'}</span> : null}
            {eta ? <span className="task-eta">{eta}</span> : null}
            {task.file ? <span className="mono task-file">{task.file}</span> : null}
          </>
        ) : task.state === 'failed' ? (
          <span className="error-text">{conflict ? 'The name was taken meanwhile; choose another in the import dialog.' : task.error?.message ?? 'Failed.'}</span>
        ) : task.state === 'done' && task.kind === 'export' && task.result?.fileName ? (
          <span className="mono">{task.result.fileName}</span>
        ) : task.state === 'done' && task.kind === 'push' && task.result?.digest ? (
          <span className="mono selectable" title="Pull by REGISTRY/REPOSITORY@DIGEST">
            {task.result.digest}
          </span>
        ) : task.state === 'done' ? (
          <span>{formatBytes(task.bytesDone)}</span>
        ) : task.state === 'cancelled' ? (
          <span>
            Stopped at {formatBytes(task.bytesDone)}
            {task.bytesTotal !== null ? ` of ${formatBytes(task.bytesTotal)}` : ''}.
          </span>
        ) : null}
      </div>
      <div className="task-actions">
        {active ? (
          <button type="button" className="small" aria-label={`Cancel ${task.title}`} onClick={() => void app.transfers.cancelTask(task.id)}>
            Cancel
          </button>
        ) : null}
        {task.state === 'done' && task.kind === 'export' && desktop ? (
          <button type="button" className="small" aria-label={`Show ${task.result?.fileName ?? task.title} in folder`} onClick={() => void app.transfers.showTaskInFolder(task.id)}>
            Show in folder
          </button>
        ) : null}
        {task.state === 'done' && (task.kind === 'import' || task.kind === 'pull') && task.result?.snapshotId ? (
          <button type="button" className="small" onClick={() => app.snapshots.showSnapshot(task.result?.snapshotId ?? '')}>
            Show snapshot
          </button>
        ) : null}
      </div>
    </li>
  );
});

/** What a screen reader hears for the bar: the state of an ended task, not only its last percent. */
function progressText(task: Task, percent: number | null, active: boolean): string {
  if (active) return percent === null ? 'working' : `${percent}%`;
  if (task.state === 'done' || percent === null) return STATE_TEXT[task.state];
  return `${STATE_TEXT[task.state]} at ${percent}%`;
}
