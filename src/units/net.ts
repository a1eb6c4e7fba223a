import { dense, type Activation, type DenseParams, type Dtype, type Operand, type Params, type Var } from '../autodiff/index.js';
import { describe, fail } from '../core/errors.js';
import { asMatrix, isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';

/**
 * How a network is called by this module: the layer it may stop after, and a hook on every
 * layer's output.
 *
 * @example
 * ```ts
 * // Zero unit 3 of layer 0 for the layers after it:
 * const call: NetCall = { intervene: (layer, h) => (layer === 0 ? zeroColumn(h, 3) : h) };
 * ```
 */
export interface NetCall {
  /** The last layer the caller reads: the network may stop after it (or compute them all). */
  readonly layer?: number;
  /**
   * Called with each layer's index and output, in order; what it returns replaces that
   * output for the rest of the network and in the returned list. Absent: nothing replaced.
   */
  readonly intervene?: (layer: number, output: Operand) => Operand;
}

/**
 * A network as `latentspace/units` reads it: a function of the parameters and a batch of
 * inputs x (rows) that returns every layer's output, in order, the last one the network's
 * output (logits for a classifier), calling `call.intervene` on each output as it goes.
 * Build it from `latentspace/autodiff` ops so that gradients flow through it; the
 * parameters are plain Matrices (constants) here, and x may be tracked (by
 * {@link visualize}). {@link mlpNet} is this function for `mlp` parameters, and the string
 * `'mlp'` stands for `mlpNet()` wherever a network is asked for.
 *
 * @example
 * ```ts
 * // A two-layer tanh network with a custom shape, as a Net:
 * const net: Net<{ W1: Matrix; W2: Matrix }> = (p, x, call) => {
 *   const hook = call.intervene ?? ((_layer, h) => h);
 *   const h = hook(0, tanh(matmul(x, p.W1)));
 *   return [h, hook(1, matmul(h, p.W2))];
 * };
 * ```
 */
export type Net<P> = (params: P, x: Operand, call: NetCall) => readonly Operand[];

/**
 * A {@link Net}, or `'mlp'` for `mlpNet()` (ReLU hidden layers).
 * @example
 * ```ts
 * units.activations('mlp', params, X);                   // mlpNet()
 * units.activations(units.mlpNet({ activation: 'tanh' }), params, X);
 * ```
 */
export type NetLike<P> = Net<P> | 'mlp';

/**
 * Options of {@link mlpNet}.
 * @example
 * ```ts
 * const net = units.mlpNet({ activation: 'leakyRelu' });
 * ```
 */
export interface MlpNetOptions {
  /** The activation after every layer but the last (as `mlp.apply`). @defaultValue 'relu' */
  activation?: Activation;
}
const MLP_NET_OPTIONS = optionNames<MlpNetOptions>()('activation');
const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid', 'softplus', 'identity'] as const;

/**
 * The {@link Net} of parameters made by `mlp.init` (an array of dense layers): layer i's
 * output is its dense layer followed by the activation (the last layer stays linear), the
 * same values as `mlp.activations`.
 *
 * @example
 * ```ts
 * const net = mlpNet({ activation: 'tanh' });
 * const [hidden, logits] = net(mlp.init([4, 3, 2]), X, {}); // (n × 3), (n × 2)
 * ```
 */
export function mlpNet(options?: MlpNetOptions): Net<readonly DenseParams[]> {
  const opts = checkOptions(options, MLP_NET_OPTIONS, 'mlpNet: options');
  const activation = checkChoice(opts.activation ?? 'relu', 'mlpNet: activation', ACTIVATIONS);
  return (params, x, call) => {
    if (!Array.isArray(params) || params.length === 0) {
      fail('INVALID_INPUT', `mlpNet: params received ${describe(params)}, expected the array of layers mlp.init returns`);
    }
    const out: Operand[] = [];
    let h: Operand = x;
    for (let i = 0; i < params.length; i++) {
      const a = dense.apply(params[i]!, h, i < params.length - 1 ? activation : 'identity');
      h = call.intervene === undefined ? a : call.intervene(i, a);
      out.push(h);
      if (call.layer !== undefined && i >= call.layer) break;
    }
    return out;
  };
}

/** The network function behind a {@link NetLike}. */
export function resolveNet<P>(net: NetLike<P>, fname: string): Net<P> {
  if (net === 'mlp') return mlpNet() as unknown as Net<P>;
  if (typeof net !== 'function') fail('INVALID_INPUT', `${fname}: net received ${describe(net)}, expected 'mlp' or a function (params, x, { layer, intervene }) => every layer's output`);
  return net;
}

/** The element type of the first Matrix in a parameter tree (undefined when it holds none). */
export function paramsDtype(params: unknown): Dtype | undefined {
  if (isMatrix(params)) return params.data instanceof Float32Array ? 'float32' : 'float64';
  if (params !== null && typeof params === 'object') {
    for (const child of Object.values(params)) {
      const d = paramsDtype(child);
      if (d !== undefined) return d;
    }
  }
  return undefined;
}

/** The inputs as a Matrix of the parameters' element type (autodiff never mixes dtypes). */
export function inputsFor(X: MatrixInput, params: Params, name = 'X'): Matrix {
  const dtype = paramsDtype(params);
  return asMatrix(X, name, { dtype: dtype ?? 'keep' });
}

/** Runs the network and checks what it returns: an array of (rows × ·) matrices. */
export function runNet<P>(net: Net<P>, params: P, x: Operand, call: NetCall, fname: string): readonly Operand[] {
  const out = net(params, x, call);
  if (!Array.isArray(out) || out.length === 0) {
    fail('INVALID_INPUT', `${fname}: net returned ${describe(out)}, expected a non-empty array of every layer's output`);
  }
  out.forEach((m, i) => {
    if (!isMatrix(m) || m.rows !== x.rows) {
      fail('SHAPE_MISMATCH', `${fname}: net returned ${isMatrix(m) ? `a ${m.rows} × ${m.cols} matrix` : describe(m)} as layer ${i}'s output, expected ${x.rows} rows (one per input)`);
    }
  });
  return out;
}

/** A layer index (negative counts from the end: −1 is the output) checked against the count. */
export function layerIndex(layer: unknown, count: number, fname: string): number {
  const l = checkInt(layer, `${fname}: layer`, -count, count - 1);
  return l < 0 ? count + l : l;
}

/**
 * Checks that the network used what `intervene` returned at `layer` (a network that ignores
 * the hook would make every gradient 0 and every ablation a no-op, silently).
 */
export function checkIntervened(out: readonly Operand[], layer: number, replacement: Operand | undefined, fname: string): void {
  if (replacement === undefined || out[layer] !== replacement) {
    fail('INVALID_INPUT', `${fname}: the net did not use what call.intervene returned for layer ${layer}; a Net must call intervene(i, output) on every layer's output and go on with (and return) its result`);
  }
}

/** Rows [start, end) of x as a Matrix sharing its memory. */
export function rowsOf(x: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: x.cols, data: x.data.subarray(start * x.cols, end * x.cols) };
}

/** The batch size option, resolved. */
export function batchSizeOf(value: unknown, fname: string): number {
  return checkInt(value ?? 1024, `${fname}: batchSize`, 1);
}

/**
 * Options of {@link activations}.
 * @example
 * ```ts
 * units.activations('mlp', params, X, { layer: -1, batchSize: 256 }); // the logits, 256 rows at a time
 * ```
 */
export interface ActivationsOptions {
  /** Which layer (0 the first; negative from the end, −1 the output). @defaultValue 0 */
  layer?: number;
  /** Inputs per forward pass (bounds memory). @defaultValue 1024 */
  batchSize?: number;
}
const ACTIVATIONS_OPTIONS = optionNames<ActivationsOptions>()('layer', 'batchSize');

/**
 * One layer's activations for every input: the matrix the plain-data analyses
 * ({@link classProfile}, {@link selectivity}, {@link topActivating}, {@link rectifiedMean},
 * {@link isotropy}) read.
 *
 * @param net - a {@link Net}, or `'mlp'`
 * @param params - the network's parameters (X is converted to their element type)
 * @param X - the inputs, (nInputs, nFeatures)
 * @returns (nInputs, layer width), in the parameters' element type
 * @example
 * ```ts
 * const A = activations('mlp', params, X, { layer: 0 }); // the hidden layer, (n × 100)
 * ```
 */
export function activations<P extends Params>(net: NetLike<P>, params: P, X: MatrixInput, options?: ActivationsOptions): Matrix {
  const opts = checkOptions(options, ACTIVATIONS_OPTIONS, 'activations: options');
  const f = resolveNet(net, 'activations');
  const x = inputsFor(X, params);
  const batchSize = batchSizeOf(opts.batchSize, 'activations');
  let out: Matrix | undefined, layer = 0;
  for (let start = 0; start < x.rows; start += batchSize) {
    const end = Math.min(x.rows, start + batchSize);
    const xb = rowsOf(x, start, end);
    if (out === undefined) {
      // The first batch runs the whole network: a negative layer needs the layer count.
      const all = runNet(f, params, xb, {}, 'activations');
      layer = layerIndex(opts.layer ?? 0, all.length, 'activations');
      const first = all[layer]!, size = x.rows * first.cols;
      out = { rows: x.rows, cols: first.cols, data: first.data instanceof Float32Array ? new Float32Array(size) : new Float64Array(size) };
      out.data.set(first.data);
      continue;
    }
    const h = runNet(f, params, xb, { layer }, 'activations')[layer];
    if (h === undefined || h.cols !== out.cols) fail('SHAPE_MISMATCH', `activations: the net's layer ${layer} changed width between batches`);
    out.data.set(h.data, start * out.cols);
  }
  return out!;
}
