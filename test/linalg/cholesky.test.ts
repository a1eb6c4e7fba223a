import fc from 'fast-check';
import { CholeskyDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { toArrays, type Matrix } from '../../src/core/index.js';
import {
  cholesky, choleskyAppend, choleskyAppendKernel, choleskyFactorMatrix, choleskySolveInPlace, createCholeskyFactor,
} from '../../src/linalg/cholesky.js';
import { decompositionSizes, expectError, maxAbs, maxAbsDiff, multiply, randomMatrix } from './decomposition-checks.js';

/** B·Bᵀ + n·I: symmetric positive definite and well conditioned. */
function spd(n: number, seed: number): Matrix<Float64Array> {
  const B = randomMatrix(n, n, seed);
  const S = multiply(B, B, false, true);
  for (let i = 0; i < n; i++) S.data[i * n + i] = S.data[i * n + i]! + n;
  return S;
}

function expectValidFactor(S: Matrix, L: Matrix): void {
  const n = S.rows;
  expect([L.rows, L.cols]).toEqual([n, n]);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
    expect(L.data[i * n + i]!).toBeGreaterThan(0);
  }
  expect(maxAbsDiff(multiply(L, L, false, true), S) / maxAbs(S)).toBeLessThan(1e-14 * Math.max(n, 10));
}

describe('cholesky: exact small cases', () => {
  it('the example of the documentation', () => {
    expect(toArrays(cholesky([[4, 2], [2, 5]]))).toEqual([[2, 0], [1, 2]]);
  });

  it('an integer 3 × 3 with an integer factor', () => {
    const S = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]];
    expect(toArrays(cholesky(S))).toEqual([[2, 0, 0], [6, 1, 0], [-8, 5, 3]]);
  });

  it('1 × 1 and diagonal matrices', () => {
    expect(toArrays(cholesky([[9]]))).toEqual([[3]]);
    expect(toArrays(cholesky([[4, 0], [0, 16]]))).toEqual([[2, 0], [0, 4]]);
  });

  it('float32 input is computed in float64; the caller array is not modified', () => {
    const data = new Float32Array([4, 2, 2, 5]);
    const L = cholesky({ rows: 2, cols: 2, data });
    expect(L.data).toBeInstanceOf(Float64Array);
    expect(Array.from(data)).toEqual([4, 2, 2, 5]);
  });
});

describe('cholesky: reference values from ml-matrix CholeskyDecomposition', () => {
  it.each([3, 17, 33, 65, 130])('n = %i', (n) => {
    const S = spd(n, n);
    const ref = new CholeskyDecomposition(new MlMatrix(toArrays(S))).lowerTriangularMatrix.to1DArray();
    const L = cholesky(S);
    const scale = Math.max(...ref.map(Math.abs));
    for (let p = 0; p < n * n; p++) expect(Math.abs(L.data[p]! - ref[p]!) / scale).toBeLessThan(1e-13);
  });
});

describe('cholesky: properties', () => {
  it('L·Lᵀ = S for sizes crossing the loop boundaries', () => {
    for (const n of [...decompositionSizes, 100]) expectValidFactor(spd(n, 3 * n), cholesky(spd(n, 3 * n)));
  });

  it('L·Lᵀ = S for any SPD matrix (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const S = spd(n, seed);
        expectValidFactor(S, cholesky(S));
      }),
      { numRuns: 50 },
    );
  });
});

describe('CholeskyFactor: growing one row and column at a time', () => {
  it('appending the columns of S one by one gives cholesky(S) (to rounding), through several reallocations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const S = spd(n, seed);
        const factor = createCholeskyFactor(1);
        for (let i = 0; i < n; i++) {
          const v = S.data.subarray(i * n, i * n + i);
          expect(choleskyAppend(factor, v, S.data[i * n + i]!)).toBe(true);
        }
        expect(factor.size).toBe(n);
        expect(factor.capacity).toBeGreaterThanOrEqual(n);
        // The same factor up to rounding: cholesky is blocked (its sums run in another order).
        const grown = choleskyFactorMatrix(factor).data, direct = cholesky(S).data;
        for (let t = 0; t < n * n; t++) expect(Math.abs(grown[t]! - direct[t]!)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(direct[t]!)));
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a dependent column (returns false, factor unchanged) and can continue afterwards', () => {
    const f = createCholeskyFactor(4);
    expect(choleskyAppend(f, [], 4)).toBe(true);
    expect(choleskyAppend(f, [2], 5)).toBe(true);
    const before = choleskyFactorMatrix(f);
    expect(choleskyAppend(f, [2, 5], 5)).toBe(false); // the Gram column of a repeated atom
    expect(choleskyAppend(f, [2, 5], 5 + 1e-15)).toBe(false); // nearly dependent
    expect(choleskyAppend(f, [0, 0], 0)).toBe(false); // a zero atom
    expect(choleskyAppend(f, [0, 0], -1)).toBe(false);
    expect(f.size).toBe(2);
    expect(choleskyFactorMatrix(f)).toEqual(before);
    expect(choleskyAppend(f, [0, 0], 9)).toBe(true);
    expect(toArrays(choleskyFactorMatrix(f))).toEqual([[2, 0, 0], [1, 2, 0], [0, 0, 3]]);
  });

  it('a caller tolerance rejects ill-conditioned additions', () => {
    const f = createCholeskyFactor(2);
    choleskyAppend(f, [], 1);
    // Two unit vectors at cosine 0.999999: pivot² = 1 − 0.999999² ≈ 2e-6.
    expect(choleskyAppend(f, [0.999999], 1, 1e-5)).toBe(false);
    expect(choleskyAppend(f, [0.999999], 1)).toBe(true);
  });

  it('choleskySolveInPlace solves L·Lᵀ·x = b, at an offset', () => {
    const S = spd(7, 5);
    const f = createCholeskyFactor(3);
    for (let i = 0; i < 7; i++) choleskyAppend(f, S.data.subarray(i * 7, i * 7 + i), S.data[i * 7 + i]!);
    const x = new Float64Array(9);
    const b = randomMatrix(7, 1, 6).data;
    x.set(b, 2);
    choleskySolveInPlace(f, x, 2);
    const Sx = multiply(S, { rows: 7, cols: 1, data: x.subarray(2) });
    for (let i = 0; i < 7; i++) expect(Sx.data[i]).toBeCloseTo(b[i]!, 12);
    expect([x[0], x[1]]).toEqual([0, 0]);
  });

  it('the kernel reports the pivot without writing the diagonal when it is not positive', () => {
    const data = new Float64Array([2, 0, 2, 7]);
    expect(choleskyAppendKernel(1, 2, data, 1)).toBe(0);
    expect(data[3]).toBe(7);
  });
});

describe('cholesky: validation', () => {
  it('a matrix that is not positive definite: INVALID_INPUT naming the column', () => {
    expectError(() => cholesky([[1, 2], [2, 1]]), 'INVALID_INPUT', /not positive definite: the pivot at column 1 is -3/);
    expectError(() => cholesky([[0, 0], [0, 1]]), 'INVALID_INPUT', /column 0/);
    expectError(() => cholesky([[1, 1], [1, 1]]), 'INVALID_INPUT', /column 1 is 0/);
  });

  it('non-square and asymmetric matrices', () => {
    expectError(() => cholesky([[1, 2]]), 'SHAPE_MISMATCH', /expected a square symmetric positive definite matrix/);
    expectError(() => cholesky([[4, 1], [2, 4]]), 'INVALID_INPUT', /not symmetric/);
    expect(toArrays(cholesky([[4, 99], [2, 5]], { check: false }))).toEqual([[2, 0], [1, 2]]);
  });

  it('appendRow arguments', () => {
    const f = createCholeskyFactor(2);
    choleskyAppend(f, [], 1);
    expectError(() => choleskyAppend(f, [], 1), 'SHAPE_MISMATCH', /at least 1 values/);
    expectError(() => choleskyAppend(f, [1], NaN), 'INVALID_OPTION');
    expectError(() => createCholeskyFactor(0), 'INVALID_OPTION');
  });
});
