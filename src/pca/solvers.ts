import type { Matrix } from '../core/matrix.js';
import { leadingEigenRows } from '../linalg/eigh.js';
import { residentRangeFinder } from '../linalg/range-finder.js';
import { svdRightKernel } from '../linalg/svd.js';
import { randomFrom, type SeedLike } from '../core/random.js';
import { centerRows, centered } from './stats.js';
import { regionKernel, residentKernel, syrkKernel } from '../linalg/kernels/dispatch.js';
import type { Region } from '../linalg/kernels/types.js';
import { product64 } from '../linalg/matmul.js';

// The solvers call the unvalidated cores (svdRightKernel, rangeFinder, product64, kernels), not the
// public linalg functions: `fit` has checked X once, and the data here is our own copy.

/** Principal directions as rows (m × d) and the variance along each, descending. */
export interface Spectrum {
  readonly variances: Float64Array;
  readonly components: Float64Array;
  readonly count: number;
}

// Rows per chunk of the covariance solver: about 8 MB of centred values at a time.
const CHUNK_VALUES = 1 << 20;

/**
 * Eigendecomposition of a Gram matrix of the centred data, whichever side is smaller.
 * With nSamples ≥ nFeatures, the (d × d) covariance is summed chunk by chunk (each chunk
 * centred, then one syrk), so the extra memory is one chunk plus d × d whatever nSamples
 * is. With fewer samples than features (faces: 400 × 4096), the (n × n) Gram XcXcᵀ has the
 * same non-zero eigenvalues, and each component is Xcᵀu / ‖Xcᵀu‖ (Turk & Pentland's
 * eigenfaces trick): a 400 × 400 eigenproblem instead of 4096 × 4096.
 */
export function covarianceSolver(x: Matrix, mean: Float64Array, k: number): Spectrum {
  return x.rows >= x.cols ? featureGramSolver(x, mean, k) : sampleGramSolver(x, mean, k);
}

// Every variance, but only the k leading components (the eigensolver back-transforms only those).
function featureGramSolver(x: Matrix, mean: Float64Array, k: number): Spectrum {
  const d = x.cols;
  const cov = centredGram(x, mean);
  for (let p = 0; p < d * d; p++) cov[p] = cov[p]! / (x.rows - 1);
  const { values, rows } = leadingEigenRows(d, cov, k);
  return { variances: values.map((v) => (v > 0 ? v : 0)), components: rows, count: k };
}

/**
 * (X − μ)ᵀ(X − μ) (d × d), summed chunk by chunk. Columns whose centred values are all
 * exactly 0 (MNIST's 111 blank pixels) are left out of the products, whose cost goes with
 * the square of the columns taken (673² instead of 784²): their entries are 0 whatever is
 * computed, and every other entry sums the same products in the same order, so the result
 * is the same, bit for bit, as with all columns (`skipZero` false, for the test).
 */
export function centredGram(x: Matrix, mean: Float64Array, skipZero = true): Float64Array {
  const { rows: n, cols: d } = x;
  const cols = skipZero ? varyingColumns(x, mean) : null;
  const w = cols === null ? d : cols.length;
  const chunkRows = Math.max(1, Math.min(n, Math.floor(CHUNK_VALUES / d)));
  // The chunk and its Gram live where the kernel works (WebAssembly memory): centred
  // straight into it, read and written in place, with no copy in or out per chunk.
  const chunk = regionKernel()(mean, chunkRows * w);
  const part = regionKernel()(mean, w * w);
  const gram = new Float64Array(w * w);
  try {
    for (let start = 0; start < n; start += chunkRows) {
      const end = Math.min(n, start + chunkRows);
      centerRows(x, mean, start, end, chunk.view(), cols);
      syrkKernel()(true, w, end - start, chunk.view(), 0, w, part.view(), 0, w);
      // gram + part, as 0 + part for the first chunk: the same bits as part itself.
      const p = part.view();
      for (let q = 0; q < w * w; q++) gram[q] = gram[q]! + p[q]!;
    }
  } finally {
    chunk.release();
    part.release();
  }
  if (cols === null) return gram;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < w; i++) for (let j = 0; j < w; j++) cov[cols[i]! * d + cols[j]!] = gram[i * w + j]!;
  return cov;
}

/** The columns of X − μ that are not all exactly 0; null when every column varies. */
function varyingColumns(x: Matrix, mean: Float64Array): Int32Array | null {
  const { rows: n, cols: d, data } = x;
  const varying: number[] = [];
  for (let j = 0; j < d; j++) {
    const m = mean[j]!;
    let i = 0;
    while (i < n && data[i * d + j]! - m === 0) i++;
    if (i < n) varying.push(j);
  }
  return varying.length === d ? null : Int32Array.from(varying);
}

function sampleGramSolver(x: Matrix, mean: Float64Array, k: number): Spectrum {
  const { rows: n, cols: d } = x;
  const xc = centered(x, mean);
  const G = new Float64Array(n * n);
  syrkKernel()(false, n, d, xc.data, 0, d, G, 0, n);
  // The first k columns of U, as rows, times Xc: the unnormalised components (k × d).
  const { values, rows: Ut } = leadingEigenRows(n, G, k);
  const components = product64({ rows: k, cols: n, data: Ut }, xc, false, false).data;
  const variances = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const row = components.subarray(c * d, (c + 1) * d);
    let norm2 = 0;
    for (let j = 0; j < d; j++) norm2 += row[j]! * row[j]!;
    // ‖Xcᵀu‖² = λ exactly in exact arithmetic; the computed norm is the better-conditioned one.
    const norm = Math.sqrt(norm2);
    if (norm > 0) for (let j = 0; j < d; j++) row[j] = row[j]! / norm;
    variances[c] = values[c]! > 0 ? values[c]! / (n - 1) : 0;
  }
  return { variances, components, count: k };
}

/**
 * Thin SVD of the centred data: the k leading directions (k = nComponents when it is a
 * count; all min(n, d) when a variance fraction decides), the same bits as those of the
 * whole SVD, for a fraction of its cost on tall or wide data (the singular vectors are
 * back-transformed for k columns only: 50 instead of 784 for MNIST).
 */
export function fullSolver(x: Matrix, mean: Float64Array, k = Math.min(x.rows, x.cols)): Spectrum {
  // Right singular vectors only: `fit` fixes the components' signs from the components.
  const { s, V } = svdRightKernel(x.rows, x.cols, centered(x, mean).data, k);
  return fromSvd(s, V, x.rows, k);
}

/**
 * Randomized SVD (Halko, Martinsson & Tropp 2011): k directions from a sampled range. The
 * centred data is written straight into the kernels' memory (a region), where every
 * product of the power iterations reads it in place: no copy of X per product.
 */
export function randomizedSolver(x: Matrix, mean: Float64Array, k: number, nOversamples: number, powerIterations: number, seed: SeedLike): Spectrum {
  const xc = regionKernel()(mean, x.rows * x.cols);
  try {
    centerRows(x, mean, 0, x.rows, xc.view());
    return residentSpectrum(x.rows, x.cols, xc, k, nOversamples, powerIterations, seed);
  } finally {
    xc.release();
  }
}

/** {@link randomizedSolver} on data already centred, xc (n × d), which is only read. */
export function randomizedSpectrum(xc: Matrix<Float64Array>, k: number, nOversamples: number, powerIterations: number, seed: SeedLike): Spectrum {
  const held = residentKernel()(xc.data);
  try {
    return residentSpectrum(xc.rows, xc.cols, held, k, nOversamples, powerIterations, seed);
  } finally {
    held.release();
  }
}

// The randomized SVD of the centred data (n × d) held in a region (its view re-taken after every kernel call).
function residentSpectrum(n: number, d: number, xc: Region<Float64Array>, k: number, nOversamples: number, powerIterations: number, seed: SeedLike): Spectrum {
  const size = Math.min(k + nOversamples, n, d);
  const Q = residentRangeFinder(n, d, xc, size, powerIterations, powerIterations > 2 ? 'lu' : 'none', randomFrom(seed));
  // B = Qᵀ·Xc (size × d): the data in the sampled basis; its SVD gives the components.
  const B = product64(Q, { rows: n, cols: d, data: xc.view() }, true, false).data;
  const { s, V } = svdRightKernel(size, d, B, size);
  return fromSvd(s, V, n, k);
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
