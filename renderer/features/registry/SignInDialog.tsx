import { useId, useState } from 'react';
import { useApp, useRegistry } from '../../app/context';
import { Dialog } from '../../shared/Dialog';

/** Credentials for a registry that refused us; saved in the docker config, as `docker login` does. */
export function SignInDialog() {
  const draft = useRegistry((s) => s.signIn);
  return draft ? <SignInForm key={draft.registry} /> : null;
}

function SignInForm() {
  const app = useApp();
  const draft = useRegistry((s) => s.signIn);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userId = useId();
  const passId = useId();
  if (!draft) return null;
  const close = () => app.registry.cancelSignIn();

  return (
    <Dialog title={`Sign in to ${draft.registry}`} onClose={close} className="registry-dialog" description={draft.reason}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void app.registry.signIn(username.trim(), password);
        }}
        noValidate
      >
        <div className="form-row">
          <label htmlFor={userId}>User name</label>
          <input id={userId} data-autofocus type="text" autoComplete="username" spellCheck={false} maxLength={256} value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="form-row">
          <label htmlFor={passId}>Password or access token</label>
          <input id={passId} type="password" autoComplete="current-password" maxLength={16384} value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <p className="muted">Saved in the docker configuration (~/.docker/config.json), shared with docker, oras and crane.</p>
        {draft.error ? (
          <p className="field-error" role="alert">
            {draft.error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={draft.busy || username.trim() === '' || password === ''}>
            Sign in
          </button>
        </div>
      </form>
    </Dialog>
  );
}
