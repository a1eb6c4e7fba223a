// The network, written once in autodiff's ops: the same functions run inside valueAndGrad
// (training, on tracked weights) and outside it (encode, decode, elbo: on the plain weights,
// where every op simply computes).
import type { Matrix } from '../core/matrix.js';
import type { Random } from '../core/random.js';
import { add, exp, mul, scale, sigmoid, square, sub } from '../autodiff/elementwise.js';
import { dense, mlp, type DenseParams } from '../autodiff/layers.js';
import { bceWithLogits, gaussianKl } from '../autodiff/losses.js';
import { sum } from '../autodiff/structure.js';
import type { Dtype, Operand, Var } from '../autodiff/tape.js';

/**
 * The decoder's distribution p(x | z):
 * - `'bernoulli'`: every feature is a coin with probability sigmoid(logit), for data in
 *   [0, 1] (binary pixels, or grey levels read as probabilities, as Kingma & Welling and
 *   PyTorch's examples/vae do); −log p(x | z) is the binary cross-entropy with logits.
 * - `'gaussian'`: N(μ(z), σ²I) with one learned variance σ² for all features (a
 *   "calibrated decoder", Rybkin et al. 2021), for real-valued data of any range;
 *   −log p(x | z) = ½ Σ ((x − μ)²/σ² + log σ² + log 2π).
 *
 * @example
 * ```ts
 * vae.fit(X, { likelihood: 'gaussian' }).options.likelihood; // 'gaussian'
 * ```
 */
export type Likelihood = 'bernoulli' | 'gaussian';

/** The likelihoods {@link VaeOptions.likelihood} accepts. */
export const LIKELIHOODS: readonly Likelihood[] = ['bernoulli', 'gaussian'];

/**
 * The weights of a VAE, every one a Matrix (`dense` layers: weight (inputs × outputs), the
 * transpose of PyTorch's `Linear.weight`, and bias (1 × outputs)).
 *
 * @example
 * ```ts
 * const w = vae.fit(X, { hidden: [400], latent: 20 }).weights;
 * [w.encoder[0].weight.rows, w.mean.weight.cols, w.decoder[1].weight.cols]; // [784, 20, 784]
 * ```
 */
export type VaeWeights = {
  /** Encoder hidden layers, input side first: features → hidden[0] → … (ReLU after each). */
  readonly encoder: readonly DenseParams[];
  /** The head giving the posterior mean: last hidden → latent. */
  readonly mean: DenseParams;
  /** The head giving the posterior log-variance; absent in a plain autoencoder. */
  readonly logVariance?: DenseParams;
  /** Decoder layers: latent → … → features (ReLU between them, the last linear: logits or means). */
  readonly decoder: readonly DenseParams[];
  /** `'gaussian'` only: log σ² of p(x | z), (1 × 1), shared by all features. */
  readonly outputLogVariance?: Matrix;
};
// (A type, not an interface: autodiff's parameter trees take plain object types.)

/** The architecture the functions below need. */
export interface Architecture {
  readonly features: number;
  readonly latent: number;
  readonly hidden: readonly number[];
  readonly likelihood: Likelihood;
  readonly variational: boolean;
  readonly dtype: Dtype;
}

/** Fresh weights, PyTorch's `nn.Linear` initialisation (U(±1/√inputs) for weights and biases). */
export function initWeights(a: Architecture, random: Random): VaeWeights {
  const opts = { seed: random, dtype: a.dtype };
  const last = a.hidden.length > 0 ? a.hidden[a.hidden.length - 1]! : a.features;
  const encoder = a.hidden.length > 0 ? mlp.init([a.features, ...a.hidden], opts) : [];
  const mean = dense.init(last, a.latent, opts);
  const logVariance = a.variational ? dense.init(last, a.latent, opts) : undefined;
  const decoder = mlp.init([a.latent, ...a.hidden.slice().reverse(), a.features], opts);
  // Keys in a fixed order (the order of the optimiser's state and of saved models).
  return {
    encoder, mean,
    ...(logVariance === undefined ? {} : { logVariance }),
    decoder,
    ...(a.likelihood === 'gaussian' ? { outputLogVariance: { rows: 1, cols: 1, data: a.dtype === 'float32' ? new Float32Array(1) : new Float64Array(1) } } : {}),
  };
}

/** The same tree as {@link VaeWeights}, with values of a computation (or plain Matrices) at the leaves. */
export interface Net {
  readonly encoder: readonly { readonly weight: Operand; readonly bias: Operand }[];
  readonly mean: { readonly weight: Operand; readonly bias: Operand };
  readonly logVariance?: { readonly weight: Operand; readonly bias: Operand };
  readonly decoder: readonly { readonly weight: Operand; readonly bias: Operand }[];
  readonly outputLogVariance?: Operand;
}

/** q(z | x): the mean (n × latent) and, for a VAE, the log-variance. */
export function encoderHeads(w: Net, x: Operand): { mean: Var; logVariance: Var | null } {
  let h: Operand = x;
  for (const layer of w.encoder) h = dense.apply(layer, h, 'relu');
  return { mean: dense.apply(w.mean, h), logVariance: w.logVariance ? dense.apply(w.logVariance, h) : null };
}

/** The decoder's last layer (n × features): logits for bernoulli, means for gaussian. */
export function decoderOutput(w: Net, z: Operand): Var {
  return mlp.apply(w.decoder, z, { activation: 'relu' });
}

/** Means of p(x | z) from the decoder's output: probabilities for bernoulli. */
export function outputMeans(likelihood: Likelihood, out: Var): Var {
  return likelihood === 'bernoulli' ? sigmoid(out) : out;
}

/** z = μ + σ·ε with σ = exp(½ log σ²): the reparameterisation trick (μ itself without ε). */
export function reparameterise(mean: Var, logVariance: Var | null, eps: Matrix | null): Var {
  if (logVariance === null || eps === null) return mean;
  return add(mean, mul(exp(scale(logVariance, 0.5)), eps));
}

/** log 2π as a 1 × 1 constant of each element type (made once: a training step allocates nothing). */
const LOG_2PI = {
  float32: { rows: 1, cols: 1, data: Float32Array.of(Math.log(2 * Math.PI)) },
  float64: { rows: 1, cols: 1, data: Float64Array.of(Math.log(2 * Math.PI)) },
} satisfies Record<Dtype, Matrix>;

/**
 * −log p(x | z) per sample (n × 1): Bernoulli, the binary cross-entropy with logits summed
 * over features; Gaussian, ½ Σ ((x − μ)² e^(−s) + s + log 2π) with s = log σ².
 */
export function reconstructionTerms(a: Architecture, w: Net, out: Var, x: Operand): Var {
  if (a.likelihood === 'bernoulli') return sum(bceWithLogits(out, x, { reduction: 'none' }), { axis: 1 });
  const s = w.outputLogVariance!;
  const residual = sum(mul(square(sub(out, x)), exp(scale(s, -1))), { axis: 1 });
  // Per row: ½ · residual + (features / 2) · (s + log 2π).
  const constant = scale(add(s, LOG_2PI[out.data instanceof Float32Array ? 'float32' : 'float64']), 0.5 * a.features);
  return add(scale(residual, 0.5), constant);
}

/** The per-sample terms of the objective at one draw ε. */
export interface Terms {
  /** −log p(x | z), (n × 1). */
  readonly reconstruction: Var;
  /** KL(q(z | x) ‖ N(0, I)), (n × 1); null for a plain autoencoder. */
  readonly kl: Var | null;
}

/** Encode, reparameterise with ε, decode: the posterior's parameters and the decoder's output. */
function forward(w: Net, x: Operand, eps: Matrix | null): { mean: Var; logVariance: Var | null; out: Var } {
  const { mean, logVariance } = encoderHeads(w, x);
  return { mean, logVariance, out: decoderOutput(w, reparameterise(mean, logVariance, eps)) };
}

/** Encode, reparameterise with ε, decode: the per-sample terms. */
export function terms(a: Architecture, w: Net, x: Operand, eps: Matrix | null): Terms {
  const { mean, logVariance, out } = forward(w, x, eps);
  return {
    reconstruction: reconstructionTerms(a, w, out, x),
    kl: logVariance === null ? null : gaussianKl(mean, logVariance, { reduction: 'none' }),
  };
}

/**
 * The training objective of a minibatch, summed over its samples as PyTorch's
 * examples/vae: Σ −log p(x | z) + β · Σ KL. Also the two sums, for progress reports. The
 * Bernoulli sum is one op (its per-entry terms are never stored).
 */
export function objective(a: Architecture, beta: number, w: Net, x: Operand, eps: Matrix | null): { loss: Var; reconstruction: Var; kl: Var | null } {
  const { mean, logVariance, out } = forward(w, x, eps);
  const reconstruction = a.likelihood === 'bernoulli' ? bceWithLogits(out, x, { reduction: 'sum' }) : sum(reconstructionTerms(a, w, out, x));
  const kl = logVariance === null ? null : gaussianKl(mean, logVariance, { reduction: 'sum' });
  const loss = kl === null ? reconstruction : add(reconstruction, beta === 1 ? kl : scale(kl, beta));
  return { loss, reconstruction, kl };
}
