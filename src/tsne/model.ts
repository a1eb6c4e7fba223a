import { describe, fail } from '../core/errors.js';
import { loadModel } from '../core/json.js';
import { isMatrix, type Matrix } from '../core/matrix.js';
import type { TsneMethod, TsneMetric } from './options.js';

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
  /** True when an abort or a stop request ended the last run early. */
  readonly stopped: boolean;
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
 * Freezes a model object (its typed arrays stay as they are).
 *
 * @example
 * ```ts
 * Object.isFrozen(freezeModel(model)); // true
 * ```
 */
export function freezeModel(model: TsneModel): TsneModel {
  Object.freeze(model.embedding);
  Object.freeze(model.data);
  Object.freeze(model.affinities);
  return Object.freeze(model);
}

/**
 * Reloads a model saved with `toJSON` (from `latentspace/core`, re-exported here) and
 * checks that it is a t-SNE model with consistent shapes; typed arrays come back bit for bit.
 *
 * @throws {@link LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = tsne.fit(X, { nIter: 300 });
 * tsne.load(tsne.toJSON(model)).embedding.data[0] === model.embedding.data[0]; // true
 * ```
 */
export function load(json: string | object): TsneModel {
  const value = loadModel<TsneModel>(json, 'tsne');
  const bad = (field: string, expected: string): never => fail('INVALID_MODEL', `model.${field}: received ${describe((value as unknown as Record<string, unknown>)[field])}, expected ${expected}`);
  const E = value.embedding;
  if (!isMatrix(E) || !(E.data instanceof Float64Array) || E.cols < 1 || E.cols > 3) bad('embedding', 'a float64 Matrix with 1 to 3 columns');
  const n = E.rows;
  const X = value.data;
  if (!isMatrix(X) || !(X.data instanceof Float64Array) || X.rows !== n) bad('data', `a float64 Matrix with ${n} rows`);
  const P = value.affinities;
  if (P === null || typeof P !== 'object' || !(P.rowPtr instanceof Int32Array) || P.rowPtr.length !== n + 1 ||
    !(P.col instanceof Int32Array) || !(P.val instanceof Float64Array) || P.col.length !== P.val.length || P.rowPtr[n] !== P.val.length) {
    bad('affinities', `a CSR matrix { rowPtr: Int32Array(${n + 1}), col: Int32Array, val: Float64Array }`);
  }
  for (const c of P.col) if (!(c >= 0 && c < n)) bad('affinities', `column indices in [0, ${n})`);
  if (typeof value.kl !== 'number') bad('kl', 'a number');
  if (!Number.isInteger(value.nIter) || value.nIter < 0) bad('nIter', 'a non-negative integer');
  if (typeof value.stopped !== 'boolean') bad('stopped', 'a boolean');
  if (!['exact', 'barnes-hut', 'fft'].includes(value.method)) bad('method', "'exact', 'barnes-hut' or 'fft'");
  if (!['euclidean', 'cosine'].includes(value.metric)) bad('metric', "'euclidean' or 'cosine'");
  for (const f of ['theta', 'learningRate', 'perplexity'] as const) {
    if (typeof value[f] !== 'number' || !(value[f] >= 0)) bad(f, 'a non-negative number');
  }
  return freezeModel(value);
}
