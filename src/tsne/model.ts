import { loadModel } from '../core/json.js';
import type { Matrix } from '../core/matrix.js';
import { checkModelFields, freezeModel as freezeDeep } from '../core/model.js';
import { MAX_LEARNING_RATE, type TsneMethod, type TsneMetric } from './options.js';

/**
 * A fitted t-SNE map: a plain, immutable, structured-clone-able object (it crosses a
 * `postMessage` to or from a Web Worker, and survives `toJSON`/`load` bit for bit).
 *
 * Besides the embedding, it keeps what {@link optimize} and {@link transform} need: the
 * joint probabilities P (CSR, O(n·k) numbers) and the training data itself (n × d, float64)
 * — drop the model, or copy out `embedding`, when memory matters.
 *
 * @example
 * ```ts
 * const model: TsneModel = tsne.fit(X, { seed: 1 });
 * [model.kind, model.embedding.cols]; // ['tsne', 2]
 * ```
 */
export interface TsneModel {
  readonly kind: 'tsne';
  /** The map, (nSamples × nComponents). */
  readonly embedding: Matrix<Float64Array>;
  /** KL(P‖Q) of the final embedding (with the method's approximation of Q's normaliser). */
  readonly kl: number;
  /** Iterations run in total (fit and every optimize since). */
  readonly nIter: number;
  /**
   * False when an abort or a stop request ended the last run before its last iteration
   * (models saved by earlier versions say `stopped: true` instead: `load` reads either).
   */
  readonly completed: boolean;
  /** The method that ran (`'auto'` resolved). */
  readonly method: TsneMethod;
  /** Barnes-Hut's opening angle (also used by `transform`). */
  readonly theta: number;
  /** The learning rate used. */
  readonly learningRate: number;
  readonly perplexity: number;
  readonly metric: TsneMetric;
  /** The training data, (nSamples × nFeatures), float64: `transform` finds neighbours in it. */
  readonly data: Matrix<Float64Array>;
  /** Joint probabilities P, (nSamples × nSamples), symmetric, summing to 1, in CSR form. */
  readonly affinities: { readonly rowPtr: Int32Array; readonly col: Int32Array; readonly val: Float64Array };
}

/**
 * Freezes a model object and the objects in it (its typed arrays stay as they are).
 *
 * @example
 * ```ts
 * Object.isFrozen(freezeModel(model)); // true
 * ```
 */
export function freezeModel(model: TsneModel): TsneModel {
  return freezeDeep(model);
}

/**
 * Reloads a model saved with `toJSON` (from `latentspace/core`, re-exported here) and
 * checks that it is a t-SNE model with consistent shapes; typed arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = tsne.fit(X, { nIter: 300 });
 * tsne.load(tsne.toJSON(model)).embedding.data[0] === model.embedding.data[0]; // true
 * ```
 */
export function load(json: string | object): TsneModel {
  return freezeModel(checkModel(renameStopped(loadModel<TsneModel>(json, 'tsne'))));
}

/** A model saved when the flag was `stopped` (true = ended early), read as `completed`. */
function renameStopped(model: unknown): unknown {
  if (model === null || typeof model !== 'object') return model;
  const { stopped, ...rest } = model as Record<string, unknown>;
  if (typeof stopped !== 'boolean' || 'completed' in rest) return model;
  return { ...rest, completed: !stopped };
}

/**
 * Checks that `model` is a t-SNE model with consistent, finite fields (what {@link load}
 * and every function taking a model run first), naming the argument and the field: a
 * finite embedding and training data of the same rows, and affinities in CSR form with
 * row pointers from 0 rising to the number of entries, columns in range and
 * non-negative, finite values.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * checkModel({}); // throws INVALID_MODEL: "model: received a model of kind undefined, expected kind 'tsne'"
 * ```
 */
export function checkModel(model: unknown, name = 'model'): TsneModel {
  const f = checkModelFields(model, 'tsne', name);
  const n = f.matrix('embedding', { rows: { min: 1 }, cols: { min: 1, max: 3 }, float64: true }).rows;
  f.matrix('data', { rows: n, cols: { min: 1 }, float64: true });
  const P = f.object('affinities');
  const rowPtr = P.ints('rowPtr', { length: n + 1, min: 0 });
  if (rowPtr[0] !== 0) P.bad('rowPtr', 'row pointers starting at 0', `a first entry of ${rowPtr[0]}`);
  for (let i = 0; i < n; i++) {
    if (rowPtr[i + 1]! < rowPtr[i]!) P.bad('rowPtr', 'non-decreasing row pointers', `entries ${i} and ${i + 1} of ${rowPtr[i]} and ${rowPtr[i + 1]}`);
  }
  P.ints('col', { length: rowPtr[n]!, min: 0, max: n - 1 });
  P.floats('val', { length: rowPtr[n]!, float64: true, min: 0 });
  f.number('kl', { min: 0 });
  f.number('nIter', { integer: true, min: 0 });
  f.boolean('completed');
  f.choice('method', ['exact', 'barnes-hut', 'fft']);
  f.choice('metric', ['euclidean', 'cosine']);
  f.number('theta', { min: 0 });
  f.number('learningRate', { min: Number.MIN_VALUE, max: MAX_LEARNING_RATE });
  f.number('perplexity', { min: Number.MIN_VALUE });
  return model as TsneModel;
}
