import fc from 'fast-check';
import { Matrix as MlMatrix, QrDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { toArrays, type Matrix } from '../../src/core/index.js';
import { applySequence } from '../../src/linalg/kernels/householder.js';
import { qr, qrFactor, qrFormQ } from '../../src/linalg/qr.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { decompositionSizes, expectError, maxAbs, maxAbsDiff, multiply, orthonormalityError, randomMatrix } from './decomposition-checks.js';

/** Checks A = Q·R, orthonormal Q, R upper triangular with a non-negative diagonal. */
function expectValidQr(A: Matrix, mode: 'reduced' | 'complete' = 'reduced'): void {
  const { Q, R } = qr(A, { mode });
  const { rows: m, cols: n } = A;
  const r = mode === 'complete' ? m : Math.min(m, n);
  expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, r, r, n]);
  const tol = 1e-14 * Math.max(m, n, 10);
  expect(maxAbsDiff(multiply(Q, R), A) / maxAbs(A)).toBeLessThan(tol);
  expect(orthonormalityError(Q)).toBeLessThan(tol);
  for (let i = 0; i < R.rows; i++) {
    for (let j = 0; j < Math.min(i, n); j++) expect(R.data[i * n + j]).toBe(0);
    if (i < n) expect(R.data[i * n + i]!).toBeGreaterThanOrEqual(0);
  }
}

describe('qr: exact small cases', () => {
  it('the example of the documentation', () => {
    const { Q, R } = qr([[3, 1], [4, 2]]);
    expect(Array.from(R.data)).toEqual([5, 2.2, 0, 0.4].map((x) => expect.closeTo(x, 14)));
    expect(Array.from(Q.data)).toEqual([0.6, -0.8, 0.8, 0.6].map((x) => expect.closeTo(x, 14)));
  });

  it('an upper triangular matrix with a positive diagonal is its own R (Q = I)', () => {
    const { Q, R } = qr([[2, 1, 3], [0, 4, 5], [0, 0, 6]]);
    expect(toArrays(R)).toEqual([[2, 1, 3], [0, 4, 5], [0, 0, 6]].map((r) => r.map((x) => expect.closeTo(x, 14))));
    expect(maxAbsDiff(Q, { rows: 3, cols: 3, data: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) })).toBeLessThan(1e-15);
  });

  it('a single column and a single row', () => {
    const col = qr([[0], [3], [4]]);
    expect(Array.from(col.R.data)).toEqual([expect.closeTo(5, 14)]);
    expect(Array.from(col.Q.data)).toEqual([0, 0.6, 0.8].map((x) => expect.closeTo(x, 14)));
    const row = qr([[-2, 1, 7]]);
    expect(Array.from(row.Q.data)).toEqual([-1]);
    expect(Array.from(row.R.data)).toEqual([2, -1, -7]);
  });

  it('complete mode extends Q to an orthogonal basis and pads R with zero rows', () => {
    const { Q, R } = qr([[1, 2], [3, 4], [5, 6]], { mode: 'complete' });
    expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([3, 3, 3, 2]);
    expect(orthonormalityError(Q)).toBeLessThan(1e-15);
    expect(Array.from(R.data.subarray(4))).toEqual([0, 0]);
  });

  it('does not modify the caller array; float32 input gives float64 output', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const { Q } = qr({ rows: 2, cols: 2, data });
    expect(Q.data).toBeInstanceOf(Float64Array);
    expect(Array.from(data)).toEqual([1, 2, 3, 4]);
  });
});

describe('qr: reference values from ml-matrix QrDecomposition', () => {
  it.each([[3, 3], [17, 5], [40, 33], [70, 65]])('%i × %i: R agrees up to the signs of its rows', (m, n) => {
    const A = randomMatrix(m, n, m + 7 * n);
    const ref = new QrDecomposition(new MlMatrix(toArrays(A))).upperTriangularMatrix;
    const { R } = qr(A);
    for (let i = 0; i < n; i++) {
      const sign = Math.sign(ref.get(i, i));
      for (let j = i; j < n; j++) expect(Math.abs(R.data[i * n + j]! - sign * ref.get(i, j))).toBeLessThan(1e-12);
    }
  });
});

describe.each(backendNames)('qr properties on the %s backend', (name) => {
  useBackendFor(name);

  it('holds for tall, square and wide sizes crossing the block boundaries, in both modes', () => {
    const sizes = [...decompositionSizes, 100];
    for (const [i, m] of sizes.entries()) {
      const n = sizes[(i * 5 + 2) % sizes.length]!;
      for (const mode of ['reduced', 'complete'] as const) {
        expectValidQr(randomMatrix(m, n, i + 1), mode);
        expectValidQr(randomMatrix(n, m, i + 50), mode);
      }
    }
  });

  it('holds for any matrix, rank-deficient included (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 1e6 }), fc.boolean(), (m, n, seed, duplicate) => {
        const A = randomMatrix(m, n, seed);
        // Duplicated columns make A rank-deficient.
        if (duplicate) for (let i = 0; i < m; i++) for (let j = 1; j < n; j += 2) A.data[i * n + j] = A.data[i * n + j - 1]!;
        expectValidQr(A);
      }),
      { numRuns: 40 },
    );
  });

  it('an all-zero matrix gives R = 0 and an orthonormal Q', () => {
    const { Q, R } = qr({ rows: 5, cols: 3, data: new Float64Array(15) });
    expect(Array.from(R.data).every((x) => x === 0)).toBe(true);
    expect(orthonormalityError(Q)).toBe(0);
  });
});

describe.each(backendNames)('reflector kernels on the %s backend', (name) => {
  useBackendFor(name);

  it('applySequence gives Q·C, Qᵀ·C, C·Q and C·Qᵀ with the explicit Q of qrFormQ', () => {
    for (const [m, k, n] of [[5, 3, 4], [40, 33, 7], [70, 65, 66], [9, 9, 1]] as const) {
      const A = randomMatrix(m, k, m + k).data;
      const tau = new Float64Array(k);
      qrFactor(m, k, A, 0, k, tau);
      const Qd = new Float64Array(m * m);
      qrFormQ(m, m, k, A, 0, k, tau, Qd);
      const Q = { rows: m, cols: m, data: Qd };
      expect(orthonormalityError(Q)).toBeLessThan(1e-13);
      for (const side of ['left', 'right'] as const) {
        for (const trans of [false, true]) {
          const C = side === 'left' ? randomMatrix(m, n, n) : randomMatrix(n, m, n);
          const expected = side === 'left' ? multiply(Q, C, trans, false) : multiply(C, Q, false, trans);
          const out = C.data.slice();
          applySequence({ storage: 'cols', shift: 0, total: m, k, side, trans }, A, 0, k, tau, n, out, 0, C.cols);
          expect(maxAbsDiff({ rows: C.rows, cols: C.cols, data: out }, expected)).toBeLessThan(1e-13);
        }
      }
    }
  });
});

describe('qr: validation', () => {
  it('rejects an unknown mode, listing the valid ones', () => {
    expectError(() => qr([[1]], { mode: 'economic' as 'reduced' }), 'INVALID_OPTION', /'reduced', 'complete'/);
  });

  it('rejects empty and non-finite input', () => {
    expectError(() => qr([]), 'EMPTY_INPUT');
    expectError(() => qr([[1, NaN]]), 'NON_FINITE');
  });
});
