import { useEffect, useRef, useState } from 'react';
import { formatBytes, MAX_RETENTION_DAYS } from '../../../src-core/rules';
import { useApp } from '../../app/context';
import type { TrashSettings as Values } from '../../contract';
import { errorMessage } from '../../format/errors';
import { createRunAction } from '../../shared/run-action';
import { useTrash } from './use-trash';

const GiB = 1024 ** 3;

/** Settings' trash section: how long deleted snapshots stay, and the free space below which the trash empties. */
export function TrashSettings() {
  const settings = useTrash((s) => s.summary?.settings);
  // Re-keyed when the stored values change, so the fields start from them.
  return settings ? <TrashSettingsForm key={`${settings.retentionDays}/${settings.minFreeBytes}`} settings={settings} /> : null;
}

function TrashSettingsForm({ settings }: { settings: Values }) {
  const app = useApp();
  const [days, setDays] = useState(String(settings.retentionDays));
  const [gib, setGib] = useState(String(Math.round((settings.minFreeBytes / GiB) * 10) / 10));
  const [error, setError] = useState<{ field: Refusal['field'] | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const freeBytes = useTrash((s) => s.summary?.freeBytes ?? null);
  const threshold = Math.round(Number(gib) * GiB);
  // Above what the disk has free, the threshold empties the trash as soon as anything reaches it.
  const everyDeleteFinal = freeBytes !== null && Number.isFinite(threshold) && threshold > freeBytes;

  // Edits still unsaved when Settings closes are saved then, as the theme applies at once: closing must not undo them.
  const latest = useRef({ days, gib });
  useEffect(() => {
    latest.current = { days, gib };
  }, [days, gib]);
  useEffect(
    () => () => {
      const values = checked(latest.current.days, latest.current.gib);
      // Compared with what is stored now: a Save just made re-keys this form, and must not be sent twice.
      const stored = app.trash.store.getState().summary?.settings ?? settings;
      if ('field' in values || (values.retentionDays === stored.retentionDays && values.minFreeBytes === stored.minFreeBytes)) return;
      void createRunAction(app.stores.ui)('Trash settings not saved', () => app.trash.saveSettings(values));
    },
    [app, settings],
  );

  const save = async () => {
    const values = checked(days, gib);
    if ('field' in values) return setError(values);
    setBusy(true);
    setError(null);
    try {
      await app.trash.saveSettings(values);
    } catch (err) {
      setError({ field: null, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="trash-settings">
      <legend>Trash</legend>
      <label className="field-label">
        Keep deleted snapshots (days)
        <input type="number" min={0} max={MAX_RETENTION_DAYS} step={1} value={days} aria-invalid={error?.field === 'days' ? true : undefined} onChange={(e) => setDays(e.target.value)} />
      </label>
      <label className="field-label">
        Empty the trash when free space is under (GiB)
        <input
          type="number"
          min={0}
          step={0.5}
          value={gib}
          aria-invalid={error?.field === 'gib' ? true : undefined}
          aria-describedby={everyDeleteFinal ? 'trash-free-warning' : undefined}
          onChange={(e) => setGib(e.target.value)}
        />
      </label>
      {everyDeleteFinal ? (
        <p id="trash-free-warning" className="warning-text" role="status">
          This disk has {formatBytes(freeBytes)} free, less than that: every Delete would delete for ever, with no Undo.
        </p>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      ) : null}
      <button type="button" className="trash-save" disabled={busy} onClick={() => void save()}>
        Save trash settings
      </button>
    </fieldset>
  );
}

/** A field the form refuses, and why. */
interface Refusal {
  field: 'days' | 'gib';
  message: string;
}

/** The form's values as settings, or which field is wrong and why (an empty field is not 0). */
function checked(days: string, gib: string): Values | Refusal {
  const retentionDays = Number(days);
  const minFreeBytes = Math.round(Number(gib) * GiB);
  if (days.trim() === '' || !Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
    return { field: 'days', message: `Keep snapshots for a whole number of days, from 0 to ${MAX_RETENTION_DAYS}.` };
  }
  if (gib.trim() === '' || !Number.isFinite(minFreeBytes) || minFreeBytes < 0) return { field: 'gib', message: 'The free-space threshold is a number of GiB (0 turns it off).' };
  return { retentionDays, minFreeBytes };
}
