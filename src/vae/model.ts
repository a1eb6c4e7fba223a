import { describe, fail } from '../core/errors.js';
import { loadModel } from '../core/json.js';
import { isMatrix, type Matrix } from '../core/matrix.js';
import { checkModel as checkKind, freezeModel as freezeDeep } from '../core/model.js';
import type { DenseParams } from '../autodiff/layers.js';
import type { Dtype } from '../autodiff/tape.js';
import { LIKELIHOODS, type Architecture, type Likelihood, type VaeWeights } from './network.js';

/**
 * The options a model was trained with, resolved (defaults filled in): saved in the model.
 * `seed` is null when a {@link core!Random} was passed instead of a number.
 */
export interface VaeSettings {
  readonly latent: number;
  readonly hidden: readonly number[];
  readonly likelihood: Likelihood;
  readonly beta: number;
  readonly variational: boolean;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number | null;
  readonly dtype: Dtype;
}

/**
 * Per finished epoch (one entry each), the training curve. Training figures are means over
 * the epoch's minibatches, weighted by batch size, measured as each batch was trained on.
 */
export interface VaeHistory {
  /** Training loss per sample: reconstruction + β · kl. */
  readonly loss: Float64Array;
  /** −log p(x | z) per sample. */
  readonly reconstruction: Float64Array;
  /** KL(q(z | x) ‖ N(0, I)) per sample (0 for an autoencoder). */
  readonly kl: Float64Array;
  /** The validation set's ELBO per sample after the epoch (NaN without `validation`). */
  readonly validationElbo: Float64Array;
}

/**
 * A trained variational autoencoder: a plain, immutable, structured-clone-able object (it
 * can be posted to a Worker, and `toJSON`/`load` bring it back bit for bit).
 *
 * @example
 * ```ts
 * const model: VaeModel = vae.fit(X, { latent: 20, epochs: 10 });
 * [model.kind, model.features, model.options.latent, model.history.loss.length]; // ['vae', 784, 20, 10]
 * ```
 */
export interface VaeModel {
  readonly kind: 'vae';
  /** Features of the data (inputs of the encoder, outputs of the decoder). */
  readonly features: number;
  /** The options it was trained with, defaults filled in (`latent`, `hidden`, `likelihood`, …). */
  readonly options: VaeSettings;
  /** The encoder's and decoder's weights (element type `options.dtype`). */
  readonly weights: VaeWeights;
  /** The training curve, one entry per finished epoch. */
  readonly history: VaeHistory;
  /** Epochs finished. */
  readonly nEpochs: number;
  /** Minibatch steps taken. */
  readonly iterations: number;
  /** False when the run was stopped early (by `onProgress`, `next(true)` or the signal). */
  readonly completed: boolean;
}

/** The architecture of a model (what the network functions need). */
export function architecture(model: VaeModel): Architecture {
  const o = model.options;
  return { features: model.features, latent: o.latent, hidden: o.hidden, likelihood: o.likelihood, variational: o.variational, dtype: o.dtype };
}

/**
 * Freezes a model and everything in it but the typed arrays (which cannot be frozen).
 *
 * @example
 * ```ts
 * Object.isFrozen(freezeModel(model).weights.mean); // true
 * ```
 */
export function freezeModel(model: VaeModel): VaeModel {
  return freezeDeep(model);
}

/**
 * Reloads a model saved with `toJSON` (re-exported here from `latentspace/core`), or takes
 * an already parsed one (a structured clone from a Worker), and checks every field: the
 * layer shapes against `features` and `options`, the element types, the history. Typed
 * arrays come back bit for bit.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = vae.fit(X, { latent: 2, hidden: [16], epochs: 1 });
 * vae.load(vae.toJSON(model)).weights.mean.weight.data[0] === model.weights.mean.weight.data[0]; // true
 * ```
 */
export function load(json: string | object): VaeModel {
  return freezeModel(checkModel(loadModel<VaeModel>(json, 'vae')));
}

/**
 * Checks that `model` is a VAE model (from fit or load) with consistent, finite fields (what
 * {@link load} and every function taking a model run first), naming the argument and the
 * first field that is wrong.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL`
 *
 * @example
 * ```ts
 * checkModel({ kind: 'pca' }); // throws INVALID_MODEL (model: received a model of kind "pca", expected kind 'vae')
 * ```
 */
export function checkModel(model: unknown, name = 'model'): VaeModel {
  const value = checkKind<VaeModel>(model, 'vae', name);
  const bad = (field: string, got: unknown, expected: string, received = describe(got)): never => fail('INVALID_MODEL', `${name}.${field}: received ${received}, expected ${expected}`);
  const positive = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
  if (!positive(value.features)) bad('features', value.features, 'a positive integer');
  const o = value.options as Partial<VaeSettings> | undefined;
  if (o === null || typeof o !== 'object') return bad('options', o, 'the options object of the trained model');
  if (!positive(o.latent)) bad('options.latent', o.latent, 'a positive integer');
  if (!Array.isArray(o.hidden) || !o.hidden.every(positive)) bad('options.hidden', o.hidden, 'an array of positive integers');
  if (!LIKELIHOODS.includes(o.likelihood!)) bad('options.likelihood', o.likelihood, "'bernoulli' or 'gaussian'");
  if (typeof o.beta !== 'number' || !(o.beta >= 0)) bad('options.beta', o.beta, 'a number ≥ 0');
  if (typeof o.variational !== 'boolean') bad('options.variational', o.variational, 'a boolean');
  if (!positive(o.epochs)) bad('options.epochs', o.epochs, 'a positive integer');
  if (!positive(o.batchSize)) bad('options.batchSize', o.batchSize, 'a positive integer');
  if (typeof o.learningRate !== 'number' || !(o.learningRate > 0)) bad('options.learningRate', o.learningRate, 'a positive number');
  if (o.seed !== null && typeof o.seed !== 'number') bad('options.seed', o.seed, 'a number or null');
  if (o.dtype !== 'float32' && o.dtype !== 'float64') bad('options.dtype', o.dtype, "'float32' or 'float64'");
  checkWeights(value.weights, architecture(value), bad);
  const h = value.history as Partial<VaeHistory> | undefined;
  if (h === null || typeof h !== 'object') return bad('history', h, 'the per-epoch training curve');
  if (!Number.isInteger(value.nEpochs) || value.nEpochs < 0) bad('nEpochs', value.nEpochs, 'a non-negative integer');
  for (const key of ['loss', 'reconstruction', 'kl', 'validationElbo'] as const) {
    const a = h[key];
    if (!(a instanceof Float64Array) || a.length !== value.nEpochs) bad(`history.${key}`, a, `a Float64Array of length ${value.nEpochs} (nEpochs)`);
  }
  if (!Number.isInteger(value.iterations) || value.iterations < 0) bad('iterations', value.iterations, 'a non-negative integer');
  if (typeof value.completed !== 'boolean') bad('completed', value.completed, 'a boolean');
  return value;
}

/**
 * Parses a string made by `toJSON` into a checked model: the same as {@link load}, by the
 * name that pairs with `toJSON`.
 *
 * @example
 * ```ts
 * vae.fromJSON(vae.toJSON(model)).options.latent === model.options.latent; // true
 * ```
 */
export function fromJSON(json: string): VaeModel {
  return load(json);
}

/** Checks every layer of the weights against the architecture. */
function checkWeights(w: unknown, a: Architecture, bad: (field: string, got: unknown, expected: string, received?: string) => never): void {
  if (w === null || typeof w !== 'object') bad('weights', w, 'the encoder and decoder layers');
  const weights = w as Partial<Record<keyof VaeWeights, unknown>>;
  const Typed = a.dtype === 'float32' ? Float32Array : Float64Array;
  const matrix = (m: unknown, field: string, rows: number, cols: number): void => {
    if (!isMatrix(m) || m.rows !== rows || m.cols !== cols || !(m.data instanceof Typed)) bad(field, m, `a ${rows} × ${cols} ${a.dtype} Matrix`);
    const data = (m as Matrix).data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) bad(field, data, 'finite entries', `an entry ${i} of ${data[i]}`);
    }
  };
  const layer = (l: unknown, field: string, inputs: number, outputs: number): void => {
    if (l === null || typeof l !== 'object') bad(field, l, 'a dense layer { weight, bias }');
    matrix((l as DenseParams).weight, `${field}.weight`, inputs, outputs);
    matrix((l as DenseParams).bias, `${field}.bias`, 1, outputs);
  };
  const stack = (layers: unknown, field: string, sizes: readonly number[]): void => {
    if (!Array.isArray(layers) || layers.length !== sizes.length - 1) bad(field, layers, `an array of ${sizes.length - 1} dense layers`);
    (layers as unknown[]).forEach((l, i) => layer(l, `${field}[${i}]`, sizes[i]!, sizes[i + 1]!));
  };
  const encoderSizes = [a.features, ...a.hidden];
  stack(weights.encoder, 'weights.encoder', encoderSizes);
  const last = encoderSizes[encoderSizes.length - 1]!;
  layer(weights.mean, 'weights.mean', last, a.latent);
  if (a.variational) layer(weights.logVariance, 'weights.logVariance', last, a.latent);
  else if (weights.logVariance !== undefined) bad('weights.logVariance', weights.logVariance, 'nothing (a plain autoencoder has no log-variance head)');
  stack(weights.decoder, 'weights.decoder', [a.latent, ...a.hidden.slice().reverse(), a.features]);
  if (a.likelihood === 'gaussian') matrix(weights.outputLogVariance, 'weights.outputLogVariance', 1, 1);
  else if (weights.outputLogVariance !== undefined) bad('weights.outputLogVariance', weights.outputLogVariance, "nothing (only likelihood 'gaussian' has one)");
}
