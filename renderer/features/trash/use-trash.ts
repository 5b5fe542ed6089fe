import { useStore } from 'zustand';
import { useController } from '../../app/context';
import type { TrashState } from './trash-store';

/** Reads the trash store of this window. */
export const useTrash = <T,>(sel: (s: TrashState) => T): T => useStore(useController().trash.store, sel);
