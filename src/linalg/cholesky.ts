import { describe, fail } from '../core/errors.js';
import type { Matrix, MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkInt, checkNumber, checkOptions, checkSize, optionNames } from '../core/options.js';
import { choleskyAppendKernel, trsv } from './kernels/triangular.js';
import { asSquare, checkSymmetric, symmetryTolerance } from './square.js';
import { gemmKernel } from './kernels/dispatch.js';

// The unvalidated step (also OMP's, in ./kernels/omp.ts) lives with the triangular kernels.
export { choleskyAppendKernel } from './kernels/triangular.js';

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * Check that S is symmetric (relative tolerance 1e-10, 1e-5 for float32 input). With
   * `false`, only the lower triangle is read.
   * @defaultValue true
   */
  check?: boolean;
}

/** Rows and columns per block of {@link choleskyInPlace}. */
const NB = 48;

/**
 * The unvalidated core of {@link cholesky}: overwrites the lower triangle of A (n × n,
 * row-major; the lower triangle is read) with L, S = L·Lᵀ, and zeroes the strict upper
 * triangle. Right-looking and blocked: each block column is factored with dot products
 * along rows, and the trailing matrix is updated by one gemm on the active backend, so most
 * of the n³/3 flops run at gemm speed (row by row runs at dot-product speed, about 5×
 * slower at n = 512). Returns −1, or the first column j whose pivot is not positive (A is
 * then left part-way, with that pivot in A[j, j]).
 *
 * @example
 * ```ts
 * const A = new Float64Array([4, 2, 2, 5]);
 * choleskyInPlace(2, A); // -1
 * Array.from(A);         // [2, 0, 1, 2]
 * ```
 */
export function choleskyInPlace(n: number, A: Float64Array): number {
  const gemm = gemmKernel();
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(k0 + NB, n);
    for (let i = k0; i < n; i++) {
      const ri = i * n;
      for (let j = k0; j < Math.min(i + 1, k1); j++) {
        const rj = j * n;
        let s = A[ri + j]!;
        for (let p = k0; p < j; p++) s -= A[ri + p]! * A[rj + p]!;
        if (i === j) {
          if (!(s > 0)) {
            A[ri + j] = s; // the failing pivot, for the caller's message
            return j;
          }
          A[ri + j] = Math.sqrt(s);
        } else {
          A[ri + j] = s / A[rj + j]!;
        }
      }
    }
    // Trailing update A₂₂ ← A₂₂ − L₂₁·L₂₁ᵀ (both triangles; only the lower one is read later).
    if (k1 < n) gemm(false, true, n - k1, n - k1, k1 - k0, -1, A, k1 * n + k0, n, A, k1 * n + k0, n, 1, A, k1 * n + k1, n);
  }
  for (let i = 0; i < n; i++) A.fill(0, i * n + i + 1, (i + 1) * n);
  return -1;
}

/** Every option name of {@link CholeskyOptions} (unknown ones are rejected). */
const CHOLESKY_OPTION_NAMES = /* @__PURE__ */ optionNames<CholeskyOptions>()('check');

/**
 * Cholesky factorisation S = L·Lᵀ of a symmetric positive definite matrix (blocked,
 * with the trailing updates as gemm: `choleskyInPlace`). Float32 input is computed in
 * float64. The input is not modified.
 *
 * @param S - symmetric positive definite, (n × n); the lower triangle is used
 * @returns L, lower triangular with a positive diagonal, (n × n)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when S is not square;
 *   `INVALID_INPUT` when it is not symmetric or not positive definite (naming the
 *   column whose pivot is not positive)
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §4.2
 *
 * @example
 * ```ts
 * const L = cholesky([[4, 2], [2, 5]]);
 * Array.from(L.data); // [2, 0, 1, 2]
 * ```
 */
export function cholesky(S: MatrixInput, options?: CholeskyOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, CHOLESKY_OPTION_NAMES);
  const check = checkBoolean(opts.check ?? true, 'check');
  const s = asSquare(S, 'S', 'a square symmetric positive definite matrix');
  if (check) checkSymmetric(s, 'S', symmetryTolerance(s), ', or pass { check: false } to use its lower triangle');
  const n = s.rows;
  const L = Float64Array.from(s.data);
  const column = choleskyInPlace(n, L);
  if (column >= 0) {
    fail('INVALID_INPUT', `S: received a matrix that is not positive definite: the pivot at column ${column} is ${L[column * n + column]} (≤ 0), expected a symmetric positive definite matrix (add a small multiple of the identity to regularise a semi-definite one)`);
  }
  return { rows: n, cols: n, data: L };
}

/**
 * A Cholesky factor L (lower triangular) that grows by one row and column at a time, as
 * Orthogonal Matching Pursuit needs when it adds an atom to its active set. A plain,
 * mutable object: L[i][j] is `data[i * capacity + j]` for j ≤ i < size; storage doubles
 * when full, so growing to n rows costs O(n²) copies in all.
 *
 * @example
 * ```ts
 * const f: CholeskyFactor = createCholeskyFactor(8);
 * choleskyAppend(f, [], 4);
 * f.data[0]; // 2
 * ```
 */
export interface CholeskyFactor {
  /** The order of L. */
  size: number;
  /** Rows (and columns) allocated: the leading dimension of `data`. */
  capacity: number;
  /** L, row-major with leading dimension `capacity`. */
  data: Float64Array;
}

/**
 * An empty {@link CholeskyFactor} with room for `capacity` rows before it reallocates.
 *
 * @example
 * ```ts
 * const f = createCholeskyFactor(10);
 * [f.size, f.capacity]; // [0, 10]
 * ```
 */
export function createCholeskyFactor(capacity = 16): CholeskyFactor {
  checkInt(capacity, 'capacity', 1);
  checkSize(capacity * capacity, 'capacity', `a ${capacity} × ${capacity} factor`);
  return { size: 0, capacity, data: new Float64Array(capacity * capacity) };
}

/**
 * Grows L·Lᵀ = G to the factor of [[G, v], [vᵀ, diag]]: solves L·w = v, sets
 * d = √(diag − w·w) and appends the row (wᵀ, d). Returns false, leaving the factor
 * unchanged, when the new pivot d² is at most `tolerance · diag` (or diag ≤ 0): the new
 * column is then (numerically) a combination of the previous ones — for OMP, an atom
 * dependent on the atoms already selected — and appending it would produce NaN or a
 * useless factor.
 *
 * @param factor - the factor to grow (modified in place)
 * @param v - (size) the new off-diagonal column, e.g. Gram entries ⟨dᵢ, d_new⟩ of the active atoms
 * @param diag - the new diagonal entry, e.g. ‖d_new‖²
 * @param tolerance - relative threshold for the pivot; the default is machine epsilon
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when v has fewer than `size` entries,
 *   `INVALID_OPTION` when diag or tolerance is not a finite number
 *
 * @example
 * ```ts
 * const f = createCholeskyFactor(4);
 * choleskyAppend(f, [], 4);     // true:  L = [2]
 * choleskyAppend(f, [2], 5);    // true:  L = [[2, 0], [1, 2]]
 * choleskyAppend(f, [2, 5], 5); // false: the new column repeats the second one
 * f.size;                       // 2
 * ```
 */
export function choleskyAppend(factor: CholeskyFactor, v: ArrayLike<number>, diag: number, tolerance = Number.EPSILON): boolean {
  const n = factor.size;
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number' || v.length < n) {
    fail('SHAPE_MISMATCH', `v: received ${describe(v)}, expected at least ${n} values (the factor's size)`);
  }
  checkNumber(diag, 'diag');
  checkNumber(tolerance, 'tolerance', 0);
  if (!(diag > 0)) return false;
  if (n === factor.capacity) grow(factor);
  const { capacity: ld, data } = factor;
  const row = n * ld;
  for (let j = 0; j < n; j++) data[row + j] = v[j]!;
  const pivot = choleskyAppendKernel(n, ld, data, diag);
  if (!(pivot > tolerance * diag)) return false;
  factor.size = n + 1;
  return true;
}

function grow(factor: CholeskyFactor): void {
  const { size, capacity, data } = factor;
  const next = capacity * 2;
  const out = new Float64Array(next * next);
  for (let i = 0; i < size; i++) out.set(data.subarray(i * capacity, i * capacity + i + 1), i * next);
  factor.capacity = next;
  factor.data = out;
}

/**
 * Solves L·Lᵀ·x = b in place for the factor's current size (x holds b on entry, at
 * offset `off`): the two triangular solves OMP performs on every iteration. Unvalidated.
 *
 * @example
 * ```ts
 * const f = createCholeskyFactor(2);
 * choleskyAppend(f, [], 4);
 * choleskyAppend(f, [2], 5);                          // L·Lᵀ = [[4, 2], [2, 5]]
 * const x = new Float64Array([6, 7]);
 * choleskySolveInPlace(f, x, 0);
 * Array.from(x);                                      // [1, 1]
 * ```
 */
export function choleskySolveInPlace(factor: CholeskyFactor, x: Float64Array, off: number): void {
  const { size, capacity, data } = factor;
  trsv(true, false, false, size, data, 0, capacity, x, off, 1);
  trsv(true, true, false, size, data, 0, capacity, x, off, 1);
}

/**
 * A copy of the factor's L as a (size × size) Matrix.
 *
 * @example
 * ```ts
 * const f = createCholeskyFactor(2);
 * choleskyAppend(f, [], 9);
 * Array.from(choleskyFactorMatrix(f).data); // [3]
 * ```
 */
export function choleskyFactorMatrix(factor: CholeskyFactor): Matrix<Float64Array> {
  const { size, capacity, data } = factor;
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) out.set(data.subarray(i * capacity, i * capacity + i + 1), i * size);
  return { rows: size, cols: size, data: out };
}
