import type { Region } from './types.js';
import { gemmKernel, regionKernel } from './dispatch.js';
import { applyBlockLeft, applyBlockRight, emptyBlock, gatherBlock, householder, type ReflectorBlock } from './reflectors.js';

// Blocked LQ factorisation and the application of its Q, on operands kept resident in
// the kernels' memory (a `Region`): the SVD of a wide (or, transposed, a tall) matrix
// reduces it to its triangle first, and the two big operands, the factored matrix and the
// singular vectors Q is applied to, would otherwise be copied into WebAssembly memory
// and back at every gemm call (2 per block of 32 reflectors: ~75 ms of a 400 × 4096 SVD).
// A region's view is re-derived after every kernel call (growth detaches it); on the
// TypeScript backend a region is a plain array and the code path is the same.

/** Reflectors per block (measured on 400 × 4096: 32 ahead of 48 and 64). */
const BLOCK = 32;

/**
 * LQ factorisation of W (r × N, r ≤ N, row-major, leading dimension N, held in `W`),
 * LAPACK dgelqf-style: W·H₀H₁⋯H_{r−1} = [L 0], L on and below the diagonal, reflector j
 * along row j after the diagonal (unit entry at column j implicit), τ in `tau`. Panels of
 * 32 rows are factored by halves (each reflector is a contiguous row); the rows below are
 * then updated by one blocked application through gemm (the active backend's).
 *
 * @example
 * ```ts
 * const W = kernels().resident(new Float64Array([3, 4])), tau = new Float64Array(1);
 * lqFactor(1, 2, W, tau);
 * W.view()[0]; // -5: L (up to rounding)
 * ```
 */
export function lqFactor(r: number, N: number, W: Region<Float64Array>, tau: Float64Array): void {
  const block = emptyBlock();
  for (let j0 = 0; j0 < r; j0 += BLOCK) {
    const end = Math.min(r, j0 + BLOCK);
    factorRows(j0, end, N, W, tau, block);
    if (end < r) update(j0, end, r, N, W, tau, block);
  }
}

// Rows j0 … end−1 from their diagonal on, halving: the top half is factored, applied to
// the bottom half as one block through gemm, then the bottom half is factored; eight rows
// and fewer one reflector at a time, by dot products (a 32-row panel row by row spent 13 %
// of a 10000 × 784 SVD there).
function factorRows(j0: number, end: number, N: number, W: Region<Float64Array>, tau: Float64Array, block: ReflectorBlock): void {
  if (end - j0 > 8) {
    const half = j0 + ((end - j0) >> 1);
    factorRows(j0, half, N, W, tau, block);
    update(j0, half, end, N, W, tau, block);
    factorRows(half, end, N, W, tau, block);
    return;
  }
  const w = W.view();
  for (let j = j0; j < end; j++) {
    const t = householder(N - j, w, j * N + j, 1);
    tau[j] = t;
    if (t !== 0) reflectRows(N - j, w, N, j, j + 1, end, t);
  }
}

// Rows end … last−1 ← rows · H_{j0}⋯H_{end−1}, from column j0, as one block.
function update(j0: number, end: number, last: number, N: number, W: Region<Float64Array>, tau: Float64Array, block: ReflectorBlock): void {
  gatherBlock('rows', 0, N, j0, end - j0, W.view(), 0, N, tau, block, gemmKernel());
  applyBlockRight(gemmKernel(), block, false, last - end, W.view(), end * N + j0, N, () => W.view());
}

// Rows i0 … i1−1 of the panel (from column j, len entries each) ← x·(I − τ·v·vᵀ), v along
// row j from column j (v[0] = 1 implicit).
function reflectRows(len: number, W: Float64Array, ld: number, j: number, i0: number, i1: number, tau: number): void {
  const pv = j * ld + j;
  for (let i = i0; i < i1; i++) {
    const px = i * ld + j;
    let s = W[px]!;
    for (let c = 1; c < len; c++) s += W[pv + c]! * W[px + c]!;
    const f = tau * s;
    W[px] = W[px]! - f;
    for (let c = 1; c < len; c++) W[px + c] = W[px + c]! - f * W[pv + c]!;
  }
}

/**
 * C (N × n, leading dimension n, held in `C`) ← Q·C for Q = H₀⋯H_{r−1} of an
 * {@link lqFactor} result W (r × N): the last block of reflectors first, each through gemm.
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
export function applyLQ(r: number, N: number, W: Region<Float64Array>, tau: Float64Array, n: number, C: Region<Float64Array>): void {
  const block = emptyBlock();
  const again = (): Float64Array => C.view();
  for (let b = Math.ceil(r / BLOCK) - 1; b >= 0; b--) {
    const j0 = b * BLOCK;
    gatherBlock('rows', 0, N, j0, Math.min(BLOCK, r - j0), W.view(), 0, N, tau, block, gemmKernel());
    applyBlockLeft(gemmKernel(), block, false, n, C.view(), j0 * n, n, again);
  }
}

/**
 * Reduces W (r × N, r ≤ N, row-major, only read) by an LQ factorisation W = [L 0]·Qᵀ,
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
export function lqApply(r: number, N: number, W: Float64Array, k: number, top: (L: Float64Array) => Float64Array | null): Float64Array | null {
  const regionOf = regionKernel();
  const Wr = regionOf(W, r * N), Cr = regionOf(W, N * k);
  try {
    Wr.view().set(W.subarray(0, r * N));
    const tau = new Float64Array(r);
    lqFactor(r, N, Wr, tau);
    const w = Wr.view();
    const L = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) L[i * r + j] = w[i * N + j]!;
    const T = top(L);
    if (!T) return null;
    const c = Cr.view();
    c.set(T);
    c.fill(0, r * k, N * k);
    applyLQ(r, N, Wr, tau, k, Cr);
    return Cr.view().slice(0, N * k);
  } finally {
    Wr.release();
    Cr.release();
  }
}
