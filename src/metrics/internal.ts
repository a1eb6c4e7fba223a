import { ldexp } from '../core/math.js';
import type { Matrix, MatrixInput } from '../core/matrix.js';
import { clusterLabels, clusterMeans, rowSqDistance, scaledInput } from './geometry.js';
import type { Encoded, Labels } from './labels.js';

/** X (float64, times 2^k: see scaledInput), its labels encoded (2 … n − 1 clusters) and the cluster means. */
interface Clustered {
  readonly x: Matrix<Float64Array>;
  readonly k: number;
  readonly enc: Encoded;
  readonly means: Float64Array;
}

function clustered(X: MatrixInput, labels: Labels): Clustered {
  const { x, k } = scaledInput(X, 'X');
  const enc = clusterLabels(labels, x.rows);
  return { x, k, enc, means: clusterMeans(x, enc) };
}

// np.allclose(v, 0) in scikit-learn's davies_bouldin_score: |v| ≤ 1e-8 everywhere.
const ALL_CLOSE = 1e-8;

/**
 * The Davies–Bouldin index: for each cluster, the largest (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖ over the
 * other clusters, averaged; s is a cluster's mean distance to its centroid. Lower is
 * better, 0 is the minimum (returned also when every s or every centroid distance is 0,
 * as scikit-learn does).
 *
 * @param X - (nSamples, nFeatures)
 * @param labels - (nSamples) any integers, with 2 to nSamples − 1 distinct values
 * @see Davies & Bouldin (1979), "A cluster separation measure", IEEE TPAMI 1(2)
 *
 * @example
 * ```ts
 * daviesBouldin([[0], [2], [10], [12]], [0, 0, 1, 1]); // 0.2  ((1 + 1) / 10)
 * ```
 */
export function daviesBouldin(X: MatrixInput, labels: Labels): number {
  const { x, k: scale, enc, means } = clustered(X, labels);
  const { rows: n, cols: d, data } = x;
  const k = enc.count;
  const spread = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = enc.codes[i]!;
    spread[c] = spread[c]! + Math.sqrt(rowSqDistance(data, i, means, c, d));
  }
  for (let c = 0; c < k; c++) spread[c] = spread[c]! / enc.sizes[c]!;
  const gaps = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) gaps[a * k + b] = Math.sqrt(rowSqDistance(means, a, means, b, d));
  // scikit-learn's test is absolute: it applies to the data's own units.
  const close = (v: number): boolean => Math.abs(ldexp(v, -scale)) <= ALL_CLOSE;
  if (spread.every(close) || gaps.every(close)) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = 0;
    for (let b = 0; b < k; b++) {
      // Coinciding centroids (distance 0) are skipped, as scikit-learn sets them to ∞.
      const g = gaps[a * k + b]!;
      if (b !== a && g !== 0) worst = Math.max(worst, (spread[a]! + spread[b]!) / g);
    }
    total += worst;
  }
  return total / k;
}

/**
 * The Calinski–Harabasz index (variance ratio criterion): between-cluster dispersion
 * Σ nᵢ‖cᵢ − c‖² over within-cluster dispersion Σ‖x − c_label‖², times (n − k) / (k − 1).
 * Higher is better; 1 when every cluster is a single point repeated (no within dispersion).
 *
 * @param X - (nSamples, nFeatures)
 * @param labels - (nSamples) any integers, with 2 to nSamples − 1 distinct values
 * @see Caliński & Harabasz (1974), "A dendrite method for cluster analysis", Communications in Statistics 3(1)
 *
 * @example
 * ```ts
 * calinskiHarabasz([[0], [2], [10], [12]], [0, 0, 1, 1]); // 50  (100 / 4 · 2 / 1)
 * ```
 */
export function calinskiHarabasz(X: MatrixInput, labels: Labels): number {
  const { x, enc, means } = clustered(X, labels);
  const { rows: n, cols: d, data } = x;
  const k = enc.count;
  const overall = clusterMeans(x, { codes: new Int32Array(n), count: 1, sizes: Float64Array.of(n) });
  let between = 0, within = 0;
  for (let c = 0; c < k; c++) between += enc.sizes[c]! * rowSqDistance(means, c, overall, 0, d);
  for (let i = 0; i < n; i++) within += rowSqDistance(data, i, means, enc.codes[i]!, d);
  return within === 0 ? 1 : (between * (n - k)) / (within * (k - 1));
}
