import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkOptions, optionNames } from '../core/options.js';
import { qrFactor, qrFormQ } from './kernels/householder.js';

export { qrFactor, qrFormQ } from './kernels/householder.js';

/** Options of {@link qr}. */
export interface QrOptions {
  /**
   * `'reduced'`: Q (m × r) and R (r × n) with r = min(m, n). `'complete'`: Q (m × m)
   * and R (m × n).
   * @defaultValue 'reduced'
   */
  mode?: 'reduced' | 'complete';
}

/** Result of {@link qr}: A = Q·R. */
export interface QrResult {
  /** Orthonormal columns, (m × r) or (m × m). */
  Q: Matrix<Float64Array>;
  /** Upper triangular (trapezoidal when m < n) with a non-negative diagonal, (r × n) or (m × n). */
  R: Matrix<Float64Array>;
}

const MODES = ['reduced', 'complete'] as const;

/** Every option name of {@link QrOptions} (unknown ones are rejected). */
const QR_OPTION_NAMES = /* @__PURE__ */ optionNames<QrOptions>()('mode');

/**
 * QR factorisation A = Q·R by Householder reflections, blocked so that most of the work
 * is gemm (LAPACK dgeqrf/dorgqr). Tall, square and wide A are all handled. Signs are
 * fixed so that R's diagonal is non-negative, which makes the factorisation unique when
 * A has full column rank. Float32 input is computed in float64. The input is not modified.
 *
 * @param A - (m × n)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for an unknown mode, and the coercion
 *   errors of `asMatrix`
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §5.2.2 and §5.2.3
 *
 * @example
 * ```ts
 * const { Q, R } = qr([[3, 1], [4, 2]]);
 * Array.from(R.data); // [5, 2.2, 0, 0.4]
 * Array.from(Q.data); // [0.6, -0.8, 0.8, 0.6]
 * ```
 */
export function qr(A: MatrixInput, options?: QrOptions): QrResult {
  const opts = checkOptions(options, QR_OPTION_NAMES);
  const mode = checkChoice(opts.mode ?? 'reduced', 'mode', MODES);
  const a = asMatrix(A, 'A');
  const { rows: m, cols: n } = a;
  const r = Math.min(m, n);
  const work = Float64Array.from(a.data);
  const tau = new Float64Array(r);
  qrFactor(m, n, work, 0, n, tau);
  const qCols = mode === 'complete' ? m : r;
  const Q = new Float64Array(m * qCols);
  qrFormQ(m, qCols, r, work, 0, n, tau, Q);
  const rRows = mode === 'complete' ? m : r;
  const R = new Float64Array(rRows * n);
  for (let i = 0; i < r; i++) R.set(work.subarray(i * n + i, (i + 1) * n), i * n + i);
  makeDiagonalNonNegative(m, qCols, Q, r, n, R);
  return { Q: { rows: m, cols: qCols, data: Q }, R: { rows: rRows, cols: n, data: R } };
}

// Q·D and D·R with D = diag(±1) leave the product unchanged.
function makeDiagonalNonNegative(m: number, qCols: number, Q: Float64Array, r: number, n: number, R: Float64Array): void {
  for (let i = 0; i < r; i++) {
    if (!(R[i * n + i]! < 0)) continue;
    for (let j = i; j < n; j++) R[i * n + j] = -R[i * n + j]!;
    for (let p = 0; p < m; p++) Q[p * qCols + i] = -Q[p * qCols + i]!;
  }
}
