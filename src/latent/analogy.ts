// Analogies a : b :: c : ? answered by the nearest rows of E: Mikolov's vector offset
// (3CosAdd) and Levy & Goldberg's multiplicative objective (3CosMul), the three inputs
// excluded by default.
import { describe, fail } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { checkIndex } from './input.js';
import { checkEnough, nearestChecked } from './nearest.js';
import { checkedNorms, METRICS, queryBlock, roundingFactor, type Exclusions, type Metric } from './search.js';
import { KSmallest, settle } from './select.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

/**
 * Options of {@link analogy}.
 *
 * @example
 * ```ts
 * latent.analogy(E, man, king, woman, { k: 5, method: 'mul' });
 * ```
 */
export interface AnalogyOptions {
  /**
   * Answers per analogy.
   * @defaultValue 1
   */
  k?: number;
  /**
   * `'add'` (3CosAdd: the rows nearest to E[b] − E[a] + E[c]) or `'mul'` (3CosMul:
   * cos(x, b)·cos(x, c) / (cos(x, a) + ε), cosines mapped to [0, 1], ε = 0.001).
   * @defaultValue 'add'
   */
  method?: 'add' | 'mul';
  /**
   * The metric of `'add'`. With `'cosine'` the three rows are first scaled to unit length
   * (so the answer maximises cos(x, b) − cos(x, a) + cos(x, c), as word2vec's analogy test);
   * with `'euclidean'` or `'dot'` the raw rows are combined. `'mul'` is defined on
   * cosines only.
   * @defaultValue 'cosine'
   */
  metric?: Metric;
  /**
   * Leave the three inputs out of the answers. The famous word2vec results depend on it:
   * king − man + woman is itself nearest to "king", and "queen" only comes second.
   * @defaultValue true
   */
  excludeInputs?: boolean;
}

/** Every option name of {@link AnalogyOptions} (unknown ones are rejected). */
const ANALOGY_OPTION_NAMES = optionNames<AnalogyOptions>()('k', 'method', 'metric', 'excludeInputs');

/**
 * What {@link analogy} returns: for analogy q, its answers are `indices[q·k … q·k + k)`,
 * best first, with the objective each maximises at `scores[q·k …]`.
 *
 * @example
 * ```ts
 * const { indices, scores } = latent.analogy(E, a, b, c, { k: 3 });
 * indices[0]; // the best answer to the (first) analogy
 * ```
 */
export interface AnalogyResult {
  /** Answers per analogy. */
  readonly k: number;
  /** (nAnalogies × k) row indices of E, best first. */
  readonly indices: Int32Array;
  /**
   * (nAnalogies × k), descending per row: cos(x, t) for `'add'` with `'cosine'`, −‖x − t‖
   * with `'euclidean'`, x·t with `'dot'` (t the combined vector); the 3CosMul objective for `'mul'`.
   */
  readonly scores: Float64Array;
}

/** Levy & Goldberg's ε, which keeps 3CosMul's division finite. */
const EPSILON = 0.001;

/** The analogies as three equally long lists of row indices. */
function triples(a: number | ArrayLike<number>, b: number | ArrayLike<number>, c: number | ArrayLike<number>, n: number): [Int32Array, Int32Array, Int32Array] {
  const one = typeof a === 'number' && typeof b === 'number' && typeof c === 'number';
  const list = (x: number | ArrayLike<number>, name: string): Int32Array => {
    if (one) return Int32Array.of(checkIndex(x, n, name));
    if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
      return fail('INVALID_INPUT', `${name}: received ${describe(x)}, expected a row index or, for a batch of analogies, an array of row indices like the other two`);
    }
    return Int32Array.from({ length: x.length }, (_, i) => checkIndex(x[i], n, `${name}[${i}]`));
  };
  const A = list(a, 'a'), B = list(b, 'b'), C = list(c, 'c');
  if (A.length !== B.length || A.length !== C.length) {
    fail('SHAPE_MISMATCH', `a, b, c: received ${A.length}, ${B.length} and ${C.length} indices, expected the same number (one per analogy)`);
  }
  if (A.length === 0) fail('EMPTY_INPUT', 'a, b, c: received no analogies, expected at least one');
  return [A, B, C];
}

/**
 * Solves analogies a : b :: c : ? in the rows of E ("man is to king as woman is to ?"):
 * the k rows nearest to E[b] − E[a] + E[c] (3CosAdd), or the best by Levy & Goldberg's
 * 3CosMul, which balances the three similarities instead of adding them. The three inputs
 * are excluded by default (`excludeInputs`): without that, the nearest row to
 * king − man + woman is usually "king" itself. Exact, ties broken by the lower index.
 * Pass arrays of indices to solve many analogies at once (one block of GEMM work per
 * block of analogies).
 *
 * @param E - the embedding, (n × d)
 * @param a - row index (or indices) of a
 * @param b - row index (or indices) of b
 * @param c - row index (or indices) of c
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` (indices, zero vectors under the cosine),
 *   `SHAPE_MISMATCH`, `INVALID_OPTION` (k above the rows left, `'mul'` with another metric)
 *
 * @see Mikolov, Yih & Zweig (2013), "Linguistic regularities in continuous space word representations", NAACL
 * @see Levy & Goldberg (2014), "Linguistic regularities in sparse and explicit word representations", CoNLL
 *
 * @example
 * ```ts
 * // man, king, woman, queen, apple: an exact parallelogram plus a distractor
 * const E = [[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [5, 5, 5]];
 * latent.analogy(E, 0, 1, 2, { metric: 'euclidean' }).indices[0]; // 3
 * ```
 */
export function analogy(
  E: MatrixInput, a: number | ArrayLike<number>, b: number | ArrayLike<number>, c: number | ArrayLike<number>,
  options?: AnalogyOptions,
): AnalogyResult {
  const opts = checkOptions(options, ANALOGY_OPTION_NAMES);
  const k = checkInt(opts.k ?? 1, 'k', 1);
  const method = checkChoice(opts.method ?? 'add', 'method', ['add', 'mul'] as const);
  const metric = checkChoice(opts.metric ?? 'cosine', 'metric', METRICS);
  if (method === 'mul' && metric !== 'cosine') {
    fail('INVALID_OPTION', `metric: received '${metric}' with method 'mul', expected 'cosine' (3CosMul is defined on cosine similarities)`);
  }
  const excludeInputs = checkBoolean(opts.excludeInputs ?? true, 'excludeInputs');
  const e = asMatrix(E, 'E');
  const [A, B, C] = triples(a, b, c, e.rows);
  const exclude = excludeInputs ? Array.from(A, (x, q) => Int32Array.from(new Set([x, B[q]!, C[q]!])).sort()) : undefined;
  checkEnough(k, e.rows, exclude, 'k');
  const norms = checkedNorms(e, metric, 'E');
  return method === 'mul' ? cosMul(e, norms, A, B, C, k, exclude) : cosAdd(e, norms, A, B, C, k, metric, exclude);
}

/** 3CosAdd: nearest rows to the combined vector; scores turned into "larger is better". */
function cosAdd(
  E: Matrix, norms: Float64Array, A: Int32Array, B: Int32Array, C: Int32Array, k: number, metric: Metric, exclude: Exclusions | undefined,
): AnalogyResult {
  const { cols: d, data } = E;
  const nq = A.length;
  const T = new Float64Array(nq * d);
  for (let q = 0; q < nq; q++) {
    const [ia, ib, ic] = [A[q]!, B[q]!, C[q]!];
    const [sa, sb, sc] = metric === 'cosine' ? [1 / norms[ia]!, 1 / norms[ib]!, 1 / norms[ic]!] : [1, 1, 1];
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const v = data[ib * d + j]! * sb - data[ia * d + j]! * sa + data[ic * d + j]! * sc;
      T[q * d + j] = v;
      sq += v * v;
    }
    if (metric === 'cosine' && sq === 0) {
      fail('INVALID_INPUT', `a, b, c: analogy ${q} (rows ${ia}, ${ib}, ${ic}) combines to a zero vector, which has no direction under the cosine metric`);
    }
  }
  const { indices, distances } = nearestChecked(E, { rows: nq, cols: d, data: T }, k, metric, exclude);
  const scores = distances.map((v) => (metric === 'cosine' ? 1 - v : -v));
  return { k, indices, scores };
}

/** The 3CosMul objective from three cosines. */
function objective(ca: number, cb: number, cc: number): number {
  return (((cb + 1) / 2) * ((cc + 1) / 2)) / ((ca + 1) / 2 + EPSILON);
}

/**
 * 3CosMul. Each block of analogies gets its three unit vectors' cosines with every row
 * from one GEMM (3·block × n); the objective screens the candidates as in `nearest`, with
 * a bound from the cosines' rounding through the objective's derivatives (at most 1/ε for
 * b and c, 1/ε² for a), and the candidates are scored again from the raw rows.
 */
function cosMul(E: Matrix, norms: Float64Array, A: Int32Array, B: Int32Array, C: Int32Array, k: number, exclude: Exclusions | undefined): AnalogyResult {
  const { rows: n, cols: d, data } = E;
  const nq = A.length;
  const unit = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) unit[i * d + j] = data[i * d + j]! / norms[i]!;
  const tau = roundingFactor(d, 'float64') * (2 / EPSILON + 1 / EPSILON ** 2);
  const block = queryBlock(nq, n, 3);
  const T = new Float64Array(3 * block * d);
  const G = new Float64Array(3 * block * n);
  const cand = new Int32Array(n);
  const heap = new KSmallest(k);
  const indices = new Int32Array(nq * k), values = new Float64Array(nq * k);
  const cosine = (x: number, y: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += data[x * d + j]! * data[y * d + j]!;
    return s / (norms[x]! * norms[y]!);
  };
  for (let start = 0; start < nq; start += block) {
    const m = Math.min(block, nq - start);
    for (let r = 0; r < m; r++) {
      for (const [t, list] of [A, B, C].entries()) T.set(unit.subarray(list[start + r]! * d, list[start + r]! * d + d), (3 * r + t) * d);
    }
    gemmKernel()(false, true, 3 * m, n, d, 1, T, 0, d, unit, 0, d, 0, G, 0, n);
    for (let r = 0; r < m; r++) {
      const q = start + r, oa = 3 * r * n, ob = oa + n, oc = ob + n;
      const ex = exclude?.[q];
      const skip = new Set(ex ?? []);
      const score = (j: number): number => -objective(G[oa + j]!, G[ob + j]!, G[oc + j]!);
      heap.reset();
      let limit = Infinity, count = 0;
      // The largest objectives first: screen on its negative, as nearest screens distances.
      for (let j = 0; j < n; j++) {
        if (skip.has(j)) continue;
        const s = score(j);
        if (!(s <= limit)) continue;
        cand[count++] = j;
        limit = heap.push(s) + tau;
      }
      const [ia, ib, ic] = [A[q]!, B[q]!, C[q]!];
      settle(cand, count, (p) => score(cand[p]!) <= limit, (rows) => Float64Array.from(rows, (j) => -objective(cosine(j, ia), cosine(j, ib), cosine(j, ic))), k, indices, values, q * k);
    }
  }
  return { k, indices, scores: values.map((v) => -v) };
}
