import { describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { add, leakyRelu, relu, sigmoid, softplus, tanh } from './elementwise.js';
import { matmul } from './structure.js';
import type { Dtype, Operand, Var } from './tape.js';

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
 * A fully connected layer, as functions over its parameters.
 *
 * @example
 * ```ts
 * const p = dense.init(784, 400, { seed: 1 });
 * const h = dense.apply(p, X);   // X: (batch × 784) → (batch × 400)
 * [p.weight.rows, p.weight.cols]; // [784, 400]
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
  /** x · weight + bias: (batch × inputs) → (batch × outputs). */
  apply(params: { readonly weight: Operand; readonly bias: Operand }, x: Operand): Var {
    return add(matmul(x, params.weight), params.bias);
  },
};

/** Hidden-layer activations of an {@link mlp}. */
export type Activation = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'softplus' | 'identity';
const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid', 'softplus', 'identity'] as const;

/** Applies an activation by name. */
export function activate(x: Var, activation: Activation): Var {
  switch (activation) {
    case 'relu': return relu(x);
    case 'leakyRelu': return leakyRelu(x);
    case 'tanh': return tanh(x);
    case 'sigmoid': return sigmoid(x);
    case 'softplus': return softplus(x);
    case 'identity': return x;
  }
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
      const z = dense.apply(layer, h);
      h = i < params.length - 1 ? activate(z, activation) : z;
      out.push(h as Var);
    });
    return out;
  },
};
