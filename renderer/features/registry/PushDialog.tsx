import { useId } from 'react';
import { useApp, useRegistry } from '../../app/context';
import { Dialog } from '../../shared/Dialog';
import { ReferenceField } from './ReferenceField';

/** Where to push the selected snapshot: REGISTRY/REPOSITORY[:TAG], with recently used repositories offered. */
export function PushDialog() {
  const draft = useRegistry((s) => s.push);
  return draft ? <PushForm /> : null;
}

function PushForm() {
  const app = useApp();
  const draft = useRegistry((s) => s.push);
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
        <ReferenceField
          label="Registry and repository"
          value={draft.target}
          onChange={(target) => store.patchPush({ target, error: null })}
          suggest={(r) => `${r}:latest`}
          {...(draft.error ? { errorId } : {})}
        />
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
