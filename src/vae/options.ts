import { describe, fail } from '../core/errors.js';
import type { OnProgress } from '../core/iterate.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkCallback, checkChoice, checkInt, checkNumber, checkOptions, checkSignal, optionNames } from '../core/options.js';
import { Random, randomFrom, type SeedLike } from '../core/random.js';
import type { Dtype } from '../autodiff/tape.js';
import type { VaeModel, VaeSettings } from './model.js';
import { LIKELIHOODS, type Likelihood } from './network.js';


/**
 * One minibatch step of a run, as {@link steps} yields it and `onProgress` receives it.
 * Loss terms are per sample (the batch's sums divided by its rows).
 *
 * @example
 * ```ts
 * vae.fit(X, { onProgress: (s) => { if (s.epochEnd) console.log(s.epoch, s.loss, s.validationElbo); } });
 * ```
 */
export interface VaeStep {
  /** 0-based epoch. */
  readonly epoch: number;
  /** 0-based minibatch within the epoch. */
  readonly batch: number;
  /** Minibatches done so far, this one included. */
  readonly iteration: number;
  /** The minibatch's training loss per sample: reconstruction + β · kl (the negative ELBO when β = 1). */
  readonly loss: number;
  /** −log p(x | z) per sample, at the sampled z. */
  readonly reconstruction: number;
  /** KL(q(z | x) ‖ N(0, I)) per sample (0 for a plain autoencoder). */
  readonly kl: number;
  /** True on the last minibatch of an epoch. */
  readonly epochEnd: boolean;
  /**
   * On an epoch's last step with `validation`: the validation set's ELBO per sample (one ε
   * per row, the same ε every epoch); NaN otherwise.
   */
  readonly validationElbo: number;
  /** The model as it is now (call it before the next step), a frozen copy (`completed: false`): for live reconstructions. */
  snapshot(): VaeModel;
}

/**
 * Options of {@link fit}, {@link fitAsync} and {@link steps}.
 *
 * @example
 * ```ts
 * vae.fit(X, { latent: 20, hidden: [400], epochs: 10, batchSize: 128, learningRate: 1e-3, seed: 0 });
 * ```
 */
export interface VaeOptions {
  /** Dimensions of the latent code z. @defaultValue 20 */
  latent?: number;
  /**
   * Hidden layer sizes of the encoder, input side first (ReLU after each); the decoder
   * mirrors them. `[]` makes both linear.
   * @defaultValue [400]
   */
  hidden?: readonly number[];
  /** The decoder's distribution (see {@link Likelihood}); `'bernoulli'` needs data in [0, 1]. @defaultValue 'bernoulli' */
  likelihood?: Likelihood;
  /** Weight of the KL term (a β-VAE, Higgins et al. 2017, when ≠ 1). @defaultValue 1 */
  beta?: number;
  /**
   * `false` trains a plain (deterministic) autoencoder: z = the encoder's mean, no KL term,
   * no log-variance head.
   * @defaultValue true
   */
  variational?: boolean;
  /** Passes over the data. @defaultValue 10 */
  epochs?: number;
  /** Samples per minibatch (the last one of an epoch is smaller when it does not divide). @defaultValue 128 */
  batchSize?: number;
  /** Adam's step size (PyTorch's Adam, β₁ 0.9, β₂ 0.999, ε 1e-8). @defaultValue 1e-3 */
  learningRate?: number;
  /** Seed (or generator) of the initial weights, the shuffles and ε. @defaultValue 0 */
  seed?: SeedLike;
  /** Held-out samples (nValidation × nFeatures): their ELBO is measured after every epoch. */
  validation?: MatrixInput;
  /** Element type of the weights and the arithmetic. @defaultValue 'float32' (as PyTorch) */
  dtype?: Dtype;
  /** Called after every minibatch; returning true stops the run (the model so far is returned). */
  onProgress?: OnProgress<VaeStep>;
  /** Aborting stops the run before its next minibatch (the model so far is returned). */
  signal?: AbortSignal;
}

const VAE_OPTION_NAMES = optionNames<VaeOptions>()(
  'latent', 'hidden', 'likelihood', 'beta', 'variational', 'epochs', 'batchSize', 'learningRate', 'seed',
  'validation', 'dtype', 'onProgress', 'signal',
);


/** Everything a run needs, resolved once when it is made. */
export interface Resolved {
  readonly settings: VaeSettings;
  readonly random: Random;
  readonly validation: Matrix | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * Checks that every entry of X lies in [0, 1], as a Bernoulli decoder needs, naming the
 * first one that does not.
 */
export function checkUnitInterval(X: Matrix, name: string): void {
  const d = X.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v >= 0 && v <= 1) continue;
    fail('INVALID_INPUT', `${name}: likelihood 'bernoulli' needs data in [0, 1] (binary pixels, or grey levels as probabilities); received ${v} at row ${Math.floor(i / X.cols)}, column ${i % X.cols}. Scale the data to [0, 1], or use likelihood: 'gaussian'`);
  }
}

/** Validates the options against X (nSamples × nFeatures) and fills in the defaults. */
export function resolve(options: VaeOptions | undefined, X: Matrix): Resolved {
  const opts = checkOptions(options, VAE_OPTION_NAMES);
  const hidden = opts.hidden ?? [400];
  if (!Array.isArray(hidden)) fail('INVALID_OPTION', `hidden: received ${describe(hidden)}, expected an array of layer sizes (e.g. [400], or [] for linear maps)`);
  hidden.forEach((h, i) => checkInt(h, `hidden[${i}]`, 1));
  const likelihood = checkChoice(opts.likelihood ?? 'bernoulli', 'likelihood', LIKELIHOODS);
  const seed = opts.seed;
  const random = randomFrom(seed);
  const signal = checkSignal(opts.signal);
  checkCallback(opts.onProgress, 'onProgress');
  const dtype = checkChoice<Dtype>(opts.dtype ?? 'float32', 'dtype', ['float32', 'float64']);
  const learningRate = checkNumber(opts.learningRate ?? 1e-3, 'learningRate', 0);
  if (!(learningRate > 0)) fail('INVALID_OPTION', `learningRate: received ${learningRate}, expected a positive number`);
  const settings: VaeSettings = {
    latent: checkInt(opts.latent ?? 20, 'latent', 1),
    hidden: hidden.slice(),
    likelihood,
    beta: checkNumber(opts.beta ?? 1, 'beta', 0),
    variational: checkBoolean(opts.variational ?? true, 'variational'),
    epochs: checkInt(opts.epochs ?? 10, 'epochs', 1),
    batchSize: checkInt(opts.batchSize ?? 128, 'batchSize', 1),
    learningRate,
    seed: typeof seed === 'number' ? seed : seed === undefined ? 0 : null,
    dtype,
  };
  if (likelihood === 'bernoulli') checkUnitInterval(X, 'X');
  let validation: Matrix | undefined;
  if (opts.validation !== undefined) {
    validation = asMatrix(opts.validation, 'validation', { dtype });
    if (validation.cols !== X.cols) fail('SHAPE_MISMATCH', `validation: received ${validation.cols} columns, expected ${X.cols} (the features of X)`);
    if (likelihood === 'bernoulli') checkUnitInterval(validation, 'validation');
  }
  return { settings, random, validation, signal };
}
