import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toArrays, type Matrix } from '../../src/core/index.js';
import { solveTriangular, trsm, trsv } from '../../src/linalg/triangular.js';
import { decompositionSizes, expectError, multiply, randomMatrix } from './decomposition-checks.js';

/** The values with −0 turned into +0 (toEqual tells them apart; the solves may produce either). */
function plain(values: ArrayLike<number>): number[] {
  return Array.from(values, (x) => x + 0);
}

const combinations = [
  { lower: true, transpose: false }, { lower: true, transpose: true },
  { lower: false, transpose: false }, { lower: false, transpose: true },
] as const;

/**
 * A (n × n) triangular matrix with integer entries in [−3, 3] and a diagonal of ±1 or ±2
 * (or, with `unit`, junk on the diagonal that must not be read); the other triangle is
 * filled with junk that must not be read either.
 */
function triangular(n: number, lower: boolean, unit: boolean, seed: number): Matrix<Float64Array> {
  const r = randomMatrix(n, n, seed).data;
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const inside = lower ? j < i : j > i;
      if (i === j) T[i * n + j] = unit ? 1e6 : (r[i * n + j]! < 0 ? -1 : 1) * (1 + (i % 2));
      else T[i * n + j] = inside ? Math.round(3 * r[i * n + j]!) : 1e6;
    }
  }
  return { rows: n, cols: n, data: T };
}

/** op(T) as a dense matrix with the junk removed and the unit diagonal made explicit. */
function effective(T: Matrix, lower: boolean, transpose: boolean, unit: boolean): Matrix<Float64Array> {
  const n = T.rows;
  const E = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const inside = lower ? j <= i : j >= i;
      const v = i === j && unit ? 1 : inside ? T.data[i * n + j]! : 0;
      if (transpose) E[j * n + i] = v;
      else E[i * n + j] = v;
    }
  }
  return { rows: n, cols: n, data: E };
}

describe('solveTriangular: exact small cases', () => {
  it('the examples of the documentation', () => {
    expect(Array.from(solveTriangular([[2, 0], [1, 4]], [2, 9]))).toEqual([1, 2]);
    expect(Array.from(solveTriangular([[2, 0], [1, 4]], [2, 9], { transpose: true }))).toEqual([-0.125, 2.25]);
  });

  it('recovers integer solutions exactly for all four triangle/transpose combinations, unit or not', () => {
    for (const { lower, transpose } of combinations) {
      for (const unitDiagonal of [false, true]) {
        for (const n of [1, 2, 3, 5, 8]) {
          const T = triangular(n, lower, unitDiagonal, n * 31 + Number(lower) + 2 * Number(transpose));
          const X = { rows: n, cols: 3, data: randomMatrix(n, 3, n).data.map((x) => Math.round(4 * x)) };
          const B = multiply(effective(T, lower, transpose, unitDiagonal), X);
          expect(plain(solveTriangular(T, B, { lower, transpose, unitDiagonal }).data)).toEqual(plain(X.data));
          const x = Array.from({ length: n }, (_, i) => X.data[i * 3]!);
          const b = Array.from({ length: n }, (_, i) => B.data[i * 3]!);
          expect(plain(solveTriangular(T, b, { lower, transpose, unitDiagonal }))).toEqual(plain(x));
        }
      }
    }
  });

  it('a Matrix right-hand side with one column stays a Matrix; vectors may be typed arrays', () => {
    const out = solveTriangular([[2, 0], [1, 4]], [[2], [9]]);
    expect(toArrays(out)).toEqual([[1], [2]]);
    expect(solveTriangular([[2, 0], [1, 4]], new Float32Array([2, 9]))).toEqual(new Float64Array([1, 2]));
  });

  it('does not modify its inputs', () => {
    const T = [[2, 0], [1, 4]];
    const b = [2, 9];
    solveTriangular(T, b);
    expect(T).toEqual([[2, 0], [1, 4]]);
    expect(b).toEqual([2, 9]);
  });
});

describe('solveTriangular: properties', () => {
  it('op(T)·X = B for random well-conditioned T over sizes crossing the loop boundaries (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...decompositionSizes, 100), fc.integer({ min: 1, max: 9 }), fc.constantFrom(...combinations),
        fc.boolean(), fc.integer({ min: 1, max: 1e6 }),
        (n, nrhs, { lower, transpose }, unitDiagonal, seed) => {
          // Off-diagonal entries of size 1/n keep the solve well conditioned, also with a
          // unit diagonal (random unit triangular matrices are exponentially ill conditioned).
          const T = randomMatrix(n, n, seed);
          for (let p = 0; p < n * n; p++) T.data[p] = T.data[p]! / n;
          for (let i = 0; i < n; i++) T.data[i * n + i] = T.data[i * n + i]! < 0 ? -1 : 1;
          const B = randomMatrix(n, nrhs, seed + 1);
          const X = solveTriangular(T, B, { lower, transpose, unitDiagonal });
          const residual = multiply(effective(T, lower, transpose, unitDiagonal), X);
          for (let p = 0; p < B.data.length; p++) expect(Math.abs(residual.data[p]! - B.data[p]!)).toBeLessThan(1e-12 * n);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('trsv and trsm kernels', () => {
  it('trsv honours offsets and strides and leaves the gaps alone', () => {
    const n = 5;
    const T = triangular(n, true, false, 3);
    const A = new Float64Array(3 + n * 7).fill(NaN);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[3 + i * 7 + j] = T.data[i * n + j]!;
    const x = [1, -2, 3, 0, 2];
    const b = multiply(effective(T, true, false, false), { rows: n, cols: 1, data: Float64Array.from(x) }).data;
    const buf = new Float64Array(1 + 2 * n).fill(-7);
    for (let i = 0; i < n; i++) buf[1 + 2 * i] = b[i]!;
    trsv(true, false, false, n, A, 3, 7, buf, 1, 2);
    expect(plain(Array.from({ length: n }, (_, i) => buf[1 + 2 * i]!))).toEqual(x);
    expect(Array.from({ length: n + 1 }, (_, i) => buf[2 * i])).toEqual(new Array(n + 1).fill(-7));
  });

  it('trsm with leading dimensions larger than the blocks', () => {
    const n = 4, nrhs = 2;
    const T = triangular(n, false, false, 8);
    const X = [[1, 2], [-1, 0], [3, 1], [2, -2]];
    const Bm = multiply(effective(T, false, true, false), { rows: n, cols: nrhs, data: Float64Array.from(X.flat()) });
    const B = new Float64Array(n * 5).fill(9);
    for (let i = 0; i < n; i++) B.set(Bm.data.subarray(i * nrhs, (i + 1) * nrhs), i * 5 + 1);
    trsm(false, true, false, n, nrhs, T.data, 0, n, B, 1, 5);
    for (let i = 0; i < n; i++) expect(plain(B.subarray(i * 5 + 1, i * 5 + 3))).toEqual(X[i]);
    for (let i = 0; i < n; i++) expect([B[i * 5], B[i * 5 + 3], B[i * 5 + 4]]).toEqual([9, 9, 9]);
  });
});

describe('solveTriangular: validation', () => {
  it('shape errors', () => {
    expectError(() => solveTriangular([[1, 0, 0], [0, 1, 0]], [1, 2]), 'SHAPE_MISMATCH', /T: received a 2 × 3 matrix, expected a square triangular matrix/);
    expectError(() => solveTriangular([[1, 0], [0, 1]], [1, 2, 3]), 'SHAPE_MISMATCH', /B: received a vector of length 3, expected length 2/);
    expectError(() => solveTriangular([[1, 0], [0, 1]], [[1], [2], [3]]), 'SHAPE_MISMATCH', /expected 2 rows/);
  });

  it('a zero on the diagonal is singular, unless the diagonal is implicitly one', () => {
    expectError(() => solveTriangular([[1, 0], [3, 0]], [1, 2]), 'INVALID_INPUT', /diagonal entry \(1, 1\) is 0/);
    expect(Array.from(solveTriangular([[0, 0], [3, 0]], [1, 2], { unitDiagonal: true }))).toEqual([1, -1]);
  });

  it('bad options and inputs', () => {
    expectError(() => solveTriangular([[1]], [1], { lower: 1 as unknown as boolean }), 'INVALID_OPTION');
    expectError(() => solveTriangular([[1]], [NaN]), 'NON_FINITE');
  });
});
