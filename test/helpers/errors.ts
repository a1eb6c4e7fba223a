import { expect } from 'vitest';
import { LatentSpaceError } from '../../src/core/errors.js';

/** The `code` of the LatentSpaceError `f` throws (failing on any other error), or undefined if it returns. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentSpaceError);
    return (e as LatentSpaceError).code;
  }
  return undefined;
}

/** The LatentSpaceError `f` throws (failing the test on any other error, or when it returns). */
export function errorOf(f: () => unknown): LatentSpaceError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof LatentSpaceError)) expect.fail(`expected a LatentSpaceError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return e;
  }
  return expect.fail('expected a LatentSpaceError, but the call returned');
}
