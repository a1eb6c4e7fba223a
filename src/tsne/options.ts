import { describe, fail, formatNumber } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import type { OnProgress } from '../core/iterate.js';
import { checkCallback, checkChoice, checkInt, checkNumber, checkOptions, checkSignal, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { checkSeed, type SeedLike } from '../core/random.js';

/**
 * How the repulsive forces are computed.
 *
 * @example
 * ```ts
 * tsne.fit(X, { method: 'barnes-hut', theta: 0.5 }).method; // 'barnes-hut'
 * ```
 */
export type TsneMethod = 'exact' | 'barnes-hut' | 'fft';

/**
 * Every name `method` accepts: a {@link TsneMethod} or `'auto'`.
 *
 * @example
 * ```ts
 * const m: TsneMethodOption = 'auto';
 * ```
 */
export type TsneMethodOption = TsneMethod | 'auto';

/**
 * The starting embedding: `'pca'` (the first principal components, scaled so the first
 * coordinate has standard deviation 1e-4), `'random'` (Gaussian, standard deviation 1e-4),
 * or the (nSamples × nComponents) matrix itself.
 *
 * @example
 * ```ts
 * tsne.fit(X, { init: 'random', seed: 3 });
 * ```
 */
export type TsneInit = 'pca' | 'random' | MatrixInput;

/**
 * The input dissimilarity: `'euclidean'` uses squared Euclidean distances (as
 * scikit-learn), `'cosine'` uses 1 − cos(xᵢ, xⱼ).
 *
 * @example
 * ```ts
 * tsne.fit(wordVectors, { metric: 'cosine' });
 * ```
 */
export type TsneMetric = 'euclidean' | 'cosine';

/**
 * One iteration (or one every `yieldEvery`) of the optimisation, as {@link steps} yields it.
 *
 * @example
 * ```ts
 * for (const s of tsne.steps(X, { nIter: 300 })) if (s.iteration % 50 === 0) draw(s.embedding);
 * ```
 */
export interface TsneStep {
  /** Iterations done so far, from 1 (counting those of the model `optimize` continues). */
  readonly iteration: number;
  /** The embedding after this iteration, (nSamples × nComponents), a copy. */
  readonly embedding: Matrix<Float64Array>;
  /**
   * KL(P‖Q) of the unexaggerated P, measured every 50 iterations (and at the first and
   * last); between measurements, the last value measured.
   */
  readonly kl: number;
  /** The exaggeration of P during this iteration (12 early on, then 1). */
  readonly exaggeration: number;
  /** Euclidean norm of this iteration's gradient. */
  readonly gradNorm: number;
}

/**
 * Options of {@link fit}, {@link fitAsync} and {@link steps}.
 *
 * @example
 * ```ts
 * tsne.fit(X, { perplexity: 30, nIter: 1000, method: 'auto', seed: 1 });
 * ```
 */
export interface TsneOptions {
  /**
   * Dimension of the embedding, 1, 2 or 3.
   * @defaultValue 2
   */
  nComponents?: number;
  /**
   * The effective number of neighbours of each point: every row of the conditional
   * probabilities has entropy log(perplexity). Must be below (nSamples − 1) / 3.
   * Each point's affinities use its ⌊3·perplexity + 1⌋ nearest neighbours (all other
   * points with `method: 'exact'`).
   * @defaultValue 30
   */
  perplexity?: number;
  /**
   * `'exact'`: all n² pairs (O(n²) time and memory; P dense); `'barnes-hut'`: a
   * space-partitioning tree with opening angle `theta`; `'fft'`: FIt-SNE's interpolation on
   * a grid with FFT convolutions (1–2 dimensions). `'auto'` picks 'exact' below 500
   * points, then 'fft' for 1-D maps and 'barnes-hut' for 2-D and 3-D maps (see
   * {@link autoMethod} for the measurements behind these choices).
   * @defaultValue 'auto'
   */
  method?: TsneMethodOption;
  /**
   * Barnes-Hut opening angle: a cell of width w at distance d counts as one body when
   * w / d < θ. 0 gives the exact forces (slowly).
   * @defaultValue 0.5
   */
  theta?: number;
  /**
   * Total iterations, early exaggeration included.
   * @defaultValue 1000
   */
  nIter?: number;
  /**
   * Factor on P during the first `earlyExaggerationIter` iterations: clusters form first.
   * @defaultValue 12
   */
  earlyExaggeration?: number;
  /**
   * Iterations with exaggerated P (momentum `momentum`), before the rest (momentum `finalMomentum`).
   * @defaultValue 250
   */
  earlyExaggerationIter?: number;
  /**
   * Step size; `'auto'` is max(nSamples / earlyExaggeration / 4, 50) (Belkina et al. 2019,
   * as scikit-learn).
   * @defaultValue 'auto'
   */
  learningRate?: number | 'auto';
  /**
   * Momentum during early exaggeration.
   * @defaultValue 0.5
   */
  momentum?: number;
  /**
   * Momentum afterwards.
   * @defaultValue 0.8
   */
  finalMomentum?: number;
  /**
   * The starting embedding.
   * @defaultValue 'pca'
   */
  init?: TsneInit;
  /**
   * Input dissimilarity.
   * @defaultValue 'euclidean'
   */
  metric?: TsneMetric;
  /**
   * Seed (or generator) of the random initialisation (and of PCA's randomized solver).
   * @defaultValue 0
   */
  seed?: SeedLike;
  /**
   * {@link steps} yields (and `onProgress` is called) every `yieldEvery` iterations, and
   * after the last.
   * @defaultValue 1
   */
  yieldEvery?: number;
  /** Called after every yielded step; return `true` to stop (the embedding so far is returned, `completed: false`). */
  onProgress?: OnProgress<TsneStep>;
  /** Stops the run before its next iteration when aborted; the embedding so far is returned, `completed: false`. */
  signal?: AbortSignal;
}

/**
 * The optimiser's settings, shared by fit, optimize and transform.
 *
 * @example
 * ```ts
 * const s: DescentSettings = { method: 'barnes-hut', theta: 0.5, learningRate: 200, yieldEvery: 1, signal: undefined };
 * ```
 */
export interface DescentSettings {
  readonly method: TsneMethod;
  readonly theta: number;
  readonly learningRate: number;
  readonly yieldEvery: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * {@link TsneOptions} resolved against X: every field defined and checked.
 *
 * @example
 * ```ts
 * const r: ResolvedOptions = resolveOptions({ perplexity: 5 }, 100);
 * r.nIter; // 1000
 * ```
 */
export interface ResolvedOptions extends DescentSettings {
  readonly nComponents: number;
  readonly perplexity: number;
  readonly nIter: number;
  readonly earlyExaggeration: number;
  readonly earlyExaggerationIter: number;
  readonly momentum: number;
  readonly finalMomentum: number;
  readonly init: 'pca' | 'random' | Matrix;
  readonly metric: TsneMetric;
  readonly seed: SeedLike | undefined;
}

const METHODS: readonly TsneMethodOption[] = ['auto', 'exact', 'barnes-hut', 'fft'];
const METRICS: readonly TsneMetric[] = ['euclidean', 'cosine'];

/**
 * The method `'auto'` runs for n points in `dim` dimensions: `'exact'` below 500 points,
 * then `'fft'` for 1-D maps and `'barnes-hut'` for 2-D and 3-D maps.
 *
 * Measured (Node 20, one core of a shared 2-core machine, CPU time, November 2026):
 * - MNIST PCA-50, 1000 iterations, whole fits: exact and Barnes-Hut both take 0.4 s at 250
 *   points; at 500, 1.5 s against 0.95 s; at 1,000, 6.0 s against 1.4 s.
 * - The repulsion alone, per iteration, 1-D: at 1,000 points FFT 0.7 ms, Barnes-Hut 1.5 ms,
 *   exact 2.1 ms; at 10,000, FFT 1.3 ms, Barnes-Hut 13 ms.
 * - 2-D: the FFT's cost is that of its grid, (6·intervals)² complex points in five 2-D
 *   FFTs, and FIt-SNE's resolution (an interval per unit of extent) makes the grid
 *   768 × 768 for a finished 2,500-point MNIST map: 82 ms per iteration against 3 ms for
 *   Barnes-Hut; 64 ms against 19 ms at 10,000 points (extent 100); 308 ms against 113 ms
 *   at 50,000 (extent 200). Barnes-Hut's n log n catches up with the grid only beyond
 *   these sizes, so 'auto' never picks the FFT in 2-D; ask for it explicitly (its forces
 *   are accurate to ~1e-3 while the map is compact, a few percent at full extent, like
 *   Barnes-Hut at θ = 0.5).
 *
 * @example
 * ```ts
 * tsne.autoMethod(300, 2);    // 'exact'
 * tsne.autoMethod(2500, 2);   // 'barnes-hut'
 * tsne.autoMethod(10000, 1);  // 'fft'
 * tsne.autoMethod(10000, 3);  // 'barnes-hut'
 * ```
 */
export function autoMethod(n: number, dim: number): TsneMethod {
  checkInt(n, 'n', 1);
  checkInt(dim, 'dim', 1, 3);
  if (n < 500) return 'exact';
  return dim === 1 ? 'fft' : 'barnes-hut';
}

/**
 * Checks the options shared by every optimisation (method, θ, learning rate, yieldEvery,
 * signal); `'auto'` values are resolved for n points and `exaggeration`.
 *
 * @example
 * ```ts
 * resolveDescent({}, 5000, 2, 12).method; // 'barnes-hut'
 * ```
 */
export function resolveDescent(
  opts: { method?: TsneMethodOption; theta?: number; learningRate?: number | 'auto'; yieldEvery?: number; signal?: AbortSignal },
  n: number, dim: number, exaggeration: number, fallback?: TsneMethod,
): DescentSettings {
  const choice = checkChoice<TsneMethodOption>(opts.method ?? fallback ?? 'auto', 'method', METHODS);
  const method = choice === 'auto' ? autoMethod(n, dim) : choice;
  if (method === 'fft' && dim > 2) {
    fail('INVALID_OPTION', `method: received 'fft' with nComponents ${dim}, expected 'barnes-hut' or 'exact' (the FFT interpolation handles 1 or 2 dimensions)`);
  }
  const lr = opts.learningRate ?? 'auto';
  const signal = checkSignal(opts.signal);
  return {
    method,
    theta: checkNumber(opts.theta ?? 0.5, 'theta', 0),
    learningRate: lr === 'auto' ? Math.max(n / exaggeration / 4, 50) : checkNumber(lr, 'learningRate', Number.MIN_VALUE, MAX_LEARNING_RATE),
    yieldEvery: checkInt(opts.yieldEvery ?? 1, 'yieldEvery', 1, MAX_ITERATIONS),
    signal,
  };
}

/**
 * Checks a perplexity against n points: it must be positive and below (n − 1) / 3, so that
 * the 3·perplexity nearest neighbours exist.
 *
 * @example
 * ```ts
 * checkPerplexity(30, 100); // 30; checkPerplexity(40, 100) throws
 * ```
 */
export function checkPerplexity(value: unknown, n: number): number {
  const limit = (n - 1) / 3;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail('INVALID_OPTION', `perplexity: received ${describe(value)}, expected a positive number below (n − 1) / 3 = ${formatNumber(limit)} for n = ${n} points`);
  }
  if (value >= limit) {
    fail('INVALID_OPTION', `perplexity: received ${value}, which is too large for ${n} points: it must be below (n − 1) / 3 = ${formatNumber(limit)}; lower it or add points`);
  }
  return value;
}

function resolveInit(init: unknown, n: number, dim: number): 'pca' | 'random' | Matrix {
  if (init === 'pca' || init === 'random') return init;
  if (typeof init === 'string' || init === null || typeof init !== 'object') {
    return fail('INVALID_OPTION', `init: received ${describe(init)}, expected 'pca', 'random' or an (${n} × ${dim}) matrix`);
  }
  const m = asMatrix(init as MatrixInput, 'init');
  if (m.rows !== n || m.cols !== dim) fail('SHAPE_MISMATCH', `init: received a ${m.rows} × ${m.cols} matrix, expected ${n} × ${dim} (nSamples × nComponents)`);
  return m;
}

/**
 * Largest `learningRate` accepted: 'auto' gives n / 48 (10⁴ for half a million points);
 * far larger steps throw the map to extents where the forces lose every digit (1e300 gave
 * NaN maps).
 */
export const MAX_LEARNING_RATE = 1e6;

/** Largest `earlyExaggeration` or `exaggeration` accepted (usual values: 1 to 50). */
export const MAX_EXAGGERATION = 1e4;

/** Every option name of {@link TsneOptions} (unknown ones are rejected). */
const TSNE_OPTION_NAMES = optionNames<TsneOptions>()('nComponents', 'perplexity', 'method', 'theta', 'nIter', 'earlyExaggeration', 'earlyExaggerationIter', 'learningRate', 'momentum', 'finalMomentum', 'init', 'metric', 'seed', 'yieldEvery', 'onProgress', 'signal');

/**
 * Resolves {@link TsneOptions} for n points of d features.
 *
 * @example
 * ```ts
 * resolveOptions({}, 2500, 50).learningRate; // 52.08… = 2500 / 12 / 4
 * ```
 */
export function resolveOptions(options: TsneOptions | undefined, n: number): ResolvedOptions {
  const o = checkOptions(options, TSNE_OPTION_NAMES);
  checkCallback(o.onProgress, 'onProgress');
  const nComponents = checkInt(o.nComponents ?? 2, 'nComponents', 1, 3);
  const perplexity = checkPerplexity(o.perplexity ?? 30, n);
  const earlyExaggeration = checkNumber(o.earlyExaggeration ?? 12, 'earlyExaggeration', Number.MIN_VALUE, MAX_EXAGGERATION);
  return {
    ...resolveDescent(o, n, nComponents, earlyExaggeration),
    nComponents,
    perplexity,
    nIter: checkInt(o.nIter ?? 1000, 'nIter', 0, MAX_ITERATIONS),
    earlyExaggeration,
    earlyExaggerationIter: checkInt(o.earlyExaggerationIter ?? 250, 'earlyExaggerationIter', 0, MAX_ITERATIONS),
    momentum: checkNumber(o.momentum ?? 0.5, 'momentum', 0, 1),
    finalMomentum: checkNumber(o.finalMomentum ?? 0.8, 'finalMomentum', 0, 1),
    init: resolveInit(o.init ?? 'pca', n, nComponents),
    metric: checkChoice<TsneMetric>(o.metric ?? 'euclidean', 'metric', METRICS),
    seed: checkSeed(o.seed),
  };
}
