import { memo, type MouseEvent } from 'react';
import type { SnapshotSummary } from '../../../src-core/types';
import { useApp, useSelection } from '../../app/context';
import { formatBytes, formatExactBytes, formatOptionalBytes as formatMemory, escapeUnsafe } from '../../../src-core/rules';
import { hasVisibleName, shortId } from '../../format/ids';
import { formatExactTime, formatRelativeTime } from '../../format/time';
import type { Column } from './columns';
import { ImageReference } from './ImageReference';
import { EscapedText } from '../../shared/EscapedText';

interface RowProps {
  snapshot: SnapshotSummary;
  /** 0-based position among the rows shown. */
  index: number;
  /** Pixel offset in the scroll body. */
  top: number;
  now: number;
  /** The columns shown, in order (widths come from the grid's --cols). */
  columns: readonly Column[];
}

export const rowDomId = (id: string): string => `snapshot-row-${id}`;

/** The name a row is announced by (and found by in tests): the snapshot's name. */
export const rowLabel = (s: { id: string; name: string }): string => (hasVisibleName(s.name) ? s.name : `Unnamed snapshot ${shortId(s.id)}`);

/**
 * One snapshot. Subscribes only to its own selected/focused flags, so
 * selecting a row re-renders two rows, not ten thousand.
 */
export const SnapshotRow = memo(function SnapshotRow({ snapshot: s, index, top, now, columns }: RowProps) {
  const app = useApp();
  const selected = useSelection((st) => st.selected.has(s.id));
  const focused = useSelection((st) => st.focus === s.id);

  const onClick = (e: MouseEvent) => {
    const sel = app.stores.selection.getState();
    if (e.shiftKey) sel.extendTo(s.id, app.stores.visible().map((x) => x.id));
    else if (e.ctrlKey || e.metaKey) sel.toggle(s.id);
    else sel.selectOnly(s.id);
  };

  const onContextMenu = (e: MouseEvent) => {
    e.preventDefault();
    const sel = app.stores.selection.getState();
    // Right-clicking outside the selection acts on that row alone, as file managers do.
    if (!sel.selected.has(s.id)) sel.selectOnly(s.id);
    app.stores.ui.getState().openContextMenu({ x: e.clientX, y: e.clientY, id: s.id });
  };

  return (
    <div
      id={rowDomId(s.id)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-label={rowLabel(s)}
      className={`row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
      onDoubleClick={() => app.stores.ui.getState().requestFocusInspect()}
      onContextMenu={onContextMenu}
    >
      {columns.map((c) => (
        <Cell key={c.key} column={c} snapshot={s} now={now} />
      ))}
    </div>
  );
});

/** An empty value: one dash everywhere, muted. */
const Empty = () => <span className="muted">—</span>;

function Cell({ column, snapshot: s, now }: { column: Column; snapshot: SnapshotSummary; now: number }) {
  const app = useApp();
  const num = column.numeric ? ' num' : '';
  switch (column.key) {
    case 'name':
      return (
        <div role="gridcell" className="cell name" title={s.name ? escapeUnsafe(s.name) : undefined}>
          {hasVisibleName(s.name) ? <EscapedText text={s.name} /> : <span className="muted">{shortId(s.id)}</span>}
        </div>
      );
    case 'id': {
      const short = shortId(s.id);
      return (
        <div role="gridcell" className="cell id">
          <button
            type="button"
            className="link mono"
            tabIndex={-1}
            aria-label={`Copy ID ${short}`}
            title={`${s.id} — click to copy`}
            onClick={(e) => {
              e.stopPropagation();
              void app.snapshots.copyText(s.id, 'the snapshot ID');
            }}
          >
            {short}
          </button>
        </div>
      );
    }
    case 'hypervisor':
      return (
        <div role="gridcell" className="cell" title={s.hypervisor}>
          {s.hypervisor ?? <Empty />}
        </div>
      );
    case 'cpu':
      return (
        <div role="gridcell" className={`cell${num}`}>
          {s.cpu ?? <Empty />}
        </div>
      );
    case 'memory':
      return (
        <div role="gridcell" className={`cell${num}`}>
          {s.memory ? formatMemory(s.memory) : <Empty />}
        </div>
      );
    case 'size':
      return (
        <div
          role="gridcell"
          className={`cell${num}`}
          title={s.usage ? `${formatExactBytes(s.usage.allocated)} on disk; apparent size ${formatBytes(s.usage.size)}` : 'The data directory could not be read'}
        >
          {s.usage ? formatBytes(s.usage.allocated) : <span className="muted">unreadable</span>}
        </div>
      );
    case 'image':
      return (
        <div role="gridcell" className="cell image">
          {s.image ? <ImageReference text={s.image} /> : <Empty />}
        </div>
      );
    case 'created':
      return (
        <div role="gridcell" className="cell">
          <time dateTime={s.created_at} title={formatExactTime(s.created_at)}>
            {formatRelativeTime(s.created_at, now, 'short')}
          </time>
        </div>
      );
    case 'description':
      return (
        <div role="gridcell" className="cell desc" title={s.description !== undefined ? escapeUnsafe(s.description, { multiline: true }) : undefined}>
          {/* Line breaks and tabs are allowed in a description: on this one line they read as spaces. */}
          {s.description ? <EscapedText text={s.description} multiline /> : <Empty />}
        </div>
      );
  }
}
