import { argsort, permuteRows, rotateRows, setIdentity } from './givens.js';
import { gemmKernel, secularEigenKernel } from './dispatch.js';

// The symmetric eigenproblem in three stages: Householder reduction to tridiagonal form
// (./tridiagonalize.ts, the `tridiagonalize` kernel), the tridiagonal eigenproblem here
// (Cuppen's divide and conquer, with implicit QL on the small leaves), and the
// back-transformation (the `applyReflectorsRight` kernel, ./reflectors.ts). Eigenvectors
// are kept transposed, one per row, so rotations and combinations touch contiguous rows.

const EPS = Number.EPSILON;

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

/**
 * Kinds of vector rows in a divide-and-conquer merge, by where their non-zeros can be:
 * only in the first half's columns, in both (after a deflating rotation), or only in the
 * second's. {@link combineRows} skips the zero blocks they imply.
 *
 * @example
 * ```ts
 * const kind = new Int8Array([TOP, TOP, BOTTOM]); // two rows of the first half, one of the second
 * ```
 */
export const TOP = 1, BOTH = 2, BOTTOM = 3;

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
  const lambda = new Float64Array(k);
  secularEigenKernel()(k, dk, zk, rho, lambda, U);
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
 * The vector update of a divide-and-conquer merge: row kept[c] of Z (m entries at
 * rowOf(kept[c])) ← Σᵢ U[c][i]·(old row kept[i]), U being k × k (k = kept.length), as two
 * gemm calls that skip the zero blocks (LAPACK dlaed3, dlasd3): the columns before n1 only
 * combine rows of kinds TOP and BOTH, the others only BOTH and BOTTOM. Rows not in `kept`
 * are left as they are. Shared by the tridiagonal eigensolver and the bidiagonal SVD
 * (./bidiagonal-dc.ts).
 *
 * @example
 * ```ts
 * // Two rows of the first half's single column, swapped by U = [[0, 1], [1, 0]]:
 * const Z = new Float64Array([1, 0, 2, 0]);
 * combineRows(2, 1, new Int32Array([0, 1]), new Int8Array([TOP, TOP]), new Float64Array([0, 1, 1, 0]), Z, (i) => 2 * i);
 * Array.from(Z); // [2, 0, 1, 0]
 * ```
 */
export function combineRows(m: number, n1: number, kept: Int32Array, kind: Int8Array, U: Float64Array, Z: Float64Array, rowOf: (i: number) => number): void {
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
  }
  // Row by row: a column-by-column scatter would stride through all of U for every column.
  for (let r = 0; r < k; r++) {
    const row = r * k;
    for (let c = 0; c < k; c++) Up[row + slot[c]!] = U[row + c]!;
  }
  const out = new Float64Array(k * m);
  const gemm = gemmKernel();
  gemm(false, false, k, n1, k12, 1, Up, 0, k, G, 0, m, 0, out, 0, m);
  gemm(false, false, k, m - n1, k - k1, 1, Up, k1, k, G, k1 * m + n1, m, 0, out, n1, m);
  for (let c = 0; c < k; c++) Z.set(out.subarray(c * m, (c + 1) * m), rowOf(kept[c]!));
}
