import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { toArrays, type Matrix } from '../../src/core/index.js';
import { eigh, eigvalsh, symmetricEigen } from '../../src/linalg/eigh.js';
import { applySequence } from '../../src/linalg/kernels/householder.js';
import { tridiagonalEigen, tridiagonalQL } from '../../src/linalg/kernels/tridiagonal.js';
import { tridiagonalize } from '../../src/linalg/kernels/tridiagonalize.js';
import { qr } from '../../src/linalg/qr.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import {
  column, decompositionSizes, expectError, hasCanonicalSigns, maxAbs, maxAbsDiff, multiply,
  orthonormalityError, randomMatrix, randomSymmetric, reconstruct,
} from './decomposition-checks.js';

/** Checks S = V·diag(λ)·Vᵀ, VᵀV = I, descending values and canonical signs. */
function expectValidEigh(S: Matrix, tol = 1e-12): void {
  const { values, vectors } = eigh(S);
  const n = S.rows;
  expect(values).toBeInstanceOf(Float64Array);
  expect([vectors.rows, vectors.cols]).toEqual([n, n]);
  expect(maxAbsDiff(reconstruct(vectors, values, vectors), S) / maxAbs(S)).toBeLessThan(tol * Math.max(n, 10));
  expect(orthonormalityError(vectors)).toBeLessThan(tol * Math.max(n, 10));
  for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
  expect(hasCanonicalSigns(vectors)).toBe(true);
}

/** Q·diag(spectrum)·Qᵀ for a random orthogonal Q. */
function withSpectrum(spectrum: number[], seed: number): Matrix<Float64Array> {
  const n = spectrum.length;
  const { Q } = qr(randomMatrix(n, n, seed));
  const QD = { rows: n, cols: n, data: Q.data.map((x, p) => x * spectrum[p % n]!) };
  const S = multiply(QD, Q, false, true);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) S.data[i * n + j] = S.data[j * n + i]!;
  return S;
}

describe('eigh: exact small cases', () => {
  it('a diagonal matrix gives its sorted diagonal and unit vectors', () => {
    const { values, vectors } = eigh([[1, 0, 0], [0, 3, 0], [0, 0, -2]]);
    expect(Array.from(values)).toEqual([3, 1, -2]);
    expect(toArrays(vectors)).toEqual([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  });

  it('a 2 × 2 matches the closed form', () => {
    const [a, b, c] = [2, -3, 7];
    const mid = (a + c) / 2, rad = Math.hypot((a - c) / 2, b);
    const { values, vectors } = eigh([[a, b], [b, c]]);
    expect(values[0]).toBeCloseTo(mid + rad, 14);
    expect(values[1]).toBeCloseTo(mid - rad, 14);
    // (b, λ − a) is an eigenvector of λ.
    const v0 = column(vectors, 0);
    expect(v0[0]! * (values[0]! - a) - v0[1]! * b).toBeCloseTo(0, 14);
  });

  it('the example of the documentation', () => {
    const { values, vectors } = eigh([[2, 1], [1, 2]]);
    expect(values[0]).toBeCloseTo(3, 15);
    expect(values[1]).toBeCloseTo(1, 15);
    const h = Math.SQRT1_2;
    expect(maxAbsDiff(vectors, { rows: 2, cols: 2, data: new Float64Array([h, h, h, -h]) })).toBeLessThan(1e-15);
  });

  it('1 × 1, the zero matrix and the identity', () => {
    expect(Array.from(eigh([[-4]]).values)).toEqual([-4]);
    const zero = eigh({ rows: 3, cols: 3, data: new Float64Array(9) });
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(toArrays(zero.vectors)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const I = eigh([[1, 0], [0, 1]]);
    expect(Array.from(I.values)).toEqual([1, 1]);
    expect(orthonormalityError(I.vectors)).toBe(0);
  });

  it('zero rows and columns are split off as exact eigenpairs (0, eᵢ)', () => {
    const S = [[2, 0, 1], [0, 0, 0], [1, 0, 2]];
    const { values, vectors } = eigh(S);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(values[2]).toBe(0);
    expect(column(vectors, 2)).toEqual([0, 1, 0]);
    expect(vectors.data[1 * 3 + 0]).toBe(0);
    expectValidEigh({ rows: 3, cols: 3, data: Float64Array.from(S.flat()) });
  });

  it('the tridiagonal second-difference matrix has eigenvalues 2 − 2cos(kπ/(n+1))', () => {
    const n = 65;
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      S[i * n + i] = 2;
      if (i > 0) S[i * n + i - 1] = S[(i - 1) * n + i] = -1;
    }
    const { values } = eigh({ rows: n, cols: n, data: S });
    for (let k = 1; k <= n; k++) expect(values[n - k]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
  });

  it('float32 input is computed in float64; the caller array is not modified', () => {
    const data = new Float32Array([4, 1, 1, 3]);
    const { values } = eigh({ rows: 2, cols: 2, data });
    expect(values).toBeInstanceOf(Float64Array);
    expect(values[0]! + values[1]!).toBeCloseTo(7, 6);
    expect(Array.from(data)).toEqual([4, 1, 1, 3]);
  });
});

describe('eigh: reference values from ml-matrix EigenvalueDecomposition', () => {
  it.each([2, 5, 17, 26, 40, 65, 100])('n = %i: eigenvalues and eigenvectors (up to sign)', (n) => {
    const S = randomSymmetric(n, 1000 + n);
    const ref = new EigenvalueDecomposition(new MlMatrix(toArrays(S)), { assumeSymmetric: true });
    // ml-matrix orders them ascending.
    const refValues = ref.realEigenvalues.slice().reverse();
    const refVectors = ref.eigenvectorMatrix;
    const { values, vectors } = eigh(S);
    const scale = Math.max(...refValues.map(Math.abs));
    for (let k = 0; k < n; k++) expect(Math.abs(values[k]! - refValues[k]!) / scale).toBeLessThan(1e-12);
    for (let k = 0; k < n; k++) {
      const ours = column(vectors, k);
      const theirs = refVectors.getColumn(n - 1 - k);
      const dot = ours.reduce((s, x, i) => s + x * theirs[i]!, 0);
      // Random spectra are well separated: the vectors agree up to sign.
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-10);
    }
  });
});

describe.each(backendNames)('eigh properties on the %s backend', (name) => {
  useBackendFor(name);

  it('reconstructs random symmetric matrices of sizes crossing every boundary', () => {
    for (const n of [...decompositionSizes, 100, 130]) expectValidEigh(randomSymmetric(n, n));
  });

  it('holds for any symmetric matrix (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -30, max: 30, noNaN: true }), (n, seed, exponent) => {
        const S = randomSymmetric(n, seed);
        const scale = 2 ** exponent;
        expectValidEigh({ rows: n, cols: n, data: S.data.map((x) => x * scale) });
      }),
      { numRuns: 40 },
    );
  });

  it('handles clustered, repeated and graded spectra (deflation paths of divide and conquer)', () => {
    const n = 90;
    const repeated = Array.from({ length: n }, (_, i) => i % 3);
    const clustered = Array.from({ length: n }, (_, i) => 1 + (i % 2) * 1e-13 * i);
    const graded = Array.from({ length: n }, (_, i) => 10 ** (-i / 6));
    const lowRank = Array.from({ length: n }, (_, i) => (i < 5 ? i + 1 : 0));
    for (const [i, spectrum] of [repeated, clustered, graded, lowRank].entries()) {
      const S = withSpectrum(spectrum, 50 + i);
      expectValidEigh(S, 1e-13);
      const { values } = eigh(S);
      const expected = spectrum.slice().sort((a, b) => b - a);
      for (let k = 0; k < n; k++) expect(Math.abs(values[k]! - expected[k]!)).toBeLessThan(1e-12 * Math.max(...spectrum));
    }
  });

  it('the all-ones matrix and matrices with many zero rows', () => {
    const n = 70;
    expectValidEigh({ rows: n, cols: n, data: new Float64Array(n * n).fill(1) });
    const S = randomSymmetric(n, 9);
    for (let i = 0; i < n; i += 3) for (let j = 0; j < n; j++) S.data[i * n + j] = S.data[j * n + i] = 0;
    expectValidEigh(S);
  });
});

describe('symmetric eigen kernels', () => {
  it('tridiagonalize: Qᵀ·S·Q is the tridiagonal (d, e), with Q from the stored reflectors', () => {
    for (const n of [1, 2, 3, 17, 33, 64]) {
      const S = randomSymmetric(n, n + 3);
      const A = S.data.slice();
      const d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0)), tau = new Float64Array(Math.max(n - 1, 0));
      tridiagonalize(n, A, 0, n, d, e, tau);
      const Qd = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Qd[i * n + i] = 1;
      applySequence({ storage: 'rows', shift: 1, total: n, k: n - 1, side: 'left', trans: false }, A, 0, n, tau, n, Qd, 0, n);
      const Q = { rows: n, cols: n, data: Qd };
      const T = multiply(multiply(Q, S, true, false), Q);
      const expected = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        expected[i * n + i] = d[i]!;
        if (i > 0) expected[i * n + i - 1] = expected[(i - 1) * n + i] = e[i - 1]!;
      }
      expect(maxAbsDiff(T, { rows: n, cols: n, data: expected })).toBeLessThan(1e-13 * n);
    }
  });

  it('tridiagonalQL and tridiagonalEigen agree on the eigenvalues, with orthonormal vectors', () => {
    for (const n of [1, 2, 25, 26, 51, 120]) {
      const base = randomMatrix(2, n, n).data;
      const d = base.slice(0, n), e = base.slice(n, 2 * n - 1);
      // A few exact zeros in e split the matrix into independent blocks.
      if (n > 30) e[10] = e[n - 5] = 0;
      const d1 = d.slice(), Z1 = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Z1[i * n + i] = 1;
      expect(tridiagonalQL(n, d1, 0, e.slice(), 0, Z1, 0, n, n)).toBe(true);
      const d2 = d.slice(), Z2 = new Float64Array(n * n);
      tridiagonalEigen(n, d2, e.slice(), Z2, n);
      const sorted = Array.from(d1).sort((a, b) => a - b);
      for (let i = 0; i < n; i++) expect(Math.abs(d2[i]! - sorted[i]!)).toBeLessThan(1e-14 * n);
      expect(orthonormalityError({ rows: n, cols: n, data: Z2 })).toBeLessThan(1e-14 * n);
    }
  });

  it('symmetricEigen is eigh without the checks', () => {
    const S = randomSymmetric(30, 4);
    expect(symmetricEigen(30, S.data.slice())).toEqual(eigh(S));
  });
});

describe('eigh: validation', () => {
  it('rejects non-square input with SHAPE_MISMATCH', () => {
    expectError(() => eigh([[1, 2, 3], [4, 5, 6]]), 'SHAPE_MISMATCH', /S: received a 2 × 3 matrix, expected a square symmetric matrix/);
  });

  it('rejects an asymmetric matrix with INVALID_INPUT naming the worst entry', () => {
    expectError(() => eigh([[1, 2, 0], [2, 1, 5], [0, 4, 1]]), 'INVALID_INPUT', /entry \(1, 2\) is 5 but entry \(2, 1\) is 4/);
  });

  it('with check: false decomposes the symmetric part', () => {
    const { values } = eigh([[1, 3], [1, 1]], { check: false });
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(-1, 14);
  });

  it('tolerates rounding-level asymmetry', () => {
    expect(() => eigh([[1, 0.1], [0.1 + 1e-15, 1]])).not.toThrow();
  });

  it('rejects non-finite entries, empty input and bad options', () => {
    expectError(() => eigh([[1, NaN], [NaN, 1]]), 'NON_FINITE');
    expectError(() => eigh([]), 'EMPTY_INPUT');
    expectError(() => eigh([[1]], { check: 'yes' as unknown as boolean }), 'INVALID_OPTION');
  });
});

describe('eigvalsh', () => {
  it('equals the eigenvalues of eigh, descending, and leaves the input alone', () => {
    for (const n of [1, 2, 5, 33, 70]) {
      const B = Float64Array.from({ length: n * n }, (_, t) => Math.sin(t * 1.3 + n));
      const S = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = B[i * n + j]! + B[j * n + i]!;
      const copy = S.slice();
      const values = eigvalsh({ rows: n, cols: n, data: S });
      const reference = eigh({ rows: n, cols: n, data: S }).values;
      expect(S).toEqual(copy);
      for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - reference[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(reference[0]!)));
      for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    }
    expect(Array.from(eigvalsh([[0, 0], [0, 0]]))).toEqual([0, 0]);
  });
  it('rejects a non-symmetric matrix unless check is false', () => {
    expect(() => eigvalsh([[1, 2], [0, 1]])).toThrow(/symmetric/);
    expect(eigvalsh([[1, 2], [0, 1]], { check: false }).length).toBe(2);
  });
});

describe.each(backendNames)('eigh with subnormal entries on the %s backend', (name) => {
  useBackendFor(name);
  it('a column of subnormal entries gives finite eigenpairs, not NaN', () => {
    // α − β is then subnormal, and 1/(α − β) overflowed to ∞ before the reflector divided instead.
    const S = [[0.1, 0, -2.5e-323], [0, 0.1, 0], [-2.5e-323, 0, 1.37]];
    const { values, vectors } = eigh(S);
    for (const v of [...values, ...vectors.data]) expect(Number.isFinite(v)).toBe(true);
    expect(Math.abs(values[0]! - 1.37)).toBeLessThan(1e-15);
    expect(Math.abs(values[2]! - 0.1)).toBeLessThan(1e-15);
    expect(Array.from(eigvalsh(S)).every(Number.isFinite)).toBe(true);
  });
});
