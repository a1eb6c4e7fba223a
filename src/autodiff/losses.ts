import { describe, fail } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import { checkChoice, checkOptions, optionNames } from '../core/options.js';
import { abs, elementwise, square, sub, type BinaryRule } from './elementwise.js';
import { mean, sum } from './structure.js';
import { gradOf, gradSlot, operands, output, result, scratch64, type Operand, type Var } from './tape.js';
import { bceLogitsKernel } from '../linalg/kernels/dispatch.js';

/** How a loss reduces its per-entry (or per-row) terms. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of every loss. */
export interface LossOptions {
  /**
   * `'mean'` over every term (PyTorch's default), `'sum'`, or `'none'` (the terms
   * themselves: one per entry, or one per row for {@link softmaxCrossEntropy} and
   * {@link gaussianKl}).
   * @defaultValue 'mean'
   */
  reduction?: Reduction;
}
const LOSS_OPTIONS = optionNames<LossOptions>()('reduction');

function reductionOf(op: string, options: LossOptions | undefined): Reduction {
  const opts = checkOptions(options, LOSS_OPTIONS, `${op}: options`);
  return checkChoice(opts.reduction ?? 'mean', `${op}: reduction`, ['mean', 'sum', 'none'] as const);
}

function reduced(op: string, terms: Var, options: LossOptions | undefined): Var {
  const reduction = reductionOf(op, options);
  if (reduction === 'none') return terms;
  return reduction === 'sum' ? sum(terms) : mean(terms);
}

function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** ℓ(x, t) = max(x, 0) − x·t + log(1 + e^−|x|): never overflows, never takes log(0). */
const BCE_LOGITS: BinaryRule = {
  forward: (x, t) => Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x))),
  da: (x, t) => sigmoidOf(x) - t,
  db: (x) => -x,
};

/** y ← s·x (beta 0: y is not read) or y ← y + s·x (beta 1), over n entries. */
function addScaled(n: number, s: number, x: FloatArray, y: FloatArray, beta: 0 | 1): void {
  if (beta === 1) for (let i = 0; i < n; i++) y[i]! += s * x[i]!;
  else if (s === 1) y.set(x);
  else for (let i = 0; i < n; i++) y[i] = s * x[i]!;
}

/**
 * Binary cross-entropy of `targets` (in [0, 1]) under the probabilities sigmoid(`logits`),
 * in the stable form max(x, 0) − x·t + log(1 + e^−|x|) (PyTorch's
 * `binary_cross_entropy_with_logits`): the loss of a Bernoulli decoder.
 *
 * @param logits - (n × d)
 * @param targets - (n × d), or broadcastable to it
 * @example
 * ```ts
 * bceWithLogits([[0]], [[1]]).data[0]; // ≈ 0.6931 (log 2)
 * ```
 */
export function bceWithLogits(logits: Operand, targets: Operand, options?: LossOptions): Var {
  const { ctx, vars: [x, t] } = operands('bceWithLogits', [logits, targets], ['logits', 'targets']);
  // Broadcast targets take the general elementwise path; same-shaped ones (a decoder's
  // reconstruction loss, the hot case) one kernel (WebAssembly SIMD after init()), which
  // sums the terms itself when they are reduced and keeps σ(x) − t for the backward pass.
  if (x!.rows !== t!.rows || x!.cols !== t!.cols) {
    return reduced('bceWithLogits', elementwise('bceWithLogits', x!, t!, BCE_LOGITS), options);
  }
  const reduction = reductionOf('bceWithLogits', options);
  const n = x!.data.length, xd = x!.data, td = t!.data;
  const d = ctx.tape !== null && x!.requiresGrad ? ctx.tape.take(n, false) : null;
  const terms = reduction === 'none' ? output(ctx, n) : null;
  const total = bceLogitsKernel()(n, xd, td, terms, d);
  // Each entry's share of the output gradient: g[i] for the terms, g[0]·factor for a reduction.
  const factor = reduction === 'mean' ? 1 / n : 1;
  const backward = (g: FloatArray) => {
    if (d !== null) {
      if (terms !== null) {
        const gx = gradOf(x!);
        for (let i = 0; i < n; i++) gx[i]! += g[i]! * d[i]!;
      } else {
        const [gx, beta] = gradSlot(x!);
        addScaled(n, g[0]! * factor, d, gx, beta);
      }
    }
    if (t!.requiresGrad) {
      const gt = gradOf(t!);
      for (let i = 0; i < n; i++) gt[i]! -= (terms === null ? g[0]! * factor : g[i]!) * xd[i]!;
    }
  };
  if (terms !== null) return result(ctx, 'bceWithLogits', x!.rows, x!.cols, terms, backward, [x!, t!]);
  const out = output(ctx, 1);
  out[0] = total * factor;
  return result(ctx, 'bceWithLogits', 1, 1, out, backward, [x!, t!]);
}

/**
 * Mean squared error (p − t)², reduced as asked.
 * @example
 * ```ts
 * mse([[1, 2]], [[1, 4]]).data[0]; // 2
 * ```
 */
export function mse(predictions: Operand, targets: Operand, options?: LossOptions): Var {
  return reduced('mse', square(sub(predictions, targets)), options);
}

/**
 * Absolute error |p − t|, reduced as asked.
 * @example
 * ```ts
 * l1([[1, 2]], [[1, 4]]).data[0]; // 1
 * ```
 */
export function l1(predictions: Operand, targets: Operand, options?: LossOptions): Var {
  return reduced('l1', abs(sub(predictions, targets)), options);
}

/**
 * Cross-entropy of integer class labels under softmax(`logits`) per row, as
 * log Σⱼ e^xⱼ − x_label with the row maximum subtracted first (PyTorch's `cross_entropy`).
 *
 * @param logits - (n × classes)
 * @param labels - n class indices in [0, classes)
 * @example
 * ```ts
 * softmaxCrossEntropy([[0, 0]], [1]).data[0]; // ≈ 0.6931 (log 2)
 * ```
 */
export function softmaxCrossEntropy(logits: Operand, labels: ArrayLike<number>, options?: LossOptions): Var {
  const { ctx, vars: [x] } = operands('softmaxCrossEntropy', [logits], ['logits']);
  const rows = x!.rows, cols = x!.cols, xd = x!.data;
  if (labels === null || typeof labels !== 'object' || labels.length !== rows) {
    fail('SHAPE_MISMATCH', `softmaxCrossEntropy: labels received ${describe(labels)}${labels !== null && typeof labels === 'object' ? ` of length ${labels.length}` : ''}, expected ${rows} class indices (one per row of logits)`);
  }
  for (let i = 0; i < rows; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= cols) {
      fail('INVALID_INPUT', `softmaxCrossEntropy: labels[${i}] is ${c}, expected an integer class index in [0, ${cols - 1}] (logits have ${cols} columns)`);
    }
  }
  const out = output(ctx, rows);
  // Per row, log Σ e^x (by the row maximum), kept in float64 for the backward pass's
  // softmax: in float32 its rounding grows with the logits' magnitude (145u at 1000).
  const shift = scratch64(ctx, rows);
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, xd[i * cols + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(xd[i * cols + j]! - max);
    const lse = max + Math.log(s);
    shift[i] = lse;
    out[i] = lse - xd[i * cols + labels[i]!]!;
  }
  const backward = (g: FloatArray) => {
    const gx = gradOf(x!);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) gx[i * cols + j]! += g[i]! * Math.exp(xd[i * cols + j]! - shift[i]!);
      gx[i * cols + labels[i]!]! -= g[i]!;
    }
  };
  return reduced('softmaxCrossEntropy', result(ctx, 'softmaxCrossEntropy', rows, 1, out, backward, [x!]), options);
}

/** The KL term of one latent coordinate: −½(1 + log σ² − μ² − σ²). */
const KL_TERM: BinaryRule = {
  forward: (m, lv) => -0.5 * (1 + lv - m * m - Math.exp(lv)),
  da: (m) => m,
  db: (_m, lv) => 0.5 * (Math.exp(lv) - 1),
};

/**
 * KL(N(μ, σ²) ‖ N(0, I)) of diagonal Gaussians, one per row, summed over the latent
 * dimensions: −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²) (Kingma & Welling 2014, appendix B); then
 * reduced over rows as asked.
 *
 * @param mean - (n × latent)
 * @param logVariance - (n × latent)
 * @example
 * ```ts
 * gaussianKl([[0, 0]], [[0, 0]]).data[0]; // 0
 * ```
 */
export function gaussianKl(mean: Operand, logVariance: Operand, options?: LossOptions): Var {
  return reduced('gaussianKl', sum(elementwise('gaussianKl', mean, logVariance, KL_TERM), { axis: 1 }), options);
}
