// Labels for a whole latent space from a few labelled rows: the nearest landmark, k-means
// clusters labelled by their landmarks, or label spreading over a kNN graph.
import { assertNever, describe, fail } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkNumber, checkOptions, optionNames } from '../core/options.js';
import type { SeedLike } from '../core/random.js';
import { fit as kmeansFit } from '../kmeans/fit.js';
import { checkLabels, type Classes } from './input.js';
import { nearestChecked } from './nearest.js';

/**
 * How {@link fewShot} labels the rows:
 * - `'nearest'`: by the k nearest landmarks (labelled rows), majority vote;
 * - `'cluster'`: k-means with k clusters, each labelled by the majority of the landmarks
 *   it holds; a cluster with none takes the label of the landmark nearest its centroid;
 * - `'spread'`: label spreading (Zhou et al. 2004) over the k-nearest-neighbour graph,
 *   as scikit-learn's `LabelSpreading(kernel='knn')`.
 *
 * @example
 * ```ts
 * const method: FewShotMethod = 'spread';
 * ```
 */
export type FewShotMethod = 'nearest' | 'cluster' | 'spread';

const METHODS: readonly FewShotMethod[] = ['nearest', 'cluster', 'spread'];

/**
 * Options of {@link fewShot}.
 *
 * @example
 * ```ts
 * latent.fewShot(Z, landmarks, labels, { method: 'spread', k: 10, alpha: 0.2 });
 * ```
 */
export interface FewShotOptions {
  /**
   * See {@link FewShotMethod}.
   * @defaultValue 'spread'
   */
  method?: FewShotMethod;
  /**
   * `'nearest'`: landmarks that vote; `'cluster'`: the number of clusters; `'spread'`: the
   * neighbours of each row in the graph, the row itself included (scikit-learn's
   * `n_neighbors`, whose graph counts every point as its own first neighbour).
   * @defaultValue 1 (`'nearest'`), 10 per class (`'cluster'`, at most the rows), 7 (`'spread'`)
   */
  k?: number;
  /**
   * `'spread'`: the clamping factor α in (0, 1): each iteration keeps α of the spread
   * labels and takes 1 − α from the given ones.
   * @defaultValue 0.2
   */
  alpha?: number;
  /**
   * `'spread'`: iterations at most.
   * @defaultValue 30
   */
  maxIter?: number;
  /**
   * `'spread'`: stop when the label distributions change by less than this in total
   * (sum of absolute changes over all rows and classes).
   * @defaultValue 1e-3
   */
  tol?: number;
  /**
   * `'cluster'`: seed (or generator) of k-means.
   * @defaultValue 0
   */
  seed?: SeedLike;
}

/** Every option name of {@link FewShotOptions} (unknown ones are rejected). */
const FEW_SHOT_OPTION_NAMES = optionNames<FewShotOptions>()('method', 'k', 'alpha', 'maxIter', 'tol', 'seed');

/**
 * What {@link fewShot} returns.
 *
 * @example
 * ```ts
 * const { labels, confidence } = latent.fewShot(Z, [0, 50], [3, 8]);
 * labels.length === Z.length; // true
 * ```
 */
export interface FewShotResult {
  /** A label for every row (the given ones for the landmarks under `'nearest'` and `'cluster'`). */
  readonly labels: Int32Array;
  /**
   * How sure each label is, in [0, 1]: `'nearest'`: d′/(d + d′) with d the distance to the
   * nearest landmark of the chosen label and d′ to the nearest of any other (½ at a tie, 1
   * when one class only); `'cluster'`: the share of the cluster's landmarks that carry the
   * label (0 for a cluster without landmarks); `'spread'`: the label's share of the row's
   * normalised distribution (scikit-learn's `predict_proba` maximum).
   */
  readonly confidence: Float64Array;
  /** The distinct labels, ascending. */
  readonly classes: Int32Array;
  /** Iterations: of label spreading, of k-means for `'cluster'`, 0 for `'nearest'`. */
  readonly nIter: number;
  /** False when label spreading (or k-means) stopped at `maxIter` before its tolerance. */
  readonly converged: boolean;
}

/**
 * Labels every row of Z from a few labelled ones (landmarks): few-shot labelling of a
 * latent space. `'spread'` follows scikit-learn's `LabelSpreading(kernel='knn')` step for
 * step (the same graph, normalisation, clamping, stopping rule and argmax), `'cluster'` is
 * the HiddenDimensions recipe, `'nearest'` the baseline. Labels are non-negative integers.
 *
 * @param Z - codes, (n × d)
 * @param labelledIndices - rows of Z whose label is known, distinct
 * @param labels - their labels, one per index
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` (labels of the wrong length),
 *   `INVALID_INPUT` (unknown label values such as −1 or 1.5, bad or repeated indices),
 *   `INVALID_OPTION`
 *
 * @see Zhou, Bousquet, Lal, Weston & Schölkopf (2004), "Learning with local and global consistency", NIPS
 *
 * @example
 * ```ts
 * const Z = [[0], [0.1], [0.2], [5], [5.1], [5.2]];
 * Array.from(latent.fewShot(Z, [0, 5], [1, 2], { method: 'spread', k: 3 }).labels); // [1, 1, 1, 2, 2, 2]
 * ```
 */
export function fewShot(Z: MatrixInput, labelledIndices: ArrayLike<number>, labels: ArrayLike<number>, options?: FewShotOptions): FewShotResult {
  const opts = checkOptions(options, FEW_SHOT_OPTION_NAMES);
  const method = checkChoice(opts.method ?? 'spread', 'method', METHODS);
  const z = asMatrix(Z, 'Z');
  const n = z.rows;
  const landmarks = checkLandmarks(labelledIndices, n);
  const classes = checkLabels(labels, landmarks.length);
  const nc = classes.values.length;
  switch (method) {
    case 'nearest':
      return byNearest(z, landmarks, classes, checkInt(opts.k ?? 1, 'k', 1, landmarks.length));
    case 'cluster':
      return byCluster(z, landmarks, classes, checkInt(opts.k ?? Math.min(n, 10 * nc), 'k', 1, n), opts.seed);
    case 'spread': {
      const k = checkInt(opts.k ?? 7, 'k', 1, n);
      const alpha = checkNumber(opts.alpha ?? 0.2, 'alpha', 0, 1);
      if (alpha === 0 || alpha === 1) fail('INVALID_OPTION', `alpha: received ${alpha}, expected a number strictly between 0 and 1`);
      return bySpreading(z, landmarks, classes, k, alpha, checkInt(opts.maxIter ?? 30, 'maxIter', 1), checkNumber(opts.tol ?? 1e-3, 'tol', 0));
    }
    default:
      return assertNever(method, 'method');
  }
}

/** Distinct row indices in [0, n), at least one. */
function checkLandmarks(indices: ArrayLike<number>, n: number): Int32Array {
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    fail('INVALID_INPUT', `labelledIndices: received ${describe(indices)}, expected an array of row indices`);
  }
  if (indices.length === 0) fail('EMPTY_INPUT', 'labelledIndices: received no labelled rows, expected at least one');
  const seen = new Set<number>();
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
      fail('INVALID_INPUT', `labelledIndices: entry ${i} is ${describe(v)}, expected a row index of Z, an integer in [0, ${n - 1}]`);
    }
    if (seen.has(v)) fail('INVALID_INPUT', `labelledIndices: row ${v} appears twice, expected distinct rows`);
    seen.add(v);
    out[i] = v;
  }
  return out;
}

/** The rows of Z at `rows`. */
function gather(Z: Matrix, rows: Int32Array): Matrix {
  const d = Z.cols;
  const data = new Float64Array(rows.length * d);
  rows.forEach((i, r) => data.set(Z.data.subarray(i * d, i * d + d), r * d));
  return { rows: rows.length, cols: d, data };
}

/** Majority vote of the k nearest landmarks; confidence from the nearest landmark of each class. */
function byNearest(Z: Matrix, landmarks: Int32Array, classes: Classes, k: number): FewShotResult {
  const n = Z.rows, nc = classes.values.length;
  const { indices } = nearestChecked(gather(Z, landmarks), Z, k, 'euclidean', undefined);
  // The distance of every row to the nearest landmark of each class (memory n · classes).
  const toClass = new Float64Array(n * nc);
  for (let c = 0; c < nc; c++) {
    const members = landmarks.filter((_, t) => classes.index[t] === c);
    const { distances } = nearestChecked(gather(Z, members), Z, 1, 'euclidean', undefined);
    for (let i = 0; i < n; i++) toClass[i * nc + c] = distances[i]!;
  }
  const labels = new Int32Array(n), confidence = new Float64Array(n);
  const votes = new Int32Array(nc);
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    for (let t = 0; t < k; t++) {
      const c = classes.index[indices[i * k + t]!]!;
      votes[c] = votes[c]! + 1;
    }
    // Most votes; on a tie, the class whose landmark came first.
    let best = -1;
    for (let t = 0; t < k; t++) {
      const c = classes.index[indices[i * k + t]!]!;
      if (best < 0 || votes[c]! > votes[best]!) best = c;
    }
    const own = toClass[i * nc + best]!;
    let other = Infinity;
    for (let c = 0; c < nc; c++) if (c !== best) other = Math.min(other, toClass[i * nc + c]!);
    labels[i] = classes.values[best]!;
    confidence[i] = other === Infinity ? 1 : own + other === 0 ? 0.5 : other / (own + other);
  }
  return { labels, confidence, classes: classes.values, nIter: 0, converged: true };
}

/** k-means clusters labelled by the majority of their landmarks (the smaller label on a tie). */
function byCluster(Z: Matrix, landmarks: Int32Array, classes: Classes, k: number, seed: SeedLike | undefined): FewShotResult {
  const n = Z.rows, nc = classes.values.length;
  const model = kmeansFit(Z, { k, seed: seed ?? 0 });
  const counts = new Int32Array(k * nc);
  const total = new Int32Array(k);
  landmarks.forEach((i, t) => {
    const cl = model.labels[i]!;
    counts[cl * nc + classes.index[t]!] = counts[cl * nc + classes.index[t]!]! + 1;
    total[cl] = total[cl]! + 1;
  });
  const clusterLabel = new Int32Array(k), clusterConfidence = new Float64Array(k);
  const empty: number[] = [];
  for (let cl = 0; cl < k; cl++) {
    if (total[cl] === 0) {
      empty.push(cl);
      continue;
    }
    let best = 0;
    for (let c = 1; c < nc; c++) if (counts[cl * nc + c]! > counts[cl * nc + best]!) best = c;
    clusterLabel[cl] = best;
    clusterConfidence[cl] = counts[cl * nc + best]! / total[cl]!;
  }
  if (empty.length > 0) {
    // Clusters without a landmark: the label of the landmark nearest their centroid.
    const centroids = gather(model.centroids, Int32Array.from(empty));
    const { indices } = nearestChecked(gather(Z, landmarks), centroids, 1, 'euclidean', undefined);
    empty.forEach((cl, r) => { clusterLabel[cl] = classes.index[indices[r]!]!; });
  }
  const labels = new Int32Array(n), confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const cl = model.labels[i]!;
    labels[i] = classes.values[clusterLabel[cl]!]!;
    confidence[i] = clusterConfidence[cl]!;
  }
  return { labels, confidence, classes: classes.values, nIter: model.nIter, converged: model.converged };
}

/**
 * Label spreading as scikit-learn 1.2 computes it (semi_supervised/_label_propagation.py):
 * - the graph: `kneighbors_graph(X, k, mode='connectivity')` with X passed again as the
 *   queries, so each row's k neighbours include itself: A[i][j] = 1 for j among them;
 * - `csgraph.laplacian(A, normed=True)` with its default in-degree: w_j = Σᵢ A[i][j] − A[j][j]
 *   (self-loops left out), L = I − D^(−½) A D^(−½) (w = 0 counts as 1); negated with a zero
 *   diagonal, the iteration matrix is S[i][j] = A[i][j] / √(w_i w_j) for i ≠ j;
 * - F₀ = Y (one-hot rows for the landmarks, zero rows otherwise); until the total absolute
 *   change Σ|F − F_prev| falls below tol (checked before each step, against zeros at
 *   first) or maxIter steps: F ← α·S·F + (1 − α)·Y;
 * - rows normalised to sum 1 (zero rows left), the label the first largest entry's class.
 */
function bySpreading(Z: Matrix, landmarks: Int32Array, classes: Classes, k: number, alpha: number, maxIter: number, tol: number): FewShotResult {
  const n = Z.rows, nc = classes.values.length;
  const { indices } = nearestChecked(Z, Z, k, 'euclidean', undefined);
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      if (j !== i) degree[j] = degree[j]! + 1;
    }
  }
  const root = Float64Array.from(degree, (w) => (w === 0 ? 1 : Math.sqrt(w)));
  // S in compressed rows: row i holds its neighbours other than itself, weight 1/√(w_i w_j).
  const weight = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]!;
      weight[i * k + t] = j === i ? 0 : 1 / root[i]! / root[j]!;
    }
  }
  const Y = new Float64Array(n * nc);
  landmarks.forEach((i, t) => { Y[i * nc + classes.index[t]!] = 1; });
  let F = Float64Array.from(Y), previous = new Float64Array(n * nc), next = new Float64Array(n * nc);
  let nIter = 0, converged = false;
  for (; nIter < maxIter; nIter++) {
    let change = 0;
    for (let p = 0; p < F.length; p++) change += Math.abs(F[p]! - previous[p]!);
    if (change < tol) {
      converged = true;
      break;
    }
    next.fill(0);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < k; t++) {
        const w = weight[i * k + t]!;
        if (w === 0) continue;
        const j = indices[i * k + t]!;
        for (let c = 0; c < nc; c++) next[i * nc + c] = next[i * nc + c]! + w * F[j * nc + c]!;
      }
      for (let c = 0; c < nc; c++) next[i * nc + c] = alpha * next[i * nc + c]! + (1 - alpha) * Y[i * nc + c]!;
    }
    [previous, F, next] = [F, next, previous];
  }
  const labels = new Int32Array(n), confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0, best = 0;
    for (let c = 0; c < nc; c++) {
      sum += F[i * nc + c]!;
      if (F[i * nc + c]! > F[i * nc + best]!) best = c;
    }
    labels[i] = classes.values[best]!;
    confidence[i] = sum === 0 ? 0 : F[i * nc + best]! / sum;
  }
  return { labels, confidence, classes: classes.values, nIter, converged };
}
