import { fail } from '../core/errors.js';
import type { FloatArray } from '../core/matrix.js';
import { portableLog } from '../core/math.js';
import type { Random } from '../core/random.js';
import { forEachBlock, type PreparedSource } from './source.js';

/**
 * Copies the rows `index` of the source into a float64 (k × d) array.
 *
 * @example
 * ```ts
 * gatherRows(src, [4, 0]); // rows 4 and 0 of X, (2 × d)
 * ```
 */
export function gatherRows(src: PreparedSource, index: ArrayLike<number>): Float64Array {
  const { d, x } = src;
  const out = new Float64Array(index.length * d);
  for (let r = 0; r < index.length; r++) out.set(x.subarray(index[r]! * d, (index[r]! + 1) * d), r * d);
  return out;
}

/** FNV-1a over the bits of row i (any element type), for finding equal rows. */
function rowHash(bits: Uint32Array, i: number, width: number): number {
  let h = 0x811c9dc5;
  for (let p = i * width, end = p + width; p < end; p++) h = Math.imul(h ^ bits[p]!, 0x01000193);
  return h >>> 0;
}

function sameRow(x: FloatArray, a: number, b: number, d: number): boolean {
  for (let j = 0; j < d; j++) if (x[a * d + j] !== x[b * d + j]) return false;
  return true;
}

/**
 * Throws unless the rows with positive weight hold at least k distinct points (k-means
 * cannot place k distinct centres otherwise). Stops reading as soon as k are found, so
 * the check costs a few rows on ordinary data.
 *
 * @example
 * ```ts
 * checkDistinct(prepareSource(asMatrix([[1], [1]]), mean), undefined, 2); // throws: only 1 distinct row
 * ```
 */
export function checkDistinct(src: PreparedSource, w: Float64Array | undefined, k: number): void {
  const { n, d, x } = src;
  // Rows are hashed by their bits (0 and −0 hash apart, so such rows count as distinct).
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length * (x.BYTES_PER_ELEMENT / 4));
  const width = d * (x.BYTES_PER_ELEMENT / 4);
  const seen = new Map<number, number[]>();
  let distinct = 0;
  for (let i = 0; i < n && distinct < k; i++) {
    if (w !== undefined && !(w[i]! > 0)) continue;
    const h = rowHash(bits, i, width);
    const bucket = seen.get(h);
    if (bucket === undefined) seen.set(h, [i]);
    else if (bucket.some((r) => sameRow(x, r, i, d))) continue;
    else bucket.push(i);
    distinct++;
  }
  if (distinct < k) {
    const rows = w === undefined ? 'rows' : 'rows with positive sample weight';
    fail('INVALID_OPTION', `k: received ${k}, but X has only ${distinct} distinct ${rows}; k must not exceed the number of distinct points`);
  }
}

/** Index of the first entry of the cumulative sums `cum` strictly above r (the last positive one if none is, from rounding). */
function searchAbove(cum: Float64Array, r: number): number {
  let lo = 0, hi = cum.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  if (lo < cum.length) return lo;
  let i = cum.length - 1;
  while (i > 0 && cum[i] === cum[i - 1]) i--;
  return i;
}

/** Cumulative sums of w[i]·p[i] (p omitted: of w, or of ones). */
function cumulative(n: number, w: Float64Array | undefined, p: Float64Array | undefined, out: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += (w === undefined ? 1 : w[i]!) * (p === undefined ? 1 : p[i]!);
    out[i] = s;
  }
  return out;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's greedy refinement):
 * the first centre is a row drawn with probability ∝ its weight; each next centre is the
 * best, by the resulting potential Σw·D², of 2 + ⌊ln k⌋ rows drawn with probability
 * ∝ w·D², D being the distance to the nearest centre so far. Distances come from the
 * kernels, a block of rows against the candidates at a time. Returns the centres (k × d).
 *
 * @see Arthur & Vassilvitskii (2007), "k-means++: the advantages of careful seeding", SODA
 *
 * @example
 * ```ts
 * kmeansPlusPlus(src, undefined, 10, new Random(1)).length; // 10 · d
 * ```
 */
export function kmeansPlusPlus(src: PreparedSource, w: Float64Array | undefined, k: number, rng: Random): Float64Array {
  const { n, d } = src;
  const trials = 2 + Math.floor(Math.log(k));
  const chosen = new Int32Array(k);
  const cum = new Float64Array(n);
  chosen[0] = searchAbove(cumulative(n, w, undefined, cum), rng.uniform() * cum[n - 1]!);
  const closest = new Float64Array(n);
  distancesTo(src, [chosen[0]!], (i, _t, v) => { closest[i] = v; });
  let potential = weightedSum(closest, w);
  const cand = new Float64Array(trials * n);
  for (let c = 1; c < k; c++) {
    cumulative(n, w, closest, cum);
    const ids: number[] = [];
    for (let t = 0; t < trials; t++) ids.push(searchAbove(cum, rng.uniform() * potential));
    distancesTo(src, ids, (i, t, v) => { cand[t * n + i] = Math.min(closest[i]!, v); });
    let best = 0, bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      const pot = weightedSum(cand.subarray(t * n, (t + 1) * n), w);
      if (pot < bestPot) { bestPot = pot; best = t; }
    }
    chosen[c] = ids[best]!;
    closest.set(cand.subarray(best * n, (best + 1) * n));
    potential = bestPot;
  }
  return gatherRows(src, chosen);
}

function weightedSum(v: Float64Array, w: Float64Array | undefined): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (w === undefined ? 1 : w[i]!) * v[i]!;
  return s;
}

/** Squared distances of every row to the rows `ids`, reported as visit(row, t, D²). */
function distancesTo(src: PreparedSource, ids: number[], visit: (i: number, t: number, v: number) => void): void {
  const centres = src.centres(gatherRows(src, ids), ids.length);
  const t = ids.length;
  forEachBlock(src, centres, 0, src.n, undefined, (start, m, D) => {
    for (let r = 0; r < m; r++) for (let c = 0; c < t; c++) visit(start + r, c, D[r * t + c]!);
  });
}

/**
 * k rows drawn without replacement with probability ∝ weight (Efraimidis & Spirakis'
 * keys −ln(u)/w, smallest k kept). Duplicate rows may be drawn; the empty clusters they
 * leave are re-seeded during the iterations. Returns the centres (k × d).
 *
 * @see Efraimidis & Spirakis (2006), "Weighted random sampling with a reservoir", IPL 97(5)
 *
 * @example
 * ```ts
 * randomRows(src, undefined, 10, new Random(1)).length; // 10 · d
 * ```
 */
export function randomRows(src: PreparedSource, w: Float64Array | undefined, k: number, rng: Random): Float64Array {
  const keys = new Float64Array(src.n);
  for (let i = 0; i < src.n; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    // portableLog: the same draws give the same rows in every JavaScript engine.
    keys[i] = wi > 0 ? -portableLog(1 - rng.uniform()) / wi : Infinity;
  }
  const order = Int32Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]! || a - b);
  return gatherRows(src, order.subarray(0, k));
}
