import { useId } from 'react';
import { useApp, useRegistry, useSnapshots } from '../../app/context';
import { formatBytes, formatOptionalBytes } from '../../../src-core/rules';
import { Dialog } from '../../shared/Dialog';
import { ReferenceField } from './ReferenceField';

/**
 * Pull from a registry: the reference, what it holds (read before anything
 * is written), and the name it gets here, with the import dialog's rule: a
 * taken name is flagged with a free one a click away.
 */
export function PullDialog() {
  const draft = useRegistry((s) => s.pull);
  return draft ? <PullForm /> : null;
}

function PullForm() {
  const app = useApp();
  const draft = useRegistry((s) => s.pull);
  // Re-check the name when the store's list changes.
  useSnapshots((s) => s.list);
  const nameId = useId();
  const descId = useId();
  const problemId = useId();
  if (!draft) return null;
  const store = app.stores.registry.getState();
  const close = () => store.setPull(null);
  const check = app.registry.checkPullName();
  const p = draft.preview;

  return (
    <Dialog title="Pull snapshot from a registry" onClose={close} className="registry-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (p) void app.registry.submitPull();
          else void app.registry.previewPull();
        }}
        noValidate
      >
        <ReferenceField label="Reference" value={draft.reference} onChange={(reference) => store.patchPull({ reference, preview: null, error: null })} />
        {draft.error ? (
          <p className="field-error" role="alert">
            {draft.error}
          </p>
        ) : null}
        {draft.loading ? (
          <p className="muted" role="status">
            Reading {draft.reference.trim()}…
          </p>
        ) : null}
        {p ? (
          <>
            <dl className="preview" aria-label={`Contents of ${p.reference}`}>
              <div>
                <dt>Hypervisor</dt>
                <dd>{p.config.hypervisor ?? '—'}</dd>
              </div>
              <div>
                <dt>CPU</dt>
                <dd>{p.config.cpu ?? '—'}</dd>
              </div>
              <div>
                <dt>Memory</dt>
                <dd>{formatOptionalBytes(p.config.memory)}</dd>
              </div>
              <div>
                <dt>Size</dt>
                <dd>
                  {formatBytes(p.dataSize)} ({formatBytes(p.downloadBytes)} to download)
                </dd>
              </div>
              <div className="wide">
                <dt>Image</dt>
                <dd>{p.config.image ?? '—'}</dd>
              </div>
              <div className="wide">
                <dt>Digest</dt>
                <dd className="mono">{p.digest}</dd>
              </div>
            </dl>
            <div className="form-row">
              <label htmlFor={nameId}>Name</label>
              <input
                id={nameId}
                type="text"
                value={draft.name}
                autoComplete="off"
                spellCheck={false}
                placeholder={`keep “${p.defaultName}”`}
                aria-invalid={check?.problem ? true : undefined}
                aria-describedby={check?.problem ? problemId : undefined}
                onChange={(e) => store.patchPull({ name: e.target.value })}
              />
            </div>
            {check?.problem ? (
              <div className="name-problem" id={problemId}>
                <span className="field-error">{check.problem}</span>
                {check.suggestion ? (
                  <button type="button" className="small" onClick={() => store.patchPull({ name: check.suggestion ?? '' })}>
                    Use “{check.suggestion}”
                  </button>
                ) : null}
              </div>
            ) : null}
            <div className="form-row">
              <label htmlFor={descId}>Description</label>
              <textarea
                id={descId}
                rows={2}
                value={draft.description}
                placeholder={p.config.description ? 'empty keeps the registry’s description' : ''}
                onChange={(e) => store.patchPull({ description: e.target.value })}
              />
            </div>
          </>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          {p ? (
            <button type="submit" className="primary" disabled={draft.busy || Boolean(check?.problem)}>
              Pull
            </button>
          ) : (
            <button type="submit" className="primary" disabled={draft.loading || draft.reference.trim() === ''}>
              Preview
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
