// Input similarities of t-SNE (van der Maaten & Hinton 2008; the sparse version of van der
// Maaten 2014): the k nearest neighbours of every point by blocked distance kernels and a
// partial selection, a Gaussian bandwidth per point found by bisection on the entropy, then
// the symmetrised, normalised joint probabilities stored sparse (CSR).

import { portableLog } from '../core/math.js';
import { portableExp } from '../core/math.js';
import { regionKernel, residentKernel, rowSqNormsKernel, smallestInRowsKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';
import { isAfter } from '../linalg/kernels/tsne.js';

/**
 * A sparse (n × n) matrix in compressed sparse row form: the entries of row i are
 * `val[rowPtr[i] … rowPtr[i + 1] − 1]` in the columns `col[…]`.
 *
 * @example
 * ```ts
 * const P: Csr = { n: 2, rowPtr: new Int32Array([0, 1, 2]), col: new Int32Array([1, 0]), val: new Float64Array([0.5, 0.5]) };
 * ```
 */
export interface Csr {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/**
 * The k nearest neighbours of m query points, row by row, nearest first (ties by index).
 *
 * @example
 * ```ts
 * const nb = nearestNeighbours(X, X, 3, true);
 * nb.index[0]; // the nearest other point of point 0
 * ```
 */
export interface Neighbours {
  readonly m: number;
  readonly k: number;
  /** (m × k) neighbour indices into the reference points. */
  readonly index: Int32Array;
  /** (m × k) their squared Euclidean distances, ascending along each row. */
  readonly dist: Float64Array;
}

/** Distance entries computed per block of query rows (32 MB of float64). */
const BLOCK_ENTRIES = 1 << 22;

/**
 * The k nearest reference rows of every query row (squared Euclidean distances). Distances
 * are computed for a block of query rows at a time with the backend's `sqDistances`
 * kernel (one GEMM per block), so memory stays O(block · nRef), never O(m · nRef); a
 * bounded max-heap keeps the k best of each row; their distances are then recomputed as
 * Σ (a − b)², so that they do not depend on the backend. With `self`, query i is
 * reference i and is skipped (its GEMM self-distance need not be exactly 0).
 *
 * @param A - queries, (m × d) row-major
 * @param B - reference points, (nRef × d) row-major
 *
 * @example
 * ```ts
 * const X = { rows: 4, cols: 1, data: new Float64Array([0, 1, 3, 7]) };
 * Array.from(nearestNeighbours(X, X, 1, true).index); // [1, 0, 1, 2]
 * ```
 */
export function nearestNeighbours(
  A: { rows: number; cols: number; data: Float64Array },
  B: { rows: number; cols: number; data: Float64Array },
  k: number,
  self: boolean,
): Neighbours {
  const m = A.rows, n = B.rows, d = A.cols;
  // The rows and the block of distances stay in the kernels' memory (on WebAssembly, the
  // rows are copied in once, and the distances are selected from where they were written).
  const place = residentKernel();
  const rowsA = place(A.data), rowsB = B.data === A.data ? rowsA : place(B.data);
  const block = Math.max(1, Math.min(m, Math.floor(BLOCK_ENTRIES / n)));
  const D = regionKernel()(new Float64Array(0), block * n);
  const index = new Int32Array(m * k), dist = new Float64Array(m * k);
  try {
    const normsA = new Float64Array(m), normsB = new Float64Array(n);
    rowSqNormsKernel()(m, d, rowsA.view(), 0, d, normsA);
    rowSqNormsKernel()(n, d, rowsB.view(), 0, d, normsB);
    for (let start = 0; start < m; start += block) {
      const rows = Math.min(block, m - start);
      sqDistancesKernel()(rows, n, d, rowsA.view(), start * d, d, normsA.subarray(start, start + rows), rowsB.view(), 0, d, normsB, D.view(), 0, n);
      smallestInRowsKernel()(rows, n, D.view(), 0, n, k, self ? start : -1, index, start * k);
    }
  } finally {
    D.release();
    rowsA.release();
    rowsB.release();
  }
  for (let i = 0; i < m; i++) exactRow(A.data, i, B.data, d, index, dist, i * k, k);
  return { m, k, index, dist };
}

/**
 * Recomputes the selected distances as Σ (a − b)² (the GEMM form's last bits depend on the
 * backend, and t-SNE amplifies any difference in P chaotically) and re-sorts the row by
 * (distance, index); the row is nearly sorted already, so insertion sort is linear.
 */
function exactRow(A: Float64Array, i: number, B: Float64Array, d: number, index: Int32Array, dist: Float64Array, off: number, k: number): void {
  for (let a = 0; a < k; a++) {
    const j = index[off + a]!;
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = A[i * d + c]! - B[j * d + c]!;
      s += t * t;
    }
    dist[off + a] = s;
  }
  for (let a = 1; a < k; a++) {
    const dv = dist[off + a]!, iv = index[off + a]!;
    let b = a - 1;
    while (b >= 0 && isAfter(dist[off + b]!, index[off + b]!, dv, iv)) {
      dist[off + b + 1] = dist[off + b]!;
      index[off + b + 1] = index[off + b]!;
      b--;
    }
    dist[off + b + 1] = dv;
    index[off + b + 1] = iv;
  }
}

/** Bisection settings, as scikit-learn's `_binary_search_perplexity`. */
const ENTROPY_TOL = 1e-5;
const MAX_STEPS = 200;

/**
 * Conditional probabilities p(j | i) ∝ exp(−βᵢ·dᵢⱼ) over each row's neighbours, with βᵢ
 * found by bisection so that the row's entropy (natural log) is log(perplexity) to 1e-5.
 * Distances are shifted by the row's smallest one first: the probabilities are the same,
 * the largest term is exactly 1, so zero distances (duplicate points) and huge βᵢ give no
 * NaN. Uses portable exp/log so that every engine computes the same bits.
 *
 * @param dist - (m × k) distances (squared Euclidean, or cosine distances), ascending per row
 * @returns (m × k) probabilities; every row sums to 1
 *
 * @example
 * ```ts
 * conditionalP(new Float64Array([1, 1, 1]), 1, 3, 2); // Float64Array [1/3, 1/3, 1/3] (entropy log 3 whatever β)
 * ```
 */
export function conditionalP(dist: Float64Array, m: number, k: number, perplexity: number): Float64Array {
  const P = new Float64Array(m * k);
  const target = portableLog(perplexity);
  for (let i = 0; i < m; i++) {
    const off = i * k;
    const dmin = dist[off]!;
    let mean = 0;
    for (let j = 0; j < k; j++) mean += dist[off + j]! - dmin;
    mean /= k;
    // Start from the bandwidth of the average neighbour: far fewer steps than β = 1 when
    // distances are large (raw pixels) or tiny.
    let beta = mean > 0 ? 1 / mean : 1;
    let lo = -Infinity, hi = Infinity;
    for (let step = 0; step < MAX_STEPS; step++) {
      let sum = 0, sumDP = 0;
      for (let j = 0; j < k; j++) {
        const dj = dist[off + j]! - dmin;
        const p = portableExp(-beta * dj);
        P[off + j] = p;
        sum += p;
        sumDP += dj * p;
      }
      const entropy = portableLog(sum) + (beta * sumDP) / sum;
      const diff = entropy - target;
      if (Math.abs(diff) <= ENTROPY_TOL) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += P[off + j]!;
    for (let j = 0; j < k; j++) P[off + j] = P[off + j]! / sum;
  }
  return P;
}

/**
 * The joint probabilities P = (C + Cᵀ) / sum, C the conditional matrix given by its
 * neighbour lists: symmetric, summing to 1, sparse with at most 2k entries per row. Row
 * i lists its own neighbours first (in their order), then the points that have i as a
 * neighbour but are not among its own (in increasing index): a deterministic layout.
 *
 * @example
 * ```ts
 * const P = jointP(nb.index, cond, n, k);
 * P.val.reduce((a, b) => a + b); // 1
 * ```
 */
export function jointP(index: Int32Array, cond: Float64Array, n: number, k: number): Csr {
  // Count each row's candidates: its own k plus every incoming edge.
  const counts = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) counts[index[e]! + 1]!++;
  const inPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) inPtr[i + 1] = inPtr[i]! + counts[i + 1]!;
  const inCol = new Int32Array(n * k), inVal = new Float64Array(n * k);
  const fillPos = inPtr.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const j = index[i * k + a]!;
      const pos = fillPos[j]!++;
      inCol[pos] = i;
      inVal[pos] = cond[i * k + a]!;
    }
  }
  // Merge own and incoming entries per row with a dense slot map (reset after each row).
  const slot = new Int32Array(n).fill(-1);
  const rowPtr = new Int32Array(n + 1);
  const col = new Int32Array(2 * n * k), val = new Float64Array(2 * n * k);
  let nnz = 0, total = 0;
  for (let i = 0; i < n; i++) {
    const begin = nnz;
    for (let a = 0; a < k; a++) {
      const j = index[i * k + a]!;
      const v = cond[i * k + a]!;
      if (slot[j]! < 0) {
        slot[j] = nnz;
        col[nnz] = j;
        val[nnz++] = v;
      } else {
        val[slot[j]!] = val[slot[j]!]! + v;
      }
    }
    for (let e = inPtr[i]!; e < inPtr[i + 1]!; e++) {
      const j = inCol[e]!;
      if (slot[j]! < 0) {
        slot[j] = nnz;
        col[nnz] = j;
        val[nnz++] = inVal[e]!;
      } else {
        val[slot[j]!] = val[slot[j]!]! + inVal[e]!;
      }
    }
    for (let e = begin; e < nnz; e++) {
      slot[col[e]!] = -1;
      total += val[e]!;
    }
    rowPtr[i + 1] = nnz;
  }
  for (let e = 0; e < nnz; e++) val[e] = val[e]! / total;
  return { n, rowPtr, col: col.slice(0, nnz), val: val.slice(0, nnz) };
}
