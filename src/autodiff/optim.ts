import { fail } from '../core/errors.js';
import type { FloatArray, Matrix } from '../core/matrix.js';
import { checkBoolean, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { adamKernel } from '../linalg/kernels/dispatch.js';
import { leaves, type Grads, type Params } from './tree.js';

/**
 * An optimiser's state: the step count and its per-parameter buffers (momentum, moment
 * estimates), in the parameters' leaf order. Plain data: it can be saved with the model.
 */
export interface OptimizerState {
  readonly kind: 'sgd' | 'adam';
  /** Steps taken so far. */
  step: number;
  /** Per parameter: momentum (SGD) or the first-moment estimate (Adam). */
  readonly first: Matrix[];
  /** Per parameter: Adam's second-moment estimate (empty for SGD). */
  readonly second: Matrix[];
}

/**
 * An optimiser: `init` makes its state for some parameters; `step` moves the parameters
 * against their gradients, updating parameters and state in place (so a training loop
 * allocates nothing) by exactly PyTorch's rule.
 *
 * @example
 * ```ts
 * const opt = adam({ learningRate: 1e-3 });
 * const state = opt.init(params);
 * opt.step(params, valueAndGrad(loss, params).grads, state); // params moved in place
 * ```
 */
export interface Optimizer {
  readonly name: 'sgd' | 'adam';
  init(params: Params): OptimizerState;
  step<P extends Params>(params: P, grads: Grads<P>, state: OptimizerState): void;
}

function zerosLike(params: Params): Matrix[] {
  return leaves(params).map(({ matrix: m }) => ({ rows: m.rows, cols: m.cols, data: new (m.data.constructor as new (n: number) => FloatArray)(m.data.length) }));
}

/** Pairs each parameter with its gradient and state buffers, checking that they match. */
function zipped(op: string, params: Params, grads: unknown, state: OptimizerState, kind: OptimizerState['kind']): { p: FloatArray; g: FloatArray; i: number }[] {
  if (state === null || typeof state !== 'object' || state.kind !== kind) fail('INVALID_INPUT', `${op}: state is not the state of this ${kind} optimiser (make it with init(params))`);
  const ps = leaves(params), gs = leaves(grads, 'grads');
  if (gs.length !== ps.length || state.first.length !== ps.length) {
    fail('SHAPE_MISMATCH', `${op}: ${ps.length} parameters, ${gs.length} gradients and ${state.first.length} state entries; they must match one for one`);
  }
  return ps.map((leaf, i) => {
    const g = gs[i]!.matrix;
    if (g.data.length !== leaf.matrix.data.length || state.first[i]!.data.length !== g.data.length) {
      fail('SHAPE_MISMATCH', `${op}: ${leaf.path} is ${leaf.matrix.rows} × ${leaf.matrix.cols} but its gradient ${gs[i]!.path} is ${g.rows} × ${g.cols}`);
    }
    return { p: leaf.matrix.data, g: g.data, i };
  });
}

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Step size. @defaultValue 0.01 */
  learningRate?: number;
  /** Momentum factor (0: plain gradient descent). @defaultValue 0 */
  momentum?: number;
  /** Dampening of the momentum's new gradient. @defaultValue 0 */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). @defaultValue false */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (weightDecay · p). @defaultValue 0 */
  weightDecay?: number;
}
const SGD_OPTIONS = optionNames<SgdOptions>()('learningRate', 'momentum', 'dampening', 'nesterov', 'weightDecay');

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and weight decay, by
 * `torch.optim.SGD`'s rule: g ← g + λp; b ← g on the first step, μb + (1 − τ)g after;
 * g ← g + μb (Nesterov) or b; p ← p − ηg.
 *
 * @example
 * ```ts
 * sgd({ learningRate: 0.1, momentum: 0.9 }).name; // 'sgd'
 * ```
 */
export function sgd(options?: SgdOptions): Optimizer {
  const opts = checkOptions(options, SGD_OPTIONS, 'sgd: options');
  const lr = checkNumber(opts.learningRate ?? 0.01, 'sgd: learningRate', 0);
  const momentum = checkNumber(opts.momentum ?? 0, 'sgd: momentum', 0);
  const dampening = checkNumber(opts.dampening ?? 0, 'sgd: dampening', 0, 1);
  const nesterov = checkBoolean(opts.nesterov ?? false, 'sgd: nesterov');
  const weightDecay = checkNumber(opts.weightDecay ?? 0, 'sgd: weightDecay', 0);
  if (nesterov && (momentum <= 0 || dampening !== 0)) fail('INVALID_OPTION', `sgd: nesterov needs momentum > 0 and dampening 0 (received momentum ${momentum}, dampening ${dampening})`);
  return {
    name: 'sgd',
    init: (params) => ({ kind: 'sgd', step: 0, first: zerosLike(params), second: [] }),
    step(params, grads, state) {
      const first = state.step === 0;
      for (const { p, g, i } of zipped('sgd.step', params, grads, state, 'sgd')) {
        const b = state.first[i]!.data;
        for (let j = 0; j < p.length; j++) {
          let d = g[j]! + weightDecay * p[j]!;
          if (momentum !== 0) {
            b[j] = first ? d : momentum * b[j]! + (1 - dampening) * d;
            d = nesterov ? d + momentum * b[j]! : b[j]!;
          }
          p[j] = p[j]! - lr * d;
        }
      }
      state.step++;
    },
  };
}

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Step size. @defaultValue 0.001 */
  learningRate?: number;
  /** Decay of the first-moment estimate. @defaultValue 0.9 */
  beta1?: number;
  /** Decay of the second-moment estimate. @defaultValue 0.999 */
  beta2?: number;
  /** Added to the denominator's square root. @defaultValue 1e-8 */
  epsilon?: number;
  /** L2 penalty added to the gradient (Adam's, not AdamW's, decoupled one). @defaultValue 0 */
  weightDecay?: number;
}
const ADAM_OPTIONS = optionNames<AdamOptions>()('learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay');

/**
 * Adam (Kingma & Ba 2015) by `torch.optim.Adam`'s rule: g ← g + λp; m ← m + (1 − β₁)(g − m);
 * v ← β₂v + (1 − β₂)g²; p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
 * The update runs in the parameters' type, as PyTorch's does: float32 parameters are
 * updated in float32 arithmetic (each operation rounded to float32), float64 ones in float64.
 *
 * @example
 * ```ts
 * adam().name; // 'adam'
 * ```
 */
export function adam(options?: AdamOptions): Optimizer {
  const opts = checkOptions(options, ADAM_OPTIONS, 'adam: options');
  const lr = checkNumber(opts.learningRate ?? 1e-3, 'adam: learningRate', 0);
  const beta1 = checkNumber(opts.beta1 ?? 0.9, 'adam: beta1', 0, 1);
  const beta2 = checkNumber(opts.beta2 ?? 0.999, 'adam: beta2', 0, 1);
  const epsilon = checkNumber(opts.epsilon ?? 1e-8, 'adam: epsilon', 0);
  const weightDecay = checkNumber(opts.weightDecay ?? 0, 'adam: weightDecay', 0);
  if (beta1 >= 1 || beta2 >= 1) fail('INVALID_OPTION', `adam: beta1 and beta2 must be below 1 (received ${beta1}, ${beta2})`);
  return {
    name: 'adam',
    init: (params) => ({ kind: 'adam', step: 0, first: zerosLike(params), second: zerosLike(params) }),
    step(params, grads, state) {
      const t = state.step + 1;
      const stepSize = lr / (1 - beta1 ** t);
      const correction2 = Math.sqrt(1 - beta2 ** t);
      const kernel = adamKernel();
      for (const { p, g, i } of zipped('adam.step', params, grads, state, 'adam')) {
        // √v̂ = √v · (1/√(1 − β₂ᵗ)): one division per entry instead of two (a rounding of
        // the order of 1e-16 relative, far inside the 1e-12 of the PyTorch fixture).
        kernel(p.length, p, g, state.first[i]!.data, state.second[i]!.data, stepSize, 1 / correction2, beta1, beta2, epsilon, weightDecay);
      }
      state.step = t;
    },
  };
}

