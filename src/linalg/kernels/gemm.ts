import type { FloatArray } from '../../core/matrix.js';

// Blocked, packed GEMM in the style of BLIS (Van Zee & van de Geijn, 2015): C is updated
// one (MC × NC) block at a time from a packed (MC × KC) panel of op(A) and a packed
// (KC × NC) panel of op(B). Packing turns any transpose, stride or offset into one
// contiguous layout, so a single register-tiled micro-kernel serves every case, and it
// reads both panels strictly sequentially. The packed buffers are Float64Array even for
// float32 input (every float32 value is exact in them), so the kernels stay monomorphic;
// float32 products are rounded and accumulated in float32 as the WebAssembly sgemm does.
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 2048;

// Packing buffers start empty (nothing allocated at import time) and grow to the largest
// block seen, then are reused by every later call.
let packA = new Float64Array(0);
let packB = new Float64Array(0);

function ensurePackA(size: number): Float64Array {
  if (packA.length < size) packA = new Float64Array(size);
  return packA;
}

function ensurePackB(size: number): Float64Array {
  if (packB.length < size) packB = new Float64Array(size);
  return packB;
}

/** Which part of C a call updates: everything, or only tiles touching the upper triangle (for Gram matrices). */
export type GemmPart = 'full' | 'upper';

/**
 * C ← alpha · op(A) · op(B) + beta · C on row-major (array, offset, leading dimension)
 * operands. Unvalidated kernel: the caller guarantees shapes and bounds. With
 * `part = 'upper'`, tiles entirely below the diagonal of C are skipped (their contents
 * are then unspecified beyond the beta scaling).
 */
export function gemm<F extends FloatArray>(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: F, offA: number, lda: number, B: F, offB: number, ldb: number,
  beta: number, C: F, offC: number, ldc: number, part: GemmPart = 'full',
): void {
  // Float32 operands take the WebAssembly sgemm's arithmetic (see float32Tile), so the two
  // backends give the same bits; float64 ones accumulate in float64 as dgemm does.
  const single = C instanceof Float32Array;
  if (single) {
    alpha = Math.fround(alpha);
    beta = Math.fround(beta);
  }
  scaleC(m, n, beta, C, offC, ldc);
  if (alpha === 0 || k === 0) return;
  const upper = part === 'upper';
  // The depth is split into panels as even as possible (300 → 150 + 150), as the WebAssembly
  // kernels split it: each panel's sum is added to C in turn, so the split decides the
  // rounding, and both backends must make the same one to give the same bits.
  const panels = Math.ceil(k / KC), kStep = Math.ceil(k / panels);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = Math.min(kStep, k - pc);
      const bp = ensurePackB(kc * roundUp(nc, NR));
      packPanelB(transB, B, offB, ldb, pc, jc, kc, nc, bp);
      const iEnd = upper ? Math.min(m, jc + nc) : m;
      for (let ic = 0; ic < iEnd; ic += MC) {
        const mc = Math.min(MC, iEnd - ic);
        const ap = ensurePackA(roundUp(mc, MR) * kc);
        packPanelA(transA, A, offA, lda, ic, pc, mc, kc, ap);
        macroKernel(mc, nc, kc, alpha, single, pc === 0 && beta === 0, ap, bp, C, offC + ic * ldc + jc, ldc, upper ? jc - ic : Infinity);
      }
    }
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

function scaleC(m: number, n: number, beta: number, C: FloatArray, offC: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    // beta = 0 overwrites, so NaN or garbage already in C never leaks into the result.
    if (beta === 0) C.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) C[j] = beta * C[j]!;
  }
}

// Packed op(A) block: micro-panels of MR rows; within a panel, column p holds MR
// consecutive values, so the micro-kernel reads A with stride 1. Rows past m are zero.
function packPanelA(trans: boolean, A: FloatArray, offA: number, lda: number, i0: number, p0: number, mc: number, kc: number, out: Float64Array): void {
  let o = 0;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        const i = i0 + ir + r;
        out[o++] = r < rows ? (trans ? A[offA + (p0 + p) * lda + i]! : A[offA + i * lda + p0 + p]!) : 0;
      }
    }
  }
}

// Packed op(B) block: micro-panels of NR columns, row p of a panel holds NR consecutive values.
function packPanelB(trans: boolean, B: FloatArray, offB: number, ldb: number, p0: number, j0: number, kc: number, nc: number, out: Float64Array): void {
  let o = 0;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    for (let p = 0; p < kc; p++) {
      for (let c = 0; c < NR; c++) {
        const j = j0 + jr + c;
        out[o++] = c < cols ? (trans ? B[offB + j * ldb + p0 + p]! : B[offB + (p0 + p) * ldb + j]!) : 0;
      }
    }
  }
}

const tile = new Float64Array(MR * NR);

// `diagonal` is the column offset (jc − ic) of the block relative to its rows: with the
// upper-only part, a tile whose first row lies below its last column is skipped. Float32
// (`single`) takes sgemm's roundings (src/wasm/assembly/f32.ts): the tile is scaled by alpha
// in float32, then written over C (first panel with beta = 0, so a −0 survives as sgemm
// stores it) or added to it in float32.
function macroKernel(mc: number, nc: number, kc: number, alpha: number, single: boolean, overwrite: boolean, ap: Float64Array, bp: Float64Array, C: FloatArray, offC: number, ldc: number, diagonal: number): void {
  const fround = Math.fround;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      if (ir > diagonal + jr + cols - 1) break;
      const rows = Math.min(MR, mc - ir);
      if (single) float32Tile(kc, ap, ir * kc, bp, jr * kc, tile);
      else microKernel(kc, ap, ir * kc, bp, jr * kc, tile);
      const base = offC + ir * ldc + jr;
      for (let r = 0; r < rows; r++) {
        const row = base + r * ldc;
        if (!single) {
          for (let c = 0; c < cols; c++) C[row + c] = C[row + c]! + alpha * tile[r * NR + c]!;
          continue;
        }
        for (let c = 0; c < cols; c++) {
          const t = fround(alpha * tile[r * NR + c]!);
          C[row + c] = overwrite ? t : fround(t + C[row + c]!);
        }
      }
    }
  }
}

// microKernel with every product and every sum rounded to float32, in the same order as
// sgemm's lanes (one running sum per entry of C, p ascending, no fused multiply-add). A
// product of two float32 values is exact in float64 and a sum of two float32 values rounds
// correctly through float64 (53 ≥ 2 · 24 + 2), so Math.fround gives sgemm's bits.
function float32Tile(kc: number, ap: Float64Array, a: number, bp: Float64Array, b: number, out: Float64Array): void {
  const f = Math.fround;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, a += 4, b += 4) {
    const a0 = ap[a]!, a1 = ap[a + 1]!, a2 = ap[a + 2]!, a3 = ap[a + 3]!;
    const b0 = bp[b]!, b1 = bp[b + 1]!, b2 = bp[b + 2]!, b3 = bp[b + 3]!;
    c00 = f(c00 + f(a0 * b0)); c01 = f(c01 + f(a0 * b1)); c02 = f(c02 + f(a0 * b2)); c03 = f(c03 + f(a0 * b3));
    c10 = f(c10 + f(a1 * b0)); c11 = f(c11 + f(a1 * b1)); c12 = f(c12 + f(a1 * b2)); c13 = f(c13 + f(a1 * b3));
    c20 = f(c20 + f(a2 * b0)); c21 = f(c21 + f(a2 * b1)); c22 = f(c22 + f(a2 * b2)); c23 = f(c23 + f(a2 * b3));
    c30 = f(c30 + f(a3 * b0)); c31 = f(c31 + f(a3 * b1)); c32 = f(c32 + f(a3 * b2)); c33 = f(c33 + f(a3 * b3));
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03;
  out[4] = c10; out[5] = c11; out[6] = c12; out[7] = c13;
  out[8] = c20; out[9] = c21; out[10] = c22; out[11] = c23;
  out[12] = c30; out[13] = c31; out[14] = c32; out[15] = c33;
}

// 4 × 4 register tile: sixteen accumulators in locals, four values of A and four of B
// loaded per step of p. Both panels are read sequentially.
function microKernel(kc: number, ap: Float64Array, a: number, bp: Float64Array, b: number, out: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, a += 4, b += 4) {
    const a0 = ap[a]!, a1 = ap[a + 1]!, a2 = ap[a + 2]!, a3 = ap[a + 3]!;
    const b0 = bp[b]!, b1 = bp[b + 1]!, b2 = bp[b + 2]!, b3 = bp[b + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03;
  out[4] = c10; out[5] = c11; out[6] = c12; out[7] = c13;
  out[8] = c20; out[9] = c21; out[10] = c22; out[11] = c23;
  out[12] = c30; out[13] = c31; out[14] = c32; out[15] = c33;
}
