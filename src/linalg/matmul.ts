import { fail, finiteResults } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkOptions, optionNames } from '../core/options.js';
import { allocate, commonDtype, dtypeOf, widen } from './dtype.js';
import { gemmKernel, syrkKernel } from './kernels/dispatch.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ in place of A. @defaultValue false */
  transA?: boolean;
  /** Use Bᵀ in place of B. @defaultValue false */
  transB?: boolean;
}

/** Every option name of {@link MatmulOptions} (unknown ones are rejected). */
const MATMUL_OPTION_NAMES = /* @__PURE__ */ optionNames<MatmulOptions>()('transA', 'transB');

/**
 * Matrix product op(A) · op(B), on the active backend (WebAssembly SIMD after
 * `await init()` from `latentspace/wasm`, TypeScript otherwise). The result is float32
 * when both inputs are float32, float64 otherwise.
 *
 * @param A - (m × k), or (k × m) with `transA`
 * @param B - (k × n), or (n × k) with `transB`
 * @returns (m × n)
 *
 * @example
 * ```ts
 * const C = matmul([[1, 2], [3, 4]], [[5], [6]]);
 * Array.from(C.data); // [17, 39]
 * ```
 */
export function matmul(A: MatrixInput, B: MatrixInput, options?: MatmulOptions): Matrix {
  const opts = checkOptions(options, MATMUL_OPTION_NAMES);
  const transA = checkBoolean(opts.transA ?? false, 'transA');
  const transB = checkBoolean(opts.transB ?? false, 'transB');
  const [a, b, dtype] = commonDtype(asMatrix(A, 'A'), asMatrix(B, 'B'));
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kB = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kB) {
    fail('SHAPE_MISMATCH', `B: op(B) has ${kB} rows, expected ${k} (the columns of op(A)); A is ${a.rows} × ${a.cols}${transA ? ' (transposed)' : ''}, B is ${b.rows} × ${b.cols}${transB ? ' (transposed)' : ''}`);
  }
  const C = allocate(dtype, m * n);
  gemmKernel()(transA, transB, m, n, k, 1, a.data, 0, a.cols, b.data, 0, b.cols, 0, C, 0, n);
  return { rows: m, cols: n, data: finiteResults(C, 'A, B', 'an entry of the product') };
}

/**
 * The unvalidated core of {@link matmul} for callers whose matrices are their own (centred
 * data, a model's components) and already checked: op(A)·op(B) in float64 on the active
 * backend, the same bits as `matmul` gives for float64 input. A float32 operand is widened.
 *
 * @example
 * ```ts
 * const A = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * Array.from(product64(A, A, false, true).data); // [5]
 * ```
 */
export function product64(A: Matrix, B: Matrix, transA: boolean, transB: boolean): Matrix<Float64Array> {
  const a = widen(A), b = widen(B);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const C = new Float64Array(m * n);
  gemmKernel()(transA, transB, m, n, k, 1, a.data, 0, a.cols, b.data, 0, b.cols, 0, C, 0, n);
  return { rows: m, cols: n, data: C };
}

/**
 * {@link gram} without validation, for internal float64 data already checked: X·Xᵀ with
 * `outer`, else XᵀX, exactly symmetric, the same bits as `gram`.
 *
 * @example
 * ```ts
 * Array.from(gram64({ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 4]) }, false).data); // [10, 14, 14, 20]
 * ```
 */
export function gram64(X: Matrix<Float64Array>, outer: boolean): Matrix<Float64Array> {
  const n = outer ? X.rows : X.cols;
  const C = new Float64Array(n * n);
  syrkKernel()(!outer, n, outer ? X.cols : X.rows, X.data, 0, X.cols, C, 0, n);
  return { rows: n, cols: n, data: C };
}

/** Options of {@link gram}. */
export interface GramOptions {
  /** Compute XXᵀ (rows × rows) instead of XᵀX (cols × cols). @defaultValue false */
  outer?: boolean;
}

/** Every option name of {@link GramOptions} (unknown ones are rejected). */
const GRAM_OPTION_NAMES = /* @__PURE__ */ optionNames<GramOptions>()('outer');

/**
 * The Gram matrix XᵀX (cols × cols), or XXᵀ (rows × rows) with `outer: true`. One
 * triangle is computed and mirrored, so the result is exactly symmetric. Keeps float32.
 *
 * @param X - (nSamples, nFeatures)
 *
 * @example
 * ```ts
 * Array.from(gram([[1, 2], [3, 4]]).data); // [10, 14, 14, 20]
 * ```
 */
export function gram(X: MatrixInput, options?: GramOptions): Matrix {
  const opts = checkOptions(options, GRAM_OPTION_NAMES);
  const outer = checkBoolean(opts.outer ?? false, 'outer');
  const x = asMatrix(X, 'X');
  const n = outer ? x.rows : x.cols;
  const k = outer ? x.cols : x.rows;
  const C = allocate(dtypeOf(x), n * n);
  syrkKernel()(!outer, n, k, x.data, 0, x.cols, C, 0, n);
  return { rows: n, cols: n, data: finiteResults(C, 'X', 'an entry of the Gram matrix') };
}
