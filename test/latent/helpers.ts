import fc from 'fast-check';

export { errorOf } from '../helpers/errors.js';

export type Metric = 'euclidean' | 'cosine' | 'dot';

/**
 * The metric by the documented formulas, with plain sequential sums: what `nearest`
 * promises to equal bit for bit.
 */
export function metricValue(x: ArrayLike<number>, y: ArrayLike<number>, metric: Metric): number {
  let s = 0;
  if (metric === 'euclidean') {
    for (let t = 0; t < x.length; t++) s += (x[t]! - y[t]!) * (x[t]! - y[t]!);
    return Math.sqrt(s);
  }
  for (let t = 0; t < x.length; t++) s += x[t]! * y[t]!;
  if (metric === 'dot') return -s;
  const norm = (v: ArrayLike<number>): number => {
    let q = 0;
    for (let t = 0; t < v.length; t++) q += v[t]! * v[t]!;
    return Math.sqrt(q);
  };
  return Math.min(2, Math.max(0, 1 - s / (norm(x) * norm(y))));
}

/**
 * Brute-force k nearest rows: every value, the k smallest by (value, index) kept by
 * insertion into a sorted list, exclusions skipped.
 */
export function bruteNearest(E: ArrayLike<number>[], Q: ArrayLike<number>[], k: number, metric: Metric, exclude?: number[][]): { indices: number[]; distances: number[] } {
  const indices: number[] = [], distances: number[] = [];
  Q.forEach((x, q) => {
    const skip = new Set(exclude?.[q] ?? []);
    const best: [number, number][] = [];
    E.forEach((y, j) => {
      if (skip.has(j)) return;
      const v = metricValue(x, y, metric);
      // Rows come in increasing index, so a row goes after every equal value.
      if (best.length === k && !(v < best[k - 1]![0])) return;
      let at = best.length;
      while (at > 0 && best[at - 1]![0] > v) at--;
      best.splice(at, 0, [v, j]);
      if (best.length > k) best.pop();
    });
    for (const [v, j] of best) {
      indices.push(j);
      distances.push(v);
    }
  });
  return { indices, distances };
}

/** Rows of a row-major matrix as arrays. */
export function rowsOf(m: { rows: number; cols: number; data: ArrayLike<number> }): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.data[i * m.cols + j]!));
}

/** Deterministic pseudo-random integers in [lo, hi] (a 32-bit LCG, independent of the library). */
export function integers(count: number, lo: number, hi: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + Math.floor((s / 2 ** 32) * (hi - lo + 1));
  }
  return out;
}

/** Small integer matrices (many exact ties), as arrays of rows. */
export const intRows = (rows: fc.Arbitrary<number>, d: number): fc.Arbitrary<number[][]> =>
  rows.chain((n) => fc.array(fc.array(fc.integer({ min: -2, max: 2 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }));
