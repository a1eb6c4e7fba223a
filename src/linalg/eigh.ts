import { ldexp, maxAbs, scaleExponent } from '../core/math.js';
import { finiteResults } from '../core/errors.js';
import type { Matrix, MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkOptions, optionNames } from '../core/options.js';
import { argsort } from './kernels/givens.js';
import { tridiagonalEigen, tridiagonalQL } from './kernels/tridiagonal.js';
import { largestEntrySign } from './sign.js';
import { asSquare, checkSymmetric, symmetricPart, symmetryTolerance } from './square.js';
import { applyReflectorsRightKernel, tridiagonalizeKernel } from './kernels/dispatch.js';

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

/** Every option name of {@link EighOptions} (unknown ones are rejected). */
const EIGH_OPTION_NAMES = /* @__PURE__ */ optionNames<EighOptions>()('check');

/**
 * Eigen-decomposition S = V·diag(λ)·Vᵀ of a real symmetric matrix.
 *
 * Householder reduction to tridiagonal form, divide and conquer on the tridiagonal
 * (implicit QL on blocks of at most 25), and a blocked back-transformation, as in LAPACK
 * dsyevd. Rows and columns that are entirely zero (constant pixels in a covariance
 * matrix, for instance) are split off first as exact eigenpairs (0, eᵢ). The input is
 * scaled by a power of two to a largest entry near 1 (and the eigenvalues scaled back, as
 * LAPACK's dlascl does), so that no intermediate overflows or underflows: every finite
 * input, subnormal or near the largest float64, has finite eigenpairs. Float32 input is
 * computed in float64; the result is always float64. The input is not modified.
 *
 * @param S - symmetric, (n × n)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when S is not square, `INVALID_INPUT`
 *   when it is not symmetric (naming the most asymmetric pair of entries), `OUT_OF_RANGE`
 *   when an eigenvalue exceeds float64 (entries near 1.8e308), and the coercion errors of
 *   `asMatrix`
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
  const opts = checkOptions(options, EIGH_OPTION_NAMES);
  const check = checkBoolean(opts.check ?? true, 'check');
  const m = asSquare(S, 'S', 'a square symmetric matrix');
  if (check) checkSymmetric(m, 'S', symmetryTolerance(m), ', or pass { check: false } to decompose its symmetric part');
  const r = symmetricEigen(m.rows, symmetricPart(m));
  finiteResults(r.values, 'S', 'an eigenvalue');
  return r;
}

/**
 * 0 for an entry of the scaled matrix (largest |entry| ≈ 1) below 2⁻⁹⁰⁰: far below rounding,
 * and such entries, subnormal ones above all, would reach the divide-and-conquer's secular
 * equation as off-diagonals whose reciprocals overflow.
 */
const TINY = 2 ** -900;
const flushTiny = (v: number): number => (Math.abs(v) < TINY ? 0 : v);

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
  const s = decompose(n, A, n);
  return { values: s.values, vectors: { rows: n, cols: n, data: asColumns(n, s) } };
}

/** Result of {@link leadingEigenRows}. */
export interface LeadingEigen {
  /** All n eigenvalues, descending. */
  values: Float64Array;
  /** The eigenvectors of the `count` largest eigenvalues as rows, (count × n), row c for values[c]. */
  rows: Float64Array;
}

/**
 * {@link symmetricEigen} for callers that keep only the eigenvectors of the `count` largest
 * eigenvalues (PCA: 50 of MNIST's 784): every eigenvalue, but only `count` eigenvectors
 * back-transformed from the tridiagonal's, as rows. The back-transformation treats each
 * vector on its own (the same operations in the same order whichever others it is given
 * with), so each row has the bits of the corresponding column of {@link symmetricEigen};
 * its cost falls from n³ to about count·n² flops.
 *
 * @param count - eigenvectors wanted, 0 ≤ count ≤ n
 *
 * @example
 * ```ts
 * Array.from(leadingEigenRows(2, new Float64Array([0, 2, 2, 0]), 1).rows); // [0.7071…, 0.7071…]
 * ```
 */
export function leadingEigenRows(n: number, A: Float64Array, count: number): LeadingEigen {
  const s = decompose(n, A, count);
  return { values: s.values, rows: asRows(n, count, s) };
}

/**
 * The eigendecomposition before its layout: eigenvalues descending (`values`, scaled back),
 * the eigenvector of values[c] for c < count in row zRow[c] of Z (na × na over the active
 * indices, back-transformed; -1 for a split-off zero row, eigenvector e_{zeroAt[c]}), and the
 * sign that makes its largest entry positive.
 */
interface Decomposition {
  values: Float64Array;
  active: Int32Array;
  Z: Float64Array;
  zRow: Int32Array;
  zeroAt: Int32Array;
  sign: Float64Array;
}

function decompose(n: number, A: Float64Array, count: number): Decomposition {
  // A power of two keeps the scaling exact; split in two factors when the matrix is
  // subnormal (2^1030 alone would overflow).
  const scale = scaleExponent(maxAbs(A, 0, n * n));
  const isZero = new Uint8Array(n);
  let nz = 0;
  for (let i = 0; i < n; i++) if (isZeroRow(n, A, i)) {
    isZero[i] = 1;
    nz++;
  }
  const active = new Int32Array(n - nz), zero = new Int32Array(nz);
  for (let i = 0, a = 0, z = 0; i < n; i++) {
    if (isZero[i]) zero[z++] = i;
    else active[a++] = i;
  }
  const na = n - nz;
  // Without zero rows the (overwritable) input is reduced in place.
  const Ac = nz === 0 ? A : new Float64Array(na * na);
  for (let a = 0; a < na; a++) {
    const src = active[a]! * n, dst = a * na;
    if (nz === 0) for (let b = 0; b < na; b++) Ac[dst + b] = flushTiny(ldexp(A[src + b]!, scale));
    else for (let b = 0; b < na; b++) Ac[dst + b] = flushTiny(ldexp(A[src + active[b]!]!, scale));
  }
  const { d, Z, tau } = tridiagonalSpectrum(na, Ac);
  // The split-off zero rows are exact eigenpairs (0, eᵢ), after the active ones.
  const all = new Float64Array(n);
  all.set(d);
  const order = argsort(n, all, true);
  const values = new Float64Array(n);
  for (let c = 0; c < n; c++) values[c] = ldexp(all[order[c]!]!, -scale);
  const zRow = new Int32Array(count), zeroAt = new Int32Array(count);
  let wanted = 0;
  for (let c = 0; c < count; c++) {
    const src = order[c]!;
    zRow[c] = src < na ? src : -1;
    zeroAt[c] = src < na ? -1 : zero[src - na]!;
    if (src < na) wanted++;
  }
  const Zb = wanted === na ? Z : gatherWanted(na, Z, zRow, wanted);
  // Eigenvectors of A are Q·y for eigenvectors y of T; as rows, yᵀ·Qᵀ.
  if (na > 0) applyReflectorsRightKernel()(true, wanted, na, na - 1, 1, Ac, 0, na, tau, Zb, 0, na);
  const sign = new Float64Array(count);
  for (let c = 0; c < count; c++) if (zRow[c]! >= 0) sign[c] = largestEntrySign(na, Zb, zRow[c]! * na, 1);
  return { values, active, Z: Zb, zRow, zeroAt, sign };
}

// The rows of Z that `zRow` names, packed in its order (zRow is renumbered to match), so
// that only the wanted eigenvectors are back-transformed.
function gatherWanted(na: number, Z: Float64Array, zRow: Int32Array, wanted: number): Float64Array {
  const out = new Float64Array(wanted * na);
  for (let c = 0, r = 0; c < zRow.length; c++) {
    if (zRow[c]! < 0) continue;
    out.set(Z.subarray(zRow[c]! * na, (zRow[c]! + 1) * na), r * na);
    zRow[c] = r++;
  }
  return out;
}

/** The eigenvalues d (na, ascending), T's eigenvectors as rows of Z, and the reflectors (left in A) with their scalars tau. */
function tridiagonalSpectrum(na: number, A: Float64Array): { d: Float64Array; Z: Float64Array; tau: Float64Array } {
  const d = new Float64Array(na);
  const e = new Float64Array(Math.max(na - 1, 0));
  const tau = new Float64Array(Math.max(na - 1, 0));
  const Z = new Float64Array(na * na);
  if (na === 0) return { d, Z, tau };
  tridiagonalizeKernel()(na, A, 0, na, d, e, tau);
  tridiagonalEigen(na, d, e, Z, na);
  return { d, Z, tau };
}

/** Side of the square tiles in which {@link asColumns} transposes eigenvector rows into columns. */
const TILE = 32;

// The eigenvectors as the columns of an (n × n) matrix. The transposition goes tile by
// tile, so that both the rows read and the columns written stay in cache.
function asColumns(n: number, s: Decomposition): Float64Array {
  const { active, Z, zRow, zeroAt, sign } = s;
  const na = active.length;
  const V = new Float64Array(n * n);
  for (let c = 0; c < n; c++) if (zRow[c]! < 0) V[zeroAt[c]! * n + c] = 1;
  for (let p0 = 0; p0 < na; p0 += TILE) {
    const p1 = Math.min(p0 + TILE, na);
    for (let c0 = 0; c0 < n; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, n);
      for (let c = c0; c < c1; c++) {
        const sg = sign[c]!;
        if (sg === 0) continue;
        const row = zRow[c]! * na;
        for (let p = p0; p < p1; p++) V[active[p]! * n + c] = sg * Z[row + p]!;
      }
    }
  }
  return V;
}

// The first `count` eigenvectors as the rows of a (count × n) matrix.
function asRows(n: number, count: number, s: Decomposition): Float64Array {
  const { active, Z, zRow, zeroAt, sign } = s;
  const na = active.length;
  const R = new Float64Array(count * n);
  for (let c = 0; c < count; c++) {
    const out = c * n, sg = sign[c]!;
    if (zRow[c]! < 0) {
      R[out + zeroAt[c]!] = 1;
      continue;
    }
    const row = zRow[c]! * na;
    for (let p = 0; p < na; p++) R[out + active[p]!] = sg * Z[row + p]!;
  }
  return R;
}

/**
 * The eigenvalues of a symmetric matrix, descending, without eigenvectors: Householder
 * tridiagonalisation and implicit QL alone, about a third of the work of {@link eigh} (no
 * back-transformation, no vector updates). What a trace of a matrix function, a
 * determinant or a definiteness check needs.
 *
 * @param S - symmetric, (n × n); not modified
 * @throws {@link core!LatentSpaceError} as {@link eigh}
 *
 * @example
 * ```ts
 * Array.from(eigvalsh([[2, 1], [1, 2]])); // [3, 1] (up to rounding)
 * ```
 */
export function eigvalsh(S: MatrixInput, options?: EighOptions): Float64Array {
  const opts = checkOptions(options, EIGH_OPTION_NAMES);
  const check = checkBoolean(opts.check ?? true, 'check');
  const m = asSquare(S, 'S', 'a square symmetric matrix');
  if (check) checkSymmetric(m, 'S', symmetryTolerance(m), ', or pass { check: false } to use its symmetric part');
  return finiteResults(symmetricEigenvalues(m.rows, symmetricPart(m)), 'S', 'an eigenvalue');
}

/**
 * The unvalidated core of {@link eigvalsh}: the eigenvalues of the symmetric A (n × n,
 * row-major, overwritten; the upper triangle is read), descending.
 *
 * @example
 * ```ts
 * Array.from(symmetricEigenvalues(2, new Float64Array([0, 2, 2, 0]))); // [2, -2]
 * ```
 */
export function symmetricEigenvalues(n: number, A: Float64Array): Float64Array {
  const amax = maxAbs(A, 0, n * n);
  const d = new Float64Array(n);
  if (amax === 0) return d;
  // A power of two keeps the scaling exact, as in symmetricEigen.
  const scale = scaleExponent(amax);
  for (let p = 0; p < n * n; p++) A[p] = flushTiny(ldexp(A[p]!, scale));
  const e = new Float64Array(Math.max(n - 1, 0)), tau = new Float64Array(Math.max(n - 1, 0));
  tridiagonalizeKernel()(n, A, 0, n, d, e, tau);
  tridiagonalQL(n, d, 0, e, 0, new Float64Array(0), 0, 0, 0);
  for (let i = 0; i < n; i++) d[i] = ldexp(d[i]!, -scale);
  return d.sort().reverse();
}

function isZeroRow(n: number, A: Float64Array, i: number): boolean {
  for (let j = i * n; j < (i + 1) * n; j++) if (A[j] !== 0) return false;
  return true;
}
