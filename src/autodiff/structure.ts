import { describe, fail } from '../core/errors.js';
import type { FloatArray, MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { gradOf, gradSlot, operands, output, result, scratch64, shapeOf, type Operand, type Var } from './tape.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use aᵀ in place of a. @defaultValue false */
  transA?: boolean;
  /** Use bᵀ in place of b. @defaultValue false */
  transB?: boolean;
}
const MATMUL_OPTIONS = optionNames<MatmulOptions>()('transA', 'transB');

/**
 * Matrix product op(a) · op(b), forward and backward on the active backend's GEMM
 * (WebAssembly SIMD after `init()`), transposes read in place: for C = A·B the backward
 * pass is dA += dC·Bᵀ and dB += Aᵀ·dC, each one GEMM call with a transpose flag, and
 * nothing is computed for an operand that needs no gradient (the data of a first layer).
 *
 * @param a - (m × k), or (k × m) with `transA`
 * @param b - (k × n), or (n × k) with `transB`
 * @returns (m × n)
 * @example
 * ```ts
 * Array.from(matmul([[1, 2], [3, 4]], [[5], [6]]).data); // [17, 39]
 * ```
 */
export function matmul(a: Operand | MatrixInput, b: Operand | MatrixInput, options?: MatmulOptions): Var {
  const opts = checkOptions(options, MATMUL_OPTIONS, 'matmul: options');
  const transA = checkBoolean(opts.transA ?? false, 'matmul: transA');
  const transB = checkBoolean(opts.transB ?? false, 'matmul: transB');
  const { ctx, vars: [A, B] } = operands('matmul', [a, b], ['a', 'b']);
  const m = transA ? A!.cols : A!.rows, k = transA ? A!.rows : A!.cols;
  const kB = transB ? B!.cols : B!.rows, n = transB ? B!.rows : B!.cols;
  if (k !== kB) {
    fail('SHAPE_MISMATCH', `matmul: op(a) is ${m} × ${k} but op(b) is ${kB} × ${n} (a is ${shapeOf(A!)}${transA ? ', transposed' : ''}; b is ${shapeOf(B!)}${transB ? ', transposed' : ''}); the columns of op(a) must equal the rows of op(b)`);
  }
  const C = output(ctx, m * n);
  const gemm = gemmKernel();
  const ad = A!.data, bd = B!.data, lda = A!.cols, ldb = B!.cols;
  gemm(transA, transB, m, n, k, 1, ad, 0, lda, bd, 0, ldb, 0, C, 0, n);
  const backward = (g: FloatArray) => {
    if (A!.requiresGrad) {
      const [gA, beta] = gradSlot(A!);
      // dop(A) = dC · op(B)ᵀ; stored transposed when transA.
      if (transA) gemm(transB, true, k, m, n, 1, bd, 0, ldb, g, 0, n, beta, gA, 0, lda);
      else gemm(false, !transB, m, k, n, 1, g, 0, n, bd, 0, ldb, beta, gA, 0, lda);
    }
    if (B!.requiresGrad) {
      const [gB, beta] = gradSlot(B!);
      // dop(B) = op(A)ᵀ · dC; stored transposed when transB.
      if (transB) gemm(true, transA, n, k, m, 1, g, 0, n, ad, 0, lda, beta, gB, 0, ldb);
      else gemm(!transA, false, k, n, m, 1, ad, 0, lda, g, 0, n, beta, gB, 0, ldb);
    }
  };
  return result(ctx, 'matmul', m, n, C, backward, [A!, B!]);
}

/** Options of {@link sum} and {@link mean}. */
export interface ReduceOptions {
  /**
   * Reduce over rows (0: the result is 1 × cols) or over columns (1: rows × 1), as numpy's
   * `axis`; everything (1 × 1) when absent.
   */
  axis?: 0 | 1;
}
const REDUCE_OPTIONS = optionNames<ReduceOptions>()('axis');

function reduce(op: 'sum' | 'mean', a: Operand, options: ReduceOptions | undefined): Var {
  const opts = checkOptions(options, REDUCE_OPTIONS, `${op}: options`);
  const axis = opts.axis === undefined ? undefined : checkChoice(String(opts.axis), `${op}: axis`, ['0', '1']);
  const { ctx, vars: [x] } = operands(op, [a], ['a']);
  const rows = x!.rows, cols = x!.cols, xd = x!.data;
  const outRows = axis === '1' ? rows : 1, outCols = axis === '0' ? cols : 1;
  // Each output entry sums `count` inputs; the strides send input (i, j) to its output.
  const count = axis === '0' ? rows : axis === '1' ? cols : rows * cols;
  const factor = op === 'mean' ? 1 / count : 1;
  const sr = axis === '1' ? 1 : 0, sc = axis === '0' ? 1 : 0;
  const acc = scratch64(ctx, outRows * outCols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) acc[i * sr + j * sc]! += xd[i * cols + j]!;
  }
  const out = output(ctx, outRows * outCols);
  for (let i = 0; i < out.length; i++) out[i] = acc[i]! * factor;
  const backward = (g: FloatArray) => {
    const gx = gradOf(x!);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) gx[i * cols + j]! += g[i * sr + j * sc]! * factor;
    }
  };
  return result(ctx, op, outRows, outCols, out, backward, [x!]);
}

/**
 * The sum of all entries (1 × 1), or along an axis (accumulated in float64).
 * @example
 * ```ts
 * Array.from(sum([[1, 2], [3, 4]], { axis: 0 }).data); // [4, 6]
 * ```
 */
export function sum(a: Operand, options?: ReduceOptions): Var {
  return reduce('sum', a, options);
}

/**
 * The mean of all entries (1 × 1), or along an axis.
 * @example
 * ```ts
 * Array.from(mean([[1, 2], [3, 4]], { axis: 1 }).data); // [1.5, 3.5]
 * ```
 */
export function mean(a: Operand, options?: ReduceOptions): Var {
  return reduce('mean', a, options);
}

/** Options of {@link concat}. */
export interface ConcatOptions {
  /** Join side by side (1: columns) or one under the other (0: rows). @defaultValue 1 */
  axis?: 0 | 1;
}
const CONCAT_OPTIONS = optionNames<ConcatOptions>()('axis');

/**
 * Joins matrices side by side (columns, the default) or one under another (rows).
 * @example
 * ```ts
 * Array.from(concat([[[1], [2]], [[3], [4]]]).data); // [1, 3, 2, 4]
 * ```
 */
export function concat(parts: readonly Operand[], options?: ConcatOptions): Var {
  const opts = checkOptions(options, CONCAT_OPTIONS, 'concat: options');
  const byRows = checkChoice(String(opts.axis ?? 1), 'concat: axis', ['0', '1']) === '0';
  if (!Array.isArray(parts) || parts.length === 0) fail('EMPTY_INPUT', `concat: parts received ${describe(parts)}, expected a non-empty array of matrices`);
  const { ctx, vars } = operands('concat', parts, parts.map((_, i) => `parts[${i}]`));
  const first = vars[0]!;
  for (let p = 1; p < vars.length; p++) {
    const v = vars[p]!;
    if (byRows ? v.cols !== first.cols : v.rows !== first.rows) {
      fail('SHAPE_MISMATCH', `concat: parts[${p}] is ${shapeOf(v)} but parts[0] is ${shapeOf(first)}; along axis ${byRows ? 0 : 1} every part needs the same ${byRows ? 'columns' : 'rows'}`);
    }
  }
  const rows = byRows ? vars.reduce((s, v) => s + v.rows, 0) : first.rows;
  const cols = byRows ? first.cols : vars.reduce((s, v) => s + v.cols, 0);
  const out = output(ctx, rows * cols);
  // Part p occupies a block starting at `offsets[p]` (a row offset or a column offset).
  const offsets: number[] = [];
  let at = 0;
  for (const v of vars) {
    offsets.push(at);
    at += byRows ? v.rows * v.cols : v.cols;
  }
  vars.forEach((v, p) => {
    for (let i = 0; i < v.rows; i++) out.set(v.data.subarray(i * v.cols, (i + 1) * v.cols), byRows ? offsets[p]! + i * cols : i * cols + offsets[p]!);
  });
  const backward = (g: FloatArray) => {
    vars.forEach((v, p) => {
      if (!v.requiresGrad) return;
      const gv = gradOf(v);
      for (let i = 0; i < v.rows; i++) {
        const o = byRows ? offsets[p]! + i * cols : i * cols + offsets[p]!;
        for (let j = 0; j < v.cols; j++) gv[i * v.cols + j]! += g[o + j]!;
      }
    });
  };
  return result(ctx, 'concat', rows, cols, out, backward, vars);
}

/**
 * Columns [start, end) of a (as JavaScript's `slice`): the mean and log-variance halves of
 * an encoder's output, say.
 * @example
 * ```ts
 * Array.from(slice([[1, 2, 3], [4, 5, 6]], 1, 3).data); // [2, 3, 5, 6]
 * ```
 */
export function slice(a: Operand, start: number, end?: number): Var {
  const { ctx, vars: [x] } = operands('slice', [a], ['a']);
  const cols = x!.cols, rows = x!.rows;
  const s = checkInt(start, 'slice: start', 0, cols - 1);
  const e = checkInt(end ?? cols, 'slice: end', s + 1, cols);
  const w = e - s;
  const out = output(ctx, rows * w);
  for (let i = 0; i < rows; i++) out.set(x!.data.subarray(i * cols + s, i * cols + e), i * w);
  const backward = (g: FloatArray) => {
    const gx = gradOf(x!);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < w; j++) gx[i * cols + s + j]! += g[i * w + j]!;
    }
  };
  return result(ctx, 'slice', rows, w, out, backward, [x!]);
}

/**
 * The rows of a at `indices`, in that order (repeats allowed): an embedding lookup, or a
 * minibatch of a tracked matrix. The gradient of a repeated row is the sum of its copies'.
 * @example
 * ```ts
 * Array.from(gather([[1, 2], [3, 4]], [1, 1, 0]).data); // [3, 4, 3, 4, 1, 2]
 * ```
 */
export function gather(a: Operand, indices: ArrayLike<number>): Var {
  const { ctx, vars: [x] } = operands('gather', [a], ['a']);
  const cols = x!.cols, n = indices?.length;
  if (typeof n !== 'number' || n === 0) fail('EMPTY_INPUT', `gather: indices received ${describe(indices)}, expected a non-empty array of row indices`);
  const rowsOf = Int32Array.from({ length: n }, (_, i) => checkInt(indices[i], `gather: indices[${i}]`, 0, x!.rows - 1));
  const out = output(ctx, n * cols);
  for (let r = 0; r < n; r++) out.set(x!.data.subarray(rowsOf[r]! * cols, (rowsOf[r]! + 1) * cols), r * cols);
  const backward = (g: FloatArray) => {
    const gx = gradOf(x!);
    for (let r = 0; r < n; r++) {
      const o = rowsOf[r]! * cols;
      for (let j = 0; j < cols; j++) gx[o + j]! += g[r * cols + j]!;
    }
  };
  return result(ctx, 'gather', n, cols, out, backward, [x!]);
}
