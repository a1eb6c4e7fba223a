import { describe, fail } from '../core/errors.js';
import { asRows, asVector, type FlatArray, type Matrix, type MatrixInput, type RowsInput } from '../core/matrix.js';
import { checkInt } from '../core/options.js';
import { checkModel, type SomModel } from './model.js';
import { UnitSearch, type Matches } from './search.js';
import { neighbours } from './topology.js';

/**
 * The best units of the rows of X against the model (and the second best with `two`);
 * `single` when X was one sample (a flat array).
 */
function matchRows(model: SomModel, X: RowsInput | FlatArray, two: boolean): Matches & { readonly single: boolean } {
  const m = checkModel(model);
  const { matrix: x, single } = asRows(X, 'X');
  const W = m.weights;
  if (x.cols !== W.cols) fail('SHAPE_MISMATCH', `X: rows have ${x.cols} features, expected ${W.cols} (the model's)`);
  const w = W.data instanceof Float64Array ? W.data : Float64Array.from(W.data);
  const search = new UnitSearch(x);
  try {
    return { ...search.find(w, W.rows, two), single };
  } finally {
    search.release();
  }
}

/**
 * The best-matching unit of every row: the unit whose weights are nearest (Euclidean; the
 * lowest index on ties). Distances come from the kernels, close calls are measured again
 * exactly, so the answer does not depend on the backend.
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 * @returns (nSamples) unit indices, row · width + column; for one sample, its unit index
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [9], [10]], { width: 2, height: 1 });
 * som.bmu(model, [[0.2], [9.7]]); // Int32Array [a, b] with a ≠ b
 * som.bmu(model, [9.7]); // b
 * ```
 */
export function bmu(model: SomModel, X: FlatArray): number;
export function bmu(model: SomModel, X: RowsInput): Int32Array;
export function bmu(model: SomModel, X: RowsInput | FlatArray): Int32Array | number;
export function bmu(model: SomModel, X: RowsInput | FlatArray): Int32Array | number {
  const { first, single } = matchRows(model, X, false);
  return single ? first[0]! : first;
}

/**
 * The quantization error: mean Euclidean distance of the rows to their best unit's weights.
 *
 * @param X - (nSamples, nFeatures)
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [2]], { width: 1, height: 1 });
 * som.quantizationError(model, [[0], [2]]); // 1 (both rows 1 away from the single unit at 1)
 * ```
 */
export function quantizationError(model: SomModel, X: MatrixInput): number {
  const { firstDist } = matchRows(model, X, false);
  let s = 0;
  for (let i = 0; i < firstDist.length; i++) s += Math.sqrt(firstDist[i]!);
  return s / firstDist.length;
}

/**
 * The topographic error: the share of rows whose best and second-best units are not
 * neighbours on the map (8 around a unit on a rectangular map, 6 on a hexagonal one,
 * across the edges when toroidal). 0 for a map that keeps the data's neighbourhoods. A
 * single-unit map has no second unit: 0.
 *
 * @param X - (nSamples, nFeatures)
 * @returns a share in [0, 1]
 *
 * @see Kiviluoto (1996), "Topology preservation in self-organizing maps", ICNN
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [2], [3]], { width: 4, height: 1 });
 * som.topographicError(model, [[0], [1], [2], [3]]); // 0 on a map that is in order
 * ```
 */
export function topographicError(model: SomModel, X: MatrixInput): number {
  const m = checkModel(model);
  const { first, second } = matchRows(m, X, true);
  if (m.weights.rows < 2) return 0;
  const { offsets, indices } = neighbours(m);
  let errors = 0;
  for (let i = 0; i < first.length; i++) {
    const a = first[i]!, b = second![i]!;
    let adjacent = false;
    for (let p = offsets[a]!; p < offsets[a + 1]!; p++) if (indices[p] === b) adjacent = true;
    if (!adjacent) errors++;
  }
  return errors / first.length;
}

/**
 * How many rows each unit wins (its hits).
 *
 * @param X - (nSamples, nFeatures)
 * @returns (width · height) counts, by unit index
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [9], [10]], { width: 2, height: 1 });
 * Array.from(som.hitMap(model, [[0], [1], [9], [10]])); // [2, 2]
 * ```
 */
export function hitMap(model: SomModel, X: MatrixInput): Int32Array {
  const { first } = matchRows(model, X, false);
  const counts = new Int32Array(model.weights.rows);
  for (let i = 0; i < first.length; i++) counts[first[i]!] = counts[first[i]!]! + 1;
  return counts;
}

/**
 * One feature's weight at every unit: a (height × width) picture of how that feature
 * varies over the map.
 *
 * @param feature - column index in [0, nFeatures)
 * @returns (height × width), float64
 *
 * @example
 * ```ts
 * const model = som.fit([[0, 5], [1, 5], [9, 5]], { width: 3, height: 1 });
 * Array.from(som.componentPlane(model, 1).data, (v) => +v.toFixed(9)); // [5, 5, 5]
 * ```
 */
export function componentPlane(model: SomModel, feature: number): Matrix {
  const m = checkModel(model);
  const { rows: units, cols: d, data } = m.weights;
  const f = checkInt(feature, 'feature', 0, d - 1);
  const out = new Float64Array(units);
  for (let u = 0; u < units; u++) out[u] = data[u * d + f]!;
  return { rows: m.height, cols: m.width, data: out };
}

/**
 * The majority label of the rows each unit wins (the smallest label on ties), or −1 for a
 * unit that wins no row: what a map "means", given labels it never saw while training.
 *
 * @param X - (nSamples, nFeatures)
 * @param labels - (nSamples) non-negative integer labels
 * @returns (width · height) labels, by unit index
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [9], [10]], { width: 2, height: 1 });
 * const map = som.labelMap(model, [[0], [1], [9], [10]], [7, 7, 3, 3]);
 * [map[som.bmu(model, [[0]])[0]], map[som.bmu(model, [[10]])[0]]]; // [7, 3]
 * ```
 */
export function labelMap(model: SomModel, X: MatrixInput, labels: ArrayLike<number>): Int32Array {
  const { first } = matchRows(model, X, false);
  const y = asVector(labels, 'labels');
  if (y.length !== first.length) fail('SHAPE_MISMATCH', `labels: received ${y.length} labels, expected ${first.length} (one per row of X)`);
  let top = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) fail('INVALID_INPUT', `labels: entry ${i} is ${describe(v)}, expected a non-negative integer`);
    top = Math.max(top, v);
  }
  const units = model.weights.rows;
  const out = new Int32Array(units).fill(-1);
  // Counts per (unit, label), kept sparse: label values may be large.
  const counts = new Map<number, number>();
  for (let i = 0; i < first.length; i++) {
    const key = first[i]! * (top + 1) + y[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = new Int32Array(units);
  for (const [key, c] of counts) {
    const u = Math.floor(key / (top + 1)), label = key - u * (top + 1);
    if (c > best[u]! || (c === best[u]! && label < out[u]!)) {
      best[u] = c;
      out[u] = label;
    }
  }
  return out;
}
