// The passes of a self-organizing map over X besides the distance kernel (see
// src/linalg/kernels/som.ts, the reference): each row's exact distance to its winner with
// the per-unit sums, the column ranges and the float32 mirror of the columns that vary.
// As in clusters.ts, a SIMD lane holds one column, one row, or one of the reference's
// partial sums, never a part of another lane's sum, and there is no FMA: the TypeScript
// kernels' bits. X is float64 (T = f64) or float32 (T = f32, promoted exactly).
import { assignedSqDistances, load1, load2 } from './clusters';

/**
 * out[i] ← ‖X[i] − W[u]‖², u = labels[i], with the four partial sums of `sqDistanceAt` (one
 * f64x2 holds columns ≡ 0, 1 mod 4, another ≡ 2, 3; leftovers go to the first lane;
 * (s₀ + s₁) + (s₂ + s₃)), while sums[u·d …] += X[i], two columns per f64x2, and counts[u] += 1.
 */
function assignedSums<T>(m: i32, d: i32, x: usize, w: usize, labels: usize, out: usize, sums: usize, counts: usize): void {
  const four = d & ~3;
  const row = <usize>d * sizeof<T>();
  for (let i = 0; i < m; i++) {
    const u = <usize>load<i32>(labels + (<usize>i << 2));
    const p = x + <usize>i * row;
    const q = w + ((u * <usize>d) << 3);
    const s = sums + ((u * <usize>d) << 3);
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
    let j = 0;
    for (; j < four; j += 4) {
      const e = <usize>j * sizeof<T>(), f = <usize>j << 3;
      const x01 = load2<T>(p + e), x23 = load2<T>(p + e + 2 * sizeof<T>());
      const t01 = f64x2.sub(x01, v128.load(q + f, 0, 8));
      const t23 = f64x2.sub(x23, v128.load(q + f, 16, 8));
      s01 = f64x2.add(s01, f64x2.mul(t01, t01));
      s23 = f64x2.add(s23, f64x2.mul(t23, t23));
      v128.store(s + f, f64x2.add(v128.load(s + f, 0, 8), x01), 0, 8);
      v128.store(s + f, f64x2.add(v128.load(s + f, 16, 8), x23), 16, 8);
    }
    let s0 = f64x2.extract_lane(s01, 0);
    for (; j < d; j++) {
      const v = load1<T>(p + <usize>j * sizeof<T>()), f = <usize>j << 3;
      const t = v - load<f64>(q + f);
      s0 += t * t;
      store<f64>(s + f, load<f64>(s + f) + v);
    }
    store<f64>(out + (<usize>i << 3), (s0 + f64x2.extract_lane(s01, 1)) + (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1)));
    const c = counts + (u << 3);
    store<f64>(c, load<f64>(c) + 1);
  }
}

export function dassignedsums(m: i32, d: i32, x: usize, w: usize, labels: usize, out: usize, sums: usize, counts: usize): void {
  assignedSums<f64>(m, d, x, w, labels, out, sums, counts);
}

export function sassignedsums(m: i32, d: i32, x: usize, w: usize, labels: usize, out: usize, sums: usize, counts: usize): void {
  assignedSums<f32>(m, d, x, w, labels, out, sums, counts);
}

/**
 * out[t] ← ‖X[rows[t]] − W[units[t]]‖²: clusters.ts' assignedSqDistances on one row per
 * pair (its unit index read in place from `units`), so the additions are `sqDistanceAt`'s.
 */
function pairSqDistances<T>(count: i32, d: i32, x: usize, rows: usize, w: usize, units: usize, out: usize): void {
  const row = <usize>d * sizeof<T>();
  for (let t = 0; t < count; t++) {
    const p = x + <usize>load<i32>(rows + (<usize>t << 2)) * row;
    assignedSqDistances<T>(1, d, p, w, units + (<usize>t << 2), out + (<usize>t << 3));
  }
}

export function dpairsqdist(count: i32, d: i32, x: usize, rows: usize, w: usize, units: usize, out: usize): void {
  pairSqDistances<f64>(count, d, x, rows, w, units, out);
}

export function spairsqdist(count: i32, d: i32, x: usize, rows: usize, w: usize, units: usize, out: usize): void {
  pairSqDistances<f32>(count, d, x, rows, w, units, out);
}

/**
 * lo, hi ← the first row of X (float64), then per column the smallest and largest entry,
 * replaced only by a strictly smaller (larger) one: pmin(lo, x) is x < lo ? x : lo, the
 * reference's test.
 */
export function dcolumnranges(m: i32, d: i32, x: usize, lo: usize, hi: usize): void {
  const even = d & ~1;
  const row = <usize>d << 3;
  memory.copy(lo, x, row);
  memory.copy(hi, x, row);
  for (let i = 1; i < m; i++) {
    const p = x + <usize>i * row;
    let j = 0;
    for (; j < even; j += 2) {
      const f = <usize>j << 3;
      const v = v128.load(p + f, 0, 8);
      v128.store(lo + f, f64x2.pmin(v128.load(lo + f, 0, 8), v), 0, 8);
      v128.store(hi + f, f64x2.pmax(v128.load(hi + f, 0, 8), v), 0, 8);
    }
    if (j < d) {
      const f = <usize>j << 3, v = load<f64>(p + f);
      if (v < load<f64>(lo + f)) store<f64>(lo + f, v);
      if (v > load<f64>(hi + f)) store<f64>(hi + f, v);
    }
  }
}

/**
 * Y[i][t] ← float32(X[i][cols[t]] − shift[t]), norms[i] ← Σₜ (X[i][cols[t]] − shift[t])² in
 * the order of t (X float64, m × d; Y m × width). Two rows at a time, one per lane of an
 * f64x2, so each row's running sum stays in its lane.
 */
export function dshiftcolstof32(m: i32, d: i32, x: usize, width: i32, cols: usize, shift: usize, y: usize, norms: usize): void {
  const row = <usize>d << 3, rowY = <usize>width << 2;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const p0 = x + <usize>i * row, p1 = p0 + row;
    const q0 = y + <usize>i * rowY, q1 = q0 + rowY;
    let s = f64x2.splat(0);
    for (let t = 0; t < width; t++) {
      const e = <usize>load<i32>(cols + (<usize>t << 2)) << 3;
      const pair = f64x2.replace_lane(f64x2.splat(load<f64>(p0 + e)), 1, load<f64>(p1 + e));
      const u = f64x2.sub(pair, f64x2.splat(load<f64>(shift + (<usize>t << 3))));
      const o = <usize>t << 2;
      store<f32>(q0 + o, <f32>f64x2.extract_lane(u, 0));
      store<f32>(q1 + o, <f32>f64x2.extract_lane(u, 1));
      s = f64x2.add(s, f64x2.mul(u, u));
    }
    store<f64>(norms + (<usize>i << 3), f64x2.extract_lane(s, 0));
    store<f64>(norms + (<usize>i << 3), f64x2.extract_lane(s, 1), 8);
  }
  for (; i < m; i++) {
    const p = x + <usize>i * row, q = y + <usize>i * rowY;
    let s: f64 = 0;
    for (let t = 0; t < width; t++) {
      const u = load<f64>(p + (<usize>load<i32>(cols + (<usize>t << 2)) << 3)) - load<f64>(shift + (<usize>t << 3));
      store<f32>(q + (<usize>t << 2), <f32>u);
      s += u * u;
    }
    store<f64>(norms + (<usize>i << 3), s);
  }
}
