import { abs, adam, add, mul, scale, sum, valueAndGrad, Workspace, type Dtype, type Operand, type Params, type Var } from '../autodiff/index.js';
import { describe, fail } from '../core/errors.js';
import { drive, driveAsync, type OnProgress } from '../core/iterate.js';
import { asMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { checkResult, type Objective } from './objectives.js';
import { layerIndex, paramsDtype, resolveNet, runNet, type Net, type NetLike } from './net.js';

/**
 * Options of {@link visualize}, {@link visualizeAsync} and {@link visualizeSteps}.
 * @example
 * ```ts
 * visualize('mlp', params, dotCos(v), { steps: 512, clamp: [0, 1], jitter: 2, inputShape: [28, 28], l1: 1e-4 });
 * ```
 */
export interface VisualizeOptions {
  /** The layer whose activations the objective reads (0 the first; negative from the end, −1 the output). @defaultValue 0 */
  layer?: number;
  /** Gradient steps. @defaultValue 256 */
  steps?: number;
  /** Adam's step size on the input. @defaultValue 0.05 */
  learningRate?: number;
  /**
   * Weight of an L1 penalty on the previous layer's activations (the input itself for
   * layer 0), subtracted from the objective: Olah et al. use 1e-4 to keep the picture
   * sparse. ≥ 0.
   * @defaultValue 0
   */
  l1?: number;
  /**
   * Each step shifts the input picture by up to this many pixels in x and y (seeded, zeros
   * shifted in, the same shift for every row) before the network sees it, so the result
   * must work at every nearby offset: a regulariser against high-frequency patterns. Needs
   * a 2-D `inputShape`.
   * @defaultValue 0
   */
  jitter?: number;
  /** Seed (or generator) of the starting noise and the jitter. @defaultValue 0 */
  seed?: SeedLike;
  /**
   * The input's shape: its length, or [height, width] of a picture stored row by row
   * (required for `jitter`). Taken from the first layer's weights for `'mlp'`.
   */
  inputShape?: number | readonly [number, number];
  /** Keep every input entry in [low, high] (pixel intensities: [0, 1]) after each step. */
  clamp?: readonly [number, number];
  /**
   * Where the ascent starts: a matrix of inputs (one visualisation per row), or a count of
   * random starts: the middle of `clamp` (0 without) plus noise of 1 % of its width
   * (0.01 without).
   * @defaultValue 1
   */
  init?: number | MatrixInput;
  /** Called after every step; returning true stops the run (the input so far is returned). */
  onProgress?: OnProgress<VisualizeStep>;
  /** Stops the run before its next step when aborted (the input so far is returned). */
  signal?: AbortSignal;
}
const VISUALIZE_OPTIONS = optionNames<VisualizeOptions>()(
  'layer', 'steps', 'learningRate', 'l1', 'jitter', 'seed', 'inputShape', 'clamp', 'init', 'onProgress', 'signal',
);

/**
 * One step of a visualisation, as {@link visualizeSteps} yields it.
 * @example
 * ```ts
 * visualize('mlp', params, dot(v), { onProgress: (s) => s.value > 100 }); // stop once the objective passes 100
 * ```
 */
export interface VisualizeStep {
  /** Steps taken so far, this one included. */
  readonly iteration: number;
  /** The objective's mean over the rows at this step's (jittered) input, before the step. */
  readonly value: number;
}

/**
 * What a visualisation returns.
 * @example
 * ```ts
 * const { input, values, completed } = visualize('mlp', params, cosine(v), { init: 4 });
 * input.rows; // 4
 * ```
 */
export interface VisualizeResult {
  /** The inputs found, (rows × input length), in the parameters' element type. */
  readonly input: Matrix;
  /** The objective of each row at `input` (unjittered), (rows). */
  readonly values: Float64Array;
  /** The step values, (nIter). */
  readonly history: Float64Array;
  /** Steps taken. */
  readonly nIter: number;
  /** True when every step ran; false when stopped by onProgress or the signal. */
  readonly completed: boolean;
}

interface Run<P> {
  readonly f: Net<P>;
  readonly params: P;
  readonly objective: Objective;
  readonly layer: number;
  readonly steps: number;
  readonly learningRate: number;
  readonly l1: number;
  readonly jitter: number;
  readonly shape: readonly [number, number];
  readonly clamp: readonly [number, number] | undefined;
  readonly random: Random;
  readonly x: Matrix;
  readonly signal: AbortSignal | undefined;
}

function checkClamp(value: unknown): readonly [number, number] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 2) fail('INVALID_OPTION', `visualize: clamp received ${describe(value)}, expected [low, high]`);
  const low = checkNumber(value[0], 'visualize: clamp[0]'), high = checkNumber(value[1], 'visualize: clamp[1]');
  if (!(low < high)) fail('INVALID_OPTION', `visualize: clamp received [${low}, ${high}], expected low < high`);
  return [low, high];
}

/** The input's [height, width] (a flat input is one row of pictures: [1, length]). */
function checkShape(value: unknown, params: unknown): readonly [number, number] {
  if (value === undefined) {
    const first = Array.isArray(params) ? (params[0] as { weight?: Matrix } | undefined)?.weight : undefined;
    if (first === undefined || typeof first.rows !== 'number') fail('INVALID_OPTION', 'visualize: inputShape is required (the input length, or [height, width]) unless params come from mlp.init');
    return [1, first.rows];
  }
  if (typeof value === 'number') return [1, checkInt(value, 'visualize: inputShape', 1)];
  if (!Array.isArray(value) || value.length !== 2) fail('INVALID_OPTION', `visualize: inputShape received ${describe(value)}, expected a length or [height, width]`);
  return [checkInt(value[0], 'visualize: inputShape[0]', 1), checkInt(value[1], 'visualize: inputShape[1]', 1)];
}

function startingInputs(init: unknown, length: number, dtype: Dtype, clamp: readonly [number, number] | undefined, random: Random): Matrix {
  if (init !== undefined && typeof init !== 'number') {
    const m = asMatrix(init as MatrixInput, 'visualize: init', { dtype });
    if (m.cols !== length) fail('SHAPE_MISMATCH', `visualize: init has ${m.cols} columns, expected ${length} (the input length)`);
    return { rows: m.rows, cols: m.cols, data: m.data.slice() }; // ours to move: the caller's stays
  }
  const rows = checkInt(init ?? 1, 'visualize: init', 1);
  const data = dtype === 'float32' ? new Float32Array(rows * length) : new Float64Array(rows * length);
  const mid = clamp === undefined ? 0 : (clamp[0] + clamp[1]) / 2, spread = clamp === undefined ? 0.01 : 0.01 * (clamp[1] - clamp[0]);
  for (let i = 0; i < data.length; i++) data[i] = mid + spread * random.normal();
  return { rows, cols: length, data };
}

/**
 * Feature visualisation as a generator of steps: gradient ascent (Adam) on the input of a
 * network so that one layer's activations maximise an objective (a direction's
 * {@link dot}, {@link cosine}, {@link dotCos}, …), optionally with an L1 penalty on the
 * previous layer, jitter, and the input clamped to its range. Each step differentiates
 * objective(h) − l1 · ‖h_prev‖₁ with respect to the (jittered) input, the objective's own
 * gradient chained into the network's backward pass. `next(true)` stops and returns the
 * input so far; {@link visualize} and {@link visualizeAsync} drive it.
 *
 * @param net - a {@link Net}, or `'mlp'`
 * @param params - the network's parameters (not modified)
 * @param objective - one value per row of the layer's activations, with its gradient
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a bad option, `SHAPE_MISMATCH` for an
 *   `init` or objective of the wrong width
 *
 * @see Olah, Mordvintsev & Schubert (2017), "Feature visualization", Distill
 * @example
 * ```ts
 * const run = visualizeSteps('mlp', params, dot(v), { clamp: [0, 1] });
 * run.next().value; // { iteration: 1, value: … }
 * ```
 */
export function visualizeSteps<P extends Params>(net: NetLike<P>, params: P, objective: Objective, options?: VisualizeOptions): Generator<VisualizeStep, VisualizeResult, boolean | undefined> {
  const fname = 'visualize';
  const opts = checkOptions(options, VISUALIZE_OPTIONS, `${fname}: options`);
  const f = resolveNet(net, fname);
  if (typeof objective !== 'function') fail('INVALID_INPUT', `${fname}: objective received ${describe(objective)}, expected an objective (dot(v), cosine(v), …)`);
  const shape = checkShape(opts.inputShape, params);
  const jitter = checkInt(opts.jitter ?? 0, `${fname}: jitter`, 0);
  if (jitter > 0 && shape[0] === 1) fail('INVALID_OPTION', `${fname}: jitter needs a picture: pass inputShape: [height, width]`);
  const signal = opts.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) fail('INVALID_OPTION', `${fname}: signal received ${describe(signal)}, expected an AbortSignal`);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') fail('INVALID_OPTION', `${fname}: onProgress received ${describe(opts.onProgress)}, expected a function`);
  const clamp = checkClamp(opts.clamp);
  const random = randomFrom(opts.seed, `${fname}: seed`);
  const x = startingInputs(opts.init, shape[0] * shape[1], paramsDtype(params) ?? 'float64', clamp, random);
  if (clamp !== undefined) clampInPlace(x.data, clamp);
  // One plain pass: the layer count (for a negative layer) and a check that the net runs.
  const count = runNet(f, params, x, {}, fname).length;
  return loop({
    f, params, objective, shape, jitter, clamp, random, x, signal,
    layer: layerIndex(opts.layer ?? 0, count, fname),
    steps: checkInt(opts.steps ?? 256, `${fname}: steps`, 1),
    learningRate: checkNumber(opts.learningRate ?? 0.05, `${fname}: learningRate`, 0),
    l1: checkNumber(opts.l1 ?? 0, `${fname}: l1`, 0),
  });
}

function clampInPlace(data: FloatArray, [low, high]: readonly [number, number]): void {
  for (let i = 0; i < data.length; i++) data[i] = Math.min(high, Math.max(low, data[i]!));
}

/**
 * Every row of `src` (pictures of height × width, row-major) shifted by (dx, dy) pixels into
 * `dst`, zeros where nothing is shifted in. Its adjoint (for the gradient) is the shift by
 * (−dx, −dy).
 */
function shift(src: FloatArray, dst: FloatArray, rows: number, [height, width]: readonly [number, number], dx: number, dy: number): void {
  dst.fill(0);
  const size = height * width;
  for (let r = 0; r < rows; r++) {
    for (let y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
      const from = r * size + (y - dy) * width, to = r * size + y * width;
      const x0 = Math.max(0, dx), x1 = Math.min(width, width + dx);
      dst.set(src.subarray(from + x0 - dx, from + x1 - dx), to + x0);
    }
  }
}

/** The objective's gradient as a constant of the computation's element type. */
function constantLike(g: Matrix<Float64Array>, like: Operand): Matrix {
  return like.data instanceof Float32Array ? { rows: g.rows, cols: g.cols, data: Float32Array.from(g.data) } : g;
}

/** The objective at layer `layer` of the network run on x, checked. */
function objectiveAt<P>(run: Run<P>, out: readonly Operand[]): { h: Operand; value: Float64Array; gradient: Matrix<Float64Array> } {
  const h = out[run.layer];
  if (h === undefined) fail('INVALID_INPUT', `visualize: the net returned ${out.length} layers, expected layer ${run.layer}`);
  const r = run.objective(h);
  checkResult('visualize: the objective', r, h.rows, h.cols);
  return { h, value: r.value, gradient: r.gradient };
}

function* loop<P>(run: Run<P>): Generator<VisualizeStep, VisualizeResult, boolean | undefined> {
  const { f, params, x, jitter, shape, layer, l1 } = run;
  const optimizer = adam({ learningRate: run.learningRate });
  const state = optimizer.init({ x });
  const workspace = new Workspace();
  const shifted = jitter > 0 ? { rows: x.rows, cols: x.cols, data: x.data.slice() } : x;
  const gradient = jitter > 0 ? x.data.slice() : null;
  const history: number[] = [];
  let completed = true;
  for (let step = 0; step < run.steps; step++) {
    if (run.signal?.aborted === true) { completed = false; break; }
    const dx = jitter > 0 ? run.random.int(2 * jitter + 1) - jitter : 0;
    const dy = jitter > 0 ? run.random.int(2 * jitter + 1) - jitter : 0;
    if (jitter > 0) shift(x.data, shifted.data, x.rows, shape, dx, dy);
    let mean = 0;
    const { grads } = valueAndGrad((p) => {
      const out = runNet(f, params, p.x, { layer }, 'visualize');
      const { h, value, gradient: g } = objectiveAt(run, out);
      mean = value.reduce((s, v) => s + v, 0) / value.length;
      // −Σ h·g has gradient −g with respect to h: the objective's, for descent.
      let loss: Var = scale(sum(mul(h, constantLike(g, h))), -1);
      if (l1 > 0) loss = add(loss, scale(sum(abs(layer === 0 ? p.x : out[layer - 1]!)), l1));
      return loss;
    }, { x: shifted }, { workspace });
    let g = grads.x;
    if (gradient !== null) {
      shift(g.data, gradient, x.rows, shape, -dx, -dy);
      g = { rows: x.rows, cols: x.cols, data: gradient };
    }
    optimizer.step({ x }, { x: g }, state);
    if (run.clamp !== undefined) clampInPlace(x.data, run.clamp);
    history.push(mean);
    if ((yield { iteration: step + 1, value: mean }) === true) {
      completed = step + 1 === run.steps;
      break;
    }
  }
  const values = Float64Array.from(objectiveAt(run, runNet(f, params, x, { layer }, 'visualize')).value);
  return { input: x, values, history: Float64Array.from(history), nIter: history.length, completed };
}

const valueOf = (s: VisualizeStep): number => s.value;

/**
 * Feature visualisation: the input found by gradient ascent on an objective of one layer's
 * activations (see {@link visualizeSteps} for the method and the options).
 *
 * @param net - a {@link Net}, or `'mlp'`
 * @param params - the network's parameters (not modified)
 * @param objective - e.g. `dotCos(v, { power: 4 })` for a direction v of the layer
 * @returns the inputs, the objective there, and the run's history
 *
 * @see Olah, Mordvintsev & Schubert (2017), "Feature visualization", Distill
 * @example
 * ```ts
 * const { input, values } = visualize('mlp', params, dotCos(v), { layer: 0, steps: 200, clamp: [0, 1], jitter: 1, inputShape: [28, 28] });
 * input.cols; // 784: a picture to show with image.grid
 * ```
 */
export function visualize<P extends Params>(net: NetLike<P>, params: P, objective: Objective, options?: VisualizeOptions): VisualizeResult {
  return drive(visualizeSteps(net, params, objective, options), valueOf, options?.onProgress);
}

/**
 * {@link visualize}, yielding to the event loop between steps (a page can draw the input as
 * it forms).
 *
 * @example
 * ```ts
 * (await visualizeAsync('mlp', params, cosine(v), { steps: 50 })).completed; // true
 * ```
 */
export async function visualizeAsync<P extends Params>(net: NetLike<P>, params: P, objective: Objective, options?: VisualizeOptions): Promise<VisualizeResult> {
  return driveAsync(visualizeSteps(net, params, objective, options), valueOf, options?.onProgress);
}
