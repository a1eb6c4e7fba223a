import { describe, fail } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { asCodes, sameWidth, type CodesInput } from './input.js';
import { projectionFor, searchProjected, type Projection } from './projected.js';
import { METRICS, prepareCorpus, searchFull, searchSelf, type Corpus, type Exclusions, type Metric } from './search.js';

/**
 * Options of {@link nearest}.
 *
 * @example
 * ```ts
 * latent.nearest(E, Q, { k: 5, metric: 'cosine', exclude: [[0], [1]] });
 * ```
 */
export interface NearestOptions {
  /**
   * Neighbours per query, in [1, rows of E left after `exclude`].
   * @defaultValue 1
   */
  k?: number;
  /**
   * `'euclidean'` (‖x − y‖), `'cosine'` (1 − cos) or `'dot'` (−x·y: the largest inner
   * product first); see {@link Metric}.
   * @defaultValue 'euclidean'
   */
  metric?: Metric;
  /**
   * Rows of E a query must not return, one list per query (e.g. the query's own row, or an
   * analogy's three inputs). Indices outside [0, rows of E) are an error; repeats are fine.
   * @defaultValue nothing excluded
   */
  exclude?: ArrayLike<ArrayLike<number>>;
}

/** Every option name of {@link NearestOptions} (unknown ones are rejected). */
const NEAREST_OPTION_NAMES = optionNames<NearestOptions>()('k', 'metric', 'exclude');

/**
 * What {@link nearest} returns: for query q, its neighbours are
 * `indices[q·k … q·k + k)`, nearest first, at `distances[q·k …]`.
 *
 * @example
 * ```ts
 * const { k, indices, distances } = latent.nearest(E, Q, { k: 3 });
 * indices.subarray(0, k); // the 3 rows of E nearest to query 0
 * ```
 */
export interface NearestResult {
  /** Neighbours per query. */
  readonly k: number;
  /** (nQueries × k) row indices of E, row-major, each row sorted nearest first. */
  readonly indices: Int32Array;
  /** (nQueries × k) the metric's values (distances; −x·y for `'dot'`), ascending per row. */
  readonly distances: Float64Array;
}

/**
 * Checks per-query exclusion lists: one list per query, indices in [0, n). Returns them
 * sorted without repeats.
 *
 * @example
 * ```ts
 * checkExclusions([[3, 1, 3]], 1, 5); // [Int32Array [1, 3]]
 * ```
 */
export function checkExclusions(exclude: unknown, nq: number, n: number): Exclusions {
  const lists = exclude as ArrayLike<ArrayLike<number>> | null;
  if (lists === null || typeof lists !== 'object' || typeof lists.length !== 'number') {
    fail('INVALID_OPTION', `exclude: received ${describe(exclude)}, expected one list of row indices per query`);
  }
  if (lists.length !== nq) fail('SHAPE_MISMATCH', `exclude: received ${lists.length} lists, expected ${nq} (one per query)`);
  const out: Int32Array[] = [];
  for (let q = 0; q < nq; q++) {
    const list = lists[q];
    if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
      fail('INVALID_OPTION', `exclude[${q}]: received ${describe(list)}, expected an array of row indices`);
    }
    const seen = new Set<number>();
    for (let e = 0; e < list.length; e++) {
      const j = list[e];
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= n) {
        fail('INVALID_OPTION', `exclude[${q}][${e}]: received ${describe(j)}, expected a row index of E, an integer in [0, ${n - 1}]`);
      }
      seen.add(j);
    }
    out.push(Int32Array.from(seen).sort());
  }
  return out;
}

/**
 * Checks that k rows are left for every query after its exclusions.
 *
 * @example
 * ```ts
 * checkEnough(2, 5, [Int32Array.of(0, 1, 2)], 'k'); // passes: 2 rows left
 * ```
 */
export function checkEnough(k: number, n: number, exclude: Exclusions | undefined, name: string): void {
  if (k > n) fail('INVALID_OPTION', `${name}: received ${k}, expected at most ${n} (the rows of E)`);
  if (exclude === undefined) return;
  for (let q = 0; q < exclude.length; q++) {
    const left = n - exclude[q]!.length;
    if (k > left) fail('INVALID_OPTION', `${name}: received ${k}, but query ${q} has only ${left} candidate row${left === 1 ? '' : 's'} left after excluding ${exclude[q]!.length} of ${n}`);
  }
}

/**
 * The k nearest rows of E to each query: exact (equal to a brute force by the formulas of
 * {@link Metric}), ties broken by the lower row index. Runs block by block on the GEMM
 * kernel (WebAssembly SIMD after `initSync()`, screening in float32 there), with memory
 * O(block · rows of E), never a full distance matrix; candidates near the k-th are
 * measured again in float64 from your data, so the answer does not depend on the backend.
 * When most of E's energy lies in a few directions (from 64 features and a few million
 * query–row pairs), the screen runs in those directions on a lower bound of the distance
 * (docs/latent.md), with the same answer.
 * The data is scaled by a power of two in every computation, so codes of any magnitude
 * (2^±1000) work: the values are the plain formulas' wherever those neither overflow nor
 * underflow.
 *
 * @param E - the corpus, (n × d)
 * @param queries - (nQueries × d), or one code as a vector
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` (widths, `exclude` lists), `INVALID_OPTION`
 *   (k larger than the rows left after exclusion, bad `exclude` entries), `INVALID_INPUT`
 *   (a zero vector under `'cosine'`), `NON_FINITE`, `EMPTY_INPUT`
 *
 * @example
 * ```ts
 * const E = [[0, 0], [1, 0], [0, 2], [5, 5]];
 * const { indices, distances } = latent.nearest(E, [0.9, 0.1], { k: 2 });
 * [Array.from(indices), Array.from(distances, (v) => +v.toFixed(3))]; // [[1, 0], [0.141, 0.906]]
 * ```
 */
export function nearest(E: MatrixInput, queries: CodesInput, options?: NearestOptions): NearestResult {
  const opts = checkOptions(options, NEAREST_OPTION_NAMES);
  const k = checkInt(opts.k ?? 1, 'k', 1);
  const metric = checkChoice(opts.metric ?? 'euclidean', 'metric', METRICS);
  const e = asMatrix(E, 'E');
  const Q = asCodes(queries, 'queries');
  sameWidth(Q, e.cols, 'queries', 'E');
  const exclude = opts.exclude === undefined ? undefined : checkExclusions(opts.exclude, Q.rows, e.rows);
  checkEnough(k, e.rows, exclude, 'k');
  return nearestChecked(e, Q, k, metric, exclude);
}

/**
 * {@link nearest} on validated arguments, for the module's other functions.
 *
 * @example
 * ```ts
 * const z = asMatrix(Z);
 * nearestChecked(z, z, 7, 'euclidean', undefined).indices; // Int32Array (n × 7): a kNN graph, each row first (unless tied)
 * ```
 */
export function nearestChecked(E: Matrix, Q: Matrix, k: number, metric: Metric, exclude: Exclusions | undefined): NearestResult {
  const indices = new Int32Array(Q.rows * k);
  const distances = new Float64Array(Q.rows * k);
  search(prepareCorpus(E, metric, 'E', Q), Q, k, exclude, indices, distances);
  return { k, indices, distances };
}

/**
 * The search strategy: data whose energy lies in a few directions is screened there first
 * (./projected.ts; `projection` overrides the choice), with the queries that screen leaves
 * unsettled done at full width; the corpus against itself is tiled (half the product);
 * otherwise one full-width product per block of queries (./search.ts).
 *
 * @example
 * ```ts
 * search(prepareCorpus(E, 'euclidean', 'E', Q), Q, k, undefined, indices, values); // fills indices and values
 * ```
 */
export function search(
  c: Corpus, Q: Matrix, k: number, exclude: Exclusions | undefined, indices: Int32Array, values: Float64Array,
  projection: Projection | undefined = projectionFor(c, Q.rows),
): void {
  if (projection !== undefined) {
    const queued = searchProjected(c, projection, Q, k, exclude, indices, values);
    if (queued.length === 0) return;
    const d = c.E.cols;
    const sub: Corpus = { ...c, queryNorms: Float64Array.from(queued, (q) => c.queryNorms[q]!), queryScale: Float64Array.from(queued, (q) => c.queryScale[q]!) };
    const data = new Float64Array(queued.length * d);
    queued.forEach((q, r) => { for (let j = 0; j < d; j++) data[r * d + j] = Q.data[q * d + j]!; });
    const subIndices = new Int32Array(queued.length * k), subValues = new Float64Array(queued.length * k);
    searchFull(sub, { rows: queued.length, cols: d, data }, k, exclude && Array.from(queued, (q) => exclude[q]!), subIndices, subValues);
    queued.forEach((q, r) => {
      indices.set(subIndices.subarray(r * k, r * k + k), q * k);
      values.set(subValues.subarray(r * k, r * k + k), q * k);
    });
    return;
  }
  if (exclude === undefined && (Q === c.E || (Q.data === c.E.data && Q.rows === c.E.rows && Q.cols === c.E.cols))) searchSelf(c, k, indices, values);
  else searchFull(c, Q, k, exclude, indices, values);
}
