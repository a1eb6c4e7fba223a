import { loadModel } from '../core/json.js';
import type { Matrix } from '../core/matrix.js';
import { checkModelFields } from '../core/model.js';
import { TOPOLOGIES, type Topology } from './topology.js';

/**
 * How the weights learn: `'batch'` (Kohonen's batch map: every epoch, each unit becomes the
 * neighbourhood-weighted mean of the rows won by the units around it) or `'online'` (the
 * classic rule, one row at a time: w ← w + α·h·(x − w)).
 *
 * @example
 * ```ts
 * som.fit(X, { method: 'online', learningRate: { start: 0.5, end: 0.01 } }).method; // 'online'
 * ```
 */
export type Method = 'batch' | 'online';

/**
 * A fitted self-organizing map: a plain, immutable, structured-clone-able object. Unit
 * index = row · width + column (see {@link Topology} for where each unit sits).
 *
 * @example
 * ```ts
 * const model: SomModel = som.fit(X, { width: 4, height: 3 });
 * [model.kind, model.weights.rows, model.quantizationErrors.length]; // ['som', 12, 10]
 * ```
 */
export interface SomModel {
  readonly kind: 'som';
  /** Units per row. */
  readonly width: number;
  /** Rows of units. */
  readonly height: number;
  readonly topology: Topology;
  /** Whether the grid wraps around at its edges (a torus). */
  readonly toroidal: boolean;
  /** The codebook: one weight vector per unit, (width · height × nFeatures); float32 when fitted on float32 data. */
  readonly weights: Matrix;
  /**
   * Quantization error (mean distance of the rows to their best unit) of each epoch run,
   * measured at the epoch's start: entry 0 is the starting map's. The final map's is
   * `som.quantizationError(model, X)` (one more distance pass, which `fit` does not spend).
   */
  readonly quantizationErrors: Float64Array;
  /** How the map was trained. */
  readonly method: Method;
  /** Epochs run. */
  readonly nEpochs: number;
  /** False when the run was stopped early (by `onProgress` or the `signal`): the map so far. */
  readonly completed: boolean;
}

/**
 * Freezes a model object (its typed arrays stay as they are).
 *
 * @example
 * ```ts
 * Object.isFrozen(freezeModel(model)); // true
 * ```
 */
export function freezeModel(model: SomModel): SomModel {
  Object.freeze(model.weights);
  return Object.freeze(model);
}

/**
 * Reloads a model saved with `toJSON` (re-exported here from `latentspace/core`) and checks
 * that it is a SOM with consistent fields; typed arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [5], [6]], { width: 2, height: 1 });
 * som.load(som.toJSON(model)).weights.data[0] === model.weights.data[0]; // true
 * ```
 */
export function load(json: string | object): SomModel {
  return freezeModel(checkModel(loadModel<SomModel>(json, 'som')));
}

/**
 * Checks that `model` is a SOM (fitted or loaded) with consistent, finite fields (what
 * {@link load} and every function taking a model run first), naming the argument and the
 * field.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }); // throws INVALID_MODEL: "model: received a model of kind 'pca', expected kind 'som'"
 * ```
 */
export function checkModel(model: unknown, name = 'model'): SomModel {
  const f = checkModelFields(model, 'som', name);
  const width = f.number('width', { integer: true, min: 1 });
  const height = f.number('height', { integer: true, min: 1 });
  const topology = f.choice('topology', TOPOLOGIES);
  if (f.boolean('toroidal') && topology === 'hexagonal' && height % 2 !== 0) {
    f.bad('height', 'an even height for a toroidal hexagonal map (offset rows only line up across the wrap when their count is even)');
  }
  f.matrix('weights', { rows: width * height, cols: { min: 1 } });
  f.floats('quantizationErrors', { float64: true, min: 0 });
  f.choice('method', ['batch', 'online']);
  f.number('nEpochs', { integer: true, min: 0 });
  f.boolean('completed');
  return model as SomModel;
}
