import { cleanName, freeName, nameProblem } from '../../../src-core/rules';
import type { ImportItem } from './import-store';

/** What is wrong with an item's name right now, and a one-click fix when there is one. */
export interface NameCheck {
  problem: string | null;
  suggestion: string | null;
}

/** The names an import dialog's items must not take. */
export interface NameContext {
  /** A snapshot in the store's list has this name. */
  inStore(name: string): boolean;
  /** Names that imports already started (not yet in the list) will take. */
  running: ReadonlySet<string>;
}

/** The words for a taken name, the same in the import dialog and the details pane. */
export function nameTakenProblem(name: string): string {
  return `A snapshot named “${name}” already exists. Choose another name.`;
}

const OK: NameCheck = { problem: null, suggestion: null };

/** The name an import will get: what the user typed, else the archive's own. */
export function effectiveName(item: ImportItem): string {
  return item.name.trim() || item.preview?.config.name || '';
}

/**
 * Checks every item of the dialog together, in order: a name is a problem
 * when the store, a running import or another item of this dialog has it, and
 * each suggestion is free of all of those and of the suggestions offered to
 * the items above it, so taking every offer never makes two imports collide.
 */
export function checkImportNames(items: readonly ImportItem[], ctx: NameContext): NameCheck[] {
  // Items still loading their preview have no name yet and cannot clash.
  const names = items.map((i) => (i.preview ? effectiveName(i) : ''));
  const offered = new Set<string>();

  return items.map((item, index) => {
    const preview = item.preview;
    if (!preview) return OK;
    const name = names[index] ?? '';
    const usedByOther = (n: string) => names.some((o, j) => j !== index && o === n);
    const unavailable = (n: string) => n === name || ctx.inStore(n) || ctx.running.has(n) || usedByOther(n) || offered.has(n);
    const suggest = (): string => {
      // The store's own suggestion is for the archive's name; anything else gets the next free "-N".
      const fromStore = preview.suggestedName;
      const pick = fromStore && name === preview.config.name && !unavailable(fromStore) ? fromStore : freeName(name, unavailable);
      offered.add(pick);
      return pick;
    };

    const bad = nameProblem(item.name);
    if (bad) {
      // A cleaned name (the store's, when the name is the archive's), counted on past what is taken.
      const cleaned = cleanName(item.name);
      const fromStore = preview.suggestedName;
      const pick = fromStore && item.name === preview.config.name && !unavailable(fromStore) ? fromStore : cleaned !== '' ? freeName(cleaned, unavailable) : null;
      if (pick !== null) offered.add(pick);
      return { problem: bad, suggestion: pick };
    }
    if (item.nameError) return { problem: item.nameError, suggestion: suggest() };
    if (name === '') return OK;
    if ((preview.nameTaken && name === preview.config.name) || ctx.inStore(name)) {
      return { problem: nameTakenProblem(name), suggestion: suggest() };
    }
    if (ctx.running.has(name)) {
      return { problem: `An import already under way will be named “${name}”.`, suggestion: suggest() };
    }
    if (usedByOther(name)) {
      return { problem: `Another archive in this import is also named “${name}”.`, suggestion: suggest() };
    }
    return OK;
  });
}
