// Naive float64 references for the kernel tests, written for clarity (no blocking, no
// SIMD), and helpers to lay operands out with offsets, padded rows and sentinels.
import { expect } from 'vitest';
import { Random } from '../../src/core/random.js';
import { base64ToBytes } from '../../src/core/json.js';
import { wasmBase64 } from '../../src/wasm/binary.generated.js';
import { createWasmKernels, type WasmExports, type WasmKernels } from '../../src/wasm/kernels.js';

export type Dtype = 'float64' | 'float32';
export type F = Float64Array | Float32Array;

/** Relative tolerance per dtype, against the scale Σ|terms| of each entry. */
export const RTOL: Record<Dtype, number> = { float64: 1e-12, float32: 1e-5 };

/** Sizes crossing every unroll and block boundary of the WebAssembly kernels. */
export const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65] as const;

/** A value outside every computed window; must survive every call untouched. */
export const SENTINEL = -12345.5;

export function alloc(dtype: Dtype, n: number): F {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** A rows × cols operand embedded at `off` with leading dimension `ld`, the rest sentinels. */
export interface Embedded {
  data: F;
  off: number;
  ld: number;
}

export function embed(dtype: Dtype, rows: number, cols: number, off: number, slack: number, rng: Random, fillWith?: number): Embedded {
  const ld = cols + slack;
  const data = alloc(dtype, off + Math.max(0, rows * ld) + 3).fill(SENTINEL);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[off + i * ld + j] = fillWith ?? rng.uniform(-1, 1);
  }
  return { data, off, ld };
}

/** Entry (i, j) of an embedded matrix. */
export function at(e: Embedded, i: number, j: number): number {
  return e.data[e.off + i * e.ld + j]!;
}

/** Checks every element outside the rows × cols window still holds its sentinel. */
export function expectOutsideUntouched(e: Embedded, rows: number, cols: number): void {
  for (let p = 0; p < e.data.length; p++) {
    const q = p - e.off;
    const inside = q >= 0 && Math.floor(q / e.ld) < rows && q % e.ld < cols;
    if (!inside && e.data[p] !== SENTINEL) {
      throw new Error(`element ${p} outside the ${rows} × ${cols} window was overwritten with ${e.data[p]}`);
    }
  }
}

/** |actual − expected| ≤ rtol · scale for every entry, with a readable failure. */
export function expectClose(actual: number, expected: number, scale: number, rtol: number, what: string): void {
  const err = Math.abs(actual - expected);
  if (!(err <= rtol * scale)) {
    expect.fail(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${rtol} × scale ${scale.toExponential(2)})`);
  }
}

export interface GemmCase {
  dtype: Dtype;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  offA: number;
  offB: number;
  offC: number;
  slackA: number;
  slackB: number;
  slackC: number;
  seed: number;
}

export interface GemmOperands {
  A: Embedded;
  B: Embedded;
  C: Embedded;
  C0: F;
}

/** Operands of a gemm case; with beta = 0, C holds NaN (which the kernel must not read). */
export function gemmOperands(c: GemmCase): GemmOperands {
  const rng = new Random(c.seed);
  const A = c.transA ? embed(c.dtype, c.k, c.m, c.offA, c.slackA, rng) : embed(c.dtype, c.m, c.k, c.offA, c.slackA, rng);
  const B = c.transB ? embed(c.dtype, c.n, c.k, c.offB, c.slackB, rng) : embed(c.dtype, c.k, c.n, c.offB, c.slackB, rng);
  const C = embed(c.dtype, c.m, c.n, c.offC, c.slackC, rng, c.beta === 0 ? NaN : undefined);
  return { A, B, C, C0: C.data.slice() };
}

/** Checks C against a naive float64 evaluation of alpha · op(A) · op(B) + beta · C0. */
export function checkGemm(c: GemmCase, ops: GemmOperands, label = ''): void {
  const { A, B, C, C0 } = ops;
  const rtol = RTOL[c.dtype];
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < c.k; p++) {
        const t = (c.transA ? at(A, p, i) : at(A, i, p)) * (c.transB ? at(B, j, p) : at(B, p, j));
        s += t;
        abs += Math.abs(t);
      }
      const c0 = C0[c.offC + i * C.ld + j]!;
      const expected = c.alpha * s + (c.beta === 0 ? 0 : c.beta * c0);
      const scale = Math.abs(c.alpha) * abs + (c.beta === 0 ? 0 : Math.abs(c.beta * c0));
      expectClose(at(C, i, j), expected, scale, rtol, `${label} gemm ${describeGemm(c)} C[${i}][${j}]`);
    }
  }
  expectOutsideUntouched(C, c.m, c.n);
}

export function describeGemm(c: GemmCase): string {
  return `${c.dtype} ${c.transA ? 'T' : 'N'}${c.transB ? 'T' : 'N'} m=${c.m} n=${c.n} k=${c.k} alpha=${c.alpha} beta=${c.beta} ` +
    `off=${c.offA}/${c.offB}/${c.offC} slack=${c.slackA}/${c.slackB}/${c.slackC}`;
}

/** Squared norms of the rows of an embedded matrix, in float64. */
export function refRowSqNorms(e: Embedded, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += at(e, i, j) ** 2;
    out.push(s);
  }
  return out;
}

/** The sequential loop that defines argminRows: first index of the minimum, `v < best`. */
export function refArgmin(row: ArrayLike<number>): [number, number] {
  let best = 0;
  let min = row[0]!;
  for (let j = 1; j < row.length; j++) {
    if (row[j]! < min) {
      min = row[j]!;
      best = j;
    }
  }
  return [best, min];
}

/**
 * WASM kernels over a memory whose grow() always fails, as past wasm32's 4 GiB: every call
 * must fall back to the TypeScript kernels.
 */
export function kernelsThatCannotGrow(): WasmKernels {
  const real = new WebAssembly.Instance(new WebAssembly.Module(base64ToBytes(wasmBase64) as Uint8Array<ArrayBuffer>), {});
  const exports = real.exports as unknown as WasmExports;
  // The module starts with no pages, so every call needs to grow: make growing fail.
  const memory = {
    get buffer() { return exports.memory.buffer; },
    grow(): number { throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'); },
  } as unknown as WebAssembly.Memory;
  return createWasmKernels({ ...exports, memory, heapBase: exports.heapBase });
}
