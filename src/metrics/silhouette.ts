import { asMatrix64, type MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type SeedLike } from '../core/random.js';
import { centred, chunkOption, clusterLabels, distanceBlocks } from './geometry.js';
import type { Labels } from './labels.js';

/**
 * Options of {@link silhouetteSamples}.
 *
 * @example
 * ```ts
 * silhouetteSamples(X, labels, { chunkSize: 256 }); // memory O(256 · n)
 * ```
 */
export interface SilhouetteOptions {
  /**
   * Rows whose distances to all n rows are computed at once: memory is O(chunkSize · n).
   * @defaultValue about 2²² / n (a 32 MiB block)
   */
  chunkSize?: number;
}

/**
 * Options of {@link silhouetteScore}.
 *
 * @example
 * ```ts
 * silhouetteScore(X, labels, { sampleSize: 2000, seed: 1 });
 * ```
 */
export interface SilhouetteScoreOptions extends SilhouetteOptions {
  /**
   * Score a random subset of this many rows (distances among them only, as scikit-learn),
   * O(sampleSize²) work instead of O(n²).
   * @defaultValue all rows
   */
  sampleSize?: number;
  /**
   * Seed (or generator) choosing the subset.
   * @defaultValue 0
   */
  seed?: SeedLike;
}

/** Every option name of {@link SilhouetteOptions} (unknown ones are rejected). */
const SILHOUETTE_OPTION_NAMES = optionNames<SilhouetteOptions>()('chunkSize');

/**
 * The silhouette of every row: (b − a) / max(a, b), where a is its mean Euclidean distance
 * to the other rows of its cluster and b the smallest mean distance to the rows of another
 * cluster; in [−1, 1], near 1 when the row sits well inside its cluster. Rows alone in
 * their cluster score 0. Distances come from the kernels in blocks of rows, so memory
 * stays O(chunkSize · n) and never n².
 *
 * @param X - (nSamples, nFeatures)
 * @param labels - (nSamples) any integers, with 2 to nSamples − 1 distinct values
 * @returns (nSamples)
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` when there are fewer than 2 or more
 *   than nSamples − 1 clusters, `SHAPE_MISMATCH` when the lengths differ
 * @see Rousseeuw (1987), "Silhouettes: a graphical aid to the interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20
 *
 * @example
 * ```ts
 * Array.from(silhouetteSamples([[0], [1], [10], [11]], [0, 0, 1, 1]));
 * // [0.9047…, 0.8947…, 0.8947…, 0.9047…]
 * ```
 */
export function silhouetteSamples(X: MatrixInput, labels: Labels, options?: SilhouetteOptions): Float64Array {
  const opts = checkOptions(options, SILHOUETTE_OPTION_NAMES);
  const c = centred(X, 'X');
  const n = c.x.rows;
  const { codes, count, sizes } = clusterLabels(labels, n);
  const out = new Float64Array(n);
  const sums = new Float64Array(count);
  distanceBlocks(c, c, chunkOption(opts.chunkSize, n), (start, m, D) => {
    for (let r = 0; r < m; r++) {
      const i = start + r, own = codes[i]!;
      sums.fill(0);
      for (let j = 0, p = r * n; j < n; j++, p++) sums[codes[j]!] = sums[codes[j]!]! + Math.sqrt(D[p]!);
      // The kernel's self-distance is 0 only up to rounding; a row is not its own neighbour.
      sums[own] = sums[own]! - Math.sqrt(D[r * n + i]!);
      out[i] = silhouette(sums, sizes, own);
    }
  });
  return out;
}

/** s = (b − a) / max(a, b) from per-cluster distance sums; 0 for a singleton or when a = b = 0. */
function silhouette(sums: Float64Array, sizes: Float64Array, own: number): number {
  if (sizes[own]! <= 1) return 0;
  const a = sums[own]! / (sizes[own]! - 1);
  let b = Infinity;
  for (let c = 0; c < sizes.length; c++) if (c !== own) b = Math.min(b, sums[c]! / sizes[c]!);
  const scale = Math.max(a, b);
  return scale > 0 ? (b - a) / scale : 0;
}

/** Every option name of {@link SilhouetteScoreOptions} (unknown ones are rejected). */
const SILHOUETTE_SCORE_OPTION_NAMES = optionNames<SilhouetteScoreOptions>()('sampleSize', 'seed', 'chunkSize');

/**
 * The mean silhouette of the rows ({@link silhouetteSamples}), or of a random subset of
 * `sampleSize` rows: is the space well clustered? Near 1: dense, well-separated clusters;
 * near 0: overlapping ones; negative: rows closer to another cluster than to their own.
 *
 * @param X - (nSamples, nFeatures)
 * @param labels - (nSamples) any integers, with 2 to nSamples − 1 distinct values (in the subset)
 *
 * @example
 * ```ts
 * silhouetteScore([[0], [1], [10], [11]], [0, 0, 1, 1]); // 0.8997…
 * ```
 */
export function silhouetteScore(X: MatrixInput, labels: Labels, options?: SilhouetteScoreOptions): number {
  const opts = checkOptions(options, SILHOUETTE_SCORE_OPTION_NAMES);
  let x: MatrixInput = X;
  let l: Labels = labels;
  if (opts.sampleSize !== undefined) {
    const full = asMatrix64(X, 'X');
    const size = checkInt(opts.sampleSize, 'sampleSize', 2, full.rows);
    const rows = randomFrom(opts.seed).sampleWithoutReplacement(full.rows, size);
    const data = new Float64Array(size * full.cols);
    rows.forEach((i, r) => data.set(full.data.subarray(i * full.cols, (i + 1) * full.cols), r * full.cols));
    x = { rows: size, cols: full.cols, data };
    l = Array.from(rows, (i) => labels[i]!);
  }
  const s = silhouetteSamples(x, l, opts.chunkSize === undefined ? undefined : { chunkSize: opts.chunkSize });
  return s.reduce((acc, v) => acc + v, 0) / s.length;
}
