import { useId } from 'react';
import { useApp, useRegistry } from '../../app/context';
import { Dialog } from '../../shared/Dialog';

/** Where to push the selected snapshot: REGISTRY/REPOSITORY[:TAG], with recently used repositories offered. */
export function PushDialog() {
  const draft = useRegistry((s) => s.push);
  return draft ? <PushForm /> : null;
}

function PushForm() {
  const app = useApp();
  const draft = useRegistry((s) => s.push);
  const recent = useRegistry((s) => s.recent);
  const inputId = useId();
  const listId = useId();
  const errorId = useId();
  if (!draft) return null;
  const store = app.stores.registry.getState();
  const close = () => store.setPush(null);

  return (
    <Dialog title={`Push “${draft.snapshotName}”`} onClose={close} className="registry-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void app.registry.submitPush();
        }}
        noValidate
      >
        <p className="muted">Uploads the snapshot to an OCI registry in epoch&apos;s snapshot format; epoch pulls it into cocoon.</p>
        <div className="form-row">
          <label htmlFor={inputId}>Registry and repository</label>
          <input
            id={inputId}
            data-autofocus
            type="text"
            list={listId}
            value={draft.target}
            placeholder="registry.example.com/team/web-golden:latest"
            autoComplete="off"
            spellCheck={false}
            maxLength={512}
            aria-invalid={draft.error ? true : undefined}
            aria-describedby={draft.error ? errorId : undefined}
            onChange={(e) => store.patchPush({ target: e.target.value, error: null })}
          />
          <datalist id={listId}>
            {recent.map((r) => (
              <option key={r} value={`${r}:latest`} />
            ))}
          </datalist>
        </div>
        {draft.error ? (
          <p className="field-error" id={errorId} role="alert">
            {draft.error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={draft.busy || draft.target.trim() === ''}>
            Push
          </button>
        </div>
      </form>
    </Dialog>
  );
}
