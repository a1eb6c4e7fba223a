/**
 * The LQ-first path of the SVD (issue 19): a wide matrix (n ≥ 11m/6) is reduced to its
 * m × m triangle by a blocked LQ factorisation (and a tall one through its transpose),
 * with its two big operands resident in the kernels' memory. These tests hold it to the
 * accuracy of the direct path on ill-conditioned input (no Gram matrix anywhere: singular
 * values from 1 down to 1e-12 come out within c·ε·‖A‖, and the vectors stay orthonormal),
 * over shapes that cross the 32-reflector blocks, and bit-identical on both backends.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import { qr } from '../../src/linalg/qr.js';
import { svd, svdKernel } from '../../src/linalg/svd.js';
import { backendNames, onBothBackends, useBackendFor } from '../helpers/backends.js';
import { expectValidSvd, hasCanonicalSigns, maxAbs, maxAbsDiff, multiply, orthonormalityError, randomMatrix, reconstruct } from './decomposition-checks.js';

/** U·diag(s)·Vᵀ with random orthonormal U (m × r) and V (n × r), r = s.length. */
function withSingularValues(m: number, n: number, s: number[], seed: number): Matrix<Float64Array> {
  const r = s.length;
  const Q1 = qr(randomMatrix(m, r, seed)).Q, Q2 = qr(randomMatrix(n, r, seed + 1)).Q;
  const scaled = { rows: m, cols: r, data: Q1.data.map((x, p) => x * s[p % r]!) };
  return multiply(scaled, Q2, false, true);
}

// Wide and tall past the crossover, with r crossing the 32-row panels (31, 32, 33, 65,
// 97), one reflector block of the application, and square and near-square ones (the direct
// path) for comparison.
const shapes: Array<[number, number]> = [
  [5, 17], [31, 60], [32, 200], [33, 61], [65, 130], [97, 300], [300, 97], [130, 65], [61, 33], [17, 5], [40, 40], [60, 95],
];

describe.each(backendNames)('svd, LQ first (%s backend)', (backend) => {
  useBackendFor(backend);

  it.each(shapes)('%i × %i: a valid SVD', (m, n) => {
    const A = randomMatrix(m, n, 7 * m + n);
    expectValidSvd(A, svd(A));
  });

  it('rank-deficient wide and tall matrices: exact rank, zeros at the tail', () => {
    for (const [m, n] of [[40, 150], [150, 40]] as const) {
      const A = multiply(randomMatrix(m, 7, m), randomMatrix(7, n, n));
      const res = svd(A);
      expectValidSvd(A, res);
      for (let k = 7; k < Math.min(m, n); k++) expect(res.s[k]!).toBeLessThan(1e-13 * res.s[0]!);
    }
  });

  // Singular values graded from 1 down to 1e-12 (a condition number of 1e12; a Gram
  // matrix would square it to 1e24 and lose every value below 1e-8): each comes out within
  // 2e-15·√(mn)·‖A‖ of the truth, as on the direct path (test/linalg/svd.test.ts).
  it('ill-conditioned input: singular values 1 … 1e-12 to within c·ε·‖A‖', () => {
    const r = 48;
    const spectrum = Array.from({ length: r }, (_, i) => 10 ** (-12 * i / (r - 1)));
    for (const [m, n] of [[r, 400], [400, r], [r, 88]] as const) {
      const A = withSingularValues(m, n, spectrum, m + 3 * n);
      const res = svd(A);
      expectValidSvd(A, res);
      for (let k = 0; k < r; k++) expect(Math.abs(res.s[k]! - spectrum[k]!)).toBeLessThan(2e-15 * Math.sqrt(m * n));
      // The smallest values are resolved, not lost: relative error well below 1 at 1e-12.
      expect(Math.abs(res.s[r - 1]! / spectrum[r - 1]! - 1)).toBeLessThan(0.05);
    }
  });

  it('float32 input gives the SVD of its float64 copy', () => {
    const A = randomMatrix(20, 90, 3);
    const f32 = { rows: 20, cols: 90, data: Float32Array.from(A.data) };
    const ref = svdKernel(20, 90, Float64Array.from(f32.data), 20);
    const res = svd(f32);
    expect(res.s).toEqual(ref.s);
    expect(res.V).toEqual(ref.V);
    expectValidSvd({ rows: 20, cols: 90, data: Float64Array.from(f32.data) }, res);
  });

  it('a truncated k gives the leading triplets of the full one, and the input is only read', () => {
    const A = randomMatrix(35, 120, 11);
    const copy = A.data.slice();
    const full = svd(A), top = svd(A, { k: 5 });
    expect(A.data).toEqual(copy);
    expect(top.s).toEqual(full.s.subarray(0, 5));
    for (let i = 0; i < 120; i++) for (let c = 0; c < 5; c++) expect(top.V.data[i * 5 + c]).toBe(full.V.data[i * 35 + c]);
  });
});

describe('svd, LQ first: both backends', () => {
  it('give the same bits', () => {
    for (const [m, n] of [[33, 150], [150, 33], [97, 300]] as const) {
      const A = randomMatrix(m, n, m * n);
      const [js, wasm] = onBothBackends(() => svd(A));
      expect(wasm.s).toEqual(js.s);
      expect(wasm.U).toEqual(js.U);
      expect(wasm.V).toEqual(js.V);
    }
  });
});
