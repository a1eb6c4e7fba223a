import type { Matrix } from '../core/matrix.js';
import { kernels } from '../linalg/backend.js';
import { symmetricEigen } from '../linalg/eigh.js';
import { matmul } from '../linalg/matmul.js';
import { randomizedRangeFinder } from '../linalg/range-finder.js';
import { svd } from '../linalg/svd.js';
import type { SeedLike } from '../core/random.js';
import { centerRows, centered } from './stats.js';

/** Principal directions as rows (m × d) and the variance along each, descending. */
export interface Spectrum {
  readonly variances: Float64Array;
  readonly components: Float64Array;
  readonly count: number;
}

// Rows per chunk of the covariance solver: about 8 MB of centred values at a time.
const CHUNK_VALUES = 1 << 20;

/**
 * Eigendecomposition of the covariance. The Gram matrix of the centred data is summed
 * chunk by chunk (each chunk centred, then one syrk), so the extra memory is one chunk
 * plus d × d whatever nSamples is.
 */
export function covarianceSolver(x: Matrix, mean: Float64Array): Spectrum {
  const { rows: n, cols: d } = x;
  const chunkRows = Math.max(1, Math.min(n, Math.floor(CHUNK_VALUES / d)));
  const chunk = new Float64Array(chunkRows * d);
  const cov = new Float64Array(d * d);
  const part = n > chunkRows ? new Float64Array(d * d) : cov;
  const k = kernels();
  for (let start = 0; start < n; start += chunkRows) {
    const end = Math.min(n, start + chunkRows);
    centerRows(x, mean, start, end, chunk);
    k.syrk(true, d, end - start, chunk, 0, d, part, 0, d);
    if (part !== cov) for (let p = 0; p < d * d; p++) cov[p] = cov[p]! + part[p]!;
  }
  for (let p = 0; p < d * d; p++) cov[p] = cov[p]! / (n - 1);
  const { values, vectors } = symmetricEigen(d, cov);
  // Column c of `vectors` is the c-th eigenvector; components are stored as rows.
  const components = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let c = 0; c < d; c++) components[c * d + i] = vectors.data[i * d + c]!;
  const variances = values.map((v) => (v > 0 ? v : 0));
  return { variances, components, count: d };
}

/** Thin SVD of the centred data: all min(n, d) directions. */
export function fullSolver(x: Matrix, mean: Float64Array): Spectrum {
  const { s, V } = svd(centered(x, mean));
  return fromSvd(s, V, x.rows, s.length);
}

/** Randomized SVD (Halko, Martinsson & Tropp 2011): k directions from a sampled range. */
export function randomizedSolver(x: Matrix, mean: Float64Array, k: number, nOversamples: number, powerIterations: number, seed: SeedLike): Spectrum {
  const xc = centered(x, mean);
  const size = Math.min(k + nOversamples, x.rows, x.cols);
  const Q = randomizedRangeFinder(xc, { size, powerIterations, normalizer: powerIterations > 2 ? 'lu' : 'none', seed });
  const B = matmul(Q, xc, { transA: true });
  const { s, V } = svd(B);
  return fromSvd(s, V, x.rows, k);
}

// V is (d × r) with the right singular vectors as columns; the variance along each is s²/(n − 1).
function fromSvd(s: Float64Array, V: Matrix, n: number, count: number): Spectrum {
  const d = V.rows, r = V.cols;
  const components = new Float64Array(count * d);
  for (let c = 0; c < count; c++) for (let i = 0; i < d; i++) components[c * d + i] = V.data[i * r + c]!;
  const variances = new Float64Array(count);
  for (let c = 0; c < count; c++) variances[c] = (s[c]! * s[c]!) / (n - 1);
  return { variances, components, count };
}
