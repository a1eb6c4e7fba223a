// Binary cross-entropy with logits in float32 arithmetic: the float32 case of ./bce.ts, the
// twin of src/wasm/assembly/bce-f32.ts (four entries at a time in f32x4 lanes, twice the
// lanes of float64 and polynomials of half the degree, since the terms are float32). Every
// operation is a float32 operation: here a double operation on float32 values rounded by
// Math.fround, which for +, −, ×, ÷ is the float32 result exactly (a double holds more than
// twice float32's precision, so rounding twice changes nothing); floor and comparisons are
// exact. So both backends give the same bits. Accuracy: a few float32 ulps of the term (or
// of |x| where the term cancels), as PyTorch's float32 kernels.

const f = Math.fround;
const INV_LN2 = f(1.4426950408889634);
const LN2_HI = 0.693359375; // 9 bits: k · LN2_HI is exact in float32 for |k| < 2^15
const LN2_LO = f(-2.12194440e-4); // ln 2 − LN2_HI, to float32
const SQRT2_M1 = f(Math.SQRT2 - 1);
const E2 = f(1 / 2), E4 = f(1 / 24), E6 = f(1 / 720);
const O3 = f(1 / 6), O5 = f(1 / 120), O7 = f(1 / 5040);
const L3 = f(1 / 3), L5 = f(1 / 5), L7 = f(1 / 7), L9 = f(1 / 9);

/** 2^j for j in [−100, 0] at index j + 100 (every one a normal float32), made by exact halvings. */
const POW2 = new Float64Array(101);
POW2[100] = 1;
for (let j = 99; j >= 0; j--) POW2[j] = POW2[j + 1]! / 2;

/**
 * e^y for float32 y ≤ 0: y = k·ln 2 + r (Cody and Waite's two-part ln 2), e^r by its Taylor
 * polynomial to r⁷/7! (below 2⁻²⁷ for |r| ≤ ½ ln 2) as E(r²) + r·O(r²), scaled by 2^k in two
 * exact steps (2^max(k, −100), then the rest: a subnormal result is rounded once); 0 below −104.
 */
export function expNonPositiveF32(y: number): number {
  const z = y < -104 ? -104 : y;
  const k = Math.floor(f(f(z * INV_LN2) + 0.5));
  const r = f(f(z - f(k * LN2_HI)) - f(k * LN2_LO));
  const u = f(r * r);
  const even = f(1 + f(u * f(E2 + f(u * f(E4 + f(u * E6))))));
  const odd = f(1 + f(u * f(O3 + f(u * f(O5 + f(u * O7))))));
  const s = f(even + f(r * odd));
  const k1 = k < -100 ? -100 : k;
  return f(f(s * POW2[k1 + 100]!) * POW2[k - k1 + 100]!);
}

/**
 * ln(1 + e) for float32 e in [0, 1]: as ../bce.ts `log1pUnit` (|f| ≤ 0.1716), the odd series
 * to f⁹ (within 2⁻²⁷).
 */
export function log1pUnitF32(e: number): number {
  const big = e > SQRT2_M1;
  const q = f((big ? f(e - 1) : e) / (big ? f(e + 3) : f(e + 2)));
  const q2 = f(q * q);
  const series = f(1 + f(q2 * f(L3 + f(q2 * f(L5 + f(q2 * f(L7 + f(q2 * L9))))))));
  const lnM = f(f(2 * q) * series);
  return f((big ? LN2_HI : 0) + f(lnM + (big ? LN2_LO : 0)));
}

/** One entry in float32 arithmetic: the term (returned, stored unless null) and σ(x) − t. */
function entry(x: Float32Array, t: Float32Array, loss: Float32Array | null, d: Float32Array | null, i: number): number {
  const v = x[i]!, target = t[i]!;
  const e = expNonPositiveF32(-Math.abs(v));
  const term = f(f((v > 0 ? v : 0) - f(v * target)) + log1pUnitF32(e));
  if (loss !== null) loss[i] = term;
  if (d !== null) d[i] = f(f((v >= 0 ? 1 : e) / f(1 + e)) - target);
  return term;
}

/**
 * {@link bceLogits} for float32: the terms and derivatives in float32 arithmetic; the sum in
 * float64, entries 4j + l into four partial sums (the WebAssembly kernel's lanes), added as
 * (s0 + s2) + (s1 + s3), then the last n mod 4 entries in order.
 *
 * @example
 * ```ts
 * bceLogitsF32(1, new Float32Array([0]), new Float32Array([1]), null, null); // ≈ 0.6931 (ln 2)
 * ```
 */
export function bceLogitsF32(n: number, x: Float32Array, t: Float32Array, loss: Float32Array | null, d: Float32Array | null): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += entry(x, t, loss, d, i);
    s1 += entry(x, t, loss, d, i + 1);
    s2 += entry(x, t, loss, d, i + 2);
    s3 += entry(x, t, loss, d, i + 3);
  }
  let s = (s0 + s2) + (s1 + s3);
  for (; i < n; i++) s += entry(x, t, loss, d, i);
  return s;
}
