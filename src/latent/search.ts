// Exact k-nearest-neighbour search, blocked on the GEMM kernel. A block of queries is
// scored against every row of the corpus by one matrix product (memory O(block · n), never
// n × n), the scores screen the candidates, and the candidates are measured again exactly.
//
// Scores. The kernel gives ‖x − y‖² = ‖x‖² + ‖y‖² − 2x·y: the score itself for the
// euclidean metric, and for cosine on unit vectors (2 − 2cos); for dot the score is that
// minus ‖y‖², which is ‖x‖² − 2x·y, a constant of the query away from −2x·y. Coordinates are
// taken relative to the corpus mean (euclidean, cosine), which keeps the cancellation
// small, and columns that are constant over the corpus are left out of the product: they
// add the same amount to every score of a query.
//
// Exactness. On the WebAssembly backend the product runs in float32 (twice the SIMD lanes,
// half the bytes). However it runs, a score errs by at most a bound τ of the query (below);
// the k-th smallest score v_k then bounds the k-th smallest true value by v_k + τ/2, so
// every row that can belong to the answer has a score ≤ v_k + τ. Those candidates are
// measured again in float64 from the caller's data, by the formulas of the documentation,
// and sorted by (value, index): the answer equals a brute force with those formulas,
// ties broken by the lower index, on either backend and in either element type.
import { fail } from '../core/errors.js';
import type { FloatArray, Matrix } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { heapPush, KSmallest, screenRow, settle } from './select.js';
import { activeBackendName, sqDistancesKernel } from '../linalg/kernels/dispatch.js';

/**
 * How nearness is measured:
 * - `'euclidean'`: ‖x − y‖;
 * - `'cosine'`: 1 − x·y / (‖x‖‖y‖), clamped to [0, 2] (zero vectors have no direction and
 *   are refused);
 * - `'dot'`: −x·y, so that the largest inner product comes first (maximum inner product
 *   search) and smaller is nearer for every metric.
 *
 * @example
 * ```ts
 * const metric: Metric = 'cosine';
 * ```
 */
export type Metric = 'euclidean' | 'cosine' | 'dot';

/**
 * Every valid {@link Metric}.
 *
 * @example
 * ```ts
 * METRICS; // ['euclidean', 'cosine', 'dot']
 * ```
 */
export const METRICS: readonly Metric[] = ['euclidean', 'cosine', 'dot'];

// Float32 screening pays once rows are long enough for the product to dominate (as som).
const SCREEN_MIN_WIDTH = 16;
// Scores per block: 16 MiB (4 Mi float32 or 2 Mi float64 entries) keep the per-call copies
// of the corpus into WebAssembly memory a small share of the product (10,000 × 784 MNIST:
// 419 queries per call, or tiles of 2048 × 2048 against itself), and memory at O(block · n).
// Blocks of 8 to 32 MiB measured alike on the MNIST benchmark.
const BLOCK_BYTES = 1 << 24;

/**
 * Queries per block when each scores `perQuery` rows of n entries of `bytes` bytes:
 * memory O(block · n).
 *
 * @example
 * ```ts
 * queryBlock(10000, 10000, 1, 4); // 419
 * ```
 */
export function queryBlock(nq: number, n: number, perQuery = 1, bytes = 8): number {
  return Math.max(1, Math.min(nq, Math.floor(BLOCK_BYTES / (bytes * n * perQuery))));
}

/**
 * 4·γ_{n+5} for unit roundoff u, γ_m = mu / (1 − mu): a dot product of length n errs by at
 * most γ_n Σ|xⱼyⱼ| (Higham, Accuracy and Stability of Numerical Algorithms, §3.1), and
 * rounding the operands, the norms and the final additions add a few units. A score then
 * errs by at most γ_{n+5}(‖x‖ + ‖y‖)²; two values compared, and a factor 2 of margin: 4γ.
 *
 * @example
 * ```ts
 * roundingFactor(784, 'float32') > roundingFactor(784, 'float64'); // true
 * ```
 */
export function roundingFactor(n: number, dtype: 'float32' | 'float64'): number {
  const nu = (n + 5) * (dtype === 'float32' ? 2 ** -24 : 2 ** -53);
  return (4 * nu) / (1 - nu);
}

/**
 * A corpus ready for queries: the caller's rows and the product's operand.
 *
 * @example
 * ```ts
 * const corpus = prepareCorpus(E, 'euclidean', 'E');
 * corpus.width; // the columns that are not constant over E
 * ```
 */
export interface Corpus {
  readonly E: Matrix;
  readonly metric: Metric;
  /**
   * The power of two the caller's data is multiplied by in every computation, so that its
   * largest entry is about 1: exact, and no square overflows or underflows (the values
   * are those of the plain formulas whenever these do not).
   */
  readonly dataUnit: number;
  /** ‖e_j · dataUnit‖ of every row. */
  readonly norms: Float64Array;
  /** ‖q · dataUnit‖ of every query (the same array as `norms` when the queries are E). */
  readonly queryNorms: Float64Array;
  /**
   * The power of two the operands are multiplied by, so that their largest entry is about
   * 1: squares neither overflow nor underflow float32, and the bound stays in scale.
   */
  readonly unit: number;
  /** Each corpus row's factor: `dataUnit`, over the row's norm for cosine. */
  readonly scale: Float64Array;
  /** The same for each query. */
  readonly queryScale: Float64Array;
  /** Subtracted from every (unit, for cosine) row before the product; zeros for dot. */
  readonly shift: Float64Array;
  /** The columns the product reads. */
  readonly cols: Int32Array;
  readonly width: number;
  readonly dtype: 'float32' | 'float64';
  /** The full-width operand, built on first use (a search through a projection may not need it). */
  readonly operand: () => Operand;
  /** The norm of every shifted row over all columns, and their largest: the rounding bound's scale. */
  readonly rowReach: Float64Array;
  readonly reach: number;
}

/**
 * The corpus as the full-width product reads it.
 *
 * @example
 * ```ts
 * const { y, sqNorms, offset } = corpus.operand(); // y: (n × width)
 * ```
 */
export interface Operand {
  /** (n × width) rows, shifted and scaled, in the product's element type. */
  readonly y: FloatArray;
  /** ‖y′‖² of every row, in the product's element type (the kernel's norm term). */
  readonly sqNorms: FloatArray;
  /** Dot only: −‖y′‖² per row, which turns the kernel's distance into the score. */
  readonly offset: Float64Array | undefined;
}

/** ‖row i · scale‖ for every row of (n × d) data. */
function rowNorms(data: FloatArray, n: number, d: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = i * d, end = p + d; p < end; p++) s += data[p]! * scale * (data[p]! * scale);
    out[i] = Math.sqrt(s);
  }
  return out;
}

/**
 * ‖row i · scale‖ of every row (scale a power of two, 1 by default), refusing zero rows
 * under the cosine metric.
 *
 * @example
 * ```ts
 * checkedNorms(asMatrix([[3, 4]]), 'cosine', 'E'); // Float64Array [5]
 * ```
 */
export function checkedNorms(m: Matrix, metric: Metric, name: string, scale = 1): Float64Array {
  const norms = rowNorms(m.data, m.rows, m.cols, scale);
  if (metric === 'cosine') {
    const i = norms.indexOf(0);
    if (i >= 0) fail('INVALID_INPUT', `${name}: row ${i} is a zero vector, which has no direction under the cosine metric; remove it or use metric 'euclidean'`);
  }
  return norms;
}

/** The largest |entry| of a matrix. */
function largest(m: Matrix): number {
  let v = 0;
  for (let p = 0; p < m.data.length; p++) v = Math.max(v, Math.abs(m.data[p]!));
  return v;
}

/** 2^−e with 2^e about the largest magnitude (e within ±1000, so that 2^±e stays normal). */
function unitFor(magnitude: number): number {
  if (!(magnitude > 0) || magnitude === Infinity) return 1;
  return 2 ** -Math.max(-1000, Math.min(1000, Math.ceil(Math.log2(magnitude))));
}

/**
 * Builds the product's operand for a corpus E (validated, finite), for the queries Q (the
 * same object as E, or omitted, for the corpus against itself).
 *
 * @example
 * ```ts
 * prepareCorpus(asMatrix([[0, 1], [0, 3]]), 'euclidean', 'E').width; // 1: column 0 is constant
 * ```
 */
export function prepareCorpus(E: Matrix, metric: Metric, name: string, Q: Matrix = E): Corpus {
  const { rows: n, cols: d, data } = E;
  const dataUnit = unitFor(Math.max(largest(E), Q === E ? 0 : largest(Q)));
  const norms = checkedNorms(E, metric, name, dataUnit);
  const queryNorms = Q === E ? norms : checkedNorms(Q, metric, 'queries', dataUnit);
  // Each row's factor: the data unit, over the (scaled) norm for cosine.
  const rowScale = (m: Float64Array): Float64Array => Float64Array.from(m, (v) => (metric === 'cosine' ? dataUnit / v : dataUnit));
  const scale = rowScale(norms);
  const shift = new Float64Array(d);
  const lo = new Float64Array(d).fill(Infinity), hi = new Float64Array(d).fill(-Infinity);
  for (let i = 0, p = 0; i < n; i++) {
    const s = scale[i]!;
    for (let j = 0; j < d; j++, p++) {
      const v = data[p]! * s;
      shift[j] = shift[j]! + v;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
  }
  for (let j = 0; j < d; j++) shift[j] = metric === 'dot' ? 0 : shift[j]! / n;
  const active: number[] = [];
  for (let j = 0; j < d; j++) if (lo[j] !== hi[j]) active.push(j);
  const cols = Int32Array.from(active);
  const width = cols.length;
  // The largest entry of either operand, in the columns the product reads.
  let magnitude = 0;
  const queryScale = Q === E ? scale : rowScale(queryNorms);
  for (const [M, sc] of Q === E ? [[E, scale] as const] : [[E, scale] as const, [Q, queryScale] as const]) {
    for (let i = 0; i < M.rows; i++) {
      for (let t = 0; t < width; t++) magnitude = Math.max(magnitude, Math.abs(M.data[i * d + cols[t]!]! * sc[i]! - shift[cols[t]!]!));
    }
  }
  const unit = unitFor(magnitude);
  const dtype = activeBackendName() === 'wasm' && width >= SCREEN_MIN_WIDTH ? 'float32' : data instanceof Float32Array ? 'float32' : 'float64';
  // Norms over all columns: the left-out ones are 0 after the shift, except for dot.
  const rowReach = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let t = 0; t < width; t++) {
      const v = (data[i * d + cols[t]!]! * scale[i]! - shift[cols[t]!]!) * unit;
      sq += v * v;
    }
    rowReach[i] = metric === 'dot' ? norms[i]! * unit : Math.sqrt(sq);
  }
  const reach = rowReach.reduce((a, b) => Math.max(a, b), 0);
  let built: Operand | undefined;
  const operand = (): Operand => {
    if (built !== undefined) return built;
    const y = allocate(dtype, n * width);
    const sqNorms = allocate(dtype, n);
    const offset = metric === 'dot' ? new Float64Array(n) : undefined;
    for (let i = 0, p = 0; i < n; i++) {
      const s = scale[i]!;
      let sq = 0;
      for (let t = 0; t < width; t++, p++) {
        y[p] = (data[i * d + cols[t]!]! * s - shift[cols[t]!]!) * unit;
        sq += y[p]! * y[p]!;
      }
      sqNorms[i] = sq;
      if (offset !== undefined) offset[i] = -sq;
    }
    return (built = { y, sqNorms, offset });
  };
  return { E, metric, dataUnit, norms, queryNorms, scale, queryScale, unit, shift, cols, width, dtype, operand, rowReach, reach };
}

/**
 * Per query, the rows of the corpus it must not return: sorted, without duplicates.
 *
 * @example
 * ```ts
 * const exclude: Exclusions = [Int32Array.of(4), Int32Array.of()]; // query 0 skips row 4
 * ```
 */
export type Exclusions = readonly Int32Array[];

/**
 * The exact value of the metric between query row q of Q and row j of the corpus, by the
 * documented formulas with sums in index order, the data multiplied by the corpus's
 * `dataUnit` (a power of two: the same bits as the plain formulas wherever they neither
 * overflow nor underflow, and the right value where they would).
 *
 * @example
 * ```ts
 * exactValue(corpus, Q.data, 0, 5); // the distance of query 0 to row 5
 * ```
 */
export function exactValue(c: Corpus, Q: FloatArray, q: number, j: number): number {
  return exactValues(c, Q, q, [j], new Float64Array(1))[0]!;
}

/**
 * {@link exactValue} for several rows at once, into `out`. Four rows go together, each
 * with its own sum (in index order, so the bits are the same): four independent chains of
 * additions run about three times as fast as one, whose every step waits for the last.
 *
 * @example
 * ```ts
 * exactValues(corpus, Q.data, 0, [5, 9, 12], new Float64Array(3)); // query 0's distances to rows 5, 9, 12
 * ```
 */
export function exactValues(c: Corpus, Q: FloatArray, q: number, rows: readonly number[], out: Float64Array): Float64Array {
  const d = c.E.cols, y = c.E.data, u = c.dataUnit, xo = q * d;
  const euclidean = c.metric === 'euclidean';
  const finish = (s: number, j: number): number => {
    if (euclidean) return Math.sqrt(s) / u;
    if (c.metric === 'dot') return -s / u / u;
    return Math.min(2, Math.max(0, 1 - s / (c.queryNorms[q]! * c.norms[j]!)));
  };
  let i = 0;
  for (; i + 4 <= rows.length; i += 4) {
    const o0 = rows[i]! * d, o1 = rows[i + 1]! * d, o2 = rows[i + 2]! * d, o3 = rows[i + 3]! * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    if (euclidean) {
      for (let t = 0; t < d; t++) {
        const x = Q[xo + t]!;
        const v0 = (x - y[o0 + t]!) * u, v1 = (x - y[o1 + t]!) * u, v2 = (x - y[o2 + t]!) * u, v3 = (x - y[o3 + t]!) * u;
        s0 += v0 * v0;
        s1 += v1 * v1;
        s2 += v2 * v2;
        s3 += v3 * v3;
      }
    } else {
      for (let t = 0; t < d; t++) {
        const x = Q[xo + t]! * u;
        s0 += x * (y[o0 + t]! * u);
        s1 += x * (y[o1 + t]! * u);
        s2 += x * (y[o2 + t]! * u);
        s3 += x * (y[o3 + t]! * u);
      }
    }
    out[i] = finish(s0, rows[i]!);
    out[i + 1] = finish(s1, rows[i + 1]!);
    out[i + 2] = finish(s2, rows[i + 2]!);
    out[i + 3] = finish(s3, rows[i + 3]!);
  }
  for (; i < rows.length; i++) {
    const o = rows[i]! * d;
    let s = 0;
    if (euclidean) {
      for (let t = 0; t < d; t++) {
        const v = (Q[xo + t]! - y[o + t]!) * u;
        s += v * v;
      }
    } else {
      for (let t = 0; t < d; t++) s += Q[xo + t]! * u * (y[o + t]! * u);
    }
    out[i] = finish(s, rows[i]!);
  }
  return out;
}

/**
 * τ of a query whose shifted vector has norm `reach` (see the file's head), for a product
 * whose rounding factor is `fk`.
 *
 * @example
 * ```ts
 * screenBound(corpus, 3.5, roundingFactor(corpus.width, corpus.dtype), roundingFactor(784, 'float64')); // a few 1e-4
 * ```
 */
export function screenBound(c: Corpus, reach: number, fk: number, f64: number): number {
  const r = reach + c.reach;
  // Units of the score: squared distance (euclidean), 2(1 − cos) (cosine), −2x·y (dot);
  // the cosine's float64 value errs by γ on unit vectors, 4γ in the bound's terms.
  return (fk + f64) * r * r + (c.metric === 'cosine' ? 4 * f64 * c.unit * c.unit : 0);
}

/**
 * The k nearest rows of the corpus to every row of Q (validated, same width), by the
 * corpus's metric, without the rows `exclude[q]` for query q; into `indices` and `values`
 * (nQueries × k, row-major, nearest first), by one full-width product per block of
 * queries. The caller has checked that every query keeps at least k rows.
 *
 * @example
 * ```ts
 * const indices = new Int32Array(Q.rows * k), values = new Float64Array(Q.rows * k);
 * searchFull(prepareCorpus(E, 'euclidean', 'E', Q), Q, k, undefined, indices, values);
 * indices.subarray(0, k); // the k rows of E nearest to query 0
 * ```
 */
export function searchFull(c: Corpus, Q: Matrix, k: number, exclude: Exclusions | undefined, indices: Int32Array, values: Float64Array): void {
  const n = c.E.rows, d = c.E.cols;
  const { width, dtype, cols, shift, unit } = c;
  const { y, sqNorms, offset } = c.operand();
  const nq = Q.rows, qd = Q.data;
  const block = queryBlock(nq, n, 1, dtype === 'float32' ? 4 : 8);
  const C = allocate(dtype, block * n);
  const X = allocate(dtype, block * width);
  const sqX = allocate(dtype, block);
  const reachQ = new Float64Array(block);
  const fk = roundingFactor(width, dtype), f64 = roundingFactor(d, 'float64');
  const cand = new Int32Array(n);
  const heap = new KSmallest(k);
  const sqDistances = sqDistancesKernel();
  for (let start = 0; start < nq; start += block) {
    const m = Math.min(block, nq - start);
    // The block's queries as the product reads them, and their norms over all columns.
    for (let r = 0; r < m; r++) {
      const q = start + r;
      const s = c.queryScale[q]!;
      let full = 0;
      for (let j = 0; j < d; j++) {
        const v = (qd[q * d + j]! * s - shift[j]!) * unit;
        full += v * v;
      }
      let sq = 0;
      for (let t = 0, p = r * width; t < width; t++, p++) {
        X[p] = (qd[q * d + cols[t]!]! * s - shift[cols[t]!]!) * unit;
        sq += X[p]! * X[p]!;
      }
      sqX[r] = sq;
      reachQ[r] = Math.sqrt(full);
    }
    if (width > 0) sqDistances(m, n, width, X, 0, width, sqX, y, 0, width, sqNorms, C, 0, n);
    else C.fill(0, 0, m * n);
    for (let r = 0; r < m; r++) {
      const q = start + r, o = r * n;
      const tau = screenBound(c, reachQ[r]!, fk, f64);
      const ex = exclude?.[q];
      // Excluded rows score NaN, which fails every comparison below.
      if (ex !== undefined) for (let e = 0; e < ex.length; e++) C[o + ex[e]!] = NaN;
      const count = screenRow(C, o, n, offset, heap, tau, cand);
      const limit = heap.kth() + tau;
      const scoreOf = offset === undefined ? (j: number): number => C[o + j]! : (j: number): number => C[o + j]! + offset[j]!;
      settle(cand, count, (p) => scoreOf(cand[p]!) <= limit, (rows) => exactValues(c, qd, q, rows, new Float64Array(rows.length)), k, indices, values, q * k);
    }
  }
}

/**
 * {@link searchFull} of the corpus against itself (the kNN graph), without exclusions: each
 * pair's score comes from one tile of the product and serves both rows, so only the tiles
 * on and above the diagonal are computed, about half the work. Each query keeps its heap,
 * threshold and candidates (with their scores) from tile to tile: memory O(tile² + n·k)
 * plus the candidates, which a running threshold keeps to a few times k per row.
 *
 * @example
 * ```ts
 * const indices = new Int32Array(E.rows * k), values = new Float64Array(E.rows * k);
 * searchSelf(prepareCorpus(E, 'euclidean', 'E'), k, indices, values);
 * indices.subarray(0, k); // row 0's k nearest rows, itself first (unless tied with a lower one)
 * ```
 */
export function searchSelf(c: Corpus, k: number, indices: Int32Array, values: Float64Array): void {
  const { E, width, dtype } = c;
  const { y, sqNorms, offset } = c.operand();
  const n = E.rows, d = E.cols;
  const b = Math.max(1, Math.min(n, Math.floor(Math.sqrt(BLOCK_BYTES / (dtype === 'float32' ? 4 : 8)))));
  const D = allocate(dtype, b * Math.min(b, n));
  const fk = roundingFactor(width, dtype), f64 = roundingFactor(d, 'float64');
  const tau = Float64Array.from(c.rowReach, (r) => screenBound(c, r, fk, f64));
  const heaps = new Float64Array(n * k);
  const sizes = new Int32Array(n);
  const limit = new Float64Array(n).fill(Infinity);
  const candidates: number[][] = Array.from({ length: n }, () => []);
  const scores: number[][] = Array.from({ length: n }, () => []);
  const offer = (q: number, j: number, s: number): void => {
    candidates[q]!.push(j);
    scores[q]!.push(s);
    const size = heapPush(heaps, q * k, sizes[q]!, k, s);
    sizes[q] = size;
    if (size === k) limit[q] = heaps[q * k]! + tau[q]!;
  };
  const sqDistances = sqDistancesKernel();
  for (let I = 0; I < n; I += b) {
    const mi = Math.min(b, n - I);
    for (let J = I; J < n; J += b) {
      const mj = Math.min(b, n - J);
      if (width > 0) sqDistances(mi, mj, width, y, I * width, width, sqNorms.subarray(I, I + mi), y, J * width, width, sqNorms.subarray(J, J + mj), D, 0, mj);
      else D.fill(0, 0, mi * mj);
      for (let r = 0; r < mi; r++) {
        const q = I + r, o = r * mj;
        // Row q against the tile's columns (on the diagonal tile, this covers both directions)…
        let lim = limit[q]!;
        for (let t = 0; t < mj; t++) {
          const s = offset === undefined ? D[o + t]! : D[o + t]! + offset[J + t]!;
          if (!(s <= lim)) continue;
          offer(q, J + t, s);
          lim = limit[q]!;
        }
        if (I === J) continue;
        // …and each column's row against q.
        const own = offset === undefined ? 0 : offset[q]!;
        for (let t = 0; t < mj; t++) {
          const s = D[o + t]! + own;
          if (s <= limit[J + t]!) offer(J + t, q, s);
        }
      }
    }
  }
  const cand = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const list = candidates[q]!, sc = scores[q]!;
    cand.set(list);
    const lim = limit[q]!;
    settle(cand, list.length, (p) => sc[p]! <= lim, (rows) => exactValues(c, E.data, q, rows, new Float64Array(rows.length)), k, indices, values, q * k);
  }
}
