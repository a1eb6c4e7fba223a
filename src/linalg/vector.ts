import { fail, finiteResult, finiteResults } from '../core/errors.js';
import { asVector } from '../core/matrix.js';
import { checkNumber } from '../core/options.js';
import { axpyKernel, dotKernel } from './kernels/dispatch.js';

function checkSameLength(x: Float64Array, y: Float64Array): void {
  if (x.length !== y.length) fail('SHAPE_MISMATCH', `y: received ${y.length} values, expected ${x.length} (the length of x)`);
}

/**
 * Dot product Σ xᵢ·yᵢ.
 *
 * @example
 * ```ts
 * dot([1, 2, 3], [4, 5, 6]); // 32
 * ```
 */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const a = asVector(x, 'x');
  const b = asVector(y, 'y');
  checkSameLength(a, b);
  return finiteResult(dotKernel()(a.length, a, 1, 0, b, 1, 0), 'x, y', 'their dot product');
}

/**
 * alpha · x + y as a new array (the inputs are not modified).
 *
 * @example
 * ```ts
 * Array.from(axpy(2, [1, 2], [10, 20])); // [12, 24]
 * ```
 */
export function axpy(alpha: number, x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  checkNumber(alpha, 'alpha');
  const a = asVector(x, 'x');
  const out = Float64Array.from(asVector(y, 'y'));
  checkSameLength(a, out);
  axpyKernel()(a.length, alpha, a, 1, 0, out, 1, 0);
  return finiteResults(out, 'alpha, x, y', 'an entry of alpha·x + y');
}
