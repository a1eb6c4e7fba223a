import type { Region } from './types.js';
import { gemmKernel, gemvKernel } from './dispatch.js';
import { householder } from './reflectors.js';

// Golub-Kahan bidiagonalisation, blocked as LAPACK's dgebrd/dlabrd, on a matrix kept
// resident in the kernels' memory. Reduced one column and row at a time (LAPACK dgebd2),
// all of its 4mn² flops are TypeScript loops; here each panel of 32 columns is reduced
// against the *original* trailing matrix plus the corrections held in X and Y (two
// matrix-vector products per column, the `gemv` kernel), and the trailing matrix then takes
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
  const panel = newPanel(m, n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const end = Math.min(n, i0 + BLOCK);
    reducePanel(m, n, A, i0, end, d, e, tauL, tauR, panel);
    if (end < n) updateTrailing(m, n, A, i0, d, e, panel);
    else restoreDiagonals(n, A.view(), i0, end, d, e);
  }
}

/**
 * dlabrd's workspace: X (m × 32) and Y (n × 32) indexed by the global row (column) of A,
 * the small products of each step, an accumulator (m ≥ n entries), and the two gathered gemm
 * operands of the trailing update.
 */
interface Panel {
  X: Float64Array;
  Y: Float64Array;
  p1: Float64Array;
  p2: Float64Array;
  w: Float64Array;
  left: Float64Array;
  right: Float64Array;
}

function newPanel(m: number, n: number): Panel {
  return {
    X: new Float64Array(m * BLOCK), Y: new Float64Array(n * BLOCK),
    p1: new Float64Array(BLOCK), p2: new Float64Array(BLOCK), w: new Float64Array(m),
    left: new Float64Array(m * 2 * BLOCK), right: new Float64Array(2 * BLOCK * n),
  };
}

// Columns and rows i0 … end−1 (LAPACK dlabrd, m ≥ n). The unit entries of the reflectors
// (A[g][g] and A[g][g+1]) are stored as 1 until the trailing update has read them; the
// last column has a left reflector only.
function reducePanel(m: number, n: number, A: Region<Float64Array>, i0: number, end: number, d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array, P: Panel): void {
  for (let j = 0; j < end - i0; j++) {
    const g = i0 + j;
    let a = A.view();
    updateColumn(m, n, a, i0, j, P);
    tauL[g] = householder(m - g, a, g * n + g, n);
    d[g] = a[g * n + g]!;
    if (g === n - 1) break;
    a[g * n + g] = 1;
    columnOfY(m, n, A, i0, j, tauL[g]!, P);
    a = A.view(); // the gemv call may have moved the kernels' memory
    updateRow(n, a, i0, j, P);
    const tr = householder(n - g - 1, a, g * n + g + 1, 1);
    tauR[g] = tr;
    e[g] = a[g * n + g + 1]!;
    a[g * n + g + 1] = 1;
    columnOfX(m, n, A, i0, j, tr, P);
  }
}

// A[g:, g] −= A[g:, i0:g]·Y[g, :j]ᵀ + X[g:, :j]·A[i0:g, g]: column g brought up to date.
function updateColumn(m: number, n: number, a: Float64Array, i0: number, j: number, P: Panel): void {
  if (j === 0) return;
  const g = i0 + j, { X, Y, p1, p2 } = P;
  for (let t = 0; t < j; t++) {
    p1[t] = Y[g * BLOCK + t]!;
    p2[t] = a[(i0 + t) * n + g]!;
  }
  for (let r = g; r < m; r++) {
    const ar = r * n + i0, xr = r * BLOCK;
    let s = 0;
    for (let t = 0; t < j; t++) s += a[ar + t]! * p1[t]! + X[xr + t]! * p2[t]!;
    a[r * n + g] = a[r * n + g]! - s;
  }
}

// Y[g+1:, j] = τ·(A[g:, g+1:]ᵀ·u − Y[g+1:, :j]·(A[g:, i0:g]ᵀ·u) − A[i0:g, g+1:]ᵀ·(X[g:, :j]ᵀ·u))
// for the left reflector u down column g: the original trailing rows combined by the
// `gemv` kernel, then the small products over the panel's columns.
function columnOfY(m: number, n: number, A: Region<Float64Array>, i0: number, j: number, tau: number, P: Panel): void {
  const g = i0 + j, { X, Y, p1, p2, w } = P;
  gemvKernel()(true, m - g, n - g - 1, A.view(), g * n + g + 1, n, A.view(), g * n + g, n, w, g + 1);
  const a = A.view();
  p1.fill(0, 0, j);
  p2.fill(0, 0, j);
  for (let q = g; q < m; q++) {
    const u = a[q * n + g]!;
    if (u === 0) continue;
    const ar = q * n + i0, xr = q * BLOCK;
    for (let t = 0; t < j; t++) {
      p1[t] = p1[t]! + a[ar + t]! * u;
      p2[t] = p2[t]! + X[xr + t]! * u;
    }
  }
  for (let t = 0; t < j; t++) {
    const f = p2[t]!, row = (i0 + t) * n;
    if (f !== 0) for (let c = g + 1; c < n; c++) w[c] = w[c]! - f * a[row + c]!;
  }
  for (let c = g + 1; c < n; c++) {
    let s = w[c]!;
    for (let t = 0; t < j; t++) s -= Y[c * BLOCK + t]! * p1[t]!;
    Y[c * BLOCK + j] = tau * s;
  }
}

// A[g, g+1:] −= Y[g+1:, :j+1]·A[g, i0:g+1]ᵀ + A[i0:g, g+1:]ᵀ·X[g, :j]ᵀ: row g up to date
// (A[g][g] holds the unit entry of the left reflector).
function updateRow(n: number, a: Float64Array, i0: number, j: number, P: Panel): void {
  const g = i0 + j, { X, Y, p1 } = P, row = g * n;
  for (let t = 0; t <= j; t++) p1[t] = a[row + i0 + t]!;
  for (let c = g + 1; c < n; c++) {
    let s = 0;
    for (let t = 0; t <= j; t++) s += Y[c * BLOCK + t]! * p1[t]!;
    a[row + c] = a[row + c]! - s;
  }
  for (let t = 0; t < j; t++) {
    const f = X[g * BLOCK + t]!, src = (i0 + t) * n;
    if (f !== 0) for (let c = g + 1; c < n; c++) a[row + c] = a[row + c]! - f * a[src + c]!;
  }
}

// X[g+1:, j] = τ·(A[g+1:, g+1:]·v − A[g+1:, i0:g+1]·(Y[g+1:, :j+1]ᵀ·v) − X[g+1:, :j]·(A[i0:g, g+1:]·v))
// for the right reflector v along row g: the original trailing rows' dot products with v
// by the `gemv` kernel, then the small products.
function columnOfX(m: number, n: number, A: Region<Float64Array>, i0: number, j: number, tau: number, P: Panel): void {
  const g = i0 + j, { X, Y, p1, p2, w: x } = P, v = g * n;
  gemvKernel()(false, m - g - 1, n - g - 1, A.view(), (g + 1) * n + g + 1, n, A.view(), v + g + 1, 1, x, g + 1);
  const a = A.view();
  p1.fill(0, 0, j + 1);
  for (let c = g + 1; c < n; c++) {
    const vc = a[v + c]!;
    for (let t = 0; t <= j; t++) p1[t] = p1[t]! + Y[c * BLOCK + t]! * vc;
  }
  for (let t = 0; t < j; t++) {
    let s = 0;
    for (let c = g + 1, row = (i0 + t) * n; c < n; c++) s += a[row + c]! * a[v + c]!;
    p2[t] = s;
  }
  for (let q = g + 1; q < m; q++) {
    const ar = q * n + i0, xr = q * BLOCK;
    let s = x[q]!;
    for (let t = 0; t <= j; t++) s -= a[ar + t]! * p1[t]!;
    for (let t = 0; t < j; t++) s -= X[xr + t]! * p2[t]!;
    X[xr + j] = tau * s;
  }
}

// A[e:, e:] −= [A[e:, i0:e] X[e:, :]]·[Y[e:, :]ᵀ; A[i0:e, e:]] for e = i0 + 32: one gemm of
// depth 64 on the resident matrix, from two gathered operands (A's own blocks would
// overlap the output, which the WebAssembly adapter would then copy whole). The unit
// entries are read here, then d and e go back on the diagonals.
function updateTrailing(m: number, n: number, A: Region<Float64Array>, i0: number, d: Float64Array, e: Float64Array, P: Panel): void {
  const end = i0 + BLOCK, rows = m - end, cols = n - end, depth = 2 * BLOCK;
  const { X, Y, left, right } = P;
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
