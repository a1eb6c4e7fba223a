import { finiteResults } from '../core/errors.js';
import { ldexp, maxAbs, scaleExponent, scaleInPlace } from '../core/math.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { bidiagonalize, bidiagonalQR } from './kernels/bidiagonal.js';
import { argsort, setIdentity } from './kernels/givens.js';
import { applySequence, qrFactor } from './kernels/householder.js';
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
 * Golub-Kahan Householder bidiagonalisation and implicit-shift QR on the bidiagonal,
 * with the singular vectors accumulated as rows and the reflectors applied in blocks.
 * Tall matrices (m ≥ 11n/6, LAPACK's crossover) are first reduced by a QR
 * factorisation; wide ones are decomposed through their transpose. The result has
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
 * (m ≥ n) is overwritten; a wide one is only read (it is decomposed through its
 * transpose). For callers that built A themselves (centred data, a projection) and need
 * no checks and no copy.
 *
 * @example
 * ```ts
 * Array.from(svdKernel(1, 2, new Float64Array([3, 4]), 1).V.data); // [0.6, 0.8] (up to rounding)
 * ```
 */
export function svdKernel(m: number, n: number, A: Float64Array, k: number): SvdResult {
  if (m >= n) return svdTall(m, n, A, k);
  const res = svdTall(n, m, transposeArray(m, n, A), k);
  // Aᵀ = U·S·Vᵀ gives A = V·S·Uᵀ; the sign rule is then re-applied to the new U.
  svdFlipInPlace(m, k, res.V.data, 0, k, n, res.U.data, 0, k);
  return { U: res.V, s: res.s, V: res.U };
}

/**
 * The unvalidated core of {@link svd} for m ≥ n: A (m × n, row-major) is overwritten;
 * returns the k largest singular triplets with canonical signs.
 *
 * @example
 * ```ts
 * Array.from(svdTall(2, 1, new Float64Array([3, 4]), 1).s); // [5]
 * ```
 */
export function svdTall(m: number, n: number, A: Float64Array, k: number): SvdResult {
  // A power of two keeps the scaling exact; it keeps sums of squares far from overflow and,
  // for subnormal input, from underflow (two factors there: 2^1030 alone overflows).
  const scale = scaleExponent(maxAbs(A, 0, m * n));
  scaleInPlace(A, scale);
  const res = 6 * m >= 11 * n ? svdViaQR(m, n, A, k) : svdBidiagonal(m, n, A, k);
  for (let i = 0; i < k; i++) res.s[i] = ldexp(res.s[i]!, -scale);
  svdFlipInPlace(m, k, res.U.data, 0, k, n, res.V.data, 0, k);
  return res;
}

// A = Q·R first, so that the bidiagonalisation works on the small R (n × n).
function svdViaQR(m: number, n: number, A: Float64Array, k: number): SvdResult {
  const tau = new Float64Array(n);
  qrFactor(m, n, A, 0, n, tau);
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) R[i * n + j] = A[i * n + j]!;
  const inner = svdBidiagonal(n, n, R, k);
  const U = new Float64Array(m * k);
  U.set(inner.U.data);
  applySequence({ storage: 'cols', shift: 0, total: m, k: n, side: 'left', trans: false }, A, 0, n, tau, k, U, 0, k);
  return { U: { rows: m, cols: k, data: U }, s: inner.s, V: inner.V };
}

function svdBidiagonal(m: number, n: number, A: Float64Array, k: number): SvdResult {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tauL = new Float64Array(n);
  const tauR = new Float64Array(Math.max(n - 1, 0));
  bidiagonalize(m, n, A, n, d, e, tauL, tauR);
  const Ut = new Float64Array(n * n);
  const Vt = new Float64Array(n * n);
  setIdentity(n, Ut, 0, n);
  setIdentity(n, Vt, 0, n);
  bidiagonalQR(n, d, e, Ut, Vt, n);
  const order = argsort(n, d, true);
  const s = new Float64Array(k);
  for (let c = 0; c < k; c++) s[c] = d[order[c]!]!;
  // U = Q_L·[U_B; 0] and V = Q_R·V_B, for the selected columns only.
  const U = selectColumns(m, n, k, Ut, order);
  const V = selectColumns(n, n, k, Vt, order);
  applySequence({ storage: 'cols', shift: 0, total: m, k: n, side: 'left', trans: false }, A, 0, n, tauL, k, U, 0, k);
  applySequence({ storage: 'rows', shift: 1, total: n, k: n - 1, side: 'left', trans: false }, A, 0, n, tauR, k, V, 0, k);
  return { U: { rows: m, cols: k, data: U }, s, V: { rows: n, cols: k, data: V } };
}

// (rows × k) matrix whose column c is row order[c] of Xt (length n), zero-padded below.
function selectColumns(rows: number, n: number, k: number, Xt: Float64Array, order: Int32Array): Float64Array {
  const out = new Float64Array(rows * k);
  for (let c = 0; c < k; c++) {
    const src = order[c]! * n;
    for (let i = 0; i < n; i++) out[i * k + c] = Xt[src + i]!;
  }
  return out;
}
