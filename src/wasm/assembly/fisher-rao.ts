// Squared Fisher-Rao distances between diagonal Gaussians, row by row (latentspace/interp's
// fisherRaoDistanceDiagonalBatch), the twin of src/linalg/kernels/fisher-rao.ts. Two
// coordinates at a time in f64x2 lanes, with a vectorised ln(1 + u) (wasm has no log
// instruction, and one call per coordinate is what the TypeScript kernel spends its time
// on): 2·atanh of u/(2 + u), or of (m − 1)/(m + 1) for 1 + u = m·2^e, by the odd series
// (the method of core's portableLog), accurate to about an ulp. Square roots and divisions
// are what f64x2 does slowest, so there are as few as the accuracy allows: three roots
// and, in the usual case, two divisions per coordinate.

const LN2_HI: f64 = 0.6931471803691238; // ln 2 to 33 bits: e · LN2_HI is exact
const LN2_LO: f64 = 1.9082149292705877e-10;

/**
 * ln(1 + u) for u ≥ 0 in both lanes, with one division: for 1 + u < √2 as 2·atanh(f),
 * f = u/(2 + u), straight from u (no rounding of 1 + u to correct afterwards, which took a
 * second division); above, from w = 1 + u = m·2^e, m in [√½, √2), f = (m − 1)/(m + 1),
 * where w's rounding is relative and ln w ≥ ln √2 absorbs it. |f| ≤ 0.1716 either way, so
 * the odd series to f²¹ is within 1e-18 relative. u = ∞ gives NaN (the caller's sign that
 * the row must be measured again without squares).
 */
// @ts-ignore: decorator
@inline
function log1p2(u: v128): v128 {
  const w = f64x2.add(f64x2.splat(1), u);
  const bits = w;
  // Exponent e (unbiased) and mantissa m in [1, 2).
  const expBits = i64x2.shr_u(bits, 52);
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  // e as f64 through the 2^52 trick: (2^52 + e) has e in its low bits.
  let e = f64x2.sub(v128.or(expBits, i64x2.splat(0x4330000000000000)), f64x2.splat(4503599627370496.0 + 1023.0));
  const big = f64x2.gt(m, f64x2.splat(1.4142135623730951));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = f64x2.add(e, v128.and(big, f64x2.splat(1)));
  const small = f64x2.lt(u, f64x2.splat(0.41421356237309503));
  const top = v128.bitselect(u, f64x2.sub(m, f64x2.splat(1)), small);
  const bottom = v128.bitselect(f64x2.add(f64x2.splat(2), u), f64x2.add(m, f64x2.splat(1)), small);
  e = v128.andnot(e, small);
  const f = f64x2.div(top, bottom);
  const f2 = f64x2.mul(f, f);
  let s = f64x2.splat(1.0 / 21);
  s = f64x2.add(f64x2.splat(1.0 / 19), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 17), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 15), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 13), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 11), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 9), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 7), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 5), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1.0 / 3), f64x2.mul(f2, s));
  s = f64x2.add(f64x2.splat(1), f64x2.mul(f2, s));
  const lnM = f64x2.mul(f64x2.mul(f64x2.splat(2), f), s);
  const ln = f64x2.add(f64x2.mul(e, f64x2.splat(LN2_HI)), f64x2.add(lnM, f64x2.mul(e, f64x2.splat(LN2_LO))));
  // + (u − u): 0, or NaN when u = ∞ (whose exponent field would read as a finite 2^1024).
  return f64x2.add(ln, f64x2.sub(u, u));
}

/**
 * One coordinate pair's d_j² / 2 terms for two lanes: D with D = arccosh(1 + z)·… (see the
 * TS twin), from the second Gaussian's standard deviations s1.
 */
// @ts-ignore: decorator
@inline
function halfPlane2(m0: v128, v0: v128, m1: v128, s1: v128): v128 {
  const s0 = f64x2.sqrt(v0);
  const dm = f64x2.sub(m0, m1), ds = f64x2.sub(s0, s1);
  const num = f64x2.add(f64x2.mul(f64x2.mul(f64x2.splat(0.5), dm), dm), f64x2.mul(ds, ds));
  // One division by 2σ0σ1 where that product is a normal number in both lanes; by 2σ0 and
  // σ1 in turn (as the TS twin) where it would be subnormal or overflow.
  const p = f64x2.mul(f64x2.mul(f64x2.splat(2), s0), s1);
  const z = i64x2.all_true(v128.and(f64x2.ge(p, f64x2.splat(1e-300)), f64x2.le(p, f64x2.splat(1e300))))
    ? f64x2.div(num, p)
    : f64x2.div(f64x2.div(num, f64x2.mul(f64x2.splat(2), s0)), s1);
  // u = z + √(z(z + 2)), or 2z where z(z + 2) would overflow.
  const u = v128.bitselect(
    f64x2.add(z, f64x2.sqrt(f64x2.mul(z, f64x2.add(z, f64x2.splat(2))))),
    f64x2.mul(f64x2.splat(2), z),
    f64x2.lt(z, f64x2.splat(1e150)),
  );
  const D = log1p2(u);
  return f64x2.mul(D, D);
}

/**
 * {@link halfPlane2} of coordinates j, j + 1 (byte offset o) of the rows at byte offsets a
 * and b; w1 holds variances, or standard deviations when sd1 (the reference row, whose
 * square roots the caller takes once).
 */
// @ts-ignore: decorator
@inline
function pair(m0: usize, v0: usize, m1: usize, w1: usize, sd1: bool, a: usize, b: usize, o: usize): v128 {
  const w = v128.load(w1 + b + o);
  return halfPlane2(v128.load(m0 + a + o), v128.load(v0 + a + o), v128.load(m1 + b + o), sd1 ? w : f64x2.sqrt(w));
}

/**
 * out[i] = Σ_j d_j² for rows i of (m0, v0) (n × d) against rows of (m1, w1): row i when
 * step1 = d, the single row 0 when step1 = 0. w1 holds variances, or, when sd1 ≠ 0, their
 * square roots (the same bits as taken here: √ is correctly rounded). All f64, contiguous
 * rows. Four pairs of coordinates a step, summed in the order of one pair a step (the
 * same bits): their roots, divisions and logarithms are independent chains that overlap
 * (−20 % against one pair a step, −10 % against two, at d = 32).
 */
export function dfisherraodiag(n: i32, d: i32, m0: usize, v0: usize, m1: usize, w1: usize, step1: i32, sd1: i32, out: usize): void {
  const pairs = d & ~1, octs = d & ~7, sd = sd1 != 0;
  for (let i: i32 = 0; i < n; i++) {
    const a = <usize>(i * d) << 3, b = <usize>(i * step1) << 3;
    let acc = f64x2.splat(0);
    let j: i32 = 0;
    for (; j < octs; j += 8) {
      const o = <usize>j << 3;
      const t0 = pair(m0, v0, m1, w1, sd, a, b, o), t1 = pair(m0, v0, m1, w1, sd, a, b, o + 16);
      const t2 = pair(m0, v0, m1, w1, sd, a, b, o + 32), t3 = pair(m0, v0, m1, w1, sd, a, b, o + 48);
      acc = f64x2.add(f64x2.add(f64x2.add(f64x2.add(acc, t0), t1), t2), t3);
    }
    for (; j < pairs; j += 2) acc = f64x2.add(acc, pair(m0, v0, m1, w1, sd, a, b, <usize>j << 3));
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (pairs < d) {
      const o = <usize>pairs << 3;
      const w = f64x2.splat(load<f64>(w1 + b + o));
      const t = halfPlane2(f64x2.splat(load<f64>(m0 + a + o)), f64x2.splat(load<f64>(v0 + a + o)), f64x2.splat(load<f64>(m1 + b + o)), sd ? w : f64x2.sqrt(w));
      s += f64x2.extract_lane(t, 0);
    }
    store<f64>(out + (<usize>i << 3), 2 * s);
  }
}
