import { useState } from 'react';
import { quoteName } from '../../../src-core/rules';
import { Dialog } from '../../shared/Dialog';
import { useApp } from '../../app/context';
import { useTrash } from './use-trash';
import type { RestorePromptState } from './trash-store';

/** The rename prompt of a restore whose name was taken meanwhile. */
export function RestorePrompt() {
  const prompt = useTrash((s) => s.restorePrompt);
  return prompt ? <RestoreAs key={prompt.id} prompt={prompt} /> : null;
}

function RestoreAs({ prompt }: { prompt: RestorePromptState }) {
  const app = useApp();
  const [name, setName] = useState(prompt.suggestedName);
  const [busy, setBusy] = useState(false);
  const cancel = () => app.trash.store.getState().setRestorePrompt(null);
  // Spaces around a typed name are dropped, as import, pull and rename drop them.
  const typed = name.trim();
  const unchanged = typed === prompt.takenName;
  const submit = async () => {
    setBusy(true);
    // A conflict again replaces this prompt with a new suggestion; success closes it.
    await app.trash.restore(prompt.id, typed);
    setBusy(false);
  };
  return (
    <Dialog
      title={`Restore ${quoteName(prompt.takenName)} as…`}
      onClose={cancel}
      description={<p>A snapshot named “{prompt.takenName}” exists now. Restore this one under another name; its ID stays the same.</p>}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!unchanged && !busy) void submit();
        }}
      >
        <label className="field-label">
          New name
          <input type="text" value={name} data-autofocus onChange={(e) => setName(e.target.value)} aria-describedby="restore-name-hint" />
        </label>
        <p id="restore-name-hint" className="muted" role={unchanged ? 'alert' : undefined}>
          {unchanged ? 'That name is taken: choose another.' : '\u00a0'}
        </p>
        <div className="dialog-actions">
          <button type="button" onClick={cancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || unchanged}>
            Restore
          </button>
        </div>
      </form>
    </Dialog>
  );
}
