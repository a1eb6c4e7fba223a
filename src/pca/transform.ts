import { fail, finiteResults } from '../core/errors.js';
import { asMatrix, asRows, asVector, singleRow, type FlatArray, type FloatArray, type Matrix, type MatrixInput, type RowsInput } from '../core/matrix.js';
import { product64 } from '../linalg/matmul.js';
import { fit } from './fit.js';
import { checkModel, type PcaModel } from './model.js';
import type { PcaOptions } from './options.js';
import { centered } from './stats.js';

const LOG_2PI = Math.log(2 * Math.PI);

function asFloat64(a: FloatArray): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/** The result in the model's element type, checked finite (finite input far beyond the model's scale can overflow). */
function inModelDtype(model: PcaModel, m: Matrix, name: string): Matrix {
  const out = model.mean instanceof Float32Array ? { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) } : m;
  finiteResults(out.data, name, 'a coordinate of the result');
  return out;
}

function checkWidth(x: Matrix, expected: number, name: string, what: string): void {
  if (x.cols !== expected) {
    fail('SHAPE_MISMATCH', `${name}: rows have ${x.cols} values, expected ${expected} (${what})`);
  }
}

// Per-component scale between unwhitened and whitened coordinates: √variance. A direction
// with no variance (within rounding of the largest) maps to 0 rather than dividing noise
// by almost nothing.
function whitenScales(model: PcaModel): Float64Array {
  const ev = model.explainedVariance;
  const floor = (ev[0] ?? 0) * 1e-12;
  return Float64Array.from(ev, (v) => (v > floor ? Math.sqrt(v) : 0));
}

/** X − mean in float64, checked finite (X far beyond the model's scale can overflow). */
function centredInput(model: PcaModel, x: Matrix, name: string): Matrix<Float64Array> {
  const xc = centered(x, asFloat64(model.mean));
  finiteResults(xc.data, name, 'X − mean');
  return xc;
}

/** (X − mean) · componentsᵀ in float64, unwhitened. */
function project(model: PcaModel, x: Matrix, name: string): Matrix<Float64Array> {
  return product64(centredInput(model, x, name), model.components, false, true);
}

/**
 * Coordinates of X in the principal axes: (X − mean) · componentsᵀ, divided by √variance
 * per component when the model whitens.
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 * @returns (nSamples, nComponents), float32 for a float32 model; for one sample, its row
 *   of coordinates (nComponents)
 *
 * @example
 * ```ts
 * const model = pca.fit([[2, 0], [0, 0], [-2, 0], [0, 1], [0, -1]], { nComponents: 1 });
 * Array.from(pca.transform(model, [[4, 3]]).data); // [4]
 * pca.transform(model, [4, 3]); // Float64Array [4]
 * ```
 */
export function transform(model: PcaModel, X: FlatArray): FloatArray;
export function transform(model: PcaModel, X: RowsInput): Matrix;
export function transform(model: PcaModel, X: RowsInput | FlatArray): Matrix | FloatArray;
export function transform(model: PcaModel, X: RowsInput | FlatArray): Matrix | FloatArray {
  checkModel(model);
  const { matrix: x, single } = asRows(X, 'X');
  checkWidth(x, model.nFeatures, 'X', 'the nFeatures the model was fitted on');
  const Z = project(model, x, 'X');
  if (model.whiten) {
    const scales = whitenScales(model);
    const k = Z.cols;
    for (let p = 0; p < Z.data.length; p++) {
      const s = scales[p % k]!;
      Z.data[p] = s > 0 ? Z.data[p]! / s : 0;
    }
  }
  const out = inModelDtype(model, Z, 'X');
  return single ? singleRow(out) : out;
}

/**
 * Maps coordinates back to the data space: Z · components + mean (after undoing the
 * whitening). With every component kept, it inverts {@link transform}.
 *
 * @param Z - (nSamples, nComponents); or one sample's coordinates as a `number[]` or 1-D
 *   typed array
 * @returns (nSamples, nFeatures); for one sample, its row (nFeatures)
 *
 * @example
 * ```ts
 * const model = pca.fit([[1, 2], [3, 4], [5, 7]]);
 * pca.inverseTransform(model, pca.transform(model, [[1, 2]])).data; // ≈ [1, 2]
 * pca.inverseTransform(model, pca.transform(model, [1, 2])); // ≈ Float64Array [1, 2]
 * ```
 */
export function inverseTransform(model: PcaModel, Z: FlatArray): FloatArray;
export function inverseTransform(model: PcaModel, Z: RowsInput): Matrix;
export function inverseTransform(model: PcaModel, Z: RowsInput | FlatArray): Matrix | FloatArray;
export function inverseTransform(model: PcaModel, Z: RowsInput | FlatArray): Matrix | FloatArray {
  checkModel(model);
  const { matrix: z, single } = asRows(Z, 'Z', { dtype: 'float64' });
  checkWidth(z, model.components.rows, 'Z', 'the nComponents of the model');
  let coords = z;
  if (model.whiten) {
    const scales = whitenScales(model);
    const data = Float64Array.from(z.data, (v, p) => v * scales[p % z.cols]!);
    coords = { rows: z.rows, cols: z.cols, data };
  }
  const X = product64(coords, model.components, false, false);
  addRowVector(X, asFloat64(model.mean));
  const out = inModelDtype(model, X, 'Z');
  return single ? singleRow(out) : out;
}

function addRowVector(X: Matrix<Float64Array>, v: Float64Array): void {
  for (let i = 0; i < X.rows; i++) {
    const row = i * X.cols;
    for (let j = 0; j < X.cols; j++) X.data[row + j] = X.data[row + j]! + v[j]!;
  }
}

/** Result of {@link fitTransform}. */
export interface PcaFitTransformResult {
  model: PcaModel;
  /** The training data in principal coordinates, (nSamples, nComponents). */
  embedding: Matrix;
}

/**
 * {@link fit} then {@link transform} on the same data.
 *
 * @example
 * ```ts
 * const { model, embedding } = pca.fitTransform([[1, 2], [3, 4], [5, 7]], { nComponents: 1 });
 * embedding.rows; // 3
 * ```
 */
export function fitTransform(X: MatrixInput, options?: PcaOptions): PcaFitTransformResult {
  const x = asMatrix(X, 'X');
  const model = fit(x, options);
  return { model, embedding: transform(model, x) };
}

/**
 * Rebuilds one sample from its first k components, for each k in `ks`: the mean plus the
 * first k terms of its expansion in the principal axes. Row j of the result is the
 * reconstruction with `ks[j]` components (0 gives the mean), so a picture sharpens down
 * the rows.
 *
 * @param x - one sample, length nFeatures
 * @param ks - component counts in [0, nComponents]
 * @returns (ks.length, nFeatures)
 *
 * @example
 * ```ts
 * const model = pca.fit([[2, 0], [0, 0], [-2, 0], [0, 1], [0, -1]]);
 * pca.reconstruct(model, [4, 3], [0, 1, 2]).data; // [0, 0, 4, 0, 4, 3]
 * ```
 */
export function reconstruct(model: PcaModel, x: ArrayLike<number>, ks: readonly number[]): Matrix {
  checkModel(model);
  const sample = asVector(x, 'x');
  const d = model.nFeatures, kMax = model.components.rows;
  if (sample.length !== d) fail('SHAPE_MISMATCH', `x: received ${sample.length} values, expected ${d} (nFeatures)`);
  if (!Array.isArray(ks) || ks.length === 0) fail('INVALID_OPTION', 'ks: expected a non-empty array of component counts');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 0 || k > kMax) fail('INVALID_OPTION', `ks: received ${k}, expected integers in [0, ${kMax}]`);
  }
  const z = project(model, { rows: 1, cols: d, data: sample }, 'x').data;
  const W = model.components.data, mean = model.mean;
  const out = new Float64Array(ks.length * d);
  ks.forEach((k, r) => {
    const row = out.subarray(r * d, (r + 1) * d);
    for (let j = 0; j < d; j++) row[j] = mean[j]!;
    for (let c = 0; c < k; c++) {
      const zc = z[c]!;
      for (let j = 0; j < d; j++) row[j] = row[j]! + zc * W[c * d + j]!;
    }
  });
  return inModelDtype(model, { rows: ks.length, cols: d, data: out }, 'x');
}

/**
 * Log-likelihood of each sample under the probabilistic PCA model (Tipping & Bishop
 * 1999): a Gaussian with covariance componentsᵀ·diag(max(variance − σ², 0))·components +
 * σ²·I, σ² the model's noiseVariance. Computed through the components alone, without
 * forming the (nFeatures × nFeatures) covariance.
 *
 * @param X - (nSamples, nFeatures); or one sample as a `number[]` or 1-D typed array
 * @returns length nSamples; for one sample, its log-likelihood
 * @throws {@link core!LatentSpaceError} `UNSUPPORTED` when the noise variance is 0 with fewer
 *   components than features (the density is then degenerate)
 * @see Tipping & Bishop (1999), Probabilistic principal component analysis
 *
 * @example
 * ```ts
 * const model = pca.fit([[1, 2], [3, 4], [5, 7], [2, 2]], { nComponents: 1 });
 * pca.scoreSamples(model, [[3, 4]]).length; // 1
 * typeof pca.scoreSamples(model, [3, 4]); // 'number'
 * ```
 */
export function scoreSamples(model: PcaModel, X: FlatArray): number;
export function scoreSamples(model: PcaModel, X: RowsInput): Float64Array;
export function scoreSamples(model: PcaModel, X: RowsInput | FlatArray): Float64Array | number;
export function scoreSamples(model: PcaModel, X: RowsInput | FlatArray): Float64Array | number {
  checkModel(model);
  const { matrix: x, single } = asRows(X, 'X');
  checkWidth(x, model.nFeatures, 'X', 'the nFeatures the model was fitted on');
  const d = model.nFeatures, k = model.components.rows, sigma2 = model.noiseVariance;
  if (k < d && !(sigma2 > 0)) {
    fail('UNSUPPORTED', `model: the noise variance is 0 with ${k} of ${d} dimensions kept, so the likelihood is degenerate; fit with fewer components than min(nSamples, nFeatures)`);
  }
  // Along each component the variance is max(variance, σ²); elsewhere it is σ².
  const along = Float64Array.from(model.explainedVariance, (v) => Math.max(v, sigma2));
  if (!along.every((v) => v > 0)) {
    fail('UNSUPPORTED', 'model: a kept component has zero variance (and the noise variance is 0), so the likelihood is degenerate; fit with fewer components');
  }
  let logDet = (d - k) * (d > k ? Math.log(sigma2) : 0);
  for (const v of along) logDet += Math.log(v);
  const xc = centredInput(model, x, 'X');
  const Z = finiteResults(product64(xc, model.components, false, true).data, 'X', 'a coordinate of X − mean');
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let norm2 = 0, projected = 0, mahalanobis = 0;
    for (let j = i * d; j < (i + 1) * d; j++) norm2 += xc.data[j]! * xc.data[j]!;
    for (let c = 0; c < k; c++) {
      const z = Z[i * k + c]!;
      projected += z * z;
      mahalanobis += (z * z) / along[c]!;
    }
    if (d > k) mahalanobis += Math.max(0, norm2 - projected) / sigma2;
    out[i] = -0.5 * (mahalanobis + d * LOG_2PI + logDet);
  }
  finiteResults(out, 'X', 'a log-likelihood');
  return single ? out[0]! : out;
}

/**
 * Average log-likelihood of the samples under the probabilistic PCA model (see
 * {@link scoreSamples}); higher is better, comparable across nComponents. One sample may
 * be given as a `number[]` or 1-D typed array.
 *
 * @example
 * ```ts
 * const model = pca.fit([[1, 2], [3, 4], [5, 7], [2, 2]], { nComponents: 1 });
 * Number.isFinite(pca.score(model, [[3, 4], [1, 1]])); // true
 * ```
 */
export function score(model: PcaModel, X: RowsInput | FlatArray): number {
  const s = scoreSamples(model, X);
  if (typeof s === 'number') return s;
  let total = 0;
  for (const v of s) total += v;
  return total / s.length;
}
