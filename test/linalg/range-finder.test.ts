import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import { Random } from '../../src/core/random.js';
import { randomizedRangeFinder, type RangeNormalizer } from '../../src/linalg/range-finder.js';
import { svd } from '../../src/linalg/svd.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { expectError, maxAbs, maxAbsDiff, multiply, orthonormalityError, randomMatrix } from './decomposition-checks.js';

const normalizers: RangeNormalizer[] = ['qr', 'lu', 'none'];

/** A (m × n) matrix of rank r. */
function lowRank(m: number, n: number, r: number, seed: number): Matrix<Float64Array> {
  return multiply(randomMatrix(m, r, seed), randomMatrix(r, n, seed + 1));
}

/** ‖A − Q·Qᵀ·A‖_max / ‖A‖_max. */
function residual(A: Matrix, Q: Matrix): number {
  return maxAbsDiff(multiply(Q, multiply(Q, A, true, false)), A) / maxAbs(A);
}

describe.each(backendNames)('randomizedRangeFinder on the %s backend', (name) => {
  useBackendFor(name);

  it.each(normalizers)('captures a low-rank matrix exactly when size ≥ rank (normalizer %s)', (normalizer) => {
    for (const [m, n, r, size] of [[40, 30, 3, 3], [40, 30, 3, 8], [17, 65, 5, 6], [100, 64, 10, 12], [5, 5, 1, 2]] as const) {
      const A = lowRank(m, n, r, m + n);
      const Q = randomizedRangeFinder(A, { size, normalizer, seed: 1 });
      expect([Q.rows, Q.cols]).toEqual([m, size]);
      expect(orthonormalityError(Q)).toBeLessThan(1e-13);
      expect(residual(A, Q)).toBeLessThan(1e-12);
    }
  });

  it('holds for any low-rank matrix (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 5 }), fc.constantFrom(...normalizers), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 1e6 }),
        (m, n, r, extra, normalizer, powerIterations, seed) => {
          const rank = Math.min(r, m, n);
          const size = Math.min(rank + extra, m, n);
          const A = lowRank(m, n, rank, seed);
          // Without normalisation, each power iteration multiplies the spread of the sample's
          // singular values (σ₁/σᵣ)²: beyond one, the weakest directions sink below rounding.
          const iterations = normalizer === 'none' ? Math.min(powerIterations, 1) : powerIterations;
          const Q = randomizedRangeFinder(A, { size, normalizer, powerIterations: iterations, seed });
          expect(orthonormalityError(Q)).toBeLessThan(1e-12);
          expect(residual(A, Q)).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('approaches the best rank-k error on a matrix with decaying spectrum', () => {
    const m = 80, n = 60, k = 10;
    // A = X·diag(0.7^i)·Y with random X, Y: singular values decay geometrically.
    const X = randomMatrix(m, n, 3), Y = randomMatrix(n, n, 4);
    const D = { rows: m, cols: n, data: X.data.map((x, p) => x * 0.7 ** (p % n)) };
    const A = multiply(D, Y);
    const { s } = svd(A);
    const Q = randomizedRangeFinder(A, { size: k, seed: 5 });
    // Spectral norm of (I − QQᵀ)A, from the SVD of the residual matrix.
    const R = multiply(Q, multiply(Q, A, true, false));
    const E = { rows: m, cols: n, data: A.data.map((x, p) => x - R.data[p]!) };
    expect(svd(E, { k: 1 }).s[0]).toBeLessThan(1.5 * s[k]!);
  });
});

describe('randomizedRangeFinder: determinism', () => {
  it('the same seed gives the same Q; another seed another Q; a Random is used as given', () => {
    const A = randomMatrix(30, 20, 1);
    const a = randomizedRangeFinder(A, { size: 4, seed: 42 });
    const b = randomizedRangeFinder(A, { size: 4, seed: 42 });
    const c = randomizedRangeFinder(A, { size: 4, seed: 43 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    const d = randomizedRangeFinder(A, { size: 4, seed: new Random(42) });
    expect(Array.from(d.data)).toEqual(Array.from(a.data));
  });

  it('does not modify the input, and accepts float32', () => {
    const data = new Float32Array(randomMatrix(6, 4, 2).data);
    const copy = data.slice();
    const Q = randomizedRangeFinder({ rows: 6, cols: 4, data }, { size: 2 });
    expect(Q.data).toBeInstanceOf(Float64Array);
    expect(data).toEqual(copy);
  });
});

describe('randomizedRangeFinder: validation', () => {
  it('size is required and at most min(m, n)', () => {
    const A = randomMatrix(5, 3, 1);
    expectError(() => randomizedRangeFinder(A, {} as { size: number }), 'INVALID_OPTION', /size: received undefined, expected an integer in \[1, 3\]/);
    expectError(() => randomizedRangeFinder(A, { size: 4 }), 'INVALID_OPTION', /size: received 4/);
    expectError(() => randomizedRangeFinder(A, { size: 0 }), 'INVALID_OPTION');
  });

  it('bad iteration counts, normalizers and seeds', () => {
    const A = randomMatrix(5, 3, 1);
    expectError(() => randomizedRangeFinder(A, { size: 2, powerIterations: -1 }), 'INVALID_OPTION', /powerIterations/);
    expectError(() => randomizedRangeFinder(A, { size: 2, normalizer: 'QR' as RangeNormalizer }), 'INVALID_OPTION', /'qr', 'lu', 'none'/);
    expectError(() => randomizedRangeFinder(A, { size: 2, seed: NaN }), 'INVALID_OPTION', /seed/);
  });
});
