// The secular equation of divide and conquer: the eigenpairs of D + ρ·z·zᵀ, the merge step
// of the symmetric tridiagonal eigensolver (./tridiagonal.ts). Kept apart from it so the
// kernel table (./index.ts) can import it without an import cycle through the backend.

const EPS = Number.EPSILON;

/**
 * Eigen-decomposition of D + ρ·z·zᵀ for strictly increasing d (k), ρ > 0 and z without
 * zero entries (what deflation leaves): the eigenvalues, ascending, into `lambda` (k), and
 * the unit eigenvectors into the rows of U (k × k, contiguous; row j belongs to lambda[j]).
 * The TypeScript kernel of `Kernels.secularEigen` (LAPACK dlaed4 for the roots, dlaed3
 * for the vectors).
 *
 * The roots are found in coordinates relative to their nearest pole, so every difference
 * dᵢ − λⱼ is accurate; z is then recomputed from the roots (Gu & Eisenstat), which makes
 * the eigenvectors orthogonal to working precision however close the roots are.
 *
 * @see Gu & Eisenstat (1995), SIAM J. Matrix Anal. Appl. 16(1); Li (1994), "Solving
 *   secular equations stably and efficiently", LAPACK Working Note 89
 *
 * @example
 * ```ts
 * // diag(0, 1) + (0.6, 0.8)(0.6, 0.8)ᵀ = [[0.36, 0.48], [0.48, 1.64]]:
 * const lambda = new Float64Array(2), U = new Float64Array(4);
 * secularEigen(2, new Float64Array([0, 1]), new Float64Array([0.6, 0.8]), 1, lambda, U);
 * Array.from(lambda); // [0.2, 1.8] (up to rounding)
 * ```
 */
export function secularEigen(k: number, d: Float64Array, z: Float64Array, rho: number, lambda: Float64Array, U: Float64Array): void {
  let zz = 0;
  for (let i = 0; i < k; i++) zz += z[i]! * z[i]!;
  // Row j of U first holds dᵢ − λⱼ.
  for (let j = 0; j < k; j++) lambda[j] = secularRoot(k, d, z, rho, zz, j, U, j * k);
  const zhat = new Float64Array(k);
  for (let i = 0; i < k; i++) zhat[i] = U[i * k + i]!;
  for (let j = 0; j < k; j++) {
    const row = j * k;
    const dj = d[j]!;
    for (let i = 0; i < k; i++) if (i !== j) zhat[i] = zhat[i]! * (U[row + i]! / (d[i]! - dj));
  }
  for (let i = 0; i < k; i++) zhat[i] = Math.sqrt(Math.max(0, -zhat[i]!)) * (z[i]! < 0 ? -1 : 1);
  for (let j = 0; j < k; j++) {
    const row = j * k;
    let ss = 0;
    for (let i = 0; i < k; i++) {
      const v = zhat[i]! / U[row + i]!;
      U[row + i] = v;
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < k; i++) U[row + i] = U[row + i]! * inv;
  }
}

// Root j of the secular equation 1/ρ + Σ zᵢ²/(dᵢ − λ) = 0, which lies in (d_j, d_{j+1})
// (or (d_{k−1}, d_{k−1} + ρ‖z‖²) for the last). λ = d_o + τ for the pole o nearer to the
// root; τ is found by the "middle way" rational model of Li (1994) — the poles on each
// side lumped into the nearest one, matching value and slope — safeguarded by bisection
// on a bracket. Writes dᵢ − λ into out[off + i] and returns λ.
function secularRoot(k: number, d: Float64Array, z: Float64Array, rho: number, zz: number, j: number, out: Float64Array, off: number): number {
  const { origin, tau } = rootNearestPole(k, (i, o) => d[i]! - d[o]!, z, rho, zz, j, out, off);
  return d[origin]! + tau;
}

/**
 * Root j of 1/ρ + Σ zᵢ²/(dᵢ − λ) = 0 relative to its nearer pole o (λ = d_o + τ), for poles
 * given only through their differences `gap(i, o)` = dᵢ − d_o, so that a caller whose poles
 * are squares (the bidiagonal SVD's σ², ./bidiagonal-dc.ts) passes (pᵢ − p_o)(pᵢ + p_o)
 * and keeps them accurate. Writes dᵢ − λ into out[off + i] (k entries) and returns o and τ.
 *
 * @example
 * ```ts
 * // 1 + 1/(0 − λ) + 1/(1 − λ) = 0 has its first root (3 − √5)/2 nearer the pole 0:
 * const d = [0, 1], out = new Float64Array(2);
 * rootNearestPole(2, (i, o) => d[i]! - d[o]!, new Float64Array([1, 1]), 1, 2, 0, out, 0); // { origin: 0, tau: 0.381966… }
 * ```
 */
export function rootNearestPole(
  k: number, gap: (i: number, o: number) => number, z: Float64Array, rho: number, zz: number, j: number, out: Float64Array, off: number,
): { origin: number; tau: number } {
  const last = j === k - 1;
  let origin = j, lo = 0, hi: number;
  if (last) {
    hi = rho * zz;
  } else {
    const mid = gap(j + 1, j) / 2;
    let g = 1 / rho;
    for (let i = 0; i < k; i++) g += (z[i]! * z[i]!) / (gap(i, j) - mid);
    if (g >= 0) {
      hi = mid;
    } else {
      origin = j + 1;
      lo = -mid;
      hi = 0;
    }
  }
  for (let i = 0; i < k; i++) out[off + i] = gap(i, origin);
  const tau = solveShifted(k, out, off, z, rho, j, last, lo, hi);
  for (let i = 0; i < k; i++) out[off + i] = out[off + i]! - tau;
  return { origin, tau };
}

function solveShifted(k: number, delta: Float64Array, off: number, z: Float64Array, rho: number, j: number, last: boolean, lo: number, hi: number): number {
  const rhoInv = 1 / rho;
  let tau = (lo + hi) / 2;
  for (let iter = 0; iter < 200; iter++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0;
    for (let i = 0; i <= j; i++) {
      const t = z[i]! / (delta[off + i]! - tau);
      psi += z[i]! * t;
      dpsi += t * t;
    }
    for (let i = j + 1; i < k; i++) {
      const t = z[i]! / (delta[off + i]! - tau);
      phi += z[i]! * t;
      dphi += t * t;
    }
    const g = rhoInv + psi + phi;
    // dlaed4's bound on the rounding error in evaluating g.
    const err = EPS * (8 * (phi - psi) + 2 * rhoInv + 3 * Math.abs(g) + Math.abs(tau) * (dpsi + dphi));
    if (Math.abs(g) <= err) break;
    if (g < 0) lo = tau;
    else hi = tau;
    const da = delta[off + j]! - tau;
    let next: number;
    if (last) {
      const q = da * da * dpsi;
      const c = g - q / da;
      next = c > 0 ? tau + da + q / c : NaN;
    } else {
      const db = delta[off + j + 1]! - tau;
      const q = da * da * dpsi, qq = db * db * dphi;
      const c = g - q / da - qq / db;
      const b = c * (da + db) + q + qq;
      const a = da * db * g;
      // The root of c·η² − b·η + a = 0 between the poles, in its cancellation-free form.
      const disc = Math.sqrt(Math.abs(b * b - 4 * a * c));
      next = tau + (b > 0 ? (2 * a) / (b + disc) : c !== 0 ? (b - disc) / (2 * c) : a / b);
    }
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (next === tau) break;
    tau = next;
  }
  return tau;
}
