import type { SortKey } from './view-store';

export interface Column {
  key: SortKey;
  label: string;
  /** Right-aligned numbers. */
  numeric?: boolean;
  /** Width (px) before the user resizes it; together (944 px) they fit a 1280 px window beside the details pane and a scrollbar. */
  width: number;
  /** Narrowest the user can drag it. */
  minWidth: number;
  /** The name column is how a row is known: it can be neither hidden nor scrolled away. */
  fixed?: boolean;
}

/**
 * The table's columns, in order. The last shown column takes whatever room is
 * left, so the table always fills its pane; the others keep their widths.
 */
export const COLUMNS: readonly Column[] = [
  { key: 'name', label: 'Name', width: 166, minWidth: 90, fixed: true },
  { key: 'id', label: 'ID', width: 84, minWidth: 60 },
  // "cloud-hypervisor" whole, and no wider.
  { key: 'hypervisor', label: 'Hypervisor', width: 126, minWidth: 64 },
  { key: 'cpu', label: 'CPU', numeric: true, width: 56, minWidth: 48 },
  // "Memory" and its sort mark whole.
  { key: 'memory', label: 'Memory', numeric: true, width: 84, minWidth: 60 },
  { key: 'size', label: 'On disk', numeric: true, width: 80, minWidth: 60 },
  { key: 'image', label: 'Image', width: 144, minWidth: 80 },
  { key: 'created', label: 'Created', width: 104, minWidth: 80 },
  { key: 'description', label: 'Description', width: 96, minWidth: 80 },
];

export const COLUMN_BY_KEY: ReadonlyMap<SortKey, Column> = new Map(COLUMNS.map((c) => [c.key, c]));

export const MAX_COLUMN_WIDTH = 800;

/** Fixed row height (px): rows never change height, so nothing jumps and virtualization is exact. */
export const ROW_HEIGHT = 34;
/** The header row's height (px); the header stays at the top of the scrolling body. */
export const HEAD_HEIGHT = 32;

export interface ColumnLayout {
  shown: readonly Column[];
  /** CSS grid-template-columns for the header and every row. */
  template: string;
  /** The table's width before the last column stretches into spare room. */
  minWidth: number;
  widthOf(key: SortKey): number;
}

/** The shown columns and their widths; the last shown column stretches so the table fills its pane. */
export function columnLayout(widths: Partial<Record<SortKey, number>>, hidden: readonly SortKey[]): ColumnLayout {
  const shown = COLUMNS.filter((c) => c.fixed || !hidden.includes(c.key));
  const widthOf = (key: SortKey): number => {
    const c = COLUMN_BY_KEY.get(key);
    if (!c) return 0;
    return Math.max(c.minWidth, Math.min(MAX_COLUMN_WIDTH, widths[key] ?? c.width));
  };
  const template = shown.map((c, i) => (i === shown.length - 1 ? `minmax(${widthOf(c.key)}px, 1fr)` : `${widthOf(c.key)}px`)).join(' ');
  return { shown, template, minWidth: shown.reduce((sum, c) => sum + widthOf(c.key), 0), widthOf };
}
