import { useEffect, useId, useRef, useState } from 'react';
import { useApp, useImports, useSnapshots } from '../../app/context';
import type { NameCheck } from './import-names';
import { cleanDescription, descriptionProblem, formatBytes, formatOptionalBytes as formatMemory } from '../../../src-core/rules';
import type { ImportItem } from './import-store';
import { Dialog } from '../../shared/Dialog';
import { EscapedText } from '../../shared/EscapedText';

/**
 * Previews each archive and lets the user name it before importing. A taken
 * name is flagged as soon as it is typed, with a free name one click away;
 * a conflict reported at commit brings the archive back here.
 */
export function ImportDialog() {
  const pending = useImports((s) => s.pending);
  return pending.length > 0 ? <ImportForm items={pending} /> : null;
}

function ImportForm({ items }: { items: readonly ImportItem[] }) {
  const app = useApp();
  // Re-check names whenever the store's list or the running imports change.
  useSnapshots((s) => s.list);
  useImports((s) => s.running);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const checks = app.imports.nameChecks(items);
  const ready = items.filter((i) => i.preview !== null);
  const loading = items.some((i) => i.preview === null && i.previewError === null);
  const formId = useId();
  const reasonId = useId();
  const firstProblem = checks.findIndex((c) => c.problem !== null);
  // A description the store would refuse blocks too, once every name is fine.
  const firstBadDescription = items.findIndex((i) => i.preview !== null && descriptionProblem(i.description) !== null);
  const blockedBy = firstProblem >= 0 ? 'name' : firstBadDescription >= 0 ? 'description' : null;
  const blocked = firstProblem >= 0 ? items[firstProblem] : firstBadDescription >= 0 ? items[firstBadDescription] : undefined;

  const focusName = (index: number) => {
    // Items still reading or unreadable have no name field, so a field is found by its archive, not by position.
    const id = items[index]?.archive.id;
    const fields = formRef.current?.querySelectorAll<HTMLInputElement>('input[data-name-input]') ?? [];
    for (const field of fields) if (field.dataset.archive === id) field.focus();
  };

  const submit = async () => {
    setBusy(true);
    try {
      const firstBad = await app.imports.confirm();
      if (firstBad >= 0) focusName(firstBad);
    } finally {
      setBusy(false);
    }
  };

  // Previews arrive after the dialog opened: move focus to the first name once it exists, unless the user is already typing.
  const firstReady = items[0]?.preview !== null;
  useEffect(() => {
    const active = document.activeElement;
    if (!firstReady || (active instanceof HTMLElement && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA'))) return;
    formRef.current?.querySelector<HTMLInputElement>('input[data-name-input]')?.focus();
  }, [firstReady]);

  // The title counts what can be imported; unreadable files are listed but not counted.
  const importable = items.filter((i) => i.previewError === null).length;
  const title = importable <= 1 ? 'Import snapshot' : `Import ${importable} snapshots`;
  return (
    <Dialog
      title={title}
      onClose={() => app.imports.cancel()}
      className="import-dialog"
      footer={
        <>
          {blocked ? (
            <span className="footer-reason" id={reasonId}>
              {blockedBy === 'name' ? 'Choose a free name' : 'Fix the description'} for <EscapedText text={blocked.archive.name} /> to import.
            </span>
          ) : null}
          <button type="button" onClick={() => app.imports.cancel()}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className="primary"
            disabled={busy || loading || ready.length === 0 || blocked !== undefined}
            aria-describedby={blocked ? reasonId : undefined}
          >
            {loading ? 'Reading archives…' : ready.length > 1 ? `Import ${ready.length} snapshots` : 'Import'}
          </button>
        </>
      }
    >
      <form
        id={formId}
        ref={formRef}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <div className="import-items">
          {items.map((item, i) => (
            <ImportItemFields key={item.archive.id} item={item} check={checks[i] as NameCheck} first={i === 0} single={items.length === 1} />
          ))}
        </div>
      </form>
    </Dialog>
  );
}

function ImportItemFields({ item, check, first, single }: { item: ImportItem; check: NameCheck; first: boolean; single: boolean }) {
  const app = useApp();
  const nameId = useId();
  const descId = useId();
  const problemId = useId();
  const descProblemId = useId();
  const update = (patch: Partial<ImportItem>) => app.stores.imports.getState().update(item.archive.id, patch);
  const a = item.archive;
  const c = item.preview?.config;
  const descProblem = item.preview ? descriptionProblem(item.description) : null;
  // The store's cleaned description while the field still holds the archive's own; else this text cleaned.
  const cleanedDescription =
    item.preview?.suggestedDescription !== undefined && item.description === (c?.description ?? '') ? item.preview.suggestedDescription : cleanDescription(item.description);

  return (
    <fieldset className="import-item">
      <legend>
        <span className="legend-name">{a.name}</span> <span className="muted">({formatBytes(a.size)})</span>
      </legend>
      {item.previewError ? (
        <div className="import-error">
          <p className="error-text" role="alert">
            {a.name} cannot be imported: {item.previewError}.
          </p>
          {item.previewDetail ? (
            <details className="import-error-detail">
              <summary>Details</summary>
              <p className="selectable">{item.previewDetail}</p>
            </details>
          ) : null}
          <button type="button" className="small" onClick={() => app.imports.discard(a.id)}>
            Remove {a.name}
          </button>
        </div>
      ) : !c ? (
        <p className="muted" role="status">
          Reading {a.name}…
        </p>
      ) : (
        <>
          <dl className="preview" aria-label={`Contents of ${a.name}`}>
            <div>
              <dt>Name in archive</dt>
              <dd>{c.name ? <EscapedText text={c.name} /> : <span className="muted">unnamed</span>}</dd>
            </div>
            <div>
              <dt>Hypervisor</dt>
              <dd>{c.hypervisor ?? '—'}</dd>
            </div>
            <div>
              <dt>CPU</dt>
              <dd>{c.cpu ?? '—'}</dd>
            </div>
            <div>
              <dt>Memory</dt>
              <dd>{formatMemory(c.memory)}</dd>
            </div>
            <div className="wide">
              <dt>Description</dt>
              <dd>{c.description ? <EscapedText text={c.description} multiline /> : <span className="muted">none</span>}</dd>
            </div>
          </dl>
          <div className="form-row">
            <label htmlFor={nameId}>
              Name{' '}
              <span className="visually-hidden">for {a.name}</span>
            </label>
            <input
              id={nameId}
              data-name-input
              data-archive={a.id}
              data-autofocus={first ? true : undefined}
              type="text"
              value={item.name}
              autoComplete="off"
              spellCheck={false}
              placeholder={c.name ? `keep “${c.name}”` : 'unnamed'}
              aria-invalid={check.problem ? true : undefined}
              aria-describedby={check.problem ? problemId : undefined}
              onChange={(e) => update({ name: e.target.value, nameError: null, renamedFrom: null })}
            />
          </div>
          {/* Always there and at least one line tall, so nothing below moves as a problem comes and goes. */}
          <div className="name-problem" id={problemId} aria-live="polite">
            {check.problem ? (
              <>
                <span className="field-error">{check.problem}</span>
                {check.suggestion ? (
                  <button type="button" className="small" onClick={() => update({ name: check.suggestion ?? '', nameError: null })}>
                    Use “{check.suggestion}”
                  </button>
                ) : null}
              </>
            ) : item.renamedFrom && item.name.trim() !== '' && item.name !== item.renamedFrom ? (
              <span className="field-note">
                “{item.renamedFrom}” is already taken, so this one will be named “{item.name}”.
              </span>
            ) : null}
          </div>
          <div className="form-row">
            <label htmlFor={descId}>
              Description{' '}
              <span className="visually-hidden">for {a.name}</span>
            </label>
            <textarea
              id={descId}
              rows={2}
              value={item.description}
              // An empty description keeps the archive's own (the store only overrides with non-empty values).
              placeholder={c.description ? 'empty keeps the archive’s description' : ''}
              aria-invalid={descProblem ? true : undefined}
              aria-describedby={descProblem ? descProblemId : undefined}
              onChange={(e) => update({ description: e.target.value })}
            />
          </div>
          <div className="name-problem" id={descProblemId} aria-live="polite">
            {descProblem ? (
              <>
                <span className="field-error">{descProblem}</span>
                <button type="button" className="small" onClick={() => update({ description: cleanedDescription })}>
                  Use the cleaned description
                </button>
              </>
            ) : null}
          </div>
          {single ? null : (
            <button type="button" className="small link" onClick={() => app.imports.discard(a.id)}>
              Skip {a.name}
            </button>
          )}
        </>
      )}
    </fieldset>
  );
}
