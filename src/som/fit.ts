import { describe, fail } from '../core/errors.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkChoice, checkInt, checkNumber, checkOptions, checkSignal, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { allocate } from '../linalg/dtype.js';
import { DECAYS, scheduleAt, type Decay } from './math.js';
import { freezeModel, type Method, type SomModel } from './model.js';
import { initialWeights } from './init.js';
import { UnitSearch, type Matches } from './search.js';
import { OnlineTrainer } from './online.js';
import { batchUpdate } from './update.js';
import {
  checkGrid, distanceTable, gridDistances, NEIGHBORHOODS, neighborhoodFunction, neighbourhoodMatrix, supportReach, TOPOLOGIES,
  type GridShape, type Neighborhood, type NeighborhoodFunction, type Topology,
} from './topology.js';

/**
 * A value that moves from `start` to `end` over the run, along the fit's `decay`.
 *
 * @example
 * ```ts
 * const sigma: Schedule = { start: 10, end: 0.5 };
 * ```
 */
export interface Schedule {
  readonly start: number;
  readonly end: number;
}

/**
 * How the weights start: `'pca'` spreads them over the plane of the first two principal
 * components (as kohonen's and SOM Toolbox's linear initialisation): unit coordinates
 * scaled to [−1, 1] along each grid axis times √λ along the component (one standard
 * deviation), the longer axis taking the first component. `'random'`: uniform in the box
 * of the data's per-feature ranges. `'sample'`: distinct random rows of X (kohonen's
 * default; with replacement when there are more units than rows). Or the weights
 * themselves, (width · height × nFeatures).
 *
 * @example
 * ```ts
 * som.fit(X, { width: 2, height: 1, init: [[0, 0], [1, 1]] });
 * ```
 */
export type SomInit = 'pca' | 'random' | 'sample' | MatrixInput;

const METHODS: readonly Method[] = ['batch', 'online'];

/** The largest map: its units × units tables (grid distances, neighbourhood weights) take up to 20 bytes per pair of units, 820 MB here. */
const MAX_UNITS = 6400;

/**
 * Options of {@link fit}, {@link fitAsync} and {@link steps}.
 *
 * @example
 * ```ts
 * som.fit(X, { width: 20, height: 20, topology: 'hexagonal', epochs: 10, sigma: { start: 10, end: 1 }, seed: 0 });
 * ```
 */
export interface SomOptions {
  /** Units per row (width · height ≤ 6400: memory grows with the square of the units). @defaultValue 10 */
  width?: number;
  /** Rows of units. @defaultValue 10 */
  height?: number;
  /** `'rectangular'` or `'hexagonal'` (offset rows, kohonen's convention; see {@link Topology}). @defaultValue 'rectangular' */
  topology?: Topology;
  /** Wrap the grid at its edges (a torus); a hexagonal torus needs an even height. @defaultValue false */
  toroidal?: boolean;
  /**
   * `'batch'`: Kohonen's batch map, fast (one distance pass and one matrix product per
   * epoch); `'online'`: the classic per-row update (rows in a seeded random order every
   * epoch; σ and α decay row by row; units where a built-in neighbourhood is 0, or below
   * 1e-8 of its peak for `'gaussian'` and `'mexican-hat'`, are not moved).
   * @defaultValue 'batch'
   */
  method?: Method;
  /** Passes over the data. @defaultValue 10 */
  epochs?: number;
  /**
   * The neighbourhood function of the grid distance: a built-in name, or
   * `(distance, sigma) => weight`.
   * @defaultValue 'gaussian'
   */
  neighborhood?: Neighborhood | NeighborhoodFunction;
  /**
   * The neighbourhood radius σ, in grid units (neighbours are 1 apart): a constant, or
   * `{ start, end }` along `decay`. Values must be > 0.
   * @defaultValue `{ start: max(width, height) / 2, end: 0.5 }` (with σ = 0.5, a neighbour weighs e⁻² ≈ 0.14 under the Gaussian)
   */
  sigma?: number | Schedule;
  /**
   * The learning rate α of the online method (the batch method has none): a constant or
   * `{ start, end }` along `decay`, in (0, 1].
   * @defaultValue `{ start: 0.5, end: 0.01 }`
   */
  learningRate?: number | Schedule;
  /** How σ and α move from start to end (see {@link Decay}). @defaultValue 'exponential' */
  decay?: Decay;
  /** How the weights start (see {@link SomInit}). @defaultValue 'pca' */
  init?: SomInit;
  /** Seed (or generator) for the initialisation and the online row order. @defaultValue 0 */
  seed?: SeedLike;
  /** Called after every epoch; return `true` to stop (the map so far is returned, `completed: false`). */
  onProgress?: OnProgress<SomStep>;
  /** Stops the run before its next epoch when aborted; the map so far is returned, `completed: false`. */
  signal?: AbortSignal;
}

/**
 * One epoch of a run, as {@link steps} yields it.
 *
 * @example
 * ```ts
 * const errors: number[] = [];
 * for (const s of som.steps(X, { width: 5, height: 5 })) errors.push(s.quantizationError);
 * ```
 */
export interface SomStep {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** The radius σ of this epoch (online: at its last row). */
  readonly sigma: number;
  /** The online learning rate at the epoch's last row; NaN for the batch method. */
  readonly learningRate: number;
  /** The weights after this epoch, (units × nFeatures), a copy. */
  readonly weights: Matrix;
  /**
   * Mean distance of the rows to their best unit at the start of this epoch: the
   * assignment the epoch's batch update was made from (as k-means reports the inertia of an
   * iteration's assignment). `som.quantizationError(model, X)` measures the final map.
   */
  readonly quantizationError: number;
}

/** The options, resolved once. */
interface Resolved extends GridShape {
  readonly method: Method;
  readonly epochs: number;
  readonly h: NeighborhoodFunction;
  /** Where the neighbourhood ends, per unit of σ (`Infinity` for a caller's function). */
  readonly reach: number;
  readonly sigma: Schedule;
  readonly alpha: Schedule;
  readonly decay: Decay;
  readonly init: 'pca' | 'random' | 'sample' | Matrix;
  readonly rng: Random;
  readonly signal: AbortSignal | undefined;
}

function schedule(value: unknown, name: string, fallback: Schedule, max = Infinity): Schedule {
  if (value === undefined) return fallback;
  if (typeof value === 'number') {
    const v = checkNumber(value, name, 0, max);
    if (!(v > 0)) fail('INVALID_OPTION', `${name}: received ${v}, expected a positive number`);
    return { start: v, end: v };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('INVALID_OPTION', `${name}: received ${describe(value)}, expected a positive number or { start, end }`);
  }
  const { start, end } = value as Partial<Schedule>;
  const s = checkNumber(start, `${name}.start`, 0, max);
  const e = checkNumber(end, `${name}.end`, 0, max);
  if (!(s > 0) || !(e > 0)) fail('INVALID_OPTION', `${name}: received { start: ${s}, end: ${e} }, expected both positive`);
  return { start: s, end: e };
}

function resolveInit(init: unknown, units: number, d: number): Resolved['init'] {
  if (init === 'pca' || init === 'random' || init === 'sample') return init;
  if (typeof init === 'string' || init === null || typeof init !== 'object') {
    return fail('INVALID_OPTION', `init: received ${describe(init)}, expected 'pca', 'random', 'sample' or a (${units} × ${d}) matrix of weights`);
  }
  const m = asMatrix(init as MatrixInput, 'init');
  if (m.rows !== units || m.cols !== d) fail('SHAPE_MISMATCH', `init: received a ${m.rows} × ${m.cols} matrix, expected ${units} × ${d} (width · height units, the features of X)`);
  return m;
}

/** Every option name of {@link SomOptions} (unknown ones are rejected). */
const SOM_OPTION_NAMES = optionNames<SomOptions>()('width', 'height', 'topology', 'toroidal', 'method', 'epochs', 'neighborhood', 'sigma', 'learningRate', 'decay', 'init', 'seed', 'onProgress', 'signal');

function resolve(options: SomOptions | undefined, X: Matrix): Resolved {
  const opts = checkOptions(options, SOM_OPTION_NAMES);
  const width = checkInt(opts.width ?? 10, 'width', 1);
  const height = checkInt(opts.height ?? 10, 'height', 1);
  const topology = checkChoice<Topology>(opts.topology ?? 'rectangular', 'topology', TOPOLOGIES);
  const toroidal = checkBoolean(opts.toroidal ?? false, 'toroidal');
  const grid = { width, height, topology, toroidal };
  checkGrid(grid);
  if (width * height > MAX_UNITS) {
    fail('UNSUPPORTED', `width × height: received ${width} × ${height} = ${width * height} units, expected at most ${MAX_UNITS}: the neighbourhood and grid-distance tables hold units² numbers each`);
  }
  const nb = opts.neighborhood ?? 'gaussian';
  const name = typeof nb === 'function' ? undefined : checkChoice<Neighborhood>(nb, 'neighborhood', NEIGHBORHOODS);
  const h = name === undefined ? nb as NeighborhoodFunction : neighborhoodFunction(name);
  const signal = opts.signal;
  checkSignal(signal);
  const onProgress = opts.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    fail('INVALID_OPTION', `onProgress: received ${describe(onProgress)}, expected a function`);
  }
  return {
    ...grid,
    method: checkChoice<Method>(opts.method ?? 'batch', 'method', METHODS),
    epochs: checkInt(opts.epochs ?? 10, 'epochs', 1, MAX_ITERATIONS),
    h,
    reach: name === undefined ? Infinity : supportReach(name),
    sigma: schedule(opts.sigma, 'sigma', { start: Math.max(width, height) / 2, end: 0.5 }),
    alpha: schedule(opts.learningRate, 'learningRate', { start: 0.5, end: 0.01 }, 1),
    decay: checkChoice<Decay>(opts.decay ?? 'exponential', 'decay', DECAYS),
    init: resolveInit(opts.init ?? 'pca', width * height, X.cols),
    rng: randomFrom(opts.seed),
    signal,
  };
}

/** Mean of √dist over the rows. */
function meanRoot(dist: Float64Array): number {
  let s = 0;
  for (let i = 0; i < dist.length; i++) s += Math.sqrt(dist[i]!);
  return s / dist.length;
}

/** The weights as a Matrix of the data's element type (a copy). */
function weightsMatrix(W: Float64Array, units: number, d: number, like: Matrix): Matrix {
  const data = allocate(like.data instanceof Float32Array ? 'float32' : 'float64', units * d);
  data.set(W);
  return { rows: units, cols: d, data };
}

/**
 * The run, with X placed once where the kernels read it (see `UnitSearch`) and the online
 * trainer's block operands likewise: that memory is given back when the run ends, stops,
 * fails or is abandoned (`return()` runs `finally`).
 */
function* run(X: Matrix, o: Resolved): Generator<SomStep, SomModel, boolean | undefined> {
  const search = new UnitSearch(X);
  let online: OnlineTrainer | undefined;
  try {
    const W = initialWeights(X, o, () => search.columnMeans());
    // Online: the grid distances themselves; batch: grouped by value (the table is smaller).
    online = o.method === 'online' ? new OnlineTrainer(X, o, gridDistances(o), W) : undefined;
    return yield* epochs(X, o, search, W, online);
  } finally {
    online?.release();
    search.release();
  }
}

function* epochs(X: Matrix, o: Resolved, search: UnitSearch, W: Float64Array, online: OnlineTrainer | undefined): Generator<SomStep, SomModel, boolean | undefined> {
  const { cols: d } = X;
  const units = o.width * o.height;
  const table = o.method === 'batch' ? distanceTable(gridDistances(o)) : undefined;
  const errors: number[] = [];
  let completed = true;
  let matches: Matches | undefined;
  const batch = o.method === 'batch'
    ? { H: new Float64Array(units * units), sums: { S: new Float64Array(units * d), N: new Float64Array(units) }, num: new Float64Array(units * d) }
    : undefined;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    if (o.signal?.aborted === true) {
      completed = false;
      break;
    }
    // The epoch's assignment: the batch update uses it; its error is the epoch's.
    matches = search.find(W, units, false, matches, batch?.sums);
    const qe = meanRoot(matches.firstDist);
    errors.push(qe);
    let sigma: number, alpha: number;
    if (batch !== undefined) {
      sigma = scheduleAt(o.sigma.start, o.sigma.end, o.decay, o.epochs > 1 ? epoch / (o.epochs - 1) : 0);
      alpha = NaN;
      neighbourhoodMatrix(table!, o.h, sigma, batch.H);
      batchUpdate(batch.sums, batch.H, W, units, d, batch.num);
    } else {
      ({ sigma, alpha } = online!.epoch(epoch));
    }
    const stop = yield { epoch: epoch + 1, sigma, learningRate: alpha, weights: weightsMatrix(W, units, d, X), quantizationError: qe };
    if (stop === true && epoch + 1 < o.epochs) {
      completed = false;
      break;
    }
  }
  return freezeModel({
    kind: 'som', width: o.width, height: o.height, topology: o.topology, toroidal: o.toroidal,
    weights: weightsMatrix(W, units, d, X), quantizationErrors: Float64Array.from(errors),
    method: o.method, nEpochs: errors.length, completed,
  });
}

/**
 * A self-organizing map as a generator of epochs: the one loop that {@link fit} and
 * {@link fitAsync} run. Yields a {@link SomStep} after every epoch and returns the model;
 * `next(true)` stops early and returns the map so far (`completed: false`), and so does an
 * aborted `signal`, checked before every epoch.
 *
 * @param X - (nSamples, nFeatures); float32 data gives float32 weights
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a bad option, `SHAPE_MISMATCH` for an
 *   `init` matrix of the wrong shape, and the coercion errors of `asMatrix`
 *
 * @example
 * ```ts
 * const it = som.steps([[0], [1], [9], [10]], { width: 2, height: 1, epochs: 5 });
 * let r = it.next();
 * while (!r.done) r = it.next(r.value.quantizationError < 1); // stop once the error is below 1
 * r.value.kind; // 'som'
 * ```
 */
export function steps(X: MatrixInput, options?: SomOptions): Generator<SomStep, SomModel, boolean | undefined> {
  const x = asMatrix(X, 'X');
  // Validation happens here, when steps() is called, not at the first next().
  return run(x, resolve(options, x));
}

const qeOf = (s: SomStep): number => s.quantizationError;

/**
 * Fits a self-organizing map (Kohonen): a grid of units, each with a weight vector, laid
 * over the data so that neighbouring units hold similar vectors. The default batch method
 * runs, per epoch, one pass of the distance kernels (`sqDistances` and `argmin2Rows` on the
 * active backend; float64 data is screened on WebAssembly, by exact int16 dot products when
 * it lies on a grid such as 8-bit pixels, in float32 otherwise, and the close calls
 * measured exactly), one kernel pass for the exact distances to the winners and the
 * per-unit sums, and one neighbourhood-weighted average (a units × units matrix times the
 * per-unit sums, by `gemm`). On WebAssembly, X and its screening copy stay in the module's
 * memory for the whole fit and are given back at its end.
 *
 * @param X - (nSamples, nFeatures): number[][], Matrix, ndarray or ml-matrix; float32 stays float32
 * @returns a frozen {@link SomModel}
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a bad option, `SHAPE_MISMATCH`, and the
 *   coercion errors of `asMatrix`
 *
 * @see Kohonen (1982), "Self-organized formation of topologically correct feature maps", Biol. Cybern. 43
 * @see Kohonen (2013), "Essentials of the self-organizing map", Neural Networks 37 (the batch map)
 * @see Wehrens & Kruisselbrink (2018), "Flexible self-organizing maps in kohonen 3.0", J. Stat. Softw. 87(7)
 *
 * @example
 * ```ts
 * import * as som from 'latentspace/som';
 * const model = som.fit([[0, 0], [0, 1], [9, 9], [9, 10]], { width: 2, height: 1, seed: 0 });
 * model.weights.rows; // 2
 * som.bmu(model, [[0, 0.5], [9, 9.5]])[0] !== som.bmu(model, [[9, 9.5]])[0]; // true
 * ```
 */
export function fit(X: MatrixInput, options?: SomOptions): SomModel {
  return drive(steps(X, options), qeOf, options?.onProgress);
}

/**
 * {@link fit} that yields to the event loop between epochs, so a page stays responsive and
 * `onProgress` can draw the map as it unfolds.
 *
 * @example
 * ```ts
 * const model = await som.fitAsync(X, { width: 20, height: 20, onProgress: (s) => draw(s.weights) });
 * model.completed; // true unless stopped
 * ```
 */
export async function fitAsync(X: MatrixInput, options?: SomOptions): Promise<SomModel> {
  return driveAsync(steps(X, options), qeOf, options?.onProgress);
}
