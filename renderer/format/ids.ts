/** Snapshot IDs are 26 base32 characters; 8 are plenty to tell them apart at a glance. */
export const SHORT_ID_LENGTH = 8;

export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}

/** How a snapshot is named to people: its name, or "unnamed <short id>". */
export function displayName(snapshot: { id: string; name: string }): string {
  return hasVisibleName(snapshot.name) ? snapshot.name : `unnamed ${shortId(snapshot.id)}`;
}

/** Whether a name shows anything: "" and names of spaces only (another tool may store those) read as unnamed. */
export const hasVisibleName = (name: string): boolean => name.trim() !== '';

/** Joins names for a sentence: "a", "a and b", "a, b and 3 others". */
export function listNames(names: string[], max = 3): string {
  if (names.length === 0) return 'nothing';
  if (names.length === 1) return names[0] ?? '';
  if (names.length <= max) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const rest = names.length - (max - 1);
  return `${names.slice(0, max - 1).join(', ')} and ${rest} others`;
}
