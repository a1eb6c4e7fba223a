// Binary cross-entropy with logits over float32 entries, four at a time in f32x4 lanes: the
// twin of src/linalg/kernels/bce-f32.ts, operation for operation (f32x4 add, sub, mul, div
// and floor are float32 operations like the TypeScript kernel's Math.fround of each double
// operation; pmax(a, b) is a < b ? b : a), so both backends give the same bits.

const INV_LN2: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SQRT2_M1: f32 = 0.41421356237309515;

// @ts-ignore: decorator
@inline
function k4(c: f32): v128 {
  return f32x4.splat(c);
}

// @ts-ignore: decorator
@inline
function horner4(u: v128, acc: v128, c: f32): v128 {
  return f32x4.add(k4(c), f32x4.mul(u, acc));
}

/** 2^j for integral j in [−126, 0]: j + 127 in the low bits of 2^23 + 127 + j, shifted into the exponent. */
// @ts-ignore: decorator
@inline
function pow2f(j: v128): v128 {
  return i32x4.shl(f32x4.add(j, k4(8388608.0 + 127.0)), 23);
}

/** e^y for y ≤ 0 in four lanes (see expNonPositiveF32). */
// @ts-ignore: decorator
@inline
function exp4(y: v128): v128 {
  const z = f32x4.pmax(y, k4(-104));
  const k = f32x4.floor(f32x4.add(f32x4.mul(z, k4(INV_LN2)), k4(0.5)));
  const r = f32x4.sub(f32x4.sub(z, f32x4.mul(k, k4(LN2_HI))), f32x4.mul(k, k4(LN2_LO)));
  const u = f32x4.mul(r, r);
  const even = horner4(u, horner4(u, horner4(u, k4(<f32>(1.0 / 720)), <f32>(1.0 / 24)), <f32>0.5), 1);
  const odd = horner4(u, horner4(u, horner4(u, k4(<f32>(1.0 / 5040)), <f32>(1.0 / 120)), <f32>(1.0 / 6)), 1);
  const s = f32x4.add(even, f32x4.mul(r, odd));
  const k1 = f32x4.pmax(k, k4(-100));
  return f32x4.mul(f32x4.mul(s, pow2f(k1)), pow2f(f32x4.sub(k, k1)));
}

/** ln(1 + e) for e in [0, 1] in four lanes (see log1pUnitF32). */
// @ts-ignore: decorator
@inline
function log1p4(e: v128): v128 {
  const big = f32x4.gt(e, k4(SQRT2_M1));
  const num = v128.bitselect(f32x4.sub(e, k4(1)), e, big);
  const den = v128.bitselect(f32x4.add(e, k4(3)), f32x4.add(e, k4(2)), big);
  const q = f32x4.div(num, den);
  const q2 = f32x4.mul(q, q);
  const series = horner4(q2, horner4(q2, horner4(q2, horner4(q2, k4(<f32>(1.0 / 9)), <f32>(1.0 / 7)), <f32>(1.0 / 5)), <f32>(1.0 / 3)), 1);
  const lnM = f32x4.mul(f32x4.mul(k4(2), q), series);
  return f32x4.add(v128.and(big, k4(LN2_HI)), f32x4.add(lnM, v128.and(big, k4(LN2_LO))));
}

/** e^−|v| in four lanes. */
// @ts-ignore: decorator
@inline
function expAbs4(v: v128): v128 {
  return exp4(f32x4.neg(f32x4.abs(v)));
}

/** The terms max(v, 0) − v·t + ln(1 + e) of four entries, e = e^−|v|. */
// @ts-ignore: decorator
@inline
function term4(v: v128, t: v128, e: v128): v128 {
  return f32x4.add(f32x4.sub(f32x4.pmax(k4(0), v), f32x4.mul(v, t)), log1p4(e));
}

/** Their derivatives σ(v) − t: 1/(1 + e) for v ≥ 0, e/(1 + e) below. */
// @ts-ignore: decorator
@inline
function grad4(v: v128, t: v128, e: v128): v128 {
  const one = k4(1);
  return f32x4.sub(f32x4.div(v128.bitselect(one, e, f32x4.ge(v, k4(0))), f32x4.add(one, e)), t);
}

/**
 * Over n contiguous float32 entries of x (logits) and t (targets): loss[i] ← the term,
 * d[i] ← σ(x) − t (each skipped when its address is 0), in float32; returns the sum of the
 * terms in float64: lanes 0, 1 and 2, 3 in two f64x2 accumulators, added as
 * (s0 + s2) + (s1 + s3), then the last n mod 4 entries in order.
 */
export function sbcelogits(n: i32, x: usize, t: usize, loss: usize, d: usize): f64 {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o), tt = v128.load(t + o), e = expAbs4(v);
    if (d != 0) v128.store(d + o, grad4(v, tt, e));
    const term = term4(v, tt, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(term));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(term, term, 2, 3, 0, 1)));
    if (loss != 0) v128.store(loss + o, term);
  }
  const both = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
  // The last n mod 4 entries, each through the same lanes (lane 0 kept).
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = f32x4.splat(load<f32>(x + o)), tt = f32x4.splat(load<f32>(t + o)), e = expAbs4(v);
    if (d != 0) store<f32>(d + o, f32x4.extract_lane(grad4(v, tt, e), 0));
    const term = f32x4.extract_lane(term4(v, tt, e), 0);
    if (loss != 0) store<f32>(loss + o, term);
    s += <f64>term;
  }
  return s;
}
