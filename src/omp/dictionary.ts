import { fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';

/** How far an atom's norm may be from 1. */
export const NORM_TOLERANCE = 1e-6;

/**
 * Checks that every row (atom) of D has unit Euclidean norm within {@link NORM_TOLERANCE}.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` naming the first atom that is not
 *
 * @example
 * ```ts
 * checkUnitRows({ rows: 1, cols: 2, data: Float64Array.of(0.6, 0.8) }, 'D'); // passes
 * ```
 */
export function checkUnitRows(D: Matrix, name: string): void {
  const { rows, cols, data } = D;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * cols; j < (i + 1) * cols; j++) s += data[j]! * data[j]!;
    const norm = Math.sqrt(s);
    if (!(Math.abs(norm - 1) <= NORM_TOLERANCE)) {
      fail('INVALID_INPUT', `${name}: atom (row) ${i} has norm ${norm}, expected unit-norm rows (within ${NORM_TOLERANCE}); normalise the dictionary's rows first (divide each row by its Euclidean norm)`);
    }
  }
}

/**
 * Squared Euclidean norm of every row of a matrix, as float64.
 *
 * @example
 * ```ts
 * Array.from(rowNorms2({ rows: 2, cols: 2, data: Float64Array.of(3, 4, 1, 0) })); // [25, 1]
 * ```
 */
export function rowNorms2(X: Matrix): Float64Array {
  const { rows, cols, data } = X;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * cols; j < (i + 1) * cols; j++) s += data[j]! * data[j]!;
    out[i] = s;
  }
  return out;
}
