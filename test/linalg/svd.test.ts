import fc from 'fast-check';
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { toArrays, type Matrix } from '../../src/core/index.js';
import { qr } from '../../src/linalg/qr.js';
import { svd } from '../../src/linalg/svd.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import {
  column, decompositionSizes, expectError, expectValidSvd, hasCanonicalSigns, maxAbs, maxAbsDiff, multiply,
  orthonormalityError, randomMatrix, reconstruct,
} from './decomposition-checks.js';

/** Checks the SVD of A (decomposition-checks' expectValidSvd). */
function expectValidSvdOf(A: Matrix, tol = 1e-13): void {
  expectValidSvd(A, svd(A), tol);
}

/** A (m × n) matrix of rank r. */
function lowRank(m: number, n: number, r: number, seed: number): Matrix<Float64Array> {
  return multiply(randomMatrix(m, r, seed), randomMatrix(r, n, seed + 1));
}

describe('svd: exact small cases', () => {
  it('the example of the documentation', () => {
    const { U, s, V } = svd([[3, 0], [0, -2], [0, 0]]);
    expect(Array.from(s)).toEqual([3, 2]);
    // x + 0 turns −0 into +0, which toEqual tells apart.
    expect(toArrays(U).map((r) => r.map((x) => x + 0))).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(toArrays(V).map((r) => r.map((x) => x + 0))).toEqual([[1, 0], [0, -1]]);
  });

  it('a rank-one integer matrix: s = ‖u‖·‖v‖ and one zero', () => {
    const { U, s, V } = svd([[1, 2], [2, 4], [3, 6]]);
    expect(s[0]).toBeCloseTo(Math.sqrt(14) * Math.sqrt(5), 13);
    expect(s[1]).toBeLessThan(1e-14);
    expect(column(U, 0).map((x) => x * Math.sqrt(14))).toEqual([1, 2, 3].map((x) => expect.closeTo(x, 13)));
    expect(column(V, 0).map((x) => x * Math.sqrt(5))).toEqual([1, 2].map((x) => expect.closeTo(x, 13)));
  });

  it('1 × 1, 1 × n, n × 1 and all-zero inputs', () => {
    const one = svd([[-5]]);
    expect([one.U.data[0], one.s[0], one.V.data[0]]).toEqual([1, 5, -1]);
    const row = svd([[3, 4]]);
    expect(row.s[0]).toBeCloseTo(5, 14);
    expect(Array.from(row.V.data)).toEqual([expect.closeTo(0.6, 14), expect.closeTo(0.8, 14)]);
    const col = svd([[0], [-3], [4]]);
    expect(col.s[0]).toBeCloseTo(5, 14);
    expect(Array.from(col.U.data)).toEqual([0, expect.closeTo(-0.6, 14), expect.closeTo(0.8, 14)]);
    expect(col.V.data[0]).toBe(1);
    const zero = svd({ rows: 4, cols: 3, data: new Float64Array(12) });
    expect(Array.from(zero.s)).toEqual([0, 0, 0]);
    expect(orthonormalityError(zero.U)).toBe(0);
    expect(orthonormalityError(zero.V)).toBe(0);
  });

  it('float32 input is computed in float64; the caller array is not modified', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const { s } = svd({ rows: 3, cols: 2, data });
    expect(s).toBeInstanceOf(Float64Array);
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('svd: reference values from ml-matrix SingularValueDecomposition', () => {
  it.each([[5, 3], [17, 16], [40, 26], [100, 30], [30, 70]])('%i × %i: singular values and vectors (up to sign)', (m, n) => {
    const A = randomMatrix(m, n, m * 100 + n);
    const ref = new SingularValueDecomposition(new MlMatrix(toArrays(A)), { autoTranspose: true });
    const { U, s, V } = svd(A);
    const r = Math.min(m, n);
    for (let k = 0; k < r; k++) expect(Math.abs(s[k]! - ref.diagonal[k]!) / ref.diagonal[0]!).toBeLessThan(1e-13);
    for (let k = 0; k < r; k++) {
      const dotU = column(U, k).reduce((acc, x, i) => acc + x * ref.leftSingularVectors.get(i, k), 0);
      const dotV = column(V, k).reduce((acc, x, i) => acc + x * ref.rightSingularVectors.get(i, k), 0);
      expect(Math.abs(Math.abs(dotU) - 1)).toBeLessThan(1e-10);
      expect(dotU * dotV).toBeGreaterThan(0);
    }
  });
});

describe.each(backendNames)('svd properties on the %s backend', (name) => {
  useBackendFor(name);

  it('reconstructs tall, square and wide matrices with sizes crossing every boundary', () => {
    const sizes = [...decompositionSizes, 100];
    for (const [i, m] of sizes.entries()) {
      const n = sizes[(i * 7 + 3) % sizes.length]!;
      expectValidSvdOf(randomMatrix(m, n, i + 1));
      expectValidSvdOf(randomMatrix(n, m, i + 101));
    }
  });

  it('takes the QR path for tall matrices (m ≥ 11n/6) and the direct path otherwise', () => {
    expectValidSvdOf(randomMatrix(130, 70, 3)); // 6·130 < 11·70: direct
    expectValidSvdOf(randomMatrix(130, 65, 4)); // QR first
    expectValidSvdOf(randomMatrix(300, 40, 5));
  });

  it('holds for any matrix, including rank-deficient ones (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -40, max: 40, noNaN: true }),
        (m, n, rank, seed, exponent) => {
          const A = rank === 0 ? randomMatrix(m, n, seed) : lowRank(m, n, rank, seed);
          const scale = 2 ** exponent;
          expectValidSvdOf({ rows: m, cols: n, data: A.data.map((x) => x * scale) });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rank-deficient inputs: duplicated rows and columns, low rank, zero blocks', () => {
    const A = randomMatrix(40, 12, 7);
    for (let i = 1; i < 40; i += 2) A.data.copyWithin(i * 12, (i - 1) * 12, i * 12);
    expectValidSvdOf(A);
    const B = randomMatrix(12, 40, 8);
    for (let i = 0; i < 12; i++) for (let j = 20; j < 40; j++) B.data[i * 40 + j] = B.data[i * 40 + j - 20]!;
    expectValidSvdOf(B);
    const C = lowRank(60, 45, 3, 9);
    expectValidSvdOf(C);
    const { s } = svd(C);
    for (let k = 3; k < 45; k++) expect(s[k]! / s[0]!).toBeLessThan(1e-14);
    const D = randomMatrix(30, 20, 10);
    D.data.fill(0, 0, 15 * 20);
    expectValidSvdOf(D);
  });

  it('k returns the leading triplets of the thin SVD', () => {
    const A = randomMatrix(50, 35, 11);
    const full = svd(A);
    const top = svd(A, { k: 5 });
    expect([top.U.cols, top.s.length, top.V.cols]).toEqual([5, 5, 5]);
    for (let k = 0; k < 5; k++) {
      expect(top.s[k]).toBe(full.s[k]);
      expect(column(top.U, k)).toEqual(column(full.U, k));
      expect(column(top.V, k)).toEqual(column(full.V, k));
    }
    const wide = svd(randomMatrix(20, 60, 12), { k: 3 });
    expect([wide.U.rows, wide.U.cols, wide.V.rows, wide.V.cols]).toEqual([20, 3, 60, 3]);
  });
});

/**
 * A = Q₁·diag(s)·Q₂ᵀ with Q₁ (m × r) and Q₂ (n × r) orthonormal (from QR of random matrices),
 * so its singular values are known exactly up to the rounding of building it.
 */
function withSingularValues(m: number, n: number, s: number[], seed: number): Matrix<Float64Array> & { Q1: Matrix<Float64Array>; Q2: Matrix<Float64Array> } {
  const r = s.length;
  const Q1 = qr(randomMatrix(m, r, seed)).Q, Q2 = qr(randomMatrix(n, r, seed + 1)).Q;
  const scaled = { rows: m, cols: r, data: Q1.data.map((x, p) => x * s[p % r]!) };
  return Object.assign(multiply(scaled, Q2, false, true), { Q1, Q2 });
}

describe.each(backendNames)('svd on prescribed spectra (%s backend)', (backend) => {
  useBackendFor(backend);

  // Graded over 15 orders of magnitude, clustered (pairs 1e-13 apart), repeated, and of
  // rank 5 (exact zeros): the deflation paths of the bidiagonal QR. Singular values of a
  // backward stable SVD are within c·ε·‖A‖ of the truth, small ones included (absolute,
  // not relative, accuracy): measured up to 2ε·√(mn)·‖A‖, asserted 2e-15·√(mn)·‖A‖.
  // Vectors within about ε·‖A‖ / gap of the truth (measured below 1e-15·‖A‖ / gap,
  // asserted 1e-14·‖A‖ / gap), where the gap to the neighbouring values is ≥ 1% of ‖A‖.
  const r = 60;
  const spectra: Record<string, number[]> = {
    graded: Array.from({ length: r }, (_, i) => 10 ** (-i / 4)),
    clustered: Array.from({ length: r }, (_, i) => 2 - Math.floor(i / 2) / r + (i % 2) * 1e-13),
    repeated: Array.from({ length: r }, (_, i) => 3 - (i % 3)).sort((a, b) => b - a),
    'rank 5': Array.from({ length: r }, (_, i) => (i < 5 ? 5 - i : 0)),
  };
  // Tall (the QR path), square, and wide (through the transpose).
  it.each(Object.keys(spectra))('%s', (name) => {
    const spectrum = spectra[name]!;
    for (const [m, n] of [[200, r], [r, r], [r, 95]] as const) {
      const A = withSingularValues(m, n, spectrum, m + n);
      const { U, s, V } = svd(A);
      expectValidSvdOf(A);
      const top = spectrum[0]!;
      for (let k = 0; k < r; k++) expect(Math.abs(s[k]! - spectrum[k]!)).toBeLessThan(2e-15 * Math.sqrt(m * n) * top);
      for (let k = 0; k < r; k++) {
        const gap = Math.min(k > 0 ? spectrum[k - 1]! - spectrum[k]! : Infinity, k < r - 1 ? spectrum[k]! - spectrum[k + 1]! : Infinity);
        if (gap < 0.01 * top) continue;
        // The k-th columns, up to one sign shared by u and v.
        let du = 0, dv = 0;
        for (let i = 0; i < m; i++) du += U.data[i * U.cols + k]! * A.Q1.data[i * r + k]!;
        for (let j = 0; j < n; j++) dv += V.data[j * V.cols + k]! * A.Q2.data[j * r + k]!;
        expect(Math.sign(du)).toBe(Math.sign(dv));
        expect(1 - Math.abs(du)).toBeLessThan(1e-14 * top / gap);
        expect(1 - Math.abs(dv)).toBeLessThan(1e-14 * top / gap);
      }
    }
  });
});

describe('svd: validation', () => {
  it('rejects a bad k with INVALID_OPTION', () => {
    expectError(() => svd([[1, 2], [3, 4]], { k: 3 }), 'INVALID_OPTION', /k: received 3, expected an integer in \[1, 2\]/);
    expectError(() => svd([[1, 2], [3, 4]], { k: 0 }), 'INVALID_OPTION');
    expectError(() => svd([[1, 2], [3, 4]], { k: 1.5 }), 'INVALID_OPTION');
  });

  it('rejects non-finite and empty input', () => {
    expectError(() => svd([[1, Infinity]]), 'NON_FINITE');
    expectError(() => svd([[]]), 'EMPTY_INPUT');
  });
});
