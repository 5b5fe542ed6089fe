import { describe, expect, it } from 'vitest';
import { isSnapDeskError, type SnapDeskError } from '../../src-core/errors';
import { emptyIndex, type SnapshotIndex } from '../../src-core/index-file';
import { resolve, resolveMany } from '../../src-core/resolve';

const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const B = 'ABCXYZ234567ABCDEFGHIJKLMN';
const C = 'QQQ2223334445556667777AAAA';
const P = 'PENDING2PENDING2PENDING222';

function index(): SnapshotIndex {
  const idx = emptyIndex();
  const add = (id: string, name: string, pending = false): void => {
    idx.snapshots.set(id, { data: { id, name, created_at: '2024-01-01T00:00:00Z', ...(pending ? { pending: true } : {}) }, extra: [] });
    if (name) idx.names.set(name, id);
  };
  add(A, 'web');
  add(B, 'db');
  // A snapshot whose name is the full ID of another one: the exact ID must win.
  add(C, A.slice(0, 5));
  add(P, 'in-progress', true);
  return idx;
}

const errorOf = (fn: () => unknown): SnapDeskError => {
  try {
    fn();
  } catch (err) {
    if (isSnapDeskError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
};

describe('resolving a ref', () => {
  it('an exact ID resolves to itself', () => {
    expect(resolve(index(), A)).toBe(A);
  });

  it('an exact name resolves to its snapshot', () => {
    expect(resolve(index(), 'db')).toBe(B);
  });

  it('an exact ID wins over a name, and a name wins over a prefix', () => {
    const idx = index();
    idx.names.set(B, A); // a name spelled like B's ID, pointing at A
    expect(resolve(idx, B)).toBe(B);
    // "ABCDE" is the name of C and also a prefix of A: the name wins.
    expect(resolve(idx, 'ABCDE')).toBe(C);
  });

  it('a unique ID prefix of 3 or more characters resolves', () => {
    expect(resolve(index(), 'QQQ')).toBe(C);
    expect(resolve(index(), 'ABCD')).toBe(A);
  });

  it('a prefix shorter than 3 characters is not used', () => {
    const err = errorOf(() => resolve(index(), 'QQ'));
    expect(err.code).toBe('not_found');
  });

  it('a prefix matching two IDs is ambiguous and lists them', () => {
    const err = errorOf(() => resolve(index(), 'ABC'));
    expect(err.code).toBe('ambiguous_ref');
    expect(err.details?.matches).toEqual([A, B]);
    expect(err.message).toContain('give more characters');
  });

  it('a ref matching nothing is not found, a distinct error kind', () => {
    const err = errorOf(() => resolve(index(), 'nothing-like-it'));
    expect(err.code).toBe('not_found');
    expect(err.details?.ref).toBe('nothing-like-it');
    expect(err.message).toContain('snapdesk list');
  });

  it('an empty ref is not found', () => {
    expect(errorOf(() => resolve(index(), '')).code).toBe('not_found');
  });

  it('a pending record is invisible by ID, by name and by prefix', () => {
    expect(errorOf(() => resolve(index(), P)).code).toBe('not_found');
    expect(errorOf(() => resolve(index(), 'in-progress')).code).toBe('not_found');
    expect(errorOf(() => resolve(index(), 'PENDING')).code).toBe('not_found');
  });

  it('a pending record does not make a prefix ambiguous', () => {
    const idx = index();
    const P2 = 'QQQ9PENDINGPENDINGPENDINGX'.replace('9', '2');
    idx.snapshots.set(P2, { data: { id: P2, name: '', created_at: '2024-01-01T00:00:00Z', pending: true }, extra: [] });
    expect(resolve(idx, 'QQQ')).toBe(C);
  });

  it('a name left pointing at a missing record is not found', () => {
    const idx = index();
    idx.names.set('ghost', 'NOSUCHIDNOSUCHIDNOSUCHID22');
    expect(errorOf(() => resolve(idx, 'ghost')).code).toBe('not_found');
  });
});

describe('resolving many refs', () => {
  it('two refs to one snapshot resolve to it once, in first-seen order', () => {
    expect(resolveMany(index(), ['db', A, B, 'web', 'QQQ'])).toEqual([B, A, C]);
  });

  it('fails on the first bad ref and names it', () => {
    const err = errorOf(() => resolveMany(index(), ['web', 'missing-one', 'ABC']));
    expect(err.code).toBe('not_found');
    expect(err.details?.ref).toBe('missing-one');
    expect(err.message).toContain('"missing-one"');
  });

  it('an ambiguous ref among good ones fails the whole batch naming it', () => {
    const err = errorOf(() => resolveMany(index(), ['web', 'ABC']));
    expect(err.code).toBe('ambiguous_ref');
    expect(err.details?.ref).toBe('ABC');
  });
});
