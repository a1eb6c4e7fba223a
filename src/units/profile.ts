import { describe, fail } from '../core/errors.js';
import { asMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';

// Unit analysis on activation matrices (n inputs × units), whatever produced them: which
// classes a unit serves, how selectively, which inputs fire it most, and the average input
// weighted by how strongly it fires (Bau et al.). Everything here is plain data in, float64
// out; no network is involved.

/** Class labels checked against the rows they label. */
export interface Classes {
  /** One class index per row. */
  readonly labels: Int32Array;
  /** Number of classes: the largest label + 1. */
  readonly count: number;
  /** Rows of each class, (count); none is 0. */
  readonly sizes: Int32Array;
}

/**
 * Checks `labels` (n class indices 0 … k − 1, every class present at least once: a class
 * without rows has no mean) and counts the rows of each class.
 */
export function checkLabels(labels: ArrayLike<number>, n: number, name = 'labels'): Classes {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    fail('INVALID_INPUT', `${name}: received ${describe(labels)}, expected an array of ${n} class indices`);
  }
  if (labels.length !== n) fail('SHAPE_MISMATCH', `${name}: received ${labels.length} labels, expected ${n} (one per row)`);
  const out = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c > 0x7fffffff) {
      fail('INVALID_INPUT', `${name}[${i}]: received ${describe(c)}, expected a class index (an integer ≥ 0)`);
    }
    out[i] = c;
    if (c + 1 > count) count = c + 1;
  }
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) sizes[out[i]!]!++;
  const missing = sizes.indexOf(0);
  if (missing >= 0) {
    fail('INVALID_INPUT', `${name}: class ${missing} has no rows, expected every class from 0 to ${count - 1} to occur (relabel the classes present as 0, 1, …)`);
  }
  return { labels: out, count, sizes };
}

/**
 * Adds each row of (n × u) `data` into its class's row of `out` (classes × u), then divides
 * by the class sizes: the class means, accumulated in float64. `out` is overwritten.
 */
export function classMeansInto(data: FloatArray, n: number, u: number, classes: Classes, out: Float64Array): Float64Array {
  out.fill(0);
  const { labels, sizes } = classes;
  for (let i = 0; i < n; i++) {
    const o = labels[i]! * u, r = i * u;
    for (let j = 0; j < u; j++) out[o + j]! += data[r + j]!;
  }
  for (let k = 0; k < classes.count; k++) {
    const inv = 1 / sizes[k]!;
    for (let j = 0; j < u; j++) out[k * u + j]! *= inv;
  }
  return out;
}

/** The smallest entry of each column of (n × u) `data`. */
export function columnMinima(data: FloatArray, n: number, u: number, out: Float64Array): Float64Array {
  out.fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < u; j++) {
      const v = data[i * u + j]!;
      if (v < out[j]!) out[j] = v;
    }
  }
  return out;
}

/**
 * The selectivity index of every column of a class profile P (classes × u), each column
 * measured from its floor: with m = max_k (P_kj − floor_j) and o the mean of the other
 * classes' (P_kj − floor_j), s = (m − o) / (m + o), and 0 for a column that is flat.
 */
export function selectivityInto(P: Float64Array, classes: number, u: number, floors: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < u; j++) {
    let max = -Infinity, total = 0;
    for (let k = 0; k < classes; k++) {
      const v = P[k * u + j]! - floors[j]!;
      total += v;
      if (v > max) max = v;
    }
    const others = (total - max) / (classes - 1);
    const denominator = max + others;
    out[j] = denominator > 0 ? (max - others) / denominator : 0;
  }
  return out;
}

/**
 * The class profile: the mean activation of every unit over the inputs of each class.
 *
 * @param A - activations, (nInputs, nUnits): any matrix input, float32 or float64
 * @param labels - nInputs class indices 0 … k − 1, every class present
 * @returns (k, nUnits), float64: entry (c, j) is unit j's mean activation over class c
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when labels and rows disagree,
 *   `INVALID_INPUT` for a label that is not a class index or a class without rows
 *
 * @see Bau et al. (2020), "Understanding the role of individual units in a deep neural network", PNAS 117(48)
 *
 * @example
 * ```ts
 * const P = classProfile([[1, 0], [3, 0], [0, 5]], [0, 0, 1]);
 * Array.from(P.data); // [2, 0, 0, 5]
 * ```
 */
export function classProfile(A: MatrixInput, labels: ArrayLike<number>): Matrix<Float64Array> {
  const a = asMatrix(A, 'A');
  const classes = checkLabels(labels, a.rows);
  const data = classMeansInto(a.data, a.rows, a.cols, classes, new Float64Array(classes.count * a.cols));
  return { rows: classes.count, cols: a.cols, data };
}

/**
 * How concentrated each unit's mean activation is on its best class: the class-selectivity
 * index of Morcos et al., s = (μ_max − μ_others) / (μ_max + μ_others), where μ_max is the
 * unit's largest class mean and μ_others the mean of its other class means. It lies in
 * [0, 1], from 0 when every class gets the same mean to 1 when only one class makes the unit fire.
 *
 * Activations are measured from the unit's floor, its lowest activation over the inputs:
 * that is 0 for a ReLU unit that is silent at least once (then s is exactly Morcos et al.'s
 * index), and it makes the index meaningful for units that can be negative (tanh) and for
 * the directions of a rotated basis (see {@link isotropy}). A unit whose class means are all
 * equal (a dead unit, say) gets 0.
 *
 * @param A - activations, (nInputs, nUnits)
 * @param labels - nInputs class indices 0 … k − 1, every class present, k ≥ 2
 * @returns (nUnits) selectivities in [0, 1]
 * @throws {@link core!LatentSpaceError} as {@link classProfile}; `INVALID_INPUT` for one class
 *
 * @see Morcos et al. (2018), "On the importance of single directions for generalization", ICLR
 *
 * @example
 * ```ts
 * // Unit 0 fires for class 0 only; unit 1 fires equally for both.
 * Array.from(selectivity([[2, 1], [0, 1], [4, 1], [0, 1]], [0, 1, 0, 1])); // [1, 0]
 * ```
 */
export function selectivity(A: MatrixInput, labels: ArrayLike<number>): Float64Array {
  const a = asMatrix(A, 'A');
  const classes = checkLabels(labels, a.rows);
  if (classes.count < 2) fail('INVALID_INPUT', `labels: received one class, expected at least two (selectivity compares a unit's best class with the others)`);
  return selectivityOf(a, classes);
}

/** {@link selectivity} of checked inputs. */
export function selectivityOf(a: Matrix, classes: Classes): Float64Array {
  const u = a.cols;
  const P = classMeansInto(a.data, a.rows, u, classes, new Float64Array(classes.count * u));
  const floors = columnMinima(a.data, a.rows, u, new Float64Array(u));
  return selectivityInto(P, classes.count, u, floors, new Float64Array(u));
}

function checkUnit(unit: unknown, a: Matrix, name: string): number {
  return checkInt(unit, name, 0, a.cols - 1);
}

/**
 * The inputs that make a unit fire most: their row indices, by decreasing activation
 * (equal activations in row order).
 *
 * @param A - activations, (nInputs, nUnits)
 * @param unit - the column of A
 * @param k - how many indices, 1 … nInputs
 * @returns (k) row indices
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a unit or k out of range
 *
 * @example
 * ```ts
 * Array.from(topActivating([[0.1], [0.9], [0.5]], 0, 2)); // [1, 2]
 * ```
 */
export function topActivating(A: MatrixInput, unit: number, k: number): Int32Array {
  const a = asMatrix(A, 'A');
  const j = checkUnit(unit, a, 'topActivating: unit');
  const count = checkInt(k, 'topActivating: k', 1, a.rows);
  const { data, cols } = a;
  const order = Int32Array.from({ length: a.rows }, (_, i) => i);
  order.sort((p, q) => data[q * cols + j]! - data[p * cols + j]! || p - q);
  return order.slice(0, count);
}

/**
 * Options of {@link rectifiedMean}.
 * @example
 * ```ts
 * rectifiedMean(A, X, 42, { threshold: 1.5 }); // only inputs where unit 42 exceeds 1.5
 * ```
 */
export interface RectifiedMeanOptions {
  /**
   * Activations below it count as zero (≥ 0, so that no input counts negatively). Raise it
   * to average only the inputs where the unit fires strongly.
   * @defaultValue 0
   */
  threshold?: number;
}
const RECTIFIED_MEAN_OPTIONS = optionNames<RectifiedMeanOptions>()('threshold');

/**
 * The input a unit sees on average, weighted by how strongly it fires: Σᵢ wᵢ xᵢ / Σᵢ wᵢ
 * with wᵢ = aᵢ where the activation aᵢ reaches the threshold and 0 elsewhere, so inputs
 * that do not fire the unit count as zero, never negatively (Bau's "rectified" average
 * image). A unit that never reaches the threshold gives a vector of zeros.
 *
 * @param A - activations, (nInputs, nUnits)
 * @param X - the inputs, (nInputs, nFeatures), row i producing row i of A
 * @param unit - the column of A
 * @returns (nFeatures)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when A and X have different row counts,
 *   `INVALID_OPTION` for a unit out of range or a negative threshold
 *
 * @example
 * ```ts
 * // Weights 3 and 1 (the −2 counts as 0): (3·[1, 0] + 1·[0, 1]) / 4.
 * Array.from(rectifiedMean([[3], [1], [-2]], [[1, 0], [0, 1], [5, 5]], 0)); // [0.75, 0.25]
 * ```
 */
export function rectifiedMean(A: MatrixInput, X: MatrixInput, unit: number, options?: RectifiedMeanOptions): Float64Array {
  const opts = checkOptions(options, RECTIFIED_MEAN_OPTIONS, 'rectifiedMean: options');
  const threshold = checkNumber(opts.threshold ?? 0, 'rectifiedMean: threshold', 0);
  const a = asMatrix(A, 'A');
  const x = asMatrix(X, 'X');
  if (x.rows !== a.rows) fail('SHAPE_MISMATCH', `X: received ${x.rows} rows, expected ${a.rows} (one input per row of A)`);
  const j = checkUnit(unit, a, 'rectifiedMean: unit');
  const d = x.cols, out = new Float64Array(d);
  let total = 0;
  for (let i = 0; i < a.rows; i++) {
    const w = a.data[i * a.cols + j]!;
    if (!(w >= threshold) || w === 0) continue;
    total += w;
    for (let f = 0, o = i * d; f < d; f++) out[f]! += w * x.data[o + f]!;
  }
  if (total > 0) for (let f = 0; f < d; f++) out[f]! /= total;
  return out;
}
