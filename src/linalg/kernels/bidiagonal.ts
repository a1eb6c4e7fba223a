import type { Region } from './types.js';
import { rotateRows } from './givens.js';
import { rotateChainKernel } from './dispatch.js';
import { hypot } from './tridiagonal.js';

// The SVD in three stages: Golub-Kahan Householder bidiagonalisation (./bidiagonalize.ts),
// implicit-shift QR on the bidiagonal (here), and blocked back-transformations
// (./householder.ts). Singular vectors of the bidiagonal are kept transposed, one per row,
// so that each rotation updates two contiguous rows.

const EPS = Number.EPSILON;

/**
 * Singular values and vectors of the upper bidiagonal B = (d, e) of order n by implicit
 * shifted QR (the Golub-Kahan SVD step, as in JAMA's port of EISPACK svd): on return d
 * holds the singular values (non-negative, unsorted) and, with B = U·diag(d)·Vᵀ, row i of
 * Ut is column i of U and row i of Vt column i of V (both n × n, leading dimension ld,
 * and expected to hold the identity on entry — or any orthogonal matrix to be updated;
 * `null` for a side not wanted, which then costs nothing). Ut and Vt are regions of the
 * kernels' memory: each sweep's rotations go to the `rotateChain` kernel, which works on
 * them in place. e is destroyed. Returns false if the iteration limit (75·n sweeps) was
 * reached.
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), Alg. 8.6.1–8.6.2
 *
 * @example
 * ```ts
 * const d = new Float64Array([1, 1]), e = new Float64Array([1]);
 * const Ut = jsRegion(new Float64Array([1, 0, 0, 1])), Vt = jsRegion(new Float64Array([1, 0, 0, 1]));
 * bidiagonalQR(2, d, e, Ut, Vt, 2); // true
 * Array.from(d).sort();             // [(√5 − 1)/2, (√5 + 1)/2] (up to rounding)
 * ```
 */
export function bidiagonalQR(n: number, d: Float64Array, e: Float64Array, Ut: Region<Float64Array> | null, Vt: Region<Float64Array> | null, ld: number): boolean {
  const s = d;
  const ee = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) ee[i] = e[i]!;
  const rot = (X: Region<Float64Array> | null, a: number, b: number, c: number, sn: number): void => {
    if (X) rotateRows(n, X.view(), a * ld, b * ld, c, sn);
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
        if (Vt) negateRow(n, Vt.view(), (p - 1) * ld);
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
      if (Vt) rotateChainKernel()(n, Vt.view(), 0, ld, k + 1, p - 1, csV, snV);
      if (Ut) rotateChainKernel()(n, Ut.view(), 0, ld, k + 1, p - 1, csU, snU);
    }
  }
  return true;
}

type Rotate = (X: Region<Float64Array> | null, a: number, b: number, c: number, s: number) => void;

function negateRow(n: number, X: Float64Array, off: number): void {
  for (let c = 0; c < n; c++) X[off + c] = -X[off + c]!;
}

// s[p − 1] is negligible: rotations from the right chase e[p − 2] up the last column.
function chaseLastColumn(k: number, p: number, s: Float64Array, e: Float64Array, Vt: Region<Float64Array> | null, rot: Rotate): void {
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
function chaseRow(k: number, p: number, s: Float64Array, e: Float64Array, Ut: Region<Float64Array> | null, rot: Rotate): void {
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
