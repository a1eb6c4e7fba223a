import { fail } from '../core/errors.js';
import { maxAbs, safeScaleExponent, scaledBy } from '../core/math.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt } from '../core/options.js';
export { rowSqDistance } from '../linalg/rows.js';
import { encodeLabels, type Encoded, type Labels } from './labels.js';
import { rowSqNormsKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';

/**
 * Rows of X minus their mean (a float64 copy) with their squared norms, ready for the distance kernel.
 *
 * @example
 * ```ts
 * const c: Centred = centred([[0, 0], [2, 2]], 'X');
 * Array.from(c.norms); // [2, 2]
 * ```
 */
export interface Centred {
  readonly x: Matrix<Float64Array>;
  readonly norms: Float64Array;
}

/**
 * Validates X and centres it: distances between rows do not change, and the
 * ‖a‖² + ‖b‖² − 2a·b form of the kernels loses far less to cancellation near the origin.
 * Data beyond 2^±200 in magnitude is scaled first ({@link scaledInput}): every metric
 * here is a ratio or a ranking of distances, which a power of two leaves exact.
 *
 * @example
 * ```ts
 * Array.from(centred([[1], [3]], 'X').x.data); // [-1, 1]
 * ```
 */
export function centred(X: MatrixInput, name: string): Centred {
  const { rows: n, cols: d, data } = scaledInput(X, name).x;
  const mean = new Float64Array(d);
  for (let p = 0; p < n * d; p++) mean[p % d] = mean[p % d]! + data[p]! / n;
  const out = new Float64Array(n * d);
  for (let p = 0; p < n * d; p++) out[p] = data[p]! - mean[p % d]!;
  const norms = new Float64Array(n);
  rowSqNormsKernel()(n, d, out, 0, d, norms);
  return { x: { rows: n, cols: d, data: out }, norms };
}

/**
 * X as a float64 matrix, times 2^k when its largest magnitude lies beyond 2^±200, where
 * squared distances would overflow (1e200 data) or underflow (subnormal data); k is 0
 * and X is not copied otherwise. The metrics are ratios or rankings of distances, which
 * the scaling leaves exact.
 *
 * @example
 * ```ts
 * scaledInput([[1e200], [-1e200]], 'X').k; // -664
 * ```
 */
export function scaledInput(X: MatrixInput, name: string): { x: Matrix<Float64Array>; k: number } {
  const x = asMatrix64(X, name);
  const k = safeScaleExponent(maxAbs(x.data), 'float64');
  return { x: { rows: x.rows, cols: x.cols, data: scaledBy(x.data, k) }, k };
}

/**
 * Rows per block so that a (rows × n) block of distances holds about 2²² values (32 MiB).
 *
 * @example
 * ```ts
 * defaultChunk(10000); // 419
 * ```
 */
export function defaultChunk(n: number): number {
  return Math.max(1, Math.min(n, Math.floor(4194304 / Math.max(1, n))));
}

/**
 * Checks a `chunkSize` option.
 *
 * @example
 * ```ts
 * chunkOption(undefined, 10000); // 419
 * ```
 */
export function chunkOption(value: number | undefined, n: number): number {
  return value === undefined ? defaultChunk(n) : checkInt(value, 'chunkSize', 1);
}

/**
 * Squared distances of rows start … start + m − 1 of A to every row of B, by the kernel, into D (m × B.rows).
 *
 * @example
 * ```ts
 * blockDistances(c, 0, 1, c, D); // D[0 … n) = squared distances of row 0 to every row
 * ```
 */
export function blockDistances(A: Centred, start: number, m: number, B: Centred, D: Float64Array): void {
  const d = A.x.cols, nb = B.x.rows;
  sqDistancesKernel()(m, nb, d, A.x.data, start * d, d, A.norms.subarray(start, start + m), B.x.data, 0, d, B.norms, D, 0, nb);
}

/**
 * Squared distances from blocks of rows of A to every row of B: visit(start, m, D)
 * receives rows start … start + m − 1 of A against B, D (m × B.rows) row-major. Memory is
 * O(chunk · B.rows), never (A.rows × B.rows).
 *
 * @example
 * ```ts
 * distanceBlocks(c, c, 256, (start, m, D) => use(D)); // D: (m × n)
 * ```
 */
export function distanceBlocks(A: Centred, B: Centred, chunk: number, visit: (start: number, m: number, D: Float64Array) => void): void {
  const D = new Float64Array(Math.min(chunk, A.x.rows) * B.x.rows);
  for (let start = 0; start < A.x.rows; start += chunk) {
    const m = Math.min(chunk, A.x.rows - start);
    blockDistances(A, start, m, B, D);
    visit(start, m, D);
  }
}

/**
 * Encodes cluster labels for the metrics that need at least 2 and at most n − 1 clusters
 * (as scikit-learn's check_number_of_labels).
 *
 * @example
 * ```ts
 * clusterLabels([5, 5, 9], 3).count; // 2
 * ```
 */
export function clusterLabels(labels: Labels, n: number): Encoded {
  const enc = encodeLabels(labels, 'labels', n);
  if (enc.count < 2 || enc.count > n - 1) {
    fail('INVALID_INPUT', `labels: found ${enc.count} distinct label${enc.count === 1 ? '' : 's'} among ${n} rows, expected between 2 and ${n - 1}`);
  }
  return enc;
}

/**
 * Mean of each cluster's rows, (count × d).
 *
 * @example
 * ```ts
 * clusterMeans(asMatrix64([[0], [2], [7]]), encodeLabels([1, 1, 4], 'labels')); // Float64Array [1, 7]
 * ```
 */
export function clusterMeans(x: Matrix<Float64Array>, enc: Encoded): Float64Array {
  const { rows: n, cols: d, data } = x;
  const means = new Float64Array(enc.count * d);
  for (let i = 0; i < n; i++) {
    const o = enc.codes[i]! * d;
    for (let j = 0; j < d; j++) means[o + j] = means[o + j]! + data[i * d + j]!;
  }
  for (let c = 0; c < enc.count; c++) {
    for (let j = 0; j < d; j++) means[c * d + j] = means[c * d + j]! / enc.sizes[c]!;
  }
  return means;
}
