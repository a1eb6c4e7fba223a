// The schedules of a SOM run (learning rate and radius from start to end). They use core's
// portableExp/portableLog: the same seed must give the same map in Node and in the browser,
// and engines may round Math.exp and Math.pow differently.
import { portableExp, portableLog } from '../core/math.js';

/**
 * How a value moves from its start to its end over a run, as a function of the fraction
 * f ∈ [0, 1] of the run done:
 * - `'linear'`: start + (end − start)·f;
 * - `'exponential'`: start·(end/start)^f (the same factor every step);
 * - `'inverse'`: start / (1 + (start/end − 1)·f) (fast at first, then slowly).
 * All three give `start` at f = 0 and `end` at f = 1.
 *
 * @example
 * ```ts
 * const d: Decay = 'exponential';
 * ```
 */
export type Decay = 'linear' | 'exponential' | 'inverse';

/**
 * Every valid {@link Decay}, in the order error messages list them.
 *
 * @example
 * ```ts
 * DECAYS; // ['linear', 'exponential', 'inverse']
 * ```
 */
export const DECAYS: readonly Decay[] = ['linear', 'exponential', 'inverse'];

/**
 * The value of a schedule at fraction f of the run (see {@link Decay}).
 *
 * @example
 * ```ts
 * scheduleAt(4, 1, 'exponential', 0.5); // 2
 * ```
 */
export function scheduleAt(start: number, end: number, decay: Decay, f: number): number {
  if (f <= 0 || start === end) return start;
  if (f >= 1) return end;
  switch (decay) {
    case 'linear': return start + (end - start) * f;
    case 'exponential': return start * portableExp(f * portableLog(end / start));
    case 'inverse': return start / (1 + (start / end - 1) * f);
  }
}
