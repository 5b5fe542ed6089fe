import { describe, expect, it } from 'vitest';
import { SnapDeskError, fromErrorData, toErrorData, toSnapDeskError } from '../src-core/errors';

describe('errors as data', () => {
  it('a typed error survives the trip to plain data and back with its code and details', () => {
    const err = new SnapDeskError('name_conflict', 'taken', { name: 'web' });
    const back = fromErrorData(JSON.parse(JSON.stringify(toErrorData(err))));
    expect(back).toBeInstanceOf(SnapDeskError);
    expect(back.code).toBe('name_conflict');
    expect(back.details).toEqual({ name: 'web' });
  });

  it('a full disk becomes no_space, an abort becomes cancelled', () => {
    const full = Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    expect(toSnapDeskError(full).code).toBe('no_space');
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toSnapDeskError(abort).code).toBe('cancelled');
  });
});
