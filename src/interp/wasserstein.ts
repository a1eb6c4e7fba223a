import { describe, fail, finiteResult, finiteResults } from '../core/errors.js';
import { ldexp, scaleInPlace } from '../core/math.js';
import type { Matrix } from '../core/matrix.js';
import { sqDistanceAt } from '../linalg/rows.js';
import { checkInt, checkNumber, checkOptions, MAX_ITERATIONS, optionNames } from '../core/options.js';
import {
  checkBatchFinite, checkT, checkVariances, fullCov, fullGaussian, identical, mix, output, resolveBatch, resolveGaussian, sameDimension, scaleGaussians,
  unscaleGaussian, vectorOf,
  type DiagonalBatchInput, type DiagonalGaussianInput, type Gaussian, type GaussianInput, type Resolved,
} from './gaussian.js';
import {
  checkSemidefinite, choleskyOrNull, clampedSqrt, congruence, eigen, eigenvalues, factor, gramRows, mul, pinvTransposeTimes, RANK_TOL,
  spectralFunction, symmetrize, type Factor,
} from './matfun.js';

// The Wasserstein-2 (Bures-Wasserstein) geometry of Gaussians: distance, optimal map,
// McCann's displacement interpolation, barycenter.

/**
 * Σⱼ (μ0ⱼ − μ1ⱼ)² + (σ0ⱼ − σ1ⱼ)² over d entries of two diagonal Gaussians stored at
 * offsets o0 and o1 (the squared W2 distance; the difference of square roots, not
 * v0 + v1 − 2√(v0·v1), so that near-equal variances lose no digits).
 */
function w2DiagonalSq(d: number, m0: Float64Array, v0: Float64Array, o0: number, m1: Float64Array, v1: Float64Array, o1: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const dm = m0[o0 + j]! - m1[o1 + j]!;
    const ds = Math.sqrt(v0[o0 + j]!) - Math.sqrt(v1[o1 + j]!);
    s += dm * dm + ds * ds;
  }
  return s;
}

function trace(d: number, S: Float64Array): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += S[i * d + i]!;
  return s;
}

/**
 * The Wasserstein-2 distance between two Gaussians,
 * W₂² = ‖μ0 − μ1‖² + tr(Σ0 + Σ1 − 2(Σ0^½ Σ1 Σ0^½)^½).
 *
 * Two diagonal Gaussians cost O(d): W₂² = ‖μ0 − μ1‖² + ‖σ0 − σ1‖². Otherwise Σ0 = F·Fᵀ
 * is factored (Cholesky when Σ0 is positive definite, `eigh` with eigenvalues clamped at
 * 0 when it is only semi-definite) and the trace of the square root is Σ √λᵢ over the
 * eigenvalues of Fᵀ·Σ1·F, which has the spectrum of Σ0^½ Σ1 Σ0^½: one factorisation and
 * one eigenvalues-only decomposition. Accuracy: the trace term cancels when Σ0 ≈ Σ1, so
 * the distance carries an absolute error of about ε·tr(Σ)/W₂ (identical inputs give 0
 * exactly).
 *
 * @param g0 - `{ mean, cov }` or `{ mean, variance }`, dimension d
 * @param g1 - the same dimension d
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` (dimensions), `INVALID_INPUT`
 *   (a covariance that is not symmetric positive semi-definite, a negative variance)
 *
 * @see Dowson & Landau (1982), "The Fréchet distance between multivariate normal
 *   distributions", J. Multivariate Anal. 12(3)
 *
 * @example
 * ```ts
 * w2Distance({ mean: [0, 0], variance: [1, 1] }, { mean: [3, 4], variance: [4, 4] }); // √(25 + 2) = 5.196…
 * ```
 */
export function w2Distance(g0: GaussianInput, g1: GaussianInput): number {
  const a0 = resolveGaussian(g0, 'g0'), b0 = resolveGaussian(g1, 'g1');
  sameDimension(a0, b0);
  if (identical(a0, b0)) return 0;
  const { gs: [a, b], k } = scaleGaussians([a0, b0]);
  return finiteResult(ldexp(scaledW2Distance(a!, b!), -k), 'g0, g1', 'their Wasserstein distance');
}

function scaledW2Distance(a: Resolved, b: Resolved): number {
  const d = a.d;
  if (a.variance && b.variance) return Math.sqrt(w2DiagonalSq(d, a.mean, a.variance, 0, b.mean, b.variance, 0));
  const S0 = fullCov(a), S1 = fullCov(b);
  const f = factor(d, S0, 'g0.cov');
  const lambda = eigenvalues(d, congruence(d, f.F, S1));
  if (f.kind === 'chol') checkSemidefinite(lambda, 'g1.cov'); // congruent to Σ1: same inertia
  let cross = 0;
  for (const l of lambda) cross += clampedSqrt(l);
  const sq = sqDistanceAt(a.mean, 0, b.mean, 0, a.mean.length) + trace(d, S0) + trace(d, S1) - 2 * cross;
  return Math.sqrt(Math.max(0, sq));
}

/**
 * Wasserstein-2 distances between many pairs of diagonal Gaussians at once, O(n·d) with
 * no allocation but the result: row i of `batch0` against row i of `batch1`, or every
 * row against one Gaussian when `batch1` has one row or is given as vectors (a VAE
 * batch's codes against a reference).
 *
 * @param batch0 - `{ mean, variance }`, both (n × d), one Gaussian per row
 * @param batch1 - `{ mean, variance }`, (n × d) or (1 × d), or vectors of length d
 * @returns the n distances
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_INPUT` (a negative variance)
 *
 * @example
 * ```ts
 * const d = w2DistanceDiagonalBatch(
 *   { mean: [[0, 0], [3, 4]], variance: [[1, 1], [1, 1]] },
 *   { mean: [0, 0], variance: [1, 1] });
 * Array.from(d); // [0, 5]
 * ```
 */
export function w2DistanceDiagonalBatch(batch0: DiagonalBatchInput, batch1: DiagonalBatchInput | DiagonalGaussianInput): Float64Array {
  return batchDistances(batch0, batch1, false, w2DiagonalBatchSq, w2FarRow);
}

/**
 * Squared distances of n diagonal Gaussians (rows of m0, v0, dimension d) to the rows of
 * (m1, v1) (step1 = d) or to their single row (step1 = 0), into out: the shape of
 * linalg's fisherRaoDiagonalSq kernel.
 */
type DiagonalBatchKernel = (n: number, d: number, m0: Float64Array, v0: Float64Array, m1: Float64Array, v1: Float64Array, step1: number, out: Float64Array) => void;

/** {@link w2DiagonalSq} row by row, as a {@link DiagonalBatchKernel}. */
const w2DiagonalBatchSq: DiagonalBatchKernel = (n, d, m0, v0, m1, v1, step1, out) => {
  for (let i = 0; i < n; i++) out[i] = w2DiagonalSq(d, m0, v0, i * d, m1, v1, i * step1);
};

/**
 * The batch distances: the square roots of what the kernel gives for row i of batch0
 * against row i of batch1 (or its only
 * row). Entries are checked after the fact: a non-finite one, or a negative variance (or,
 * for `positive`, a zero), makes its distance non-finite, and only then is the culprit
 * looked for, which saves four passes over the data.
 *
 * @example
 * ```ts
 * // w2DistanceDiagonalBatch(b0, b1) is batchDistances(b0, b1, false, w2DiagonalBatchSq)
 * Array.from(w2DistanceDiagonalBatch({ mean: [[3, 4]], variance: [[1, 1]] }, { mean: [0, 0], variance: [1, 1] })); // [5]
 * ```
 */
export function batchDistances(
  batch0: DiagonalBatchInput, batch1: DiagonalBatchInput | DiagonalGaussianInput, positive: boolean, kernel: DiagonalBatchKernel, far: FarRowDistance,
): Float64Array {
  const p = resolveBatch(batch0, 'batch0'), q = resolveBatch(batch1, 'batch1');
  if (q.d !== p.d) fail('SHAPE_MISMATCH', `batch1: received Gaussians of dimension ${q.d}, expected ${p.d} (the dimension of batch0)`);
  if (q.n !== 1 && q.n !== p.n) fail('SHAPE_MISMATCH', `batch1: received ${q.n} rows, expected ${p.n} (one per row of batch0) or 1 (one Gaussian for all)`);
  const out = new Float64Array(p.n);
  kernel(p.n, p.d, p.mean, p.variance, q.mean, q.variance, q.n === 1 ? 0 : q.d, out);
  let ok = true;
  for (let i = 0; i < p.n; i++) {
    const v = Math.sqrt(out[i]!);
    out[i] = v;
    ok = ok && v < Infinity;
  }
  if (!ok) {
    checkBatchFinite(p, 'batch0');
    checkBatchFinite(q, 'batch1');
    checkVariances(p.variance, 'batch0.variance', positive);
    checkVariances(q.variance, 'batch1.variance', positive);
    // Valid Gaussians whose squared distance overflowed (or whose z did): measured again
    // row by row without squaring large numbers.
    const step = q.n === 1 ? 0 : q.d;
    for (let i = 0; i < p.n; i++) if (!(out[i]! < Infinity)) out[i] = far(p.d, p.mean, p.variance, i * p.d, q.mean, q.variance, i * step);
    finiteResults(out, 'batch0, batch1', 'a distance');
  }
  return out;
}

/**
 * The distance between row o0 of (m0, v0) and row o1 of (m1, v1) for rows so far apart
 * that the batch kernel's squares overflowed: the fallback of {@link batchDistances}.
 */
export type FarRowDistance = (d: number, m0: Float64Array, v0: Float64Array, o0: number, m1: Float64Array, v1: Float64Array, o1: number) => number;

/**
 * √{@link w2DiagonalSq} scaled by the row's largest difference s (as BLAS dnrm2), so that
 * no square overflows: s·√Σ((Δμ/s)² + (Δσ/s)²).
 */
const w2FarRow: FarRowDistance = (d, m0, v0, o0, m1, v1, o1) => {
  let s = 0;
  for (let j = 0; j < d; j++) {
    s = Math.max(s, Math.abs(m0[o0 + j]! / 2 - m1[o1 + j]! / 2) * 2, Math.abs(Math.sqrt(v0[o0 + j]!) - Math.sqrt(v1[o1 + j]!)));
  }
  if (!(s > 0 && s < Infinity)) return s;
  let t = 0;
  for (let j = 0; j < d; j++) {
    const dm = (m0[o0 + j]! / s) - (m1[o1 + j]! / s), ds = (Math.sqrt(v0[o0 + j]!) - Math.sqrt(v1[o1 + j]!)) / s;
    t += dm * dm + ds * ds;
  }
  return s * Math.sqrt(t);
};

/** Result of {@link w2Map}: the optimal transport map x ↦ A·x + b. */
export interface W2Map {
  /** Symmetric positive semi-definite, (d × d). */
  A: Matrix<Float64Array>;
  /** Offset, (d): μ1 − A·μ0. */
  b: Float64Array;
}

/**
 * The optimal (Wasserstein-2) transport map between two Gaussians, x ↦ A·x + b with
 * A = Σ0^-½ (Σ0^½ Σ1 Σ0^½)^½ Σ0^-½ (the unique symmetric positive definite solution of
 * A·Σ0·A = Σ1) and b = μ1 − A·μ0: if x ~ g0 then A·x + b ~ g1.
 *
 * Computed as L⁻ᵀ (Lᵀ Σ1 L)^½ L⁻¹ with the Cholesky factor Σ0 = L·Lᵀ (same matrix, one
 * `eigh`); for diagonal Gaussians A = diag(σ1/σ0). **Singular Σ0**: g0 lives on an affine
 * subspace, and no linear map can spread it over more dimensions. Σ0^-½ is then the
 * pseudo-inverse (from `eigh`, eigenvalues below 1e-12 of the largest taken as 0), A is 0
 * on the null space of Σ0, and A·Σ0·A = P·Σ1·P with P the projector on the range of Σ0:
 * the map reaches g1 only when Σ1 lives on that range too.
 *
 * @param g0 - source, dimension d
 * @param g1 - target, dimension d
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_INPUT`
 *
 * @see Knott & Smith (1984), "On the optimal mapping of distributions", J. Optim. Theory Appl. 43
 *
 * @example
 * ```ts
 * const { A, b } = w2Map({ mean: [0, 0], variance: [1, 4] }, { mean: [1, 1], variance: [4, 1] });
 * Array.from(A.data); // [2, 0, 0, 0.5]
 * Array.from(b);      // [1, 1]
 * ```
 */
export function w2Map(g0: GaussianInput, g1: GaussianInput): W2Map {
  const a = resolveGaussian(g0, 'g0'), b = resolveGaussian(g1, 'g1');
  sameDimension(a, b);
  // A(4^k0·Σ0, 4^k1·Σ1) = 2^(k1 − k0)·A(Σ0, Σ1): each covariance is scaled on its own, so
  // that neither flushes the other (A may be 1e-300 or 1e155 and still finite).
  const { gs: [as], k: k0 } = scaleGaussians([a], false), { gs: [bs], k: k1 } = scaleGaussians([b], false);
  const A = mapMatrix(as!, bs!);
  scaleInPlace(A, k0 - k1);
  finiteResults(A, 'g0, g1', 'the map A = Σ0^-½(Σ0^½Σ1Σ0^½)^½Σ0^-½');
  const d = a.d;
  const off = Float64Array.from(b.mean);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[i * d + j]! * a.mean[j]!;
    off[i] = off[i]! - s;
  }
  return { A: { rows: d, cols: d, data: A }, b: finiteResults(off, 'g0, g1', 'the offset b = μ1 − A·μ0') };
}

function mapMatrix(a: Resolved, b: Resolved): Float64Array {
  const d = a.d;
  if (a.variance && b.variance) {
    const A = new Float64Array(d * d);
    // σ1/σ0, not √(v1/v0): the ratio of variances overflows long before that of deviations.
    for (let i = 0; i < d; i++) A[i * d + i] = a.variance[i]! > 0 ? Math.sqrt(b.variance[i]!) / Math.sqrt(a.variance[i]!) : 0;
    return A;
  }
  return fullMap(d, factor(d, fullCov(a), 'g0.cov'), fullCov(b), 'g1.cov');
}

/**
 * A = F⁺ᵀ (Fᵀ·T·F)^½ F⁺ for the factor F·Fᵀ of the source covariance and the target T,
 * as W·Wᵀ with W = F⁺ᵀ·U·diag(μ^¼) from the eigenpairs (μ, U) of Fᵀ·T·F: exactly
 * symmetric and semi-definite, one `eigh`.
 */
function fullMap(d: number, f: Factor, T: Float64Array, name: string): Float64Array {
  const { values, vectors: U } = eigen(d, congruence(d, f.F, T));
  if (f.kind === 'chol') checkSemidefinite(values, name);
  const UD = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const q = Math.sqrt(clampedSqrt(values[k]!));
    for (let i = 0; i < d; i++) UD[i * d + k] = U[i * d + k]! * q;
  }
  return gramRows(d, pinvTransposeTimes(d, f, UD));
}

/**
 * The Gaussian at t on the Wasserstein-2 geodesic (McCann's displacement interpolation)
 * from g0 (t = 0) to g1 (t = 1): mean (1 − t)μ0 + tμ1, covariance
 * ((1 − t)I + tA) Σ0 ((1 − t)I + tA) with A from {@link w2Map}. The path has constant
 * speed, W₂(g0, g_t) = t·W₂(g0, g1). Diagonal inputs give a diagonal result, with
 * σ_t = (1 − t)σ0 + tσ1. When Σ0 is singular and Σ1 is not, the path is computed from
 * g1's end (the same geodesic), so it still ends at g1. t outside [0, 1] extrapolates.
 *
 * @param g0 - start, dimension d
 * @param g1 - end, dimension d
 * @param t - position along the path
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_INPUT`, `INVALID_OPTION` (t)
 *
 * @see McCann (1997), "A convexity principle for interacting gases", Adv. Math. 128
 *
 * @example
 * ```ts
 * const g = w2Geodesic({ mean: [0], variance: [1] }, { mean: [2], variance: [9] }, 0.5);
 * [g.mean[0], (g as DiagonalGaussian).variance[0]]; // [1, 4]: σ goes 1 → 2 → 3
 * ```
 */
export function w2Geodesic(g0: GaussianInput, g1: GaussianInput, t: number): Gaussian {
  const tt = checkT(t);
  const a = resolveGaussian(g0, 'g0'), b = resolveGaussian(g1, 'g1');
  sameDimension(a, b);
  return w2Path(a, b)(tt);
}

/**
 * The geodesic from a to b as a function of t (the map is computed once).
 *
 * @example
 * ```ts
 * const at = w2Path(resolveGaussian({ mean: 0, variance: 1 }, 'g0'), resolveGaussian({ mean: 2, variance: 9 }, 'g1'));
 * at(0.5).mean[0]; // 1
 * ```
 */
export function w2Path(a0: Resolved, b0: Resolved): (t: number) => Gaussian {
  const { gs: [a, b], k } = scaleGaussians([a0, b0]);
  const at = scaledW2Path(a!, b!);
  if (k === 0) return at;
  // The exact ends come from the inputs themselves (scaling may flush their tiny entries).
  return (t) => ends(a0, b0, t, !(a0.variance && b0.variance)) ?? unscaleGaussian(at(t), k);
}

function scaledW2Path(a: Resolved, b: Resolved): (t: number) => Gaussian {
  const d = a.d;
  const full = !(a.variance && b.variance);
  if (!full) {
    const s0 = a.variance!.map(Math.sqrt), s1 = b.variance!.map(Math.sqrt);
    return (t) => ends(a, b, t, full) ?? {
      mean: mix(a.mean, b.mean, t),
      variance: mix(s0, s1, t).map((s) => s * s),
    };
  }
  const S0 = fullCov(a), S1 = fullCov(b);
  const f0 = factor(d, S0, 'g0.cov');
  // A singular source cannot be mapped onto a regular target: walk back from the target.
  const L1 = f0.kind === 'eig' && f0.rank < d ? choleskyOrNull(d, S1) : null;
  const reverse = L1 !== null;
  const A = reverse ? fullMap(d, { kind: 'chol', F: L1 }, S0, 'g0.cov') : fullMap(d, f0, S1, 'g1.cov');
  const source = reverse ? S1 : S0;
  return (t) => {
    const e = ends(a, b, t, full);
    if (e) return e;
    const s = reverse ? 1 - t : t;
    const C = new Float64Array(d * d);
    for (let p = 0; p < d * d; p++) C[p] = s * A[p]!;
    for (let i = 0; i < d; i++) C[i * d + i] = C[i * d + i]! + (1 - s);
    return fullGaussian(mix(a.mean, b.mean, t), symmetrize(d, mul(d, C, mul(d, source, C))));
  };
}

/**
 * The exact end points (copies) at t = 0 and t = 1, undefined elsewhere.
 *
 * @example
 * ```ts
 * ends(resolveGaussian({ mean: 0, variance: 1 }, 'a'), resolveGaussian({ mean: 1, variance: 1 }, 'b'), 1, false)!.mean[0]; // 1
 * ```
 */
export function ends(a: Resolved, b: Resolved, t: number, full: boolean): Gaussian | undefined {
  if (t === 0) return output(a, full);
  if (t === 1) return output(b, full);
  return undefined;
}

/** Options of {@link w2Barycenter}. */
export interface W2BarycenterOptions {
  /**
   * Stop when the relative change ‖S_{k+1} − S_k‖_F / ‖S_k‖_F of the covariance falls
   * to this.
   * @defaultValue 1e-10
   */
  tol?: number;
  /**
   * Most fixed-point iterations.
   * @defaultValue 100
   */
  maxIter?: number;
}

/** Result of {@link w2Barycenter}. */
export interface W2BarycenterResult {
  /** The barycenter: diagonal when every input is diagonal. */
  barycenter: Gaussian;
  /** Fixed-point iterations done (0 for diagonal inputs, solved in closed form). */
  nIter: number;
  /** Whether the last relative change reached `tol`. */
  converged: boolean;
  /** The last relative change of the covariance (0 for diagonal inputs). */
  residual: number;
}

/** Every option name of {@link W2BarycenterOptions} (unknown ones are rejected). */
const W2_BARYCENTER_OPTION_NAMES = optionNames<W2BarycenterOptions>()('tol', 'maxIter');

/**
 * The Wasserstein-2 barycenter of Gaussians: the Gaussian minimising Σᵢ wᵢ W₂²(·, gᵢ).
 * Its mean is Σᵢ wᵢμᵢ; its covariance the fixed point of
 * S ← S^-½ (Σᵢ wᵢ (S^½ Σᵢ S^½)^½)² S^-½ (Álvarez-Esteban et al., 2016), started from
 * Σᵢ wᵢΣᵢ. Each iteration costs one `eigh` per Gaussian and one more. Diagonal inputs
 * commute, and their barycenter is closed-form: σ = Σᵢ wᵢσᵢ. Non-convergence within
 * `maxIter` is reported in the result, not thrown.
 *
 * @param gaussians - at least one, all of dimension d
 * @param weights - non-negative, not all 0 (normalised to sum 1); default uniform
 * @throws {@link core!LatentSpaceError} `EMPTY_INPUT`, `SHAPE_MISMATCH`, `INVALID_INPUT`, `INVALID_OPTION`
 *
 * @see Álvarez-Esteban, del Barrio, Cuesta-Albertos & Matrán (2016), "A fixed-point
 *   approach to barycenters in Wasserstein space", J. Math. Anal. Appl. 441(2)
 *
 * @example
 * ```ts
 * const r = w2Barycenter([{ mean: [0], variance: [1] }, { mean: [4], variance: [9] }]);
 * r.barycenter.mean[0]; // 2
 * ```
 */
export function w2Barycenter(gaussians: readonly GaussianInput[], weights?: ArrayLike<number>, options?: W2BarycenterOptions): W2BarycenterResult {
  const opts = checkOptions(options, W2_BARYCENTER_OPTION_NAMES);
  const tol = checkNumber(opts.tol ?? 1e-10, 'tol', 0);
  const maxIter = checkInt(opts.maxIter ?? 100, 'maxIter', 1, MAX_ITERATIONS);
  if (!Array.isArray(gaussians)) fail('INVALID_INPUT', `gaussians: received ${describe(gaussians)}, expected an array of Gaussians`);
  if (gaussians.length === 0) fail('EMPTY_INPUT', 'gaussians: received an empty array, expected at least one Gaussian');
  const given = gaussians.map((g, i) => resolveGaussian(g, `gaussians[${i}]`));
  given.forEach((g, i) => sameDimension(given[0]!, g, `gaussians[0] and gaussians[${i}]`));
  const w = normalisedWeights(weights, given.length);
  const { gs, k } = scaleGaussians(given);
  const r = scaledBarycenter(gs, w, tol, maxIter);
  unscaleGaussian(r.barycenter, k);
  return r;
}

function scaledBarycenter(gs: Resolved[], w: Float64Array, tol: number, maxIter: number): W2BarycenterResult {
  const d = gs[0]!.d;
  const mean = new Float64Array(d);
  gs.forEach((g, i) => { for (let j = 0; j < d; j++) mean[j] = mean[j]! + w[i]! * g.mean[j]!; });
  if (gs.every((g) => g.variance)) {
    const s = new Float64Array(d);
    gs.forEach((g, i) => { for (let j = 0; j < d; j++) s[j] = s[j]! + w[i]! * Math.sqrt(g.variance![j]!); });
    return { barycenter: { mean, variance: s.map((x) => x * x) }, nIter: 0, converged: true, residual: 0 };
  }
  const covs = gs.map((g, i) => {
    const S = fullCov(g);
    checkSemidefinite(eigenvalues(d, S), `gaussians[${i}].cov`);
    return S;
  });
  let S: Float64Array = new Float64Array(d * d);
  covs.forEach((C, i) => { for (let p = 0; p < d * d; p++) S[p] = S[p]! + w[i]! * C[p]!; });
  let nIter = 0, residual = Infinity;
  while (nIter < maxIter && !(residual <= tol)) {
    const next = barycenterStep(d, S, covs, w);
    let num = 0, den = 0;
    for (let p = 0; p < d * d; p++) {
      num += (next[p]! - S[p]!) ** 2;
      den += S[p]! ** 2;
    }
    residual = den > 0 ? Math.sqrt(num / den) : 0;
    S = next;
    nIter++;
  }
  return { barycenter: fullGaussian(mean, S), nIter, converged: residual <= tol, residual };
}

function barycenterStep(d: number, S: Float64Array, covs: Float64Array[], w: Float64Array): Float64Array {
  const { values, vectors } = eigen(d, S);
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const half = spectralFunction(d, values, vectors, clampedSqrt);
  const invHalf = spectralFunction(d, values, vectors, (l) => (l > RANK_TOL * max ? 1 / Math.sqrt(l) : 0));
  const T = new Float64Array(d * d);
  covs.forEach((C, i) => {
    const M = eigen(d, symmetrize(d, mul(d, half, mul(d, C, half))));
    const R = spectralFunction(d, M.values, M.vectors, clampedSqrt);
    for (let p = 0; p < d * d; p++) T[p] = T[p]! + w[i]! * R[p]!;
  });
  return symmetrize(d, mul(d, invHalf, mul(d, mul(d, T, T), invHalf)));
}

function normalisedWeights(weights: ArrayLike<number> | undefined, k: number): Float64Array {
  if (weights === undefined) return new Float64Array(k).fill(1 / k);
  const w = vectorOf(weights, 'weights');
  if (w.length !== k) fail('SHAPE_MISMATCH', `weights: received ${w.length} entries, expected ${k} (one per Gaussian)`);
  let sum = 0;
  for (let i = 0; i < k; i++) {
    if (w[i]! < 0) fail('INVALID_INPUT', `weights: entry ${i} is ${w[i]}, expected a non-negative weight`);
    sum += w[i]!;
  }
  if (!(sum > 0)) fail('INVALID_INPUT', 'weights: all entries are 0, expected at least one positive weight');
  return w.map((x) => x / sum);
}
