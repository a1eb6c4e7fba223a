import { householder } from './householder.js';
import { rotateRows } from './givens.js';
import { hypot } from './tridiagonal.js';

// The SVD in three stages: Golub-Kahan Householder bidiagonalisation, implicit-shift QR
// on the bidiagonal, and blocked back-transformations (./householder.ts). Singular
// vectors of the bidiagonal are kept transposed, one per row, so that each rotation
// updates two contiguous rows.

const EPS = Number.EPSILON;

/**
 * Reduces A (m × n, m ≥ n, row-major, leading dimension lda) to upper bidiagonal form
 * Q_Lᵀ·A·Q_R = B (LAPACK dgebd2). On return d (n) and e (n − 1) hold B's diagonal and
 * superdiagonal; left reflector k is stored down column k below the diagonal (unit
 * entry at row k, τ in tauL[k]) and right reflector k along row k after the
 * superdiagonal (unit entry at column k + 1, τ in tauR[k]).
 *
 * Each step streams the trailing matrix once: every row receives the left update, the
 * right update, and contributes to the product the next left reflector will need
 * (accumulated before that reflector is known, and rescaled once it is), while it sits
 * in the L1 cache — instead of three separate sweeps.
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §5.4.8
 *
 * @example
 * ```ts
 * const A = new Float64Array([3, 0, 4, 0]); // [[3, 0], [4, 0]]
 * const d = new Float64Array(2), e = new Float64Array(1);
 * bidiagonalize(2, 2, A, 2, d, e, new Float64Array(2), new Float64Array(1));
 * [d[0], e[0], d[1]]; // [-5, 0, 0]
 * ```
 */
export function bidiagonalize(
  m: number, n: number, A: Float64Array, lda: number,
  d: Float64Array, e: Float64Array, tauL: Float64Array, tauR: Float64Array,
): void {
  const r = new Float64Array(n); // r = uᵀ·A[k:, k+1:] for the pending left reflector u
  const s = new Float64Array(n);
  const v = new Float64Array(n);
  let tl = leftReflector(m, n, 0, A, lda, d, tauL);
  if (tl !== 0) firstProduct(m, n, A, lda, r);
  for (let k = 0; k < n; k++) {
    const len = n - k - 1;
    if (len === 0) break;
    const rowK = k * lda + k + 1;
    for (let c = 0; c < len; c++) A[rowK + c] = A[rowK + c]! - tl * r[c]!;
    const tr = householder(len, A, rowK, 1);
    tauR[k] = tr;
    e[k] = A[rowK]!;
    v[0] = 1;
    for (let c = 1; c < len; c++) v[c] = A[rowK + c]!;
    s.fill(0, 0, len);
    for (let i = k + 1; i < m; i++) updateRow(len, A, i * lda + k + 1, tl * A[i * lda + k]!, r, tr, v, i > k + 1, s);
    // The next left reflector, from column k + 1; then r = uᵀ·A[k+1:, k+2:] from s.
    const alpha = A[(k + 1) * lda + k + 1]!;
    tl = leftReflector(m, n, k + 1, A, lda, d, tauL);
    if (tl === 0) continue;
    const inv = 1 / (alpha - d[k + 1]!);
    const top = (k + 1) * lda + k + 2;
    for (let c = 0; c < len - 1; c++) r[c] = A[top + c]! + s[c + 1]! * inv;
  }
}

function leftReflector(m: number, n: number, k: number, A: Float64Array, lda: number, d: Float64Array, tauL: Float64Array): number {
  const t = householder(m - k, A, k * lda + k, lda);
  tauL[k] = t;
  d[k] = A[k * lda + k]!;
  return k + 1 < n ? t : 0;
}

// r = u₀ᵀ·A[:, 1:] for the first left reflector (later ones come out of updateRow).
function firstProduct(m: number, n: number, A: Float64Array, lda: number, r: Float64Array): void {
  for (let c = 1; c < n; c++) r[c - 1] = A[c]!;
  for (let i = 1; i < m; i++) {
    const u = A[i * lda]!;
    if (u === 0) continue;
    for (let c = 1; c < n; c++) r[c - 1] = r[c - 1]! + u * A[i * lda + c]!;
  }
}

// One row (len entries from `row`) of a bidiagonalisation step: the left update
// a −= g·r, the right update a −= τ·(a·v)·v, and, for rows below the next reflector's
// top, s += a[0]·a[1:] (column k + 1 times the rest: the unscaled next product).
function updateRow(len: number, A: Float64Array, row: number, g: number, r: Float64Array, tr: number, v: Float64Array, accumulate: boolean, s: Float64Array): void {
  let y = 0;
  for (let c = 0; c < len; c++) {
    const a = A[row + c]! - g * r[c]!;
    A[row + c] = a;
    y += a * v[c]!;
  }
  const f = tr * y;
  const x = A[row]! - f;
  A[row] = x;
  if (accumulate && x !== 0) {
    for (let c = 1; c < len; c++) {
      const a = A[row + c]! - f * v[c]!;
      A[row + c] = a;
      s[c] = s[c]! + x * a;
    }
  } else {
    for (let c = 1; c < len; c++) A[row + c] = A[row + c]! - f * v[c]!;
  }
}

/**
 * Singular values and vectors of the upper bidiagonal B = (d, e) of order n by implicit
 * shifted QR (the Golub-Kahan SVD step, as in JAMA's port of EISPACK svd): on return d
 * holds the singular values (non-negative, unsorted) and, with B = U·diag(d)·Vᵀ, row i of
 * Ut is column i of U and row i of Vt column i of V (both n × n, leading dimension ld,
 * and expected to hold the identity on entry — or any orthogonal matrix to be updated;
 * `null` for a side not wanted, which then costs nothing).
 * e is destroyed. Returns false if the iteration limit (75·n sweeps) was reached.
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), Alg. 8.6.1–8.6.2
 *
 * @example
 * ```ts
 * const d = new Float64Array([1, 1]), e = new Float64Array([1]);
 * const Ut = new Float64Array([1, 0, 0, 1]), Vt = new Float64Array([1, 0, 0, 1]);
 * bidiagonalQR(2, d, e, Ut, Vt, 2); // true
 * Array.from(d).sort();             // [(√5 − 1)/2, (√5 + 1)/2] (up to rounding)
 * ```
 */
export function bidiagonalQR(n: number, d: Float64Array, e: Float64Array, Ut: Float64Array | null, Vt: Float64Array | null, ld: number): boolean {
  const s = d;
  const ee = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) ee[i] = e[i]!;
  const rot = (X: Float64Array | null, a: number, b: number, c: number, sn: number): void => {
    if (X) rotateRows(n, X, a * ld, b * ld, c, sn);
  };
  const csV = new Float64Array(n), snV = new Float64Array(n), csU = new Float64Array(n), snU = new Float64Array(n);
  let p = n;
  let sweeps = 0;
  const maxSweeps = 75 * n;
  while (p > 0) {
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(ee[k]!) <= Number.MIN_VALUE + EPS * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        ee[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      // s[p − 1] has converged.
      if (s[p - 1]! < 0) {
        s[p - 1] = -s[p - 1]!;
        if (Vt) for (let c = 0; c < n; c++) Vt[(p - 1) * ld + c] = -Vt[(p - 1) * ld + c]!;
      }
      p--;
      continue;
    }
    let ks: number;
    for (ks = p - 1; ks > k; ks--) {
      const t = (ks !== p ? Math.abs(ee[ks]!) : 0) + (ks !== k + 1 ? Math.abs(ee[ks - 1]!) : 0);
      if (Math.abs(s[ks]!) <= EPS * t) {
        s[ks] = 0;
        break;
      }
    }
    if (ks === p - 1) {
      chaseLastColumn(k + 1, p, s, ee, Vt, rot);
    } else if (ks > k) {
      chaseRow(ks + 1, p, s, ee, Ut, rot);
    } else {
      if (sweeps++ >= maxSweeps) return false;
      qrSweep(k + 1, p, s, ee, csV, snV, csU, snU);
      // The sweep's rotations act on neighbouring rows in order: applied as chains.
      if (Vt) rotateChain(n, Vt, ld, k + 1, p - 1, csV, snV);
      if (Ut) rotateChain(n, Ut, ld, k + 1, p - 1, csU, snU);
    }
  }
  return true;
}

type Rotate = (X: Float64Array | null, a: number, b: number, c: number, s: number) => void;

// s[p − 1] is negligible: rotations from the right chase e[p − 2] up the last column.
function chaseLastColumn(k: number, p: number, s: Float64Array, e: Float64Array, Vt: Float64Array | null, rot: Rotate): void {
  let f = e[p - 2]!;
  e[p - 2] = 0;
  for (let j = p - 2; j >= k; j--) {
    const t = hypot(s[j]!, f);
    const cs = t === 0 ? 1 : s[j]! / t, sn = t === 0 ? 0 : f / t;
    s[j] = t;
    if (j !== k) {
      f = -sn * e[j - 1]!;
      e[j - 1] = cs * e[j - 1]!;
    }
    rot(Vt, j, p - 1, cs, sn);
  }
}

// s[k − 1] is negligible: rotations from the left chase e[k − 1] along row k − 1.
function chaseRow(k: number, p: number, s: Float64Array, e: Float64Array, Ut: Float64Array | null, rot: Rotate): void {
  let f = e[k - 1]!;
  e[k - 1] = 0;
  for (let j = k; j < p; j++) {
    const t = hypot(s[j]!, f);
    const cs = t === 0 ? 1 : s[j]! / t, sn = t === 0 ? 0 : f / t;
    s[j] = t;
    f = -sn * e[j]!;
    e[j] = cs * e[j]!;
    rot(Ut, j, k - 1, cs, sn);
  }
}

// One implicit QR step on the unreduced block k … p−1, with the shift taken from the
// trailing 2 × 2 of BᵀB (Wilkinson), chasing the bulge with alternating rotations.
function qrSweep(k: number, p: number, s: Float64Array, e: Float64Array, csV: Float64Array, snV: Float64Array, csU: Float64Array, snU: Float64Array): void {
  const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
  const sp = s[p - 1]! / scale, spm1 = s[p - 2]! / scale, epm1 = e[p - 2]! / scale;
  const sk = s[k]! / scale, ek = e[k]! / scale;
  const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
  const c = sp * epm1 * (sp * epm1);
  let shift = 0;
  if (b !== 0 || c !== 0) {
    shift = Math.sqrt(b * b + c);
    if (b < 0) shift = -shift;
    shift = c / (b + shift);
  }
  let f = (sk + sp) * (sk - sp) + shift;
  let g = sk * ek;
  for (let j = k; j < p - 1; j++) {
    let t = hypot(f, g) || Number.MIN_VALUE;
    let cs = f / t, sn = g / t;
    if (j !== k) e[j - 1] = t;
    f = cs * s[j]! + sn * e[j]!;
    e[j] = cs * e[j]! - sn * s[j]!;
    g = sn * s[j + 1]!;
    s[j + 1] = cs * s[j + 1]!;
    csV[j] = cs;
    snV[j] = sn;
    t = hypot(f, g) || Number.MIN_VALUE;
    cs = f / t;
    sn = g / t;
    s[j] = t;
    f = cs * e[j]! + sn * s[j + 1]!;
    s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
    g = sn * e[j + 1]!;
    e[j + 1] = cs * e[j + 1]!;
    csU[j] = cs;
    snU[j] = sn;
  }
  e[p - 2] = f;
}

/**
 * Applies the rotations j = j0 … j1−1, in that order, each to rows j and j + 1 of X (rows
 * of length n, leading dimension ld), as `rotateRows` would one after another — the same
 * operations on every entry, so the same bits — but three at a time in one pass over four
 * rows: each entry is loaded and stored once per pass instead of once per rotation
 * (a QR sweep's rotations, 12n³ flops of the bidiagonal SVD, are bound by those moves).
 * Identity rotations are skipped, as `rotateRows` skips them.
 */
function rotateChain(n: number, X: Float64Array, ld: number, j0: number, j1: number, cs: Float64Array, sn: Float64Array): void {
  let j = j0;
  while (j < j1) {
    if (j + 3 <= j1 && !isIdentity(cs, sn, j) && !isIdentity(cs, sn, j + 1) && !isIdentity(cs, sn, j + 2)) {
      const r0 = j * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      const c0 = cs[j]!, s0 = sn[j]!, c1 = cs[j + 1]!, s1 = sn[j + 1]!, c2 = cs[j + 2]!, s2 = sn[j + 2]!;
      for (let q = 0; q < n; q++) {
        const x0 = X[r0 + q]!, x1 = X[r1 + q]!;
        X[r0 + q] = c0 * x0 + s0 * x1;
        const y1 = c0 * x1 - s0 * x0;
        const x2 = X[r2 + q]!;
        X[r1 + q] = c1 * y1 + s1 * x2;
        const y2 = c1 * x2 - s1 * y1;
        const x3 = X[r3 + q]!;
        X[r2 + q] = c2 * y2 + s2 * x3;
        X[r3 + q] = c2 * x3 - s2 * y2;
      }
      j += 3;
    } else {
      rotateRows(n, X, j * ld, (j + 1) * ld, cs[j]!, sn[j]!);
      j++;
    }
  }
}

const isIdentity = (cs: Float64Array, sn: Float64Array, j: number): boolean => sn[j] === 0 && cs[j] === 1;
