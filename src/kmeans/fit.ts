import { assertNever, describe, fail, finiteResult } from '../core/errors.js';
import { ldexp, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix, asMatrixUnscanned, checkFinite, isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkNumber, checkOptions, checkSignal, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { Assignment, centreShifts, clusterMass, exactInertia, updateCentres } from './centres.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { checkDistinct, kmeansPlusPlus, randomRows } from './init.js';
import { freezeModel, outputCentres, sampleWeights, type KMeansModel } from './model.js';
import { createSolver, screens, type Algorithm } from './solvers.js';
import { columnMeans } from '../linalg/rows.js';
import { columnSumsKernel, residentKernel } from '../linalg/kernels/dispatch.js';
import { jsRegion } from '../linalg/kernels/resident.js';
import { blockRows, nearest, prepareSource, type PreparedSource } from './source.js';

/**
 * How the first centroids are chosen; a Matrix gives them explicitly, (k × nFeatures).
 *
 * @example
 * ```ts
 * kmeans.fit(X, { init: [[0, 0], [5, 5]] }); // k = 2 from the matrix
 * ```
 */
export type KMeansInit = 'k-means++' | 'random' | MatrixInput;

/**
 * Every algorithm name `algorithm` accepts.
 *
 * @example
 * ```ts
 * kmeans.fit(X, { k: 50, algorithm: 'hamerly' }).algorithm; // 'hamerly'
 * ```
 */
export type AlgorithmOption = Algorithm | 'auto';

const ALGORITHMS: readonly AlgorithmOption[] = ['auto', 'lloyd', 'elkan', 'hamerly'];

/**
 * The options every k-means variant shares: the clusters and how they are seeded.
 *
 * @example
 * ```ts
 * const seeding: SeedingOptions = { k: 10, init: 'random', nInit: 5, seed: 42 };
 * ```
 */
export interface SeedingOptions {
  /**
   * Number of clusters, in [1, number of distinct rows].
   * @defaultValue the rows of `init` when it is a Matrix (required otherwise)
   */
  k?: number;
  /**
   * `'k-means++'`: greedy k-means++ seeding (2 + ⌊ln k⌋ candidates per centre, as
   * scikit-learn); `'random'`: k rows drawn with probability ∝ weight; or the initial
   * centroids themselves as a (k × nFeatures) matrix.
   * @defaultValue 'k-means++'
   */
  init?: KMeansInit;
  /**
   * Independent runs from different seedings; the one with the lowest inertia is kept.
   * Must be 1 when `init` is a Matrix; at most 1000.
   * @defaultValue 1 with 'k-means++' or a Matrix, 10 with 'random' (3 for mini-batch)
   */
  nInit?: number;
  /**
   * Seed (or generator) for the seeding and every other random choice.
   * @defaultValue 0
   */
  seed?: SeedLike;
  /**
   * A non-negative weight per row: weighted means, inertia and seeding probabilities.
   * @defaultValue every row weighs 1
   */
  sampleWeight?: ArrayLike<number>;
  /** Stops the run before its next iteration when aborted; the model so far is returned, `completed: false`. */
  signal?: AbortSignal;
}

/**
 * Options of {@link fit}, {@link fitAsync} and {@link steps}.
 *
 * @example
 * ```ts
 * kmeans.fit(X, { k: 10, seed: 1, maxIter: 100, tol: 0, algorithm: 'lloyd' });
 * ```
 */
export interface KMeansOptions extends SeedingOptions {
  /**
   * `'lloyd'`: distances measured by the kernels (GEMM speed), on WebAssembly only for
   * the rows whose bounds leave their label in doubt; `'elkan'` (Elkan 2003)
   * and `'hamerly'` (Hamerly 2010): triangle-inequality bounds skip most distances after
   * the first iterations; the same labels from the same start. `'auto'` chooses from n, k
   * and the number of features, and the model says which ran.
   * @defaultValue 'auto'
   */
  algorithm?: AlgorithmOption;
  /**
   * Largest number of iterations per run.
   * @defaultValue 300
   */
  maxIter?: number;
  /**
   * Convergence tolerance, relative to the mean per-feature variance of X (as
   * scikit-learn): a run stops when no label changes or when Σⱼ‖cⱼ − cⱼ′‖² over the centre
   * moves of an iteration is at most tol · mean variance.
   * @defaultValue 1e-4
   */
  tol?: number;
  /** Called after every iteration; return `true` to stop (the model so far is returned, `completed: false`). */
  onProgress?: OnProgress<KMeansStep>;
}

/**
 * One iteration of a run, as {@link steps} yields it.
 *
 * @example
 * ```ts
 * const inertias: number[] = [];
 * for (const s of kmeans.steps(X, { k: 3 })) inertias.push(s.inertia);
 * ```
 */
export interface KMeansStep {
  /** Which initialisation (0 … nInit − 1) this iteration belongs to. */
  readonly run: number;
  /** Iteration number within the run, from 1. */
  readonly iteration: number;
  /** The centroids after this iteration's update, (k × nFeatures), a copy. */
  readonly centroids: Matrix;
  /** Inertia of this iteration's assignment, measured against the centroids it was made with. */
  readonly inertia: number;
  /** Rows whose cluster changed in this iteration (all of them in the first). */
  readonly moved: number;
  /** Σⱼ‖cⱼ − cⱼ′‖²: how far the update moved the centroids, the quantity `tol` bounds. */
  readonly shift: number;
}

/**
 * The options every k-means variant shares, resolved once, every field defined.
 *
 * @example
 * ```ts
 * resolveShared({ k: 3 }, X, 10).nInit; // 1 (k-means++)
 * ```
 */
export interface SharedOptions {
  readonly k: number;
  readonly init: 'k-means++' | 'random' | Matrix;
  readonly nInit: number;
  readonly rng: Random;
  readonly weights: Float64Array | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The options of {@link fit}, resolved. */
interface Resolved extends SharedOptions {
  readonly algorithm: Algorithm;
  readonly maxIter: number;
  readonly tol: number;
}

/**
 * Which algorithm `'auto'` runs. With the distance step on the GEMM kernels, Lloyd is
 * hard to beat in many dimensions, where the triangle-inequality bounds prune little and
 * their exact distances run in plain TypeScript; Hamerly's bounds pay off in few
 * dimensions with many clusters (measured: 2–3× faster than Lloyd for d ≤ 8, k ≥ 50).
 * Elkan's n × k bounds rarely win here, so 'auto' never picks it.
 *
 * @example
 * ```ts
 * kmeans.autoAlgorithm(10000, 784, 10); // 'lloyd'
 * kmeans.autoAlgorithm(50000, 2, 100);  // 'hamerly'
 * ```
 */
export function autoAlgorithm(n: number, d: number, k: number): Algorithm {
  checkInt(n, 'n', 1);
  checkInt(d, 'd', 1);
  checkInt(k, 'k', 1);
  return d <= 16 && k >= 16 && n >= 4 * k ? 'hamerly' : 'lloyd';
}

function resolveInit(init: unknown, d: number): 'k-means++' | 'random' | Matrix {
  if (init === 'k-means++' || init === 'random') return init;
  if (typeof init === 'string' || init === null || typeof init !== 'object') {
    return fail('INVALID_OPTION', `init: received ${describe(init)}, expected 'k-means++', 'random' or a (k × ${d}) matrix`);
  }
  const m = asMatrix(init as MatrixInput, 'init');
  if (m.cols !== d) fail('SHAPE_MISMATCH', `init: rows have ${m.cols} features, expected ${d} (the width of X)`);
  return m;
}

/** Most runs `nInit` asks for (scikit-learn's default is 10; a billion would never return). */
export const MAX_N_INIT = 1000;

/**
 * Resolves the seeding options against X; `randomRuns` is nInit's default with random
 * seeding (10 for fit, 3 for mini-batch, as scikit-learn).
 *
 * @example
 * ```ts
 * resolveShared({ k: 3, init: 'random' }, X, 10).nInit; // 10
 * ```
 */
export function resolveShared(opts: Partial<SeedingOptions>, X: Matrix, randomRuns: number): SharedOptions {
  const init = resolveInit(opts.init ?? 'k-means++', X.cols);
  const fixed = isMatrix(init);
  if (opts.k === undefined && !fixed) fail('INVALID_OPTION', 'k: received undefined, expected the number of clusters (or init as a matrix of centroids)');
  const k = checkInt(opts.k ?? (init as Matrix).rows, 'k', 1, X.rows);
  if (fixed && init.rows !== k) fail('SHAPE_MISMATCH', `init: received ${init.rows} centroids, expected k = ${k}`);
  const nInit = checkInt(opts.nInit ?? (init === 'random' ? randomRuns : 1), 'nInit', 1, MAX_N_INIT);
  if (fixed && nInit !== 1) fail('INVALID_OPTION', `nInit: received ${nInit}, but init is a matrix: a fixed start runs once (expected 1)`);
  const signal = opts.signal;
  checkSignal(signal);
  return { k, init, nInit, signal, rng: randomFrom(opts.seed), weights: sampleWeights(opts.sampleWeight, X.rows) };
}

/** Every option name of {@link KMeansOptions} (unknown ones are rejected). */
const KMEANS_OPTION_NAMES = optionNames<KMeansOptions>()('algorithm', 'maxIter', 'tol', 'onProgress', 'k', 'init', 'nInit', 'seed', 'sampleWeight', 'signal');

function resolve(options: KMeansOptions | undefined, X: Matrix): Resolved {
  const opts = checkOptions(options, KMEANS_OPTION_NAMES);
  const shared = resolveShared(opts, X, 10);
  const choice = checkChoice<AlgorithmOption>(opts.algorithm ?? 'auto', 'algorithm', ALGORITHMS);
  return {
    ...shared,
    algorithm: choice === 'auto' ? autoAlgorithm(X.rows, X.cols, shared.k) : choice,
    maxIter: checkInt(opts.maxIter ?? 300, 'maxIter', 1, MAX_ITERATIONS),
    tol: checkNumber(opts.tol ?? 1e-4, 'tol', 0),
  };
}

/**
 * The data of a fit: X, its source for the kernels, and the absolute tolerance.
 *
 * @example
 * ```ts
 * prepareData(X, resolveShared({ k: 3 }, X, 10), 1e-4).tolerance; // 1e-4 × mean variance
 * ```
 */
export interface FitData {
  /** The data as given (the exact inertia is measured on it). */
  readonly X: Matrix;
  /** The data for the kernels: X · 2^scale. */
  readonly src: PreparedSource;
  /** tol times the mean per-feature (weighted) variance, in the units of `src`. */
  readonly tolerance: number;
  /**
   * The power of two X was scaled by for the kernels (0 unless |X| lies beyond 2^±200, or
   * 2^±40 for float32, where squared distances would overflow or underflow): centres
   * computed on `src` are divided by 2^scale, inertias by 4^scale.
   */
  readonly scale: number;
}

/**
 * Readies X for the distance kernels (its weighted mean, and ‖x − mean‖² once per fit; X
 * itself is not copied, only mirrored in float32 when `mirror`), checks that X is finite
 * (its callers coerce it with `asMatrixUnscanned`) and that k distinct rows exist (unless
 * the start is given), and scales `tol` by the mean variance.
 *
 * @throws {@link core!LatentSpaceError} `NON_FINITE` naming the first non-finite entry of X
 *
 * @example
 * ```ts
 * const { src, tolerance } = prepareData(X, resolveShared({ k: 3 }, X, 10), 1e-4);
 * ```
 */
export function prepareData(X: Matrix, shared: SharedOptions, tol: number, mirror = false, resident = false): FitData {
  const w = shared.weights;
  const total = w === undefined ? X.rows : w.reduce((s, v) => s + v, 0);
  const dtype = X.data instanceof Float32Array ? 'float32' : 'float64';
  let rows = resident ? residentKernel()(X.data) : jsRegion(X.data);
  // The column sums (for the mean) and max |x| (for the scale) in one pass of the kernels.
  const sums = new Float64Array(X.cols);
  const top = columnSumsKernel()(X.rows, X.cols, rows.view(), w ?? null, sums);
  // The finiteness check of X, fused into this pass: a NaN or ±∞ entry makes its column's
  // sum NaN or ±∞ (so does w · x for any finite weight w ≥ 0), so finite sums prove finite
  // entries; otherwise (a non-finite entry, or finite sums that overflowed) X is scanned.
  if (!sums.every(Number.isFinite)) {
    try {
      checkFinite(X, 'X');
    } catch (error) {
      rows.release();
      throw error;
    }
  }
  const scale = safeScaleExponent(top, dtype);
  let mean: Float64Array = sums.map((s) => s / total);
  const Xs = { rows: X.rows, cols: X.cols, data: scaledBy(X.data, scale) };
  if (scale !== 0) {
    // Rare (|x| beyond 2^±200): the scaled copy takes X's place, its mean measured anew.
    rows.release();
    rows = resident ? residentKernel()(Xs.data) : jsRegion(Xs.data);
    mean = columnMeans(Xs, w, total);
  }
  // Only kernel memory is handed over (the source then owns it and gathers there too).
  const src = prepareSource(Xs, mean, mirror, resident ? rows : undefined);
  try {
    if (!isMatrix(shared.init)) checkDistinct(src, w, shared.k);
  } catch (error) {
    src.release();
    throw error;
  }
  // The norms are taken about the weighted mean, so the mean variance is Σw‖x − m‖² / (W·d).
  let spread = 0;
  for (let i = 0; i < X.rows; i++) spread += (w === undefined ? 1 : w[i]!) * src.norms[i]!;
  return { X, src, tolerance: (tol * spread) / (total * X.cols), scale };
}

/**
 * Starting centres (k × d, float64) by the seeding option.
 *
 * @example
 * ```ts
 * initialCentres(src, resolveShared({ k: 3 }, X, 10)).length; // 3 · X.cols
 * ```
 */
export function initialCentres(src: PreparedSource, opts: SharedOptions, scale = 0): Float64Array {
  const { init, k, weights, rng } = opts;
  // k-means++ costs O(n·k·d) (0.4 s at 20000 × 50, k = 40): a run whose signal is already
  // aborted starts from random rows instead, and stops before its first iteration.
  if (init === 'k-means++' && opts.signal?.aborted !== true) return kmeansPlusPlus(src, weights, k, rng);
  if (init === 'k-means++') return randomRows(src, weights, k, rng);
  if (init === 'random') return randomRows(src, weights, k, rng);
  if (isMatrix(init)) {
    // Given in the data's units; the source is in units of 2^scale.
    const c = Float64Array.from(init.data);
    scaleInPlace(c, scale);
    return c;
  }
  return assertNever(init, 'init');
}

/** Everything the runs of one fit share. */
interface FitState extends FitData {
  readonly opts: Resolved;
}

function prepare(X: MatrixInput, options: KMeansOptions | undefined): FitState {
  // X's finiteness is checked by prepareData's first pass.
  const x = asMatrixUnscanned(X, 'X');
  const opts = resolve(options, x);
  // X stays resident in the kernels' memory for every iteration of every run (see
  // prepareSource), released when the runs end.
  return { ...prepareData(x, opts, opts.tol, screens(opts.algorithm, x, opts.k), true), opts };
}

/** One run's outcome. */
interface RunResult {
  readonly model: KMeansModel;
  /** The caller asked to stop (a stop request or an abort). */
  readonly stopped: boolean;
  /** The run reached its own end (convergence or maxIter), a stop at its last iteration included. */
  readonly ranToEnd: boolean;
}

/**
 * One run from `start` (k × d): iterations until convergence, `maxIter`, an
 * abort or a stop request (`next(true)`), then scikit-learn's last assignment to the final
 * centres and the exact inertia.
 */
function* run(fit: FitState, start: Float64Array, runIndex: number): Generator<KMeansStep, RunResult, boolean | undefined> {
  const { src, opts, X } = fit;
  const { k, weights: w, signal } = opts;
  const { n, d } = src;
  const assignment = new Assignment(src, w, k, blockRows(d, k));
  const solver = createSolver(opts.algorithm, { src, w, k, assignment });
  const shifts = new Float64Array(k);
  let centres: Float64Array = start, next: Float64Array = new Float64Array(k * d);
  let iteration = 0, converged = false, strict = false, stopped = false;
  while (iteration < opts.maxIter) {
    if (signal?.aborted === true) {
      stopped = true;
      break;
    }
    solver.assign(centres);
    const inertia = assignment.inertia(centres);
    const old = centres;
    updateCentres(assignment, src, w, old, next, () => solver.distances(old));
    const shift = centreShifts(old, next, k, d, shifts);
    solver.shifted(shifts);
    [centres, next] = [next, old];
    iteration++;
    strict = assignment.moved === 0;
    converged = strict || shift <= fit.tolerance;
    const stop = yield {
      run: runIndex, iteration, centroids: outputCentres(centres, k, d, X.data, fit.scale),
      inertia: ldexp(inertia, -2 * fit.scale), moved: assignment.moved, shift: ldexp(shift, -2 * fit.scale),
    };
    if (converged) break;
    if (stop === true) {
      stopped = true;
      break;
    }
  }
  const labels = assignment.labels;
  // Unless no label changed in the last iteration, the update may have moved a centre past
  // some rows: assign once more to the final centres, as scikit-learn does.
  if (!strict) nearest(src, centres, labels);
  const centroids = outputCentres(centres, k, d, X.data, fit.scale);
  const model = freezeModel({
    kind: 'kmeans', centroids, labels, converged, completed: true, algorithm: opts.algorithm, nIter: iteration,
    // Unscaled, the resident rows are X itself: measured there, without copying X in again.
    inertia: finiteResult(exactInertia(fit.scale === 0 ? src.rows.view() : X.data, n, d, centroids.data, labels, w), 'X', 'the inertia Σw‖x − c‖²'),
    counts: clusterMass(labels, k, w),
  });
  return { model, stopped, ranToEnd: !stopped || iteration === opts.maxIter };
}

/**
 * k-means as a generator of iterations: the one loop that {@link fit} and
 * {@link fitAsync} run. Yields a {@link KMeansStep} after every iteration of every run
 * and returns the best model (lowest inertia over the runs). `next(true)` stops early:
 * the generator then returns the best model so far, with `converged: false` for the run
 * that was stopped; so does an aborted `signal`, checked before every iteration.
 *
 * @param X - (nSamples, nFeatures); float32 data stays float32
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` (k above the number of distinct rows,
 *   and every bad option), `SHAPE_MISMATCH`, and the coercion errors of `asMatrix`
 *
 * @example
 * ```ts
 * const it = kmeans.steps([[0], [1], [10], [11]], { k: 2, seed: 1 });
 * let r = it.next();
 * while (!r.done) r = it.next(r.value.moved === 0); // stop once nothing moves
 * r.value.inertia; // 1
 * ```
 */
export function steps(X: MatrixInput, options?: KMeansOptions): Generator<KMeansStep, KMeansModel, boolean | undefined> {
  // Validation happens here, when steps() is called, not at the first next().
  return runs(prepare(X, options));
}

/** Every run of a fit, keeping the best. */
function* runs(fit: FitState): Generator<KMeansStep, KMeansModel, boolean | undefined> {
  let best: KMeansModel | undefined, completed = true;
  // A generator dropped before its end releases the resident rows when it is collected.
  try {
    for (let r = 0; r < fit.opts.nInit; r++) {
      const result = yield* run(fit, initialCentres(fit.src, fit.opts, fit.scale), r);
      if (best === undefined || result.model.inertia < best.inertia) best = result.model;
      if (result.stopped) {
        // A stop asked for at the last iteration of the last run changes nothing.
        completed = result.ranToEnd && r === fit.opts.nInit - 1;
        break;
      }
    }
  } finally {
    fit.src.release();
  }
  return completed ? best! : freezeModel({ ...best!, completed });
}

const inertiaOf = (s: KMeansStep): number => s.inertia;

/**
 * Clusters the rows of X into k groups around centroids, minimising the inertia
 * Σ w‖x − c_label‖². Each Lloyd iteration measures distances with the active
 * backend's kernels (`sqDistances`, one GEMM per block of rows, and `argminRows`), ‖x‖²
 * computed once per fit; on WebAssembly, rows whose triangle-inequality bounds prove their
 * label beyond rounding keep it unmeasured (the same labels). Elkan and Hamerly skip what
 * the triangle inequality rules out.
 * Empty clusters are re-seeded with the rows farthest from their centres.
 *
 * @param X - (nSamples, nFeatures): number[][], Matrix, ndarray or ml-matrix; float32 stays float32
 * @returns a frozen {@link KMeansModel}
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` when k exceeds the number of distinct
 *   rows or an option is out of range, `SHAPE_MISMATCH`, and the coercion errors of `asMatrix`
 *
 * @see Lloyd (1982), "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2)
 * @see scikit-learn's KMeans, whose convergence test, seeding and re-seeding this follows
 *
 * @example
 * ```ts
 * const model = kmeans.fit([[0, 0], [0, 1], [9, 9], [9, 10]], { k: 2, seed: 1 });
 * model.inertia; // 1
 * kmeans.predict(model, [[0, 0.4]])[0] === model.labels[0]; // true
 * ```
 */
export function fit(X: MatrixInput, options?: KMeansOptions): KMeansModel {
  return drive(steps(X, options), inertiaOf, options?.onProgress);
}

/**
 * {@link fit} that yields to the event loop between iterations, so a page stays responsive
 * and `onProgress` can draw the centroids as they move.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const model = await kmeans.fitAsync(X, { k: 10, signal: controller.signal });
 * model.converged; // false if controller.abort() was called before convergence
 * ```
 */
export async function fitAsync(X: MatrixInput, options?: KMeansOptions): Promise<KMeansModel> {
  return driveAsync(steps(X, options), inertiaOf, options?.onProgress);
}
