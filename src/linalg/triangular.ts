import { fail, finiteResults } from '../core/errors.js';
import { asMatrix, asVector, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkOptions, optionNames } from '../core/options.js';
import { trsm, trsv } from './kernels/triangular.js';
import { asSquare } from './square.js';

export { trsm, trsv } from './kernels/triangular.js';

/** Options of {@link solveTriangular}. */
export interface SolveTriangularOptions {
  /**
   * Read the lower triangle of the matrix (true) or the upper one (false); the other
   * triangle is ignored. Note that SciPy's `solve_triangular` defaults to upper.
   * @defaultValue true
   */
  lower?: boolean;
  /** Solve with the transpose of the triangular matrix. @defaultValue false */
  transpose?: boolean;
  /** Assume ones on the diagonal (its stored entries are not read). @defaultValue false */
  unitDiagonal?: boolean;
}

/** Every option name of {@link SolveTriangularOptions} (unknown ones are rejected). */
const SOLVE_TRIANGULAR_OPTION_NAMES = /* @__PURE__ */ optionNames<SolveTriangularOptions>()('lower', 'transpose', 'unitDiagonal');

/**
 * Solves op(T)·X = B for a triangular T by forward or back substitution, op(T) = T or
 * Tᵀ. A vector right-hand side (an array of numbers or a typed array) gives a
 * `Float64Array`; a matrix one (n × nrhs) gives a Matrix. Float32 input is computed in
 * float64. The inputs are not modified.
 *
 * @param T - triangular, (n × n); only the triangle selected by `lower` is read
 * @param B - (n) or (n × nrhs)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when T is not square or B's length or
 *   row count is not n; `INVALID_INPUT` when a diagonal entry is zero (T is singular)
 *
 * @example
 * ```ts
 * solveTriangular([[2, 0], [1, 4]], [2, 9]);                      // Float64Array [1, 2]
 * solveTriangular([[2, 0], [1, 4]], [2, 9], { transpose: true }); // Float64Array [-0.125, 2.25]
 * ```
 */
export function solveTriangular(T: MatrixInput, B: ArrayLike<number>, options?: SolveTriangularOptions): Float64Array;
export function solveTriangular(T: MatrixInput, B: MatrixInput, options?: SolveTriangularOptions): Matrix<Float64Array>;
export function solveTriangular(T: MatrixInput, B: MatrixInput | ArrayLike<number>, options?: SolveTriangularOptions): Float64Array | Matrix<Float64Array> {
  const opts = checkOptions(options, SOLVE_TRIANGULAR_OPTION_NAMES);
  const lower = checkBoolean(opts.lower ?? true, 'lower');
  const trans = checkBoolean(opts.transpose ?? false, 'transpose');
  const unit = checkBoolean(opts.unitDiagonal ?? false, 'unitDiagonal');
  const t = asSquare(T, 'T', 'a square triangular matrix');
  const n = t.rows;
  const a = Float64Array.from(t.data);
  if (!unit) checkDiagonal(n, a, 'T');
  if (isVector(B)) {
    const x = Float64Array.from(asVector(B, 'B'));
    if (x.length !== n) fail('SHAPE_MISMATCH', `B: received a vector of length ${x.length}, expected length ${n} (the order of T)`);
    trsv(lower, trans, unit, n, a, 0, n, x, 0, 1);
    return finiteResults(x, 'T, B', 'an entry of the solution');
  }
  const b = asMatrix(B as MatrixInput, 'B');
  if (b.rows !== n) fail('SHAPE_MISMATCH', `B: received a ${b.rows} × ${b.cols} matrix, expected ${n} rows (the order of T)`);
  const X = Float64Array.from(b.data);
  trsm(lower, trans, unit, n, b.cols, a, 0, n, X, 0, b.cols);
  return { rows: n, cols: b.cols, data: finiteResults(X, 'T, B', 'an entry of the solution') };
}

function isVector(B: unknown): B is ArrayLike<number> {
  if (ArrayBuffer.isView(B)) return true;
  return Array.isArray(B) && B.length > 0 && typeof B[0] === 'number';
}

function checkDiagonal(n: number, a: Float64Array, name: string): void {
  for (let i = 0; i < n; i++) {
    if (a[i * n + i] === 0) {
      fail('INVALID_INPUT', `${name}: diagonal entry (${i}, ${i}) is 0, expected a non-singular triangular matrix (non-zero diagonal) — or pass { unitDiagonal: true } if its diagonal is implicitly one`);
    }
  }
}
