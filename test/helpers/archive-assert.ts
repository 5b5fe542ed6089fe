/**
 * Feeding archives to the codec the way a file or socket would, and checking
 * that a refusal is a typed, readable error.
 */
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { SnapDeskError, type ErrorCode } from '../../src-core/errors';

/**
 * A stream of `data` in chunks of an odd size, so header and record
 * boundaries never line up with chunk boundaries.
 */
export function chunked(data: Buffer, size = 7919): Readable {
  function* chunks(): Generator<Buffer> {
    for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
  }
  return Readable.from(chunks());
}

/**
 * The rejection reason of `p`, or a failed expectation if it resolves. When
 * it wrongly succeeds, `undo` gets the value first (e.g. deletes the imported
 * snapshot) so one wrong acceptance does not cascade into later tests.
 */
export async function refusal<T>(p: Promise<T>, undo?: (value: T) => Promise<unknown>): Promise<unknown> {
  let value: T;
  try {
    value = await p;
  } catch (err) {
    return err;
  }
  if (undo) await undo(value);
  expect.fail(`expected a refusal, but it succeeded with ${JSON.stringify(value)}`);
}

/** Control characters in a message would let an archive write escape sequences to a terminal. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** A SnapDeskError with `code`, a message matching `message`, and no raw control characters. */
export function expectSnapDeskError(err: unknown, code: ErrorCode, message: RegExp): void {
  if (!(err instanceof SnapDeskError)) {
    expect.fail(`expected a SnapDeskError(${code}), got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  expect({ code: err.code, message: err.message }).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(err.message, 'message carries a raw control character').not.toMatch(CONTROL);
}
