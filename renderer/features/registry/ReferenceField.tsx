import { useId } from 'react';
import { useRegistry } from '../../app/context';

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** How a recently used repository is offered (push offers `repo:latest`). */
  suggest?: (repository: string) => string;
  /** Id of the message that explains why the value is refused, if one is shown. */
  errorId?: string;
}

/** The registry reference input of the push and pull dialogs, offering recently used repositories. */
export function ReferenceField({ label, value, onChange, suggest = (r) => r, errorId }: Props) {
  const recent = useRegistry((s) => s.recent);
  const inputId = useId();
  const listId = useId();
  return (
    <div className="form-row">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        data-autofocus
        type="text"
        list={listId}
        value={value}
        placeholder="registry.example.com/team/web-golden:latest"
        autoComplete="off"
        spellCheck={false}
        maxLength={512}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={errorId}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {recent.map((r) => (
          <option key={r} value={suggest(r)} />
        ))}
      </datalist>
    </div>
  );
}
