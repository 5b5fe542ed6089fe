import { cleanDescription, cleanName, descriptionProblem, freeName, nameProblem, quoteName } from '../../src-core/rules';
import type { ImportItem } from '../state/import-store';

/** What is wrong with an item's name and description right now, and a one-click fix when there is one. */
export interface NameCheck {
  problem: string | null;
  suggestion: string | null;
  descriptionProblem: string | null;
  descriptionSuggestion: string | null;
}

/** The names an import dialog's items must not take. */
export interface NameContext {
  /** A snapshot in the store's list has this name. */
  inStore(name: string): boolean;
  /** Names that imports already started (not yet in the list) will take. */
  running: ReadonlySet<string>;
}

const OK: NameCheck = { problem: null, suggestion: null, descriptionProblem: null, descriptionSuggestion: null };

/** The name an import will get: what the user typed, else the archive's own. */
export function effectiveName(item: ImportItem): string {
  return item.name.trim() || item.preview?.config.name || '';
}

/** The description an import will get: what the user typed, else the archive's own. */
export function effectiveDescription(item: ImportItem): string {
  return item.description.trim() || item.preview?.config.description || '';
}

/** A refused description, and the cleaned one to offer (none when nothing would be left: empty keeps the archive's). */
function checkDescription(item: ImportItem): Pick<NameCheck, 'descriptionProblem' | 'descriptionSuggestion'> {
  const description = effectiveDescription(item);
  const problem = descriptionProblem(description);
  if (!problem) return { descriptionProblem: null, descriptionSuggestion: null };
  const cleaned = cleanDescription(description);
  return { descriptionProblem: problem, descriptionSuggestion: cleaned !== '' ? cleaned : null };
}

/**
 * Checks every item of the dialog together, in order: a name is a problem
 * when it holds a refused character, or when the store, a running import or
 * another item of this dialog has it, and each suggestion is free of all of
 * those and of the suggestions offered to the items above it, so taking
 * every offer never makes two imports collide.
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
    /** A free name counted on from `from`; the store's own suggestion (already cleaned and counted on) when the name is the archive's. */
    const suggest = (from: string): string | null => {
      const fromStore = preview.suggestedName;
      const pick = fromStore && name === preview.config.name && !unavailable(fromStore) ? fromStore : from === '' ? null : freeName(from, unavailable);
      if (pick !== null) offered.add(pick);
      return pick;
    };
    const description = checkDescription(item);
    const result = (problem: string | null, suggestion: string | null): NameCheck => ({ problem, suggestion, ...description });

    const bad = nameProblem(name);
    if (bad) return result(bad, suggest(cleanName(name)));
    if (item.nameError) return result(item.nameError, suggest(name));
    if (name === '') return result(null, null);
    if ((preview.nameTaken && name === preview.config.name) || ctx.inStore(name)) {
      return result(`A snapshot named ${quoteName(name)} already exists. Choose another name.`, suggest(name));
    }
    if (ctx.running.has(name)) {
      return result(`An import already under way will be named ${quoteName(name)}.`, suggest(name));
    }
    if (usedByOther(name)) {
      return result(`Another archive in this import is also named ${quoteName(name)}.`, suggest(name));
    }
    return result(null, null);
  });
}
