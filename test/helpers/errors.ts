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
