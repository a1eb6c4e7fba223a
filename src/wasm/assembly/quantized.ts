// The integer screen's scores (see src/linalg/kernels/quantized.ts, the reference): int16
// rows against int16 units by i32x4.dot_i16x8_s, eight multiply-adds per instruction. The
// caller keeps every partial sum inside int32, so the dot products are exact integers and
// the order of the lanes' additions cannot change them: the TypeScript kernel's bits.

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

/**
 * out[i·n + u] ← float32(norms[u] − scale · X[i]·W[u]) (X: m × k int16, W: n × k int16, k a
 * multiple of 8; out m × n float32). Units in blocks that stay in cache, two rows by four units at a
 * time, the edges one pair at a time.
 */
export function i16scores(m: i32, n: i32, k: i32, x: usize, w: usize, norms: usize, scale: f64, out: usize): void {
  const row = <usize>k << 1, steps = k >> 3, ldo = <usize>n << 2;
  for (let u0 = 0; u0 < n; u0 += UNIT_BLOCK) {
    const u1 = min(n, u0 + UNIT_BLOCK);
    const four = u0 + ((u1 - u0) & ~3);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const p0 = x + <usize>i * row, p1 = p0 + row;
      const o0 = out + <usize>i * ldo, o1 = o0 + ldo;
      let u = u0;
      for (; u < four; u += 4) tile2x4(p0, p1, w + <usize>u * row, row, steps, norms, u, scale, o0 + (<usize>u << 2), o1 + (<usize>u << 2));
      for (; u < u1; u++) {
        const q = w + <usize>u * row;
        store<f32>(o0 + (<usize>u << 2), score(norms, u, scale, dot1(p0, q, steps)));
        store<f32>(o1 + (<usize>u << 2), score(norms, u, scale, dot1(p1, q, steps)));
      }
    }
    if (i < m) {
      const p = x + <usize>i * row, o = out + <usize>i * ldo;
      for (let u = u0; u < u1; u++) store<f32>(o + (<usize>u << 2), score(norms, u, scale, dot1(p, w + <usize>u * row, steps)));
    }
  }
}
