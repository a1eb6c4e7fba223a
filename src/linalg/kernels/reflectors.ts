import type { Kernels } from './types.js';

// Householder reflectors H = I − τ·v·vᵀ with v[0] = 1, and their blocked ("compact WY")
// application Q = H₀H₁⋯H_{k−1} = I − V·T·Vᵀ (Schreiber & Van Loan, 1989), so that all but a
// thin slice of the work of QR, tridiagonalisation and bidiagonalisation back-transforms
// runs in gemm. The gemm is a parameter (./householder.ts passes the active backend's);
// applyReflectorsRight, the TypeScript back-transformation kernel, has loops of its own.
// This module imports no backend, so the kernel table (./index.ts) can import it without
// an import cycle.

/** The smallest normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** The gemm signature of {@link Kernels}. */
export type Gemm = Kernels['gemm'];

/**
 * Generates a reflector H with H·x = β·e₀ for the n strided values x (LAPACK dlarfg).
 * On return x[off] = β and the remaining entries hold v[1..] (v[0] = 1 is implicit);
 * returns τ. When x[1..] is already zero, τ = 0 and H = I (x is left as is).
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §5.1.2
 *
 * @example
 * ```ts
 * const x = new Float64Array([3, 4]);
 * const tau = householder(2, x, 0, 1); // 1.6: H·(3, 4) = (−5, 0)
 * Array.from(x);                       // [-5, 0.5]  (β, then v[1])
 * ```
 */
export function householder(n: number, x: Float64Array, off: number, stride: number): number {
  if (n <= 1) return 0;
  // Scale by the largest entry so that squaring can neither overflow nor underflow.
  let scale = 0;
  for (let i = 1, p = off + stride; i < n; i++, p += stride) {
    const a = Math.abs(x[p]!);
    if (a > scale) scale = a;
  }
  if (scale === 0) return 0;
  const alpha = x[off]!;
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = 1, p = off + stride; i < n; i++, p += stride) {
    const a = x[p]! / scale;
    ss += a * a;
  }
  const a0 = alpha / scale;
  const norm = scale * Math.sqrt(a0 * a0 + ss);
  // β takes the sign opposite to α so that α − β never cancels.
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const d = alpha - beta;
  if (Math.abs(d) >= MIN_NORMAL) {
    const inv = 1 / d;
    for (let i = 1, p = off + stride; i < n; i++, p += stride) x[p] = x[p]! * inv;
  } else {
    // A subnormal α − β (a column of subnormal entries): 1/(α − β) would overflow.
    for (let i = 1, p = off + stride; i < n; i++, p += stride) x[p] = x[p]! / d;
  }
  x[off] = beta;
  return tau;
}

/** How reflectors are stored in a factored matrix: along its rows or down its columns. */
export type ReflectorStorage = 'rows' | 'cols';

/**
 * A block of `nb` reflectors, ready to apply: `vt` (nb × len) holds vᵢ in row i with
 * explicit zeros before its unit entry at column i, and `t` (nb × nb) is upper triangular
 * with H_{j0}⋯H_{j0+nb−1} = I − V·T·Vᵀ.
 */
export interface ReflectorBlock {
  nb: number;
  len: number;
  vt: Float64Array;
  t: Float64Array;
}

/**
 * An empty block to be filled by {@link gatherBlock}; reused across blocks to avoid reallocation.
 *
 * @example
 * ```ts
 * emptyBlock().nb; // 0
 * ```
 */
export function emptyBlock(): ReflectorBlock {
  return { nb: 0, len: 0, vt: new Float64Array(0), t: new Float64Array(0) };
}

/**
 * Gathers reflectors j0 … j0+nb−1 of a factored matrix into a {@link ReflectorBlock}.
 * Reflector j has its unit entry at index j + shift of a vector of length `total`; its
 * other entries follow it in row j (`'rows'`, as tridiagonalisation and the right-hand
 * side of bidiagonalisation store them) or down column j (`'cols'`, as QR does). The block
 * covers indices j0 + shift … total − 1, the only ones the reflectors touch. (Long
 * reflectors read in place, with T from a Gram matrix through gemm: ./lq.ts.)
 *
 * @example
 * ```ts
 * const block = emptyBlock();
 * gatherBlock('cols', 0, 2, 0, 1, new Float64Array([-5, 0, 0.5, 0]), 0, 2, new Float64Array([1.6]), block);
 * Array.from(block.vt); // [1, 0.5]
 * ```
 */
export function gatherBlock(
  storage: ReflectorStorage, shift: number, total: number, j0: number, nb: number,
  A: Float64Array, offA: number, lda: number, tau: Float64Array, block: ReflectorBlock,
): void {
  const len = total - j0 - shift;
  if (block.vt.length < nb * len) block.vt = new Float64Array(nb * len);
  if (block.t.length < nb * nb) block.t = new Float64Array(nb * nb);
  block.nb = nb;
  block.len = len;
  const vt = block.vt;
  const base = j0 + shift;
  for (let r = 0; r < nb; r++) {
    const row = r * len;
    vt.fill(0, row, row + r);
    vt[row + r] = 1;
    const j = j0 + r;
    if (storage === 'rows') {
      // A contiguous run: one block copy.
      const src = offA + j * lda + base;
      vt.set(A.subarray(src + r + 1, src + len), row + r + 1);
    } else {
      const src = offA + base * lda + j;
      for (let c = r + 1; c < len; c++) vt[row + c] = A[src + c * lda]!;
    }
  }
  formT(nb, len, vt, tau, j0, block.t, null);
}

/**
 * T (nb × nb, upper triangular) with H_{j0}⋯H_{j0+nb−1} = I − V·T·Vᵀ from the Gram matrix
 * G = VᵀV of the block's reflectors (nb × nb, only its upper triangle read) and their τ
 * (LAPACK dlarft): for callers that formed G themselves (./lq.ts reads V where it lies).
 *
 * @example
 * ```ts
 * const t = new Float64Array(1);
 * triangularFactor(1, new Float64Array([1.6]), 0, new Float64Array([1.25]), t);
 * t[0]; // 1.6
 * ```
 */
export function triangularFactor(nb: number, tau: Float64Array, j0: number, G: Float64Array, t: Float64Array): void {
  formT(nb, 0, G, tau, j0, t, G);
}

// T for H₀⋯H_{nb−1} = I − V·T·Vᵀ (LAPACK dlarft, forward, columnwise):
// T[0:i, i] = −τᵢ · T[0:i, 0:i] · (V[:, 0:i]ᵀ vᵢ).
function formT(nb: number, len: number, vt: Float64Array, tau: Float64Array, j0: number, t: Float64Array, G: Float64Array | null): void {
  t.fill(0, 0, nb * nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[j0 + i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    // g[p] = vₚ·vᵢ over the columns where vᵢ can be non-zero (or all of G's row p: the
    // zeros before vᵢ's unit entry add nothing); kept in column i of T.
    for (let p = 0; p < i; p++) {
      let s = 0;
      const a = p * len, b = i * len;
      if (G) s = G[p * nb + i]!;
      else for (let c = i; c < len; c++) s += vt[a + c]! * vt[b + c]!;
      t[p * nb + i] = s;
    }
    // Upper-triangular T[0:i,0:i] times that column, in place from the top row down.
    for (let p = 0; p < i; p++) {
      let s = 0;
      for (let q = p; q < i; q++) s += t[p * nb + q]! * t[q * nb + i]!;
      t[p * nb + i] = -ti * s;
    }
  }
}

let work = new Float64Array(0);
let work2 = new Float64Array(0);

function workspace(size: number): Float64Array {
  if (work.length < size) work = new Float64Array(size);
  return work;
}

function workspace2(size: number): Float64Array {
  if (work2.length < size) work2 = new Float64Array(size);
  return work2;
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C (len × n): the block's product of reflectors (op = identity)
 * or its transpose (op = transpose) applied from the left, by two calls of `gemm`. For a C
 * that is a region's view (resident in the kernels' memory), `again` re-derives the view
 * between the calls.
 *
 * @example
 * ```ts
 * // H = I − 1.6·(1, 0.5)(1, 0.5)ᵀ, as gathered in the gatherBlock example:
 * const block = emptyBlock();
 * gatherBlock('cols', 0, 2, 0, 1, new Float64Array([-5, 0, 0.5, 0]), 0, 2, new Float64Array([1.6]), block);
 * const C = new Float64Array([3, 4]); // 2 × 1
 * applyBlockLeft(jsKernels.gemm, block, false, 1, C, 0, 1);
 * Array.from(C); // [-5, 0] (up to rounding)
 * ```
 */
export function applyBlockLeft(gemm: Gemm, block: ReflectorBlock, trans: boolean, n: number, C: Float64Array, offC: number, ldc: number, again?: () => Float64Array): void {
  const { nb, len, vt, t } = block;
  if (n === 0 || len === 0) return;
  const W = workspace(nb * n), TW = workspace2(nb * n);
  gemmInSlices(gemm, false, false, nb, n, len, vt, 0, len, C, offC, ldc, W, 0, n, undefined, again);
  // op(T)·W as a gemm with T's zeros (in TypeScript loops this was 3 % of a 400 × 4096 SVD).
  gemm(trans, false, nb, n, nb, 1, t, 0, nb, W, 0, n, 0, TW, 0, n);
  // A resident C's view may have been detached by the first call: `again` re-derives it.
  gemm(true, false, len, n, nb, -1, vt, 0, len, TW, 0, n, 1, again ? again() : C, offC, ldc);
}

/**
 * C ← C·(I − V·op(T)·Vᵀ) for C (m × len): the block's product of reflectors (op = identity)
 * or its transpose applied from the right, by two calls of `gemm` (`again`: as in
 * {@link applyBlockLeft}).
 *
 * @example
 * ```ts
 * // H = I − 1.6·(1, 0.5)(1, 0.5)ᵀ, as gathered in the gatherBlock example:
 * const block = emptyBlock();
 * gatherBlock('cols', 0, 2, 0, 1, new Float64Array([-5, 0, 0.5, 0]), 0, 2, new Float64Array([1.6]), block);
 * const C = new Float64Array([3, 4]); // 1 × 2
 * applyBlockRight(jsKernels.gemm, block, false, 1, C, 0, 2);
 * Array.from(C); // [-5, 0] (up to rounding)
 * ```
 */
export function applyBlockRight(gemm: Gemm, block: ReflectorBlock, trans: boolean, m: number, C: Float64Array, offC: number, ldc: number, again?: () => Float64Array): void {
  const { nb, len, vt, t } = block;
  if (m === 0 || len === 0) return;
  const W = workspace(m * nb), WT = workspace2(m * nb);
  gemmInSlices(gemm, false, true, m, nb, len, C, offC, ldc, vt, 0, len, W, 0, nb, again, undefined);
  gemm(false, trans, m, nb, nb, 1, W, 0, nb, t, 0, nb, 0, WT, 0, nb);
  gemm(false, false, m, len, nb, -1, WT, 0, nb, vt, 0, len, 1, again ? again() : C, offC, ldc);
}

/** Depth of one gemm call in {@link gemmInSlices}: the TypeScript gemm's panel depth. */
const DEPTH = 256;

/**
 * C (m × n) ← op(A)·op(B) for a long inner dimension k, as gemm calls of depth ≤ 256 that
 * accumulate into C. The TypeScript gemm cuts k into panels of 256 and the rest, the
 * WebAssembly one into even panels (300 = 150 + 150), so one deep call gives the two
 * backends different roundings; slices of 256 are the TypeScript kernel's own panels,
 * with its bits, on both. `viewA`/`viewB` re-derive a resident operand's view between
 * calls (a call may grow the memory and detach it).
 *
 * @example
 * ```ts
 * const C = new Float64Array(1);
 * gemmInSlices(jsKernels.gemm, false, true, 1, 1, 2, new Float64Array([1, 2]), 0, 2, new Float64Array([3, 4]), 0, 2, C, 0, 1);
 * C[0]; // 11
 * ```
 */
export function gemmInSlices(
  gemm: Gemm, transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: Float64Array, offA: number, lda: number, B: Float64Array, offB: number, ldb: number,
  C: Float64Array, offC: number, ldc: number, viewA?: () => Float64Array, viewB?: () => Float64Array,
): void {
  if (k <= DEPTH) {
    gemm(transA, transB, m, n, k, 1, A, offA, lda, B, offB, ldb, 0, C, offC, ldc);
    return;
  }
  for (let p = 0; p < k; p += DEPTH) {
    const a = p > 0 && viewA ? viewA() : A, b = p > 0 && viewB ? viewB() : B;
    gemm(
      transA, transB, m, n, Math.min(DEPTH, k - p), 1, a, offA + (transA ? p * lda : p), lda,
      b, offB + (transB ? p : p * ldb), ldb, p === 0 ? 0 : 1, C, offC, ldc,
    );
  }
}

// W (m × nb) ← W·op(T) for upper-triangular T, in place row by row.
function rowsTimesTriangular(trans: boolean, m: number, nb: number, t: Float64Array, W: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * nb;
    for (let s = 0; s < nb; s++) {
      // (W·T)[c] = Σ_{l≤c} W[l]·T[l][c] (descending c); (W·Tᵀ)[c] = Σ_{l≥c} W[l]·T[c][l] (ascending c).
      const c = trans ? s : nb - 1 - s;
      let acc = 0;
      if (trans) for (let l = c; l < nb; l++) acc += W[row + l]! * t[c * nb + l]!;
      else for (let l = 0; l <= c; l++) acc += W[row + l]! * t[l * nb + c]!;
      W[row + c] = acc;
    }
  }
}

/** Reflectors per block of {@link applyReflectorsRight}: 16 to 32 measured best at n = 673; 64 is ~10% slower (T's cost grows with it). */
const RIGHT_BLOCK = 32;

/**
 * C (m × total) ← C·Q, or C·Qᵀ when `trans`, for Q = H₀H₁⋯H_{k−1} with
 * H_j = I − tau[j]·v_j·v_jᵀ, where v_j has its unit entry at column j + shift of row j of V
 * (not read; k + shift ≤ total) and its other entries after it in that row: the storage of the
 * `tridiagonalize` kernel (shift 1), whose eigenvectors, kept as rows, are
 * back-transformed by C·Qᵀ. The TypeScript kernel of `Kernels.applyReflectorsRight`:
 * blocks of 32 reflectors in compact WY form, C ← C − (C·V)·op(T)·Vᵀ. The two products
 * run in loops of their own rather than through gemm: with one dimension only 32 long,
 * packing and the 4 × 4 tiles of gemm cost more than they save (measured on 673 × 600 × 32:
 * 4.4 GFLOP/s through gemm, 5.9 and 7.2 here).
 *
 * @example
 * ```ts
 * // One reflector, H = I − 1.6·(1, 0.5)(1, 0.5)ᵀ, stored in row 0 of V from column 0:
 * const V = new Float64Array([1, 0.5]), C = new Float64Array([3, 4]);
 * applyReflectorsRight(false, 1, 2, 1, 0, V, 0, 2, new Float64Array([1.6]), C, 0, 2);
 * Array.from(C); // [-5, 0] (up to rounding)
 * ```
 */
export function applyReflectorsRight(
  trans: boolean, m: number, total: number, k: number, shift: number,
  V: Float64Array, offV: number, ldv: number, tau: Float64Array, C: Float64Array, offC: number, ldc: number,
): void {
  if (m <= 0) return;
  const nBlocks = Math.ceil(k / RIGHT_BLOCK);
  const block = emptyBlock();
  for (let s = 0; s < nBlocks; s++) {
    // C·Qᵀ = C·H_{k−1}⋯H₀ needs the last block first; C·Q the first.
    const b = trans ? nBlocks - 1 - s : s;
    const j0 = b * RIGHT_BLOCK;
    const nb = Math.min(RIGHT_BLOCK, k - j0);
    if (total - j0 - shift <= 0) continue;
    gatherBlock('rows', shift, total, j0, nb, V, offV, ldv, tau, block);
    const W = workspace(m * nb);
    const c0 = offC + j0 + shift;
    projectRows(m, block.len, nb, C, c0, ldc, block.vt, W);
    rowsTimesTriangular(trans, m, nb, block.t, W);
    subtractProducts(m, block.len, nb, W, block.vt, C, c0, ldc);
  }
}

// W (m × nb) ← C·Vᵀ for C (m × len at offC, ldc) and Vᵀ (nb × len, contiguous rows): dot
// products of rows, three rows of C against four of Vᵀ at a time (twelve sums, seven
// loads per step; measured 5.9 GFLOP/s against 5.1 for 2 × 4 and 4 × 2).
function projectRows(m: number, len: number, nb: number, C: Float64Array, offC: number, ldc: number, vt: Float64Array, W: Float64Array): void {
  const nb4 = nb - (nb % 4);
  let i = 0;
  for (; i + 3 <= m; i += 3) {
    const r0 = offC + i * ldc, r1 = r0 + ldc, r2 = r1 + ldc, w0 = i * nb, w1 = w0 + nb, w2 = w1 + nb;
    let p = 0;
    for (; p < nb4; p += 4) {
      const v0 = p * len, v1 = v0 + len, v2 = v1 + len, v3 = v2 + len;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      for (let j = 0; j < len; j++) {
        const c0 = C[r0 + j]!, c1 = C[r1 + j]!, c2 = C[r2 + j]!;
        const x0 = vt[v0 + j]!, x1 = vt[v1 + j]!, x2 = vt[v2 + j]!, x3 = vt[v3 + j]!;
        s00 += c0 * x0; s01 += c0 * x1; s02 += c0 * x2; s03 += c0 * x3;
        s10 += c1 * x0; s11 += c1 * x1; s12 += c1 * x2; s13 += c1 * x3;
        s20 += c2 * x0; s21 += c2 * x1; s22 += c2 * x2; s23 += c2 * x3;
      }
      W[w0 + p] = s00; W[w0 + p + 1] = s01; W[w0 + p + 2] = s02; W[w0 + p + 3] = s03;
      W[w1 + p] = s10; W[w1 + p + 1] = s11; W[w1 + p + 2] = s12; W[w1 + p + 3] = s13;
      W[w2 + p] = s20; W[w2 + p + 1] = s21; W[w2 + p + 2] = s22; W[w2 + p + 3] = s23;
    }
    for (; p < nb; p++) {
      const v0 = p * len;
      let s0 = 0, s1 = 0, s2 = 0;
      for (let j = 0; j < len; j++) {
        const x = vt[v0 + j]!;
        s0 += C[r0 + j]! * x;
        s1 += C[r1 + j]! * x;
        s2 += C[r2 + j]! * x;
      }
      W[w0 + p] = s0;
      W[w1 + p] = s1;
      W[w2 + p] = s2;
    }
  }
  for (; i < m; i++) {
    const r0 = offC + i * ldc, w0 = i * nb;
    let p = 0;
    for (; p < nb4; p += 4) {
      const v0 = p * len, v1 = v0 + len, v2 = v1 + len, v3 = v2 + len;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < len; j++) {
        const c = C[r0 + j]!;
        s0 += c * vt[v0 + j]!; s1 += c * vt[v1 + j]!; s2 += c * vt[v2 + j]!; s3 += c * vt[v3 + j]!;
      }
      W[w0 + p] = s0; W[w0 + p + 1] = s1; W[w0 + p + 2] = s2; W[w0 + p + 3] = s3;
    }
    for (; p < nb; p++) {
      const v0 = p * len;
      let s0 = 0;
      for (let j = 0; j < len; j++) s0 += C[r0 + j]! * vt[v0 + j]!;
      W[w0 + p] = s0;
    }
  }
}

// C (m × len at offC, ldc) −= W·Vᵀ for W (m × nb) and Vᵀ (nb × len): three rows of C take
// four rank-one terms per pass, so each step loads four values of Vᵀ for twelve
// multiply-adds (measured 7.2 GFLOP/s against 5.8 for 2 × 4).
function subtractProducts(m: number, len: number, nb: number, W: Float64Array, vt: Float64Array, C: Float64Array, offC: number, ldc: number): void {
  const nb4 = nb - (nb % 4);
  let i = 0;
  for (; i + 3 <= m; i += 3) {
    const r0 = offC + i * ldc, r1 = r0 + ldc, r2 = r1 + ldc, w0 = i * nb, w1 = w0 + nb, w2 = w1 + nb;
    let p = 0;
    for (; p < nb4; p += 4) {
      const a0 = W[w0 + p]!, a1 = W[w0 + p + 1]!, a2 = W[w0 + p + 2]!, a3 = W[w0 + p + 3]!;
      const b0 = W[w1 + p]!, b1 = W[w1 + p + 1]!, b2 = W[w1 + p + 2]!, b3 = W[w1 + p + 3]!;
      const c0 = W[w2 + p]!, c1 = W[w2 + p + 1]!, c2 = W[w2 + p + 2]!, c3 = W[w2 + p + 3]!;
      const y0 = p * len, y1 = y0 + len, y2 = y1 + len, y3 = y2 + len;
      for (let j = 0; j < len; j++) {
        const x0 = vt[y0 + j]!, x1 = vt[y1 + j]!, x2 = vt[y2 + j]!, x3 = vt[y3 + j]!;
        C[r0 + j] = C[r0 + j]! - (a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3);
        C[r1 + j] = C[r1 + j]! - (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3);
        C[r2 + j] = C[r2 + j]! - (c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3);
      }
    }
    for (; p < nb; p++) {
      const a0 = W[w0 + p]!, b0 = W[w1 + p]!, c0 = W[w2 + p]!, y0 = p * len;
      for (let j = 0; j < len; j++) {
        const x = vt[y0 + j]!;
        C[r0 + j] = C[r0 + j]! - a0 * x;
        C[r1 + j] = C[r1 + j]! - b0 * x;
        C[r2 + j] = C[r2 + j]! - c0 * x;
      }
    }
  }
  for (; i < m; i++) {
    const r0 = offC + i * ldc, w0 = i * nb;
    let p = 0;
    for (; p < nb4; p += 4) {
      const a0 = W[w0 + p]!, a1 = W[w0 + p + 1]!, a2 = W[w0 + p + 2]!, a3 = W[w0 + p + 3]!;
      const y0 = p * len, y1 = y0 + len, y2 = y1 + len, y3 = y2 + len;
      for (let j = 0; j < len; j++) C[r0 + j] = C[r0 + j]! - (a0 * vt[y0 + j]! + a1 * vt[y1 + j]! + a2 * vt[y2 + j]! + a3 * vt[y3 + j]!);
    }
    for (; p < nb; p++) {
      const a0 = W[w0 + p]!, y0 = p * len;
      for (let j = 0; j < len; j++) C[r0 + j] = C[r0 + j]! - a0 * vt[y0 + j]!;
    }
  }
}
