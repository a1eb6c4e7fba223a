import type { Region } from './types.js';
import { gemmKernel, gemvKernel, regionKernel } from './dispatch.js';
import { householder } from './reflectors.js';

// Golub-Kahan bidiagonalisation, blocked as LAPACK's dgebrd/dlabrd, on a matrix kept
// resident in the kernels' memory. Reduced one column and row at a time (LAPACK dgebd2),
// all of its 4mn² flops are TypeScript loops; here each panel of 32 columns is reduced
// against the *original* trailing matrix plus the corrections held in X and Y (every
// product of a column's step a matrix-vector product, the `gemv` kernel, on A, X and Y
// resident in the kernels' memory), and the trailing matrix then takes
// all of the panel's rank-2·32 update at once, through one gemm of depth 64 (the active
// backend's, depth ≤ 256: the same bits on both). Half the flops move into gemm. Small
// matrices take the same path (one partial panel, no gemm): one code for every size.

/** Columns per panel (LAPACK's default for dgebrd). */
const BLOCK = 32;

/**
 * Reduces A (m × n, m ≥ n, row-major, leading dimension n, held in `A`) to upper
 * bidiagonal form Q_Lᵀ·A·Q_R = B (LAPACK dgebrd). On return d (n) and e (n − 1) hold B's
 * diagonal and superdiagonal; left reflector k is stored down column k below the diagonal
 * (unit entry at row k, τ in tauL[k]) and right reflector k along row k after the
 * superdiagonal (unit entry at column k + 1, τ in tauR[k]).
 *
 * @see Dongarra, Sorensen & Hammarling (1989), "Block reduction of matrices to condensed
 *   forms for eigenvalue computations", J. Comput. Appl. Math. 27
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §5.4.8
 *
 * @example
 * ```ts
 * const A = jsRegion(new Float64Array([3, 0, 4, 0])); // [[3, 0], [4, 0]]
 * const d = new Float64Array(2), e = new Float64Array(1);
 * bidiagonalize(2, 2, A, d, e, new Float64Array(2), new Float64Array(1));
 * [d[0], e[0], d[1]]; // [-5, 0, 0]
 * ```
 */
export function bidiagonalize(
  m: number, n: number, A: Region<Float64Array>,
  d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array,
): void {
  const panel = newPanel(m, n, d);
  try {
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const end = Math.min(n, i0 + BLOCK);
      reducePanel(m, n, A, i0, end, d, e, tauL, tauR, panel);
      if (end < n) updateTrailing(m, n, A, i0, d, e, panel);
      else restoreDiagonals(n, A.view(), i0, end, d, e);
    }
  } finally {
    panel.X.release();
    panel.Y.release();
  }
}

/**
 * dlabrd's workspace: X (m × 32) and Y (n × 32) indexed by the global row (column) of A,
 * resident in the kernels' memory beside A (every product of the panel is a `gemv` call
 * on them: in TypeScript loops the small ones were 8 % of a 400 × 4096 SVD); the small
 * products of each step, two accumulators (m ≥ n entries), and the two gathered gemm
 * operands of the trailing update.
 */
interface Panel {
  X: Region<Float64Array>;
  Y: Region<Float64Array>;
  p1: Float64Array;
  p2: Float64Array;
  w: Float64Array;
  q1: Float64Array;
  q2: Float64Array;
  left: Float64Array;
  right: Float64Array;
}

function newPanel(m: number, n: number, like: Float64Array): Panel {
  const X = regionKernel()(like, m * BLOCK), Y = regionKernel()(like, n * BLOCK);
  X.view().fill(0);
  Y.view().fill(0);
  return {
    X, Y, p1: new Float64Array(BLOCK), p2: new Float64Array(BLOCK), w: new Float64Array(m),
    q1: new Float64Array(m), q2: new Float64Array(m),
    left: new Float64Array(m * 2 * BLOCK), right: new Float64Array(2 * BLOCK * n),
  };
}

// Columns and rows i0 … end−1 (LAPACK dlabrd, m ≥ n). The unit entries of the reflectors
// (A[g][g] and A[g][g+1]) are stored as 1 until the trailing update has read them; the
// last column has a left reflector only. Every view is taken after the kernel calls
// before it (a call may move the kernels' memory).
function reducePanel(m: number, n: number, A: Region<Float64Array>, i0: number, end: number, d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array, P: Panel): void {
  for (let j = 0; j < end - i0; j++) {
    const g = i0 + j;
    updateColumn(m, n, A, i0, j, P);
    let a = A.view();
    tauL[g] = householder(m - g, a, g * n + g, n);
    d[g] = a[g * n + g]!;
    if (g === n - 1) break;
    a[g * n + g] = 1;
    columnOfY(m, n, A, i0, j, tauL[g]!, P);
    updateRow(n, A, i0, j, P);
    a = A.view();
    const tr = householder(n - g - 1, a, g * n + g + 1, 1);
    tauR[g] = tr;
    e[g] = a[g * n + g + 1]!;
    a[g * n + g + 1] = 1;
    columnOfX(m, n, A, i0, j, tr, P);
  }
}

// A[g:, g] −= A[g:, i0:g]·Y[g, :j]ᵀ + X[g:, :j]·A[i0:g, g]: column g brought up to date.
function updateColumn(m: number, n: number, A: Region<Float64Array>, i0: number, j: number, P: Panel): void {
  if (j === 0) return;
  const g = i0 + j, rows = m - g, { q1, q2 } = P, gemv = gemvKernel();
  gemv(false, rows, j, A.view(), g * n + i0, n, P.Y.view(), g * BLOCK, 1, q1, 0);
  gemv(false, rows, j, P.X.view(), g * BLOCK, BLOCK, A.view(), i0 * n + g, n, q2, 0);
  const a = A.view();
  for (let r = 0; r < rows; r++) a[(g + r) * n + g] = a[(g + r) * n + g]! - (q1[r]! + q2[r]!);
}

// Y[g+1:, j] = τ·(A[g:, g+1:]ᵀ·u − Y[g+1:, :j]·(A[g:, i0:g]ᵀ·u) − A[i0:g, g+1:]ᵀ·(X[g:, :j]ᵀ·u))
// for the left reflector u down column g: five matrix-vector products (`gemv`).
function columnOfY(m: number, n: number, A: Region<Float64Array>, i0: number, j: number, tau: number, P: Panel): void {
  const g = i0 + j, rows = m - g, cols = n - g - 1, u = g * n + g, { p1, p2, w, q1, q2 } = P, gemv = gemvKernel();
  gemv(true, rows, cols, A.view(), u + 1, n, A.view(), u, n, w, 0);
  if (j > 0) {
    gemv(true, rows, j, A.view(), g * n + i0, n, A.view(), u, n, p1, 0);
    gemv(true, rows, j, P.X.view(), g * BLOCK, BLOCK, A.view(), u, n, p2, 0);
    gemv(true, j, cols, A.view(), i0 * n + g + 1, n, p2, 0, 1, q1, 0);
    gemv(false, cols, j, P.Y.view(), (g + 1) * BLOCK, BLOCK, p1, 0, 1, q2, 0);
  }
  const Y = P.Y.view();
  for (let c = 0; c < cols; c++) Y[(g + 1 + c) * BLOCK + j] = tau * (j > 0 ? w[c]! - q1[c]! - q2[c]! : w[c]!);
}

// A[g, g+1:] −= Y[g+1:, :j+1]·A[g, i0:g+1]ᵀ + A[i0:g, g+1:]ᵀ·X[g, :j]ᵀ: row g up to date
// (A[g][g] holds the unit entry of the left reflector).
function updateRow(n: number, A: Region<Float64Array>, i0: number, j: number, P: Panel): void {
  const g = i0 + j, cols = n - g - 1, row = g * n, { q1, q2 } = P, gemv = gemvKernel();
  gemv(false, cols, j + 1, P.Y.view(), (g + 1) * BLOCK, BLOCK, A.view(), row + i0, 1, q1, 0);
  if (j > 0) gemv(true, j, cols, A.view(), i0 * n + g + 1, n, P.X.view(), g * BLOCK, 1, q2, 0);
  const a = A.view();
  for (let c = 0; c < cols; c++) a[row + g + 1 + c] = a[row + g + 1 + c]! - (j > 0 ? q1[c]! + q2[c]! : q1[c]!);
}

// X[g+1:, j] = τ·(A[g+1:, g+1:]·v − A[g+1:, i0:g+1]·(Y[g+1:, :j+1]ᵀ·v) − X[g+1:, :j]·(A[i0:g, g+1:]·v))
// for the right reflector v along row g: five matrix-vector products (`gemv`).
function columnOfX(m: number, n: number, A: Region<Float64Array>, i0: number, j: number, tau: number, P: Panel): void {
  const g = i0 + j, rows = m - g - 1, cols = n - g - 1, v = g * n + g + 1, { p1, p2, w: x, q1, q2 } = P, gemv = gemvKernel();
  gemv(false, rows, cols, A.view(), (g + 1) * n + g + 1, n, A.view(), v, 1, x, 0);
  gemv(true, cols, j + 1, P.Y.view(), (g + 1) * BLOCK, BLOCK, A.view(), v, 1, p1, 0);
  gemv(false, rows, j + 1, A.view(), (g + 1) * n + i0, n, p1, 0, 1, q1, 0);
  if (j > 0) {
    gemv(false, j, cols, A.view(), i0 * n + g + 1, n, A.view(), v, 1, p2, 0);
    gemv(false, rows, j, P.X.view(), (g + 1) * BLOCK, BLOCK, p2, 0, 1, q2, 0);
  }
  const X = P.X.view();
  for (let q = 0; q < rows; q++) X[(g + 1 + q) * BLOCK + j] = tau * (j > 0 ? x[q]! - q1[q]! - q2[q]! : x[q]! - q1[q]!);
}

// A[e:, e:] −= [A[e:, i0:e] X[e:, :]]·[Y[e:, :]ᵀ; A[i0:e, e:]] for e = i0 + 32: one gemm of
// depth 64 on the resident matrix, from two gathered operands (A's own blocks would
// overlap the output, which the WebAssembly adapter would then copy whole). The unit
// entries are read here, then d and e go back on the diagonals.
function updateTrailing(m: number, n: number, A: Region<Float64Array>, i0: number, d: Float64Array, e: Float64Array, P: Panel): void {
  const end = i0 + BLOCK, rows = m - end, cols = n - end, depth = 2 * BLOCK;
  const { left, right } = P, X = P.X.view(), Y = P.Y.view();
  const a = A.view();
  for (let r = 0; r < rows; r++) {
    const src = (end + r) * n + i0, dst = r * depth;
    for (let t = 0; t < BLOCK; t++) {
      left[dst + t] = a[src + t]!;
      left[dst + BLOCK + t] = X[(end + r) * BLOCK + t]!;
    }
  }
  for (let t = 0; t < BLOCK; t++) {
    for (let c = 0; c < cols; c++) right[t * cols + c] = Y[(end + c) * BLOCK + t]!;
    right.set(a.subarray((i0 + t) * n + end, (i0 + t + 1) * n), (BLOCK + t) * cols);
  }
  restoreDiagonals(n, a, i0, end, d, e);
  gemmKernel()(false, false, rows, cols, depth, -1, left, 0, depth, right, 0, cols, 1, a, end * n + end, n);
}

// d and e back in place of the unit entries of the panel's reflectors.
function restoreDiagonals(n: number, a: Float64Array, i0: number, end: number, d: Float64Array, e: Float64Array): void {
  for (let g = i0; g < end; g++) {
    a[g * n + g] = d[g]!;
    if (g + 1 < n) a[g * n + g + 1] = e[g]!;
  }
}
