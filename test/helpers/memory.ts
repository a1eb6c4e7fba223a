// Helpers for the tests of data kept resident in the kernels' memory (k-means' and a SOM's
// X and its float32 mirror).
import { expect } from 'vitest';
import { kernels } from '../../src/linalg/backend.js';
import { memoryBytes } from '../../src/wasm/index.js';

/** Grows the kernels' memory by at least `bytes` with an ordinary kernel call. */
export function grow(bytes: number): void {
  const n = Math.ceil(Math.sqrt(bytes / 8 / 3)) + 1;
  kernels().gemm(false, false, n, n, n, 1, new Float64Array(n * n), 0, n, new Float64Array(n * n), 0, n, 0, new Float64Array(n * n), 0, n);
}

/** The first free address of the kernels' memory: memory grown by an earlier test could hide a leak, this shows it. */
export function probe(): number {
  const region = kernels().region(new Float64Array(0), 1000);
  const at = region.view().byteOffset;
  region.release();
  return at;
}

/**
 * Runs a generator of steps to its end, doubling the kernels' memory (which detaches every
 * view of it) right after the first step for which `when` holds; returns what it returns.
 */
export function runGrowingMemory<S, R>(it: Generator<S, R, undefined>, when: (step: S) => boolean, wasm: boolean): R {
  let r = it.next();
  let grown = false;
  while (!r.done) {
    if (!grown && when(r.value)) {
      const before = memoryBytes();
      grow(Math.max(before, 1 << 20) * 2);
      if (wasm) expect(memoryBytes()).toBeGreaterThan(before);
      grown = true;
    }
    r = it.next();
  }
  expect(grown).toBe(true);
  return r.value;
}
