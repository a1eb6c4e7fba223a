import { fail, finiteResult, finiteResults } from '../core/errors.js';
import { scaleInPlace } from '../core/math.js';
import {
  checkT, equalArrays, fullCov, fullGaussian, identical, resolveGaussian, sameDimension, scaleGaussians,
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
  const z = q / (2 * y0) / y1; // not q/(2·y0·y1): that product can be subnormal
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
 * @throws {@link core!LatentSpaceError} `UNSUPPORTED` (full, different means), `SHAPE_MISMATCH`,
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
  if (a.variance && b.variance) {
    const sq = fisherRaoRowSq(a.d, a.mean, a.variance, 0, b.mean, b.variance, 0);
    return Math.sqrt(sq < Infinity ? sq : farRowSq(a.d, a.mean, a.variance, 0, b.mean, b.variance, 0));
  }
  checkSameMean(a, b);
  const { M, shift } = whitened(a, b);
  let s = 0;
  for (const l of eigenvalues(a.d, M)) {
    if (!(l > 0)) notDefinite('g1');
    const ln = Math.log(l) + shift;
    s += ln * ln;
  }
  return finiteResult(Math.sqrt(0.5 * s), 'g0, g1', 'their Fisher-Rao distance');
}

/**
 * {@link fisherRaoRowSq} for coordinates so far apart that z = ((Δμ)²/2 + (Δσ)²)/(2σ0σ1)
 * overflows (a mean gap beyond 1e154 standard deviations, or σ0σ1 below the float64
 * range): there arccosh(1 + z) = ln 2z to double precision, and ln 2z is summed from the
 * logarithms of its parts, r²·q/(σ0σ1) with r the larger of |Δμ|/√2 and |Δσ|.
 */
function farRowSq(d: number, m0: Float64Array, v0: Float64Array, o0: number, m1: Float64Array, v1: Float64Array, o1: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    let D = Math.sqrt(fisherRaoRowSq(1, m0, v0, o0 + j, m1, v1, o1 + j) / 2);
    if (!(D < Infinity)) {
      const s0 = Math.sqrt(v0[o0 + j]!), s1 = Math.sqrt(v1[o1 + j]!);
      const x = Math.abs(m0[o0 + j]! / 2 - m1[o1 + j]! / 2) * Math.SQRT2, y = Math.abs(s0 - s1);
      const r = Math.max(x, y), q = (x / r) ** 2 + (y / r) ** 2;
      D = 2 * Math.log(r) + Math.log(q) - Math.log(s0) - Math.log(s1);
    }
    s += D * D;
  }
  return 2 * s;
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
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `INVALID_INPUT` (a variance ≤ 0)
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
  return batchDistances(batch0, batch1, true, (...args) => fisherRaoDiagonalSqKernel()(...args), (...args) => Math.sqrt(farRowSq(...args)));
}

function checkSameMean(a: Resolved, b: Resolved): void {
  if (!equalArrays(a.mean, b.mean)) {
    fail('UNSUPPORTED', 'g0, g1: received full covariances with different means; the Fisher-Rao distance between such Gaussians has no closed form (known cases: equal means, or diagonal covariances given as { mean, variance }). Use the Wasserstein geometry (w2Distance), or give both the same mean');
  }
}

function notDefinite(name: string): never {
  return fail('INVALID_INPUT', `${name}.cov: received a matrix that is not positive definite, expected a positive definite covariance (the Fisher-Rao geometry puts degenerate Gaussians infinitely far away)`);
}

/**
 * Σ0 = L·Lᵀ and M = L⁻¹·Σ1·L⁻ᵀ (symmetric, with the eigenvalues of Σ0⁻¹Σ1), for the
 * covariances scaled each on its own by 4^k0 and 4^k1 (so that Σ0⁻¹Σ1 neither overflows
 * nor underflows when their scales are far apart): the eigenvalues of M are those of
 * Σ0⁻¹Σ1 times 4^(k1 − k0), and `shift` = −(k1 − k0)·ln 4 corrects their logarithms.
 */
function whitened(a0: Resolved, b0: Resolved): { L: Float64Array; M: Float64Array; k0: number; k1: number; shift: number } {
  const { gs: [a], k: k0 } = scaleGaussians([a0], false), { gs: [b], k: k1 } = scaleGaussians([b0], false);
  const { L, M } = whitenedScaled(a!, b!);
  return { L, M, k0, k1, shift: -(k1 - k0) * 2 * Math.LN2 };
}

function whitenedScaled(a: Resolved, b: Resolved): { L: Float64Array; M: Float64Array } {
  const d = a.d;
  const L = choleskyOrNull(d, fullCov(a)) ?? notDefinite('g0');
  const M = Float64Array.from(fullCov(b));
  solveLowerInPlace(d, d, L, M, false); // L⁻¹·Σ1
  transposeInPlace(d, M); // Σ1·L⁻ᵀ
  solveLowerInPlace(d, d, L, M, false); // L⁻¹·Σ1·L⁻ᵀ
  return { L, M: symmetrize(d, M) };
}

/**
 * The second coordinate ey of the unit direction of (α, β), and 1 ∓ its first, without
 * cancellation: 1 − α/n = β²/(n(n + α)) when α > 0 (written (β/n)·(β/(n + α)), since
 * n(n + α) overflows for |α| near 1e154) and 1 + α/n likewise when α < 0.
 */
function cayleyDirection(alpha: number, beta: number): { ey: number; oneMinus: number; onePlus: number } {
  const n = Math.hypot(alpha, beta);
  if (!(n > 0)) return { ey: 0, oneMinus: 1, onePlus: 1 };
  return {
    ey: beta / n,
    oneMinus: alpha > 0 ? (beta / n) * (beta / (n + alpha)) : (n - alpha) / n,
    onePlus: alpha < 0 ? (beta / n) * (beta / (n - alpha)) : (n + alpha) / n,
  };
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
  const { ey, oneMinus, onePlus } = cayleyDirection(a * a + bm1 * (b + 1), -2 * a);
  const E = Math.exp(t * D), iE = 1 / E;
  const den = E * oneMinus + onePlus * iE;
  mean[j] = m0 + Math.SQRT2 * s0 * (-ey * (E - iE) / den);
  sd[j] = s0 * (2 / den);
  if (!(Math.abs(mean[j]!) < Infinity && sd[j]! < Infinity && sd[j]! > 0)) farHalfPlanePoint(m0, s0, m1, s1, t, mean, sd, j);
}

/**
 * {@link halfPlanePoint} for ends so far apart that its squares overflow (σ1/σ0, or the
 * mean gap in units of σ0, beyond 1e154, as for a subnormal variance against 1). The same
 * geometry with z1's coordinates divided by r = M/σ0, M = max(|Δμ|/√2, |Δσ|), before
 * squaring: the direction of the Cayley image does not depend on that scale, the distance
 * is assembled from logarithms (r itself may exceed float64), and e^{±tD} is taken as
 * e^{−|tD|}, which cannot overflow. Throws `OUT_OF_RANGE` when even so the point is beyond
 * float64.
 */
function farHalfPlanePoint(m0: number, s0: number, m1: number, s1: number, t: number, mean: Float64Array, sd: Float64Array, j: number): void {
  const h = m1 / 2 - m0 / 2; // Δμ/2, which cannot overflow
  const M = Math.max(Math.abs(h) * Math.SQRT2, Math.abs(s1 - s0));
  const ar = (h * Math.SQRT2) / M, br = (s1 - s0) / M; // a/r and (b − 1)/r, in [−1, 1]
  const lnz = 2 * Math.log(M) - Math.log(s0) - Math.log(s1) + Math.log(ar * ar + br * br) - Math.LN2;
  const D = lnz > 345 ? Math.LN2 + lnz : halfPlaneDistance(2 * Math.exp(lnz), 1, 1);
  // α/r² and β/r² of halfPlanePoint, with (b + 1)/r = (σ1 + σ0)/M and 1/r = σ0/M.
  const { ey, oneMinus, onePlus } = cayleyDirection(ar * ar + br * ((s1 + s0) / M), -2 * ar * (s0 / M));
  const tD = t * D, w = Math.exp(-Math.abs(tD)), w2 = w * w;
  const den = tD >= 0 ? oneMinus + onePlus * w2 : w2 * oneMinus + onePlus;
  const ratio = tD >= 0 ? (1 - w2) / den : (w2 - 1) / den;
  mean[j] = m0 + Math.SQRT2 * s0 * (-ey * ratio);
  sd[j] = s0 * ((2 * w) / den);
  finiteResult(mean[j]! + sd[j]!, 'g0, g1', 'a point of their Fisher-Rao geodesic');
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
 * @throws {@link core!LatentSpaceError} `UNSUPPORTED`, `SHAPE_MISMATCH`, `INVALID_INPUT`, `INVALID_OPTION` (t)
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
      // Far apart means lift the geodesic's σ above both ends': its square may exceed float64.
      return { mean, variance: finiteResults(sd.map((s) => s * s), 'g0, g1', 'a variance of their Fisher-Rao geodesic') };
    };
  }
  checkSameMean(a, b);
  const { L, M, k0, k1 } = whitened(a, b);
  const { values, vectors } = eigen(d, M);
  for (const l of values) if (!(l > 0)) notDefinite('g1');
  return (t) => {
    const e = ends(a, b, t, true);
    if (e) return e;
    const P = spectralFunction(d, values, vectors, (l) => Math.exp(t * Math.log(l)));
    // For the covariances scaled by 4^k0 and 4^k1, Σ_t is scaled by 4^((1 − t)k0 + t·k1).
    const S = symmetrize(d, mul(d, L, mul(d, P, L, false, true)));
    scaleInPlace(S, -2 * ((1 - t) * k0 + t * k1));
    return fullGaussian(Float64Array.from(a.mean), finiteResults(S, 'g0, g1', 'a covariance of their Fisher-Rao geodesic'));
  };
}
