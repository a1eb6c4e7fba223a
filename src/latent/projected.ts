// Screening in a few directions. When most of the corpus's energy lies in p directions
// (p well below its width, as for pixels, activations and most learned codes), the
// distance in the whole space is bounded from below by one in p + 1 dimensions: with V an
// orthonormal basis of those directions, P = VVᵀ and r(x) = ‖(I − P)x‖,
//   ‖x − y‖² = ‖P(x − y)‖² + ‖(I − P)(x − y)‖² ≥ ‖Vᵀx − Vᵀy‖² + (r(x) − r(y))²,
// the squared distance between the augmented points [Vᵀx, r(x)] and [Vᵀy, r(y)]. So the
// product runs on p + 1 columns instead of all of them; the k rows with the smallest bounds
// are measured exactly, the k-th of those values T bounds the k-th smallest distance from
// above, and only the rows whose bound is at most T (plus the rounding allowance) can be
// among the k nearest: they are measured exactly and sorted. On the MNIST digits 95 % of
// the energy lies in 131 of 784 directions, and about 36 rows per query are left.
//
// Any orthonormal V keeps the answer exact; the top eigenvectors of a sample's second
// moments make it tight. A query left with too many candidates (a bad basis for it) goes
// to the full-width product instead.
import type { FloatArray, Matrix } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { eigh } from '../linalg/eigh.js';
import { exactValues, queryBlock, roundingFactor, type Corpus, type Exclusions } from './search.js';
import { KSmallest, screenRow, settle } from './select.js';
import { gemmKernel, syrkKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';

// Below this width the full product is narrow already; above it the (d × d)
// eigendecomposition would cost a noticeable share of the search.
const MIN_FEATURES = 64;
const MAX_FEATURES = 1024;
// Queries × rows below which the basis costs more than it saves.
const MIN_WORK = 1 << 22;
// Rows whose second moments choose the directions, and the share of energy kept (on MNIST,
// 90 % kept 82 directions and left 78 rows per query, 95 %: 131 and 36; the total time was
// lowest at 95 %).
const SAMPLE = 1024;
const ENERGY = 0.95;

/**
 * The corpus in the directions that carry most of its energy.
 *
 * @example
 * ```ts
 * const projection = projectionFor(corpus, Q.rows); // undefined when it would not pay
 * projection?.p; // 82 on the MNIST digits
 * ```
 */
export interface Projection {
  /** Directions kept. */
  readonly p: number;
  /** (d × p), orthonormal columns, row-major. */
  readonly basis: Float64Array;
  /** The augmented rows [Vᵀy, r(y)], (n × (p + 1)), in the product's element type. */
  readonly z: FloatArray;
  /** ‖z_j‖² per row, in the product's element type. */
  readonly zNorms: FloatArray;
  /** Dot only: −‖y_j‖² over all columns, which turns the bound into the score's. */
  readonly offset: Float64Array | undefined;
}

/**
 * Rows start … start + m − 1 of M as the product sees them, over all columns, in float64:
 * (M[i][j]·scale[i] − shift[j])·unit.
 */
function operandRows(c: Corpus, M: Matrix, scale: Float64Array, start: number, m: number, out: Float64Array): void {
  const d = M.cols, { shift, unit } = c;
  for (let r = 0; r < m; r++) {
    const s = scale[start + r]!, o = (start + r) * d;
    for (let j = 0; j < d; j++) out[r * d + j] = (M.data[o + j]! * s - shift[j]!) * unit;
  }
}

/**
 * Projects rows (m × d, float64) onto the basis and appends each one's residual norm:
 * writes [Vᵀx, r(x)] into `z` (dtype) from row `at`, their squared norms into `zNorms`, and
 * returns nothing; `proj` (m × p) is scratch.
 */
function augment(rows: Float64Array, m: number, d: number, basis: Float64Array, p: number, proj: Float64Array, z: FloatArray, zNorms: FloatArray, at: number, full: Float64Array): void {
  gemmKernel()(false, false, m, p, d, 1, rows, 0, d, basis, 0, p, 0, proj, 0, p);
  for (let r = 0; r < m; r++) {
    let sq = 0, pp = 0;
    for (let j = 0; j < d; j++) sq += rows[r * d + j]! * rows[r * d + j]!;
    const o = (at + r) * (p + 1);
    let zz = 0;
    for (let t = 0; t < p; t++) {
      const v = proj[r * p + t]!;
      pp += v * v;
      z[o + t] = v;
      zz += z[o + t]! * z[o + t]!;
    }
    z[o + p] = Math.sqrt(Math.max(0, sq - pp));
    zz += z[o + p]! * z[o + p]!;
    zNorms[at + r] = zz;
    full[r] = sq;
  }
}

/**
 * The projection for a search of `nq` queries, or undefined when it would not pay (few
 * features or little work, or energy spread over more than a quarter of the columns).
 *
 * @example
 * ```ts
 * projectionFor(prepareCorpus(E, 'euclidean', 'E', Q), Q.rows)?.p; // e.g. 82
 * ```
 */
export function projectionFor(c: Corpus, nq: number): Projection | undefined {
  const { E, width } = c;
  const n = E.rows, d = E.cols;
  if (d < MIN_FEATURES || d > MAX_FEATURES || n * nq < MIN_WORK) return undefined;
  // Second moments of evenly spaced rows (of the shifted operand: the energy the product sees).
  const s = Math.min(n, SAMPLE);
  const S = new Float64Array(s * d), one = new Float64Array(d);
  for (let r = 0; r < s; r++) {
    const i = Math.floor((r * n) / s);
    operandRows(c, E, c.scale, i, 1, one);
    S.set(one, r * d);
  }
  const G = new Float64Array(d * d);
  syrkKernel()(true, d, s, S, 0, d, G, 0, d);
  const { values, vectors } = eigh({ rows: d, cols: d, data: G });
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  if (!(total > 0)) return undefined;
  let p = 0;
  for (let kept = 0; p < d && kept < ENERGY * total; p++) kept += Math.max(0, values[p]!);
  if (p + 1 > width / 4) return undefined;
  const basis = new Float64Array(d * p);
  for (let j = 0; j < d; j++) for (let t = 0; t < p; t++) basis[j * p + t] = vectors.data[j * d + t]!;
  return projectOnto(c, basis, p);
}

/**
 * The corpus projected onto a basis of p orthonormal columns (d × p, row-major): the
 * augmented rows the product reads. Any orthonormal basis keeps the search exact.
 *
 * @example
 * ```ts
 * projectOnto(corpus, Float64Array.of(1, 0), 1).p; // the first of two coordinates
 * ```
 */
export function projectOnto(c: Corpus, basis: Float64Array, p: number): Projection {
  const { E, dtype } = c;
  const n = E.rows, d = E.cols;
  const z = allocate(dtype, n * (p + 1)), zNorms = allocate(dtype, n);
  const offset = c.metric === 'dot' ? new Float64Array(n) : undefined;
  const block = Math.min(n, 1024);
  const rows = new Float64Array(block * d), proj = new Float64Array(block * p), full = new Float64Array(block);
  for (let start = 0; start < n; start += block) {
    const m = Math.min(block, n - start);
    operandRows(c, E, c.scale, start, m, rows);
    augment(rows, m, d, basis, p, proj, z, zNorms, start, full);
    if (offset !== undefined) for (let r = 0; r < m; r++) offset[start + r] = -full[r]!;
  }
  return { p, basis, z, zNorms, offset };
}

/**
 * The exact value in the product's units (see the file's head of search.ts): squared
 * distance of the shifted, scaled operands for euclidean and cosine; ‖x′‖² − 2x′·y′ for dot.
 */
function inProductUnits(c: Corpus, value: number, qsq: number): number {
  const u2 = c.unit * c.unit;
  switch (c.metric) {
    case 'euclidean': return (value * c.dataUnit) ** 2 * u2;
    case 'cosine': return 2 * value * u2;
    case 'dot': return qsq + 2 * value * c.dataUnit * c.dataUnit * u2;
  }
}

// The second scan of a query's bounds, once per entry: a loop per case rather than a
// function call per entry (V8 does not inline a closure chosen at run time).

/** Rows whose bound is at most `limit` into `cand`; returns their count. */
function secondPass(C: FloatArray, o: number, n: number, offset: Float64Array | undefined, limit: number, cand: Int32Array): number {
  let count = 0;
  if (offset === undefined) {
    for (let j = 0; j < n; j++) if (C[o + j]! <= limit) cand[count++] = j;
  } else {
    for (let j = 0; j < n; j++) if (C[o + j]! + offset[j]! <= limit) cand[count++] = j;
  }
  return count;
}

/**
 * The search through a projection: fills `indices`/`values` for every query the bound
 * settles, and returns the others (more candidates than a full-width product would cost).
 *
 * @example
 * ```ts
 * const queued = searchProjected(corpus, projection, Q, k, undefined, indices, values); // usually empty
 * ```
 */
export function searchProjected(c: Corpus, P: Projection, Q: Matrix, k: number, exclude: Exclusions | undefined, indices: Int32Array, values: Float64Array): Int32Array {
  const n = c.E.rows, d = c.E.cols, { p, z, zNorms, offset, basis } = P, { dtype } = c;
  const w = p + 1, nq = Q.rows, qd = Q.data;
  const block = queryBlock(nq, n, 1, dtype === 'float32' ? 4 : 8);
  const C = allocate(dtype, block * n);
  const A = allocate(dtype, block * w), aNorms = allocate(dtype, block);
  const rows = new Float64Array(block * d), proj = new Float64Array(block * p), qsq = new Float64Array(block);
  // The bound's rounding: the product on p + 1 columns, the float64 projection and exact
  // values, and the residual norms, whose square root turns an error ε of r² into up to √ε.
  const f64 = roundingFactor(d, 'float64');
  const factor = roundingFactor(w, dtype) + 2 * f64 + 4 * Math.sqrt(f64);
  const cand = new Int32Array(n);
  const heap = new KSmallest(k);
  // A query left with more candidates than this costs less at full width (the product on
  // wasm runs about ten times as many multiply-adds a second as the exact loop).
  const tooMany = Math.max(16 * k, n >> 3);
  const queued: number[] = [];
  const sqDistances = sqDistancesKernel();
  let margin = 0;
  for (let start = 0; start < nq; start += block) {
    const m = Math.min(block, nq - start);
    operandRows(c, Q, c.queryScale, start, m, rows);
    augment(rows, m, d, basis, p, proj, A, aNorms, 0, qsq);
    sqDistances(m, n, w, A, 0, w, aNorms, z, 0, w, zNorms, C, 0, n);
    for (let r = 0; r < m; r++) {
      const q = start + r, o = r * n;
      const reach = Math.sqrt(qsq[r]!) + c.reach;
      const tau = factor * reach * reach + (c.metric === 'cosine' ? 4 * f64 * c.unit * c.unit : 0);
      const ex = exclude?.[q];
      if (ex !== undefined) for (let e = 0; e < ex.length; e++) C[o + ex[e]!] = NaN;
      // Pass 1: the rows within `margin` of the running k-th smallest bound…
      let count = screenRow(C, o, n, offset, heap, margin, cand);
      const vk = heap.kth();
      // …of which those at most the k-th smallest (k of them, more on ties) give by their
      // exact values T, an upper bound of the k-th smallest distance.
      const bound = (j: number): number => C[o + j]! + (offset === undefined ? 0 : offset[j]!);
      const first = Array.from(cand.subarray(0, count)).filter((j) => bound(j) <= vk).sort((a, b) => bound(a) - bound(b) || a - b).slice(0, k);
      let T = -Infinity;
      for (const v of exactValues(c, qd, q, first, new Float64Array(first.length))) T = Math.max(T, inProductUnits(c, v, qsq[r]!));
      // Every row whose bound is at most T + τ can be among the k nearest. Pass 1 kept all
      // of them when T + τ ≤ v_k + margin (its threshold never fell below that); otherwise
      // pass 2 finds them. The margin follows what recent queries needed.
      const need = T + tau;
      if (need <= vk + margin) {
        let kept = 0;
        for (let t = 0; t < count; t++) if (bound(cand[t]!) <= need) cand[kept++] = cand[t]!;
        count = kept;
      } else {
        count = secondPass(C, o, n, offset, need, cand);
      }
      margin = Math.max(0.9 * margin, 1.5 * (need - vk));
      if (count > tooMany) {
        queued.push(q);
        continue;
      }
      settle(cand, count, () => true, (rows) => exactValues(c, qd, q, rows, new Float64Array(rows.length)), k, indices, values, q * k);
    }
  }
  return Int32Array.from(queued);
}
