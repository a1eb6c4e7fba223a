// The integer screen's scores (see src/linalg/kernels/quantized.ts, the reference): int16
// rows against int16 units by i32x4.dot_i16x8_s, eight multiply-adds per instruction. The
// caller keeps every partial sum inside int32, so the dot products are exact integers and
// the order of the lanes' additions cannot change them: the TypeScript kernel's bits.

import { rowAt } from './f64';

/** Units per block: 64 rows of up to 784 int16 (100 KB) stay in L2 while every row of the call passes. */
const UNIT_BLOCK: i32 = 64;

// @ts-ignore: decorator
@inline function hsum(v: v128): i32 {
  return (i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1)) + (i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3));
}

/** The score in float64, stored as float32 (the reference's Math.fround: round to nearest). */
// @ts-ignore: decorator
@inline function score(norms: usize, u: i32, scale: f64, dot: i32): f32 {
  return <f32>(load<f64>(norms + (<usize>u << 3)) - scale * <f64>dot);
}

/** One row against one unit: `steps` groups of eight columns. */
function dot1(p: usize, q: usize, steps: i32): i32 {
  let a = i32x4.splat(0);
  for (let s = 0; s < steps; s++) {
    a = i32x4.add(a, i32x4.dot_i16x8_s(v128.load(p), v128.load(q)));
    p += 16;
    q += 16;
  }
  return hsum(a);
}

/**
 * Two rows (p0, p1) against four units (q, q + row, …): eight accumulators, six loads and
 * eight dot products per group of eight columns (fourteen live vectors, inside the sixteen
 * registers of x86-64 SSE). Scores go to o0[0 … 4) and o1[0 … 4).
 */
function tile2x4(p0: usize, p1: usize, q: usize, row: usize, steps: i32, norms: usize, u: i32, scale: f64, o0: usize, o1: usize): void {
  let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a02 = i32x4.splat(0), a03 = i32x4.splat(0);
  let a10 = i32x4.splat(0), a11 = i32x4.splat(0), a12 = i32x4.splat(0), a13 = i32x4.splat(0);
  const q1 = q + row, q2 = q1 + row, q3 = q2 + row;
  for (let s: usize = 0, e = <usize>steps << 4; s < e; s += 16) {
    const x0 = v128.load(p0 + s), x1 = v128.load(p1 + s);
    const w0 = v128.load(q + s), w1 = v128.load(q1 + s), w2 = v128.load(q2 + s), w3 = v128.load(q3 + s);
    a00 = i32x4.add(a00, i32x4.dot_i16x8_s(x0, w0)); a01 = i32x4.add(a01, i32x4.dot_i16x8_s(x0, w1));
    a02 = i32x4.add(a02, i32x4.dot_i16x8_s(x0, w2)); a03 = i32x4.add(a03, i32x4.dot_i16x8_s(x0, w3));
    a10 = i32x4.add(a10, i32x4.dot_i16x8_s(x1, w0)); a11 = i32x4.add(a11, i32x4.dot_i16x8_s(x1, w1));
    a12 = i32x4.add(a12, i32x4.dot_i16x8_s(x1, w2)); a13 = i32x4.add(a13, i32x4.dot_i16x8_s(x1, w3));
  }
  store<f32>(o0, score(norms, u, scale, hsum(a00)), 0); store<f32>(o0, score(norms, u + 1, scale, hsum(a01)), 4);
  store<f32>(o0, score(norms, u + 2, scale, hsum(a02)), 8); store<f32>(o0, score(norms, u + 3, scale, hsum(a03)), 12);
  store<f32>(o1, score(norms, u, scale, hsum(a10)), 0); store<f32>(o1, score(norms, u + 1, scale, hsum(a11)), 4);
  store<f32>(o1, score(norms, u + 2, scale, hsum(a12)), 8); store<f32>(o1, score(norms, u + 3, scale, hsum(a13)), 12);
}

/** Two rows (p0, p1) against one unit q, sharing its loads: the units left over by tile2x4 (k-means' 10 centres: 2 of them). */
function tile2x1(p0: usize, p1: usize, q: usize, steps: i32, norms: usize, u: i32, scale: f64, o0: usize, o1: usize): void {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0);
  for (let s: usize = 0, e = <usize>steps << 4; s < e; s += 16) {
    const w = v128.load(q + s);
    a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load(p0 + s), w));
    a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.load(p1 + s), w));
  }
  store<f32>(o0, score(norms, u, scale, hsum(a0)));
  store<f32>(o1, score(norms, u, scale, hsum(a1)));
}

/**
 * out[i·n + u] ← float32(norms[u] − scale · X[i]·W[u]) (X: m × k int16, W: n × k int16, k a
 * multiple of 8; out m × n float32). With `index` ≠ 0, row i of X is row index[i] (k-means
 * screens the rows its bounds leave in doubt, read in place: no gathered copy). Units in
 * blocks that stay in cache, two rows by four units at a time, the units left two rows at a time.
 */
export function i16scores(m: i32, n: i32, k: i32, x: usize, index: usize, w: usize, norms: usize, scale: f64, out: usize): void {
  const row = <usize>k << 1, steps = k >> 3, ldo = <usize>n << 2;
  for (let u0 = 0; u0 < n; u0 += UNIT_BLOCK) {
    const u1 = min(n, u0 + UNIT_BLOCK);
    const four = u0 + ((u1 - u0) & ~3);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const p0 = rowAt(x, row, index, i), p1 = rowAt(x, row, index, i + 1);
      const o0 = out + <usize>i * ldo, o1 = o0 + ldo;
      let u = u0;
      for (; u < four; u += 4) tile2x4(p0, p1, w + <usize>u * row, row, steps, norms, u, scale, o0 + (<usize>u << 2), o1 + (<usize>u << 2));
      for (; u < u1; u++) tile2x1(p0, p1, w + <usize>u * row, steps, norms, u, scale, o0 + (<usize>u << 2), o1 + (<usize>u << 2));
    }
    if (i < m) {
      const p = rowAt(x, row, index, i), o = out + <usize>i * ldo;
      for (let u = u0; u < u1; u++) store<f32>(o + (<usize>u << 2), score(norms, u, scale, dot1(p, w + <usize>u * row, steps)));
    }
  }
}

/**
 * The int16 copy of rows on the grid of step 1/s, and their norms (the reference:
 * shiftToInt16 in src/linalg/kernels/quantized.ts): q[i·k + j] ← round(a[i][j]·s) (rows
 * padded with zeros to k), sums[i] ← Σⱼ |q|, norms[i] ← Σⱼ (a[i][j] − shift[j])² in the order
 * of j (dshifttof32's sums, two rows' in the lanes of one f64x2); returns max |q|, or −1 at
 * the first pair of entries not both on the grid (a·s not an integer and a ≠ q / s) or
 * within int16. Ties of a·s are rounded to even here, up in the reference: such an entry is
 * off the grid either way.
 */
export function dshifttoi16(m: i32, d: i32, a: usize, shift: usize, s: f64, q: usize, k: i32, sums: usize, norms: usize): f64 {
  const even = d & ~1;
  const row = <usize>d << 3, rowQ = <usize>k << 1;
  const vs = f64x2.splat(s), top = f64x2.splat(32767), magic = f64x2.splat(6755399441055744.0);
  let qmax = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const p0 = a + <usize>i * row, p1 = p0 + row;
    const q0 = q + <usize>i * rowQ, q1 = q0 + rowQ;
    let n2 = f64x2.splat(0), l0 = f64x2.splat(0), l1 = f64x2.splat(0);
    let j = 0;
    for (; j < even; j += 2) {
      const e = <usize>j << 3;
      const x0 = v128.load(p0 + e, 0, 8), x1 = v128.load(p1 + e, 0, 8);
      const y0 = f64x2.mul(x0, vs), y1 = f64x2.mul(x1, vs);
      // Rounded to the nearest integer by adding 1.5·2⁵², whose low 32 bits are then the
      // integer itself (exact for |y| < 2⁵¹; anything larger fails the int16 test below).
      const r0 = f64x2.add(y0, magic), r1 = f64x2.add(y1, magic);
      const v0 = f64x2.sub(r0, magic), v1 = f64x2.sub(r1, magic);
      const a0 = f64x2.abs(v0), a1 = f64x2.abs(v1);
      const small = v128.and(f64x2.le(a0, top), f64x2.le(a1, top));
      // The division only where a product is not an integer (never on MNIST's 1/1000 grid).
      if (i64x2.bitmask(v128.and(v128.and(f64x2.eq(y0, v0), f64x2.eq(y1, v1)), small)) != 3 && !divides(x0, v0, x1, v1, vs, small)) return -1;
      v128.store32_lane(q0 + (<usize>j << 1), low16(r0), 0);
      v128.store32_lane(q1 + (<usize>j << 1), low16(r1), 0);
      l0 = f64x2.add(l0, a0);
      l1 = f64x2.add(l1, a1);
      qmax = f64x2.pmax(qmax, f64x2.pmax(a0, a1));
      const c = v128.load(shift + e, 0, 8);
      const u0 = f64x2.sub(x0, c), u1 = f64x2.sub(x1, c);
      const lo = v128.shuffle<f64>(u0, u1, 0, 2), hi = v128.shuffle<f64>(u0, u1, 1, 3);
      n2 = f64x2.add(n2, f64x2.mul(lo, lo));
      n2 = f64x2.add(n2, f64x2.mul(hi, hi));
    }
    let s0 = f64x2.extract_lane(n2, 0), s1 = f64x2.extract_lane(n2, 1);
    let t0 = f64x2.extract_lane(l0, 0) + f64x2.extract_lane(l0, 1), t1 = f64x2.extract_lane(l1, 0) + f64x2.extract_lane(l1, 1);
    if (j < d) {
      const e = <usize>j << 3, c = load<f64>(shift + e);
      const x0 = load<f64>(p0 + e), x1 = load<f64>(p1 + e);
      const e0 = gridEntry(x0, s, q0 + (<usize>j << 1)), e1 = gridEntry(x1, s, q1 + (<usize>j << 1));
      if (e0 < 0 || e1 < 0) return -1;
      t0 += e0;
      t1 += e1;
      qmax = f64x2.pmax(qmax, f64x2.splat(max(e0, e1)));
      s0 += (x0 - c) * (x0 - c);
      s1 += (x1 - c) * (x1 - c);
    }
    pad(q0, d, k);
    pad(q1, d, k);
    store<f64>(sums + (<usize>i << 3), t0);
    store<f64>(sums + (<usize>i << 3), t1, 8);
    store<f64>(norms + (<usize>i << 3), s0);
    store<f64>(norms + (<usize>i << 3), s1, 8);
  }
  let most = max(f64x2.extract_lane(qmax, 0), f64x2.extract_lane(qmax, 1));
  if (i < m) {
    const p = a + <usize>i * row, o = q + <usize>i * rowQ;
    let t: f64 = 0, n1: f64 = 0;
    for (let j = 0; j < d; j++) {
      const x = load<f64>(p + (<usize>j << 3));
      const e = gridEntry(x, s, o + (<usize>j << 1));
      if (e < 0) return -1;
      t += e;
      most = max(most, e);
      const u = x - load<f64>(shift + (<usize>j << 3));
      n1 += u * u;
    }
    pad(o, d, k);
    store<f64>(sums + (<usize>i << 3), t);
    store<f64>(norms + (<usize>i << 3), n1);
  }
  return most;
}

/** The low 16 bits of both lanes of r (y + 1.5·2⁵², see dshifttoi16), as two int16 in the low 32 bits. */
// @ts-ignore: decorator
@inline function low16(r: v128): v128 {
  return i8x16.shuffle(r, r, 0, 1, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/** Whether x0 and x1 (pairs) are v0 / s and v1 / s rounded, both within int16 (`small`): dshifttoi16's second test. */
function divides(x0: v128, v0: v128, x1: v128, v1: v128, vs: v128, small: v128): bool {
  const y0 = f64x2.mul(x0, vs), y1 = f64x2.mul(x1, vs);
  const ok0 = v128.or(f64x2.eq(y0, v0), f64x2.eq(f64x2.div(v0, vs), x0));
  const ok1 = v128.or(f64x2.eq(y1, v1), f64x2.eq(f64x2.div(v1, vs), x1));
  return i64x2.bitmask(v128.and(v128.and(ok0, ok1), small)) == 3;
}

/** One entry of dshifttoi16: stores round(x·s) as int16 at `at` and returns its size, or −1 off the grid or beyond int16. */
function gridEntry(x: f64, s: f64, at: usize): f64 {
  const y = x * s, v = nearest(y), size = abs(v);
  if ((y != v && v / s != x) || size > 32767) return -1;
  store<i16>(at, <i16>v);
  return size;
}

/** Zeroes entries d … k − 1 of the int16 row at p. */
// @ts-ignore: decorator
@inline function pad(p: usize, d: i32, k: i32): void {
  memory.fill(p + (<usize>d << 1), 0, <usize>(k - d) << 1);
}
