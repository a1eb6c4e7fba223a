import type { Matrix, MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkOptions } from '../core/options.js';
import { argsort } from './kernels/givens.js';
import { applySequence } from './kernels/householder.js';
import { tridiagonalEigen, tridiagonalize } from './kernels/tridiagonal.js';
import { largestEntrySign } from './sign.js';
import { asSquare, checkSymmetric, symmetricPart, symmetryTolerance } from './square.js';

/** Options of {@link eigh}. */
export interface EighOptions {
  /**
   * Check that S is symmetric (to a relative tolerance of 1e-10 of its largest entry,
   * 1e-5 for float32 input) and throw otherwise. With `false`, the symmetric part
   * (S + Sᵀ)/2 is decomposed without a check.
   * @defaultValue true
   */
  check?: boolean;
}

/** Result of {@link eigh}. */
export interface EighResult {
  /** Eigenvalues, (n), in descending order. */
  values: Float64Array;
  /**
   * Orthonormal eigenvectors, (n × n): column k belongs to `values[k]`; its
   * largest-magnitude entry is positive.
   */
  vectors: Matrix<Float64Array>;
}

/**
 * Eigen-decomposition S = V·diag(λ)·Vᵀ of a real symmetric matrix.
 *
 * Householder reduction to tridiagonal form, divide and conquer on the tridiagonal
 * (implicit QL on blocks of at most 25), and a blocked back-transformation, as in LAPACK
 * dsyevd. Rows and columns that are entirely zero (constant pixels in a covariance
 * matrix, for instance) are split off first as exact eigenpairs (0, eᵢ). The input is
 * scaled by a power of two so that no intermediate can overflow. Float32 input is
 * computed in float64; the result is always float64. The input is not modified.
 *
 * @param S - symmetric, (n × n)
 * @throws {@link LatentSpaceError} `SHAPE_MISMATCH` when S is not square, `INVALID_INPUT`
 *   when it is not symmetric (naming the most asymmetric pair of entries), and the
 *   coercion errors of `asMatrix`
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3 and §8.4.4
 * @see Gu & Eisenstat (1995), "A divide-and-conquer algorithm for the symmetric
 *   tridiagonal eigenproblem", SIAM J. Matrix Anal. Appl. 16(1)
 *
 * @example
 * ```ts
 * const { values, vectors } = eigh([[2, 1], [1, 2]]);
 * Array.from(values);       // [3, 1] (up to rounding)
 * Array.from(vectors.data); // [0.7071…, 0.7071…, 0.7071…, -0.7071…]
 * ```
 */
export function eigh(S: MatrixInput, options?: EighOptions): EighResult {
  const opts = checkOptions(options);
  const check = checkBoolean(opts.check ?? true, 'check');
  const m = asSquare(S, 'S', 'a square symmetric matrix');
  if (check) checkSymmetric(m, 'S', symmetryTolerance(m), ', or pass { check: false } to decompose its symmetric part');
  return symmetricEigen(m.rows, symmetricPart(m));
}

/**
 * The unvalidated core of {@link eigh}: all eigenpairs of the symmetric A (n × n,
 * row-major, overwritten; the upper triangle is read), eigenvalues descending,
 * eigenvectors as columns with canonical signs. For callers that built A themselves
 * (a covariance matrix, say) and need no checks or copy.
 *
 * @example
 * ```ts
 * Array.from(symmetricEigen(2, new Float64Array([0, 2, 2, 0])).values); // [2, -2]
 * ```
 */
export function symmetricEigen(n: number, A: Float64Array): EighResult {
  let amax = 0;
  for (let p = 0; p < n * n; p++) amax = Math.max(amax, Math.abs(A[p]!));
  // A power of two keeps the scaling exact.
  const scale = amax > 0 ? 2 ** -Math.round(Math.log2(amax)) : 1;
  const active: number[] = [];
  const zero: number[] = [];
  for (let i = 0; i < n; i++) (isZeroRow(n, A, i) ? zero : active).push(i);
  const na = active.length;
  const Ac = new Float64Array(na * na);
  for (let a = 0; a < na; a++) {
    const src = active[a]! * n;
    for (let b = 0; b < na; b++) Ac[a * na + b] = A[src + active[b]!]! * scale;
  }
  const { values: dc, rows: Z } = compactEigen(na, Ac);
  return assemble(n, active, zero, dc, Z, scale);
}

function isZeroRow(n: number, A: Float64Array, i: number): boolean {
  for (let j = i * n; j < (i + 1) * n; j++) if (A[j] !== 0) return false;
  return true;
}

// Eigenpairs of the dense symmetric A (na × na, overwritten): ascending values, and
// eigenvector i in row i of `rows`.
function compactEigen(na: number, A: Float64Array): { values: Float64Array; rows: Float64Array } {
  const d = new Float64Array(na);
  const e = new Float64Array(Math.max(na - 1, 0));
  const tau = new Float64Array(Math.max(na - 1, 0));
  const Z = new Float64Array(na * na);
  if (na === 0) return { values: d, rows: Z };
  tridiagonalize(na, A, d, e, tau);
  tridiagonalEigen(na, d, e, Z, na);
  // Eigenvectors of A are Q·y for eigenvectors y of T; as rows, yᵀ·Qᵀ.
  applySequence({ storage: 'rows', shift: 1, total: na, k: na - 1, side: 'right', trans: true }, A, 0, na, tau, na, Z, 0, na);
  return { values: d, rows: Z };
}

// Puts the split-off zero rows back, orders eigenvalues descending (index order on
// ties), fixes signs and lays the eigenvectors out as columns.
function assemble(n: number, active: number[], zero: number[], dc: Float64Array, Z: Float64Array, scale: number): EighResult {
  const na = active.length;
  const all = new Float64Array(n);
  all.set(dc);
  const order = argsort(n, all, true);
  const values = new Float64Array(n);
  const V = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c]!;
    values[c] = all[src]! / scale;
    if (src >= na) {
      V[zero[src - na]! * n + c] = 1;
      continue;
    }
    const row = src * na;
    const sign = largestEntrySign(na, Z, row, 1);
    for (let p = 0; p < na; p++) V[active[p]! * n + c] = sign * Z[row + p]!;
  }
  return { values, vectors: { rows: n, cols: n, data: V } };
}
