import { fail } from '../core/errors.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';

// Eigenvectors and singular vectors are defined only up to sign; a fixed rule makes the
// output of every decomposition deterministic, across backends and runs. The rule is
// scikit-learn's svd_flip (u-based): the entry of largest magnitude of each column of U
// is made positive (the first such entry on ties), and V's matching column follows.

/**
 * +1 or −1: the sign of the first largest-magnitude entry among the n strided values of
 * x (+1 when all are zero). Unvalidated kernel.
 *
 * @example
 * ```ts
 * largestEntrySign(3, new Float64Array([1, -3, 2]), 0, 1); // -1
 * ```
 */
export function largestEntrySign(n: number, x: Float64Array, off: number, stride: number): 1 | -1 {
  let best = 0, value = 0;
  for (let i = 0, p = off; i < n; i++, p += stride) {
    const a = Math.abs(x[p]!);
    if (a > best) {
      best = a;
      value = x[p]!;
    }
  }
  return value < 0 ? -1 : 1;
}

/** Negates n strided values of x in place (0 − x rather than −x, so zeros stay +0). */
function negate(n: number, x: Float64Array, off: number, stride: number): void {
  for (let i = 0, p = off; i < n; i++, p += stride) x[p] = 0 - x[p]!;
}

/**
 * The in-place kernel of {@link svdFlip}: for each of the k columns of U (m × k, leading
 * dimension ldu), makes its largest-magnitude entry positive, negating column c of V
 * (n × k, leading dimension ldv) whenever column c of U is negated. Pass `V = null` to
 * flip U alone. Unvalidated.
 *
 * @example
 * ```ts
 * const U = new Float64Array([-2, 1, 1, 1]); // 2 × 2, column 0 is (−2, 1)
 * const V = new Float64Array([1, 0, 0, 1]);
 * svdFlipInPlace(2, 2, U, 0, 2, 2, V, 0, 2);
 * [U[0], V[0]]; // [2, -1]
 * ```
 */
export function svdFlipInPlace(
  m: number, k: number, U: Float64Array, offU: number, ldu: number,
  n: number, V: Float64Array | null, offV: number, ldv: number,
): void {
  const flip = new Uint8Array(k);
  let any = false;
  for (let c = 0; c < k; c++) {
    if (largestEntrySign(m, U, offU + c, ldu) > 0) continue;
    flip[c] = 1;
    any = true;
  }
  if (!any) return;
  // Row by row: negating column by column walked memory with a stride (1 % of a
  // 400 × 4096 SVD on its 4096 × 400 V).
  negateColumns(m, k, flip, U, offU, ldu);
  if (V !== null) negateColumns(n, k, flip, V, offV, ldv);
}

// The flagged columns of X (rows × k, leading dimension ld), negated in place (0 − x).
function negateColumns(rows: number, k: number, flip: Uint8Array, X: Float64Array, off: number, ld: number): void {
  for (let i = 0; i < rows; i++) {
    const row = off + i * ld;
    for (let c = 0; c < k; c++) if (flip[c] === 1) X[row + c] = 0 - X[row + c]!;
  }
}

/**
 * The same rule for vectors stored as rows: for each of the k rows of Ut (length m,
 * leading dimension ldu), makes its largest-magnitude entry positive, negating the
 * matching row of Vt (length n) too when it is given. Unvalidated kernel.
 *
 * @example
 * ```ts
 * const Ut = new Float64Array([0, -1]);
 * svdFlipRowsInPlace(1, 2, Ut, 0, 2, 0, null, 0, 0);
 * Array.from(Ut); // [0, 1]
 * ```
 */
export function svdFlipRowsInPlace(
  k: number, m: number, Ut: Float64Array, offU: number, ldu: number,
  n: number, Vt: Float64Array | null, offV: number, ldv: number,
): void {
  for (let r = 0; r < k; r++) {
    if (largestEntrySign(m, Ut, offU + r * ldu, 1) > 0) continue;
    negate(m, Ut, offU + r * ldu, 1);
    if (Vt !== null) negate(n, Vt, offV + r * ldv, 1);
  }
}

/** Result of {@link svdFlip}. */
export interface SvdFlipResult {
  /** U with each column's largest-magnitude entry positive, (m × k). */
  U: Matrix<Float64Array>;
  /** V with the same columns negated as U, (n × k); absent when no V was given. */
  V?: Matrix<Float64Array>;
}

/**
 * Canonical signs for a pair of factors (scikit-learn's `svd_flip`, u-based): column c of
 * U is negated when its largest-magnitude entry (the first one on ties) is negative, and
 * column c of V with it, so U·diag(s)·Vᵀ is unchanged. Returns copies; the inputs are not
 * modified. Float32 input is returned as float64.
 *
 * @param U - (m × k), e.g. left singular vectors or eigenvectors as columns
 * @param V - (n × k), e.g. right singular vectors as columns (optional)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when U and V have different column counts
 *
 * @example
 * ```ts
 * const { U, V } = svdFlip([[-1, 0], [0, 1]], [[1, 0], [0, 1]]);
 * [U.data[0], V!.data[0]]; // [1, -1]
 * ```
 */
export function svdFlip(U: MatrixInput, V?: MatrixInput): SvdFlipResult {
  const u = copyOf(asMatrix64(U, 'U'));
  if (V === undefined) {
    svdFlipInPlace(u.rows, u.cols, u.data, 0, u.cols, 0, null, 0, 0);
    return { U: u };
  }
  const v = copyOf(asMatrix64(V, 'V'));
  if (v.cols !== u.cols) {
    fail('SHAPE_MISMATCH', `V: received a ${v.rows} × ${v.cols} matrix, expected ${u.cols} columns (one per column of U)`);
  }
  svdFlipInPlace(u.rows, u.cols, u.data, 0, u.cols, v.rows, v.data, 0, v.cols);
  return { U: u, V: v };
}

function copyOf(m: Matrix<Float64Array>): Matrix<Float64Array> {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}
