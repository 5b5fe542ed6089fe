import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { createRunAction } from '../../renderer/shared/run-action';
import { createToastsStore } from '../../renderer/shared/toasts-store';

describe('runAction: the one way an action reports its failure', () => {
  it('a failure becomes one error toast, "<what failed>: <why>", and never escapes the action', async () => {
    const toasts = createToastsStore();
    const run = createRunAction(toasts);
    const outcome = await run('Could not export web-golden', () => Promise.reject(new SnapDeskError('no_space', 'not enough space on the disk')));
    expect(outcome).toBeUndefined();
    expect(toasts.getState().toasts.map((t) => [t.kind, t.message])).toEqual([['error', 'Could not export web-golden: not enough space on the disk']]);
  });

  it('without a label the error’s own message is the toast; a thrown non-error still says something', async () => {
    const toasts = createToastsStore();
    const run = createRunAction(toasts);
    await run(null, () => Promise.reject(new SnapDeskError('not_found', 'that archive is no longer available')));
    await run(null, () => Promise.reject('plain words'));
    expect(toasts.getState().toasts.map((t) => t.message)).toEqual(['that archive is no longer available', 'plain words']);
  });

  it('a success returns the action’s result and shows nothing', async () => {
    const toasts = createToastsStore();
    const run = createRunAction(toasts);
    expect(await run('Could not count', async () => 42)).toBe(42);
    expect(toasts.getState().toasts).toEqual([]);
  });
});
