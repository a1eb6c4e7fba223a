// Elementary functions built from +, −, ×, ÷ and exact bit access only. ECMAScript lets
// engines round Math.log, Math.exp and ** differently (Node's V8 and Chromium's disagree in
// the last bit for a few percent of inputs), and the seeded generator promises the same
// stream everywhere, so it uses these instead.

const view = new DataView(new ArrayBuffer(8));
const LN2_HI = 0.6931471803691238; // ln 2 rounded to 33 bits: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const SQRT2 = Math.SQRT2;

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
