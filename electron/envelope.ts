import { toErrorData } from '../src-core/errors';
import type { CallName, Envelope } from './contract';
import type { Handlers } from './handlers';

/** Runs a handler and returns its result or its error as data, so the error's code survives any transport. */
export async function invokeEnveloped(handlers: Handlers, name: CallName, input: unknown): Promise<Envelope<unknown>> {
  try {
    return { ok: true, result: await handlers[name](input) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}
