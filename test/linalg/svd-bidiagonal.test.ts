/**
 * The blocked bidiagonalisation (src/linalg/kernels/bidiagonalize.ts, LAPACK dgebrd /
 * dlabrd) behind every SVD: panels of 32 columns reduced against the original trailing
 * matrix plus the corrections in X and Y, then one gemm on the trailing matrix. It must
 * give a naive column-then-row reduction's bidiagonal up to rounding, reflectors that
 * reproduce A, the same bits on both backends, and keep the SVD's accuracy on
 * ill-conditioned input. Shapes cross the panels (32, 33: one full panel and a partial
 * one; 65, 97, 130: two and more) and the 4-row and 2-row unrolls.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import { qr } from '../../src/linalg/qr.js';
import { svd } from '../../src/linalg/svd.js';
import { bidiagonalize } from '../../src/linalg/kernels/bidiagonalize.js';
import { applySequence, householder } from '../../src/linalg/kernels/householder.js';
import { rotateRows, setIdentity } from '../../src/linalg/kernels/givens.js';
import { gemvKernel, regionKernel, rotateChainKernel } from '../../src/linalg/kernels/dispatch.js';
import { backendNames, fill, onBothBackends, useBackendFor } from '../helpers/backends.js';
import { expectValidSvd, maxAbs, maxAbsDiff, multiply, randomMatrix } from './decomposition-checks.js';

interface Reduction { A: Float64Array; d: Float64Array; e: Float64Array; tauL: Float64Array; tauR: Float64Array }

function reduce(m: number, n: number, A: Float64Array): Reduction {
  const out = { A: A.slice(), d: new Float64Array(n), e: new Float64Array(Math.max(n - 1, 0)), tauL: new Float64Array(n), tauR: new Float64Array(Math.max(n - 1, 0)) };
  const R = regionKernel()(out.A, m * n);
  R.view().set(out.A);
  bidiagonalize(m, n, R, out.d, out.e, out.tauL, out.tauR);
  out.A.set(R.view().subarray(0, m * n));
  R.release();
  return out;
}

/** The textbook reduction (LAPACK dgebd2): column k's reflector applied, then row k's. */
function naiveBidiagonal(m: number, n: number, A0: Float64Array): { d: Float64Array; e: Float64Array } {
  const A = A0.slice(), d = new Float64Array(n), e = new Float64Array(Math.max(n - 1, 0));
  for (let k = 0; k < n; k++) {
    const tl = householder(m - k, A, k * n + k, n);
    d[k] = A[k * n + k]!;
    for (let c = k + 1; c < n; c++) {
      let s = A[k * n + c]!;
      for (let r = k + 1; r < m; r++) s += A[r * n + k]! * A[r * n + c]!;
      s *= tl;
      A[k * n + c] = A[k * n + c]! - s;
      for (let r = k + 1; r < m; r++) A[r * n + c] = A[r * n + c]! - s * A[r * n + k]!;
    }
    if (k + 1 >= n) continue;
    const tr = householder(n - k - 1, A, k * n + k + 1, 1);
    e[k] = A[k * n + k + 1]!;
    for (let r = k + 1; r < m; r++) {
      let s = A[r * n + k + 1]!;
      for (let c = k + 2; c < n; c++) s += A[r * n + c]! * A[k * n + c]!;
      s *= tr;
      A[r * n + k + 1] = A[r * n + k + 1]! - s;
      for (let c = k + 2; c < n; c++) A[r * n + c] = A[r * n + c]! - s * A[k * n + c]!;
    }
  }
  return { d, e };
}

/** Q_L·B·Q_Rᵀ from a reduction: (m × n). */
function rebuild(m: number, n: number, r: Reduction): Matrix<Float64Array> {
  // Q_R·Bᵀ, then Q_L·[B·Q_Rᵀ; 0]: both through the reflectors as stored.
  const BQ = new Float64Array(n * n); // rows of Q_R·Bᵀ, i.e. (B·Q_Rᵀ)ᵀ
  setIdentity(n, BQ, 0, n);
  const Bt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    Bt[i * n + i] = r.d[i]!;
    if (i + 1 < n) Bt[(i + 1) * n + i] = r.e[i]!;
  }
  BQ.set(Bt);
  applySequence({ storage: 'rows', shift: 1, total: n, k: n - 1, side: 'left', trans: false }, r.A, 0, n, r.tauR, n, BQ, 0, n);
  const C = new Float64Array(m * n); // [B·Q_Rᵀ; 0]
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C[i * n + j] = BQ[j * n + i]!;
  applySequence({ storage: 'cols', shift: 0, total: m, k: n, side: 'left', trans: false }, r.A, 0, n, r.tauL, n, C, 0, n);
  return { rows: m, cols: n, data: C };
}

const shapes: Array<[number, number]> = [[1, 1], [3, 2], [5, 5], [33, 32], [40, 33], [65, 65], [97, 97], [130, 97], [133, 130], [200, 130]];

describe.each(backendNames)('blocked bidiagonalisation (%s backend)', (backend) => {
  useBackendFor(backend);

  it.each(shapes)('%i × %i: the naive reduction\'s bidiagonal up to rounding, and Q_L·B·Q_Rᵀ = A', (m, n) => {
    const A = randomMatrix(m, n, m + 5 * n);
    const blocked = reduce(m, n, A.data), plain = naiveBidiagonal(m, n, A.data);
    const scale = maxAbs(A);
    // The bidiagonal is not forward-stable in its last entries (1.3e-12 apart at 97 × 97):
    // a loose bound here, a tight one on the reconstruction below.
    for (let i = 0; i < n; i++) expect(Math.abs(blocked.d[i]! - plain.d[i]!)).toBeLessThan(1e-10 * scale);
    for (let i = 0; i < n - 1; i++) expect(Math.abs(blocked.e[i]! - plain.e[i]!)).toBeLessThan(1e-10 * scale);
    expect(maxAbsDiff(rebuild(m, n, blocked), A)).toBeLessThan(1e-13 * Math.sqrt(m * n) * scale);
  });

  // Singular values graded from 1 down to 1e-12 with r = 150: the triangle (LQ path) and
  // the square (direct path) are both reduced in panels; each value must come out within
  // 2e-15·√(mn)·‖A‖, and the smallest must not be lost (a Gram matrix would lose all below 1e-8).
  it('ill-conditioned input through the blocked path: singular values 1 … 1e-12 to within c·ε·‖A‖', () => {
    const r = 150;
    const spectrum = Array.from({ length: r }, (_, i) => 10 ** (-12 * i / (r - 1)));
    for (const [m, n] of [[r, 400], [400, r], [r, r]] as const) {
      const Q1 = qr(randomMatrix(m, r, m)).Q, Q2 = qr(randomMatrix(n, r, n + 1)).Q;
      const A = multiply({ rows: m, cols: r, data: Q1.data.map((x, p) => x * spectrum[p % r]!) }, Q2, false, true);
      const res = svd(A);
      expectValidSvd(A, res);
      for (let k = 0; k < r; k++) expect(Math.abs(res.s[k]! - spectrum[k]!)).toBeLessThan(2e-15 * Math.sqrt(m * n));
      expect(Math.abs(res.s[r - 1]! / spectrum[r - 1]! - 1)).toBeLessThan(0.05);
    }
  });
});

describe('blocked bidiagonalisation: both backends', () => {
  it('give the same bits', () => {
    for (const [m, n] of shapes) {
      const A = randomMatrix(m, n, 3 * m + n);
      const [js, wasm] = onBothBackends(() => reduce(m, n, A.data));
      expect(wasm).toEqual(js);
    }
  });
});

// The rotations of a QR sweep (the `rotateChain` kernel): grouped per pass (three rows at a
// time in TypeScript, four and two lanes in WebAssembly), they must equal rotateRows applied
// one by one, bit for bit, identity rotations skipped (applying one would turn −0 into +0).
describe('rotateChain: one rotation at a time, on both backends', () => {
  function rotations(count: number, seed: number): { cs: Float64Array; sn: Float64Array } {
    const angle = fill(new Float64Array(count), seed);
    const cs = angle.map((a) => Math.cos(3 * a)), sn = angle.map((a) => Math.sin(3 * a));
    for (let j = 0; j < count; j++) if (j % 7 === 5) { cs[j] = 1; sn[j] = 0; }
    return { cs, sn };
  }

  it.each([1, 2, 3, 5, 8, 17])('rows of %i entries, chains of 1 … 14 rotations, plain arrays and regions', (n) => {
    for (const count of [1, 3, 4, 5, 6, 9, 14]) {
      const ld = n + 2, rows = count + 3, j0 = 1, j1 = j0 + count;
      const X0 = fill(new Float64Array(rows * ld + 1), 31 * n + count);
      X0[1 + (j0 + 5) * ld] = -0; // under the identity rotation j0 + 5 (when there is one)
      const { cs, sn } = rotations(rows, n + count);
      const expected = X0.slice();
      for (let j = j0; j < j1; j++) rotateRows(n, expected, 1 + j * ld, 1 + (j + 1) * ld, cs[j]!, sn[j]!);
      const [js, wasm] = onBothBackends(() => {
        const plain = X0.slice();
        rotateChainKernel()(n, plain, 1, ld, j0, j1, cs, sn);
        const R = regionKernel()(X0, X0.length);
        R.view().set(X0);
        rotateChainKernel()(n, R.view(), 1, ld, j0, j1, cs, sn);
        const resident = R.view().slice();
        R.release();
        return { plain, resident };
      });
      for (const out of [js.plain, js.resident, wasm.plain, wasm.resident]) expect(out).toEqual(expected);
    }
  });
});

// The panels' matrix-vector products (the `gemv` kernel): its fixed summation order (four
// rows per pass for Aᵀ·x; even and odd offsets for A·x) must give the same bits on both
// backends, for sizes across the unrolls (2 lanes, 2 and 4 rows), strided x, and x lying
// in a resident A, as the bidiagonalisation calls it; and a product near the naive one.
describe('gemv: both backends, the same bits', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 17])('%i rows, Aᵀ·x and A·x, x strided (plain) or in a resident A', (m) => {
    for (const n of [1, 2, 3, 4, 5, 8, 9, 16]) {
      for (const trans of [true, false]) {
        const lda = n + 3, incX = 3;
        const A = fill(new Float64Array(m * lda + 2), 7 * m + n);
        const len = trans ? m : n, out = trans ? n : m;
        const x = fill(new Float64Array(len * incX + 1), m + 11 * n);
        const naive = new Float64Array(out);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          const a = A[2 + i * lda + j]!;
          if (trans) naive[j] = naive[j]! + a * x[1 + i * incX]!;
          else naive[i] = naive[i]! + a * x[1 + j * incX]!;
        }
        const [js, wasm] = onBothBackends(() => {
          const y = new Float64Array(out + 1);
          gemvKernel()(trans, m, n, A, 2, lda, x, 1, incX, y, 1);
          // x inside a resident A: a column (stride lda) or a row (stride 1) of it.
          const R = regionKernel()(A, A.length);
          R.view().set(A);
          const inA = new Float64Array(out + 1);
          gemvKernel()(trans, m, n, R.view(), 2, lda, R.view(), 0, trans ? lda : 1, inA, 1);
          R.release();
          return { y, inA };
        });
        expect(wasm).toEqual(js);
        for (let i = 0; i < out; i++) expect(Math.abs(js.y[1 + i]! - naive[i]!)).toBeLessThan(1e-14 * len);
      }
    }
  });
});
