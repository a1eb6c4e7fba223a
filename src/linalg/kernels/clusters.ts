// The passes of a k-means fit over all of X besides the distances: column sums (the shift),
// the float32 mirror, the per-cluster sums and the distances to the assigned centres. Each
// fixes its order of additions, which the WebAssembly kernels keep lane by lane (SIMD over
// columns, or over rows for the row sums, never across a sum), so both backends give the
// same bits.
import type { FloatArray } from '../../core/matrix.js';
import { sqDistanceAt } from '../rows.js';
import { allocate } from '../dtype.js';
import { sqDistances } from './distances.js';

// The column sums are a row primitive (columnMeans is built on them); the kernel table takes them from here.
export { columnSums } from '../rows.js';

/**
 * sums[o …] += sign · Σ w[i]·x[row i] over rows[from … to) (row indices), eight rows per
 * sweep, so each entry of the sum is loaded and stored once per eight rows (measured 1.4×
 * faster than four on MNIST rows; the weights cost nothing measurable). Each entry adds
 * ((w₀x₀ + w₁x₁) + (w₂x₂ + w₃x₃)) + ((w₄x₄ + w₅x₅) + (w₆x₆ + w₇x₇)) per sweep, leftover
 * rows one at a time; w[i] is `sign` when `w` is undefined.
 *
 * @example
 * ```ts
 * const sums = new Float64Array(2);
 * addRows(sums, 0, new Float64Array([1, 2, 3, 4]), 2, Int32Array.of(0, 1), 0, 2, undefined);
 * sums; // Float64Array [4, 6]
 * ```
 */
export function addRows(sums: Float64Array, o: number, x: FloatArray, d: number, rows: Int32Array, from: number, to: number, w: Float64Array | undefined, sign = 1): void {
  const weight = (i: number): number => (w === undefined ? sign : sign * w[i]!);
  let t = from;
  for (; t + 8 <= to; t += 8) {
    const i0 = rows[t]!, i1 = rows[t + 1]!, i2 = rows[t + 2]!, i3 = rows[t + 3]!;
    const i4 = rows[t + 4]!, i5 = rows[t + 5]!, i6 = rows[t + 6]!, i7 = rows[t + 7]!;
    const p0 = i0 * d, p1 = i1 * d, p2 = i2 * d, p3 = i3 * d, p4 = i4 * d, p5 = i5 * d, p6 = i6 * d, p7 = i7 * d;
    const w0 = weight(i0), w1 = weight(i1), w2 = weight(i2), w3 = weight(i3);
    const w4 = weight(i4), w5 = weight(i5), w6 = weight(i6), w7 = weight(i7);
    for (let j = 0; j < d; j++) {
      sums[o + j] = sums[o + j]! + (((w0 * x[p0 + j]! + w1 * x[p1 + j]!) + (w2 * x[p2 + j]! + w3 * x[p3 + j]!)) +
        ((w4 * x[p4 + j]! + w5 * x[p5 + j]!) + (w6 * x[p6 + j]! + w7 * x[p7 + j]!)));
    }
  }
  for (; t < to; t++) {
    const i = rows[t]!, p = i * d, wi = weight(i);
    for (let j = 0; j < d; j++) sums[o + j] = sums[o + j]! + wi * x[p + j]!;
  }
}

/**
 * Per-cluster sums over segments of `order`, in segment order: segment s (three entries of
 * `segments` from 3s: cluster c, end e, sign ±1) adds sign · w·x of the rows
 * order[e_{s−1} … e_s) to sums[c·d …] ({@link addRows}; e_{−1} = 0). One call sums a whole
 * pass of k-means, block by block, in the order the blocks were labelled.
 *
 * @example
 * ```ts
 * const sums = new Float64Array(2);
 * clusterSums(3, 1, new Float64Array([1, 2, 4]), Int32Array.of(0, 2, 1), 2, Int32Array.of(1, 2, 1, 0, 3, -1), null, sums);
 * sums; // Float64Array [-2, 5]
 * ```
 */
export function clusterSums<F extends FloatArray>(_n: number, d: number, X: F, order: Int32Array, nSegments: number, segments: Int32Array, weights: Float64Array | null, sums: Float64Array): void {
  for (let s = 0, from = 0; s < nSegments; s++) {
    const c = segments[3 * s]!, to = segments[3 * s + 1]!;
    addRows(sums, c * d, X, d, order, from, to, weights ?? undefined, segments[3 * s + 2]!);
    from = to;
  }
}

/**
 * Y[i][j] ← float32(X[i][j] − shift[j]) and norms[i] ← Σⱼ (X[i][j] − shift[j])², summed in
 * float64 in the order of j: k-means' float32 mirror of its centred data.
 *
 * @example
 * ```ts
 * const Y = new Float32Array(2), norms = new Float64Array(1);
 * shiftToFloat32(1, 2, new Float64Array([4, 5]), new Float64Array([1, 1]), Y, norms); // Y [3, 4], norms [25]
 * ```
 */
export function shiftToFloat32(m: number, d: number, X: Float64Array, shift: Float64Array, Y: Float32Array, norms: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0, p = i * d; j < d; j++, p++) {
      const v = X[p]! - shift[j]!;
      Y[p] = v;
      s += v * v;
    }
    norms[i] = s;
  }
}

/**
 * out[t] ← ‖X[i] − C[labels[i]]‖² (`sqDistanceAt` of ../rows.ts, whose order of additions the WebAssembly kernel keeps) for i = t, t < count: each row's
 * squared distance to its own centre (the exact inertia, re-seeding, Hamerly's bounds).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * assignedSqDistances(2, 1, new Float64Array([0, 2]), new Float64Array([1]), new Int32Array(2), out); // out [1, 1]
 * ```
 */
export function assignedSqDistances<F extends FloatArray>(count: number, d: number, X: F, C: Float64Array, labels: Int32Array, out: Float64Array): void {
  for (let i = 0; i < count; i++) out[i] = sqDistanceAt(X, i * d, C, labels[i]! * d, d);
}

/**
 * out[r·d …] ← row index[offIndex + r] of X (rows of d entries), for r < m: the rows a
 * bounded k-means pass still has to measure, made contiguous for the distance kernel.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * gatherRows(2, 1, new Float64Array([5, 6, 7]), 3, Int32Array.of(2, 0), 0, out); // out [7, 5]
 * ```
 */
export function gatherRows<F extends FloatArray>(m: number, d: number, X: F, _n: number, index: Int32Array, offIndex: number, out: F): void {
  for (let r = 0; r < m; r++) {
    const i = index[offIndex + r]!;
    out.set(X.subarray(i * d, i * d + d), r * d);
  }
}

/**
 * Squared distances of the rows index[offIndex + r] (r < m) of X (rows of d entries) to
 * the nB rows of B, into C (m × nB): the rows gathered (gatherRows), then sqDistances.
 * `normsA[r]` is the r-th indexed row's squared norm term, `normsB` B's.
 *
 * @example
 * ```ts
 * const C = new Float64Array(2);
 * sqDistancesAt(2, 1, 1, new Float64Array([5, 6, 7]), 3, Int32Array.of(2, 0), 0, new Float64Array([49, 25]), new Float64Array([1]), new Float64Array([1]), C); // C [36, 16]
 * ```
 */
export function sqDistancesAt<F extends FloatArray>(
  m: number, nB: number, d: number, X: F, n: number, index: Int32Array, offIndex: number, normsA: F,
  B: F, normsB: F, C: F,
): void {
  const A = allocate(X instanceof Float32Array ? 'float32' : 'float64', m * d) as F;
  gatherRows(m, d, X, n, index, offIndex, A);
  sqDistances(m, nB, d, A, 0, d, normsA, B, 0, d, normsB, C, 0, nB);
}
