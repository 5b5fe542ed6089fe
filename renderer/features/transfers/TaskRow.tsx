import { memo } from 'react';
import type { Task } from '../../contract';
import { useApp, useIsDesktop, useSnapshots, useTasks } from '../../app/context';
import { plainError } from '../../format/errors';
import { displayName } from '../../format/ids';
import { formatBytes, formatRate } from '../../../src-core/rules';
import { formatEta } from '../../format/time';
import { isActive, taskPercent } from './tasks-store';
import { EscapedText } from '../../shared/EscapedText';

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
  // The name a finished import was saved under (it may differ from the archive's: renamed on the way in).
  const savedAs = useSnapshots((s) => {
    const sid = task?.state === 'done' && (task.kind === 'import' || task.kind === 'pull') ? task.result?.snapshotId : undefined;
    const snap = sid ? s.byId.get(sid) : undefined;
    return snap ? displayName(snap) : null;
  });
  const desktop = useIsDesktop();
  if (!task) return null;
  const percent = taskPercent(task);
  const active = isActive(task);
  const eta = formatEta(task.etaSeconds);
  const conflict = task.state === 'failed' && task.error?.code === 'name_conflict' && task.kind === 'import';

  return (
    <li className={`task ${task.state}`} aria-label={task.title}>
      <div className="task-head">
        <span className="task-title" title={task.title}>
          <EscapedText text={task.title} />
        </span>
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
        <div className={`progress-fill${percent === null && active ? ' indeterminate' : ''}`} style={{ width: `${barWidth(task, percent, active)}%` }} />
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
          <FailedText conflict={conflict} error={task.error} />
        ) : task.state === 'done' && task.kind === 'export' && task.result?.fileName ? (
          <span className="mono">{task.result.fileName}</span>
        ) : task.state === 'done' && (task.kind === 'import' || task.kind === 'pull') && savedAs !== null ? (
          <span className="task-saved">
            Saved as <strong>{savedAs}</strong> · {formatBytes(task.bytesDone)}
          </span>
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
          <button
            type="button"
            className="small"
            aria-label={`Show snapshot ${savedAs ?? task.title}`}
            onClick={() => app.snapshots.showSnapshot(task.result?.snapshotId ?? '')}
          >
            Show snapshot
          </button>
        ) : null}
      </div>
    </li>
  );
});

/**
 * A failed bar stops where the work stopped and is drawn in the danger colour
 * (a full grey bar read as "done"); with nothing known it shows a short stub.
 */
function barWidth(task: Task, percent: number | null, active: boolean): number {
  if (active) return percent ?? 100;
  if (task.state === 'failed') return Math.max(4, percent ?? 0);
  return percent ?? 0;
}

/** One short line; the reader's own words behind "Details". */
function FailedText({ conflict, error }: { conflict: boolean; error: Task['error'] }) {
  if (conflict) return <span className="error-text">The name was taken meanwhile; choose another in the import dialog.</span>;
  const { reason, detail } = plainError(error ?? 'failed');
  return (
    <span className="task-failed">
      <span className="error-text">{reason.charAt(0).toUpperCase() + reason.slice(1)}.</span>
      {detail ? (
        <details className="task-detail">
          <summary>Details</summary>
          <span className="selectable">{detail}</span>
        </details>
      ) : null}
    </span>
  );
}

/** What a screen reader hears for the bar: the state of an ended task, not only its last percent. */
function progressText(task: Task, percent: number | null, active: boolean): string {
  if (active) return percent === null ? 'working' : `${percent}%`;
  if (task.state === 'done' || percent === null) return STATE_TEXT[task.state];
  return `${STATE_TEXT[task.state]} at ${percent}%`;
}
