// The passes of a k-means fit over X besides the distances (see
// src/linalg/kernels/clusters.ts, the reference): per-cluster sums, column sums, the
// float32 mirror and the distances to the assigned centres. Every sum keeps the reference's
// order of additions: a SIMD lane holds one column (or one row, or one of the reference's
// partial sums), never a part of another lane's sum, and there is no FMA, so the results
// are the TypeScript kernels' bits. X is float64 (T = f64) or float32 (T = f32, promoted:
// the reference sums float32 entries in float64 too); sums are float64.

// @ts-ignore: decorator
@inline export function load2<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load(p, 0, 8);
  return f64x2.promote_low_f32x4(v128.load64_zero(p, 0, 4));
}

// @ts-ignore: decorator
@inline export function load1<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

/** The weight of row i: `sign`, or sign · w[i]. */
// @ts-ignore: decorator
@inline function weight(w: usize, i: i32, sign: f64): f64 {
  return w == 0 ? sign : sign * load<f64>(w + (<usize>i << 3));
}

/**
 * sums[0 … d) += Σ w·x over the rows order[from … to): eight rows per sweep, each entry
 * adding ((w₀x₀ + w₁x₁) + (w₂x₂ + w₃x₃)) + ((w₄x₄ + w₅x₅) + (w₆x₆ + w₇x₇)), two columns
 * per f64x2, then the leftover rows one at a time.
 */
function addRows<T>(sums: usize, x: usize, d: i32, order: usize, from: i32, to: i32, w: usize, sign: f64): void {
  const row = <usize>d * sizeof<T>();
  const even = d & ~1;
  let t = from;
  for (; t + 8 <= to; t += 8) {
    const o = order + (<usize>t << 2);
    const i0 = load<i32>(o), i1 = load<i32>(o, 4), i2 = load<i32>(o, 8), i3 = load<i32>(o, 12);
    const i4 = load<i32>(o, 16), i5 = load<i32>(o, 20), i6 = load<i32>(o, 24), i7 = load<i32>(o, 28);
    const p0 = x + <usize>i0 * row, p1 = x + <usize>i1 * row, p2 = x + <usize>i2 * row, p3 = x + <usize>i3 * row;
    const p4 = x + <usize>i4 * row, p5 = x + <usize>i5 * row, p6 = x + <usize>i6 * row, p7 = x + <usize>i7 * row;
    const w0 = weight(w, i0, sign), w1 = weight(w, i1, sign), w2 = weight(w, i2, sign), w3 = weight(w, i3, sign);
    const w4 = weight(w, i4, sign), w5 = weight(w, i5, sign), w6 = weight(w, i6, sign), w7 = weight(w, i7, sign);
    const v0 = f64x2.splat(w0), v1 = f64x2.splat(w1), v2 = f64x2.splat(w2), v3 = f64x2.splat(w3);
    const v4 = f64x2.splat(w4), v5 = f64x2.splat(w5), v6 = f64x2.splat(w6), v7 = f64x2.splat(w7);
    let j = 0;
    for (; j < even; j += 2) {
      const e = <usize>j * sizeof<T>();
      const a = f64x2.add(
        f64x2.add(f64x2.mul(v0, load2<T>(p0 + e)), f64x2.mul(v1, load2<T>(p1 + e))),
        f64x2.add(f64x2.mul(v2, load2<T>(p2 + e)), f64x2.mul(v3, load2<T>(p3 + e))),
      );
      const b = f64x2.add(
        f64x2.add(f64x2.mul(v4, load2<T>(p4 + e)), f64x2.mul(v5, load2<T>(p5 + e))),
        f64x2.add(f64x2.mul(v6, load2<T>(p6 + e)), f64x2.mul(v7, load2<T>(p7 + e))),
      );
      const s = sums + (<usize>j << 3);
      v128.store(s, f64x2.add(v128.load(s, 0, 8), f64x2.add(a, b)), 0, 8);
    }
    if (j < d) {
      const e = <usize>j * sizeof<T>();
      const s = sums + (<usize>j << 3);
      store<f64>(s, load<f64>(s) + (((w0 * load1<T>(p0 + e) + w1 * load1<T>(p1 + e)) + (w2 * load1<T>(p2 + e) + w3 * load1<T>(p3 + e))) +
        ((w4 * load1<T>(p4 + e) + w5 * load1<T>(p5 + e)) + (w6 * load1<T>(p6 + e) + w7 * load1<T>(p7 + e)))));
    }
  }
  for (; t < to; t++) {
    const i = load<i32>(order + (<usize>t << 2));
    const p = x + <usize>i * row, wi = weight(w, i, sign), v = f64x2.splat(wi);
    let j = 0;
    for (; j < even; j += 2) {
      const s = sums + (<usize>j << 3);
      v128.store(s, f64x2.add(v128.load(s, 0, 8), f64x2.mul(v, load2<T>(p + <usize>j * sizeof<T>()))), 0, 8);
    }
    if (j < d) {
      const s = sums + (<usize>j << 3);
      store<f64>(s, load<f64>(s) + wi * load1<T>(p + <usize>j * sizeof<T>()));
    }
  }
}

/** Segments (cluster, end, sign) of `order`, in order: see Kernels.clusterSums. */
function clusterSums<T>(d: i32, x: usize, order: usize, nseg: i32, seg: usize, w: usize, sums: usize): void {
  let from = 0;
  for (let s = 0; s < nseg; s++) {
    const r = seg + <usize>s * 12;
    const c = load<i32>(r), to = load<i32>(r, 4), sign = <f64>load<i32>(r, 8);
    addRows<T>(sums + ((<usize>c * <usize>d) << 3), x, d, order, from, to, w, sign);
    from = to;
  }
}

export function dclustersums(d: i32, x: usize, order: usize, nseg: i32, seg: usize, w: usize, sums: usize): void {
  clusterSums<f64>(d, x, order, nseg, seg, w, sums);
}

export function sclustersums(d: i32, x: usize, order: usize, nseg: i32, seg: usize, w: usize, sums: usize): void {
  clusterSums<f32>(d, x, order, nseg, seg, w, sums);
}

/**
 * sums[j] ← Σᵢ w[i]·A[i][j], rows in order, two columns per f64x2; returns max |A|. Four
 * rows per sweep keep the running sums in registers: (((s + x₀) + x₁) + x₂) + x₃ is the
 * row-by-row order, so the bits are the reference's.
 */
function columnSums<T>(m: i32, d: i32, a: usize, w: usize, sums: usize): f64 {
  const even = d & ~1;
  const row = <usize>d * sizeof<T>();
  memory.fill(sums, 0, <usize>d << 3);
  let top = f64x2.splat(0);
  let top1: f64 = 0;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const p0 = a + <usize>i * row, p1 = p0 + row, p2 = p1 + row, p3 = p2 + row;
    const w0 = weight(w, i, 1), w1 = weight(w, i + 1, 1), w2 = weight(w, i + 2, 1), w3 = weight(w, i + 3, 1);
    const v0 = f64x2.splat(w0), v1 = f64x2.splat(w1), v2 = f64x2.splat(w2), v3 = f64x2.splat(w3);
    let j = 0;
    for (; j < even; j += 2) {
      const e = <usize>j * sizeof<T>();
      const x0 = load2<T>(p0 + e), x1 = load2<T>(p1 + e), x2 = load2<T>(p2 + e), x3 = load2<T>(p3 + e);
      const s = sums + (<usize>j << 3);
      let acc = v128.load(s, 0, 8);
      if (w == 0) {
        acc = f64x2.add(f64x2.add(f64x2.add(f64x2.add(acc, x0), x1), x2), x3);
      } else {
        acc = f64x2.add(f64x2.add(f64x2.add(f64x2.add(acc, f64x2.mul(v0, x0)), f64x2.mul(v1, x1)), f64x2.mul(v2, x2)), f64x2.mul(v3, x3));
      }
      v128.store(s, acc, 0, 8);
      top = f64x2.max(top, f64x2.max(f64x2.max(f64x2.abs(x0), f64x2.abs(x1)), f64x2.max(f64x2.abs(x2), f64x2.abs(x3))));
    }
    if (j < d) {
      const e = <usize>j * sizeof<T>();
      const s = sums + (<usize>j << 3);
      const x0 = load1<T>(p0 + e), x1 = load1<T>(p1 + e), x2 = load1<T>(p2 + e), x3 = load1<T>(p3 + e);
      store<f64>(s, w == 0 ? (((load<f64>(s) + x0) + x1) + x2) + x3 : (((load<f64>(s) + w0 * x0) + w1 * x1) + w2 * x2) + w3 * x3);
      top1 = max(top1, max(max(abs(x0), abs(x1)), max(abs(x2), abs(x3))));
    }
  }
  for (; i < m; i++) {
    const p = a + <usize>i * row;
    const wi = weight(w, i, 1);
    const v = f64x2.splat(wi);
    let j = 0;
    for (; j < even; j += 2) {
      const s = sums + (<usize>j << 3);
      const x = load2<T>(p + <usize>j * sizeof<T>());
      v128.store(s, f64x2.add(v128.load(s, 0, 8), w == 0 ? x : f64x2.mul(v, x)), 0, 8);
      top = f64x2.max(top, f64x2.abs(x));
    }
    if (j < d) {
      const s = sums + (<usize>j << 3);
      const x = load1<T>(p + <usize>j * sizeof<T>());
      store<f64>(s, load<f64>(s) + (w == 0 ? x : wi * x));
      top1 = max(top1, abs(x));
    }
  }
  return max(top1, max(f64x2.extract_lane(top, 0), f64x2.extract_lane(top, 1)));
}

export function dcolumnsums(m: i32, d: i32, a: usize, w: usize, sums: usize): f64 {
  return columnSums<f64>(m, d, a, w, sums);
}

export function scolumnsums(m: i32, d: i32, a: usize, w: usize, sums: usize): f64 {
  return columnSums<f32>(m, d, a, w, sums);
}

/**
 * Y ← float32(A − shift), norms[i] ← Σⱼ (A[i][j] − shift[j])² in the order of j (A float64).
 * Two rows at a time: their differences are computed two columns per f64x2, then
 * regrouped by column so that one f64x2 carries both rows' running sums, lane by lane.
 */
export function dshifttof32(m: i32, d: i32, a: usize, shift: usize, y: usize, norms: usize): void {
  const even = d & ~1;
  const row = <usize>d << 3, rowY = <usize>d << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const p0 = a + <usize>i * row, p1 = p0 + row;
    const q0 = y + <usize>i * rowY, q1 = q0 + rowY;
    let s = f64x2.splat(0);
    let j = 0;
    for (; j < even; j += 2) {
      const e = <usize>j << 3;
      const c = v128.load(shift + e, 0, 8);
      const u0 = f64x2.sub(v128.load(p0 + e, 0, 8), c);
      const u1 = f64x2.sub(v128.load(p1 + e, 0, 8), c);
      v128.store64_lane(q0 + (<usize>j << 2), f32x4.demote_f64x2_zero(u0), 0);
      v128.store64_lane(q1 + (<usize>j << 2), f32x4.demote_f64x2_zero(u1), 0);
      const lo = v128.shuffle<f64>(u0, u1, 0, 2), hi = v128.shuffle<f64>(u0, u1, 1, 3);
      s = f64x2.add(s, f64x2.mul(lo, lo));
      s = f64x2.add(s, f64x2.mul(hi, hi));
    }
    let s0 = f64x2.extract_lane(s, 0), s1 = f64x2.extract_lane(s, 1);
    if (j < d) {
      const e = <usize>j << 3;
      const c = load<f64>(shift + e);
      const u0 = load<f64>(p0 + e) - c, u1 = load<f64>(p1 + e) - c;
      store<f32>(q0 + (<usize>j << 2), <f32>u0);
      store<f32>(q1 + (<usize>j << 2), <f32>u1);
      s0 += u0 * u0;
      s1 += u1 * u1;
    }
    store<f64>(norms + (<usize>i << 3), s0);
    store<f64>(norms + (<usize>i << 3), s1, 8);
  }
  for (; i < m; i++) {
    const p = a + <usize>i * row, q = y + <usize>i * rowY;
    let s: f64 = 0;
    for (let j = 0; j < d; j++) {
      const u = load<f64>(p + (<usize>j << 3)) - load<f64>(shift + (<usize>j << 3));
      store<f32>(q + (<usize>j << 2), <f32>u);
      s += u * u;
    }
    store<f64>(norms + (<usize>i << 3), s);
  }
}

/**
 * out[i] ← ‖A[i] − C[labels[i]]‖² with the reference's four partial sums by column mod 4:
 * one f64x2 holds the sums of columns ≡ 0, 1, another those ≡ 2, 3; the leftover columns go
 * to the first; combined as (s₀ + s₁) + (s₂ + s₃).
 */
export function assignedSqDistances<T>(m: i32, d: i32, a: usize, c: usize, labels: usize, out: usize): void {
  const four = d & ~3;
  for (let i = 0; i < m; i++) {
    const p = a + <usize>i * <usize>d * sizeof<T>();
    const q = c + ((<usize>load<i32>(labels + (<usize>i << 2)) * <usize>d) << 3);
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
    let j = 0;
    for (; j < four; j += 4) {
      const e = <usize>j * sizeof<T>(), f = <usize>j << 3;
      const t01 = f64x2.sub(load2<T>(p + e), v128.load(q + f, 0, 8));
      const t23 = f64x2.sub(load2<T>(p + e + 2 * sizeof<T>()), v128.load(q + f, 16, 8));
      s01 = f64x2.add(s01, f64x2.mul(t01, t01));
      s23 = f64x2.add(s23, f64x2.mul(t23, t23));
    }
    let s0 = f64x2.extract_lane(s01, 0);
    for (; j < d; j++) {
      const t = load1<T>(p + <usize>j * sizeof<T>()) - load<f64>(q + (<usize>j << 3));
      s0 += t * t;
    }
    store<f64>(out + (<usize>i << 3), (s0 + f64x2.extract_lane(s01, 1)) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1)));
  }
}

export function dassigned(m: i32, d: i32, a: usize, c: usize, labels: usize, out: usize): void {
  assignedSqDistances<f64>(m, d, a, c, labels, out);
}

export function sassigned(m: i32, d: i32, a: usize, c: usize, labels: usize, out: usize): void {
  assignedSqDistances<f32>(m, d, a, c, labels, out);
}

/**
 * For each row of C (m × n): the index of its smallest entry (the first on ties) and that
 * entry, and the smallest of the other entries (+∞ when n = 1), by the reference's
 * sequential scan (a tie with the smallest is the second smallest).
 */
function argmin2<T>(m: i32, n: i32, c: usize, ldc: i32, index: usize, first: usize, second: usize): void {
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * <usize>ldc * sizeof<T>();
    let best = 0;
    let b1 = <T>Infinity, b2 = <T>Infinity;
    for (let j = 0; j < n; j++) {
      const v = load<T>(row + <usize>j * sizeof<T>());
      if (v < b1) {
        b2 = b1;
        b1 = v;
        best = j;
      } else if (v < b2) {
        b2 = v;
      }
    }
    store<i32>(index + (<usize>i << 2), best);
    store<T>(first + <usize>i * sizeof<T>(), b1);
    store<T>(second + <usize>i * sizeof<T>(), b2);
  }
}

export function dargmin2(m: i32, n: i32, c: usize, ldc: i32, index: usize, first: usize, second: usize): void {
  argmin2<f64>(m, n, c, ldc, index, first, second);
}

export function sargmin2(m: i32, n: i32, c: usize, ldc: i32, index: usize, first: usize, second: usize): void {
  argmin2<f32>(m, n, c, ldc, index, first, second);
}

/** out[r] ← row index[r] of X, rows of `rowBytes` bytes, by memory.copy. */
export function gatherrows(m: i32, rowBytes: i32, x: usize, index: usize, out: usize): void {
  const size = <usize>rowBytes;
  for (let r = 0; r < m; r++) {
    memory.copy(out + <usize>r * size, x + <usize>load<i32>(index + (<usize>r << 2)) * size, size);
  }
}
