// The optimiser of t-SNE (van der Maaten & Hinton 2008, as scikit-learn's
// `_gradient_descent`): momentum with per-coordinate gains (+0.2 while the gradient keeps
// its sign against the update, ×0.8 otherwise, at least 0.01), in phases (early
// exaggeration, then the rest), gains and velocities reset at each phase.

import type { DescentSettings, TsneStep } from './options.js';

/**
 * One phase of the optimisation.
 *
 * @example
 * ```ts
 * const early: Phase = { iterations: 250, exaggeration: 12, momentum: 0.5 };
 * ```
 */
export interface Phase {
  readonly iterations: number;
  readonly exaggeration: number;
  readonly momentum: number;
}

/**
 * Computes the gradient at Y into `grad` for the given exaggeration; when `measure`,
 * returns the KL divergence at Y (of the unexaggerated P), otherwise NaN.
 *
 * @example
 * ```ts
 * const { gradient } = tsneGradient(P, 2, repulsionFor('exact', 2, 0));
 * gradient(Y, grad, 1, true); // KL(P‖Q) at Y
 * ```
 */
export type GradientFn = (Y: Float64Array, grad: Float64Array, exaggeration: number, measure: boolean) => number;

/**
 * What a descent hands back.
 *
 * @example
 * ```ts
 * const { iteration, kl, stopped }: DescentResult = yield* descend(Y, n, 2, gradient, settings, phases, 0, NaN);
 * ```
 */
export interface DescentResult {
  /** Iterations done, counting `start`. */
  readonly iteration: number;
  /** The last KL measured. */
  readonly kl: number;
  /** Whether an abort or a stop request ended it early. */
  readonly stopped: boolean;
}

const MIN_GAIN = 0.01;
/**
 * KL divergence is measured every this many iterations.
 *
 * @example
 * ```ts
 * KL_EVERY; // 50
 * ```
 */
export const KL_EVERY = 50;

/**
 * Runs the phases on Y (n × dim, updated in place) as a generator of steps: yields every
 * `settings.yieldEvery` iterations and after the last; `next(true)` or an aborted signal
 * stops it with the embedding so far.
 *
 * @example
 * ```ts
 * const r = yield* descend(Y, n, 2, gradient, settings, [{ iterations: 250, exaggeration: 12, momentum: 0.5 }], 0, NaN);
 * ```
 */
export function* descend(
  Y: Float64Array, n: number, dim: number, gradient: GradientFn, settings: DescentSettings,
  phases: readonly Phase[], start: number, kl0: number,
): Generator<TsneStep, DescentResult, boolean | undefined> {
  const size = n * dim;
  const grad = new Float64Array(size), update = new Float64Array(size), gains = new Float64Array(size);
  const { learningRate: eta, yieldEvery, signal } = settings;
  let total = 0;
  for (const ph of phases) total += ph.iterations;
  const last = start + total;
  let iteration = start, kl = kl0, done = 0;
  for (const phase of phases) {
    update.fill(0);
    gains.fill(1);
    const mom = phase.momentum;
    for (let t = 0; t < phase.iterations; t++) {
      if (signal?.aborted === true) return { iteration, kl, stopped: true };
      iteration++;
      done++;
      const measure = iteration % KL_EVERY === 0 || done === 1 || iteration === last;
      const value = gradient(Y, grad, phase.exaggeration, measure);
      if (measure) kl = value;
      let norm = 0;
      for (let p = 0; p < size; p++) {
        const g = grad[p]!;
        norm += g * g;
        let gain = gains[p]!;
        let u = update[p]!;
        // Same sign of update and gradient: the step overshoots less, so shrink the gain.
        gain = u * g < 0 ? gain + 0.2 : gain * 0.8;
        if (gain < MIN_GAIN) gain = MIN_GAIN;
        gains[p] = gain;
        u = mom * u - eta * gain * g;
        update[p] = u;
        Y[p] = Y[p]! + u;
      }
      if (done % yieldEvery === 0 || iteration === last) {
        const stop = yield {
          iteration, embedding: { rows: n, cols: dim, data: Y.slice(0, size) }, kl,
          exaggeration: phase.exaggeration, gradNorm: Math.sqrt(norm),
        };
        // A stop asked for at the last iteration changes nothing: the run has completed.
        if (stop === true && iteration !== last) return { iteration, kl, stopped: true };
      }
    }
  }
  return { iteration, kl, stopped: false };
}
