import type { Matrix } from '../core/matrix.js';

/**
 * Copies rows [start, end) of X minus `mean` into `out` (row-major, float64), only the
 * columns `cols` when given. Centring before any product keeps the precision that
 * subtracting n·μμᵀ afterwards would lose.
 */
export function centerRows(x: Matrix, mean: Float64Array, start: number, end: number, out: Float64Array, cols: Int32Array | null = null): void {
  const { cols: d, data } = x;
  if (cols !== null) {
    for (let i = start, o = 0; i < end; i++) {
      const row = i * d;
      for (let t = 0; t < cols.length; t++, o++) out[o] = data[row + cols[t]!]! - mean[cols[t]!]!;
    }
    return;
  }
  for (let i = start, o = 0; i < end; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++, o++) out[o] = data[row + j]! - mean[j]!;
  }
}

/** X − mean as a new float64 matrix. */
export function centered(x: Matrix, mean: Float64Array): Matrix<Float64Array> {
  const out = new Float64Array(x.rows * x.cols);
  centerRows(x, mean, 0, x.rows, out);
  return { rows: x.rows, cols: x.cols, data: out };
}

/** Σᵢⱼ (xᵢⱼ − μⱼ)²: the total sum of squares about the mean, without a centred copy. */
export function sumOfSquares(x: Matrix, mean: Float64Array): number {
  const { rows, cols, data } = x;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[row + j]! - mean[j]!;
      total += v * v;
    }
  }
  return total;
}
