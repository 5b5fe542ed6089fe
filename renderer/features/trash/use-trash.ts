import { useStore } from 'zustand';
import { useApp } from '../../app/context';
import type { TrashState } from './trash-store';

/** Reads the trash store of this window. */
export const useTrash = <T,>(sel: (s: TrashState) => T): T => useStore(useApp().trash.store, sel);
