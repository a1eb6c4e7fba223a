/**
 * Sparse codes in compressed sparse row (CSR) form: row i (one signal) holds the atoms
 * `indices[indptr[i] .. indptr[i + 1])` with weights `values[…]`, indices increasing.
 *
 * @example
 * ```ts
 * const codes: SparseCodes = { rows: 1, cols: 3, indptr: Int32Array.of(0, 1), indices: Int32Array.of(2), values: Float64Array.of(0.5) };
 * codes.indices[0]; // 2
 * ```
 */
export interface SparseCodes {
  /** nSamples. */
  rows: number;
  /** nAtoms. */
  cols: number;
  /** (nSamples + 1) row offsets into `indices` and `values`. */
  indptr: Int32Array;
  /** Atom index of every stored weight, increasing within a row. */
  indices: Int32Array;
  /** The weights. */
  values: Float64Array;
}

/**
 * CSR form of a dense row-major (rows × cols) code matrix, keeping the entries that are
 * not zero. Unvalidated helper.
 *
 * @example
 * ```ts
 * const s = denseToSparse(Float64Array.of(0, 2, 0, 0, 0, 3), 2, 3);
 * [Array.from(s.indptr), Array.from(s.indices)]; // [[0, 1, 2], [1, 2]]
 * ```
 */
export function denseToSparse(data: Float64Array, rows: number, cols: number): SparseCodes {
  let nnz = 0;
  for (let k = 0; k < data.length; k++) if (data[k] !== 0) nnz++;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[row + j]!;
      if (v !== 0) {
        indices[p] = j;
        values[p++] = v;
      }
    }
    indptr[i + 1] = p;
  }
  return { rows, cols, indptr, indices, values };
}
