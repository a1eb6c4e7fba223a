// Binary cross-entropy with logits (autodiff's bceWithLogits) over float64 entries, the twin
// of src/linalg/kernels/bce.ts: two entries at a time in f64x2 lanes. e^−|x| and ln(1 + e)
// are the TypeScript kernel's polynomials, operation for operation (f64x2 add, mul, div and
// floor round like +, ×, / and Math.floor, pmax(a, b) is a < b ? b : a; no fused
// multiply-add), so both backends give the same bits.

const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
const INV_LN2: f64 = 1.4426950408889634;
const SQRT2_M1: f64 = 0.41421356237309515;

// @ts-ignore: decorator
@inline
function horner(u: v128, acc: v128, c: f64): v128 {
  return f64x2.add(f64x2.splat(c), f64x2.mul(u, acc));
}

/**
 * 2^j for integral j in [−1022, 0] in both lanes: j + 1023 lands in the low bits of
 * 2^52 + j + 1023 (exact), and the shift moves it into the exponent field.
 */
// @ts-ignore: decorator
@inline
function pow2(j: v128): v128 {
  return i64x2.shl(f64x2.add(j, f64x2.splat(4503599627370496.0 + 1023.0)), 52);
}

/** e^y for y ≤ 0 in both lanes (see expNonPositive in the TypeScript twin). */
// @ts-ignore: decorator
@inline
function expNonPositive2(y: v128): v128 {
  const z = f64x2.pmax(y, f64x2.splat(-745.2)); // y < −745.2 ? −745.2 : y
  const k = f64x2.floor(f64x2.add(f64x2.mul(z, f64x2.splat(INV_LN2)), f64x2.splat(0.5)));
  const r = f64x2.sub(f64x2.sub(z, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  const u = f64x2.mul(r, r);
  let even = f64x2.splat(1.0 / 87178291200);
  even = horner(u, even, 1.0 / 479001600);
  even = horner(u, even, 1.0 / 3628800);
  even = horner(u, even, 1.0 / 40320);
  even = horner(u, even, 1.0 / 720);
  even = horner(u, even, 1.0 / 24);
  even = horner(u, even, 0.5);
  even = horner(u, even, 1);
  let odd = f64x2.splat(1.0 / 6227020800);
  odd = horner(u, odd, 1.0 / 39916800);
  odd = horner(u, odd, 1.0 / 362880);
  odd = horner(u, odd, 1.0 / 5040);
  odd = horner(u, odd, 1.0 / 120);
  odd = horner(u, odd, 1.0 / 6);
  odd = horner(u, odd, 1);
  const s = f64x2.add(even, f64x2.mul(r, odd));
  const k1 = f64x2.pmax(k, f64x2.splat(-1000));
  return f64x2.mul(f64x2.mul(s, pow2(k1)), pow2(f64x2.sub(k, k1)));
}

/** ln(1 + e) for e in [0, 1] in both lanes (see log1pUnit in the TypeScript twin). */
// @ts-ignore: decorator
@inline
function log1pUnit2(e: v128): v128 {
  const big = f64x2.gt(e, f64x2.splat(SQRT2_M1));
  const num = v128.bitselect(f64x2.sub(e, f64x2.splat(1)), e, big);
  const den = v128.bitselect(f64x2.add(e, f64x2.splat(3)), f64x2.add(e, f64x2.splat(2)), big);
  const f = f64x2.div(num, den);
  const f2 = f64x2.mul(f, f);
  const f4 = f64x2.mul(f2, f2);
  let a = f64x2.splat(1.0 / 25);
  a = horner(f4, a, 1.0 / 21);
  a = horner(f4, a, 1.0 / 17);
  a = horner(f4, a, 1.0 / 13);
  a = horner(f4, a, 1.0 / 9);
  a = horner(f4, a, 1.0 / 5);
  a = horner(f4, a, 1);
  let b = f64x2.splat(1.0 / 23);
  b = horner(f4, b, 1.0 / 19);
  b = horner(f4, b, 1.0 / 15);
  b = horner(f4, b, 1.0 / 11);
  b = horner(f4, b, 1.0 / 7);
  b = horner(f4, b, 1.0 / 3);
  const lnM = f64x2.mul(f64x2.mul(f64x2.splat(2), f), f64x2.add(a, f64x2.mul(f2, b)));
  const hi = v128.and(big, f64x2.splat(LN2_HI)), lo = v128.and(big, f64x2.splat(LN2_LO));
  return f64x2.add(hi, f64x2.add(lnM, lo));
}

/** The terms of the entries (v, t) in both lanes; their derivatives σ(v) − t stored at d unless d is 0. */
function terms2(v: v128, t: v128, d: usize, single: bool): v128 {
  const zero = f64x2.splat(0), one = f64x2.splat(1);
  const e = expNonPositive2(f64x2.neg(f64x2.abs(v)));
  if (d != 0) {
    const g = f64x2.sub(f64x2.div(v128.bitselect(one, e, f64x2.ge(v, zero)), f64x2.add(one, e)), t);
    if (single) store<f64>(d, f64x2.extract_lane(g, 0));
    else v128.store(d, g);
  }
  return f64x2.add(f64x2.sub(f64x2.pmax(zero, v), f64x2.mul(v, t)), log1pUnit2(e)); // v > 0 ? v : 0
}

/**
 * Binary cross-entropy with logits over n float64 entries of x (logits) and t (targets):
 * loss[i] ← the term, d[i] ← σ(x) − t (each skipped when its address is 0); returns the sum
 * of the terms, lane by lane, then the lanes added, then the odd entry out. (Float32 has
 * its own kernel, ./bce-f32.ts.)
 */
export function dbcelogits(n: i32, x: usize, t: usize, loss: usize, d: usize): f64 {
  let acc = f64x2.splat(0);
  let i: i32 = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const term = terms2(v128.load(x + o), v128.load(t + o), d == 0 ? 0 : d + o, false);
    acc = f64x2.add(acc, term);
    if (loss != 0) v128.store(loss + o, term);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < n) {
    const o = <usize>i << 3;
    const term = f64x2.extract_lane(terms2(f64x2.splat(load<f64>(x + o)), f64x2.splat(load<f64>(t + o)), d == 0 ? 0 : d + o, true), 0);
    if (loss != 0) store<f64>(loss + o, term);
    s += term;
  }
  return s;
}
