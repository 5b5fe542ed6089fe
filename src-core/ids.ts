import { randomBytes } from 'node:crypto';
import { SnapDeskError } from './errors';

/** RFC 4648 base32 alphabet, as Go's crypto/rand.Text uses for cocoon IDs. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const ID_LENGTH = 26;
const ID_PATTERN = /^[A-Z2-7]{26}$/;

/** A new snapshot ID: 26 base32 characters (130 bits) from the system CSPRNG. */
export function newSnapshotId(): string {
  const bytes = randomBytes(ID_LENGTH);
  let id = '';
  // 256 is a multiple of 32, so masking to 5 bits keeps every character uniform.
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}

export const isSnapshotId = (s: string): boolean => ID_PATTERN.test(s);

/** IDs become directory names, so anything but the cocoon shape is refused before it reaches a path. */
export function assertSnapshotId(id: string | undefined): string {
  if (id === undefined || id === '') {
    throw new SnapDeskError('invalid_input', 'a snapshot ID is required to create a snapshot');
  }
  if (!isSnapshotId(id)) {
    throw new SnapDeskError('invalid_input', `invalid snapshot ID "${id}": expected ${ID_LENGTH} characters of A-Z and 2-7`, { id });
  }
  return id;
}
