import { fail, formatNumber } from '../core/errors.js';
import { symmetricEigen, symmetricEigenvalues } from '../linalg/eigh.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
import { symmetricPart } from '../linalg/square.js';
import { trsm } from '../linalg/kernels/triangular.js';
import { gemmKernel, syrkKernel } from '../linalg/kernels/dispatch.js';

// Functions of symmetric positive semi-definite matrices, on (n × n) row-major
// Float64Arrays, unvalidated. Square roots and powers go through `eigh` (symmetricEigen)
// with eigenvalues clamped at 0; traces of square roots need eigenvalues only.

/** Relative size under which an eigenvalue of a covariance counts as zero (rank, pseudo-inverse). */
export const RANK_TOL = 1e-12;
/** Relative size of a negative eigenvalue still taken for rounding (and clamped to 0). */
export const PSD_TOL = 1e-10;

/**
 * C = op(A)·op(B), (n × n).
 *
 * @example
 * ```ts
 * Array.from(mul(2, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]))); // [1, 2, 3, 4]
 * ```
 */
export function mul(n: number, A: Float64Array, B: Float64Array, transA = false, transB = false): Float64Array {
  const C = new Float64Array(n * n);
  gemmKernel()(transA, transB, n, n, n, 1, A, 0, n, B, 0, n, 0, C, 0, n);
  return C;
}

/**
 * The symmetric part (S + Sᵀ)/2 of the square S, a new array (linalg's symmetricPart).
 *
 * @example
 * ```ts
 * Array.from(symmetrize(2, new Float64Array([1, 2, 4, 1]))); // [1, 3, 3, 1]
 * ```
 */
export function symmetrize(n: number, S: Float64Array): Float64Array {
  return symmetricPart({ rows: n, cols: n, data: S });
}

/**
 * Transposes the square S in place; returns S.
 *
 * @example
 * ```ts
 * Array.from(transposeInPlace(2, new Float64Array([1, 2, 3, 4]))); // [1, 3, 2, 4]
 * ```
 */
export function transposeInPlace(n: number, S: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = S[i * n + j]!;
      S[i * n + j] = S[j * n + i]!;
      S[j * n + i] = v;
    }
  }
  return S;
}

/**
 * Eigenpairs of the symmetric S (not modified), values descending.
 *
 * @example
 * ```ts
 * Array.from(eigen(2, new Float64Array([2, 1, 1, 2])).values); // [3, 1] (up to rounding)
 * ```
 */
export function eigen(n: number, S: Float64Array): { values: Float64Array; vectors: Float64Array } {
  const r = symmetricEigen(n, Float64Array.from(S));
  return { values: r.values, vectors: r.vectors.data };
}

/**
 * The eigenvalues of the symmetric S (not modified; only the upper triangle is read),
 * descending, without eigenvectors (linalg's symmetricEigenvalues).
 *
 * @example
 * ```ts
 * Array.from(eigenvalues(2, new Float64Array([2, 1, 1, 2]))); // [3, 1] (up to rounding)
 * ```
 */
export function eigenvalues(n: number, S: Float64Array): Float64Array {
  return symmetricEigenvalues(n, Float64Array.from(S));
}

/**
 * V·diag(f(λ))·Vᵀ for the eigenpairs (values, V as columns), symmetric on return.
 *
 * @example
 * ```ts
 * const { values, vectors } = eigen(2, new Float64Array([4, 0, 0, 9]));
 * Array.from(spectralFunction(2, values, vectors, Math.sqrt)); // [2, 0, 0, 3]
 * ```
 */
export function spectralFunction(n: number, values: Float64Array, V: Float64Array, f: (lambda: number) => number): Float64Array {
  const W = new Float64Array(n * n);
  const fv = new Float64Array(n);
  for (let k = 0; k < n; k++) fv[k] = f(values[k]!);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) W[i * n + k] = V[i * n + k]! * fv[k]!;
  return symmetrize(n, mul(n, W, V, false, true));
}

/**
 * Throws INVALID_INPUT when the most negative eigenvalue is more than rounding, and
 * returns the largest |λ|. `name` names the covariance in the message.
 *
 * @example
 * ```ts
 * checkSemidefinite(new Float64Array([2, -1]), 'S'); // throws INVALID_INPUT: "S: … not positive semi-definite …"
 * ```
 */
export function checkSemidefinite(values: Float64Array, name: string): number {
  let max = 0, min = Infinity;
  for (const v of values) {
    max = Math.max(max, Math.abs(v));
    min = Math.min(min, v);
  }
  if (min < -PSD_TOL * max) {
    fail('INVALID_INPUT', `${name}: received a matrix that is not positive semi-definite (eigenvalue ${formatNumber(min)}, largest |eigenvalue| ${formatNumber(max)}), expected a covariance matrix`);
  }
  return max;
}

/**
 * √max(λ, 0): the square root of an eigenvalue clamped at 0.
 *
 * @example
 * ```ts
 * [clampedSqrt(4), clampedSqrt(-1e-17)]; // [2, 0]
 * ```
 */
export const clampedSqrt = (l: number): number => (l > 0 ? Math.sqrt(l) : 0);

/**
 * A factor F with F·Fᵀ = S for the symmetric positive semi-definite S: the Cholesky
 * factor L when S is positive definite (`chol`), else V·diag(√λ) from `eigh` with
 * eigenvalues clamped at 0 (`eig`, with `values` and `V` kept for pseudo-inverses).
 */
export type Factor =
  | { readonly kind: 'chol'; readonly F: Float64Array }
  | { readonly kind: 'eig'; readonly F: Float64Array; readonly values: Float64Array; readonly V: Float64Array; readonly rank: number };

/** Rows and columns per block of the blocked Cholesky factorisation and triangular solves. */
const NB = 48;

/**
 * Cholesky factor L (S = L·Lᵀ, lower triangular, row-major) of the symmetric S (lower
 * triangle read, not modified), or null when a pivot is not positive (linalg's blocked
 * choleskyInPlace).
 *
 * @example
 * ```ts
 * Array.from(choleskyOrNull(2, new Float64Array([4, 2, 2, 5]))!); // [2, 0, 1, 2]
 * ```
 */
export function choleskyOrNull(n: number, S: Float64Array): Float64Array | null {
  const A = Float64Array.from(S);
  return choleskyInPlace(n, A) < 0 ? A : null;
}

/**
 * Solves L·X = B (`trans` false) or Lᵀ·X = B (`trans` true) in place for the lower
 * triangular L (n × n) and B (n × m), blockwise: small triangular solves on the diagonal
 * blocks, gemm updates for the rest.
 *
 * @example
 * ```ts
 * const B = new Float64Array([2, 9]);
 * solveLowerInPlace(2, 1, new Float64Array([2, 0, 1, 4]), B, false);
 * Array.from(B); // [1, 2]
 * ```
 */
export function solveLowerInPlace(n: number, m: number, L: Float64Array, B: Float64Array, trans: boolean): void {
  const gemm = gemmKernel();
  const nBlocks = Math.ceil(n / NB);
  for (let b = 0; b < nBlocks; b++) {
    const k0 = (trans ? nBlocks - 1 - b : b) * NB, k1 = Math.min(k0 + NB, n), kb = k1 - k0;
    trsm(true, trans, false, kb, m, L, k0 * n + k0, n, B, k0 * m, m);
    if (!trans && k1 < n) gemm(false, false, n - k1, m, kb, -1, L, k1 * n + k0, n, B, k0 * m, m, 1, B, k1 * m, m);
    if (trans && k0 > 0) gemm(true, false, k0, m, kb, -1, L, k0 * n, n, B, k0 * m, m, 1, B, 0, m);
  }
}

/**
 * Eigen-based factor V·diag(√λ) (clamped) of S; checks semi-definiteness.
 *
 * @example
 * ```ts
 * eigenFactor(2, new Float64Array([1, 1, 1, 1]), 'S').rank; // 1
 * ```
 */
export function eigenFactor(n: number, S: Float64Array, name: string): Factor & { kind: 'eig' } {
  const { values, vectors: V } = eigen(n, S);
  const max = checkSemidefinite(values, name);
  const F = new Float64Array(n * n);
  let rank = 0;
  for (let k = 0; k < n; k++) if (values[k]! > RANK_TOL * max) rank++;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) F[i * n + k] = V[i * n + k]! * clampedSqrt(values[k]!);
  return { kind: 'eig', F, values, V, rank };
}

/**
 * Cholesky when S is positive definite (cheaper), the eigen-based factor otherwise.
 *
 * @example
 * ```ts
 * factor(2, new Float64Array([4, 2, 2, 5]), 'S').kind; // 'chol'
 * ```
 */
export function factor(n: number, S: Float64Array, name: string): Factor {
  const L = choleskyOrNull(n, S);
  return L ? { kind: 'chol', F: L } : eigenFactor(n, S, name);
}

/**
 * Fᵀ·S·F, symmetric.
 *
 * @example
 * ```ts
 * Array.from(congruence(2, new Float64Array([2, 0, 0, 1]), new Float64Array([1, 1, 1, 1]))); // [4, 2, 2, 1]
 * ```
 */
export function congruence(n: number, F: Float64Array, S: Float64Array): Float64Array {
  return symmetrize(n, mul(n, F, mul(n, S, F), true, false));
}

/**
 * (F⁺)ᵀ·X for the factor F·Fᵀ of a covariance and X (n × n), a new array: L⁻ᵀ·X for a
 * Cholesky factor (a blocked triangular solve), V·Λ^{+½}·X for an eigen-based one
 * (eigenvalues below the rank tolerance get 0: the pseudo-inverse).
 *
 * @example
 * ```ts
 * const f = factor(2, new Float64Array([4, 0, 0, 1]), 'S');
 * Array.from(pinvTransposeTimes(2, f, new Float64Array([2, 0, 0, 1]))); // [1, 0, 0, 1]
 * ```
 */
export function pinvTransposeTimes(n: number, f: Factor, X: Float64Array): Float64Array {
  if (f.kind === 'chol') {
    const Y = Float64Array.from(X);
    solveLowerInPlace(n, n, f.F, Y, true);
    return Y;
  }
  let max = 0;
  for (const v of f.values) max = Math.max(max, Math.abs(v));
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const l = f.values[k]!;
      G[i * n + k] = l > RANK_TOL * max ? f.V[i * n + k]! / Math.sqrt(l) : 0;
    }
  }
  return mul(n, G, X);
}

/**
 * W·Wᵀ (n × n), exactly symmetric.
 *
 * @example
 * ```ts
 * Array.from(gramRows(2, new Float64Array([1, 2, 0, 1]))); // [5, 2, 2, 1]
 * ```
 */
export function gramRows(n: number, W: Float64Array): Float64Array {
  const C = new Float64Array(n * n);
  syrkKernel()(false, n, n, W, 0, n, C, 0, n);
  return C;
}
