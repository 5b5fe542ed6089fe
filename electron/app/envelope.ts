import { toErrorData } from '../../src-core/errors';
import type { CallName, Envelope } from './contract';
import type { Handlers } from './handlers';

/** Runs `work` and returns its result or its error as data, so the error's code survives any transport. */
export async function enveloped<T>(work: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, result: await work() };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}

/** A handler's result or error as data. */
export const invokeEnveloped = (handlers: Handlers, name: CallName, input: unknown): Promise<Envelope<unknown>> => enveloped<unknown>(() => handlers[name](input));
