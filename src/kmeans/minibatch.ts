import { fail, finiteResult } from '../core/errors.js';
import { ldexp } from '../core/math.js';
import { asMatrix, asMatrixUnscanned, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, MAX_ITERATIONS, optionNames } from '../core/options.js';
import type { Random } from '../core/random.js';
import { allocate, widen } from '../linalg/dtype.js';
import { addGrouped, centreShifts, exactInertia, largest } from './centres.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { initialCentres, prepareData, resolveShared, type FitData, type SeedingOptions, type SharedOptions } from './fit.js';
import { gatherRows } from './init.js';
import { checkModel, freezeModel, outputCentres, sampleWeights, type KMeansModel } from './model.js';
import { columnMeans } from '../linalg/rows.js';
import { forEachBlock, nearest, prepareSource, type PreparedSource } from './source.js';
import { argminRowsKernel } from '../linalg/kernels/dispatch.js';

/**
 * Options of {@link miniBatch}, {@link miniBatchAsync} and {@link miniBatchSteps}.
 *
 * @example
 * ```ts
 * kmeans.miniBatch(X, { k: 10, batchSize: 256, maxNoImprovement: 0, maxIter: 5 });
 * ```
 */
export interface MiniBatchOptions extends SeedingOptions {
  /**
   * Rows per mini-batch (drawn uniformly, with replacement, as scikit-learn).
   * @defaultValue 1024
   */
  batchSize?: number;
  /**
   * Largest number of passes over the data: at most ⌊maxIter · nSamples / batchSize⌋ steps.
   * @defaultValue 100
   */
  maxIter?: number;
  /**
   * Stop after this many steps without a new minimum of the smoothed batch inertia
   * (an exponentially weighted average); 0 turns the test off.
   * @defaultValue 10
   */
  maxNoImprovement?: number;
  /**
   * Stop when Σⱼ‖cⱼ − cⱼ′‖² of a step is at most tol times the mean per-feature variance;
   * 0 turns the test off.
   * @defaultValue 0
   */
  tol?: number;
  /**
   * Centres whose count falls below this fraction of the largest count are moved to random
   * rows of the batch (at most every 10 · k rows, as scikit-learn), so no centre stays stranded.
   * @defaultValue 0.01
   */
  reassignmentRatio?: number;
  /**
   * Rows the seeding looks at (a random subset, without replacement).
   * @defaultValue 3 · batchSize, at least 3 · k, at most nSamples
   */
  initSize?: number;
  /** Called after every step; return `true` to stop (the model so far is returned, `completed: false`). */
  onProgress?: OnProgress<MiniBatchStep>;
}

/**
 * One step of mini-batch k-means, as {@link miniBatchSteps} yields it.
 *
 * @example
 * ```ts
 * const curve: number[] = [];
 * for (const s of kmeans.miniBatchSteps(X, { k: 10 })) curve.push(s.smoothedInertia);
 * ```
 */
export interface MiniBatchStep {
  /** Step number, from 1. */
  readonly iteration: number;
  /** The centroids after this step, (k × nFeatures), a copy. */
  readonly centroids: Matrix;
  /** Inertia of this batch per unit weight, against the centroids before the step. */
  readonly inertia: number;
  /** Exponentially weighted average of `inertia` over the steps (from the second), the early-stopping signal. */
  readonly smoothedInertia: number;
  /** Σⱼ‖cⱼ − cⱼ′‖² of this step. */
  readonly shift: number;
}

interface Resolved extends SharedOptions {
  readonly batchSize: number;
  readonly maxIter: number;
  readonly maxNoImprovement: number;
  readonly tol: number;
  readonly reassignmentRatio: number;
  readonly initSize: number;
}

/** Every option name of {@link MiniBatchOptions} (unknown ones are rejected). */
const MINI_BATCH_OPTION_NAMES = optionNames<MiniBatchOptions>()('batchSize', 'maxIter', 'maxNoImprovement', 'tol', 'reassignmentRatio', 'initSize', 'onProgress', 'k', 'init', 'nInit', 'seed', 'sampleWeight', 'signal');

function resolve(options: MiniBatchOptions | undefined, X: Matrix): Resolved {
  const opts = checkOptions(options, MINI_BATCH_OPTION_NAMES);
  const shared = resolveShared(opts, X, 3);
  const batchSize = Math.min(checkInt(opts.batchSize ?? 1024, 'batchSize', 1), X.rows);
  return {
    ...shared, batchSize,
    maxIter: checkInt(opts.maxIter ?? 100, 'maxIter', 1, MAX_ITERATIONS),
    maxNoImprovement: checkInt(opts.maxNoImprovement ?? 10, 'maxNoImprovement', 0),
    tol: checkNumber(opts.tol ?? 0, 'tol', 0),
    reassignmentRatio: checkNumber(opts.reassignmentRatio ?? 0.01, 'reassignmentRatio', 0),
    initSize: Math.min(X.rows, checkInt(opts.initSize ?? Math.max(3 * batchSize, 3 * shared.k), 'initSize', shared.k)),
  };
}

/** Buffers of one batch update, reused from step to step. */
class BatchScratch {
  readonly labels: Int32Array;
  readonly dist: Float64Array;
  readonly values: FloatArray;
  readonly sums: Float64Array;
  readonly mass: Float64Array;
  readonly order: Int32Array;
  readonly starts: Int32Array;

  constructor(b: number, k: number, d: number, dtype: 'float32' | 'float64') {
    this.labels = new Int32Array(b);
    this.dist = new Float64Array(b);
    this.values = allocate(dtype, b);
    this.sums = new Float64Array(k * d);
    this.mass = new Float64Array(k);
    this.order = new Int32Array(b);
    this.starts = new Int32Array(k + 1);
  }
}

/**
 * One mini-batch update (Sculley 2010, in scikit-learn's batched form): the batch rows
 * (positions 0 … b − 1 of `index`, or rows 0 … b − 1) are assigned to `centres` by the
 * kernels, then each centre c that received weight W with sum S moves to
 * (counts[c]·c + S) / (counts[c] + W), its learning rate being 1 / count. Returns the
 * batch's Σw·D² and Σw.
 *
 * @see Sculley (2010), "Web-scale k-means clustering", WWW
 */
function batchUpdate(
  src: PreparedSource, index: Int32Array | undefined, b: number, w: Float64Array | undefined,
  centres: Float64Array, next: Float64Array, counts: Float64Array, s: BatchScratch,
): { inertia: number; weight: number } {
  const k = counts.length, d = src.d;
  forEachBlock(src, src.centres(centres, k), 0, b, index, (start, m, D) => {
    argminRowsKernel()(m, k, D, 0, k, s.labels.subarray(start, start + m), s.values);
    for (let i = 0; i < m; i++) s.dist[start + i] = s.values[i]!;
  });
  s.sums.fill(0);
  s.mass.fill(0);
  const row = index === undefined ? (t: number) => t : (t: number) => index[t]!;
  addGrouped(s.sums, s.mass, src.x, d, k, b, row, (t) => s.labels[t]!, w, s.order, s.starts);
  let inertia = 0, weight = 0;
  for (let t = 0; t < b; t++) {
    const wi = w === undefined ? 1 : w[row(t)]!;
    inertia += wi * s.dist[t]!;
    weight += wi;
  }
  for (let c = 0; c < k; c++) {
    const o = c * d, v = counts[c]!, mc = s.mass[c]!;
    if (!(mc > 0)) {
      next.set(centres.subarray(o, o + d), o);
      continue;
    }
    for (let j = 0; j < d; j++) next[o + j] = (centres[o + j]! * v + s.sums[o + j]!) / (v + mc);
    counts[c] = v + mc;
  }
  return { inertia, weight };
}

/** Moves centre c onto source row i. */
function placeCentre(centres: Float64Array, c: number, src: PreparedSource, i: number): void {
  const d = src.d;
  for (let j = 0; j < d; j++) centres[c * d + j] = src.x[i * d + j]!;
}

/**
 * Centres that have never absorbed any weight are moved onto the batch rows farthest from
 * their centres, as `fit` re-seeds empty clusters, and count those rows' weight.
 */
function reseedUnused(src: PreparedSource, index: Int32Array | undefined, w: Float64Array | undefined, centres: Float64Array, counts: Float64Array, s: BatchScratch, b: number): void {
  const unused: number[] = [];
  counts.forEach((v, c) => { if (!(v > 0)) unused.push(c); });
  if (unused.length === 0) return;
  const row = (t: number): number => (index === undefined ? t : index[t]!);
  const far = largest(s.dist.subarray(0, b), unused.length, (t) => w === undefined || w[row(t)]! > 0);
  far.forEach((t, r) => {
    placeCentre(centres, unused[r]!, src, row(t));
    counts[unused[r]!] = w === undefined ? 1 : w[row(t)]!;
  });
}

/**
 * scikit-learn's random reassignment: centres whose count is below `ratio` times the
 * largest move to distinct random rows of the batch (at most half the batch), with the
 * smallest count of the others, so they are not reassigned again at once.
 */
function reassignSmall(src: PreparedSource, index: Int32Array, b: number, centres: Float64Array, counts: Float64Array, ratio: number, rng: Random): void {
  const max = counts.reduce((m, v) => Math.max(m, v), 0);
  let small = Array.from(counts.keys()).filter((c) => counts[c]! < ratio * max);
  if (small.length === 0) return;
  if (small.length > 0.5 * b) small = small.sort((p, q) => counts[p]! - counts[q]! || p - q).slice(0, Math.floor(0.5 * b));
  const kept = Array.from(counts.keys()).filter((c) => !small.includes(c));
  const floor = kept.reduce((m, c) => Math.min(m, counts[c]!), Infinity);
  const picks = rng.sampleWithoutReplacement(b, small.length);
  small.forEach((c, r) => {
    placeCentre(centres, c, src, index[picks[r]!]!);
    counts[c] = Number.isFinite(floor) ? floor : 0;
  });
}

/** The best of nInit seedings, each on its own random subset of initSize rows, by inertia on that subset. */
function seed(data: FitData, opts: Resolved): Float64Array {
  const { src } = data;
  let best: Float64Array | undefined, bestInertia = Infinity;
  for (let r = 0; r < opts.nInit; r++) {
    const rows = opts.rng.sampleWithoutReplacement(src.n, opts.initSize);
    const sub = subset(src, rows);
    const w = opts.weights === undefined ? undefined : Float64Array.from(rows, (i) => opts.weights![i]!);
    const centres = initialCentres(sub, { ...opts, weights: w }, data.scale);
    const labels = new Int32Array(sub.n);
    const dist = new Float64Array(sub.n);
    nearest(sub, centres, labels, dist);
    const inertia = dist.reduce((s, v, i) => s + (w === undefined ? 1 : w[i]!) * v, 0);
    if (inertia < bestInertia) {
      best = centres;
      bestInertia = inertia;
    }
  }
  return best!;
}

/** A prepared source of some rows of another (with the same shift). */
function subset(src: PreparedSource, rows: Int32Array): PreparedSource {
  const x = gatherRows(src, rows);
  const m: Matrix = { rows: rows.length, cols: src.d, data: src.dtype === 'float32' ? Float32Array.from(x) : x };
  return prepareSource(m, src.shift);
}

/** The early-stopping test of scikit-learn's MiniBatchKMeans, one step at a time. */
class EarlyStop {
  ewa = NaN;
  private best = Infinity;
  private stale = 0;

  constructor(private readonly alpha: number, private readonly patience: number, private readonly tolerance: number) {}

  /** Feeds one step (its batch inertia per unit weight and shift); true when the run should stop. */
  update(step: number, inertia: number, shift: number): boolean {
    // The first batch measures the seeding, not the algorithm: it only starts the average.
    if (step === 1) return false;
    this.ewa = Number.isNaN(this.ewa) ? inertia : this.ewa * (1 - this.alpha) + inertia * this.alpha;
    if (this.tolerance > 0 && shift <= this.tolerance) return true;
    if (this.ewa < this.best) {
      this.best = this.ewa;
      this.stale = 0;
    } else {
      this.stale++;
    }
    return this.patience > 0 && this.stale >= this.patience;
  }
}

function* loop(data: FitData, opts: Resolved): Generator<MiniBatchStep, KMeansModel, boolean | undefined> {
  const { src, X } = data;
  const { n, d } = src;
  const { k, weights: w, rng, batchSize: b } = opts;
  let centres: Float64Array = seed(data, opts);
  let next: Float64Array = new Float64Array(k * d);
  const counts = new Float64Array(k);
  const scratch = new BatchScratch(b, k, d, src.dtype);
  const index = new Int32Array(b);
  const shifts = new Float64Array(k);
  const stopper = new EarlyStop(Math.min(1, (2 * b) / (n + 1)), opts.maxNoImprovement, data.tolerance);
  const total = Math.max(1, Math.floor((opts.maxIter * n) / b));
  let step = 0, converged = false, completed = true, sinceReassign = 0;
  while (step < total) {
    if (opts.signal?.aborted === true) {
      completed = false;
      break;
    }
    for (let t = 0; t < b; t++) index[t] = rng.int(n);
    const { inertia, weight } = batchUpdate(src, index, b, w, centres, next, counts, scratch);
    reseedUnused(src, index, w, next, counts, scratch, b);
    sinceReassign += b;
    if (opts.reassignmentRatio > 0 && sinceReassign >= 10 * k) {
      sinceReassign = 0;
      reassignSmall(src, index, b, next, counts, opts.reassignmentRatio, rng);
    }
    const shift = centreShifts(centres, next, k, d, shifts);
    [centres, next] = [next, centres];
    step++;
    converged = stopper.update(step, inertia / weight, shift);
    const smoothedInertia = Number.isNaN(stopper.ewa) ? inertia / weight : stopper.ewa;
    const unscale = (v: number): number => ldexp(v, -2 * data.scale);
    const stop = yield {
      iteration: step, centroids: outputCentres(centres, k, d, X.data, data.scale), inertia: unscale(inertia / weight),
      smoothedInertia: unscale(smoothedInertia), shift: unscale(shift),
    };
    if (converged) break;
    // A stop asked for at the last step changes nothing: the run has completed.
    if (stop === true) {
      completed = step === total;
      break;
    }
  }
  const labels = new Int32Array(n);
  nearest(src, centres, labels);
  const centroids = outputCentres(centres, k, d, X.data, data.scale);
  return freezeModel({
    kind: 'kmeans', centroids, labels, converged, completed, algorithm: 'minibatch', nIter: step, counts,
    inertia: finiteResult(exactInertia(X.data, n, d, centroids.data, labels, w), 'X', 'the inertia Σw‖x − c‖²'),
  });
}

/**
 * Mini-batch k-means as a generator of steps, the one loop {@link miniBatch} and
 * {@link miniBatchAsync} run: yields a {@link MiniBatchStep} per batch and returns the
 * model, whose labels and inertia cover all of X. `next(true)` or an aborted `signal`
 * stops early and still returns the model (`converged: false`).
 *
 * @param X - (nSamples, nFeatures); float32 data stays float32
 *
 * @example
 * ```ts
 * const it = kmeans.miniBatchSteps(X, { k: 10, batchSize: 256 });
 * let r = it.next();
 * while (!r.done) r = it.next(r.value.iteration >= 50); // at most 50 steps
 * r.value.nIter; // ≤ 50
 * ```
 */
export function miniBatchSteps(X: MatrixInput, options?: MiniBatchOptions): Generator<MiniBatchStep, KMeansModel, boolean | undefined> {
  // X's finiteness is checked by prepareData's first pass.
  const x = asMatrixUnscanned(X, 'X');
  const opts = resolve(options, x);
  return loop(prepareData(x, opts, opts.tol), opts);
}

const batchInertia = (s: MiniBatchStep): number => s.inertia;

/**
 * Mini-batch k-means (Sculley 2010): each step assigns a random batch to the nearest
 * centres and moves each centre towards its batch rows with a per-centre learning rate
 * 1 / count. Much cheaper per step than a full iteration, at a slightly higher inertia;
 * stops early when the smoothed batch inertia stops improving.
 *
 * @param X - (nSamples, nFeatures)
 * @returns a frozen {@link KMeansModel} with `algorithm: 'minibatch'`
 *
 * @see Sculley (2010), "Web-scale k-means clustering", WWW
 *
 * @example
 * ```ts
 * const model = kmeans.miniBatch(X, { k: 10, batchSize: 1024, seed: 1 });
 * model.algorithm; // 'minibatch'
 * ```
 */
export function miniBatch(X: MatrixInput, options?: MiniBatchOptions): KMeansModel {
  return drive(miniBatchSteps(X, options), batchInertia, options?.onProgress);
}

/**
 * {@link miniBatch} that yields to the event loop between steps.
 *
 * @example
 * ```ts
 * const model = await kmeans.miniBatchAsync(X, { k: 10, onProgress: (p) => draw(p.centroids) });
 * ```
 */
export async function miniBatchAsync(X: MatrixInput, options?: MiniBatchOptions): Promise<KMeansModel> {
  return driveAsync(miniBatchSteps(X, options), batchInertia, options?.onProgress);
}

/**
 * Options of {@link partialFit}.
 *
 * @example
 * ```ts
 * kmeans.partialFit(undefined, firstBatch, { k: 10, init: 'k-means++', seed: 1 });
 * ```
 */
export interface PartialFitOptions extends Omit<SeedingOptions, 'nInit' | 'signal'> {}

/** Every option name of {@link PartialFitOptions} (unknown ones are rejected). */
const PARTIAL_FIT_OPTION_NAMES = optionNames<PartialFitOptions>()('k', 'init', 'seed', 'sampleWeight');

/**
 * One mini-batch step on a batch from a stream. Without a model, the centres are seeded
 * from this batch (`k` required, `init` and `seed` as in {@link fit}); with one (from
 * `partialFit`, `miniBatch` or `fit`), its centres move towards the batch with learning
 * rates 1 / count. Centres that have absorbed no weight yet are placed on the batch rows
 * farthest from their centres. Returns a new model; labels and inertia are the batch's.
 *
 * @param model - the model so far, or undefined for the first batch
 * @param batch - (batchSize, nFeatures)
 *
 * @example
 * ```ts
 * let model: KMeansModel | undefined;
 * for (const batch of stream) model = kmeans.partialFit(model, batch, { k: 10 });
 * model!.counts; // weight each centre has absorbed
 * ```
 */
export function partialFit(model: KMeansModel | undefined, batch: MatrixInput, options?: PartialFitOptions): KMeansModel {
  if (model !== undefined) checkModel(model);
  const opts = checkOptions(options, PARTIAL_FIT_OPTION_NAMES);
  const x0 = asMatrix(batch, 'batch');
  if (model !== undefined && x0.cols !== model.centroids.cols) {
    fail('SHAPE_MISMATCH', `batch: rows have ${x0.cols} features, expected ${model.centroids.cols} (the model's)`);
  }
  if (model !== undefined && opts.k !== undefined && opts.k !== model.centroids.rows) {
    fail('INVALID_OPTION', `k: received ${opts.k}, but the model has ${model.centroids.rows} centroids`);
  }
  const like = model?.centroids.data ?? x0.data;
  const x = x0.data instanceof Float32Array && like instanceof Float32Array ? x0 : widen(x0);
  const w = sampleWeights(opts.sampleWeight, x.rows);
  const total = w === undefined ? x.rows : w.reduce((s, v) => s + v, 0);
  let src: PreparedSource, centres: Float64Array, counts: Float64Array, scale = 0;
  if (model === undefined) {
    const shared = resolveShared({ ...opts, nInit: 1 }, x, 1);
    const data = prepareData(x, shared, 0);
    ({ src, scale } = data);
    centres = initialCentres(src, shared, scale);
    counts = new Float64Array(shared.k);
  } else {
    src = prepareSource(x, columnMeans(x, w, total));
    centres = Float64Array.from(model.centroids.data);
    counts = Float64Array.from(model.counts);
  }
  const k = counts.length, n = x.rows;
  const next = new Float64Array(centres.length);
  const scratch = new BatchScratch(n, k, x.cols, src.dtype);
  batchUpdate(src, undefined, n, w, centres, next, counts, scratch);
  reseedUnused(src, undefined, w, next, counts, scratch, n);
  const labels = new Int32Array(n);
  nearest(src, next, labels);
  const centroids = outputCentres(next, k, x.cols, like, scale);
  return freezeModel({
    kind: 'kmeans', centroids, labels, converged: false, completed: true, algorithm: 'minibatch', counts,
    nIter: (model?.nIter ?? 0) + 1,
    inertia: finiteResult(exactInertia(x.data, n, x.cols, centroids.data, labels, w), 'batch', 'the inertia Σw‖x − c‖²'),
  });
}

