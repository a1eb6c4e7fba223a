// Plane rotations on rows of row-major matrices. The QL/QR iterations of the symmetric
// tridiagonal and bidiagonal problems accumulate their vectors transposed (one vector per
// row), so every rotation updates two contiguous rows rather than two strided columns.

/**
 * Rows a and b (length n, starting at offsets `a` and `b` of X) become
 * (c·a + s·b, c·b − s·a).
 *
 * @example
 * ```ts
 * const X = new Float64Array([1, 2, 3, 4]);
 * rotateRows(2, X, 0, 2, 0, 1); // a 90° rotation: rows become (row b, −row a)
 * Array.from(X);                // [3, 4, -1, -2]
 * ```
 */
export function rotateRows(n: number, X: Float64Array, a: number, b: number, c: number, s: number): void {
  if (s === 0 && c === 1) return;
  for (let k = 0; k < n; k++) {
    const x = X[a + k]!, y = X[b + k]!;
    X[a + k] = c * x + s * y;
    X[b + k] = c * y - s * x;
  }
}

/**
 * Swaps rows a and b (length n, at offsets `a` and `b`) of X.
 *
 * @example
 * ```ts
 * const X = new Float64Array([1, 2, 3, 4]);
 * swapRows(2, X, 0, 2);
 * Array.from(X); // [3, 4, 1, 2]
 * ```
 */
export function swapRows(n: number, X: Float64Array, a: number, b: number): void {
  for (let k = 0; k < n; k++) {
    const t = X[a + k]!;
    X[a + k] = X[b + k]!;
    X[b + k] = t;
  }
}

/**
 * Identity (n × n) into X at offset `off` with leading dimension `ld` (entries of those
 * rows beyond the first n are left untouched).
 *
 * @example
 * ```ts
 * const X = new Float64Array(6).fill(7);
 * setIdentity(2, X, 0, 3);
 * Array.from(X); // [1, 0, 7, 0, 1, 7]
 * ```
 */
export function setIdentity(n: number, X: Float64Array, off: number, ld: number): void {
  for (let i = 0; i < n; i++) {
    const row = off + i * ld;
    X.fill(0, row, row + n);
    X[row + i] = 1;
  }
}

/**
 * Reorders rows: row i of the result is row `order[i]` of X (n rows of length `len`,
 * leading dimension `ld`), through a scratch copy. Returns X.
 *
 * @example
 * ```ts
 * const X = new Float64Array([1, 2, 3, 4, 5, 6]);
 * Array.from(permuteRows(new Int32Array([2, 0, 1]), 2, X, 0, 2)); // [5, 6, 1, 2, 3, 4]
 * ```
 */
export function permuteRows(order: Int32Array, len: number, X: Float64Array, off: number, ld: number): Float64Array {
  const n = order.length;
  const copy = new Float64Array(n * len);
  for (let i = 0; i < n; i++) copy.set(X.subarray(off + i * ld, off + i * ld + len), i * len);
  for (let i = 0; i < n; i++) {
    const src = order[i]! * len;
    X.set(copy.subarray(src, src + len), off + i * ld);
  }
  return X;
}

/**
 * Indices 0 … n−1 ordered by `key[keyOff + i]` (ascending, or descending), ties in
 * index order.
 *
 * @example
 * ```ts
 * Array.from(argsort(4, new Float64Array([2, 5, 2, 1]), true)); // [1, 0, 2, 3]
 * ```
 */
export function argsort(n: number, key: Float64Array, descending: boolean, keyOff = 0): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const sign = descending ? -1 : 1;
  idx.sort((a, b) => sign * (key[keyOff + a]! - key[keyOff + b]!) || a - b);
  return idx;
}
