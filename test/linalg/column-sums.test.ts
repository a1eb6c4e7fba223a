// columnSums sweeps four rows at a time; its sums must be those of adding one row at a
// time, in order, bit for bit (PCA's means and k-means' shift depend on them), and its
// maximum the largest |entry|.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { columnSums } from '../../src/linalg/rows.js';

/** The definition: rows added one at a time, in order. */
function oneRowAtATime(m: number, d: number, X: ArrayLike<number>, w: Float64Array | null): { sums: Float64Array; top: number } {
  const sums = new Float64Array(d);
  let top = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) {
    const v = X[i * d + j]!;
    sums[j] = sums[j]! + (w === null ? v : w[i]! * v);
    top = Math.max(top, Math.abs(v));
  }
  return { sums, top };
}

describe('columnSums', () => {
  it('equals the one-row-at-a-time sums bit for bit (float64 and float32, weighted or not)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(1, 3, 4, 5, 7, 8, 9), fc.integer({ min: 1, max: 60 })), fc.integer({ min: 1, max: 20 }),
        fc.boolean(), fc.boolean(), fc.nat(),
        (m, d, float32, weighted, seed) => {
          const rng = new Random(seed);
          // Mixed magnitudes, so that any other grouping of the additions would show.
          const values = Float64Array.from({ length: m * d }, () => rng.uniform(-1, 1) * 2 ** Math.floor(rng.uniform(-30, 30)));
          const X = float32 ? Float32Array.from(values) : values;
          const w = weighted ? Float64Array.from({ length: m }, () => rng.uniform(0, 3)) : null;
          const sums = Float64Array.from({ length: d }, () => 7); // overwritten
          const top = columnSums(m, d, X, w, sums);
          const ref = oneRowAtATime(m, d, X, w);
          expect(top).toBe(ref.top);
          expect(Buffer.from(sums.buffer).equals(Buffer.from(ref.sums.buffer))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
