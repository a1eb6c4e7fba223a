import { fail, finiteResult, finiteResults } from '../core/errors.js';
import { maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { loadModel } from '../core/json.js';
import { asRows, asVector, singleRow, type FlatArray, type FloatArray, type Matrix, type RowsInput } from '../core/matrix.js';
import { checkModelFields, withAddedField } from '../core/model.js';
import { checkOptions, optionNames } from '../core/options.js';
import { allocate, widen } from '../linalg/dtype.js';
import { exactInertia } from './centres.js';
import type { Algorithm } from './solvers.js';
import { columnMeans } from '../linalg/rows.js';
import { forEachBlock, nearest, streamSource, type RowSource } from './source.js';

/**
 * A fitted k-means model: a plain, immutable, structured-clone-able object. Arrays are
 * float32 when the model was fitted on float32 data, float64 otherwise.
 *
 * @example
 * ```ts
 * const model: KMeansModel = kmeans.fit([[0], [1], [10], [11]], { k: 2, seed: 1 });
 * [model.kind, model.centroids.rows, model.inertia]; // ['kmeans', 2, 1]
 * ```
 */
export interface KMeansModel {
  readonly kind: 'kmeans';
  /** The centres, (k × nFeatures). */
  readonly centroids: Matrix;
  /**
   * Cluster of every training row, (nSamples): for `fit`, the nearest centroid of the
   * final centroids; for `miniBatch`, of every row of X; for `partialFit`, of the last batch.
   */
  readonly labels: Int32Array;
  /** Σ w‖x − c‖² of those rows to their centroids (exact differences, not the GEMM form). */
  readonly inertia: number;
  /** Iterations of the run kept (mini-batch: steps taken in total). */
  readonly nIter: number;
  /** Whether the run met its convergence test; false when stopped early or out of iterations. */
  readonly converged: boolean;
  /**
   * False when an abort or a stop request ended the fit before its end (every run to
   * convergence or maxIter; for mini-batch, convergence or the step budget).
   */
  readonly completed: boolean;
  /** The algorithm that ran (`'auto'` resolved). */
  readonly algorithm: Algorithm | 'minibatch';
  /**
   * Weight absorbed by each centroid, (k): for `fit`, the total sample weight of its
   * cluster; for mini-batch, the weight of every batch row it has been moved by (its
   * learning rate is 1 / count).
   */
  readonly counts: Float64Array;
}

/**
 * Freezes a model object (its typed arrays stay as they are).
 *
 * @example
 * ```ts
 * Object.isFrozen(freezeModel(model)); // true
 * ```
 */
export function freezeModel(model: KMeansModel): KMeansModel {
  Object.freeze(model.centroids);
  return Object.freeze(model);
}

/**
 * Reloads a model saved with `toJSON` (from `latentspace/core`, re-exported here) and checks
 * that it is a k-means model with consistent shapes; typed arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = kmeans.fit([[0], [1], [10], [11]], { k: 2 });
 * kmeans.load(kmeans.toJSON(model)).centroids.data[0] === model.centroids.data[0]; // true
 * ```
 */
export function load(json: string | object): KMeansModel {
  // Models saved before `completed` existed did not record a stop: they load as completed.
  return freezeModel(checkModel(withAddedField(loadModel<KMeansModel>(json, 'kmeans'), 'completed', true)));
}

/**
 * Checks that `model` is a k-means model with consistent, finite fields (what {@link load}
 * and every function taking a model run first), naming the argument and the field.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }); // throws INVALID_MODEL: "model: received a model of kind 'pca', expected kind 'kmeans'"
 * ```
 */
export function checkModel(model: unknown, name = 'model'): KMeansModel {
  const f = checkModelFields(model, 'kmeans', name);
  const k = f.matrix('centroids', { rows: { min: 1 }, cols: { min: 1 } }).rows;
  f.ints('labels', { min: 0, max: k - 1 });
  f.floats('counts', { length: k, float64: true, min: 0 });
  f.number('inertia', { min: 0 });
  f.number('nIter', { integer: true, min: 0 });
  f.boolean('converged');
  f.optionalBoolean('completed');
  f.choice('algorithm', ['lloyd', 'elkan', 'hamerly', 'minibatch']);
  return model as KMeansModel;
}

/**
 * New data against a model: rows shifted by the centroids' mean (for accurate distances),
 * centroids alike, both scaled by 2^scale when their magnitudes lie beyond the range in
 * which squared distances neither overflow nor underflow.
 */
interface Against {
  /** X as given (float64 unless X and the model are float32). */
  readonly x: Matrix;
  readonly source: RowSource;
  /** The centroids in float64, (k × d), times 2^scale. */
  readonly centres: Float64Array;
  /** Distances from `source` are 2^scale times the true ones. */
  readonly scale: number;
  /** X was one sample (a flat array): the answer is one row. */
  readonly single: boolean;
}

/** Validates X against the model and readies both for the distance kernels. */
function against(model: KMeansModel, X: RowsInput | FlatArray, name: string): Against {
  const C = checkModel(model).centroids;
  const { matrix: x0, single } = asRows(X, name);
  if (x0.cols !== C.cols) fail('SHAPE_MISMATCH', `${name}: rows have ${x0.cols} features, expected ${C.cols} (the model's)`);
  const f32 = x0.data instanceof Float32Array && C.data instanceof Float32Array;
  const x = f32 ? x0 : widen(x0);
  const scale = safeScaleExponent(Math.max(maxAbs(x.data), maxAbs(C.data)), f32 ? 'float32' : 'float64');
  const xs = { rows: x.rows, cols: x.cols, data: scaledBy(x.data, scale) };
  const centres = Float64Array.from(C.data);
  scaleInPlace(centres, scale);
  const shift = columnMeans({ rows: C.rows, cols: C.cols, data: centres }, undefined, C.rows);
  return { x, source: streamSource(xs, shift, f32 ? 'float32' : 'float64'), centres, scale, single };
}

/**
 * The nearest centroid of every row of X (the first on ties), by the kernels' squared
 * distances and row-wise argmin.
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 * @returns (nSamples) cluster indices; for one sample, its cluster index
 *
 * @example
 * ```ts
 * const model = kmeans.fit([[0], [1], [10], [11]], { k: 2, seed: 1 });
 * kmeans.predict(model, [[0.2], [10.4]]); // Int32Array [a, b] with a = model.labels[0], b = model.labels[2]
 * kmeans.predict(model, [10.4]); // b
 * ```
 */
export function predict(model: KMeansModel, X: FlatArray): number;
export function predict(model: KMeansModel, X: RowsInput): Int32Array;
export function predict(model: KMeansModel, X: RowsInput | FlatArray): Int32Array | number;
export function predict(model: KMeansModel, X: RowsInput | FlatArray): Int32Array | number {
  const { source, centres, single } = against(model, X, 'X');
  const labels = new Int32Array(source.n);
  nearest(source, centres, labels);
  return single ? labels[0]! : labels;
}

/**
 * Euclidean distance of every row of X to every centroid (not squared, as scikit-learn's
 * `transform`): the rows in "cluster-distance space".
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 * @returns (nSamples × k), float32 when X and the model are float32; for one sample, its
 *   row of k distances
 *
 * @example
 * ```ts
 * const model = kmeans.fit([[0], [2]], { k: 1 });
 * Array.from(kmeans.transform(model, [[1], [4]]).data); // [0, 3]
 * kmeans.transform(model, [4]); // Float64Array [3]
 * ```
 */
export function transform(model: KMeansModel, X: FlatArray): FloatArray;
export function transform(model: KMeansModel, X: RowsInput): Matrix;
export function transform(model: KMeansModel, X: RowsInput | FlatArray): Matrix | FloatArray;
export function transform(model: KMeansModel, X: RowsInput | FlatArray): Matrix | FloatArray {
  const { source, centres, scale, single } = against(model, X, 'X');
  const k = model.centroids.rows;
  const out = allocate(source.dtype, source.n * k);
  forEachBlock(source, source.centres(centres, k), 0, source.n, undefined, (start, m, D) => {
    for (let p = 0; p < m * k; p++) out[start * k + p] = Math.sqrt(D[p]!);
  });
  scaleInPlace(out, -scale);
  const distances = { rows: source.n, cols: k, data: finiteResults(out, 'X', 'a distance to a centroid') };
  return single ? singleRow(distances) : distances;
}

/**
 * Options of {@link score}.
 *
 * @example
 * ```ts
 * kmeans.score(model, X, { sampleWeight: weights });
 * ```
 */
export interface ScoreOptions {
  /**
   * A non-negative weight per row of X.
   * @defaultValue every row weighs 1
   */
  sampleWeight?: ArrayLike<number>;
}

/** Every option name of {@link ScoreOptions} (unknown ones are rejected). */
const SCORE_OPTION_NAMES = optionNames<ScoreOptions>()('sampleWeight');

/**
 * The negative inertia of X under the model, −Σ w‖x − c_nearest‖² (higher is better, as
 * scikit-learn's `score`). On the training data it equals `-model.inertia` for `fit` models.
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 *
 * @example
 * ```ts
 * const model = kmeans.fit([[0], [2]], { k: 1 });
 * kmeans.score(model, [[0], [2]]); // -2
 * kmeans.score(model, [2]); // -1
 * ```
 */
export function score(model: KMeansModel, X: RowsInput | FlatArray, options?: ScoreOptions): number {
  const opts = checkOptions(options, SCORE_OPTION_NAMES);
  const a = against(model, X, 'X');
  const w = sampleWeights(opts.sampleWeight, a.source.n);
  const labels = new Int32Array(a.source.n);
  nearest(a.source, a.centres, labels);
  return -finiteResult(exactInertia(a.x.data, a.source.n, a.x.cols, model.centroids.data, labels, w), 'X', 'the inertia Σw‖x − c‖²');
}

/**
 * Checks a `sampleWeight` option: n finite, non-negative numbers with a positive sum.
 * Returns undefined when omitted (every row weighs 1), which keeps the fast unweighted paths.
 *
 * @example
 * ```ts
 * sampleWeights([1, 2], 2); // Float64Array [1, 2]; sampleWeights(undefined, 2) is undefined
 * ```
 */
export function sampleWeights(sampleWeight: ArrayLike<number> | undefined, n: number): Float64Array | undefined {
  if (sampleWeight === undefined) return undefined;
  const w = Float64Array.from(asVector(sampleWeight, 'sampleWeight'));
  if (w.length !== n) fail('SHAPE_MISMATCH', `sampleWeight: received ${w.length} weights, expected ${n} (one per row of X)`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (w[i]! < 0) fail('INVALID_OPTION', `sampleWeight: entry ${i} is ${w[i]}, expected a non-negative weight`);
    total += w[i]!;
  }
  if (!(total > 0)) fail('INVALID_OPTION', 'sampleWeight: every weight is 0, expected a positive total');
  if (total === Infinity) {
    fail('OUT_OF_RANGE', 'sampleWeight: the weights sum to more than the largest float64 (about 1.8e308), expected a finite total (only their ratios matter: divide them by a constant)');
  }
  return w;
}

/**
 * Float64 centres (k × d) as a Matrix of the data's element type (a copy), divided by 2^scale.
 *
 * @example
 * ```ts
 * outputCentres(new Float64Array([1, 2]), 1, 2, new Float32Array(0)).data; // Float32Array [1, 2]
 * ```
 */
export function outputCentres(centres: Float64Array, k: number, d: number, like: FloatArray, scale = 0): Matrix {
  const data = allocate(like instanceof Float32Array ? 'float32' : 'float64', k * d);
  data.set(centres.subarray(0, k * d));
  // Centres computed on data scaled by 2^scale (see prepareData) come back to the data's units.
  scaleInPlace(data, -scale);
  return { rows: k, cols: d, data: finiteResults(data, 'X', 'a centroid') };
}
