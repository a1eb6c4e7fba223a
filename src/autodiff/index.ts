/**
 * `latentspace/autodiff`: reverse-mode automatic differentiation over matrices. A function
 * of parameters runs once, recording each op on a tape with its backward rule; the tape is
 * walked backwards for every gradient at once. Ops take tracked values and plain Matrices
 * alike; matrix products run on the WebAssembly GEMM (after `init()` from
 * `latentspace/wasm`) in both passes. Layers, optimisers with PyTorch's exact update rules,
 * and a seeded training loop complete it. See docs/autodiff.md.
 *
 * @example
 * ```ts
 * import { valueAndGrad, matmul, sum, square } from 'latentspace/autodiff';
 * const w = { rows: 2, cols: 1, data: new Float64Array([1, 2]) };
 * const X = { rows: 1, cols: 2, data: new Float64Array([3, 4]) };
 * const { value, grads } = valueAndGrad((p) => sum(square(matmul(X, p.w))), { w });
 * [value, ...grads.w.data]; // [121, 66, 88]
 * ```
 *
 * @packageDocumentation
 */
export { Var, Workspace } from './tape.js';
export type { Dtype, Operand, Backward } from './tape.js';
export { valueAndGrad, grad } from './grad.js';
export type { GradOptions, ValueAndGrad } from './grad.js';
export type { Params, Tracked, Grads, MapParams } from './tree.js';
export { cloneParams } from './tree.js';
export {
  add, sub, mul, div, scale, neg, relu, leakyRelu, sigmoid, tanh, softplus, exp, log, square, sqrt, abs,
  elementwise, map,
} from './elementwise.js';
export type { BinaryRule, UnaryRule } from './elementwise.js';
export { matmul, sum, mean, concat, slice, gather } from './structure.js';
export type { MatmulOptions, ReduceOptions, ConcatOptions } from './structure.js';
export { bceWithLogits, mse, l1, softmaxCrossEntropy, gaussianKl } from './losses.js';
export type { LossOptions, Reduction } from './losses.js';
export { dense, mlp, activate } from './layers.js';
export type { DenseParams, DenseInitOptions, Init, Activation, MlpInitOptions, MlpApplyOptions } from './layers.js';
export { sgd, adam } from './optim.js';
export type { Optimizer, OptimizerState, SgdOptions, AdamOptions } from './optim.js';
export { train, trainAsync, trainSteps, minibatches, randn } from './train.js';
export type { Dataset, Batch, TrainOptions, TrainStep, TrainResult } from './train.js';
export type { Matrix } from '../core/matrix.js';
