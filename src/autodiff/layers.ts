import { describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import type { FloatArray } from '../core/matrix.js';
import { ACTIVATION_RULES, map, type Activation } from './elementwise.js';
import { gradSlot, operands, output, result, scratch64, shapeOf, type Dtype, type Operand, type Var } from './tape.js';
import { biasReluGradKernel, biasReluKernel, gemmKernel } from '../linalg/kernels/dispatch.js';

/** A dense layer's parameters: y = x · weight + bias. */
export interface DenseParams {
  /** (inputs × outputs): the transpose of PyTorch's `Linear.weight`, so x·W needs no transpose. */
  readonly weight: Matrix;
  /** (1 × outputs). */
  readonly bias: Matrix;
}

/** Weight initialisations. */
export type Init = 'pytorch' | 'glorot' | 'he';

/** Options of `dense.init`. */
export interface DenseInitOptions {
  /** Seed or generator of the random weights. @defaultValue 0 */
  seed?: SeedLike;
  /**
   * `'pytorch'`: weight and bias ~ U(±1/√inputs), `torch.nn.Linear`'s default;
   * `'glorot'`: weight ~ U(±√(6/(inputs + outputs))), bias 0; `'he'`: weight ~
   * N(0, 2/inputs), bias 0 (for ReLU nets).
   * @defaultValue 'pytorch'
   */
  init?: Init;
  /** Element type of the parameters. @defaultValue 'float32' */
  dtype?: Dtype;
}
const DENSE_INIT_OPTIONS = optionNames<DenseInitOptions>()('seed', 'init', 'dtype');
const INITS = ['pytorch', 'glorot', 'he'] as const;
const DTYPES = ['float32', 'float64'] as const;

function initDense(inputs: number, outputs: number, init: Init, dtype: Dtype, random: Random): DenseParams {
  const weight = dtype === 'float32' ? new Float32Array(inputs * outputs) : new Float64Array(inputs * outputs);
  const bias = dtype === 'float32' ? new Float32Array(outputs) : new Float64Array(outputs);
  if (init === 'he') {
    const std = Math.sqrt(2 / inputs);
    for (let i = 0; i < weight.length; i++) weight[i] = random.normal(0, std);
  } else {
    const bound = init === 'glorot' ? Math.sqrt(6 / (inputs + outputs)) : 1 / Math.sqrt(inputs);
    for (let i = 0; i < weight.length; i++) weight[i] = random.uniform(-bound, bound);
    if (init === 'pytorch') for (let i = 0; i < bias.length; i++) bias[i] = random.uniform(-bound, bound);
  }
  return { weight: { rows: inputs, cols: outputs, data: weight }, bias: { rows: 1, cols: outputs, data: bias } };
}

/**
 * act(x · W + b) as one op: the GEMM writes x·W, then one pass adds the bias and applies
 * the activation in place (a kernel for ReLU and the identity), its derivative taken from
 * the output alone: backward needs no pre-activation buffer, and for ReLU one pass makes
 * dz and the bias gradient.
 */
function affine(x: Operand, weight: Operand, bias: Operand, activation: Activation): Var {
  const { ctx, vars: [X, W, b] } = operands('dense', [x, weight, bias], ['x', 'weight', 'bias']);
  const m = X!.rows, k = X!.cols, n = W!.cols;
  if (W!.rows !== k || b!.rows !== 1 || b!.cols !== n) {
    fail('SHAPE_MISMATCH', `dense: x is ${shapeOf(X!)}, weight ${shapeOf(W!)} and bias ${shapeOf(b!)}; expected weight ${k} × outputs and bias 1 × outputs`);
  }
  const out = output(ctx, m * n);
  const gemm = gemmKernel();
  gemm(false, false, m, n, k, 1, X!.data, 0, k, W!.data, 0, n, 0, out, 0, n);
  const relu = activation === 'relu';
  biasReluKernel()(m, n, out, b!.data, relu);
  const rule = ACTIVATION_RULES[activation];
  if (!relu && activation !== 'identity') for (let i = 0; i < out.length; i++) out[i] = rule.forward(out[i]!);
  const backward = (g: FloatArray) => {
    // dz = g ⊙ act'(y), then db = Σ rows of dz, dW = Xᵀ·dz, dX = dz·Wᵀ.
    let dz = g;
    if (activation !== 'identity') {
      dz = ctx.tape!.take(m * n, false);
      if (!relu) for (let i = 0; i < dz.length; i++) dz[i] = g[i]! * rule.derivative(0, out[i]!);
    }
    const sums = b!.requiresGrad ? scratch64(ctx, n) : null;
    // ReLU: the mask and the sums in one pass; others: the sums of the dz made above.
    biasReluGradKernel()(m, n, relu ? g : dz, out, relu, dz, sums);
    if (sums !== null) {
      const [gb, beta] = gradSlot(b!);
      for (let j = 0; j < n; j++) gb[j] = beta === 0 ? sums[j]! : gb[j]! + sums[j]!;
    }
    if (W!.requiresGrad) {
      const [gW, beta] = gradSlot(W!);
      gemm(true, false, k, n, m, 1, X!.data, 0, k, dz, 0, n, beta, gW, 0, n);
    }
    if (X!.requiresGrad) {
      const [gX, beta] = gradSlot(X!);
      gemm(false, true, m, k, n, 1, dz, 0, n, W!.data, 0, n, beta, gX, 0, k);
    }
  };
  return result(ctx, 'dense', m, n, out, backward, [X!, W!, b!]);
}

/**
 * A fully connected layer, as functions over its parameters.
 *
 * @example
 * ```ts
 * const p = dense.init(784, 400, { seed: 1 });
 * const h = dense.apply(p, X, 'relu');   // X: (batch × 784) → (batch × 400)
 * [p.weight.rows, p.weight.cols];         // [784, 400]
 * ```
 */
export const dense = {
  /** New parameters for a layer from `inputs` to `outputs` units. */
  init(inputs: number, outputs: number, options?: DenseInitOptions): DenseParams {
    const opts = checkOptions(options, DENSE_INIT_OPTIONS, 'dense.init: options');
    const nIn = checkInt(inputs, 'dense.init: inputs', 1);
    const nOut = checkInt(outputs, 'dense.init: outputs', 1);
    return initDense(nIn, nOut, checkChoice(opts.init ?? 'pytorch', 'dense.init: init', INITS),
      checkChoice(opts.dtype ?? 'float32', 'dense.init: dtype', DTYPES), randomFrom(opts.seed, 'dense.init: seed'));
  },
  /**
   * act(x · weight + bias): (batch × inputs) → (batch × outputs), one fused op.
   * @param activation - applied to the result (leakyRelu with slope 0.01) @defaultValue 'identity'
   */
  apply(params: { readonly weight: Operand; readonly bias: Operand }, x: Operand, activation: Activation = 'identity'): Var {
    if (params === null || typeof params !== 'object') fail('INVALID_INPUT', `dense.apply: params received ${describe(params)}, expected { weight, bias }`);
    return affine(x, params.weight, params.bias, checkChoice(activation, 'dense.apply: activation', ACTIVATIONS));
  },
};

const ACTIVATIONS = Object.keys(ACTIVATION_RULES) as Activation[];

/**
 * Applies an activation by name.
 * @example
 * ```ts
 * Array.from(activate([[-1, 2]], 'relu').data); // [0, 2]
 * ```
 */
export function activate(x: Operand, activation: Activation): Var {
  const name = checkChoice(activation, 'activate: activation', ACTIVATIONS);
  return map(name, x, ACTIVATION_RULES[name]);
}

/** Options of `mlp.init`. */
export interface MlpInitOptions extends DenseInitOptions {}
const MLP_INIT_OPTIONS = optionNames<MlpInitOptions>()('seed', 'init', 'dtype');

/** Options of `mlp.apply` and `mlp.activations`. */
export interface MlpApplyOptions {
  /** The activation after every layer but the last (which stays linear). @defaultValue 'relu' */
  activation?: Activation;
}
const MLP_APPLY_OPTIONS = optionNames<MlpApplyOptions>()('activation');

/**
 * A multi-layer perceptron: dense layers with an activation between them, the last one
 * linear (logits, or a decoder's pre-activations). Its parameters are an array of
 * {@link DenseParams}.
 *
 * @example
 * ```ts
 * const p = mlp.init([784, 100, 10], { seed: 0 });
 * const logits = mlp.apply(p, X, { activation: 'relu' }); // (batch × 10)
 * p.length; // 2
 * ```
 */
export const mlp = {
  /** Parameters for layer sizes [inputs, hidden…, outputs] (at least two sizes). */
  init(sizes: readonly number[], options?: MlpInitOptions): DenseParams[] {
    const opts = checkOptions(options, MLP_INIT_OPTIONS, 'mlp.init: options');
    if (!Array.isArray(sizes) || sizes.length < 2) fail('INVALID_INPUT', `mlp.init: sizes received ${describe(sizes)}, expected at least [inputs, outputs]`);
    sizes.forEach((s, i) => checkInt(s, `mlp.init: sizes[${i}]`, 1));
    const init = checkChoice(opts.init ?? 'pytorch', 'mlp.init: init', INITS);
    const dtype = checkChoice(opts.dtype ?? 'float32', 'mlp.init: dtype', DTYPES);
    const random = randomFrom(opts.seed, 'mlp.init: seed');
    return sizes.slice(1).map((outputs, i) => initDense(sizes[i]!, outputs, init, dtype, random));
  },
  /** The network's output for x. */
  apply(params: readonly { readonly weight: Operand; readonly bias: Operand }[], x: Operand, options?: MlpApplyOptions): Var {
    const all = mlp.activations(params, x, options);
    return all[all.length - 1]!;
  },
  /** Every layer's output, in order (the hidden layers after their activation; the last linear). */
  activations(params: readonly { readonly weight: Operand; readonly bias: Operand }[], x: Operand, options?: MlpApplyOptions): Var[] {
    const opts = checkOptions(options, MLP_APPLY_OPTIONS, 'mlp.apply: options');
    const activation = checkChoice(opts.activation ?? 'relu', 'mlp.apply: activation', ACTIVATIONS);
    if (!Array.isArray(params) || params.length === 0) fail('INVALID_INPUT', `mlp.apply: params received ${describe(params)}, expected the array mlp.init returns`);
    const out: Var[] = [];
    let h: Operand = x;
    params.forEach((layer, i) => {
      const y = dense.apply(layer, h, i < params.length - 1 ? activation : 'identity');
      out.push(y);
      h = y;
    });
    return out;
  },
};

export type { Activation };
