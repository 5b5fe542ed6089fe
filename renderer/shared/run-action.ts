import { errorMessage } from '../format/errors';
import type { ToastsStore } from './toasts-store';

/**
 * Runs one user action and reports its failure as an error toast:
 * "<failure>: <the error's message>", or the message alone when `failure` is
 * null. Resolves with the action's result, or undefined when it failed, so a
 * caller never needs its own try/catch to keep an error from escaping.
 */
export type RunAction = <T>(failure: string | null, action: () => Promise<T>) => Promise<T | undefined>;

export function createRunAction(toasts: ToastsStore): RunAction {
  return async (failure, action) => {
    try {
      return await action();
    } catch (err) {
      const message = errorMessage(err);
      toasts.getState().show('error', failure === null ? message : `${failure}: ${message}`);
      return undefined;
    }
  };
}
