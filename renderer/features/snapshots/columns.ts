import type { SortKey } from './view-store';

export interface Column {
  key: SortKey;
  label: string;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

/** The table's columns, in order; widths live in table.css (grid-template-columns). */
export const COLUMNS: readonly Column[] = [
  { key: 'name', label: 'Name' },
  { key: 'id', label: 'ID' },
  { key: 'hypervisor', label: 'Hypervisor' },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'size', label: 'On disk', numeric: true },
  { key: 'image', label: 'Image' },
  { key: 'created', label: 'Created' },
  { key: 'description', label: 'Description' },
];

/** Fixed row height (px): rows never change height, so nothing jumps and virtualization is exact. */
export const ROW_HEIGHT = 34;
