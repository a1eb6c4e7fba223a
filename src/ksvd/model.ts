import { loadModel } from '../core/json.js';
import { checkModelFields, freezeModel, withAddedField } from '../core/model.js';
import type { Matrix } from '../core/matrix.js';

/**
 * A fitted K-SVD dictionary: a plain, immutable (frozen), structured-clone-able object of
 * typed arrays.
 *
 * @example
 * ```ts
 * const model: KsvdModel = ksvd.fit(X, { nAtoms: 50, nNonzero: 3, seed: 0 });
 * model.dictionary.rows; // 50
 * ```
 */
export interface KsvdModel {
  readonly kind: 'ksvd';
  /** The atoms as unit-norm rows, (nAtoms × nFeatures). */
  readonly dictionary: Matrix<Float64Array>;
  /** Atoms per signal used by OMP in fitting, and by transform, decode and incremental. */
  readonly nNonzero: number;
  /** RMS representation error √(‖X − C·D‖²_F / (nSamples·nFeatures)) after each iteration. */
  readonly errors: Float64Array;
  /** Iterations run. */
  readonly nIter: number;
  /** Whether the run stopped by `tol` (false when it ran out of iterations or was stopped). */
  readonly converged: boolean;
  /** False when an abort or a stop request ended the run before its end (convergence or `maxIter`). */
  readonly completed: boolean;
}

/**
 * Reloads a model saved with `toJSON` (from `latentspace/core`), checking that it is a
 * K-SVD model with consistent, finite fields; typed arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * import { toJSON } from 'latentspace/core';
 * const model = ksvd.fit(X, { nAtoms: 8, nNonzero: 2 });
 * ksvd.load(toJSON(model)).dictionary.data[0] === model.dictionary.data[0]; // true
 * ```
 */
export function load(json: string | object): KsvdModel {
  // Models saved before `completed` existed did not record a stop: they load as completed.
  return freezeModel(checkModel(withAddedField(loadModel<KsvdModel>(json, 'ksvd'), 'completed', true)));
}

/**
 * Checks that `model` is a K-SVD model with consistent, finite fields (what {@link load}
 * and every function taking a model run first), naming the argument and the field.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * checkModel(null); // throws INVALID_MODEL: "model: received null, expected a model of kind 'ksvd'"
 * ```
 */
export function checkModel(model: unknown, name = 'model'): KsvdModel {
  const f = checkModelFields(model, 'ksvd', name);
  const D = f.matrix('dictionary', { rows: { min: 1 }, cols: { min: 1 }, float64: true });
  f.number('nNonzero', { integer: true, min: 1, max: Math.min(D.rows, D.cols) });
  f.floats('errors', { float64: true, min: 0 });
  f.number('nIter', { integer: true, min: 0 });
  f.boolean('converged');
  f.optionalBoolean('completed');
  return model as KsvdModel;
}
