import { finiteResults } from '../core/errors.js';
import { ldexp, maxAbs, scaleExponent, scaleInPlace } from '../core/math.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { bidiagonalQR } from './kernels/bidiagonal.js';
import { bidiagonalDC } from './kernels/bidiagonal-dc.js';
import { bidiagonalize } from './kernels/bidiagonalize.js';
import { regionKernel } from './kernels/dispatch.js';
import type { Region } from './kernels/types.js';
import { argsort, setIdentity } from './kernels/givens.js';
import { applySequence, type SequenceOp } from './kernels/householder.js';
import { lqApply } from './kernels/lq.js';
import { svdFlipInPlace } from './sign.js';
import { transposeArray } from './transpose.js';

/** Options of {@link svd}. */
export interface SvdOptions {
  /**
   * Number of singular triplets to return, the largest first; at most min(m, n).
   * @defaultValue min(m, n) (the thin SVD)
   */
  k?: number;
}

/** Result of {@link svd}: A ≈ U·diag(s)·Vᵀ. */
export interface SvdResult {
  /** Left singular vectors as orthonormal columns, (m × k). */
  U: Matrix<Float64Array>;
  /** Singular values, (k), descending and non-negative. */
  s: Float64Array;
  /** Right singular vectors as orthonormal columns, (n × k). */
  V: Matrix<Float64Array>;
}

/** Every option name of {@link SvdOptions} (unknown ones are rejected). */
const SVD_OPTION_NAMES = /* @__PURE__ */ optionNames<SvdOptions>()('k');

/**
 * Thin (or truncated) singular value decomposition A = U·diag(s)·Vᵀ.
 *
 * Golub-Kahan Householder bidiagonalisation (blocked, half of it in gemm), then the
 * bidiagonal's SVD by implicit-shift QR or, from order 128 on, by divide and conquer (as
 * LAPACK's dbdsdc: merges through the secular equation, vector updates in gemm), with the
 * singular vectors accumulated as rows and the reflectors applied in blocks.
 * Wide matrices (n ≥ 11m/6, LAPACK's crossover) are first reduced by a blocked LQ
 * factorisation to an m × m triangle (tall ones likewise, through their transpose), as
 * LAPACK's dgesdd does: accurate as the direct path (no Gram matrix), with the trailing
 * updates in gemm; other wide matrices are decomposed through their transpose. The result has
 * canonical signs ({@link svdFlip}: each column of U has its largest-magnitude entry
 * positive). Rank-deficient and all-zero inputs give exact zero singular values with
 * orthonormal (if arbitrary) vectors. Float32 input is computed in float64; the result
 * is always float64. The input is not modified.
 *
 * @param A - (m × n), e.g. (nSamples, nFeatures)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a bad `k`, `OUT_OF_RANGE` when a
 *   singular value exceeds float64 (entries near 1.8e308), and the coercion errors of
 *   `asMatrix`
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.6
 * @see Golub & Kahan (1965), "Calculating the singular values and pseudo-inverse of a
 *   matrix", SIAM J. Numer. Anal. 2(2)
 * @see Gu & Eisenstat (1995), "A divide-and-conquer algorithm for the bidiagonal SVD",
 *   SIAM J. Matrix Anal. Appl. 16(1)
 *
 * @example
 * ```ts
 * const { U, s, V } = svd([[3, 0], [0, -2], [0, 0]]);
 * Array.from(s);      // [3, 2]
 * Array.from(U.data); // [1, 0, 0, 1, 0, 0]  (each column's largest entry positive)
 * Array.from(V.data); // [1, 0, 0, -1]
 * ```
 */
export function svd(A: MatrixInput, options?: SvdOptions): SvdResult {
  const opts = checkOptions(options, SVD_OPTION_NAMES);
  const a = asMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const r = Math.min(m, n);
  const k = opts.k === undefined ? r : checkInt(opts.k, 'k', 1, r);
  // The tall case overwrites its argument (a copy); the wide one only reads it.
  const res = svdKernel(m, n, m < n && a.data instanceof Float64Array ? a.data : Float64Array.from(a.data), k);
  finiteResults(res.s, 'A', 'a singular value');
  return res;
}

/**
 * The unvalidated core of {@link svd} for any shape: the k largest singular triplets of
 * A (m × n, row-major) with canonical signs, the same bits as `svd`. A tall or square A
 * (m ≥ n) may be overwritten; a wide one is only read. For callers that built A themselves
 * (centred data, a projection) and need no checks and no copy.
 *
 * @example
 * ```ts
 * Array.from(svdKernel(1, 2, new Float64Array([3, 4]), 1).V.data); // [0.6, 0.8] (up to rounding)
 * ```
 */
export function svdKernel(m: number, n: number, A: Float64Array, k: number): SvdResult {
  return svdAny(m, n, A, k, 'both');
}

/**
 * {@link svdKernel} without the left singular vectors: the k largest singular values of
 * A (m × n, row-major; overwritten when m ≥ n, only read otherwise) and their right
 * singular vectors, the same bits as svdKernel's up to the sign of each column (the sign
 * rule needs U; callers fix signs their own way, as PCA does on its components). Skipping
 * U skips half the rotations of the bidiagonal QR (or half the merges' products of divide
 * and conquer) and one back-transformation.
 *
 * @example
 * ```ts
 * Array.from(svdRightKernel(1, 2, new Float64Array([3, 4]), 1).s); // [5]
 * ```
 */
export function svdRightKernel(m: number, n: number, A: Float64Array, k: number): { s: Float64Array; V: Matrix<Float64Array> } {
  const { s, V } = svdAny(m, n, A, k, 'right');
  return { s, V };
}

/** Which singular vectors a computation needs. */
type Want = 'both' | 'left' | 'right';

// r = min(m, n), N = max(m, n). Far from square (LAPACK's crossover), the wide one W of A
// and Aᵀ (r × N) is reduced to its r × r triangle by an LQ factorisation first; otherwise
// the tall one is bidiagonalised directly. When the problem solved is Aᵀ's, its U and V
// are A's V and U (`exchanged`).
function svdAny(m: number, n: number, A: Float64Array, k: number, want: Want): SvdResult {
  const wide = m < n, r = wide ? m : n, N = wide ? n : m;
  // The side of the problem solved below that A's `want` asks for.
  const swap = (w: Want, exchange: boolean): Want => (w === 'both' || !exchange ? w : w === 'left' ? 'right' : 'left');
  let res: SvdResult, X: Float64Array, exchanged: boolean;
  if (reducesFirst(N, r)) {
    // Only read (a wide A is not copied): lqApply scales it on its way into the kernels' memory.
    X = wide ? A : transposeArray(m, n, A);
    exchanged = !wide;
    const scale = scaleExponent(maxAbs(X, 0, m * n));
    res = svdViaLQ(r, N, X, k, swap(want, exchanged), scale);
    return finish(m, n, k, res, scale, want, exchanged);
  }
  // The direct path: A itself when tall (overwritten), else Aᵀ.
  X = wide ? transposeArray(m, n, A) : A;
  exchanged = wide;
  const scale = scaleToUnit(X);
  res = svdBidiagonal(N, r, X, k, swap(want, exchanged));
  return finish(m, n, k, res, scale, want, exchanged);
}

/**
 * The unvalidated core of {@link svd} for m ≥ n: A (m × n, row-major) may be overwritten;
 * returns the k largest singular triplets with canonical signs.
 *
 * @example
 * ```ts
 * Array.from(svdTall(2, 1, new Float64Array([3, 4]), 1).s); // [5]
 * ```
 */
export function svdTall(m: number, n: number, A: Float64Array, k: number): SvdResult {
  return svdAny(m, n, A, k, 'both');
}

// LAPACK's crossover (dgesdd): with long ≥ 11/6 · short, reducing to a short × short
// triangle first saves more than it costs.
const reducesFirst = (long: number, short: number): boolean => 6 * long >= 11 * short;

// A power of two keeps the scaling exact; it keeps sums of squares far from overflow and,
// for subnormal input, from underflow (two factors there: 2^1030 alone overflows).
function scaleToUnit(A: Float64Array): number {
  const scale = scaleExponent(maxAbs(A, 0, A.length));
  scaleInPlace(A, scale);
  return scale;
}

// Undoes the scaling, exchanges the sides when the problem solved was Aᵀ's and, with both
// sides at hand, applies the sign rule. An unwanted side is an empty (rows × 0) matrix.
function finish(m: number, n: number, k: number, res: SvdResult, scale: number, want: Want, exchanged: boolean): SvdResult {
  const { s } = res;
  const U = exchanged ? res.V : res.U, V = exchanged ? res.U : res.V;
  for (let i = 0; i < k; i++) s[i] = ldexp(s[i]!, -scale);
  if (want === 'both') svdFlipInPlace(m, k, U.data, 0, k, n, V.data, 0, k);
  return { U, s, V };
}

// W (r × N, r ≤ N) = L·Q₁ᵀ by an LQ factorisation, L (r × r) lower triangular;
// L = U_L·S·V_Lᵀ then gives W = U_L·S·(Q₁·V_L)ᵀ: dgesdd's path for N ≫ r (and, on the
// transpose, for tall input), with the Householder vectors along contiguous rows and all
// but the thin panels in gemm (./kernels/lq.ts). W is only read, and scaled by 2^scale.
function svdViaLQ(r: number, N: number, W: Float64Array, k: number, want: Want, scale: number): SvdResult {
  let inner!: SvdResult;
  const V = lqApply(r, N, W, k, (L) => {
    inner = svdBidiagonal(r, r, L, k, want);
    return want === 'left' ? null : inner.V.data;
  }, scale);
  return { U: inner.U, s: inner.s, V: V ? { rows: N, cols: k, data: V } : empty(N) };
}

const empty = (rows: number): Matrix<Float64Array> => ({ rows, cols: 0, data: new Float64Array(0) });

function svdBidiagonal(m: number, n: number, A: Float64Array, k: number, want: Want): SvdResult {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(Math.max(n - 1, 0));
  reduceToBidiagonal(m, n, A, d, e, tauL, tauR);
  // The bidiagonal's singular vectors live in the kernels' memory, where the QR sweeps'
  // rotations are applied in place.
  const Ut = want === 'right' ? null : identityRegion(A, n);
  const Vt = want === 'left' ? null : identityRegion(A, n);
  try {
    solveBidiagonal(n, d, e, Ut, Vt);
    const order = argsort(n, d, true);
    const s = new Float64Array(k);
    for (let c = 0; c < k; c++) s[c] = d[order[c]!]!;
    return backTransform(m, n, k, A, tauL, tauR, s, order, Ut, Vt);
  } finally {
    Ut?.release();
    Vt?.release();
  }
}

// From this order on the bidiagonal SVD is divided and conquered: measured on WebAssembly,
// square random matrices, D&C was 9 % slower at 100, 4 % faster at 150, 13 % at 250.
const DC_MIN = 128;

// Divide and conquer works on plain arrays (its gemm calls may move the kernels' memory),
// copied into the regions once at the end.
function solveBidiagonal(n: number, d: Float64Array, e: Float64Array, Ut: Region<Float64Array> | null, Vt: Region<Float64Array> | null): void {
  if (n < DC_MIN) {
    bidiagonalQR(n, d, e, Ut, Vt, n);
    return;
  }
  const U = Ut ? new Float64Array(n * n) : null, V = Vt ? new Float64Array(n * n) : null;
  bidiagonalDC(n, d, e, U, V, n);
  if (U) Ut!.view().set(U);
  if (V) Vt!.view().set(V);
}

function identityRegion(like: Float64Array, n: number): Region<Float64Array> {
  const R = regionKernel()(like, n * n);
  setIdentity(n, R.view(), 0, n);
  return R;
}

// U = Q_L·[U_B; 0] and V = Q_R·V_B, for the selected columns only (each region's view
// taken when it is read: the first back-transformation's kernels may detach the other's).
function backTransform(
  m: number, n: number, k: number, A: Float64Array, tauL: Float64Array, tauR: Float64Array,
  s: Float64Array, order: Int32Array, Ut: Region<Float64Array> | null, Vt: Region<Float64Array> | null,
): SvdResult {
  let U = empty(m), V = empty(n);
  if (Ut) U = { rows: m, cols: k, data: applyInPlace({ storage: 'cols', shift: 0, total: m, k: n, side: 'left', trans: false }, n, k, A, tauL, Ut, order) };
  if (Vt) V = { rows: n, cols: k, data: applyInPlace({ storage: 'rows', shift: 1, total: n, k: n - 1, side: 'left', trans: false }, n, k, A, tauR, Vt, order) };
  return { U, s, V };
}

// Q·[X_B; 0] (op.total × k) for the columns `order` of X_B (rows of Xt, n × n): in a region
// of the kernels' memory, so that no gemm call of the blocks copies it in and out (they
// did: 2 % of a 400 × 4096 SVD).
function applyInPlace(op: SequenceOp, n: number, k: number, A: Float64Array, tau: Float64Array, Xt: Region<Float64Array>, order: Int32Array): Float64Array {
  const rows = op.total, R = regionKernel()(A, rows * k);
  try {
    selectColumns(n, k, Xt.view(), order, R.view());
    R.view().fill(0, n * k, rows * k);
    applySequence(op, A, 0, n, tau, k, R.view(), 0, k, () => R.view());
    return R.view().slice(0, rows * k);
  } finally {
    R.release();
  }
}

// In the kernels' memory, where the panels' trailing updates (gemm) work in place; copied
// back for the back-transformations.
function reduceToBidiagonal(m: number, n: number, A: Float64Array, d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array): void {
  const R = regionKernel()(A, m * n);
  try {
    R.view().set(A.subarray(0, m * n));
    bidiagonalize(m, n, R, d, e, tauL, tauR);
    A.set(R.view().subarray(0, m * n));
  } finally {
    R.release();
  }
}

// out's first n rows (k columns): column c is row order[c] of Xt (length n).
function selectColumns(n: number, k: number, Xt: Float64Array, order: Int32Array, out: Float64Array): void {
  for (let c = 0; c < k; c++) {
    const src = order[c]! * n;
    for (let i = 0; i < n; i++) out[i * k + c] = Xt[src + i]!;
  }
}
