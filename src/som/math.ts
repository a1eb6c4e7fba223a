// Elementary functions that give the same bits in every JavaScript engine. ECMAScript lets
// engines round Math.exp and Math.pow differently (Node's V8 and Chromium's disagree in the
// last bit for a few percent of inputs); a SOM evaluates the neighbourhood function
// hundreds of thousands of times per epoch, and the same seed must give the same map in
// Node and in the browser. Built from +, −, ×, ÷ and exact scaling by powers of two, like
// core's portableLog.
import { portableLog } from '../core/math.js';

const LN2_HI = 0.6931471803691238; // ln 2 rounded to 33 bits: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const view = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [−1022, 1023], built from its exponent bits (exact). */
function pow2(k: number): number {
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/**
 * e^x, identical in every JavaScript engine (within about one ulp of the true value):
 * x = k·ln 2 + r with |r| ≤ ½ ln 2, e^r by its Taylor series to the term below 2⁻⁵⁵
 * (Horner), then scaled by 2^k exactly.
 *
 * @example
 * ```ts
 * portableExp(1); // 2.718281828459045 (to within one ulp)
 * ```
 */
export function portableExp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x / Math.LN2);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let s = 1;
  for (let n = 16; n >= 1; n--) s = 1 + (r * s) / n;
  if (k >= -1022) return k <= 1023 ? s * pow2(k) : s * pow2(1023) * 2;
  // Subnormal result: scale in two exact steps.
  return s * pow2(k + 54) * pow2(-54);
}

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
