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
