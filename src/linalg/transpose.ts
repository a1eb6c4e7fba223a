/** Side of the square tiles: a tile's rows read and columns written both stay in cache. */
const TILE = 32;

/**
 * The transpose of a row-major (m × n) array, as a new row-major (n × m) Float64Array,
 * copied tile by tile. Unvalidated: callers pass consistent sizes.
 *
 * @example
 * ```ts
 * Array.from(transposeArray(2, 3, [1, 2, 3, 4, 5, 6])); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export function transposeArray(m: number, n: number, data: ArrayLike<number>): Float64Array {
  const out = new Float64Array(m * n);
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, m);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, n);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * m + i] = data[i * n + j]!;
      }
    }
  }
  return out;
}
