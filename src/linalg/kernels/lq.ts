import { scaleInPlace } from '../../core/math.js';
import type { Region } from './types.js';
import { gemmKernel, reflectRowsKernel, regionKernel } from './dispatch.js';
import { gemmInSlices, householder, triangularFactor } from './reflectors.js';

// Blocked LQ factorisation and the application of its Q, on operands kept resident in
// the kernels' memory (a `Region`): the SVD of a wide (or, transposed, a tall) matrix
// reduces it to its triangle first, and the two big operands, the factored matrix and the
// singular vectors Q is applied to, would otherwise be copied into WebAssembly memory
// and back at every gemm call (2 per block of 32 reflectors: ~75 ms of a 400 × 4096 SVD).
// A block of reflectors is split as LAPACK's dlarfb splits it, V = [V₁ V₂]: only the unit
// triangle V₁ (nb × nb) is gathered, the long part V₂ is read by gemm where it lies in W
// (gathering and copying all of V cost ~8 % of that SVD). A region's view is re-derived
// after every kernel call (growth detaches it); on the TypeScript backend a region is a
// plain array and the code path is the same.

/** Reflectors per block (measured on 400 × 4096: 32 ahead of 48 and 64). */
const BLOCK = 32;

/**
 * LQ factorisation of W (r × N, r ≤ N, row-major, leading dimension N, held in `W`),
 * LAPACK dgelqf-style: W·H₀H₁⋯H_{r−1} = [L 0], L on and below the diagonal, reflector j
 * along row j after the diagonal (unit entry at column j implicit), τ in `tau`. Panels of
 * 32 rows are factored by halves (each reflector is a contiguous row); the rows below are
 * then updated by one blocked application through gemm (the active backend's). With `ts`
 * (⌈r/32⌉·32² entries), the T factor of every block of 32 that updated the rows below it
 * is kept there, at 32²·(j0/32), for {@link applyLQ} (it costs a Gram matrix of the block).
 *
 * @example
 * ```ts
 * const W = kernels().resident(new Float64Array([3, 4])), tau = new Float64Array(1);
 * lqFactor(1, 2, W, tau);
 * W.view()[0]; // -5: L (up to rounding)
 * ```
 */
export function lqFactor(r: number, N: number, W: Region<Float64Array>, tau: Float64Array, ts?: Float64Array): void {
  const block = newBlock();
  for (let j0 = 0; j0 < r; j0 += BLOCK) {
    const end = Math.min(r, j0 + BLOCK);
    factorRows(j0, end, N, W, tau, block);
    if (end === r) break;
    update(j0, end, r, N, W, tau, block);
    ts?.set(block.t.subarray(0, BLOCK * BLOCK), j0 * BLOCK);
  }
}

/** Entries of {@link lqFactor}'s T cache for r reflectors. */
export const lqTSize = (r: number): number => Math.ceil(r / BLOCK) * BLOCK * BLOCK;

/**
 * Reflectors j0 … j0+nb−1 of W (along rows, from column j0), split as V = [V₁ V₂]: V₁
 * (nb × nb, unit upper triangular) gathered in `v1`, V₂ = W[j0:j0+nb, j0+nb:N] left in W;
 * `t` (nb × nb) with H_{j0}⋯H_{j0+nb−1} = I − Vᵀ·T·V (V's rows the reflectors).
 */
interface Block {
  j0: number;
  nb: number;
  v1: Float64Array;
  t: Float64Array;
}

const newBlock = (): Block => ({ j0: 0, nb: 0, v1: new Float64Array(BLOCK * BLOCK), t: new Float64Array(BLOCK * BLOCK) });

// Fills `block` for reflectors j0 … j0+nb−1: V₁ gathered, T copied from `cached` or formed
// from the Gram matrix V·Vᵀ = V₂·V₂ᵀ + V₁·V₁ᵀ (V₂'s part read in place).
function loadBlock(j0: number, nb: number, N: number, W: Region<Float64Array>, tau: Float64Array, block: Block, cached?: Float64Array): void {
  block.j0 = j0;
  block.nb = nb;
  const { v1, t } = block, w = W.view();
  for (let i = 0; i < nb; i++) {
    const row = i * nb, src = (j0 + i) * N + j0;
    v1.fill(0, row, row + i);
    v1[row + i] = 1;
    v1.set(w.subarray(src + i + 1, src + nb), row + i + 1);
  }
  if (cached) {
    t.set(cached);
    return;
  }
  const gemm = gemmKernel(), G = workspace(2, nb * nb), v2 = j0 * N + j0 + nb, view = (): Float64Array => W.view();
  gemmInSlices(gemm, false, true, nb, nb, N - j0 - nb, w, v2, N, w, v2, N, G, 0, nb, view, view);
  gemm(false, true, nb, nb, nb, 1, v1, 0, nb, v1, 0, nb, 1, G, 0, nb);
  triangularFactor(nb, tau, j0, G, t);
}

// Rows j0 … end−1 from their diagonal on, halving: the top half is factored, applied to
// the bottom half as one block through gemm, then the bottom half is factored; eight rows
// and fewer one reflector at a time (a 32-row panel row by row spent 13 % of a 10000 × 784
// SVD there).
function factorRows(j0: number, end: number, N: number, W: Region<Float64Array>, tau: Float64Array, block: Block): void {
  if (end - j0 > 8) {
    const half = j0 + ((end - j0) >> 1);
    factorRows(j0, half, N, W, tau, block);
    update(j0, half, end, N, W, tau, block);
    factorRows(half, end, N, W, tau, block);
    return;
  }
  for (let j = j0; j < end; j++) {
    const w = W.view();
    const t = householder(N - j, w, j * N + j, 1);
    tau[j] = t;
    // Rows j+1 … end−1 from column j ← x·(I − τ·v·vᵀ), v along row j (the reflectRows kernel).
    if (t !== 0 && j + 1 < end) reflectRowsKernel()(N - j, end - j - 1, w, j * N + j, w, (j + 1) * N + j, N, t);
  }
}

// Rows end … last−1 ← rows · H_{j0}⋯H_{end−1}, from column j0, as one block (C = [C₁ C₂]
// split at column end like V): X = C₂·V₂ᵀ + C₁·V₁ᵀ, X ← X·T, C₁ −= X·V₁, C₂ −= X·V₂.
function update(j0: number, end: number, last: number, N: number, W: Region<Float64Array>, tau: Float64Array, block: Block): void {
  const nb = end - j0, m = last - end, len2 = N - end;
  loadBlock(j0, nb, N, W, tau, block);
  const { v1, t } = block, gemm = gemmKernel(), view = (): Float64Array => W.view();
  const c1 = end * N + j0, c2 = c1 + nb, v2 = j0 * N + end;
  const X = workspace(0, m * nb), XT = workspace(1, m * nb);
  gemmInSlices(gemm, false, true, m, nb, len2, W.view(), c2, N, W.view(), v2, N, X, 0, nb, view, view);
  gemm(false, true, m, nb, nb, 1, W.view(), c1, N, v1, 0, nb, 1, X, 0, nb);
  gemm(false, false, m, nb, nb, 1, X, 0, nb, t, 0, nb, 0, XT, 0, nb);
  gemm(false, false, m, nb, nb, -1, XT, 0, nb, v1, 0, nb, 1, W.view(), c1, N);
  gemm(false, false, m, len2, nb, -1, XT, 0, nb, W.view(), v2, N, 1, W.view(), c2, N);
}

// Three growable scratch arrays (the small gemm operands), reused across calls.
const scratch = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];

function workspace(i: number, size: number): Float64Array {
  if (scratch[i]!.length < size) scratch[i] = new Float64Array(size);
  return scratch[i]!;
}

/**
 * C (N × n, leading dimension n, held in `C`) ← Q·C for Q = H₀⋯H_{r−1} of an
 * {@link lqFactor} result W (r × N): the last block of reflectors first, each through gemm.
 * With the `ts` that lqFactor filled, the blocks it kept take their T from there (the same
 * bits: the same gather and Gram matrix). With `zeroBelow`, C's rows r … N−1 are taken as
 * zero and not read (the first block applied writes them).
 *
 * @example
 * ```ts
 * const W = kernels().resident(new Float64Array([3, 4])), tau = new Float64Array(1);
 * lqFactor(1, 2, W, tau);
 * const C = kernels().resident(new Float64Array([1, 0]));
 * applyLQ(1, 2, W, tau, 1, C);
 * Array.from(C.view()); // [-0.6, -0.8]: the first column of Q (up to rounding)
 * ```
 */
export function applyLQ(
  r: number, N: number, W: Region<Float64Array>, tau: Float64Array, n: number, C: Region<Float64Array>, ts?: Float64Array, zeroBelow = false,
): void {
  const block = newBlock();
  for (let j0 = (Math.ceil(r / BLOCK) - 1) * BLOCK; j0 >= 0; j0 -= BLOCK) {
    const cached = ts && j0 + BLOCK < r ? ts.subarray(j0 * BLOCK, (j0 + BLOCK) * BLOCK) : undefined;
    const nb = Math.min(BLOCK, r - j0);
    loadBlock(j0, nb, N, W, tau, block, cached);
    applyLeft(block, N, W, n, C, zeroBelow && j0 + nb === r);
  }
}

// C (N × n) ← (I − Vᵀ·T·V)·C for a block (C = [C₁; C₂] split at row j0 + nb like V; rows
// before j0 untouched): Y = V₂·C₂ + V₁·C₁, Y ← T·Y, C₁ −= V₁ᵀ·Y, C₂ −= V₂ᵀ·Y; with C₂
// zero and not yet written (`fresh`), Y = V₁·C₁ and C₂ = −V₂ᵀ·Y. (Panels of
// 64 or 128 columns of C taking all blocks in turn, to keep them in cache, measured no
// faster on 400 × 4096: C and W fit the 32 MiB L3.)
function applyLeft(block: Block, N: number, W: Region<Float64Array>, n: number, C: Region<Float64Array>, fresh: boolean): void {
  const { j0, nb, v1, t } = block, len2 = N - j0 - nb, gemm = gemmKernel();
  const wv = (): Float64Array => W.view(), cv = (): Float64Array => C.view();
  const v2 = j0 * N + j0 + nb, c1 = j0 * n, c2 = c1 + nb * n;
  const Y = workspace(0, nb * n), TY = workspace(1, nb * n);
  if (!fresh) gemmInSlices(gemm, false, false, nb, n, len2, W.view(), v2, N, C.view(), c2, n, Y, 0, n, wv, cv);
  gemm(false, false, nb, n, nb, 1, v1, 0, nb, C.view(), c1, n, fresh ? 0 : 1, Y, 0, n);
  gemm(false, false, nb, n, nb, 1, t, 0, nb, Y, 0, n, 0, TY, 0, n);
  gemm(true, false, nb, n, nb, -1, v1, 0, nb, TY, 0, n, 1, C.view(), c1, n);
  gemm(true, false, len2, n, nb, -1, W.view(), v2, N, TY, 0, n, fresh ? 0 : 1, C.view(), c2, n);
}

/**
 * Reduces W (r × N, r ≤ N, row-major, only read; taken times 2^scale, exactly for an
 * integer scale that keeps it normal) by an LQ factorisation W = [L 0]·Qᵀ,
 * Q = H₀⋯H_{r−1}, hands L (r × r, lower triangular, row-major) to `top`, and returns
 * Q·[T; 0] (N × k) for the (r × k) matrix T that `top` returns, or null when it returns
 * null. With T the identity's first columns this is LAPACK's dorglq: the first k columns
 * of Q, an orthonormal basis of W's rows (on a tall Y, `lqApply(k, m, Yᵀ, k, …)` gives
 * the Q of Y's QR factorisation). With T the right singular vectors of L, the right
 * singular vectors of W (dgesdd's path for N ≫ r). W and the result stay resident in the
 * kernels' memory meanwhile.
 *
 * @example
 * ```ts
 * const Q = lqApply(1, 2, new Float64Array([3, 4]), 1, (L) => new Float64Array([1]));
 * Array.from(Q!); // [-0.6, -0.8] (up to rounding): L = [-5]
 * ```
 */
export function lqApply(
  r: number, N: number, W: Float64Array, k: number, top: (L: Float64Array) => Float64Array | null, scale = 0,
): Float64Array | null {
  const regionOf = regionKernel();
  const Wr = regionOf(W, r * N), Cr = regionOf(W, N * k);
  try {
    Wr.view().set(W.subarray(0, r * N));
    scaleInPlace(Wr.view().subarray(0, r * N), scale);
    const tau = new Float64Array(r), ts = new Float64Array(lqTSize(r));
    lqFactor(r, N, Wr, tau, ts);
    const w = Wr.view();
    const L = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) L[i * r + j] = w[i * N + j]!;
    const T = top(L);
    if (!T) return null;
    Cr.view().set(T);
    applyLQ(r, N, Wr, tau, k, Cr, ts, true);
    return Cr.view().slice(0, N * k);
  } finally {
    Wr.release();
    Cr.release();
  }
}
