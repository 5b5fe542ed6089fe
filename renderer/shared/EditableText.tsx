import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../format/errors';

interface EditableTextProps {
  /** Field label, e.g. "Name". */
  label: string;
  value: string;
  /** Shown when value is empty. */
  placeholder: string;
  multiline?: boolean;
  /** Local check before saving; returns a problem or null. */
  validate?: (value: string) => string | null;
  /** Saves; a rejection's message is shown at the input. */
  onSave: (value: string) => Promise<void>;
  /** Start editing when this changes (e.g. context menu "Rename"). */
  editSignal?: number;
}

/**
 * A value with an Edit button that turns into a labelled input. Errors —
 * including the store's name_conflict — appear under the input the user typed in.
 */
export function EditableText({ label, value, placeholder, multiline, validate, onSave, editSignal }: EditableTextProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const inputId = useId();
  const errorId = useId();

  const start = () => {
    setDraft(value);
    setError(null);
    setEditing(true);
  };

  const [lastSignal, setLastSignal] = useState(editSignal);
  if (editSignal !== lastSignal) {
    setLastSignal(editSignal);
    if (editSignal) start();
  }

  useEffect(() => {
    if (editing) {
      inputRef.current?.focus();
      inputRef.current?.select();
    }
  }, [editing]);

  useEffect(() => {
    if (error && !saving) inputRef.current?.focus();
  }, [error, saving]);

  const stop = () => {
    setEditing(false);
    setError(null);
    // Keep keyboard users where they were.
    queueMicrotask(() => editButton.current?.focus());
  };

  const save = async () => {
    if (draft === value) {
      stop();
      return;
    }
    const problem = validate?.(draft) ?? null;
    if (problem) {
      setError(problem);
      return;
    }
    setSaving(true);
    try {
      await onSave(draft);
      stop();
    } catch (err) {
      // Focus returns to the input once it is enabled again (effect below).
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      stop();
    } else if (e.key === 'Enter' && e.target === inputRef.current && (!multiline || e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void save();
    }
  };

  if (!editing) {
    return (
      <div className="editable">
        <span className={value ? 'editable-value' : 'editable-value muted'}>{value || placeholder}</span>
        <button ref={editButton} type="button" className="small" onClick={start} aria-label={`Edit ${label.toLowerCase()}`}>
          Edit
        </button>
      </div>
    );
  }

  const common = {
    id: inputId,
    value: draft,
    disabled: saving,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
  } as const;

  return (
    <div className="editable editing" onKeyDown={onKeyDown}>
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} ref={inputRef} rows={3} maxLength={4096} onChange={(e) => setDraft(e.target.value)} />
      ) : (
        <input {...common} ref={inputRef} type="text" maxLength={256} autoComplete="off" spellCheck={false} onChange={(e) => setDraft(e.target.value)} />
      )}
      <div className="editable-actions">
        <button type="button" className="primary small" onClick={() => void save()} disabled={saving}>
          Save
        </button>
        <button type="button" className="small" onClick={stop} disabled={saving}>
          Cancel
        </button>
      </div>
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
