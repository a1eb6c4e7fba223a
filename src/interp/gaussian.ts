import { describe, fail } from '../core/errors.js';
import { maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix, asMatrixUnscanned, asVector, checkFinite, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkInt, MAX_ELEMENTS } from '../core/options.js';
import { checkSymmetric, symmetryTolerance } from '../linalg/square.js';

// Gaussians at the public boundary: the two accepted shapes, their validation, and the
// internal form every geometry works on.

/** A vector argument: a plain or typed array, or a single number for one dimension. */
export type VectorInput = ArrayLike<number> | number;

/**
 * A Gaussian N(μ, Σ) with a full covariance matrix: `mean` (d), `cov` (d × d), symmetric
 * positive semi-definite (any {@link MatrixInput}).
 */
export interface FullGaussianInput {
  readonly mean: VectorInput;
  readonly cov: MatrixInput;
}

/**
 * A Gaussian N(μ, diag σ²) with a diagonal covariance, as a VAE's encoder gives it:
 * `mean` (d) and `variance` (d), the diagonal σ² (not σ, not log σ²). Univariate normals
 * are the case d = 1 (numbers are accepted: `{ mean: 0, variance: 1 }`).
 */
export interface DiagonalGaussianInput {
  readonly mean: VectorInput;
  readonly variance: VectorInput;
}

/** Either kind of Gaussian an interp function accepts. */
export type GaussianInput = FullGaussianInput | DiagonalGaussianInput;

/** A Gaussian returned with a full covariance: `mean` (d), `cov` (d × d). */
export interface FullGaussian {
  readonly mean: Float64Array;
  readonly cov: Matrix<Float64Array>;
}

/** A Gaussian returned with a diagonal covariance: `mean` (d), `variance` (d) = diag Σ. */
export interface DiagonalGaussian {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** A Gaussian as interp functions return it: diagonal when every input was diagonal. */
export type Gaussian = FullGaussian | DiagonalGaussian;

/** Internal form: exactly one of `cov` (d × d, row-major) and `variance` (d) is set. */
export interface Resolved {
  readonly d: number;
  readonly mean: Float64Array;
  readonly cov: Float64Array | null;
  readonly variance: Float64Array | null;
}

/**
 * Coerces a vector argument (a number counts as a vector of one).
 *
 * @example
 * ```ts
 * vectorOf(2, 'mean'); // Float64Array [2]
 * ```
 */
export function vectorOf(input: VectorInput, name: string): Float64Array {
  if (typeof input === 'number') return asVector([input], name);
  return asVector(input, name);
}

/**
 * Validates a Gaussian argument: a `mean`, and exactly one of `cov` (square, matching,
 * symmetric) and `variance` (matching, ≥ 0, or > 0 when `positive`). Positive
 * semi-definiteness of `cov` is checked where a decomposition reveals it.
 *
 * @example
 * ```ts
 * resolveGaussian({ mean: [0, 1], variance: [1, 4] }, 'g0').d; // 2
 * ```
 */
export function resolveGaussian(g: GaussianInput, name: string, positive = false): Resolved {
  if (g === null || typeof g !== 'object') {
    return fail('INVALID_INPUT', `${name}: received ${describe(g)}, expected a Gaussian { mean, cov } or { mean, variance }`);
  }
  const hasCov = 'cov' in g && g.cov !== undefined;
  const hasVar = 'variance' in g && g.variance !== undefined;
  if (hasCov === hasVar) {
    fail('INVALID_INPUT', `${name}: received an object with ${hasCov ? 'both cov and variance' : 'neither cov nor variance'}, expected exactly one: { mean, cov } (full) or { mean, variance } (diagonal)`);
  }
  if (!('mean' in g) || g.mean === undefined) fail('INVALID_INPUT', `${name}: received an object without mean, expected { mean, ${hasCov ? 'cov' : 'variance'} }`);
  const mean = vectorOf(g.mean, `${name}.mean`);
  const d = mean.length;
  if (hasVar) {
    const variance = vectorOf((g as DiagonalGaussianInput).variance, `${name}.variance`);
    if (variance.length !== d) fail('SHAPE_MISMATCH', `${name}.variance: received ${variance.length} entries, expected ${d} (the length of ${name}.mean)`);
    checkVariances(variance, `${name}.variance`, positive);
    return { d, mean, cov: null, variance };
  }
  const m = asMatrix((g as FullGaussianInput).cov, `${name}.cov`);
  if (m.rows !== d || m.cols !== d) fail('SHAPE_MISMATCH', `${name}.cov: received a ${m.rows} × ${m.cols} matrix, expected ${d} × ${d} (the length of ${name}.mean)`);
  checkSymmetric(m, `${name}.cov`, symmetryTolerance(m), '');
  for (let i = 0; i < d; i++) {
    const v = m.data[i * d + i]!;
    if (v < 0 || (positive && v === 0)) fail('INVALID_INPUT', `${name}.cov: diagonal entry ${i} is ${v}, expected a positive ${positive ? '' : 'semi-'}definite matrix (every variance ${positive ? '> 0' : '≥ 0'})`);
  }
  return { d, mean, cov: Float64Array.from(m.data), variance: null };
}

/**
 * Throws unless every entry is ≥ 0 (> 0 when `positive`).
 *
 * @example
 * ```ts
 * checkVariances(new Float64Array([1, 0]), 'v', true); // throws INVALID_INPUT: "v: entry 1 is 0, …"
 * ```
 */
export function checkVariances(v: Float64Array, name: string, positive: boolean): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x < 0 || (positive && x === 0)) {
      fail('INVALID_INPUT', `${name}: entry ${i} is ${x}, expected a variance ${positive ? '> 0 (the Fisher-Rao geometry puts degenerate Gaussians infinitely far away)' : '≥ 0'}`);
    }
  }
}

/**
 * Throws SHAPE_MISMATCH unless both Gaussians have the same dimension.
 *
 * @example
 * ```ts
 * sameDimension(resolveGaussian({ mean: 0, variance: 1 }, 'g0'), resolveGaussian({ mean: [0, 0], variance: [1, 1] }, 'g1')); // throws SHAPE_MISMATCH
 * ```
 */
export function sameDimension(a: Resolved, b: Resolved, names = 'g0 and g1'): void {
  if (a.d !== b.d) fail('SHAPE_MISMATCH', `${names}: received Gaussians of dimensions ${a.d} and ${b.d}, expected the same dimension`);
}

/**
 * The covariance as a full (d × d) row-major array (a copy for diagonal ones).
 *
 * @example
 * ```ts
 * Array.from(fullCov(resolveGaussian({ mean: [0, 0], variance: [1, 4] }, 'g'))); // [1, 0, 0, 4]
 * ```
 */
export function fullCov(g: Resolved): Float64Array {
  if (g.cov) return g.cov;
  const d = g.d, out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = g.variance![i]!;
  return out;
}

/**
 * True when both hold the same numbers (and the same kind of covariance).
 *
 * @example
 * ```ts
 * identical(resolveGaussian({ mean: 0, variance: 1 }, 'a'), resolveGaussian({ mean: [0], variance: [1] }, 'b')); // true
 * ```
 */
export function identical(a: Resolved, b: Resolved): boolean {
  return equalArrays(a.mean, b.mean) &&
    (a.cov && b.cov ? equalArrays(a.cov, b.cov) : a.variance && b.variance ? equalArrays(a.variance, b.variance) : false);
}

/**
 * Entry-by-entry equality of two arrays of the same length.
 *
 * @example
 * ```ts
 * equalArrays(new Float64Array([1, 2]), new Float64Array([1, 2])); // true
 * ```
 */
export function equalArrays(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Builds the output Gaussian (fresh arrays).
 *
 * @example
 * ```ts
 * fullGaussian(new Float64Array([0]), new Float64Array([4])).cov.rows; // 1
 * ```
 */
export function fullGaussian(mean: Float64Array, cov: Float64Array): FullGaussian {
  const d = mean.length;
  return { mean, cov: { rows: d, cols: d, data: cov } };
}

/**
 * A copy of a resolved Gaussian as an output, full when `full`.
 *
 * @example
 * ```ts
 * output(resolveGaussian({ mean: 0, variance: 4 }, 'g'), true).cov.data; // Float64Array [4]
 * ```
 */
export function output(g: Resolved, full: boolean): Gaussian {
  const mean = Float64Array.from(g.mean);
  if (!full && g.variance) return { mean, variance: Float64Array.from(g.variance) };
  return fullGaussian(mean, Float64Array.from(fullCov(g)));
}

/**
 * (1 − t)·a + t·b into a new array.
 *
 * @example
 * ```ts
 * Array.from(mix(new Float64Array([0, 2]), new Float64Array([4, 6]), 0.25)); // [1, 3]
 * ```
 */
export function mix(a: Float64Array, b: Float64Array, t: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
  return out;
}

/** Most points a path or geodesic walk returns. */
export const MAX_STEPS = 100_000;

/**
 * Checks a `steps` option (default 10) for a walk whose every point holds `perPoint`
 * numbers: an integer in [2, {@link MAX_STEPS}] whose points fit in core's MAX_ELEMENTS
 * values (2·10⁶ steps took 1.8 GB and 10⁹ never returned).
 *
 * @example
 * ```ts
 * checkSteps(undefined, 3); // 10; checkSteps(1e9, 3) throws INVALID_OPTION
 * ```
 */
export function checkSteps(value: unknown, perPoint: number): number {
  const limit = Math.max(2, Math.min(MAX_STEPS, Math.floor(MAX_ELEMENTS / perPoint)));
  return checkInt(value ?? 10, 'steps', 2, limit);
}

/**
 * Checks the interpolation parameter t (any finite number; [0, 1] spans g0 → g1).
 *
 * @example
 * ```ts
 * checkT(0.5); // 0.5 (NaN or ±∞ throw INVALID_OPTION)
 * ```
 */
export function checkT(t: unknown): number {
  if (typeof t !== 'number' || !Number.isFinite(t)) fail('INVALID_OPTION', `t: received ${describe(t)}, expected a finite number (0 gives the start, 1 the end)`);
  return t;
}

/** A batch of diagonal Gaussians: `mean` and `variance` both (n × d), one Gaussian per row. */
export interface DiagonalBatchInput {
  readonly mean: MatrixInput;
  readonly variance: MatrixInput;
}

/** Internal form of a batch: (n × d) row-major means and variances. */
export interface ResolvedBatch {
  readonly n: number;
  readonly d: number;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/**
 * Coerces a batch; a single Gaussian (vectors) becomes a batch of one row, which the
 * batch functions broadcast against the other argument. Its entries are not yet checked
 * for finiteness (that scan was an eighth of a 10⁵ × 32 batch): a non-finite entry makes
 * its row's distance non-finite, and the batch functions call {@link checkBatchFinite}
 * only then.
 *
 * @example
 * ```ts
 * resolveBatch({ mean: [0, 0], variance: [1, 1] }, 'batch1').n; // 1: vectors are one Gaussian
 * ```
 */
export function resolveBatch(b: DiagonalBatchInput | DiagonalGaussianInput, name: string): ResolvedBatch {
  if (b === null || typeof b !== 'object' || !('mean' in b) || !('variance' in b)) {
    return fail('INVALID_INPUT', `${name}: received ${describe(b)}, expected { mean, variance } (matrices with one Gaussian per row, or vectors for a single Gaussian)`);
  }
  const mean = batchMatrix(b.mean, `${name}.mean`);
  const variance = batchMatrix(b.variance, `${name}.variance`);
  if (mean.rows !== variance.rows || mean.cols !== variance.cols) {
    fail('SHAPE_MISMATCH', `${name}: mean is ${mean.rows} × ${mean.cols} but variance is ${variance.rows} × ${variance.cols}, expected the same shape`);
  }
  return { n: mean.rows, d: mean.cols, mean: mean.data as Float64Array, variance: variance.data as Float64Array };
}

/**
 * Throws `NON_FINITE`, naming the entry, when a batch from {@link resolveBatch} holds a
 * non-finite mean or variance (the check `asMatrix` would have made).
 *
 * @example
 * ```ts
 * checkBatchFinite(resolveBatch({ mean: [0, NaN], variance: [1, 1] }, 'b'), 'b'); // throws: b.mean: entry (0, 1) is NaN, …
 * ```
 */
export function checkBatchFinite(b: ResolvedBatch, name: string): void {
  checkFinite({ rows: b.n, cols: b.d, data: b.mean }, `${name}.mean`);
  checkFinite({ rows: b.n, cols: b.d, data: b.variance }, `${name}.variance`);
}

function batchMatrix(x: MatrixInput | VectorInput, name: string): Matrix {
  if (typeof x === 'number') return asMatrixUnscanned([x], name, { rows: 1, cols: 1, dtype: 'float64' });
  if (x === null || typeof x !== 'object') return asMatrix(x, name); // throws INVALID_INPUT, naming it
  const flat = ArrayBuffer.isView(x) || (Array.isArray(x) && typeof x[0] === 'number');
  const len = (x as ArrayLike<number>).length;
  return asMatrixUnscanned(x as MatrixInput, name, flat ? { rows: 1, cols: len, dtype: 'float64' } : { dtype: 'float64' });
}

/**
 * The Wasserstein geometry is equivariant under x ↦ 2^k·x: means scale by 2^k, covariances
 * by 4^k (exactly, square roots included), distances by 2^k, and transport maps not at
 * all. Gaussians whose largest mean or standard deviation lies outside the safe range of
 * {@link safeScaleExponent} (where products of three covariances would overflow, or
 * subnormal ones lose every digit) are brought to about 1 first; k is 0, and the inputs
 * are returned as they are, otherwise. With `byMeans` false, k is chosen from the
 * covariances alone (for results that do not involve the means).
 *
 * @example
 * ```ts
 * const { gs, k } = scaleGaussians([resolveGaussian({ mean: 0, variance: 1e-310 }, 'g')]);
 * [k, gs[0].variance[0]]; // [515, 1.15…]: σ ≈ 1e-155 brought to about 1
 * ```
 */
export function scaleGaussians(gs: readonly Resolved[], byMeans = true): { gs: Resolved[]; k: number } {
  let amax = 0;
  for (const g of gs) amax = Math.max(amax, byMeans ? maxAbs(g.mean) : 0, Math.sqrt(maxAbs(g.cov ?? g.variance!)));
  const k = safeScaleExponent(amax, 'float64');
  if (k === 0) return { gs: [...gs], k };
  return {
    k,
    gs: gs.map((g) => ({
      d: g.d,
      mean: scaledBy(g.mean, k),
      cov: g.cov && scaledBy(g.cov, 2 * k),
      variance: g.variance && scaledBy(g.variance, 2 * k),
    })),
  };
}

/**
 * Undoes {@link scaleGaussians} on a result (in place): means × 2^−k, covariances × 4^−k.
 *
 * @example
 * ```ts
 * unscaleGaussian({ mean: new Float64Array([2]), variance: new Float64Array([4]) }, 1).variance; // Float64Array [1]
 * ```
 */
export function unscaleGaussian<G extends Gaussian>(g: G, k: number): G {
  scaleInPlace(g.mean, -k);
  scaleInPlace('cov' in g ? g.cov.data : g.variance, -2 * k);
  return g;
}
