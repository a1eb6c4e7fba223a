import { fail } from '../core/errors.js';
import type { MatrixInput } from '../core/matrix.js';
import { checkInt, checkOptions, optionNames } from '../core/options.js';
import { blockDistances, centred, chunkOption, distanceBlocks } from './geometry.js';

/**
 * Options of {@link trustworthiness}.
 *
 * @example
 * ```ts
 * trustworthiness(X, embedding, { k: 10, chunkSize: 512 });
 * ```
 */
export interface TrustworthinessOptions {
  /**
   * Neighbours per row, below nSamples / 2.
   * @defaultValue 5
   */
  k?: number;
  /**
   * Rows whose distances to all n rows (in both spaces) are computed at once: memory is
   * O(chunkSize · n).
   * @defaultValue about 2²² / n
   */
  chunkSize?: number;
}

/**
 * Keeps the k smallest of the values offered (with their indices), smallest first, lower
 * index first on ties: an insertion list, O(1) per value that does not make the cut.
 */
class Smallest {
  readonly index: Int32Array;
  readonly value: Float64Array;
  size = 0;

  constructor(private readonly k: number) {
    this.index = new Int32Array(k);
    this.value = new Float64Array(k);
  }

  reset(): void {
    this.size = 0;
  }

  offer(i: number, v: number): void {
    const { k, index, value } = this;
    if (this.size === k && !(v < value[k - 1]!)) return;
    let t = this.size < k ? this.size++ : k - 1;
    while (t > 0 && v < value[t - 1]!) {
      index[t] = index[t - 1]!;
      value[t] = value[t - 1]!;
      t--;
    }
    index[t] = i;
    value[t] = v;
  }
}

/**
 * Rank of row j among the neighbours of row i in a row of squared distances (1 = nearest;
 * ties ordered by index; i itself excluded).
 */
function rank(D: Float64Array, off: number, n: number, i: number, j: number): number {
  const v = D[off + j]!;
  let r = 1;
  for (let l = 0; l < n; l++) {
    const u = D[off + l]!;
    if (l !== i && (u < v || (u === v && l < j))) r++;
  }
  return r;
}

/** Every option name of {@link TrustworthinessOptions} (unknown ones are rejected). */
const TRUSTWORTHINESS_OPTION_NAMES = optionNames<TrustworthinessOptions>()('k', 'chunkSize');

/**
 * Trustworthiness of an embedding: how far its k nearest neighbours are, on average, from
 * being neighbours in the original space. 1 − 2/(nk(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uₖ(i)} (r(i, j) − k),
 * where Uₖ(i) are the rows among i's k nearest in the embedding but not in X and r(i, j) is
 * j's rank among i's neighbours in X. In [0, 1]; 1 when no intruder enters any neighbourhood.
 * Euclidean distances in both spaces, by the kernels, in blocks of rows (memory
 * O(chunkSize · n)).
 *
 * @param X - (nSamples, nFeatures): the original points
 * @param embedding - (nSamples, nComponents): the same points in the low-dimensional space
 * @see Venna & Kaski (2001), "Neighborhood preservation in nonlinear projection methods: an experimental study", ICANN
 *
 * @example
 * ```ts
 * const X = [[0, 0, 0], [1, 0, 0], [3, 1, 0], [6, 1, 1], [10, 2, 1]];
 * trustworthiness(X, X.map(([a]) => [a]), { k: 1 }); // 1 (the order along the first axis is kept)
 * ```
 */
export function trustworthiness(X: MatrixInput, embedding: MatrixInput, options?: TrustworthinessOptions): number {
  const opts = checkOptions(options, TRUSTWORTHINESS_OPTION_NAMES);
  const high = centred(X, 'X');
  const low = centred(embedding, 'embedding');
  const n = high.x.rows;
  if (low.x.rows !== n) fail('SHAPE_MISMATCH', `embedding: received ${low.x.rows} rows, expected ${n} (one per row of X)`);
  const k = checkInt(opts.k ?? 5, 'k', 1);
  if (k >= n / 2) fail('INVALID_OPTION', `k: received ${k}, expected fewer than nSamples / 2 = ${n / 2}`);
  const chunk = chunkOption(opts.chunkSize, n);
  const inEmbedding = new Smallest(k), inX = new Smallest(k);
  // The same block of rows, measured in both spaces.
  const far = new Float64Array(Math.min(chunk, n) * n);
  let penalty = 0;
  distanceBlocks(low, low, chunk, (start, m, near) => {
    blockDistances(high, start, m, high, far);
    for (let r = 0; r < m; r++) {
      const i = start + r, off = r * n;
      inEmbedding.reset();
      inX.reset();
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        inEmbedding.offer(j, near[off + j]!);
        inX.offer(j, far[off + j]!);
      }
      // A neighbour strictly closer in X than i's k-th nearest there has rank ≤ k: no penalty.
      const kth = inX.value[k - 1]!;
      for (let t = 0; t < k; t++) {
        const j = inEmbedding.index[t]!;
        if (far[off + j]! >= kth) penalty += Math.max(0, rank(far, off, n, i, j) - k);
      }
    }
  });
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
