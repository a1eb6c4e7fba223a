import { kernels } from '../backend.js';
import { householder } from './householder.js';
import { argsort, permuteRows, rotateRows, setIdentity } from './givens.js';

// The symmetric eigenproblem in three stages: Householder reduction to tridiagonal form,
// the tridiagonal eigenproblem (Cuppen's divide and conquer, with implicit QL on the
// small leaves), and the back-transformation (blocked, in ./householder.ts). Eigenvectors
// are kept transposed, one per row, so rotations and combinations touch contiguous rows.

const EPS = Number.EPSILON;

/**
 * Reduces the symmetric A (n × n, row-major, leading dimension n; only the upper triangle
 * is read) to tridiagonal form Qᵀ·A·Q = T with Q = H₀H₁⋯H_{n−2}, LAPACK dsytd2-style.
 * On return d (n) and e (n − 1) hold T's diagonal and off-diagonal, and row k of A holds
 * reflector k (unit entry at column k + 1, the rest after it), with τ in `tau` (n − 1).
 *
 * Each step's rank-2 update of the trailing matrix is fused with the next step's
 * symmetric matrix-vector product, so the trailing upper triangle is streamed once per
 * step instead of twice.
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3.1
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 3, 4, 3, 1, 0, 4, 0, 1]);
 * const d = new Float64Array(3), e = new Float64Array(2), tau = new Float64Array(2);
 * tridiagonalize(3, A, d, e, tau);
 * [d[0], e[0]]; // [1, -5]: the first row's (3, 4) is reflected onto (−5, 0)
 * ```
 */
export function tridiagonalize(n: number, A: Float64Array, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  const w = new Float64Array(n);
  const p = new Float64Array(n);
  let prev = -1; // row of A holding the reflector whose update is still pending, or −1
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    if (prev >= 0) updateRow(k, n, A, prev * n, w);
    d[k] = A[rowK + k]!;
    if (k === n - 1) break;
    const t = k < n - 2 ? householder(n - k - 1, A, rowK + k + 1, 1) : 0;
    tau[k] = t;
    e[k] = A[rowK + k + 1]!;
    A[rowK + k + 1] = 1; // row k now reads as the full reflector vector u (u[k+1] = 1)
    if (t !== 0) p.fill(0, k + 1, n);
    if (prev >= 0 && t !== 0) {
      let i = k + 1;
      for (; i + 1 < n; i += 2) updateTwoRowsAndMultiply(i, n, A, prev * n, w, rowK, p);
      if (i < n) updateRowAndMultiply(i, n, A, prev * n, w, rowK, p);
    } else {
      for (let i = k + 1; i < n; i++) {
        if (prev >= 0) updateRow(i, n, A, prev * n, w);
        else if (t !== 0) multiplyRow(i, n, A, rowK, p);
      }
    }
    if (t === 0) {
      prev = -1;
      continue;
    }
    // p = τ·B·u; w = p − (τ/2)(pᵀu)·u, so that H·B·H = B − u·wᵀ − w·uᵀ.
    let pu = 0;
    for (let j = k + 1; j < n; j++) {
      p[j] = t * p[j]!;
      pu += p[j]! * A[rowK + j]!;
    }
    const alpha = -0.5 * t * pu;
    for (let j = k + 1; j < n; j++) w[j] = p[j]! + alpha * A[rowK + j]!;
    prev = k;
  }
}

// Row i, columns i … n−1, of the pending update B −= v·wᵀ + w·vᵀ (v = row of A at vOff).
function updateRow(i: number, n: number, A: Float64Array, vOff: number, w: Float64Array): void {
  const row = i * n;
  const vi = A[vOff + i]!, wi = w[i]!;
  for (let j = i; j < n; j++) A[row + j] = A[row + j]! - vi * w[j]! - wi * A[vOff + j]!;
}

// Row i of the symmetric product p += B·u, reading B's upper triangle only: entry (i, j)
// contributes to p[i] through u[j] and to p[j] through u[i].
function multiplyRow(i: number, n: number, A: Float64Array, uOff: number, p: Float64Array): void {
  const row = i * n;
  const ui = A[uOff + i]!;
  let acc = A[row + i]! * ui;
  for (let j = i + 1; j < n; j++) {
    const a = A[row + j]!;
    acc += a * A[uOff + j]!;
    p[j] = p[j]! + a * ui;
  }
  p[i] = p[i]! + acc;
}

// updateRow and multiplyRow in one pass over the row.
function updateRowAndMultiply(i: number, n: number, A: Float64Array, vOff: number, w: Float64Array, uOff: number, p: Float64Array): void {
  const row = i * n;
  const vi = A[vOff + i]!, wi = w[i]!, ui = A[uOff + i]!;
  let a = A[row + i]! - 2 * vi * wi;
  A[row + i] = a;
  let acc = a * ui;
  for (let j = i + 1; j < n; j++) {
    a = A[row + j]! - vi * w[j]! - wi * A[vOff + j]!;
    A[row + j] = a;
    acc += a * A[uOff + j]!;
    p[j] = p[j]! + a * ui;
  }
  p[i] = p[i]! + acc;
}

// updateRowAndMultiply on rows i and i + 1 together: the vectors v, w, u and p are
// loaded once for both rows, which is what bounds this loop.
function updateTwoRowsAndMultiply(i: number, n: number, A: Float64Array, vOff: number, w: Float64Array, uOff: number, p: Float64Array): void {
  const r0 = i * n, r1 = r0 + n;
  const v0 = A[vOff + i]!, w0 = w[i]!, u0 = A[uOff + i]!;
  const v1 = A[vOff + i + 1]!, w1 = w[i + 1]!, u1 = A[uOff + i + 1]!;
  let a = A[r0 + i]! - 2 * v0 * w0;
  A[r0 + i] = a;
  let acc0 = a * u0;
  a = A[r0 + i + 1]! - v0 * w1 - w0 * v1;
  A[r0 + i + 1] = a;
  acc0 += a * u1;
  let acc1 = a * u0;
  a = A[r1 + i + 1]! - 2 * v1 * w1;
  A[r1 + i + 1] = a;
  acc1 += a * u1;
  for (let j = i + 2; j < n; j++) {
    const wj = w[j]!, vj = A[vOff + j]!, uj = A[uOff + j]!;
    const a0 = A[r0 + j]! - v0 * wj - w0 * vj;
    const a1 = A[r1 + j]! - v1 * wj - w1 * vj;
    A[r0 + j] = a0;
    A[r1 + j] = a1;
    acc0 += a0 * uj;
    acc1 += a1 * uj;
    p[j] = p[j]! + a0 * u0 + a1 * u1;
  }
  p[i] = p[i]! + acc0;
  p[i + 1] = p[i + 1]! + acc1;
}

/**
 * sqrt(a² + b²) without overflow or underflow; faster than Math.hypot.
 *
 * @example
 * ```ts
 * hypot(3e200, 4e200); // 5e200 (up to rounding), where 3e200 ** 2 would overflow
 * ```
 */
export function hypot(a: number, b: number): number {
  let x = Math.abs(a), y = Math.abs(b);
  if (x < y) { const t = x; x = y; y = t; }
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}

/**
 * Implicit QL with Wilkinson shifts on the unreduced-or-not tridiagonal (d, e) of order
 * n (e[i] couples i and i + 1; e has n − 1 entries and is destroyed). Rotations are
 * applied to rows `zOff + i·ldz` (length `zLen`) of Z, whose row i is thereby turned into
 * the eigenvector of d[i]. Eigenvalues are left unsorted. Returns false when some
 * eigenvalue needed more than 60 iterations (its off-diagonal is then dropped).
 *
 * @see Press et al., Numerical Recipes (3rd ed.), §11.4 (tqli); Wilkinson & Reinsch (1971)
 *
 * @example
 * ```ts
 * const d = new Float64Array([2, 2]), e = new Float64Array([1]);
 * const Z = new Float64Array([1, 0, 0, 1]);
 * tridiagonalQL(2, d, 0, e, 0, Z, 0, 2, 2); // true
 * Array.from(d).sort();                     // [1, 3]
 * ```
 */
export function tridiagonalQL(n: number, d: Float64Array, dOff: number, e: Float64Array, eOff: number, Z: Float64Array, zOff: number, ldz: number, zLen: number): boolean {
  // Local copies: e gets a zero sentinel past its end, and the caller's e[eOff + n − 1]
  // (which may couple this block to the next) stays untouched.
  const dd = d.slice(dOff, dOff + n);
  const ee = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) ee[i] = e[eOff + i]!;
  let converged = true;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        if (Math.abs(ee[m]!) <= EPS * (Math.abs(dd[m]!) + Math.abs(dd[m + 1]!))) break;
      }
      if (m === l) break;
      if (iter++ === 60) {
        converged = false;
        ee[l] = 0;
        break;
      }
      if (!qlSweep(l, m, dd, ee, Z, zOff, ldz, zLen)) continue;
    }
  }
  d.set(dd, dOff);
  return converged;
}

// One implicit QL sweep on the unreduced block l … m. Returns false when a rotation
// underflowed and the block split early (the caller then re-examines it).
function qlSweep(l: number, m: number, d: Float64Array, e: Float64Array, Z: Float64Array, zOff: number, ldz: number, zLen: number): boolean {
  let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
  let r = hypot(g, 1);
  g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
  let s = 1, c = 1, p = 0;
  for (let i = m - 1; i >= l; i--) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    r = hypot(f, g);
    e[i + 1] = r;
    if (r === 0) {
      d[i + 1] = d[i + 1]! - p;
      e[m] = 0;
      return false;
    }
    s = f / r;
    c = g / r;
    g = d[i + 1]! - p;
    r = (d[i]! - g) * s + 2 * c * b;
    p = s * r;
    d[i + 1] = g + p;
    g = c * r - b;
    rotateRows(zLen, Z, zOff + (i + 1) * ldz, zOff + i * ldz, c, s);
  }
  d[l] = d[l]! - p;
  e[l] = g;
  e[m] = 0;
  return true;
}

/** Blocks at most this large are solved by QL; larger ones are split. */
const LEAF = 25;

/**
 * All eigenpairs of the symmetric tridiagonal (d, e) of order n: on return d holds the
 * eigenvalues in ascending order and row i of Z (n × n, leading dimension ldz) the unit
 * eigenvector of d[i]. e is destroyed.
 *
 * Cuppen's divide and conquer with Gu & Eisenstat's stable eigenvectors, as in LAPACK
 * dstedc: split T into two halves plus a rank-one correction, solve the halves
 * recursively, and merge through the secular equation. Deflation (a negligible
 * component of the coupling vector, or two nearly equal eigenvalues) removes most of the
 * merge work on matrices with decaying spectra, and what remains is a gemm.
 *
 * @see Cuppen (1981), Numer. Math. 36; Gu & Eisenstat (1995), SIAM J. Matrix Anal. Appl. 16(1)
 * @see Demmel, Applied Numerical Linear Algebra (1997), §5.3.3
 *
 * @example
 * ```ts
 * const d = new Float64Array([2, 2, 2]), e = new Float64Array([-1, -1]);
 * const Z = new Float64Array(9);
 * tridiagonalEigen(3, d, e, Z, 3);
 * Array.from(d); // [2 − √2, 2, 2 + √2] (up to rounding)
 * ```
 */
export function tridiagonalEigen(n: number, d: Float64Array, e: Float64Array, Z: Float64Array, ldz: number): void {
  setIdentity(n, Z, 0, ldz);
  let start = 0;
  for (let i = 0; i < n; i++) {
    // Split where the coupling is negligible next to both diagonal entries (dstedc's test).
    const last = i === n - 1 || Math.abs(e[i]!) <= EPS * Math.sqrt(Math.abs(d[i]!)) * Math.sqrt(Math.abs(d[i + 1]!));
    if (!last) continue;
    if (i < n - 1) e[i] = 0;
    solveBlock(start, i - start + 1, d, e, Z, ldz);
    start = i + 1;
  }
  const order = argsort(n, d, false);
  permuteRows(order, n, Z, 0, ldz);
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = d[order[i]!]!;
  d.set(sorted);
}

function solveBlock(s: number, m: number, d: Float64Array, e: Float64Array, Z: Float64Array, ldz: number): void {
  if (m <= LEAF) {
    tridiagonalQL(m, d, s, e, s, Z, s * ldz + s, ldz, m);
    return;
  }
  const n1 = m >> 1;
  const beta = e[s + n1 - 1]!;
  // T = diag(T₁ − |β|·e_last·e_lastᵀ, T₂ − |β|·e₁·e₁ᵀ) + |β|·u·uᵀ, u = (e_last, sign(β)·e₁).
  d[s + n1 - 1] = d[s + n1 - 1]! - Math.abs(beta);
  d[s + n1] = d[s + n1]! - Math.abs(beta);
  solveBlock(s, n1, d, e, Z, ldz);
  solveBlock(s + n1, m - n1, d, e, Z, ldz);
  merge(s, m, n1, beta, d, Z, ldz);
}

// Types of eigenvector rows of a merge, by where their non-zeros can be: only in the
// first half's columns, in both (after a deflating rotation), or only in the second's.
const TOP = 1, BOTH = 2, BOTTOM = 3;

function merge(s: number, m: number, n1: number, beta: number, d: Float64Array, Z: Float64Array, ldz: number): void {
  const rowOf = (i: number): number => (s + i) * ldz + s;
  // z = Qᵀu / √2 (unit length): the last row of Q₁ and the first row of Q₂ are the
  // entries at columns n1 − 1 and n1 of the (transposed) eigenvector rows.
  const z = new Float64Array(m);
  const sign = beta < 0 ? -1 : 1;
  for (let i = 0; i < m; i++) z[i] = (i < n1 ? Z[rowOf(i) + n1 - 1]! : sign * Z[rowOf(i) + n1]!) * Math.SQRT1_2;
  const rho = 2 * Math.abs(beta);
  const dl = d.slice(s, s + m);
  const kind = new Int8Array(m);
  for (let i = 0; i < m; i++) kind[i] = i < n1 ? TOP : BOTTOM;
  const kept = deflate(m, dl, z, rho, kind, Z, rowOf);
  const k = kept.length;
  d.set(dl, s);
  if (k === 0) return;
  const dk = new Float64Array(k), zk = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    dk[c] = dl[kept[c]!]!;
    zk[c] = z[kept[c]!]!;
  }
  const U = new Float64Array(k * k);
  const lambda = secularEigenvectors(k, dk, zk, rho, U);
  combineRows(m, n1, kept, kind, U, Z, rowOf);
  for (let c = 0; c < k; c++) d[s + kept[c]!] = lambda[c]!;
}

// Walks the merged eigenvalues in ascending order and deflates (LAPACK dlaed2): an index
// whose coupling ρ|zᵢ| is negligible keeps its eigenpair; of two eigenvalues closer than
// the tolerance allows, a rotation moves all of z onto one of them and deflates the other.
// Returns the surviving indices in ascending order of dl.
function deflate(m: number, dl: Float64Array, z: Float64Array, rho: number, kind: Int8Array, Z: Float64Array, rowOf: (i: number) => number): Int32Array {
  let maxD = 0, maxZ = 0;
  for (let i = 0; i < m; i++) {
    maxD = Math.max(maxD, Math.abs(dl[i]!));
    maxZ = Math.max(maxZ, Math.abs(z[i]!));
  }
  const tol = 8 * EPS * Math.max(maxD, rho * maxZ);
  const kept = new Int32Array(m);
  let k = 0;
  if (rho * maxZ <= tol) return kept.subarray(0, 0);
  const order = argsort(m, dl, false);
  let pj = -1;
  for (let t = 0; t < m; t++) {
    const j = order[t]!;
    if (rho * Math.abs(z[j]!) <= tol) continue;
    if (pj < 0) {
      pj = j;
      continue;
    }
    const tau = hypot(z[j]!, z[pj]!);
    const c = z[j]! / tau, sn = -z[pj]! / tau;
    if (Math.abs((dl[j]! - dl[pj]!) * c * sn) <= tol) {
      z[j] = tau;
      z[pj] = 0;
      rotateRows(m, Z, rowOf(pj), rowOf(j), c, sn);
      if (kind[pj] !== kind[j]) kind[j] = BOTH;
      const a = dl[pj]!, b = dl[j]!;
      dl[pj] = a * c * c + b * sn * sn;
      dl[j] = a * sn * sn + b * c * c;
    } else {
      kept[k++] = pj;
    }
    pj = j;
  }
  if (pj >= 0) kept[k++] = pj;
  return kept.subarray(0, k);
}

/**
 * Eigen-decomposition of D + ρ·z·zᵀ for strictly increasing d (k) and ρ > 0: returns the
 * eigenvalues (ascending) and writes the unit eigenvectors as the rows of U (k × k).
 * The roots are found in coordinates relative to their nearest pole, so every difference
 * dᵢ − λⱼ is accurate; z is then recomputed from the roots (Gu & Eisenstat), which makes
 * the eigenvectors orthogonal to working precision however close the roots are.
 */
function secularEigenvectors(k: number, d: Float64Array, z: Float64Array, rho: number, U: Float64Array): Float64Array {
  const lambda = new Float64Array(k);
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
  return lambda;
}

// Root j of the secular equation 1/ρ + Σ zᵢ²/(dᵢ − λ) = 0, which lies in (d_j, d_{j+1})
// (or (d_{k−1}, d_{k−1} + ρ‖z‖²) for the last). λ = d_o + τ for the pole o nearer to the
// root; τ is found by the "middle way" rational model of Li (1994) — the poles on each
// side lumped into the nearest one, matching value and slope — safeguarded by bisection
// on a bracket. Writes dᵢ − λ into out[off + i] and returns λ.
function secularRoot(k: number, d: Float64Array, z: Float64Array, rho: number, zz: number, j: number, out: Float64Array, off: number): number {
  const last = j === k - 1;
  let origin = j, lo = 0, hi: number;
  if (last) {
    hi = rho * zz;
  } else {
    const mid = (d[j + 1]! - d[j]!) / 2;
    let g = 1 / rho;
    for (let i = 0; i < k; i++) g += (z[i]! * z[i]!) / (d[i]! - d[j]! - mid);
    if (g >= 0) {
      hi = mid;
    } else {
      origin = j + 1;
      lo = -mid;
      hi = 0;
    }
  }
  const d0 = d[origin]!;
  for (let i = 0; i < k; i++) out[off + i] = d[i]! - d0;
  const tau = solveShifted(k, out, off, z, rho, j, last, lo, hi);
  for (let i = 0; i < k; i++) out[off + i] = out[off + i]! - tau;
  return d0 + tau;
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

// New eigenvector rows: row c ← Σᵢ U[c][i]·(old row kept[i]), computed as two gemm calls
// that skip the zero blocks (LAPACK dlaed3): the first half's columns only combine rows
// of kinds TOP and BOTH, the second half's only BOTH and BOTTOM.
function combineRows(m: number, n1: number, kept: Int32Array, kind: Int8Array, U: Float64Array, Z: Float64Array, rowOf: (i: number) => number): void {
  const k = kept.length;
  const counts = [0, 0, 0, 0];
  for (let c = 0; c < k; c++) counts[kind[kept[c]!]!]!++;
  const start = [0, 0, counts[TOP]!, counts[TOP]! + counts[BOTH]!];
  const slot = new Int32Array(k);
  for (let c = 0; c < k; c++) slot[c] = start[kind[kept[c]!]!]!++;
  const k1 = counts[TOP]!, k12 = k1 + counts[BOTH]!;
  const G = new Float64Array(k * m);
  const Up = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    const from = rowOf(kept[c]!);
    G.set(Z.subarray(from, from + m), slot[c]! * m);
    for (let r = 0; r < k; r++) Up[r * k + slot[c]!] = U[r * k + c]!;
  }
  const out = new Float64Array(k * m);
  const gemm = kernels().gemm;
  gemm(false, false, k, n1, k12, 1, Up, 0, k, G, 0, m, 0, out, 0, m);
  gemm(false, false, k, m - n1, k - k1, 1, Up, k1, k, G, k1 * m + n1, m, 0, out, n1, m);
  for (let c = 0; c < k; c++) Z.set(out.subarray(c * m, (c + 1) * m), rowOf(kept[c]!));
}
