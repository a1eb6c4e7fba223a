// The passes of a self-organizing map over X besides the distance kernel: the column
// ranges and the float32 mirror (made once per fit), and, every epoch, each row's exact
// distance to its winner with the per-unit sums of the rows won. Each fixes its order of
// additions, which the WebAssembly twins (src/wasm/assembly/som.ts) keep lane by lane, so
// both backends give the same bits.
import type { FloatArray } from '../../core/matrix.js';
import { sqDistanceAt } from '../rows.js';

/**
 * Σ(x[xo + q] − W[wo + q])² (the order of additions of ../rows.ts `sqDistanceAt`: four
 * partial sums by q mod 4, the leftover columns in the first, (s₀ + s₁) + (s₂ + s₃)),
 * while adding the row into S[wo + q], in one read of the row.
 */
function distanceAndSum(x: FloatArray, xo: number, W: Float64Array, wo: number, d: number, S: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let q = 0;
  for (; q + 4 <= d; q += 4) {
    const v0 = x[xo + q]!, v1 = x[xo + q + 1]!, v2 = x[xo + q + 2]!, v3 = x[xo + q + 3]!;
    const t0 = v0 - W[wo + q]!, t1 = v1 - W[wo + q + 1]!, t2 = v2 - W[wo + q + 2]!, t3 = v3 - W[wo + q + 3]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
    S[wo + q] = S[wo + q]! + v0;
    S[wo + q + 1] = S[wo + q + 1]! + v1;
    S[wo + q + 2] = S[wo + q + 2]! + v2;
    S[wo + q + 3] = S[wo + q + 3]! + v3;
  }
  for (; q < d; q++) {
    const v = x[xo + q]!;
    const t = v - W[wo + q]!;
    s0 += t * t;
    S[wo + q] = S[wo + q]! + v;
  }
  return (s0 + s1) + (s2 + s3);
}

/**
 * For the m rows of X (m × d, contiguous), in order: out[i] ← ‖X[i] − W[u]‖² for its unit
 * u = labels[i] (float64, the additions of `sqDistanceAt`), sums[u·d …] += X[i] and
 * counts[u] += 1. The batch map's pass over X once its winners are known: the exact
 * distances (the quantization error) and what the update averages.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2), sums = new Float64Array(1), counts = new Float64Array(1);
 * assignedSums(2, 1, new Float64Array([1, 3]), new Float64Array([2]), new Int32Array(2), out, sums, counts);
 * // out [1, 1], sums [4], counts [2]
 * ```
 */
export function assignedSums<F extends FloatArray>(m: number, d: number, X: F, W: Float64Array, labels: Int32Array, out: Float64Array, sums: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const u = labels[i]!;
    out[i] = distanceAndSum(X, i * d, W, u * d, d, sums);
    counts[u] = counts[u]! + 1;
  }
}

/**
 * out[t] ← ‖X[rows[t]] − W[units[t]]‖² for t < count (X: rows of d entries; float64, the
 * additions of `sqDistanceAt`): the exact distances of a batch of (row, candidate unit)
 * pairs, the near ties that the screening could not tell apart.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * pairSqDistances(2, 1, new Float64Array([1, 3]), 2, Int32Array.of(1, 0), new Float64Array([0, 2]), Int32Array.of(0, 1), out);
 * // out [9, 1]
 * ```
 */
export function pairSqDistances<F extends FloatArray>(count: number, d: number, X: F, _n: number, rows: Int32Array, W: Float64Array, units: Int32Array, out: Float64Array): void {
  for (let t = 0; t < count; t++) out[t] = sqDistanceAt(X, rows[t]! * d, W, units[t]! * d, d);
}

/**
 * lo[j] ← the smallest and hi[j] ← the largest entry of column j of X (m × d, contiguous,
 * m ≥ 1), each kept from the first row on and replaced only by a strictly smaller (larger)
 * entry: the columns that are constant over the data have lo[j] === hi[j].
 *
 * @example
 * ```ts
 * const lo = new Float64Array(2), hi = new Float64Array(2);
 * columnRanges(2, 2, new Float64Array([1, 5, 3, 5]), lo, hi); // lo [1, 5], hi [3, 5]
 * ```
 */
export function columnRanges(m: number, d: number, X: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let j = 0; j < d; j++) lo[j] = hi[j] = X[j]!;
  for (let i = 1, p = d; i < m; i++) {
    for (let j = 0; j < d; j++, p++) {
      const v = X[p]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
}

/**
 * Y[i][t] ← float32(X[i][cols[t]] − shift[t]) for t < width (Y: m × width) and
 * norms[i] ← Σₜ (X[i][cols[t]] − shift[t])², summed in float64 in the order of t: the
 * float32 mirror of the columns that vary, centred (X: m × d, contiguous).
 *
 * @example
 * ```ts
 * const Y = new Float32Array(2), norms = new Float64Array(1);
 * shiftColumnsToFloat32(1, 3, new Float64Array([4, 7, 5]), 2, Int32Array.of(0, 2), new Float64Array([1, 1]), Y, norms);
 * // Y [3, 4], norms [25]
 * ```
 */
export function shiftColumnsToFloat32(m: number, d: number, X: Float64Array, width: number, cols: Int32Array, shift: Float64Array, Y: Float32Array, norms: Float64Array): void {
  for (let i = 0, p = 0; i < m; i++) {
    let s = 0;
    for (let t = 0; t < width; t++, p++) {
      const v = X[i * d + cols[t]!]! - shift[t]!;
      Y[p] = v;
      s += v * v;
    }
    norms[i] = s;
  }
}
