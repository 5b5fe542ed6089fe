import { focusList } from '../../shared/list-focus';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SnapshotDetails } from '../../../src-core/types';
import { useApp, useIsDesktop, useSelection, useSnapshots, useUi, useView } from '../../app/context';
import { useWindowWidth } from '../../app/use-window-width';
import type { DetailsPane } from './view-store';
import { formatBytes, formatExactBytes, freeName, nameProblem, formatCount } from '../../../src-core/rules';
import { errorMessage, plainError } from '../../format/errors';
import { displayName } from '../../format/ids';
import { nameTakenProblem } from '../imports/import-names';
import { formatExactTime } from '../../format/time';
import { RelativeTime } from '../../shared/RelativeTime';
import { EditableText } from '../../shared/EditableText';
import { EscapedText } from '../../shared/EscapedText';

/** Below this window width the details pane starts collapsed (until the user opens it). */
export const DETAILS_AUTO_MIN_WIDTH = 1100;

/** Whether the details pane shows: the user's choice, else open only in a wide window. */
export function useDetailsOpen(): boolean {
  const pane = useView((s) => s.detailsPane);
  const width = useWindowWidth();
  return pane === 'open' || (pane === 'auto' && width >= DETAILS_AUTO_MIN_WIDTH);
}

/**
 * The detail panel: everything about the one selected snapshot, or a summary
 * of several. It collapses to a slim rail (remembered), and gives the whole
 * window to the empty state when there is nothing to inspect.
 */
export function InspectPanel() {
  const app = useApp();
  const open = useDetailsOpen();
  const empty = useSnapshots((s) => s.loaded && s.list.length === 0);
  const focusSignal = useUi((s) => s.focusInspect);
  const editSignal = useUi((s) => s.editRequest?.n ?? 0);
  const view = app.stores.view;

  // Inspect (Enter, double-click) and Rename (F2, menu) open a collapsed pane, since that is where they happen.
  useEffect(() => {
    if (focusSignal > 0 || editSignal > 0) {
      if (!isOpenNow(view.getState().detailsPane)) view.getState().setDetailsPane('open');
    }
  }, [focusSignal, editSignal, view]);

  if (empty) return null;
  if (!open) {
    return (
      <div className="inspect-rail">
        <button type="button" className="rail-button" aria-expanded={false} aria-label="Show details" title="Show details" onClick={() => view.getState().setDetailsPane('open')}>
          <span aria-hidden="true">‹</span>
          <span className="rail-text" aria-hidden="true">
            Details
          </span>
        </button>
      </div>
    );
  }
  return <InspectPane />;
}

const isOpenNow = (pane: DetailsPane): boolean => pane === 'open' || (pane === 'auto' && window.innerWidth >= DETAILS_AUTO_MIN_WIDTH);

function InspectPane() {
  const app = useApp();
  const selected = useSelection((s) => s.selected);
  const focusSignal = useUi((s) => s.focusInspect);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (focusSignal > 0) headingRef.current?.focus();
  }, [focusSignal]);

  const only = selected.size === 1 ? ([...selected][0] as string) : null;
  return (
    <aside className="inspect" aria-labelledby="inspect-title">
      <div className="inspect-head">
        <h2 id="inspect-title" className="panel-title" ref={headingRef} tabIndex={-1}>
          Details
        </h2>
        <button
          type="button"
          className="icon small"
          aria-expanded={true}
          aria-label="Hide details"
          title="Hide details"
          // The button goes with the pane; keepFocusInWindow (list-focus.ts) puts focus back on the list.
          onClick={() => app.stores.view.getState().setDetailsPane('closed')}
        >
          <span aria-hidden="true">›</span>
        </button>
      </div>
      {only !== null ? <SnapshotDetailsView key={only} id={only} /> : selected.size > 1 ? <SelectionSummary ids={[...selected]} /> : <p className="muted">Select a snapshot to see its details.</p>}
    </aside>
  );
}

function SelectionSummary({ ids }: { ids: string[] }) {
  const app = useApp();
  const byId = useSnapshots((s) => s.byId);
  const total = ids.reduce((sum, id) => sum + (byId.get(id)?.usage?.allocated ?? 0), 0);
  return (
    <div className="summary">
      <p>
        <strong>{`${formatCount(ids.length, 'snapshot')} selected`}</strong>, {formatBytes(total)} on disk.
      </p>
      <div className="actions">
        <button type="button" onClick={() => void app.exports.exportSelected()}>
          Export {ids.length}…
        </button>
        <button type="button" className="danger" onClick={() => app.moveSelectedToTrash()}>
          Delete {ids.length}…
        </button>
      </div>
    </div>
  );
}

type Load = { state: 'loading' } | { state: 'ready'; details: SnapshotDetails } | { state: 'error'; message: string };

function SnapshotDetailsView({ id }: { id: string }) {
  const app = useApp();
  const version = useSnapshots((s) => s.version);
  const desktop = useIsDesktop();
  const editRequest = useUi((s) => (s.editRequest?.id === id ? s.editRequest.n : 0));
  const editRequestTaken = useUi((s) => s.editRequestTaken);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  // A draft left behind (the snapshot went away mid-edit) that could not be saved: said, with its text, not dropped.
  const draftLost = (what: string, err: unknown) => {
    const { reason, detail } = plainError(err);
    app.stores.ui.getState().toast('error', `${what} was not saved: ${reason}.`, detail ? { detail } : {});
  };

  // Re-read whenever the list changes (rename here, the CLI elsewhere).
  useEffect(() => {
    let live = true;
    app.snapshots.inspect(id).then(
      (details) => live && setLoad({ state: 'ready', details }),
      (err: unknown) => live && setLoad({ state: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [app, id, version]);

  if (load.state === 'loading') return <p className="muted" role="status">Reading details…</p>;
  if (load.state === 'error') return <p className="error-text" role="alert">Could not read this snapshot: {load.message}</p>;
  const d = load.details;
  const c = d;
  const blobs = Object.keys(d.image_blob_ids ?? {});

  return (
    <div className="details">
      <h3 className="details-name">
        <EscapedText text={displayName(d)} />
      </h3>
      <dl className="fields">
        <Field label="Name" stacked>
          <EditableText
            label="Name"
            value={d.name}
            placeholder="unnamed"
            check={(typed) => {
              // Spaces around a name are never meant: " web " is "web", and spaces alone leave it unnamed.
              const name = typed.trim();
              const bad = nameProblem(name);
              if (bad) return { problem: bad };
              if (name === '' || !app.stores.snapshots.getState().list.some((o) => o.id !== id && o.name === name)) return null;
              // The same words and the same kind of offer as the import dialog.
              const taken = new Set(app.stores.snapshots.getState().list.map((o) => o.name));
              return { problem: nameTakenProblem(name), suggestion: freeName(name, (n) => taken.has(n)) };
            }}
            editSignal={editRequest}
            onEditStart={editRequestTaken}
            onSignalledEditEnd={focusList}
            onSave={(name) => app.snapshots.rename(id, { name: name.trim() })}
            onDraftLost={(name, err) => draftLost(`The name “${name.trim()}”`, err)}
          />
        </Field>
        <Field label="Description" stacked>
          <EditableText
            label="Description"
            value={d.description ?? ''}
            placeholder="no description"
            multiline
            onSave={(description) => app.snapshots.rename(id, { description })}
            onDraftLost={(_, err) => draftLost('The new description', err)}
          />
        </Field>
        <Field label="ID">
          <span className="mono selectable">{d.id}</span>
        </Field>
        <Field label="Created">
          <time dateTime={d.created_at}>{formatExactTime(d.created_at)}</time> <span className="muted">(<RelativeTime iso={d.created_at} />)</span>
        </Field>
        <Field label="Hypervisor">{c.hypervisor ?? '—'}</Field>
        <Field label="CPU">{c.cpu ? `${c.cpu} vCPU${c.cpu === 1 ? '' : 's'}` : '—'}</Field>
        <Field label="Memory">{sized(c.memory)}</Field>
        <Field label="Storage (COW disk)">{sized(c.storage)}</Field>
        <Field label="Queue size">{c.queue_size ?? '—'}</Field>
        <Field label="Disk queue size">{c.disk_queue_size ?? '—'}</Field>
        <Field label="Image">{c.image ?? '—'}</Field>
        <Field label="Image type">{c.image_type ?? '—'}</Field>
        <Field label="Image digest">
          {/* The dash outside the monospace span: in that font it would look like "–". */}
          {c.image_digest ? <span className="mono selectable wrap">{c.image_digest}</span> : '—'}
        </Field>
        <Field label="Network">{c.network ?? '—'}</Field>
        <Field label="NICs">{c.nics ?? '—'}</Field>
        <Field label="Direct I/O">{c.no_direct_io ? 'off' : 'on'}</Field>
        <Field label="Windows guest">{c.windows ? 'yes' : 'no'}</Field>
        <Field label="Image blob IDs">
          {blobs.length === 0 ? (
            '—'
          ) : (
            <ul className="blob-list" aria-label="Image blob IDs">
              {blobs.map((b) => (
                <li key={b} className="mono selectable wrap">
                  {b}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field label="Data directory">
          <span className="mono selectable wrap">{d.data_dir}</span>
          {desktop ? (
            <button type="button" className="small" onClick={() => void app.snapshots.showInFolder(id)}>
              Show in folder
            </button>
          ) : null}
        </Field>
      </dl>
      <table className="files">
        <caption>Data files</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col" className="num">
              Apparent size
            </th>
            <th scope="col" className="num">
              On disk
            </th>
          </tr>
        </thead>
        <tbody>
          {d.files.map((f) => (
            <tr key={f.name}>
              <th scope="row" className="mono">
                {f.name}
              </th>
              <td className="num" title={formatExactBytes(f.size)}>
                {formatBytes(f.size)}
              </td>
              <td className="num" title={formatExactBytes(f.allocated)}>
                {formatBytes(f.allocated)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatBytes(d.usage.size)}</td>
            <td className="num">{formatBytes(d.usage.allocated)}</td>
          </tr>
        </tfoot>
      </table>
      <div className="actions">
        <button type="button" onClick={() => void app.snapshots.copyText(JSON.stringify(d, null, 2), 'the details as JSON')}>
          Copy as JSON
        </button>
        <button type="button" onClick={() => void app.exports.exportIds([id])}>
          Export…
        </button>
        <button type="button" className="danger" onClick={() => void app.trash.moveToTrash([id])}>
          Move to the trash
        </button>
      </div>
    </div>
  );
}

function sized(bytes: number | undefined): ReactNode {
  if (!bytes) return '—';
  return <span title={formatExactBytes(bytes)}>{formatBytes(bytes)}</span>;
}

/** A label and its value side by side; `stacked` puts the label above, for long text the pane's width is best given to. */
function Field({ label, stacked = false, children }: { label: string; stacked?: boolean; children: ReactNode }) {
  return (
    <div className={stacked ? 'field stacked' : 'field'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
