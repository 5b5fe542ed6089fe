import { plainError } from '../format/errors';
import type { UiStore } from './ui-store';

/**
 * Runs one user action and reports its failure as one short error toast,
 * "<failure>: <the reason in plain words>.", the error's own words behind
 * the toast's details (or the plain reason alone when `failure` is null).
 * Resolves with the action's result, or undefined when it failed, so a
 * caller never needs its own try/catch to keep an error from escaping.
 */
export type RunAction = <T>(failure: string | null, action: () => Promise<T>) => Promise<T | undefined>;

export function createRunAction(ui: UiStore): RunAction {
  return async (failure, action) => {
    try {
      return await action();
    } catch (err) {
      const { reason, detail } = plainError(err);
      ui.getState().toast('error', failure === null ? `${reason}.` : `${failure}: ${reason}.`, detail ? { detail } : {});
      return undefined;
    }
  };
}
