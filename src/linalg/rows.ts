// Small unvalidated helpers on rows of row-major arrays, for the modules' inner loops.

/**
 * Squared distance between row i of a and row j of b (d features), from the differences.
 *
 * @example
 * ```ts
 * rowSqDistance(new Float64Array([0, 0]), 0, new Float64Array([3, 4]), 0, 2); // 25
 * ```
 */
export function rowSqDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let q = 0; q < d; q++) {
    const t = a[i * d + q]! - b[j * d + q]!;
    s += t * t;
  }
  return s;
}
