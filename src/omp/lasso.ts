import { fail } from '../core/errors.js';
import { ldexp, maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { gram, matmul } from '../linalg/matmul.js';
import { checkUnitRows, rowNorms2 } from './dictionary.js';

/** Options of {@link lasso}. */
export interface LassoOptions {
  /** Weight α of the ℓ₁ penalty (required), ≥ 0. @defaultValue undefined (required) */
  alpha?: number;
  /** Maximum number of coordinate-descent sweeps per signal. @defaultValue 1000 */
  maxIter?: number;
  /**
   * Convergence tolerance, as scikit-learn's: once the largest weight change of a sweep is
   * below `tol` times the largest weight, the duality gap is computed and the signal
   * converges when it is below `tol · ‖x‖²`.
   * @defaultValue 1e-4
   */
  tol?: number;
}

/** The result of {@link lasso}. */
export interface LassoResult {
  /** Codes, (nSamples, nAtoms). */
  codes: Matrix<Float64Array>;
  /** (nSamples) coordinate-descent sweeps run for every signal. */
  nIter: Int32Array;
  /** (nSamples) 1 where the duality gap fell below the tolerance, 0 where `maxIter` ran out. */
  converged: Uint8Array;
}

/** Every option name of {@link LassoOptions} (unknown ones are rejected). */
const LASSO_OPTION_NAMES = optionNames<LassoOptions>()('alpha', 'maxIter', 'tol');

/**
 * Lasso sparse codes, the convex alternative to {@link encode}: for every signal x (a row
 * of X), minimises (1 / (2·nFeatures))·‖x − Dᵀc‖² + α·‖c‖₁ — scikit-learn's `Lasso`
 * objective and scaling with `fit_intercept=False`, D's rows (atoms) as its columns — by
 * cyclic coordinate descent on the Gram matrix G = DDᵀ (computed once, with Dx for all
 * signals), so a sweep costs O(nAtoms²) whatever nFeatures. Signals are independent;
 * non-convergence is reported in `converged`, not thrown. Neither input is modified.
 *
 * @param D - dictionary, (nAtoms, nFeatures), unit-norm rows
 * @param X - signals, (nSamples, nFeatures)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` when `alpha` is missing or an option
 *   is out of range; `INVALID_INPUT` when an atom is not unit-norm; `SHAPE_MISMATCH`
 *   when X and D have different numbers of columns
 *
 * @see Friedman, Hastie & Tibshirani, "Regularization paths for generalized linear models
 *   via coordinate descent", J. Stat. Softw. 33 (2010)
 *
 * @example
 * ```ts
 * const D = [[1, 0], [0, 1]];
 * const { codes } = lasso(D, [[3, 0.5]], { alpha: 0.5 }); // threshold nFeatures·α = 1
 * Array.from(codes.data);                                 // [2, 0]
 * ```
 */
export function lasso(D: MatrixInput, X: MatrixInput, options?: LassoOptions): LassoResult {
  const opts = checkOptions(options, LASSO_OPTION_NAMES);
  if (opts.alpha === undefined) fail('INVALID_OPTION', 'alpha: received undefined, expected the ℓ₁ penalty weight (a finite number ≥ 0)');
  const alpha = checkNumber(opts.alpha, 'alpha', 0);
  const maxIter = checkInt(opts.maxIter ?? 1000, 'maxIter', 1, MAX_ITERATIONS);
  const tol = checkNumber(opts.tol ?? 1e-4, 'tol', 0);
  const d = asMatrix64(D, 'D');
  const x0 = asMatrix64(X, 'X');
  // The lasso is equivariant under (X, α) ↦ (2^k·X, 2^k·α), codes scaled by 2^k: signals
  // beyond 2^±200 are scaled first, so that their squares neither overflow nor underflow.
  const scale = safeScaleExponent(maxAbs(x0.data), 'float64');
  const x = { rows: x0.rows, cols: x0.cols, data: scaledBy(x0.data, scale) };
  if (x.cols !== d.cols) {
    fail('SHAPE_MISMATCH', `X: received ${x.rows} × ${x.cols} signals, expected ${d.cols} columns (the dictionary's nFeatures; D is ${d.rows} × ${d.cols})`);
  }
  checkUnitRows(d, 'D');
  const n = d.rows;
  const m = x.rows;
  const G = (gram(d, { outer: true }) as Matrix<Float64Array>).data;
  const B = (matmul(x, d, { transB: true }) as Matrix<Float64Array>).data; // (nSamples, nAtoms): row i = D·xᵢ
  const norms = rowNorms2(x);
  // sklearn multiplies the objective by nFeatures: the threshold becomes nFeatures·α.
  // A penalty beyond float64 (a large α on scaled-up subnormal signals) still zeroes every code.
  const l1 = Math.min(ldexp(alpha, scale) * d.cols, Number.MAX_VALUE);
  const codes = new Float64Array(m * n);
  const nIter = new Int32Array(m);
  const converged = new Uint8Array(m);
  const q = new Float64Array(n); // Dr = D·(x − Dᵀc) = b − G·c, kept up to date
  for (let i = 0; i < m; i++) {
    const off = i * n;
    const c = codes.subarray(off, off + n);
    const b = B.subarray(off, off + n);
    q.set(b);
    const yy = norms[i]!;
    const gapTol = tol * yy;
    let iter = 0;
    for (; iter < maxIter; iter++) {
      let wMax = 0;
      let dwMax = 0;
      for (let j = 0; j < n; j++) {
        const gjj = G[j * n + j]!;
        if (gjj === 0) continue;
        const old = c[j]!;
        const rho = q[j]! + gjj * old;
        const mag = Math.abs(rho) - l1;
        const w = mag > 0 ? (rho > 0 ? mag : -mag) / gjj : 0;
        if (w !== old) {
          const diff = w - old;
          const row = j * n;
          for (let t = 0; t < n; t++) q[t] = q[t]! - diff * G[row + t]!;
          c[j] = w;
        }
        const dw = Math.abs(w - old);
        if (dw > dwMax) dwMax = dw;
        if (Math.abs(w) > wMax) wMax = Math.abs(w);
      }
      if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
        if (dualityGap(c, b, q, yy, l1, n) < gapTol) {
          converged[i] = 1;
          iter++;
          break;
        }
      }
    }
    nIter[i] = Math.min(iter, maxIter);
  }
  scaleInPlace(codes, -scale);
  return { codes: { rows: m, cols: n, data: codes }, nIter, converged };
}

/**
 * Duality gap of the (nFeatures-scaled) Lasso problem from Gram quantities only:
 * ‖r‖² = ‖x‖² − cᵀb − cᵀq and rᵀx = ‖x‖² − cᵀb, with q = Dr (as scikit-learn's
 * `enet_coordinate_descent_gram`).
 */
function dualityGap(c: Float64Array, b: Float64Array, q: Float64Array, yy: number, l1: number, n: number): number {
  let cb = 0;
  let cq = 0;
  let qMax = 0;
  let cNorm1 = 0;
  for (let j = 0; j < n; j++) {
    cb += c[j]! * b[j]!;
    cq += c[j]! * q[j]!;
    const a = Math.abs(q[j]!);
    if (a > qMax) qMax = a;
    cNorm1 += Math.abs(c[j]!);
  }
  const rr = Math.max(yy - cb - cq, 0);
  const ry = yy - cb;
  let gap: number;
  let scale: number;
  if (qMax > l1) {
    scale = l1 / qMax;
    gap = 0.5 * (rr + rr * scale * scale);
  } else {
    scale = 1;
    gap = rr;
  }
  return gap + l1 * cNorm1 - scale * ry;
}
