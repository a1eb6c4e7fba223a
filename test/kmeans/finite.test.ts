// k-means checks X's finiteness inside its column-sums pass (a non-finite entry makes its
// column's sum non-finite) instead of a separate scan: the same NON_FINITE error as
// asMatrix's, naming the first non-finite entry, on both backends, weighted or not; and
// finite data whose column sums overflow is still accepted.
import { describe, expect, it } from 'vitest';
import * as kmeans from '../../src/kmeans/index.js';
import { LatentSpaceError } from '../../src/core/errors.js';
import { memoryBytes } from '../../src/wasm/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';

const n = 40, d = 24;

/** The error `f` throws, or undefined. */
function errorOf(f: () => unknown): LatentSpaceError | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof LatentSpaceError) return e;
    throw e;
  }
  return undefined;
}

describe.each(backendNames)('finiteness of X, checked in the column sums (%s)', (backend) => {
  useBackendFor(backend);

  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const float32 of [false, true]) {
      it(`${bad} in a ${float32 ? 'float32' : 'float64'} X is NON_FINITE naming the first such entry, weighted or not, fit and mini-batch`, () => {
        const data = fill(new Float64Array(n * d), 3);
        data[7 * d + 5] = bad;
        data[9 * d + 2] = NaN;
        const X = { rows: n, cols: d, data: float32 ? Float32Array.from(data) : data };
        const weights = Float64Array.from({ length: n }, (_, i) => i % 3);
        for (const options of [{ k: 3 }, { k: 3, sampleWeight: weights }]) {
          for (const run of [() => kmeans.fit(X, options), () => kmeans.fit(X, { ...options, algorithm: 'elkan' }), () => kmeans.miniBatch(X, { ...options, batchSize: 8 })]) {
            const error = errorOf(run);
            expect(error?.code).toBe('NON_FINITE');
            expect(error?.message).toBe(`X: entry (7, 5) is ${bad}, expected a finite number (remove or impute non-finite values first)`);
          }
        }
      });
    }
  }

  it('accepts finite rows whose column sums overflow, and gives back the kernel memory after a NON_FINITE', () => {
    // Columns 0, 3, 6, … hold 1.5e308 in every row (their sums overflow), the others small values.
    const X = { rows: 6, cols: d, data: fill(new Float64Array(6 * d), 8).map((v, p) => (p % 3 === 0 ? 1.5e308 : v)) };
    const model = kmeans.fit(X, { k: 2, seed: 1 });
    expect(Number.isFinite(model.inertia)).toBe(true);
    const bad = { rows: n, cols: d, data: fill(new Float64Array(n * d), 4).map((v, p) => (p === 11 ? NaN : v)) };
    errorOf(() => kmeans.fit(bad, { k: 2 }));
    const before = memoryBytes();
    for (let r = 0; r < 3; r++) expect(errorOf(() => kmeans.fit(bad, { k: 2 }))?.code).toBe('NON_FINITE');
    expect(memoryBytes()).toBe(before);
  });
});
