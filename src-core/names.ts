/** The store's checks of names and descriptions it is asked to write (the rules live in ./rules). */
import { SnapDeskError } from './errors';
import { cleanDescription, cleanName, descriptionProblem, escapeUnsafe, nameProblem } from './rules';

/**
 * Refuses a name with control or invisible formatting characters; the
 * error's details carry a cleaned name to offer instead ("" when nothing
 * printable is left). "" means unnamed and is always fine.
 */
export function validateName(name: string): string {
  const problem = nameProblem(name);
  if (problem) {
    throw new SnapDeskError('invalid_input', `snapshot name "${escapeUnsafe(name)}" refused: ${problem}`, { field: 'name', suggestion: cleanName(name) });
  }
  return name;
}

/** Refuses a description with control or invisible formatting characters other than line breaks and tabs. */
export function validateDescription(description: string): string {
  const problem = descriptionProblem(description);
  if (problem) {
    throw new SnapDeskError('invalid_input', `description refused: ${problem}`, { field: 'description', suggestion: cleanDescription(description) });
  }
  return description;
}
