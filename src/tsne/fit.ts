import { fail } from '../core/errors.js';
import { drive, driveAsync } from '../core/iterate.js';
import { asMatrix64, isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { randomFrom } from '../core/random.js';
import { principalScores } from '../pca/scores.js';
import { conditionalP, jointP, nearestNeighbours, type Csr } from './affinities.js';
import { descend, type DescentResult, type GradientFn, type Phase } from './descent.js';
import { repulsionFor, tsneGradient } from './forces.js';
import { checkModel, freezeModel, type TsneModel } from './model.js';
import { MAX_EXAGGERATION, resolveDescent, resolveOptions, type DescentSettings, type ResolvedOptions, type TsneMethodOption, type TsneMetric, type TsneOptions, type TsneStep } from './options.js';
import type { OnProgress } from '../core/iterate.js';

/**
 * The rows prepared for neighbour search: a float64 copy, unit rows for the cosine metric.
 *
 * @example
 * ```ts
 * searchRows(X, 'cosine').data; // every row of X divided by its norm
 * ```
 */
export function searchRows(X: Matrix<Float64Array>, metric: TsneMetric, name: string): Matrix<Float64Array> {
  const data = Float64Array.from(X.data);
  if (metric === 'cosine') {
    const d = X.cols;
    for (let i = 0; i < X.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[i * d + j]! * data[i * d + j]!;
      if (!(s > 0)) fail('INVALID_INPUT', `${name}: row ${i} is all zeros, which has no cosine distance; remove it or use metric 'euclidean'`);
      const inv = 1 / Math.sqrt(s);
      for (let j = 0; j < d; j++) data[i * d + j] = data[i * d + j]! * inv;
    }
  }
  return { rows: X.rows, cols: X.cols, data };
}

/**
 * Squared Euclidean distances of unit rows turned into cosine distances, 1 − cos = ‖a − b‖² / 2
 * (in place; Euclidean distances are left as they are).
 *
 * @example
 * ```ts
 * metricDistances(new Float64Array([2]), 'cosine'); // Float64Array [1]: opposite unit vectors
 * ```
 */
export function metricDistances(dist: Float64Array, metric: TsneMetric): Float64Array {
  if (metric === 'cosine') for (let p = 0; p < dist.length; p++) dist[p] = dist[p]! / 2;
  return dist;
}

/**
 * Joint probabilities of the rows of X: the ⌊3·perplexity + 1⌋ nearest neighbours of each
 * (all n − 1 others for `exact`), a bandwidth per point by bisection, symmetrised.
 *
 * @example
 * ```ts
 * const P = affinities(X, 30, 'euclidean', false);
 * ```
 */
export function affinities(X: Matrix<Float64Array>, perplexity: number, metric: TsneMetric, all: boolean): Csr {
  const n = X.rows;
  const k = all ? n - 1 : Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const rows = searchRows(X, metric, 'X');
  const nb = nearestNeighbours(rows, rows, k, true);
  const cond = conditionalP(metricDistances(nb.dist as Float64Array, metric), n, k, perplexity);
  return jointP(nb.index, cond, n, k);
}

/** The starting embedding (n × dim). */
function initialEmbedding(X: Matrix<Float64Array>, opts: ResolvedOptions): Float64Array {
  const n = X.rows, dim = opts.nComponents;
  const { init } = opts;
  if (isMatrix(init)) return Float64Array.from(init.data);
  if (init === 'random') {
    const rng = randomFrom(opts.seed);
    const Y = new Float64Array(n * dim);
    for (let p = 0; p < Y.length; p++) Y[p] = 1e-4 * rng.normal();
    return Y;
  }
  if (X.cols < dim) {
    fail('INVALID_OPTION', `init: 'pca' needs at least nComponents = ${dim} features, X has ${X.cols}; use init 'random' or pass a matrix`);
  }
  // The randomized solver alone, as scikit-learn's TSNE: not pca.fit's whole bundle.
  const Y = principalScores(X, dim, opts.seed ?? 0).data;
  // Scale so that the first coordinate has standard deviation 1e-4 (as scikit-learn).
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Y[i * dim]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (Y[i * dim]! - mean) ** 2;
  const sd = Math.sqrt(v / n);
  const scale = sd > 0 ? 1e-4 / sd : 1;
  // Round to multiples of 1e-4 · 2⁻²⁴: PCA's last bits depend on the backend's kernels, and
  // the optimisation amplifies any difference chaotically; the rounding removes them
  // (unless a value sits within ~1e-16 of a rounding boundary) and costs no quality.
  const grid = 1e-4 / 16777216;
  for (let p = 0; p < Y.length; p++) Y[p] = Math.round((Y[p]! * scale) / grid) * grid;
  return Y;
}

/** Validated data and options of a fit, before the expensive work. */
interface Prepared {
  readonly X: Matrix<Float64Array>;
  readonly opts: ResolvedOptions;
}

function prepare(X: MatrixInput, options: TsneOptions | undefined): Prepared {
  const x = asMatrix64(X, 'X');
  if (x.rows < 4) fail('INVALID_INPUT', `X: received ${x.rows} points, expected at least 4 for t-SNE`);
  return { X: { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) }, opts: resolveOptions(options, x.rows) };
}

/** The body of {@link steps}: affinities, initialisation, the two phases, the model. */
function* fitRun(prep: Prepared): Generator<TsneStep, TsneModel, boolean | undefined> {
  const { X, opts } = prep;
  const n = X.rows, dim = opts.nComponents;
  // The setup stages take seconds for large n: an already-aborted signal skips them (the
  // model so far then has no affinities and the starting map, or zeros, and completed: false).
  const aborted = (): boolean => opts.signal?.aborted === true;
  const P: Csr = aborted() ? { n, rowPtr: new Int32Array(n + 1), col: new Int32Array(0), val: new Float64Array(0) } : affinities(X, opts.perplexity, opts.metric, opts.method === 'exact');
  const Y = !aborted() ? initialEmbedding(X, opts) : isMatrix(opts.init) ? Float64Array.from(opts.init.data) : new Float64Array(n * dim);
  const early = Math.min(opts.earlyExaggerationIter, opts.nIter);
  const phases: Phase[] = [
    { iterations: early, exaggeration: opts.earlyExaggeration, momentum: opts.momentum },
    { iterations: opts.nIter - early, exaggeration: 1, momentum: opts.finalMomentum },
  ];
  const base = {
    kind: 'tsne' as const, perplexity: opts.perplexity, metric: opts.metric, data: X,
    affinities: { rowPtr: P.rowPtr, col: P.col, val: P.val },
  };
  const { gradient, release } = tsneGradient(P, dim, repulsionFor(opts.method, dim, opts.theta));
  // release() runs when the run ends or is stopped; a generator dropped midway gives the
  // resident P back when it is collected (the arena's finaliser).
  try {
    const result = yield* descend(Y, n, dim, gradient, opts, phases, 0, NaN);
    return finish(base, Y, dim, gradient, result, opts);
  } finally {
    release();
  }
}

/** The model after a descent: the embedding, its KL divergence, and how it was made. */
function finish(
  base: Pick<TsneModel, 'kind' | 'perplexity' | 'metric' | 'data' | 'affinities'>,
  Y: Float64Array, dim: number, gradient: GradientFn, result: DescentResult, settings: DescentSettings,
): TsneModel {
  const n = Y.length / dim;
  const kl = gradient(Y, new Float64Array(n * dim), 1, true);
  // A step size or exaggeration far too large for the data can throw the map beyond what
  // the forces (or the FFT's grid) resolve: say so rather than return NaN.
  if (!Number.isFinite(kl) || !Y.every(Number.isFinite)) {
    fail('OUT_OF_RANGE', `learningRate, exaggeration: the map diverged (learning rate ${settings.learningRate}; its extent or KL divergence left float64's range), expected a smaller learningRate or exaggeration (or method 'barnes-hut')`);
  }
  return freezeModel({
    ...base,
    embedding: { rows: n, cols: dim, data: Y },
    kl,
    nIter: result.iteration,
    completed: !result.stopped,
    method: settings.method,
    theta: settings.theta,
    learningRate: settings.learningRate,
  });
}

/**
 * t-SNE as a generator of iterations: the one loop {@link fit} and {@link fitAsync} run.
 * The affinities are computed at the first `next()`; then every iteration (or every
 * `yieldEvery`) yields a {@link TsneStep} with a copy of the embedding, for a live view.
 * `next(true)` or an aborted `signal` stops it: the generator returns the model so far,
 * `completed: false`. Options are validated when `steps` is called.
 *
 * @param X - (nSamples, nFeatures), nSamples ≥ 4, finite
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` (fewer than 4 points), `INVALID_OPTION`
 *   (perplexity ≥ (n − 1) / 3, naming the largest allowed, and every bad option),
 *   `NON_FINITE`, `SHAPE_MISMATCH`, `EMPTY_INPUT`
 *
 * @example
 * ```ts
 * const it = tsne.steps(X, { nIter: 500, yieldEvery: 10 });
 * for (let r = it.next(); !r.done; r = it.next()) draw(r.value.embedding);
 * ```
 */
export function steps(X: MatrixInput, options?: TsneOptions): Generator<TsneStep, TsneModel, boolean | undefined> {
  return fitRun(prepare(X, options));
}

const klOf = (s: TsneStep): number => s.kl;

/**
 * t-Distributed Stochastic Neighbour Embedding: a map of X in 1–3 dimensions where points
 * that are near neighbours in X stay near (van der Maaten & Hinton 2008). Affinities from
 * each point's 3·perplexity nearest neighbours (exact search by blocked distance kernels),
 * Gaussian bandwidths by bisection on the entropy, symmetrised and kept sparse; then
 * gradient descent with momentum and gains, early exaggeration first. The repulsive forces
 * come from all pairs (`'exact'`), a Barnes-Hut tree, or FIt-SNE's FFT interpolation.
 *
 * @param X - (nSamples, nFeatures): number[][], Matrix, ndarray or ml-matrix
 * @returns a frozen {@link TsneModel}: `embedding` (nSamples × nComponents), `kl`, `nIter`, …
 * @throws {@link core!LatentSpaceError} see {@link steps}
 *
 * @see van der Maaten & Hinton (2008), Visualizing Data using t-SNE, JMLR 9
 * @see van der Maaten (2014), Accelerating t-SNE using tree-based algorithms, JMLR 15
 * @see Linderman et al. (2019), Fast interpolation-based t-SNE for improved visualization
 *   of single-cell RNA-seq data, Nature Methods 16
 *
 * @example
 * ```ts
 * import * as tsne from 'latentspace/tsne';
 * const model = tsne.fit(X, { perplexity: 30, seed: 1 });
 * [model.kind, model.embedding.rows, model.nIter]; // ['tsne', X.length, 1000]
 * ```
 */
export function fit(X: MatrixInput, options?: TsneOptions): TsneModel {
  return drive(steps(X, options), klOf, options?.onProgress);
}

/**
 * {@link fit} that yields to the event loop between iterations, so that a page stays
 * responsive, `onProgress` can draw the map as it learns, and an `AbortSignal` can stop it
 * (the model so far comes back with `completed: false`).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const model = await tsne.fitAsync(X, { signal: controller.signal, onProgress: (s) => draw(s.embedding) });
 * model.completed; // false if controller.abort() was called
 * ```
 */
export async function fitAsync(X: MatrixInput, options?: TsneOptions): Promise<TsneModel> {
  return driveAsync(steps(X, options), klOf, options?.onProgress);
}

/**
 * Options of {@link optimize} and {@link optimizeSteps}.
 *
 * @example
 * ```ts
 * tsne.optimize(model, { nIter: 250, exaggeration: 4 });
 * ```
 */
export interface OptimizeOptions {
  /**
   * Further iterations.
   * @defaultValue 250
   */
  nIter?: number;
  /**
   * Factor on P during these iterations (> 1 tightens clusters, as in openTSNE).
   * @defaultValue 1
   */
  exaggeration?: number;
  /**
   * Momentum.
   * @defaultValue 0.8
   */
  momentum?: number;
  /** @defaultValue the model's method */
  method?: TsneMethodOption;
  /** @defaultValue the model's theta */
  theta?: number;
  /** @defaultValue the model's learning rate */
  learningRate?: number | 'auto';
  /** @defaultValue 1 */
  yieldEvery?: number;
  onProgress?: OnProgress<TsneStep>;
  signal?: AbortSignal;
}

/** Every option name of {@link OptimizeOptions} (unknown ones are rejected). */
const OPTIMIZE_OPTION_NAMES = optionNames<OptimizeOptions>()('nIter', 'exaggeration', 'momentum', 'method', 'theta', 'learningRate', 'yieldEvery', 'onProgress', 'signal');

/**
 * Continues an existing run as a generator of steps (gains and velocities start afresh, as
 * openTSNE's `optimize`); returns a new model, the given one is left untouched.
 *
 * @example
 * ```ts
 * const it = tsne.optimizeSteps(model, { nIter: 100 });
 * ```
 */
export function optimizeSteps(model: TsneModel, options?: OptimizeOptions): Generator<TsneStep, TsneModel, boolean | undefined> {
  checkModel(model);
  const o = checkOptions(options, OPTIMIZE_OPTION_NAMES);
  const E = model.embedding;
  const n = E.rows, dim = E.cols;
  const exaggeration = checkNumber(o.exaggeration ?? 1, 'exaggeration', Number.MIN_VALUE, MAX_EXAGGERATION);
  const settings = resolveDescent({
    method: o.method ?? model.method, theta: o.theta ?? model.theta, learningRate: o.learningRate ?? model.learningRate,
    ...(o.yieldEvery === undefined ? {} : { yieldEvery: o.yieldEvery }), ...(o.signal === undefined ? {} : { signal: o.signal }),
  }, n, dim, exaggeration);
  const phase: Phase = { iterations: checkInt(o.nIter ?? 250, 'nIter', 0, MAX_ITERATIONS), exaggeration, momentum: checkNumber(o.momentum ?? 0.8, 'momentum', 0, 1) };
  return (function* run(): Generator<TsneStep, TsneModel, boolean | undefined> {
    const A = model.affinities;
    const P: Csr = { n, rowPtr: A.rowPtr, col: A.col, val: A.val };
    const Y = Float64Array.from(E.data);
    const { gradient, release } = tsneGradient(P, dim, repulsionFor(settings.method, dim, settings.theta));
    try {
      const result = yield* descend(Y, n, dim, gradient, settings, [phase], model.nIter, model.kl);
      return finish(model, Y, dim, gradient, result, settings);
    } finally {
      release();
    }
  })();
}

/**
 * Runs more iterations on a fitted map, e.g. after a stopped run, or with an exaggeration
 * to tighten clusters; returns a new model (nIter counts on).
 *
 * @example
 * ```ts
 * const more = tsne.optimize(model, { nIter: 250 });
 * more.nIter; // model.nIter + 250
 * ```
 */
export function optimize(model: TsneModel, options?: OptimizeOptions): TsneModel {
  return drive(optimizeSteps(model, options), klOf, options?.onProgress);
}
