import { maxAbs, scaleExponent, scaleInPlace } from '../../core/math.js';
import { bidiagonalQR } from './bidiagonal.js';
import { argsort, rotateRows, setIdentity } from './givens.js';
import { jsRegion } from './resident.js';
import { rootNearestPole } from './secular.js';
import { BOTH, BOTTOM, TOP, combineRows, hypot } from './tridiagonal.js';

// Divide and conquer for the bidiagonal SVD, as LAPACK's dbdsdc (dlasd0 – dlasd3). A block
// of n rows and n + sqre columns (sqre ∈ {0, 1}) is split at row k into an upper block of
// k × (k + 1), the coupling row (α at column k, β at k + 1) and a lower block of the rest;
// with the halves' SVDs the block becomes M = [z; diag(0, d₁ … dₙ₋₁)] (z from the last row
// of the upper V and the first row of the lower one), whose SVD comes from the secular
// equation 1 + Σ zᵢ²/((dᵢ − σ)(dᵢ + σ)) = 0. Singular vectors are kept as rows (row i of
// Ut/Vt is the i-th vector), a block's in rows and columns lo … lo + n (+ sqre); a block
// with sqre = 1 keeps its null vector (right) in V's row lo + n.

const EPS = Number.EPSILON;

/** Blocks of at most this many rows are solved by implicit QR. */
const LEAF = 25;

/**
 * The SVD of the upper bidiagonal B = (d, e) of order n by divide and conquer: on return d
 * holds the singular values (non-negative, unsorted) and row i of Ut / Vt (n × n, leading
 * dimension ld, contiguous arrays overwritten) the left / right singular vector of d[i];
 * `null` for a side not wanted. e is destroyed. Same contract as {@link bidiagonalQR} (which
 * solves the small blocks), with the merges' vector updates as gemm calls.
 *
 * @see Gu & Eisenstat (1995), "A divide-and-conquer algorithm for the bidiagonal SVD",
 *   SIAM J. Matrix Anal. Appl. 16(1); LAPACK dbdsdc, dlasd1 – dlasd4
 *
 * @example
 * ```ts
 * const d = new Float64Array([1, 1]), e = new Float64Array([1]);
 * const Ut = new Float64Array(4), Vt = new Float64Array(4);
 * bidiagonalDC(2, d, e, Ut, Vt, 2);
 * Array.from(d).sort(); // [(√5 − 1)/2, (√5 + 1)/2] (up to rounding)
 * ```
 */
export function bidiagonalDC(n: number, d: Float64Array, e: Float64Array, Ut: Float64Array | null, Vt: Float64Array | null, ld: number): void {
  const U = Ut ?? new Float64Array(n * n);
  const V = Vt ?? new Float64Array(n * n);
  setIdentity(n, U, 0, ld);
  setIdentity(n, V, 0, ld);
  // Scaled by a power of two to unit size (exact), as dbdsdc does: the squares of z and of
  // the poles in the secular equation then neither overflow nor underflow.
  const scale = scaleExponent(Math.max(maxAbs(d), maxAbs(e)));
  scaleInPlace(d, scale);
  scaleInPlace(e, scale);
  solve({ d, e, U, V, ld, wantU: Ut !== null }, 0, n, 0);
  scaleInPlace(d, -scale);
}

interface Work {
  d: Float64Array;
  e: Float64Array;
  U: Float64Array;
  V: Float64Array;
  ld: number;
  wantU: boolean;
}

function solve(w: Work, lo: number, n: number, sqre: number): void {
  if (n <= LEAF) {
    leaf(w, lo, n, sqre);
    return;
  }
  const k = n >> 1;
  solve(w, lo, k, 1);
  solve(w, lo + k + 1, n - k - 1, sqre);
  merge(w, lo, n, sqre, k);
}

// A small block by implicit QR; with sqre = 1 as the square block of order n + 1 whose last
// diagonal entry is 0 (QR deflates that zero first, by rotations of V alone, so U keeps e_n
// there and V's last row becomes the null vector).
function leaf(w: Work, lo: number, n: number, sqre: number): void {
  const m = n + sqre;
  const d = w.d.slice(lo, lo + m), e = new Float64Array(Math.max(m - 1, 0));
  if (sqre) d[n] = 0;
  for (let i = 0; i < m - 1; i++) e[i] = w.e[lo + i]!;
  const U = new Float64Array(m * m), V = new Float64Array(m * m);
  setIdentity(m, U, 0, m);
  setIdentity(m, V, 0, m);
  bidiagonalQR(m, d, e, w.wantU ? jsRegion(U) : null, jsRegion(V), m);
  for (let i = 0; i < n; i++) w.d[lo + i] = d[i]!;
  copyBlock(m, U, w.U, lo, w.ld, n);
  copyBlock(m, V, w.V, lo, w.ld, m);
}

// The leading `size` × `size` of X (leading dimension m) into Y's block at (lo, lo).
function copyBlock(m: number, X: Float64Array, Y: Float64Array, lo: number, ld: number, size: number): void {
  for (let i = 0; i < size; i++) Y.set(X.subarray(i * m, i * m + size), (lo + i) * ld + lo);
}

// The secular problem of one merge, M = [z; diag(p)] with p[0] = 0; index i's vectors are
// rows lo + i of U and V, and kindU / kindV say where those rows can be non-zero.
interface Secular {
  p: Float64Array;
  z: Float64Array;
  kindU: Int8Array;
  kindV: Int8Array;
}

function merge(w: Work, lo: number, n: number, sqre: number, k: number): void {
  const { d, U, V, ld } = w;
  const alpha = d[lo + k]!, beta = w.e[lo + k]!;
  // M's index 0 is the coupling row (U: the unit vector at column k; V: the upper null
  // vector), 1 … k the upper half's, k + 1 … n − 1 the lower's: one cyclic shift of rows
  // lo … lo + k puts each at row lo + i.
  shiftDown(d, lo, k, 1, 1);
  shiftDown(V, lo * ld + lo, k, ld, n + sqre);
  if (w.wantU) shiftDown(U, lo * ld + lo, k, ld, n);
  const p = d.slice(lo, lo + n), z = new Float64Array(n);
  p[0] = 0;
  // z: α times the upper V's last entries (column k), β times the lower's first (k + 1).
  for (let i = 0; i < n; i++) z[i] = i <= k ? alpha * V[(lo + i) * ld + lo + k]! : beta * V[(lo + i) * ld + lo + k + 1]!;
  if (sqre) {
    // Two null vectors: one rotation puts all their z on index 0, and row lo + n becomes
    // the block's null vector.
    const zr = beta * V[(lo + n) * ld + lo + k + 1]!, t = hypot(z[0]!, zr);
    if (t !== 0) rotateRows(n + 1, V, lo * ld + lo, (lo + n) * ld + lo, z[0]! / t, zr / t);
    z[0] = t;
  }
  // U's columns split at k (index 0's unit vector lies right of it), V's at k + 1.
  const kindU = new Int8Array(n).fill(BOTTOM).fill(TOP, 1, k + 1);
  const kindV = new Int8Array(n).fill(BOTTOM).fill(TOP, 0, k + 1);
  if (sqre) kindV[0] = BOTH;
  // dlasd2's tolerance.
  const tol = 64 * EPS * Math.max(Math.abs(alpha), Math.abs(beta), maxAbs(p));
  const m: Secular = { p, z, kindU, kindV };
  const kept = deflate(w, lo, n, sqre, m, tol);
  const K = kept.length;
  const Um = new Float64Array(K * K), Vm = new Float64Array(K * K), sk = new Float64Array(K);
  secularSvd(K, gatherAt(p, kept), gatherAt(z, kept), sk, Um, Vm);
  // Deflated indices keep their rows and value pᵢ.
  for (let j = 0; j < K; j++) p[kept[j]!] = sk[j]!;
  d.set(p, lo);
  const rowOf = (i: number): number => (lo + i) * ld + lo;
  combineRows(n + sqre, k + 1, kept, kindV, Vm, V, rowOf);
  if (w.wantU) combineRows(n, k, kept, kindU, Um, U, rowOf);
}

// Rows 0 … k − 1 of X (`len` entries from `first`, ld apart) move down by one and row k
// takes row 0's place.
function shiftDown(X: Float64Array, first: number, k: number, ld: number, len: number): void {
  const last = X.slice(first + k * ld, first + k * ld + len);
  for (let i = k; i > 0; i--) X.copyWithin(first + i * ld, first + (i - 1) * ld, first + (i - 1) * ld + len);
  X.set(last, first);
}

function gatherAt(x: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = x[idx[i]!]!;
  return out;
}

// LAPACK dlasd2: an index whose |zᵢ| is below tol keeps its vectors and value pᵢ; of two
// values closer than tol, a rotation of their U and V rows moves all of z onto one and
// deflates the other. Index 0 (p = 0) stays unless all of z is negligible, with |z₀| at
// least tol, and the first kept pole at least tol/2, so that the secular equation's roots
// stay separated. Returns the kept indices in ascending order of p.
function deflate(w: Work, lo: number, n: number, sqre: number, m: Secular, tol: number): Int32Array {
  const { p, z } = m;
  // All of z negligible (a zero block among them): M is diagonal up to tol, and value 0
  // stays exactly 0.
  if (maxAbs(z) <= tol) return new Int32Array(0);
  const order = argsort(n, p, false);
  const kept = new Int32Array(n);
  let K = 0;
  if (Math.abs(z[0]!) <= tol) z[0] = z[0]! < 0 ? -tol : tol;
  kept[K++] = 0;
  let prev = -1;
  for (let t = 0; t < n; t++) {
    const j = order[t]!;
    if (j === 0 || Math.abs(z[j]!) <= tol) continue;
    if (prev >= 0 && Math.abs(p[j]! - p[prev]!) <= tol) {
      const r = hypot(z[j]!, z[prev]!), c = z[j]! / r, s = -z[prev]! / r;
      z[j] = r;
      z[prev] = 0;
      const a = (lo + prev) * w.ld + lo, b = (lo + j) * w.ld + lo;
      rotateRows(n + sqre, w.V, a, b, c, s);
      if (m.kindV[prev] !== m.kindV[j]) m.kindV[j] = BOTH;
      if (w.wantU) rotateRows(n, w.U, a, b, c, s);
      if (m.kindU[prev] !== m.kindU[j]) m.kindU[j] = BOTH;
      K--;
    }
    kept[K++] = j;
    prev = j;
  }
  if (K > 1 && p[kept[1]!]! <= tol / 2) p[kept[1]!] = tol / 2;
  return kept.slice(0, K);
}

/**
 * The SVD of M = [z; diag(p)] (K × K, p ascending with p[0] = 0 and the others distinct, z
 * without zeros): the singular values into s (ascending) and, row j belonging to s[j], the
 * coefficients of the left and right vectors in Um and Vm (K × K). The roots are found
 * relative to the nearest pole (dlasd4, through the symmetric solver's iteration on σ²), z
 * is then recomputed from them (Gu & Eisenstat's ẑ, dlasd3), which keeps the vectors
 * orthogonal to working precision however close the roots.
 */
function secularSvd(K: number, p: Float64Array, z: Float64Array, s: Float64Array, Um: Float64Array, Vm: Float64Array): void {
  let zz = 0;
  for (let i = 0; i < K; i++) zz += z[i]! * z[i]!;
  // Row j of Vm first holds pᵢ² − σⱼ², computed as (pᵢ − p_o)(pᵢ + p_o) − τ.
  for (let j = 0; j < K; j++) s[j] = root(K, p, z, zz, j, Vm, j * K);
  const gap = squareGap(p);
  const zhat = new Float64Array(K);
  for (let i = 0; i < K; i++) zhat[i] = Vm[i * K + i]!;
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) if (i !== j) zhat[i] = zhat[i]! * (Vm[j * K + i]! / gap(i, j));
  }
  for (let i = 0; i < K; i++) zhat[i] = Math.sqrt(Math.max(0, -zhat[i]!)) * (z[i]! < 0 ? -1 : 1);
  for (let j = 0; j < K; j++) {
    const r = j * K;
    for (let i = 0; i < K; i++) {
      const v = zhat[i]! / Vm[r + i]!;
      Vm[r + i] = v;
      Um[r + i] = i === 0 ? -1 : p[i]! * v;
    }
    normalize(Vm, r, K);
    normalize(Um, r, K);
  }
}

// pᵢ² − pⱼ² without the cancellation of subtracting squares.
const squareGap = (p: Float64Array) => (i: number, j: number): number => (p[i]! - p[j]!) * (p[i]! + p[j]!);

function normalize(X: Float64Array, off: number, K: number): void {
  let ss = 0;
  for (let i = 0; i < K; i++) ss += X[off + i]! * X[off + i]!;
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < K; i++) X[off + i] = X[off + i]! * inv;
}

// Root j of 1 + Σ zᵢ²/(pᵢ² − σ²) = 0, in (p_j, p_{j+1}) or, for the last, below
// p_{K−1}² + ‖z‖², as the symmetric solver's root for the poles pᵢ² with every difference
// formed as (pᵢ − p_o)(pᵢ + p_o). Writes pᵢ² − σ² into out[off + i] and returns σ.
function root(K: number, p: Float64Array, z: Float64Array, zz: number, j: number, out: Float64Array, off: number): number {
  const { origin, tau } = rootNearestPole(K, squareGap(p), z, 1, zz, j, out, off);
  const po = p[origin]!;
  return Math.sqrt(po * po + tau);
}
