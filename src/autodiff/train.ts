import { describe, fail } from '../core/errors.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { asMatrix, isMatrix, type FloatArray, type Matrix } from '../core/matrix.js';
import { checkBoolean, checkCallback, checkInt, checkOptions, checkSignal, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { valueAndGrad } from './grad.js';
import { adam, type Optimizer, type OptimizerState } from './optim.js';
import { ResidentParams, residentWorkspace } from './resident.js';
import type { Var } from './tape.js';
import { cloneParams, type Params, type Tracked } from './tree.js';

/**
 * Data to train on: a Matrix (rows are samples), or a record of Matrices and label arrays
 * with one row or label per sample (`{ x: X, labels: y }`). Minibatches have the same shape.
 */
export type Dataset = Matrix | { readonly [key: string]: Matrix | ArrayLike<number> };

/** A minibatch of a {@link Dataset}: the same shape, fewer rows. */
export type Batch<D extends Dataset> = D extends Matrix ? Matrix : { [K in keyof D]: D[K] extends Matrix ? Matrix : Float64Array };

/**
 * The number of samples of a dataset, checked: every Matrix non-empty and finite
 * (`EMPTY_INPUT`, `NON_FINITE` naming the field; asMatrix validates without copying), every
 * field with one row per sample.
 */
function sampleCount(data: Dataset, name: string): number {
  if (isMatrix(data)) return asMatrix(data, name).rows;
  if (data === null || typeof data !== 'object') fail('INVALID_INPUT', `${name}: received ${describe(data)}, expected a Matrix or a record of Matrices and label arrays`);
  let n: number | undefined;
  for (const [key, value] of Object.entries(data)) {
    const rows = isMatrix(value) ? asMatrix(value, `${name}.${key}`).rows : (value as ArrayLike<number>)?.length;
    if (typeof rows !== 'number') fail('INVALID_INPUT', `${name}.${key}: received ${describe(value)}, expected a Matrix or an array of labels`);
    if (n !== undefined && rows !== n) fail('SHAPE_MISMATCH', `${name}.${key} has ${rows} rows, but another field has ${n}; every field needs one row per sample`);
    n = rows;
  }
  if (n === undefined || n === 0) fail('EMPTY_INPUT', `${name}: holds no samples`);
  return n;
}

/** Copies rows `order[start..end)` of `data` into `into` (a batch of the same shape). */
function gatherInto(data: Dataset, order: Int32Array, start: number, end: number, into: unknown): void {
  const copyRows = (src: Matrix, dst: Matrix) => {
    const c = src.cols;
    for (let r = start; r < end; r++) dst.data.set(src.data.subarray(order[r]! * c, (order[r]! + 1) * c), (r - start) * c);
  };
  if (isMatrix(data)) { copyRows(data, into as Matrix); return; }
  for (const [key, value] of Object.entries(data)) {
    const target = (into as Record<string, Matrix | Float64Array>)[key]!;
    if (isMatrix(value)) copyRows(value, target as Matrix);
    else for (let r = start; r < end; r++) (target as Float64Array)[r - start] = value[order[r]!]!;
  }
}

function emptyBatch(data: Dataset, size: number): unknown {
  const like = (m: Matrix): Matrix => ({ rows: size, cols: m.cols, data: new (m.data.constructor as new (n: number) => FloatArray)(size * m.cols) });
  if (isMatrix(data)) return like(data);
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, isMatrix(v) ? like(v) : new Float64Array(size)]));
}

/**
 * The samples split into minibatches of `batchSize` rows (the last one smaller when it
 * does not divide), in an order shuffled by `random` (in order when absent). Each batch
 * is a copy: `minibatches(X, 128, new Random(0))[0].rows` is 128.
 *
 * @example
 * ```ts
 * const batches = minibatches({ x: X, labels }, 128, new Random(0));
 * batches[0].x.rows; // 128
 * ```
 */
export function minibatches<D extends Dataset>(data: D, batchSize: number, random?: Random): Batch<D>[] {
  const n = sampleCount(data, 'minibatches: data');
  const size = checkInt(batchSize, 'minibatches: batchSize', 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (random !== undefined) random.shuffle(order);
  const out: Batch<D>[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    const batch = emptyBatch(data, end - start);
    gatherInto(data, order, start, end, batch);
    out.push(batch as Batch<D>);
  }
  return out;
}

/** Options of {@link train}. */
export interface TrainOptions<S = TrainStep> {
  /** The optimiser. @defaultValue adam() (learning rate 1e-3) */
  optimizer?: Optimizer;
  /** Passes over the data. @defaultValue 10 */
  epochs?: number;
  /** Samples per minibatch. @defaultValue 128 */
  batchSize?: number;
  /** Seed or generator of the per-epoch shuffle. @defaultValue 0 */
  seed?: SeedLike;
  /** Called after every minibatch; returning true stops the run (the result is kept). */
  onProgress?: OnProgress<S>;
  /** Aborting stops the run after the current minibatch (the result is kept). */
  signal?: AbortSignal;
  /**
   * Stop at a NaN or ±Infinity with the op's name (see valueAndGrad).
   * @defaultValue true
   */
  checkFinite?: boolean;
}
const TRAIN_OPTIONS = optionNames<TrainOptions>()('optimizer', 'epochs', 'batchSize', 'seed', 'onProgress', 'signal', 'checkFinite');

/** One minibatch step, as `trainSteps` yields it and `onProgress` receives it. */
export interface TrainStep {
  /** 0-based epoch. */
  readonly epoch: number;
  /** 0-based minibatch within the epoch. */
  readonly batch: number;
  /** Steps taken so far, this one included. */
  readonly iteration: number;
  /** The minibatch's loss. */
  readonly loss: number;
}

/** What training returns. */
export interface TrainResult<P> {
  /** The trained parameters (a copy: the ones passed in are not modified). */
  readonly params: P;
  /** The optimiser's state, to continue training. */
  readonly optimizerState: OptimizerState;
  /** Per finished epoch, the mean of its minibatch losses (weighted by batch size). */
  readonly history: Float64Array;
  /** True when every epoch ran (a stop asked for at the last step included); false when stopped earlier by onProgress, `next(true)` or the signal. */
  readonly completed: boolean;
}

/**
 * Training as a generator: one step per minibatch (gradient, then optimiser step).
 * `next(true)` stops and returns the result so far. {@link train} and {@link trainAsync}
 * drive it; a page can drive it itself to draw between steps.
 *
 * @param lossFn - (tracked parameters, minibatch) → 1 × 1 loss. It should be a pure function
 *   of its arguments: in a run's first steps, when the kernels' memory grows under a step,
 *   that step's loss is computed again on fresh views of the parameters.
 * @example
 * ```ts
 * const run = trainSteps((p, b) => softmaxCrossEntropy(mlp.apply(p, b.x), b.labels), params, { x: X, labels });
 * run.next().value; // { epoch: 0, batch: 0, iteration: 1, loss: … }
 * ```
 */
export function trainSteps<P extends Params, D extends Dataset>(
  lossFn: (params: Tracked<P>, batch: Batch<D>) => Var, params: P, data: D, options?: TrainOptions,
): Generator<TrainStep, TrainResult<P>, boolean | undefined> {
  // Validated here, when the run is made, not at its first next().
  const opts = checkOptions(options, TRAIN_OPTIONS, 'train: options');
  if (typeof lossFn !== 'function') fail('INVALID_INPUT', `train: lossFn received ${describe(lossFn)}, expected (params, batch) => loss`);
  const n = sampleCount(data, 'train: data');
  const optimizer = opts.optimizer ?? adam();
  if (typeof optimizer?.step !== 'function') fail('INVALID_OPTION', `train: optimizer received ${describe(optimizer)}, expected sgd(...) or adam(...)`);
  checkCallback(opts.onProgress, 'train: onProgress');
  const signal = checkSignal(opts.signal, 'train: signal');
  const run: TrainRun<D> = {
    data, n, optimizer, signal,
    epochs: checkInt(opts.epochs ?? 10, 'train: epochs', 1),
    batchSize: Math.min(n, checkInt(opts.batchSize ?? 128, 'train: batchSize', 1)),
    random: randomFrom(opts.seed, 'train: seed'),
    checkFinite: checkBoolean(opts.checkFinite ?? true, 'train: checkFinite'),
  };
  return trainLoop(lossFn, cloneParams(params), run);
}

interface TrainRun<D extends Dataset> {
  readonly data: D;
  readonly n: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly random: Random;
  readonly optimizer: Optimizer;
  readonly signal: AbortSignal | undefined;
  readonly checkFinite: boolean;
}

/**
 * The one training loop: a step per minibatch, a history entry per epoch. The parameters,
 * their gradients, the optimiser's state and the step's values stay in the kernels' memory
 * for the run (see ResidentParams, as the VAE's fit): no kernel call copies them in or out.
 */
function* trainLoop<P extends Params, D extends Dataset>(
  lossFn: (params: Tracked<P>, batch: Batch<D>) => Var, params: P, run: TrainRun<D>,
): Generator<TrainStep, TrainResult<P>, boolean | undefined> {
  const { data, n, batchSize, optimizer, signal, checkFinite } = run;
  const resident = new ResidentParams(params, optimizer);
  const workspace = residentWorkspace();
  // Reused batch buffers: one of the full size, one for a smaller last batch.
  const full = emptyBatch(data, batchSize) as Batch<D>;
  const rest = n % batchSize === 0 ? full : (emptyBatch(data, n % batchSize) as Batch<D>);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const history: number[] = [];
  // The regions are given back when the run ends (or fails: release is idempotent); the
  // result gets plain copies of the parameters and of the state.
  const releaseAll = () => {
    resident.release(true);
    workspace.release();
  };
  const result = (completed: boolean): TrainResult<P> => {
    releaseAll();
    return { params: resident.params(), optimizerState: resident.optimizerState(), history: Float64Array.from(history), completed };
  };
  let iteration = 0;
  try {
    for (let epoch = 0; epoch < run.epochs; epoch++) {
      run.random.shuffle(order);
      let total = 0;
      for (let start = 0, b = 0; start < n; start += batchSize, b++) {
        if (signal?.aborted) return result(false);
        const end = Math.min(n, start + batchSize);
        const batch = end - start === batchSize ? full : rest;
        gatherInto(data, order, start, end, batch);
        const { value, grads } = resident.stable((w) => valueAndGrad((p) => lossFn(p, batch), w, { workspace, checkFinite }));
        resident.step(grads);
        total += value * (end - start);
        iteration++;
        // The epoch's entry before its last step is yielded: a run stopped there has finished it.
        if (end === n) history.push(total / n);
        const last = end === n && epoch === run.epochs - 1;
        // A stop asked for at the very last step changes nothing: the run has completed.
        if ((yield { epoch, batch: b, iteration, loss: value }) === true && !last) return result(false);
      }
    }
    return result(true);
  } finally {
    releaseAll();
  }
}

/**
 * Trains parameters on a dataset with minibatches shuffled by a seed, returning the
 * trained copy (the parameters passed in are not modified).
 *
 * @example
 * ```ts
 * const params = mlp.init([784, 100, 10], { seed: 0 });
 * const loss = (p, b) => softmaxCrossEntropy(mlp.apply(p, b.x), b.labels);
 * const result = train(loss, params, { x: X, labels }, { epochs: 5, optimizer: adam({ learningRate: 1e-3 }) });
 * result.history.length; // 5
 * ```
 */
export function train<P extends Params, D extends Dataset>(
  lossFn: (params: Tracked<P>, batch: Batch<D>) => Var, params: P, data: D, options?: TrainOptions,
): TrainResult<P> {
  return drive(trainSteps(lossFn, params, data, options), (s) => s.loss, options?.onProgress);
}

/**
 * {@link train}, yielding to the event loop between minibatches (a page stays responsive).
 *
 * @example
 * ```ts
 * (await trainAsync(loss, params, data, { epochs: 1 })).completed; // true
 * ```
 */
export async function trainAsync<P extends Params, D extends Dataset>(
  lossFn: (params: Tracked<P>, batch: Batch<D>) => Var, params: P, data: D, options?: TrainOptions,
): Promise<TrainResult<P>> {
  return driveAsync(trainSteps(lossFn, params, data, options), (s) => s.loss, options?.onProgress);
}

/**
 * A (rows × cols) matrix of independent standard normal draws from `random`: the ε of the
 * reparameterisation trick z = μ + σ·ε.
 *
 * @example
 * ```ts
 * randn(2, 3, new Random(0)).data.length; // 6 (float32)
 * ```
 */
export function randn(rows: number, cols: number, random: Random, dtype: 'float32' | 'float64' = 'float32'): Matrix {
  const r = checkInt(rows, 'randn: rows', 1), c = checkInt(cols, 'randn: cols', 1);
  const data = dtype === 'float64' ? new Float64Array(r * c) : new Float32Array(r * c);
  return { rows: r, cols: c, data: random.fillNormal(data) };
}
