import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage } from '../format/errors';
import { EscapedText } from './EscapedText';

/** What is wrong with a draft, checked as the user types, and a one-click fix when there is one. */
export interface DraftCheck {
  problem: string;
  suggestion?: string | null;
}

interface EditableTextProps {
  /** Field label, e.g. "Name". */
  label: string;
  value: string;
  /** Shown when value is empty. */
  placeholder: string;
  multiline?: boolean;
  /** Checked on every keystroke and before saving; null when the draft is fine. */
  check?: (value: string) => DraftCheck | null;
  /** Saves; a rejection's message is shown at the input. */
  onSave: (value: string) => Promise<void>;
  /**
   * Start editing when this is set and changes (e.g. context menu "Rename",
   * F2), also when it was set before this field was drawn (a details pane
   * opened for it, the snapshot's details still loading then).
   */
  editSignal?: number;
  /** Called when editing starts, however it started: a pending edit request is done then. */
  onEditStart?: () => void;
  /**
   * Where focus goes when an edit that `editSignal` started ends, instead of
   * the Edit button: back to the control that asked (the list, for F2).
   */
  onSignalledEditEnd?: () => void;
  /**
   * Called when a draft saved on the way out (the field went away mid-edit,
   * e.g. its snapshot was deleted elsewhere) could not be saved, so the user
   * hears of it rather than losing it without a word.
   */
  onDraftLost?: (draft: string, err: unknown) => void;
}

/**
 * A value with an Edit button that turns into a labelled input. Enter saves
 * (Shift+Enter is a new line in a multi-line field), Escape cancels, and
 * focus comes back to the Edit button either way (or, for an edit asked for
 * from elsewhere, to where `onSignalledEditEnd` puts it). Problems — a taken name
 * as you type, or the store's refusal — appear under the input. Leaving
 * while editing (another row clicked) saves the draft rather than losing it.
 */
export function EditableText({ label, value, placeholder, multiline, check, onSave, editSignal, onEditStart, onSignalledEditEnd, onDraftLost }: EditableTextProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  /** Set when editing ends by the user's hand, so focus goes back to the Edit button once it is drawn. */
  const returnFocus = useRef(false);
  /** Whether this edit was started by editSignal rather than the Edit button. */
  const [bySignal, setBySignal] = useState(false);
  const inputId = useId();
  const errorId = useId();

  const start = (signalled: boolean) => {
    setBySignal(signalled);
    setDraft(value);
    setError(null);
    setEditing(true);
  };

  // From 0, so a request made before this field existed starts it too (onEditStart then clears it).
  const [lastSignal, setLastSignal] = useState(0);
  if ((editSignal ?? 0) !== lastSignal) {
    setLastSignal(editSignal ?? 0);
    if (editSignal) start(true);
  }

  useEffect(() => {
    if (editing) {
      inputRef.current?.focus();
      inputRef.current?.select();
    } else if (returnFocus.current) {
      returnFocus.current = false;
      if (bySignal && onSignalledEditEnd) onSignalledEditEnd();
      else editButton.current?.focus();
    }
    // Only the end of editing moves focus; a new callback identity must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing]);

  // Apart from the focus effect: a new onEditStart must not select the input again while the user types.
  useEffect(() => {
    if (editing) onEditStart?.();
  }, [editing, onEditStart]);

  useEffect(() => {
    if (error && !saving) inputRef.current?.focus();
  }, [error, saving]);

  // Unmounting mid-edit (another snapshot selected) saves a changed, valid draft instead of throwing it away.
  const pending = useRef<{ draft: string; value: string; editing: boolean; saving: boolean }>({ draft, value, editing, saving });
  const saveRef = useRef({ onSave, check, onDraftLost });
  useEffect(() => {
    pending.current = { draft, value, editing, saving };
    saveRef.current = { onSave, check, onDraftLost };
  });
  useEffect(
    () => () => {
      const p = pending.current;
      if (!p.editing || p.saving || p.draft === p.value || saveRef.current.check?.(p.draft)) return;
      const { onSave: save, onDraftLost: lost } = saveRef.current;
      save(p.draft).catch((err: unknown) => lost?.(p.draft, err));
    },
    [],
  );

  const stop = () => {
    returnFocus.current = true;
    setEditing(false);
    setError(null);
  };

  const live = draft !== value ? (check?.(draft) ?? null) : null;

  const save = async () => {
    if (draft === value) {
      stop();
      return;
    }
    if (live) {
      setError(null);
      inputRef.current?.focus();
      return;
    }
    setSaving(true);
    try {
      await onSave(draft);
      stop();
    } catch (err) {
      // Focus returns to the input once it is enabled again (effect above).
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
    } else if (e.key === 'Enter' && e.target === inputRef.current && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    }
  };

  if (!editing) {
    return (
      <div className="editable">
        <span className={`editable-value${value ? '' : ' muted'}${multiline ? ' multiline' : ''}`}>{value ? <EscapedText text={value} multiline={multiline} /> : placeholder}</span>
        <button ref={editButton} type="button" className="small" onClick={() => start(false)} aria-label={`Edit ${label.toLowerCase()}`}>
          Edit
        </button>
      </div>
    );
  }

  const shown = error ?? live?.problem ?? null;
  const common = {
    id: inputId,
    value: draft,
    disabled: saving,
    'aria-invalid': shown ? true : undefined,
    'aria-describedby': shown ? errorId : undefined,
  } as const;

  return (
    <div className="editable editing" onKeyDown={onKeyDown}>
      <label htmlFor={inputId} className="visually-hidden">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} ref={inputRef} rows={3} onChange={(e) => setDraft(e.target.value)} />
      ) : (
        <input
          {...common}
          ref={inputRef}
          type="text"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
        />
      )}
      {/* Always present (and, where checked as typed, a line tall), so the buttons below do not jump as a problem comes and goes. */}
      <div className={check ? 'field-problem reserved' : 'field-problem'} id={errorId} aria-live="polite">
        {shown ? <span className="field-error">{shown}</span> : null}
        {!error && live?.suggestion ? (
          <button type="button" className="small" onClick={() => {
              setDraft(live.suggestion ?? draft);
              inputRef.current?.focus();
            }}
          >
            Use “{live.suggestion}”
          </button>
        ) : null}
      </div>
      <div className="editable-actions">
        <button type="button" className="primary small" onClick={() => void save()} disabled={saving || live !== null}>
          Save
        </button>
        <button type="button" className="small" onClick={stop} disabled={saving}>
          Cancel
        </button>
        {multiline ? (
          <span className="muted hint">
            <kbd>Enter</kbd> saves · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line
          </span>
        ) : null}
      </div>
    </div>
  );
}
