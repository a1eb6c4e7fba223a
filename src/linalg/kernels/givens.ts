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

/**
 * Applies the rotations j = j0 … j1−1 (cosines cs[j], sines sn[j]), in that order, each
 * to rows j and j + 1 of X (rows of length n from offset offX, leading dimension ld), as
 * `rotateRows` would one after another — the same operations on every entry, so the same
 * bits — but three at a time in one pass over four rows: each entry is loaded and stored
 * once per pass instead of once per rotation (a QR sweep's rotations, 12n³ flops of the
 * bidiagonal SVD, are bound by those moves). Identity rotations are skipped, as
 * `rotateRows` skips them. The TypeScript `rotateChain` kernel (WebAssembly: 2 entries per
 * SIMD lane pair, the same bits).
 *
 * @example
 * ```ts
 * const X = new Float64Array([1, 0, 0]); // three rows of one entry
 * rotateChain(1, X, 0, 1, 0, 2, new Float64Array([0, 0]), new Float64Array([1, 1]));
 * Array.from(X); // [0, 0, -1]: rows (0, 1) then (1, 2) turned by 90°
 * ```
 */
export function rotateChain(n: number, X: Float64Array, offX: number, ld: number, j0: number, j1: number, cs: Float64Array, sn: Float64Array): void {
  let j = j0;
  while (j < j1) {
    if (j + 3 <= j1 && !isIdentity(cs, sn, j) && !isIdentity(cs, sn, j + 1) && !isIdentity(cs, sn, j + 2)) {
      const r0 = offX + j * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      const c0 = cs[j]!, s0 = sn[j]!, c1 = cs[j + 1]!, s1 = sn[j + 1]!, c2 = cs[j + 2]!, s2 = sn[j + 2]!;
      for (let q = 0; q < n; q++) {
        const x0 = X[r0 + q]!, x1 = X[r1 + q]!;
        X[r0 + q] = c0 * x0 + s0 * x1;
        const y1 = c0 * x1 - s0 * x0;
        const x2 = X[r2 + q]!;
        X[r1 + q] = c1 * y1 + s1 * x2;
        const y2 = c1 * x2 - s1 * y1;
        const x3 = X[r3 + q]!;
        X[r2 + q] = c2 * y2 + s2 * x3;
        X[r3 + q] = c2 * x3 - s2 * y2;
      }
      j += 3;
    } else {
      rotateRows(n, X, offX + j * ld, offX + (j + 1) * ld, cs[j]!, sn[j]!);
      j++;
    }
  }
}

const isIdentity = (cs: Float64Array, sn: Float64Array, j: number): boolean => sn[j] === 0 && cs[j] === 1;
