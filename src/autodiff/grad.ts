import { describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { checkBoolean, checkOptions, optionNames } from '../core/options.js';
import { dtypeOf } from '../linalg/dtype.js';
import { firstNonFinite, Tape, Var, Workspace, type Dtype } from './tape.js';
import { leaves, rebuild, type Grads, type Params, type Tracked } from './tree.js';

/** Options of {@link valueAndGrad} and {@link grad}. */
export interface GradOptions {
  /**
   * Buffers to reuse from the previous call (a training loop passes the same one every
   * step, and then allocates no typed array after the first). The returned gradients live
   * in it: read or copy them before the next call with the same workspace.
   * @defaultValue a new one per call (results are yours to keep)
   */
  workspace?: Workspace;
  /**
   * Stop with a `NON_FINITE` error naming the op (forward) or the parameter (backward) as
   * soon as a NaN or ±Infinity appears, instead of training on it. One pass over each
   * value; `false` saves it.
   * @defaultValue true
   */
  checkFinite?: boolean;
}
const GRAD_OPTIONS = optionNames<GradOptions>()('workspace', 'checkFinite');

/** What {@link valueAndGrad} returns. */
export interface ValueAndGrad<P> {
  /** The scalar the function returned. */
  readonly value: number;
  /** ∂value/∂p for every parameter p, in the parameters' shape and element type. */
  readonly grads: Grads<P>;
}

/**
 * Runs `f` on the parameters, recording every op on a tape, then walks the tape backwards
 * to get the gradient of `f`'s scalar result with respect to every parameter (reverse mode).
 *
 * `f` receives the parameters as values of the computation and may mix them freely with
 * plain Matrices (data, constants: no gradient is computed for those). The parameters
 * decide the element type (all float32 or all float64). Nothing global is touched: two
 * computations may interleave, in one thread or several workers.
 *
 * @param f - returns a 1 × 1 value: the loss
 * @param params - a Matrix, or a plain object/array tree of them (never modified)
 * @example
 * ```ts
 * const W = { rows: 1, cols: 1, data: new Float64Array([3]) };
 * const { value, grads } = valueAndGrad((p) => square(p.W), { W });
 * [value, grads.W.data[0]]; // [9, 6]
 * ```
 */
export function valueAndGrad<P extends Params>(f: (params: Tracked<P>) => Var, params: P, options?: GradOptions): ValueAndGrad<P> {
  const opts = checkOptions(options, GRAD_OPTIONS, 'valueAndGrad: options');
  const checkFinite = checkBoolean(opts.checkFinite ?? true, 'valueAndGrad: checkFinite');
  if (opts.workspace !== undefined && !(opts.workspace instanceof Workspace)) {
    fail('INVALID_OPTION', `valueAndGrad: workspace received ${describe(opts.workspace)}, expected a Workspace (new Workspace())`);
  }
  if (typeof f !== 'function') fail('INVALID_INPUT', `valueAndGrad: f received ${describe(f)}, expected a function of the parameters returning a 1 × 1 value`);
  const list = leaves(params);
  const dtype = dtypeOfParams(list.map((l) => l.path), list.map((l) => l.matrix));
  const workspace = opts.workspace ?? new Workspace();
  workspace.reset();
  const tape = new Tape(dtype, workspace, checkFinite);
  const tracked = list.map(({ matrix: m }) => new Var(m.rows, m.cols, m.data, tape, true, 'param'));
  const loss = f(rebuild(params, tracked) as Tracked<P>);
  if (!(loss instanceof Var) || loss.rows !== 1 || loss.cols !== 1) {
    const got = loss instanceof Var ? `a ${loss.rows} × ${loss.cols} value` : describe(loss);
    fail('SHAPE_MISMATCH', `valueAndGrad: f returned ${got}, expected a 1 × 1 value (reduce with sum or mean)`);
  }
  if (loss.tape !== null && loss.tape !== tape) {
    fail('INVALID_INPUT', 'valueAndGrad: f returned a value of another computation');
  }
  if (loss.requiresGrad) backpropagate(tape, loss);
  // A parameter the loss does not depend on gets a zero gradient, not a missing one.
  const grads = tracked.map((v) => v.grad ?? (v.grad = tape.take(v.data.length, true)));
  if (checkFinite) {
    grads.forEach((g, i) => {
      const bad = firstNonFinite(g);
      if (bad >= 0) fail('NON_FINITE', `valueAndGrad: the gradient of ${list[i]!.path} holds ${g[bad]} at entry ${bad}; the backward pass overflowed (lower the learning rate or rescale the inputs)`);
    });
  }
  const gradMatrices = tracked.map((v, i): Matrix => ({ rows: v.rows, cols: v.cols, data: grads[i]! }));
  return { value: loss.data[0]!, grads: rebuild(params, gradMatrices) as Grads<P> };
}

/**
 * The gradient alone: `valueAndGrad(f, params, options).grads`.
 * @example
 * ```ts
 * const W = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * Array.from(grad((p) => sum(square(p)), W).data); // [2, 4]
 * ```
 */
export function grad<P extends Params>(f: (params: Tracked<P>) => Var, params: P, options?: GradOptions): Grads<P> {
  return valueAndGrad<P>(f, params, options).grads;
}

/** Seeds d loss / d loss = 1 and runs every recorded backward rule, last op first. */
function backpropagate(tape: Tape, loss: Var): void {
  loss.grad = tape.take(1, false);
  loss.grad[0] = 1;
  const nodes = tape.nodes;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.grad !== null) node.backward!(node.grad);
  }
}

/**
 * The one element type of some parameters; `INVALID_INPUT` naming the first that differs.
 *
 * @example
 * ```ts
 * dtypeOfParams(['p.a'], [{ rows: 1, cols: 1, data: new Float32Array(1) }]); // 'float32'
 * ```
 */
export function dtypeOfParams(paths: readonly string[], matrices: readonly Matrix[]): Dtype {
  const first = dtypeOf(matrices[0]!);
  matrices.forEach((m, i) => {
    if (dtypeOf(m) !== first) {
      fail('INVALID_INPUT', `valueAndGrad: ${paths[i]} is ${dtypeOf(m)} but ${paths[0]} is ${first}; every parameter must have one element type (never mixed silently)`);
    }
  });
  return first;
}
