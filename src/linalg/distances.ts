import { fail } from '../core/errors.js';
import { asMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { allocate, commonDtype, dtypeOf } from './dtype.js';
import { argminRowsKernel, rowSqNormsKernel, sqDistancesKernel } from './kernels/dispatch.js';

/**
 * Squared Euclidean norm of every row.
 *
 * @param X - (nSamples, nFeatures)
 * @returns length nSamples, float32 for float32 input
 *
 * @example
 * ```ts
 * Array.from(rowSqNorms([[3, 4], [1, 0]])); // [25, 1]
 * ```
 */
export function rowSqNorms(X: MatrixInput): FloatArray {
  const x = asMatrix(X, 'X');
  const out = allocate(dtypeOf(x), x.rows);
  rowSqNormsKernel()(x.rows, x.cols, x.data, 0, x.cols, out);
  return out;
}

/**
 * All squared Euclidean distances between the rows of A and the rows of B, as
 * ‖a‖² + ‖b‖² − 2abᵀ (one matrix product, so it runs at GEMM speed), clamped at 0.
 * With B omitted (or B the same object as A), the distances of A to itself, with an
 * exact 0 diagonal.
 *
 * @param A - (m, d)
 * @param B - (n, d); defaults to A
 * @returns (m × n); float32 when both inputs are float32
 *
 * @example
 * ```ts
 * Array.from(sqDistances([[0, 0], [3, 4]]).data); // [0, 25, 25, 0]
 * ```
 */
export function sqDistances(A: MatrixInput, B?: MatrixInput): Matrix {
  const self = B === undefined || B === A;
  const a0 = asMatrix(A, 'A');
  const [a, b, dtype] = self ? [a0, a0, dtypeOf(a0)] as const : commonDtype(a0, asMatrix(B, 'B'));
  if (a.cols !== b.cols) {
    fail('SHAPE_MISMATCH', `B: rows have ${b.cols} features, expected ${a.cols} (the width of A)`);
  }
  const C = allocate(dtype, a.rows * b.rows);
  sqDistancesKernel()(a.rows, b.rows, a.cols, a.data, 0, a.cols, null, b.data, 0, b.cols, null, C, 0, b.rows);
  // Cancellation leaves tiny non-zero self-distances; a point is at distance 0 from itself.
  if (self) for (let i = 0; i < a.rows; i++) C[i * a.rows + i] = 0;
  return { rows: a.rows, cols: b.rows, data: C };
}

/** Result of {@link argminRows}. */
export interface ArgminResult {
  /** Column of the smallest entry of each row (the first one on ties). */
  index: Int32Array;
  /** The smallest entry of each row. */
  values: FloatArray;
}

/**
 * Index and value of the smallest entry of each row, e.g. the nearest centroid from a
 * distance matrix.
 *
 * @param D - (m, n)
 *
 * @example
 * ```ts
 * Array.from(argminRows([[3, 1, 2], [0, 5, 0]]).index); // [1, 0]
 * ```
 */
export function argminRows(D: MatrixInput): ArgminResult {
  const d = asMatrix(D, 'D');
  const index = new Int32Array(d.rows);
  const values = allocate(dtypeOf(d), d.rows);
  argminRowsKernel()(d.rows, d.cols, d.data, 0, d.cols, index, values);
  return { index, values };
}
