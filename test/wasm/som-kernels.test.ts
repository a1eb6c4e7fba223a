// The SOM kernels (src/linalg/kernels/som.ts and their twins in src/wasm/assembly/som.ts)
// give the same bits on both backends, on random sizes that cross the kernels' unroll
// boundaries, with X read in place (resident) or copied in, and agree with their
// definitions.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { sqDistanceAt } from '../../src/linalg/rows.js';
import { wasmKernels } from '../../src/wasm/index.js';
import { alloc, type Dtype } from './reference.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

const dtypes = fc.constantFrom<Dtype>('float64', 'float32');
const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65), fc.integer({ min: 1, max }));

/** Both arrays equal bit for bit (NaN and -0 included). */
function same(w: ArrayLike<number>, j: ArrayLike<number>, what: string): void {
  expect(w.length, what).toBe(j.length);
  for (let p = 0; p < w.length; p++) if (!Object.is(w[p], j[p])) expect(`${what} [${p}] ${w[p]}`).toBe(`${what} [${p}] ${j[p]}`);
}

describe('the SOM kernels give the same bits on both backends', () => {
  it('assignedSums, pairSqDistances, columnRanges, shiftColumnsToFloat32', () => {
    fc.assert(
      fc.property(dtypes, size(70), size(40), size(12), fc.boolean(), fc.nat(), (dtype, n, d, units, resident, seed) => {
        const rng = new Random(seed);
        // Entries of mixed magnitudes (any change in the order of additions shows), some
        // columns constant, signed zeros among them.
        const constant = (j: number) => j % 5 === 3;
        const X = alloc(dtype, n * d).map((_, p) => (constant(p % d) ? (p % d) * 0.5 - 1 : rng.uniform(-1, 1) * 2 ** Math.floor(rng.uniform(-20, 20))));
        if (d > 1) for (let i = 0; i < n; i++) X[i * d + 1] = i % 2 === 0 ? 0 : -0;
        const Wt = Float64Array.from({ length: units * d }, () => rng.uniform(-1, 1));
        const labels = Int32Array.from({ length: n }, () => Math.floor(rng.uniform(0, units)));
        // Pairs with repeated rows and units, in any order.
        const pairs = 2 * n + 1;
        const pairRows = Int32Array.from({ length: pairs }, () => Math.floor(rng.uniform(0, n)));
        const pairUnits = Int32Array.from({ length: pairs }, () => Math.floor(rng.uniform(0, units)));
        const cols = Int32Array.from({ length: d }, (_, j) => j).filter((j) => rng.uniform(0, 1) < 0.7);
        const shift = Float64Array.from(cols, () => rng.uniform(-1, 1));
        const run = (K: Kernels) => {
          const region = resident ? K.resident(X) : undefined;
          const x = () => region?.view() ?? X;
          const out = new Float64Array(n), counts = Float64Array.from({ length: units }, (_, u) => u);
          const sums = Float64Array.from({ length: units * d }, (_, p) => p * 0.25);
          K.assignedSums(n, d, x(), Wt, labels, out, sums, counts);
          const pair = new Float64Array(pairs);
          K.pairSqDistances(pairs, d, x(), n, pairRows, Wt, pairUnits, pair);
          const lo = new Float64Array(d), hi = new Float64Array(d);
          const Y = new Float32Array(n * cols.length), norms = new Float64Array(n);
          // The mirror is made of float64 data only.
          if (dtype === 'float64') {
            K.columnRanges(n, d, x() as Float64Array, lo, hi);
            K.shiftColumnsToFloat32(n, d, x() as Float64Array, cols.length, cols, shift, Y, norms);
          }
          region?.release();
          return { out, sums, counts, pair, lo, hi, Y, norms };
        };
        const a = run(W), b = run(jsKernels);
        for (const key of ['out', 'sums', 'counts', 'pair', 'lo', 'hi', 'Y', 'norms'] as const) same(a[key], b[key], key);
        // The definitions: distances as sqDistanceAt, sums and counts in row order, ranges.
        const sums = Float64Array.from({ length: units * d }, (_, p) => p * 0.25);
        for (let i = 0; i < n; i++) {
          const u = labels[i]!;
          expect(b.out[i]).toBe(sqDistanceAt(X, i * d, Wt, u * d, d));
          for (let j = 0; j < d; j++) sums[u * d + j] = sums[u * d + j]! + X[i * d + j]!;
        }
        same(b.sums, sums, 'sums by definition');
        for (let t = 0; t < pairs; t++) expect(b.pair[t]).toBe(sqDistanceAt(X, pairRows[t]! * d, Wt, pairUnits[t]! * d, d));
        for (let j = 0; j < d && dtype === 'float64'; j++) {
          const column = Array.from({ length: n }, (_, i) => X[i * d + j]!);
          // (=== rather than Object.is: a column of 0 and −0 keeps its first row's zero.)
          expect(b.lo[j] === Math.min(...column) && b.hi[j] === Math.max(...column)).toBe(true);
          if (constant(j)) expect(b.lo[j]).toBe(b.hi[j]);
        }
        if (dtype === 'float64') {
          for (let i = 0; i < n; i++) {
            let s = 0;
            cols.forEach((j, t) => {
              const v = X[i * d + j]! - shift[t]!;
              expect(b.Y[i * cols.length + t]).toBe(Math.fround(v));
              s += v * v;
            });
            expect(b.norms[i]).toBe(s);
          }
        }
      }),
      { numRuns: 120, seed: 19 },
    );
  });
});
