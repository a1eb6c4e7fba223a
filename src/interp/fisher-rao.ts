import { fail } from '../core/errors.js';
import {
  checkT, equalArrays, fullCov, fullGaussian, identical, resolveGaussian, sameDimension,
  type DiagonalBatchInput, type DiagonalGaussianInput, type Gaussian, type GaussianInput, type Resolved,
} from './gaussian.js';
import { choleskyOrNull, eigen, eigenvalues, mul, solveLowerInPlace, spectralFunction, symmetrize, transposeInPlace } from './matfun.js';
import { batchDistances, ends } from './wasserstein.js';
import { fisherRaoRowSq } from '../linalg/kernels/fisher-rao.js';
import { fisherRaoDiagonalSqKernel } from '../linalg/kernels/dispatch.js';

// The Fisher-Rao geometry of Gaussians. A univariate normal N(μ, σ²) is the point
// (μ/√2, σ) of the Poincaré half-plane with its metric scaled by 2: ds² = (dμ² + 2dσ²)/σ².
// Diagonal Gaussians form the product of d such planes. Full covariances with one mean
// form the symmetric positive definite cone with the affine-invariant metric
// ds² = ½ tr((Σ⁻¹dΣ)²).

/**
 * Hyperbolic (half-plane, unscaled) distance between (x0, y0) and (x1, y1) from the
 * squared Euclidean gap q = (x1 − x0)² + (y1 − y0)²: arccosh(1 + z) with z = q/(2·y0·y1),
 * as log1p(u), u = z + √(z(z + 2)). One Math.log (cheaper in V8 than Math.acosh,
 * Math.asinh or Math.log1p), made accurate for small u by Kahan's correction
 * log1p(u) = log(w)·u/(w − 1), w = 1 + u rounded (Goldberg, 1991, Theorem 4); exactly 0 at q = 0.
 */
function halfPlaneDistance(q: number, y0: number, y1: number): number {
  const z = q / (2 * y0 * y1);
  const u = z < 1e150 ? z + Math.sqrt(z * (z + 2)) : 2 * z; // z(z + 2) would overflow
  const w = 1 + u;
  return w === 1 ? u : Math.log(w) * (u / (w - 1));
}

/**
 * The Fisher-Rao distance between two Gaussians, where it has a closed form:
 * - univariate (diagonal of length 1): d = √2 · arccosh(1 + ((μ0 − μ1)²/2 + (σ0 − σ1)²) / (2σ0σ1)),
 *   the hyperbolic distance in the (μ/√2, σ) half-plane;
 * - diagonal: d = √(Σᵢ dᵢ²), the distance in the manifold of diagonal Gaussians (the
 *   product metric; with different means it can exceed the distance through full
 *   covariances, which has no closed form);
 * - full covariances with equal means: d = √(½ Σᵢ ln² λᵢ), λ the eigenvalues of
 *   Σ0⁻¹Σ1 (as those of L⁻¹Σ1L⁻ᵀ, Σ0 = L·Lᵀ: one Cholesky factorisation and one
 *   eigenvalues-only decomposition).
 * Full covariances with different means throw `UNSUPPORTED`: no closed form exists (a
 * full covariance that is diagonal can be passed as `{ mean, variance }`).
 *
 * @param g0 - positive definite covariance (variances > 0), dimension d
 * @param g1 - the same
 * @throws {@link LatentSpaceError} `UNSUPPORTED` (full, different means), `SHAPE_MISMATCH`,
 *   `INVALID_INPUT` (a variance ≤ 0, a covariance that is not positive definite)
 *
 * @see Atkinson & Mitchell (1981), "Rao's distance measure", Sankhyā A 43(3)
 * @see Costa, Santos & Strapasson (2015), "Fisher information distance: a geometrical
 *   reading", Discrete Appl. Math. 197
 *
 * @example
 * ```ts
 * fisherRaoDistance({ mean: 0, variance: 1 }, { mean: 0, variance: Math.E ** 2 }); // √2 = 1.414…: σ from 1 to e
 * ```
 */
export function fisherRaoDistance(g0: GaussianInput, g1: GaussianInput): number {
  const a = resolveGaussian(g0, 'g0', true), b = resolveGaussian(g1, 'g1', true);
  sameDimension(a, b);
  if (identical(a, b)) return 0;
  if (a.variance && b.variance) return Math.sqrt(fisherRaoRowSq(a.d, a.mean, a.variance, 0, b.mean, b.variance, 0));
  checkSameMean(a, b);
  let s = 0;
  for (const l of eigenvalues(a.d, whitened(a, b).M)) {
    if (!(l > 0)) notDefinite('g1');
    const ln = Math.log(l);
    s += ln * ln;
  }
  return Math.sqrt(0.5 * s);
}

/**
 * Fisher-Rao distances between many pairs of diagonal Gaussians at once (O(n·d), one
 * logarithm per coordinate, no allocation but the result): row i of `batch0` against row i
 * of `batch1`, or every row against one Gaussian when `batch1` has one row or is given as
 * vectors.
 *
 * @param batch0 - `{ mean, variance }`, both (n × d), variances > 0
 * @param batch1 - `{ mean, variance }`, (n × d) or (1 × d), or vectors of length d
 * @returns the n distances
 * @throws {@link LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_INPUT` (a variance ≤ 0)
 *
 * @example
 * ```ts
 * const d = fisherRaoDistanceDiagonalBatch(
 *   { mean: [[0], [0]], variance: [[1], [Math.E ** 2]] },
 *   { mean: [0], variance: [1] });
 * Array.from(d); // [0, 1.414…]
 * ```
 */
export function fisherRaoDistanceDiagonalBatch(batch0: DiagonalBatchInput, batch1: DiagonalBatchInput | DiagonalGaussianInput): Float64Array {
  return batchDistances(batch0, batch1, true, (...args) => fisherRaoDiagonalSqKernel()(...args));
}

function checkSameMean(a: Resolved, b: Resolved): void {
  if (!equalArrays(a.mean, b.mean)) {
    fail('UNSUPPORTED', 'g0, g1: received full covariances with different means; the Fisher-Rao distance between such Gaussians has no closed form (known cases: equal means, or diagonal covariances given as { mean, variance }). Use the Wasserstein geometry (w2Distance), or give both the same mean');
  }
}

function notDefinite(name: string): never {
  return fail('INVALID_INPUT', `${name}.cov: received a matrix that is not positive definite, expected a positive definite covariance (the Fisher-Rao geometry puts degenerate Gaussians infinitely far away)`);
}

/** Σ0 = L·Lᵀ and M = L⁻¹·Σ1·L⁻ᵀ (symmetric, with the eigenvalues of Σ0⁻¹Σ1). */
function whitened(a: Resolved, b: Resolved): { L: Float64Array; M: Float64Array } {
  const d = a.d;
  const L = choleskyOrNull(d, fullCov(a)) ?? notDefinite('g0');
  const M = Float64Array.from(fullCov(b));
  solveLowerInPlace(d, d, L, M, false); // L⁻¹·Σ1
  transposeInPlace(d, M); // Σ1·L⁻ᵀ
  solveLowerInPlace(d, d, L, M, false); // L⁻¹·Σ1·L⁻ᵀ
  return { L, M: symmetrize(d, M) };
}

/**
 * The point at t of the half-plane geodesic from (μ0, σ0) to (μ1, σ1), parametrised by
 * arc length, written into mean[j] and sd[j]. Through the Cayley map that sends
 * z0 = (μ0/√2, σ0) to the centre of the Poincaré disk, the geodesic is a diameter: the
 * point at hyperbolic distance s = t·D from the centre along the direction of z1 is
 * mapped back. Written in E = e^{tD} so that vertical paths (equal means), nearly vertical
 * ones and long ones lose no digits (no circle centre far away, no tanh near 1).
 */
function halfPlanePoint(m0: number, s0: number, m1: number, s1: number, t: number, mean: Float64Array, sd: Float64Array, j: number): void {
  const a = (m1 - m0) / (Math.SQRT2 * s0); // z1 after z ↦ (z − x0)/y0: a + ib
  const bm1 = (s1 - s0) / s0, b = s1 / s0;
  const D = halfPlaneDistance(a * a + bm1 * bm1, 1, b);
  // Direction of the Cayley image (a² + b² − 1, −2a) of z1, and 1 ∓ its first coordinate
  // without cancellation.
  const alpha = a * a + bm1 * (b + 1), beta = -2 * a;
  const n = Math.hypot(alpha, beta);
  let oneMinus = 1, onePlus = 1, ey = 0;
  if (n > 0) {
    ey = beta / n;
    oneMinus = alpha > 0 ? (beta * beta) / (n * (n + alpha)) : (n - alpha) / n;
    onePlus = alpha < 0 ? (beta * beta) / (n * (n - alpha)) : (n + alpha) / n;
  }
  const E = Math.exp(t * D), iE = 1 / E;
  const den = E * oneMinus + onePlus * iE;
  mean[j] = m0 + Math.SQRT2 * s0 * (-ey * (E - iE) / den);
  sd[j] = s0 * (2 / den);
}

/**
 * The Gaussian at t on the Fisher-Rao geodesic from g0 (t = 0) to g1 (t = 1),
 * parametrised by arc length, so that d(g0, g_t) = t·d(g0, g1):
 * - univariate and diagonal: in each coordinate the half-circle (or, for equal means, the
 *   vertical line σ_t = σ0^{1−t} σ1^t) of the (μ/√2, σ) half-plane; the result is diagonal;
 * - full covariances with equal means: Σ_t = Σ0^½ (Σ0^-½ Σ1 Σ0^-½)^t Σ0^½, computed as
 *   L·(L⁻¹Σ1L⁻ᵀ)^t·Lᵀ with Σ0 = L·Lᵀ (the same matrix: the formula is invariant under
 *   the choice of square root).
 * Full covariances with different means throw `UNSUPPORTED`, as in {@link fisherRaoDistance}.
 *
 * @param g0 - start, positive definite, dimension d
 * @param g1 - end, the same
 * @param t - position along the path (outside [0, 1] extrapolates)
 * @throws {@link LatentSpaceError} `UNSUPPORTED`, `SHAPE_MISMATCH`, `INVALID_INPUT`, `INVALID_OPTION` (t)
 *
 * @see Calvo & Oller (1991), "An explicit solution of information geodesic equations for
 *   the multivariate normal model", Statistics & Decisions 9
 *
 * @example
 * ```ts
 * const g = fisherRaoGeodesic({ mean: 0, variance: 1 }, { mean: 0, variance: 16 }, 0.5);
 * (g as DiagonalGaussian).variance[0]; // 4: σ moves geometrically, 1 → 2 → 4
 * ```
 */
export function fisherRaoGeodesic(g0: GaussianInput, g1: GaussianInput, t: number): Gaussian {
  const tt = checkT(t);
  const a = resolveGaussian(g0, 'g0', true), b = resolveGaussian(g1, 'g1', true);
  sameDimension(a, b);
  return fisherRaoPath(a, b)(tt);
}

/**
 * The Fisher-Rao geodesic from a to b as a function of t (decompositions done once).
 *
 * @example
 * ```ts
 * const at = fisherRaoPath(resolveGaussian({ mean: 0, variance: 1 }, 'g0', true), resolveGaussian({ mean: 0, variance: 16 }, 'g1', true));
 * (at(0.5) as DiagonalGaussian).variance[0]; // 4 (up to rounding)
 * ```
 */
export function fisherRaoPath(a: Resolved, b: Resolved): (t: number) => Gaussian {
  const d = a.d;
  if (a.variance && b.variance) {
    const s0 = a.variance.map(Math.sqrt), s1 = b.variance.map(Math.sqrt);
    return (t) => {
      const e = ends(a, b, t, false);
      if (e) return e;
      const mean = new Float64Array(d), sd = new Float64Array(d);
      for (let j = 0; j < d; j++) halfPlanePoint(a.mean[j]!, s0[j]!, b.mean[j]!, s1[j]!, t, mean, sd, j);
      return { mean, variance: sd.map((s) => s * s) };
    };
  }
  checkSameMean(a, b);
  const { L, M } = whitened(a, b);
  const { values, vectors } = eigen(d, M);
  for (const l of values) if (!(l > 0)) notDefinite('g1');
  return (t) => {
    const e = ends(a, b, t, true);
    if (e) return e;
    const P = spectralFunction(d, values, vectors, (l) => Math.exp(t * Math.log(l)));
    return fullGaussian(Float64Array.from(a.mean), symmetrize(d, mul(d, L, mul(d, P, L, false, true))));
  };
}
