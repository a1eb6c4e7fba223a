import { describe, fail } from '../core/errors.js';
import { asMatrix, asVector, isMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import type { Dtype } from '../autodiff/tape.js';
import { architecture, checkModel, type VaeModel } from './model.js';
import {
  decoderOutput, encoderHeads, outputMeans, reconstructionTerms, type Architecture, type Net, type VaeWeights,
} from './network.js';
import { checkUnitInterval } from './options.js';

// Everything a trained model does, on the plain weights (the ops compute without a tape).
// Rows are processed in chunks so that memory (ours and the WebAssembly GEMM's) stays
// bounded for large inputs.

/** Rows per chunk: 1,000 digits of 784 float32 pixels are 3 MB per layer output. */
const CHUNK = 1000;

function allocate(dtype: Dtype, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** Rows [start, end) of X, as a view. */
function rowsOf(X: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: X.cols, data: X.data.subarray(start * X.cols, end * X.cols) };
}

/** The samples of `input` in the model's element type, checked against `cols` (a single vector counts as one row). */
function samplesOf(input: MatrixInput | ArrayLike<number>, cols: number, dtype: Dtype, name: string, what: string): Matrix {
  const flat = ArrayBuffer.isView(input) || (Array.isArray(input) && typeof input[0] === 'number');
  const m = flat && !isMatrix(input)
    ? asMatrix(input as ArrayLike<number>, name, { rows: 1, cols: (input as ArrayLike<number>).length, dtype })
    : asMatrix(input as MatrixInput, name, { dtype });
  if (m.cols !== cols) fail('SHAPE_MISMATCH', `${name}: received ${m.rows} × ${m.cols}, expected ${cols} columns (${what})`);
  return m;
}

/** Copies a chunk's result into rows [start, …) of `out`. */
function place(out: Matrix, start: number, part: Matrix): void {
  out.data.set(part.data, start * out.cols);
}

/**
 * The encoder's Gaussian q(z | x) = N(mean, diag exp(logVariance)) for every row of X.
 *
 * A plain autoencoder (`variational: false`) has no variance: its `logVariance` is −∞
 * throughout (a point mass at the code).
 *
 * @param X - (nSamples, nFeatures)
 * @returns `mean` and `logVariance`, each (nSamples × latent), in the model's element type
 * @example
 * ```ts
 * const { mean, logVariance } = vae.encode(model, X);
 * [mean.rows, mean.cols]; // [X.rows, model.options.latent]
 * ```
 */
export function encode(model: VaeModel, X: MatrixInput): { mean: Matrix; logVariance: Matrix } {
  const m = checkModel(model);
  const { dtype, latent } = m.options;
  const x = samplesOf(X, m.features, dtype, 'X', 'the features the model was trained on');
  const mean: Matrix = { rows: x.rows, cols: latent, data: allocate(dtype, x.rows * latent) };
  const logVariance: Matrix = { rows: x.rows, cols: latent, data: allocate(dtype, x.rows * latent) };
  if (!m.options.variational) logVariance.data.fill(-Infinity);
  for (let start = 0; start < x.rows; start += CHUNK) {
    const heads = encoderHeads(m.weights as Net, rowsOf(x, start, Math.min(x.rows, start + CHUNK)));
    place(mean, start, heads.mean);
    if (heads.logVariance !== null) place(logVariance, start, heads.logVariance);
  }
  return { mean, logVariance };
}

/**
 * The posterior q(z | x) of one sample as the diagonal Gaussian `{ mean, variance }` that
 * `latentspace/interp` takes as it is: `interp.fisherRaoGeodesic(posterior(m, a),
 * posterior(m, b), t)`, `interp.geodesicPath(…)`, `interp.w2Distance(…)`. (A plain
 * autoencoder's variance is 0: a point, which the Wasserstein functions accept and the
 * Fisher-Rao ones reject.)
 *
 * @param x - one sample: a vector of nFeatures, or a 1 × nFeatures matrix
 * @example
 * ```ts
 * const g = vae.posterior(model, X[0]);
 * [g.mean.length, g.variance.length]; // [20, 20]
 * ```
 */
export function posterior(model: VaeModel, x: MatrixInput | ArrayLike<number>): { mean: Float64Array; variance: Float64Array } {
  const m = checkModel(model);
  const one = samplesOf(x, m.features, m.options.dtype, 'x', 'one sample of the features the model was trained on');
  if (one.rows !== 1) fail('SHAPE_MISMATCH', `x: received ${one.rows} rows, expected one sample (encode takes many)`);
  const { mean, logVariance } = encode(m, one);
  return { mean: Float64Array.from(mean.data), variance: Float64Array.from(logVariance.data, Math.exp) };
}

/** decode on already coerced codes. */
function decodeCodes(m: VaeModel, Z: Matrix): Matrix {
  const out: Matrix = { rows: Z.rows, cols: m.features, data: allocate(m.options.dtype, Z.rows * m.features) };
  for (let start = 0; start < Z.rows; start += CHUNK) {
    place(out, start, outputMeans(m.options.likelihood, decoderOutput(m.weights as Net, rowsOf(Z, start, Math.min(Z.rows, start + CHUNK)))));
  }
  return out;
}

/**
 * The means of p(x | z) for every code: pixel probabilities for a Bernoulli decoder, μ(z)
 * for a Gaussian one.
 *
 * @param Z - (nCodes, latent), or one code as a vector
 * @returns (nCodes × nFeatures), in the model's element type
 * @example
 * ```ts
 * vae.decode(model, new Float32Array(20)).cols; // 784: the picture at the centre of the latent space
 * ```
 */
export function decode(model: VaeModel, Z: MatrixInput | ArrayLike<number>): Matrix {
  const m = checkModel(model);
  return decodeCodes(m, samplesOf(Z, m.options.latent, m.options.dtype, 'Z', 'latent codes'));
}

/**
 * decode(encode(X).mean): each sample through the posterior mean.
 *
 * @example
 * ```ts
 * vae.reconstruct(model, X).rows === X.rows; // true
 * ```
 */
export function reconstruct(model: VaeModel, X: MatrixInput): Matrix {
  const m = checkModel(model);
  return decodeCodes(m, encode(m, X).mean);
}

/** Options of {@link sample}. */
export interface SampleOptions {
  /** Seed (or generator) of the codes z ~ N(0, I). @defaultValue 0 */
  seed?: SeedLike;
}
const SAMPLE_OPTIONS = optionNames<SampleOptions>()('seed');

/**
 * New samples: codes drawn from the prior N(0, I), decoded (the means of p(x | z)).
 *
 * @example
 * ```ts
 * vae.sample(model, 16, { seed: 1 }).rows; // 16
 * ```
 */
export function sample(model: VaeModel, n: number, options?: SampleOptions): Matrix {
  const m = checkModel(model);
  const opts = checkOptions(options, SAMPLE_OPTIONS, 'sample: options');
  const count = checkInt(n, 'n', 1);
  const random = randomFrom(opts.seed);
  const Z: Matrix = { rows: count, cols: m.options.latent, data: random.fillNormal(allocate(m.options.dtype, count * m.options.latent)) };
  return decodeCodes(m, Z);
}

/** Options of {@link elbo} and {@link logLikelihood}. */
export interface ElboOptions {
  /** Draws of z ~ q(z | x) per sample. @defaultValue 1 for elbo, 500 for logLikelihood */
  samples?: number;
  /** Seed (or generator) of the draws. @defaultValue 0 */
  seed?: SeedLike;
}
const ELBO_OPTIONS = optionNames<ElboOptions>()('samples', 'seed');

/** What {@link elbo} returns: per sample, the bound and its two terms (nats). */
export interface ElboResult {
  /** reconstruction − kl: a lower bound of log p(x). */
  readonly elbo: Float64Array;
  /** E_q[log p(x | z)], estimated with `samples` draws. */
  readonly reconstruction: Float64Array;
  /** KL(q(z | x) ‖ N(0, I)), exact. */
  readonly kl: Float64Array;
}

/**
 * Visits X in chunks; for each, encodes once and calls `draw` with the chunk's log p(x | z)
 * (n × 1, already negated back from the reconstruction loss) at `samples` draws of ε, and
 * the ε used.
 */
function eachDraw(a: Architecture, w: VaeWeights, x: Matrix, samples: number, random: Random,
  visit: (start: number, rows: number, mean: Matrix, logVariance: Matrix) => void,
  draw: (start: number, rows: number, logPxz: FloatArray, eps: FloatArray, z: FloatArray) => void): void {
  const net = w as Net;
  for (let start = 0; start < x.rows; start += CHUNK) {
    const chunk = rowsOf(x, start, Math.min(x.rows, start + CHUNK));
    const { mean, logVariance } = encoderHeads(net, chunk);
    visit(start, chunk.rows, mean, logVariance!);
    const eps: Matrix = { rows: chunk.rows, cols: a.latent, data: allocate(a.dtype, chunk.rows * a.latent) };
    const z: Matrix = { rows: chunk.rows, cols: a.latent, data: allocate(a.dtype, chunk.rows * a.latent) };
    for (let s = 0; s < samples; s++) {
      random.fillNormal(eps.data);
      for (let i = 0; i < z.data.length; i++) z.data[i] = mean.data[i]! + Math.exp(0.5 * logVariance!.data[i]!) * eps.data[i]!;
      const rec = reconstructionTerms(a, net, decoderOutput(net, z), chunk);
      draw(start, chunk.rows, rec.data, eps.data, z.data);
    }
  }
}

/** The per-sample KL(q ‖ N(0, I)) of one row: −½ Σ (1 + lv − μ² − e^lv). */
function klRow(mean: FloatArray, logVariance: FloatArray, offset: number, latent: number): number {
  let s = 0;
  for (let j = offset; j < offset + latent; j++) s += 1 + logVariance[j]! - mean[j]! * mean[j]! - Math.exp(logVariance[j]!);
  return -0.5 * s;
}

/** E_q log p(x | z) (Monte Carlo) and the KL, per row: the body of {@link elbo}. */
export function elboTerms(a: Architecture, w: VaeWeights, x: Matrix, samples: number, random: Random): { reconstruction: Float64Array; kl: Float64Array } {
  const reconstruction = new Float64Array(x.rows), kl = new Float64Array(x.rows);
  eachDraw(a, w, x, samples, random,
    (start, rows, mean, logVariance) => {
      for (let i = 0; i < rows; i++) kl[start + i] = klRow(mean.data, logVariance.data, i * a.latent, a.latent);
    },
    (start, rows, rec) => {
      for (let i = 0; i < rows; i++) reconstruction[start + i]! -= rec[i]! / samples;
    });
  return { reconstruction, kl };
}

/** The mean ELBO per sample with one draw each (the validation figure of a training run). */
export function meanElbo(a: Architecture, w: VaeWeights, x: Matrix, random: Random): number {
  const { reconstruction, kl } = elboTerms(a, w, x, 1, random);
  let s = 0;
  for (let i = 0; i < x.rows; i++) s += reconstruction[i]! - kl[i]!;
  return s / x.rows;
}

function resolveDraws(model: VaeModel, X: MatrixInput, options: ElboOptions | undefined, op: string, samples: number): { m: VaeModel; x: Matrix; samples: number; random: Random } {
  const m = checkModel(model);
  const opts = checkOptions(options, ELBO_OPTIONS, `${op}: options`);
  if (!m.options.variational) fail('UNSUPPORTED', `${op}: the model is a plain autoencoder (variational: false): it has no posterior to draw from and no ELBO; compare reconstructions instead`);
  const x = samplesOf(X, m.features, m.options.dtype, 'X', 'the features the model was trained on');
  if (m.options.likelihood === 'bernoulli') checkUnitInterval(x, 'X');
  return { m, x, samples: checkInt(opts.samples ?? samples, `${op}: samples`, 1), random: randomFrom(opts.seed, `${op}: seed`) };
}

/**
 * The evidence lower bound of every sample, log p(x) ≥ E_q[log p(x | z)] − KL(q(z | x) ‖
 * p(z)), with its two terms: the expected log-likelihood estimated from `samples` draws
 * z = μ + σ·ε, the KL in closed form. β is not applied (this is the bound itself).
 *
 * @param X - (nSamples, nFeatures)
 * @throws {@link core!LatentSpaceError} `UNSUPPORTED` for a plain autoencoder
 * @example
 * ```ts
 * const { elbo, reconstruction, kl } = vae.elbo(model, X, { samples: 10, seed: 0 });
 * elbo[0] === reconstruction[0] - kl[0]; // true
 * ```
 */
export function elbo(model: VaeModel, X: MatrixInput, options?: ElboOptions): ElboResult {
  const { m, x, samples, random } = resolveDraws(model, X, options, 'elbo', 1);
  const { reconstruction, kl } = elboTerms(architecture(m), m.weights, x, samples, random);
  return { elbo: reconstruction.map((r, i) => r - kl[i]!), reconstruction, kl };
}

/**
 * log p(x) of every sample, estimated by importance sampling with q(z | x) as the proposal:
 * log (1/S) Σₛ p(x | zₛ) p(zₛ) / q(zₛ | x) (the bound of Burda et al. 2016, which rises to
 * log p(x) as S grows and equals the ELBO's expectation at S = 1).
 *
 * @throws {@link core!LatentSpaceError} `UNSUPPORTED` for a plain autoencoder
 * @see Burda, Grosse & Salakhutdinov (2016), "Importance weighted autoencoders", ICLR
 * @example
 * ```ts
 * const ll = vae.logLikelihood(model, X, { samples: 500 });
 * ll[0] >= vae.elbo(model, X, { samples: 500 }).elbo[0]; // true (up to Monte-Carlo noise)
 * ```
 */
export function logLikelihood(model: VaeModel, X: MatrixInput, options?: ElboOptions): Float64Array {
  const { m, x, samples, random } = resolveDraws(model, X, options, 'logLikelihood', 500);
  const a = architecture(m), latent = a.latent;
  // log weights of every row's draws, then a log-sum-exp per row.
  const logW = new Float64Array(x.rows * samples);
  let lvSum = new Float64Array(0);
  let s = 0;
  eachDraw(a, m.weights, x, samples, random,
    (_start, rows, _mean, logVariance) => {
      s = 0;
      lvSum = new Float64Array(rows);
      for (let i = 0; i < rows; i++) for (let j = 0; j < latent; j++) lvSum[i]! += logVariance.data[i * latent + j]!;
    },
    (start, rows, rec, eps, z) => {
      // log p(x|z) + log p(z) − log q(z|x) = −rec − ½Σz² + ½Σ(ε² + log σ²): the 2π terms cancel.
      for (let i = 0; i < rows; i++) {
        let zz = 0, ee = 0;
        for (let j = i * latent; j < (i + 1) * latent; j++) {
          zz += z[j]! * z[j]!;
          ee += eps[j]! * eps[j]!;
        }
        logW[(start + i) * samples + s] = -rec[i]! - 0.5 * zz + 0.5 * (ee + lvSum[i]!);
      }
      s++;
    });
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < samples; k++) max = Math.max(max, logW[i * samples + k]!);
    let acc = 0;
    for (let k = 0; k < samples; k++) acc += Math.exp(logW[i * samples + k]! - max);
    out[i] = max + Math.log(acc / samples);
  }
  return out;
}

/** A Gaussian as `latentspace/interp` returns it: only its mean is decoded. */
interface WithMean {
  readonly mean: ArrayLike<number>;
}

/**
 * Decodes a walk through the latent space, one picture per point: the Gaussians of
 * `interp.geodesicPath` (their means are decoded), or codes (the rows of `interp.path`,
 * or an array of vectors from `interp.lerp`/`slerp`).
 *
 * @param path - Gaussians `{ mean, … }`, or codes (nSteps × latent)
 * @returns (nSteps × nFeatures): a film strip for `image.grid`
 * @example
 * ```ts
 * const walk = interp.geodesicPath(vae.posterior(m, a), vae.posterior(m, b), { steps: 8, metric: 'fisher-rao' });
 * vae.decodePath(m, walk).rows; // 8
 * ```
 */
export function decodePath(model: VaeModel, path: readonly (WithMean | ArrayLike<number>)[] | MatrixInput): Matrix {
  const m = checkModel(model);
  const latent = m.options.latent;
  if (Array.isArray(path) && path.length > 0 && path.every((g) => g !== null && typeof g === 'object' && 'mean' in g && !isMatrix(g))) {
    const Z: Matrix = { rows: path.length, cols: latent, data: allocate(m.options.dtype, path.length * latent) };
    (path as WithMean[]).forEach((g, i) => {
      const mean = asVector(g.mean, `path[${i}].mean`);
      if (mean.length !== latent) fail('SHAPE_MISMATCH', `path[${i}].mean: received ${mean.length} values, expected ${latent} (the latent dimensions)`);
      Z.data.set(mean, i * latent);
    });
    return decodeCodes(m, Z);
  }
  if (Array.isArray(path) && path.length === 0) fail('EMPTY_INPUT', `path: received ${describe(path)}, expected Gaussians or codes to decode`);
  return decodeCodes(m, samplesOf(path as MatrixInput, latent, m.options.dtype, 'path', 'latent codes'));
}
