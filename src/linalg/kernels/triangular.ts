// Triangular solves on row-major (array, offset, leading dimension) data, unvalidated.
// Whatever the combination of lower/upper and transpose, the loops are arranged to read
// the triangular matrix along its rows: op(A) = A uses dot products with rows of A, and
// op(A) = Aᵀ uses axpy updates with rows of A (the column-oriented algorithm of Aᵀ).

/**
 * Solves op(A)·x = b in place (x holds b on entry) for the triangular A (n × n):
 * `lower` selects the triangle read, `trans` solves with Aᵀ, `unit` assumes a unit
 * diagonal (not read). Forward substitution when the effective matrix is lower
 * (lower and not trans, or upper and trans), back substitution otherwise. No check for
 * zero pivots: the caller guarantees a non-singular A.
 *
 * @example
 * ```ts
 * const L = new Float64Array([2, 0, 1, 4]); // [[2, 0], [1, 4]]
 * const x = new Float64Array([2, 9]);
 * trsv(true, false, false, 2, L, 0, 2, x, 0, 1);
 * Array.from(x); // [1, 2]
 * ```
 */
export function trsv(
  lower: boolean, trans: boolean, unit: boolean, n: number,
  A: Float64Array, offA: number, lda: number, x: Float64Array, offX: number, incX: number,
): void {
  const forward = lower !== trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const row = offA + i * lda;
    const xi = offX + i * incX;
    if (!trans) {
      // x_i = (b_i − Σ A[i][j]·x_j) / A[i][i] over the already solved j.
      const j0 = lower ? 0 : i + 1, j1 = lower ? i : n;
      let acc = x[xi]!;
      for (let j = j0, p = offX + j0 * incX; j < j1; j++, p += incX) acc -= A[row + j]! * x[p]!;
      x[xi] = unit ? acc : acc / A[row + i]!;
    } else {
      // x_i is final; remove its contribution A[i][j]·x_i from the unsolved b_j.
      const v = unit ? x[xi]! : x[xi]! / A[row + i]!;
      x[xi] = v;
      const j0 = lower ? 0 : i + 1, j1 = lower ? i : n;
      for (let j = j0, p = offX + j0 * incX; j < j1; j++, p += incX) x[p] = x[p]! - A[row + j]! * v;
    }
  }
}

/**
 * Adds row `size` to the lower-triangular factor L stored row-major in `data` (leading
 * dimension ld), for a matrix grown by one row and column (v, diag): on entry row `size`
 * holds v (its first `size` entries); it is replaced by w = L⁻¹·v, and the pivot
 * d² = diag − w·w is returned. When d² > 0, L[size][size] = √d² is written as well;
 * otherwise nothing else is touched and the caller decides what a non-positive (or
 * nearly zero) pivot means. Unvalidated kernel.
 *
 * @example
 * ```ts
 * const data = new Float64Array(4);    // room for a 2 × 2 factor
 * choleskyAppendKernel(0, 2, data, 4); // 4: L = [2]
 * data[2] = 2;                         // v = [2]
 * choleskyAppendKernel(1, 2, data, 5); // 4: L = [[2, 0], [1, 2]]
 * ```
 */
export function choleskyAppendKernel(size: number, ld: number, data: Float64Array, diag: number): number {
  const row = size * ld;
  trsv(true, false, false, size, data, 0, ld, data, row, 1);
  let ww = 0;
  for (let j = row; j < row + size; j++) ww += data[j]! * data[j]!;
  const pivot = diag - ww;
  if (pivot > 0) data[row + size] = Math.sqrt(pivot);
  return pivot;
}

/**
 * Solves op(A)·X = B in place (X holds B on entry) for the triangular A (n × n) and B
 * (n × nrhs, leading dimension ldb); the same conventions as {@link trsv}, with every
 * scalar operation on x becoming an operation on a contiguous row of B.
 *
 * @example
 * ```ts
 * const U = new Float64Array([2, 1, 0, 4]); // [[2, 1], [0, 4]]
 * const B = new Float64Array([4, 6, 8, 8]); // two right-hand sides
 * trsm(false, false, false, 2, 2, U, 0, 2, B, 0, 2);
 * Array.from(B); // [1, 2, 2, 2]
 * ```
 */
export function trsm(
  lower: boolean, trans: boolean, unit: boolean, n: number, nrhs: number,
  A: Float64Array, offA: number, lda: number, B: Float64Array, offB: number, ldb: number,
): void {
  const forward = lower !== trans;
  for (let s = 0; s < n; s++) {
    const i = forward ? s : n - 1 - s;
    const row = offA + i * lda;
    const bi = offB + i * ldb;
    const j0 = lower ? 0 : i + 1, j1 = lower ? i : n;
    if (!trans) {
      for (let j = j0; j < j1; j++) rowAxpy(nrhs, -A[row + j]!, B, offB + j * ldb, bi);
      if (!unit) rowDivide(nrhs, A[row + i]!, B, bi);
    } else {
      if (!unit) rowDivide(nrhs, A[row + i]!, B, bi);
      for (let j = j0; j < j1; j++) rowAxpy(nrhs, -A[row + j]!, B, bi, offB + j * ldb);
    }
  }
}

function rowAxpy(n: number, alpha: number, X: Float64Array, from: number, to: number): void {
  if (alpha === 0) return;
  for (let c = 0; c < n; c++) X[to + c] = X[to + c]! + alpha * X[from + c]!;
}

// Division rather than multiplication by the reciprocal: the same roundings as trsv.
function rowDivide(n: number, divisor: number, X: Float64Array, at: number): void {
  for (let c = 0; c < n; c++) X[at + c] = X[at + c]! / divisor;
}
