import { loadModel } from '../core/json.js';
import { checkModelFields, freezeModel } from '../core/model.js';
import type { FloatArray, Matrix } from '../core/matrix.js';

/** How a PCA model was computed. */
export type PcaSolverUsed = 'covariance' | 'full' | 'randomized' | 'incremental';

/**
 * A fitted PCA: a plain, structured-clone-able object of typed arrays. Arrays are
 * `Float32Array` when the model was fitted on float32 data, `Float64Array` otherwise.
 */
export interface PcaModel {
  readonly kind: 'pca';
  /** Per-feature mean, length nFeatures. */
  readonly mean: FloatArray;
  /** Principal axes as rows, (nComponents × nFeatures), orthonormal, by decreasing variance. */
  readonly components: Matrix;
  /** Variance along each component (eigenvalues of the covariance, divisor n − 1). */
  readonly explainedVariance: FloatArray;
  /** explainedVariance divided by the total variance of the data. */
  readonly explainedVarianceRatio: FloatArray;
  /** Singular values of the centred data, √(explainedVariance · (n − 1)). */
  readonly singularValues: FloatArray;
  /**
   * Variance left out, per discarded dimension: (total − kept) / (min(nSamples, nFeatures) − k),
   * the σ² of probabilistic PCA (0 when every component is kept).
   */
  readonly noiseVariance: number;
  /** Sum of the per-feature variances (divisor n − 1); incremental fits update it. */
  readonly totalVariance: number;
  /** Number of samples seen (the sum over batches for incremental fits). */
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Whether transform scales each component to unit variance. */
  readonly whiten: boolean;
  /** The solver that computed the components. */
  readonly solver: PcaSolverUsed;
}

/**
 * Reloads a model saved with `toJSON` (from `latentspace/core`), checking that it is a PCA
 * model with consistent, finite fields; typed arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * import { toJSON } from 'latentspace/core';
 * const model = pca.fit([[1, 2], [3, 5], [4, 4]], { nComponents: 1 });
 * pca.load(toJSON(model)).components.data[0] === model.components.data[0]; // true
 * ```
 */
export function load(json: string | object): PcaModel {
  return freezeModel(checkModel(loadModel<PcaModel>(json, 'pca')));
}

/**
 * Checks that `model` is a PCA model with consistent, finite fields (what {@link load} and
 * every function taking a model run first), naming the argument and the field.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }); // throws INVALID_MODEL: "model.nFeatures: received undefined, expected an integer ≥ 1"
 * ```
 */
export function checkModel(model: unknown, name = 'model'): PcaModel {
  const f = checkModelFields(model, 'pca', name);
  const d = f.number('nFeatures', { integer: true, min: 1 });
  f.floats('mean', { length: d });
  const k = f.matrix('components', { rows: { min: 1, max: d }, cols: d }).rows;
  for (const field of ['explainedVariance', 'explainedVarianceRatio', 'singularValues']) f.floats(field, { length: k, min: 0 });
  f.number('noiseVariance', { min: 0 });
  f.number('totalVariance', { min: 0 });
  f.number('nSamples', { integer: true, min: 1 });
  f.boolean('whiten');
  f.choice('solver', ['covariance', 'full', 'randomized', 'incremental']);
  return model as PcaModel;
}
