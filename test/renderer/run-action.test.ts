import { describe, expect, it } from 'vitest';
import { SnapDeskError } from '../../src-core/errors';
import { plainError } from '../../renderer/format/errors';
import { createRunAction } from '../../renderer/shared/run-action';
import { createUiStore } from '../../renderer/shared/ui-store';

describe('runAction: the one way an action reports its failure', () => {
  it('a failure becomes one short error toast, "<what failed>: <plain reason>.", its own words as detail, and never escapes', async () => {
    const ui = createUiStore();
    const run = createRunAction(ui);
    const err = new SnapDeskError('no_space', 'ENOSPC: no space left on device, write');
    const outcome = await run('Could not export web-golden', () => Promise.reject(err));
    expect(outcome).toBeUndefined();
    const { reason, detail } = plainError(err);
    expect(ui.getState().toasts.map((t) => [t.kind, t.message, t.detail])).toEqual([['error', `Could not export web-golden: ${reason}.`, detail]]);
  });

  it('without a label the plain reason alone is the toast; a thrown non-error still says something', async () => {
    const ui = createUiStore();
    const run = createRunAction(ui);
    await run(null, () => Promise.reject(new SnapDeskError('not_found', 'that archive is no longer available')));
    await run(null, () => Promise.reject('plain words'));
    const messages = ui.getState().toasts.map((t) => t.message);
    expect(messages).toHaveLength(2);
    expect(messages.every((m) => m.length > 1 && m.endsWith('.'))).toBe(true);
  });

  it('a registry that never answered reads as unreachable, one that answered as refusing; each keeps its own words as detail', () => {
    const unreachable = new SnapDeskError('registry', 'cannot reach the registry at 127.0.0.1:5999: connection refused', { url: '127.0.0.1:5999', errno: 'ECONNREFUSED' });
    expect(plainError(unreachable)).toEqual({ reason: 'the registry could not be reached', detail: unreachable.message });
    // As a task's error it arrives as plain data, details included.
    expect(plainError(unreachable.toData()).reason).toBe('the registry could not be reached');
    const refused = new SnapDeskError('registry', 'the registry answered 500 Internal Server Error to PUT …', { status: 500 });
    expect(plainError(refused).reason).toBe('the registry refused or failed the request');
  });

  it('a success returns the action’s result and shows nothing', async () => {
    const ui = createUiStore();
    const run = createRunAction(ui);
    expect(await run('Could not count', async () => 42)).toBe(42);
    expect(ui.getState().toasts).toEqual([]);
  });
});
