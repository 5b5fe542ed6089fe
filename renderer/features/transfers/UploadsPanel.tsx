import { memo } from 'react';
import { useApp, useUploads } from '../../app/context';
import { formatBytes, formatRate } from '../../../src-core/rules';
import { formatEta } from '../../format/time';
import { uploadEta, uploadPercent, type UploadFile } from './uploads-store';

/**
 * Files on their way to the server (browser transport) before the import
 * dialog can read them, as entries of the transfers list: a bar per file
 * with its percent, and Cancel for the batch. Nothing shows on the desktop,
 * where dropped files are read in place.
 */
export function UploadsPanel() {
  const order = useUploads((s) => s.order);
  return (
    <>
      {[...order].reverse().map((id) => (
        <UploadEntry key={id} id={id} />
      ))}
    </>
  );
}

/** One drop or pick. Selects only its own batch, so a tick of another upload leaves it alone. */
const UploadEntry = memo(function UploadEntry({ id }: { id: number }) {
  const batch = useUploads((s) => s.byId[id]);
  const app = useApp();
  if (!batch) return null;
  const count = batch.files.length;
  const what = count === 1 ? (batch.files[0]?.name ?? '') : `${count} files`;
  return (
    <li className="task running upload" aria-label={`Upload of ${what}`}>
      <div className="task-head">
        <span className="task-title">{batch.cancelling ? 'Cancelling the upload…' : `Uploading ${count === 1 ? 'an archive' : `${count} archives`} to import`}</span>
        <button type="button" className="small" aria-label={`Cancel upload of ${what}`} disabled={batch.cancelling} onClick={() => app.transfers.cancelUpload(id)}>
          Cancel
        </button>
      </div>
      <div className="upload-files">
        {batch.files.map((file, i) => (
          <UploadFileRow key={i} file={file} />
        ))}
      </div>
    </li>
  );
});

function UploadFileRow({ file }: { file: UploadFile }) {
  const waiting = file.startedAt === null;
  const percent = uploadPercent(file);
  const eta = formatEta(uploadEta(file));
  const amount = `${formatBytes(file.bytesDone)} of ${formatBytes(file.bytesTotal)}`;
  return (
    <div className="upload-file" aria-label={file.name} role="group">
      <div className="task-head">
        <span className="task-title mono" title={file.name}>
          {file.name}
        </span>
        <span className="task-state">{waiting ? 'Waiting' : `${percent}%`}</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`Uploading ${file.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={waiting ? 'waiting for the files before it' : `${percent}%, ${amount}`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="task-meta">
        <span className="task-bytes">{amount}</span>
        {/* Fixed-width slots, as for the other transfers, so the line does not jump. */}
        {waiting ? null : <span className="task-rate">{file.rate > 0 ? formatRate(file.rate) : 'measuring speed…'}</span>}
        {eta ? <span className="task-eta">{eta}</span> : null}
      </div>
    </div>
  );
}
