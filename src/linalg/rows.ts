// Small unvalidated helpers on rows of row-major arrays, for the modules' inner loops.
import type { FloatArray, Matrix } from '../core/matrix.js';

/**
 * Squared distance between row i of a and row j of b (d features), from the differences.
 *
 * @example
 * ```ts
 * rowSqDistance(new Float64Array([0, 0]), 0, new Float64Array([3, 4]), 0, 2); // 25
 * ```
 */
export function rowSqDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  return sqDistanceAt(a, i * d, b, j * d, d);
}

/**
 * Σ(a[ao + q] − b[bo + q])² over q < d, in float64: the exact form that the GEMM form
 * ‖a‖² + ‖b‖² − 2a·b approximates.
 *
 * @example
 * ```ts
 * sqDistanceAt(new Float32Array([1e8, 0]), 0, new Float64Array([1e8 + 1, 0]), 0, 2); // 1
 * ```
 */
export function sqDistanceAt(a: FloatArray, ao: number, b: FloatArray, bo: number, d: number): number {
  // Four independent partial sums: the additions pipeline instead of waiting on each other.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let q = 0;
  for (; q + 4 <= d; q += 4) {
    const t0 = a[ao + q]! - b[bo + q]!, t1 = a[ao + q + 1]! - b[bo + q + 1]!;
    const t2 = a[ao + q + 2]! - b[bo + q + 2]!, t3 = a[ao + q + 3]! - b[bo + q + 3]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  for (; q < d; q++) {
    const t = a[ao + q]! - b[bo + q]!;
    s0 += t * t;
  }
  return (s0 + s1) + (s2 + s3);
}

/**
 * The factor f for which a squared distance computed in the GEMM form,
 * ‖a‖² + ‖b‖² − 2a·b, errs by less than f·(‖a‖ + ‖b‖)²/2 (two such distances compared
 * differ by less than f·(‖a‖ + ‖b‖)²): γ_{d+5} = (d + 5)u / (1 − (d + 5)u) for unit
 * roundoff u bounds a dot product of length d in any summation order by γ_d Σ|aⱼbⱼ|
 * (Higham, Accuracy and Stability of Numerical Algorithms, §3.1); rounding the inputs, the
 * norms and the final additions add a few units; two distances compared, each with its
 * error, and a factor 2 of margin make 4γ. A GEMM-form distance below this bound may be
 * all rounding (at an offset of 1e8, ‖a − b‖² = 1 comes out as 0): measure it again
 * from the differences ({@link sqDistanceAt}).
 *
 * @example
 * ```ts
 * gemmDistanceBound(2, 'float64'); // 3.1e-15: 4·7·2⁻⁵³, and a little
 * ```
 */
export function gemmDistanceBound(d: number, dtype: 'float32' | 'float64'): number {
  const nu = (d + 5) * (dtype === 'float32' ? 2 ** -24 : 2 ** -53);
  return (4 * nu) / (1 - nu);
}

/**
 * The mean of every column of X, weighted by `weights` when given: Σ wᵢxᵢ / total, the rows
 * summed in order (total defaults to Σ wᵢ, or the number of rows). The one column mean of the
 * library (PCA's centring, k-means' shift, latent's centring).
 *
 * @example
 * ```ts
 * Array.from(columnMeans({ rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 6]) })); // [2, 4]
 * ```
 */
export function columnMeans(X: Matrix, weights?: Float64Array, total?: number): Float64Array {
  const { rows, cols, data } = X;
  const mean = new Float64Array(cols);
  columnSums(rows, cols, data, weights ?? null, mean);
  let by = total ?? rows;
  if (total === undefined && weights !== undefined) {
    by = 0;
    for (let i = 0; i < rows; i++) by += weights[i]!;
  }
  for (let j = 0; j < cols; j++) mean[j] = mean[j]! / by;
  return mean;
}

/**
 * sums[j] ← Σᵢ w[i]·X[i][j] (w[i] = 1 when `weights` is null), rows added in order; returns
 * max |X[i][j]|. Column means and the data's scale in one pass.
 *
 * @example
 * ```ts
 * const sums = new Float64Array(2);
 * columnSums(2, 2, new Float64Array([1, -5, 3, 2]), null, sums); // 5 (sums: [4, -3])
 * ```
 */
export function columnSums<F extends FloatArray>(m: number, d: number, X: F, weights: Float64Array | null, sums: Float64Array): number {
  sums.fill(0, 0, d);
  let top = 0, i = 0;
  // Four rows per sweep: each sum is loaded and stored once per four rows, and its four
  // additions stay in row order, ((s + x₀) + x₁) + …, so the sums are those of one row at
  // a time, bit for bit (2–3× faster on MNIST's 10,000 × 784).
  for (; i + 4 <= m; i += 4) {
    const r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
    const w0 = weights === null ? 1 : weights[i]!, w1 = weights === null ? 1 : weights[i + 1]!;
    const w2 = weights === null ? 1 : weights[i + 2]!, w3 = weights === null ? 1 : weights[i + 3]!;
    for (let j = 0; j < d; j++) {
      const v0 = X[r0 + j]!, v1 = X[r1 + j]!, v2 = X[r2 + j]!, v3 = X[r3 + j]!;
      sums[j] = weights === null ? (((sums[j]! + v0) + v1) + v2) + v3 : (((sums[j]! + w0 * v0) + w1 * v1) + w2 * v2) + w3 * v3;
      const a0 = Math.abs(v0), a1 = Math.abs(v1), a2 = Math.abs(v2), a3 = Math.abs(v3);
      if (a0 > top) top = a0;
      if (a1 > top) top = a1;
      if (a2 > top) top = a2;
      if (a3 > top) top = a3;
    }
  }
  for (; i < m; i++) {
    const row = i * d, w = weights === null ? 1 : weights[i]!;
    for (let j = 0; j < d; j++) {
      const v = X[row + j]!;
      sums[j] = sums[j]! + (weights === null ? v : w * v);
      const a = Math.abs(v);
      if (a > top) top = a;
    }
  }
  return top;
}
