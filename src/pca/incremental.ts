import { fail } from '../core/errors.js';
import { asMatrix, type MatrixInput } from '../core/matrix.js';
import { checkBoolean, checkInt, checkOptions, optionNames } from '../core/options.js';
import { buildModel } from './fit.js';
import { covarianceSolver } from './solvers.js';
import { checkModel, type PcaModel } from './model.js';
import { columnMeans } from '../linalg/rows.js';
import { centerRows, sumOfSquares } from './stats.js';

/** Options of {@link partialFit}; read only on the first batch (when `model` is undefined). */
export interface PartialFitOptions {
  /**
   * Components to keep, at most min(rows of the first batch, nFeatures).
   * @defaultValue min(rows of the first batch, nFeatures)
   */
  nComponents?: number;
  /** As in `fit`. @defaultValue false */
  whiten?: boolean;
}

/** Every option name of {@link PartialFitOptions} (unknown ones are rejected). */
const PARTIAL_FIT_OPTION_NAMES = /* @__PURE__ */ optionNames<PartialFitOptions>()('nComponents', 'whiten');

/**
 * Incremental PCA: updates a model with one more batch of samples, so data larger than
 * memory can stream through in chunks. The new batch, centred on its own mean, is stacked
 * under the current components scaled by their singular values and one row that corrects
 * for the shift of the mean; the SVD of that small matrix gives the updated components
 * (Ross, Lim, Lin & Yang 2008, as scikit-learn's IncrementalPCA; the SVD is taken through
 * the Gram matrix of the stacked matrix's smaller side). When the data's rank is
 * at most nComponents, the result equals a fit on all the data at once.
 *
 * @param model - the model so far, or `undefined` for the first batch; any PCA model works
 *   (its components and singular values summarise the data it saw)
 * @param batch - (batchSize, nFeatures)
 * @returns a new model (`solver: 'incremental'`); the input model is not modified
 * @see Ross et al. (2008), Incremental learning for robust visual tracking
 *
 * @example
 * ```ts
 * let model = pca.partialFit(undefined, [[1, 2], [3, 4], [4, 7]], { nComponents: 1 });
 * model = pca.partialFit(model, [[2, 2], [5, 9]]);
 * model.nSamples; // 5
 * ```
 */
export function partialFit(model: PcaModel | undefined, batch: MatrixInput, options?: PartialFitOptions): PcaModel {
  const x = asMatrix(batch, 'batch');
  const nb = x.rows, d = x.cols;
  const batchMean = columnMeans(x);
  const batchSS = sumOfSquares(x, batchMean);
  if (model === undefined) {
    const o = checkOptions(options, PARTIAL_FIT_OPTION_NAMES);
    const limit = Math.min(nb, d);
    const k = checkInt(o.nComponents ?? limit, 'nComponents', 1, limit);
    if (nb < 2) fail('INVALID_INPUT', `batch: received ${nb} sample, expected at least 2 in the first batch to estimate a variance`);
    const stacked = new Float64Array(nb * d);
    centerRows(x, batchMean, 0, nb, stacked);
    return update({ rows: nb, cols: d, stacked, k, mean: batchMean, ss: batchSS, n: nb, whiten: checkBoolean(o.whiten ?? false, 'whiten'), float32: x.data instanceof Float32Array });
  }
  const m = checkModel(model);
  if (d !== m.nFeatures) fail('SHAPE_MISMATCH', `batch: rows have ${d} values, expected ${m.nFeatures} (the nFeatures of the model)`);
  const n0 = m.nSamples, k = m.components.rows, nt = n0 + nb;
  // Rows: k scaled components, nb centred samples, one mean-correction row.
  const rows = k + nb + 1;
  const stacked = new Float64Array(rows * d);
  for (let c = 0; c < k; c++) {
    const s = m.singularValues[c]!;
    for (let j = 0; j < d; j++) stacked[c * d + j] = s * m.components.data[c * d + j]!;
  }
  centerRows(x, batchMean, 0, nb, stacked.subarray(k * d));
  const correction = Math.sqrt((n0 * nb) / nt);
  const mean = new Float64Array(d);
  let shift2 = 0;
  for (let j = 0; j < d; j++) {
    const delta = m.mean[j]! - batchMean[j]!;
    stacked[(rows - 1) * d + j] = correction * delta;
    mean[j] = (n0 * m.mean[j]! + nb * batchMean[j]!) / nt;
    shift2 += delta * delta;
  }
  const ss = m.totalVariance * (n0 - 1) + batchSS + ((n0 * nb) / nt) * shift2;
  return update({ rows, cols: d, stacked, k, mean, ss, n: nt, whiten: m.whiten, float32: m.mean instanceof Float32Array });
}

interface UpdateParts {
  rows: number;
  cols: number;
  stacked: Float64Array;
  k: number;
  mean: Float64Array;
  /** Total sum of squares about the mean of all samples seen. */
  ss: number;
  n: number;
  whiten: boolean;
  float32: boolean;
}

// The SVD of the stacked matrix is only needed for its top k right singular vectors and
// values, so it goes through the Gram matrix of its smaller side (the covariance solver
// with a zero mean): an eigenproblem of min(rows, d), several times faster than a full SVD
// of a (k + batch + 1) × d matrix.
function update(p: UpdateParts): PcaModel {
  const stacked = { rows: p.rows, cols: p.cols, data: p.stacked };
  const spectrum = covarianceSolver(stacked, new Float64Array(p.cols), p.k);
  const d = p.cols;
  // The solver divides by (rows − 1); the model's variances divide by (n − 1).
  const variances = spectrum.variances.slice(0, p.k).map((v) => (v * (p.rows - 1)) / (p.n - 1));
  return buildModel({
    spectrum: { variances, components: spectrum.components.subarray(0, p.k * d), count: p.k }, k: p.k, mean: p.mean,
    totalVariance: p.ss / (p.n - 1), nSamples: p.n, whiten: p.whiten, solver: 'incremental', float32: p.float32,
    scale: 0, name: 'batch',
  });
}
