// Elementary functions built from +, −, ×, ÷ and exact bit access only. ECMAScript lets
// engines round Math.log, Math.exp and ** differently (Node's V8 and Chromium's disagree in
// the last bit for a few percent of inputs), and the seeded generator, t-SNE's affinities
// and the SOM's schedules promise the same results everywhere, so they use these instead.

const view = new DataView(new ArrayBuffer(8));
const LN2_HI = 0.6931471803691238; // ln 2 rounded to 33 bits: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const SQRT2 = Math.SQRT2;
const INV_LN2 = 1.4426950408889634;

/** 2^k for k in [−1074, 1023] at index 1074 + k, each exact (built by doublings and halvings on first use). */
let pow2: Float64Array | undefined;
function pow2Table(): Float64Array {
  if (pow2 === undefined) {
    pow2 = new Float64Array(1074 + 1024);
    pow2[1074] = 1;
    for (let k = 1; k <= 1023; k++) pow2[1074 + k] = pow2[1074 + k - 1]! * 2;
    for (let k = 1; k <= 1074; k++) pow2[1074 - k] = pow2[1074 - k + 1]! / 2;
  }
  return pow2;
}

/**
 * Natural logarithm, identical in every JavaScript engine (within ~1 ulp of the true
 * value). Uses x = m · 2^e with m in [√½, √2) and ln m = 2 atanh((m − 1)/(m + 1)), the odd
 * series summed by Horner's rule up to the term below 2⁻⁵⁵.
 *
 * @example
 * ```ts
 * portableLog(Math.E); // 1 (to within one ulp)
 * ```
 */
export function portableLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return x;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first so the exponent field is meaningful.
    x *= 18014398509481984; // 2^54
    e = -54;
  }
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  e += (high >>> 20) - 1023;
  // Replace the exponent by 0 to get m in [1, 2).
  view.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let m = view.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    e += 1;
  }
  const f = (m - 1) / (m + 1); // |f| ≤ 0.1716, so f² ≤ 0.0295
  const f2 = f * f;
  let series = 1 / 25;
  for (let n = 23; n >= 1; n -= 2) series = 1 / n + f2 * series;
  const lnM = 2 * f * series;
  return e * LN2_HI + (lnM + e * LN2_LO);
}

/**
 * e^x, identical in every engine (within ~1 ulp of the true value): x = k·ln 2 + r with
 * |r| ≤ ½ ln 2, e^r by its Taylor series to the term below 2⁻⁵⁵, scaled by 2^k.
 *
 * @example
 * ```ts
 * portableExp(1); // 2.718281828459045 (to within one ulp)
 * ```
 */
export function portableExp(x: number): number {
  if (!(x > -745.2)) return x !== x ? NaN : 0;
  if (x > 709.78) return Infinity;
  const POW2 = pow2Table();
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  // Horner on 1 + r + r²/2! + … + r¹⁴/14!; |r| ≤ 0.347 so the last term is below 1e-18.
  let s = 1 / 87178291200;
  s = 1 / 6227020800 + r * s;
  s = 1 / 479001600 + r * s;
  s = 1 / 39916800 + r * s;
  s = 1 / 3628800 + r * s;
  s = 1 / 362880 + r * s;
  s = 1 / 40320 + r * s;
  s = 1 / 5040 + r * s;
  s = 1 / 720 + r * s;
  s = 1 / 120 + r * s;
  s = 1 / 24 + r * s;
  s = 1 / 6 + r * s;
  s = 0.5 + r * s;
  s = 1 + r * s;
  s = 1 + r * s;
  // Split the scaling so that subnormal results are reached without overflow of 2^k.
  if (k > 1023) return s * 2 * POW2[1074 + k - 1]!;
  return k < -1022 ? (s * POW2[1074 + k + 60]!) * POW2[1074 - 60]! : s * POW2[1074 + k]!;
}

/**
 * x · 2^k, exact whenever the result is a normal number. 2^k alone overflows for k > 1023
 * and is 0 below −1074, and the scale that brings a subnormal matrix to 1 is about 2^1030;
 * as LAPACK's dlascl multiplies in safe steps, the factor is applied in two parts, the one
 * that keeps the intermediate normal first, so only the last product can round.
 *
 * @example
 * ```ts
 * ldexp(1e-310, 1030); // 1.1501…  (2^1030 itself is Infinity)
 * ldexp(ldexp(1e-310, 1030), -1030); // 1e-310
 * ```
 */
export function ldexp(x: number, k: number): number {
  const POW2 = pow2Table();
  if (k > 1023) return x * POW2[1074 + 1023]! * POW2[1074 + Math.min(k - 1023, 1023)]!;
  if (k < -1022) return x * POW2[1074 + Math.max(k + 1022, -1074)]! * POW2[1074 - 1022]!;
  return x * POW2[1074 + k]!;
}

/**
 * The power of two that brings a largest magnitude `amax` to about 1: −round(log₂ amax), and
 * 0 for 0 (or a non-finite amax). Scaling by a power of two is exact, so a kernel can run on
 * the scaled problem and its result be scaled back (LAPACK's dlascl before and after).
 *
 * @example
 * ```ts
 * scaleExponent(1e-310); // 1029
 * scaleExponent(0);      // 0
 * ```
 */
export function scaleExponent(amax: number): number {
  return amax > 0 && amax < Infinity ? -Math.round(Math.log2(amax)) : 0;
}

/**
 * Largest |entry| of `data[start … end)`.
 *
 * @example
 * ```ts
 * maxAbs([3, -7, 2]); // 7
 * ```
 */
export function maxAbs(data: ArrayLike<number>, start = 0, end = data.length): number {
  let m = 0;
  for (let p = start; p < end; p++) {
    const a = Math.abs(data[p]!);
    if (a > m) m = a;
  }
  return m;
}

/**
 * `data[p] ← data[p] · 2^k` for every entry, exact where the result is normal ({@link ldexp})
 * and k an integer; a fractional k costs one rounding (the factor 2^frac(k)).
 *
 * @example
 * ```ts
 * const a = new Float64Array([1e-310]);
 * scaleInPlace(a, 1030); a[0]; // 1.1501…
 * ```
 */
export function scaleInPlace(data: { [index: number]: number; readonly length: number }, k: number): void {
  if (k === 0) return;
  const whole = Math.floor(k);
  if (whole !== k) {
    const f = 2 ** (k - whole);
    for (let p = 0; p < data.length; p++) data[p] = data[p]! * f;
  }
  if (whole <= 1023 && whole >= -1022) {
    const f = pow2Table()[1074 + whole]!;
    for (let p = 0; p < data.length; p++) data[p] = data[p]! * f;
  } else {
    for (let p = 0; p < data.length; p++) data[p] = ldexp(data[p]!, whole);
  }
}

/**
 * Largest magnitudes (log₂) a kernel computes with unscaled: within 2^±200 for float64
 * (sums of products of up to three values of size 2^±200 over 2^40 terms stay normal),
 * 2^±40 for float32 (squares summed in float32).
 */
const SAFE_LOG2 = { float64: 200, float32: 40 } as const;

/**
 * {@link scaleExponent} when `amax` lies outside the range in which squares and their sums
 * neither overflow nor underflow (2^±200 for float64, 2^±40 for float32), 0 inside it, so
 * that ordinary data is computed on as given (no copy, the same bits) and only extreme data
 * is scaled.
 *
 * @example
 * ```ts
 * [safeScaleExponent(1e300, 'float64'), safeScaleExponent(1e10, 'float64')]; // [-997, 0]
 * ```
 */
export function safeScaleExponent(amax: number, dtype: 'float64' | 'float32'): number {
  const limit = 2 ** SAFE_LOG2[dtype];
  return amax > limit || (amax > 0 && amax < 1 / limit) ? scaleExponent(amax) : 0;
}

/**
 * `data · 2^k`: a copy of the same element type when k ≠ 0, `data` itself when k is 0
 * (callers scale data into the safe range with {@link safeScaleExponent}, and copy only
 * when they must).
 *
 * @example
 * ```ts
 * scaledBy(new Float64Array([3]), 2); // Float64Array [12]
 * ```
 */
export function scaledBy<T extends Float64Array | Float32Array>(data: T, k: number): T {
  if (k === 0) return data;
  const out = data.slice() as T;
  scaleInPlace(out, k);
  return out;
}
