import { describe, fail } from '../core/errors.js';
import { loadModel } from '../core/json.js';
import { isMatrix, type Matrix } from '../core/matrix.js';
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
 * @throws {@link LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [5], [6]], { width: 2, height: 1 });
 * som.load(som.toJSON(model)).weights.data[0] === model.weights.data[0]; // true
 * ```
 */
export function load(json: string | object): SomModel {
  const value = loadModel<SomModel>(json, 'som');
  const bad = (field: string, expected: string): never => fail('INVALID_MODEL', `model.${field}: received ${describe((value as unknown as Record<string, unknown>)[field])}, expected ${expected}`);
  const positive = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
  if (!positive(value.width)) bad('width', 'a positive integer');
  if (!positive(value.height)) bad('height', 'a positive integer');
  if (!TOPOLOGIES.includes(value.topology)) bad('topology', "'rectangular' or 'hexagonal'");
  if (typeof value.toroidal !== 'boolean') bad('toroidal', 'a boolean');
  const units = value.width * value.height;
  if (!isMatrix(value.weights) || value.weights.rows !== units || value.weights.cols < 1) bad('weights', `a Matrix of ${units} rows (width × height)`);
  if (!(value.quantizationErrors instanceof Float64Array)) bad('quantizationErrors', 'a Float64Array');
  if (value.method !== 'batch' && value.method !== 'online') bad('method', "'batch' or 'online'");
  if (!Number.isInteger(value.nEpochs) || value.nEpochs < 0) bad('nEpochs', 'a non-negative integer');
  if (typeof value.completed !== 'boolean') bad('completed', 'a boolean');
  return freezeModel(value);
}

/**
 * Checks that `model` is a SOM (a fitted or loaded one), naming the argument.
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }); // throws INVALID_INPUT
 * ```
 */
export function checkModel(model: unknown, name = 'model'): SomModel {
  const m = model as Partial<SomModel> | null;
  if (m === null || typeof m !== 'object' || m.kind !== 'som' || !isMatrix(m.weights) || typeof m.width !== 'number' || typeof m.height !== 'number') {
    fail('INVALID_INPUT', `${name}: received ${describe(model)}, expected a SOM model (from som.fit or som.load)`);
  }
  return m as SomModel;
}
