/**
 * Name rules mirrored from the contract (printable, no slashes, ≤ 256) so the
 * user hears about a bad name while typing, not after a round trip.
 */
export function nameProblem(name: string): string | null {
  if (name.length > 256) return 'A name can be at most 256 characters.';
  for (const c of name) {
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return 'A name cannot contain control characters.';
    if (c === '/' || c === '\\') return 'A name cannot contain slashes.';
  }
  return null;
}

/** The first free "<name>-N" (N ≥ 2), the same shape the store suggests. */
export function freeName(name: string, taken: (candidate: string) => boolean): string {
  const base = name.replace(/-\d+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
