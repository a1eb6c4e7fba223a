// Argument checks shared by the latent functions: codes given as a matrix or as a single
// vector, row indices, per-row amounts, class labels.
import { describe, fail } from '../core/errors.js';
import { asMatrix, asVector, isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { columnMeans } from '../linalg/rows.js';

/**
 * Codes: a matrix of rows (any input `asMatrix` accepts), or one code as a plain vector
 * (`number[]` or a typed array), which counts as a matrix of one row.
 *
 * @example
 * ```ts
 * const one: CodesInput = [0.5, -1.2, 3];          // one code of dimension 3
 * const many: CodesInput = [[0, 1, 2], [3, 4, 5]]; // two codes
 * ```
 */
export type CodesInput = MatrixInput | ArrayLike<number>;

/** True for a plain vector: an array whose first entry is a number, or a typed array. */
function isVectorLike(input: unknown): input is ArrayLike<number> {
  if (Array.isArray(input)) return input.length > 0 && typeof input[0] === 'number';
  return ArrayBuffer.isView(input) && !(input instanceof DataView);
}

/**
 * Codes as a validated Matrix (float32 kept), a single vector as one row; `name` is used in
 * errors.
 *
 * @example
 * ```ts
 * asCodes([1, 2, 3], 'z').rows; // 1
 * ```
 */
export function asCodes(input: CodesInput, name: string): Matrix {
  if (!isMatrix(input) && isVectorLike(input)) {
    const v = asVector(input, name);
    return { rows: 1, cols: v.length, data: v };
  }
  return asMatrix(input as MatrixInput, name);
}

/**
 * Checks that codes have `d` columns, naming both arguments.
 *
 * @example
 * ```ts
 * sameWidth(asCodes([[1, 2]], 'Z'), 2, 'Z', 'E'); // passes
 * ```
 */
export function sameWidth(m: Matrix, d: number, name: string, other: string): void {
  if (m.cols !== d) fail('SHAPE_MISMATCH', `${name}: codes of dimension ${m.cols}, expected ${d} (the dimension of ${other})`);
}

/**
 * A row index in [0, n), naming the argument.
 *
 * @example
 * ```ts
 * checkIndex(3, 10, 'a'); // 3
 * ```
 */
export function checkIndex(value: unknown, n: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= n) {
    fail('INVALID_INPUT', `${name}: received ${describe(value)}, expected a row index, an integer in [0, ${n - 1}]`);
  }
  return value;
}

/**
 * The mean of the rows of a matrix, in float64.
 *
 * @example
 * ```ts
 * rowMean(asCodes([[0, 2], [2, 4]], 'Z')); // Float64Array [1, 3]
 * ```
 */
export function rowMean(m: Matrix): Float64Array {
  return columnMeans(m, undefined, m.rows);
}

/**
 * The classes of a labelling, sorted, and each label's position among them.
 *
 * @example
 * ```ts
 * const { values, index } = checkLabels([7, 3, 7], 3);
 * [Array.from(values), Array.from(index)]; // [[3, 7], [1, 0, 1]]
 * ```
 */
export interface Classes {
  /** The distinct labels, ascending. */
  readonly values: Int32Array;
  /** For every labelled row, the position of its label in `values`. */
  readonly index: Int32Array;
}

/**
 * Checks class labels (non-negative integers, one per labelled row) and numbers their
 * classes. Negative values are refused with a word on scikit-learn's −1 convention,
 * which here is expressed by leaving a row out of the labelled ones.
 *
 * @example
 * ```ts
 * Array.from(checkLabels([7, 3, 7], 3).values); // [3, 7]
 * ```
 */
export function checkLabels(labels: ArrayLike<number>, count: number): Classes {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    fail('INVALID_INPUT', `labels: received ${describe(labels)}, expected an array of integer labels`);
  }
  if (labels.length !== count) {
    fail('SHAPE_MISMATCH', `labels: received ${labels.length} labels, expected ${count} (one per labelled index)`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      const hint = v === -1 ? ' (−1 marks an unlabelled row in scikit-learn; here, leave the row out of labelledIndices)' : '';
      fail('INVALID_INPUT', `labels: entry ${i} is ${describe(v)}, an unknown label value${hint}; expected a non-negative integer`);
    }
    seen.add(v);
  }
  const values = Int32Array.from(seen).sort();
  const position = new Map<number, number>();
  values.forEach((v, c) => position.set(v, c));
  return { values, index: Int32Array.from({ length: count }, (_, i) => position.get(labels[i]!)!) };
}
