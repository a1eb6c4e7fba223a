import type { FloatArray } from '../../core/matrix.js';
import { bceLogitsF32 } from './bce-f32.js';

// Binary cross-entropy with logits, entry by entry (latentspace/autodiff's bceWithLogits,
// the reconstruction loss of a Bernoulli VAE decoder): the TypeScript twin of
// src/wasm/assembly/bce.ts, which takes two entries at a time in f64x2 lanes (float32
// operands have their own kernel, ./bce-f32.ts). Math.exp and Math.log1p differ between
// engines and have no SIMD form, so both backends evaluate e^−|x| and ln(1 + e) by the same
// sequence of IEEE-754 double operations written out here (no fused multiply-add: every
// product is rounded before it is added), and give the same bits.
// Both polynomials are split into even and odd halves, two chains of half the length: the
// WebAssembly kernel is bound by their latency, not by the number of operations.

const LN2_HI = 0.6931471803691238; // ln 2 to 33 bits: k · LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const INV_LN2 = 1.4426950408889634;
/** √2 − 1: above it, ln(1 + u) is taken as ln 2 + ln((1 + u)/2). */
const SQRT2_M1 = 0.41421356237309515;

/** 2^j for j in [−1000, 0] at index j + 1000, exact (made by halvings on first use). */
let pow2: Float64Array | undefined;
function pow2Table(): Float64Array {
  if (pow2 === undefined) {
    pow2 = new Float64Array(1001);
    pow2[1000] = 1;
    for (let j = 999; j >= 0; j--) pow2[j] = pow2[j + 1]! / 2;
  }
  return pow2;
}

/**
 * e^y for y ≤ 0 (NaN stays NaN): y = k·ln 2 + r, |r| ≤ ½ ln 2, e^r by its Taylor series to
 * r¹⁴/14! (below 2⁻⁵⁵) as E(r²) + r·O(r²), scaled by 2^k in two exact steps (2^max(k, −1000),
 * then the rest) so that a subnormal result is rounded once; 0 below −745.2.
 *
 * @example
 * ```ts
 * expNonPositive(0); // 1
 * ```
 */
export function expNonPositive(y: number): number {
  const z = y < -745.2 ? -745.2 : y;
  const k = Math.floor(z * INV_LN2 + 0.5);
  const r = z - k * LN2_HI - k * LN2_LO;
  const u = r * r;
  let even = 1 / 87178291200; // 1/14!
  even = 1 / 479001600 + u * even;
  even = 1 / 3628800 + u * even;
  even = 1 / 40320 + u * even;
  even = 1 / 720 + u * even;
  even = 1 / 24 + u * even;
  even = 0.5 + u * even;
  even = 1 + u * even;
  let odd = 1 / 6227020800; // 1/13!
  odd = 1 / 39916800 + u * odd;
  odd = 1 / 362880 + u * odd;
  odd = 1 / 5040 + u * odd;
  odd = 1 / 120 + u * odd;
  odd = 1 / 6 + u * odd;
  odd = 1 + u * odd;
  const s = even + r * odd;
  const k1 = k < -1000 ? -1000 : k;
  const table = pow2Table();
  return s * table[k1 + 1000]! * table[k - k1 + 1000]!;
}

/**
 * ln(1 + e) for e in [0, 1]: 2·atanh(f) with f = e/(2 + e), or, above √2 − 1, ln 2 + 2·atanh(f)
 * with f = (e − 1)/(e + 3) (the same for (1 + e)/2); |f| ≤ 0.1716 either way, and the odd
 * series to f²⁵ is within 2⁻⁵⁵, summed as A(f⁴) + f²·B(f⁴).
 *
 * @example
 * ```ts
 * log1pUnit(0); // 0
 * ```
 */
export function log1pUnit(e: number): number {
  const big = e > SQRT2_M1;
  const f = (big ? e - 1 : e) / (big ? e + 3 : e + 2);
  const f2 = f * f;
  const f4 = f2 * f2;
  // Σ f^(2n) / (2n + 1) for n = 0 … 12: even n in a, odd n in b.
  let a = 1 / 25;
  a = 1 / 21 + f4 * a;
  a = 1 / 17 + f4 * a;
  a = 1 / 13 + f4 * a;
  a = 1 / 9 + f4 * a;
  a = 1 / 5 + f4 * a;
  a = 1 + f4 * a;
  let b = 1 / 23;
  b = 1 / 19 + f4 * b;
  b = 1 / 15 + f4 * b;
  b = 1 / 11 + f4 * b;
  b = 1 / 7 + f4 * b;
  b = 1 / 3 + f4 * b;
  const lnM = 2 * f * (a + f2 * b);
  return (big ? LN2_HI : 0) + (lnM + (big ? LN2_LO : 0));
}

/**
 * One entry: the loss term ℓ = max(x, 0) − x·t + ln(1 + e^−|x|) (returned, and stored at
 * loss[i] unless null) and its derivative σ(x) − t (stored at d[i] unless null), σ(x) =
 * 1/(1 + e) for x ≥ 0 and e/(1 + e) below, e = e^−|x|.
 */
function entry(x: FloatArray, t: FloatArray, loss: FloatArray | null, d: FloatArray | null, i: number): number {
  const v = x[i]!, target = t[i]!;
  const e = expNonPositive(-Math.abs(v));
  const term = (v > 0 ? v : 0) - v * target + log1pUnit(e);
  if (loss !== null) loss[i] = term;
  if (d !== null) d[i] = (v >= 0 ? 1 : e) / (1 + e) - target;
  return term;
}

/**
 * Binary cross-entropy with logits over n contiguous entries: loss[i] ← ℓ(x[i], t[i]) =
 * max(x, 0) − x·t + ln(1 + e^−|x|) and d[i] ← ∂ℓ/∂x = σ(x) − t (either output may be null);
 * returns Σ ℓ in float64. Float64 operands: in float64, the even entries and the odd ones
 * summed apart and then added (the WebAssembly kernel's two lanes); float32 operands: in
 * float32 arithmetic, see ./bce-f32.ts. Both backends give the same bits.
 *
 * @example
 * ```ts
 * bceLogits(1, new Float64Array([0]), new Float64Array([1]), null, null); // ≈ 0.6931 (ln 2)
 * ```
 */
export function bceLogits<F extends FloatArray>(n: number, x: F, t: F, loss: F | null, d: F | null): number {
  if (x instanceof Float32Array) return bceLogitsF32(n, x, t as Float32Array, loss as Float32Array | null, d as Float32Array | null);
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 2 <= n; i += 2) {
    s0 += entry(x, t, loss, d, i);
    s1 += entry(x, t, loss, d, i + 1);
  }
  let s = s0 + s1;
  if (i < n) s += entry(x, t, loss, d, i);
  return s;
}
