import type { FloatArray } from '../core/matrix.js';
import type { Kernels } from '../linalg/backend.js';
import { jsKernels } from '../linalg/kernels/index.js';

/**
 * The exports of the AssemblyScript module (src/wasm/assembly/index.ts). Pointers are byte
 * addresses in `memory`, leading dimensions are in elements, booleans are 0 or 1. The `d`
 * functions work on float64, the `s` functions on float32. Operands must already be in
 * linear memory, contiguous except for the leading dimension; `work` must hold
 * `dgemmWork(m, n, k)` (or `sgemmWork`) bytes, 16-byte aligned.
 *
 * @example
 * ```ts
 * const { instance } = await WebAssembly.instantiate(module, {});
 * const ex = instance.exports as unknown as WasmExports;
 * ex.dgemmWork(4, 4, 4); // bytes of packing workspace a 4 × 4 × 4 dgemm needs
 * ```
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  dgemmWork(m: number, n: number, k: number): number;
  sgemmWork(m: number, n: number, k: number): number;
  dgemm: GemmFn;
  sgemm: GemmFn;
  dsyrk: SyrkFn;
  ssyrk: SyrkFn;
  dsqdist: SqDistFn;
  ssqdist: SqDistFn;
  drownorms: RowNormsFn;
  srownorms: RowNormsFn;
  dargmin: ArgminFn;
  sargmin: ArgminFn;
  ddot(n: number, x: number, y: number): number;
  sdot(n: number, x: number, y: number): number;
  daxpy(n: number, alpha: number, x: number, y: number): void;
  saxpy(n: number, alpha: number, x: number, y: number): void;
  dsytrdWork(n: number): number;
  dsytrd(n: number, a: number, lda: number, d: number, e: number, tau: number, work: number): void;
  dreflectWork(m: number, total: number, k: number, shift: number): number;
  dreflect(
    trans: number, m: number, total: number, k: number, shift: number,
    v: number, ldv: number, tau: number, c: number, ldc: number, work: number,
  ): void;
  dsecularWork(k: number): number;
  dsecular(k: number, d: number, z: number, rho: number, lambda: number, u: number, work: number): void;
  dtsnerep2Work(): number;
  dtsnerep2(n: number, order: number, y: number, rec: number, child: number, out: number, work: number): number;
  dfisherraodiag(n: number, d: number, m0: number, v0: number, m1: number, v1: number, step1: number, out: number): void;
  dadam: AdamFn;
  sadam: AdamFn;
}

type AdamFn = (
  n: number, p: number, g: number, m: number, v: number, stepSize: number, invCorrection2: number,
  beta1: number, beta2: number, epsilon: number, weightDecay: number,
) => void;

type GemmFn = (
  transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
) => void;
type SyrkFn = (trans: number, n: number, k: number, a: number, lda: number, c: number, ldc: number, work: number) => void;
type SqDistFn = (
  m: number, n: number, d: number, a: number, lda: number, na: number, b: number, ldb: number, nb: number,
  c: number, ldc: number, work: number,
) => void;
type RowNormsFn = (m: number, d: number, a: number, lda: number, out: number) => void;
type ArgminFn = (m: number, n: number, c: number, ldc: number, index: number, values: number) => void;

/**
 * A {@link Kernels} implementation backed by one instance, plus its memory statistics.
 *
 * @example
 * ```ts
 * const k: WasmKernels = createWasmKernels(exports);
 * k.name; // 'wasm'
 * ```
 */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  /** Current size of the instance's linear memory in bytes. */
  memoryBytes(): number;
}

// Every buffer of a call starts on a 64-byte boundary: a cache line, and a multiple of the
// 16 bytes v128 loads want.
const ALIGN = 64;
const PAGE = 65536;
// A source matrix whose rows are at most this many elements longer than the part we need
// is copied in one piece, gaps included (one memcpy beats a copy per row); otherwise row
// by row, compacted.
const LD_SLACK = 16;
// Below this many elements per row, a plain loop beats subarray() + set() per row.
const ROW_SET_MIN = 32;
// Streaming kernels (dot, axpy, rowSqNorms, argminRows) do O(1) work per element, so the
// fixed cost of a call through linear memory (~80 ns) and copying strided data element by
// element outweigh SIMD on small or strided operands. Measured on Node 20 (ns, wasm / js):
// dot n = 16: 85 / 30, n = 64: 94 / 98, n = 1024: 335 / 1424; axpy with stride 2,
// n = 1024: 4651 / 2023. Those calls run the TypeScript kernel instead.
const STREAM_MIN = 64;

/**
 * Linear memory used as a bump arena that is reset at the start of every call. It grows
 * only when one call needs more bytes than any call before (memory.grow never shrinks, so
 * the high-water mark is what stays allocated), and it is reused otherwise: repeated calls
 * of one size allocate nothing. Typed views are rebuilt only after a grow (growing detaches
 * the old ArrayBuffer).
 */
class Arena {
  private top: number;
  // Only this arena grows the memory, so its size is cached rather than read through the
  // (comparatively slow) memory.buffer getter on every call.
  private capacity: number;
  f64: Float64Array;
  f32: Float32Array;
  i32: Int32Array;

  constructor(private readonly memory: WebAssembly.Memory, private readonly base: number) {
    this.top = base;
    this.capacity = memory.buffer.byteLength;
    this.f64 = new Float64Array(memory.buffer);
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Starts the layout of one call. */
  begin(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` and returns the (64-byte aligned) byte address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = Math.ceil((at + bytes) / ALIGN) * ALIGN;
    return at;
  }

  /**
   * Makes memory large enough for everything reserved since begin(). Returns false when
   * the module cannot grow that far (wasm32 memory ends at 4 GiB).
   */
  commit(): boolean {
    if (this.top <= this.capacity) return true;
    try {
      this.memory.grow(Math.ceil((this.top - this.capacity) / PAGE));
    } catch {
      return false;
    }
    const buffer = this.memory.buffer;
    this.capacity = buffer.byteLength;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.i32 = new Int32Array(buffer);
    return true;
  }

  bytes(): number {
    return this.capacity;
  }
}

/** The leading dimension a matrix gets inside linear memory (see LD_SLACK). */
function innerLd(ld: number, rows: number, cols: number): number {
  return rows > 1 && ld - cols <= LD_SLACK ? ld : cols;
}

/** Elements a rows × cols matrix with leading dimension `ld` spans. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/** Copies a rows × cols matrix (src, off, ld) to `view` at element `at` with leading dimension `ldw`. */
function copyIn(view: FloatArray, at: number, ldw: number, src: FloatArray, off: number, ld: number, rows: number, cols: number): void {
  if (rows === 0 || cols === 0) return;
  if (ldw === ld || rows === 1) {
    view.set(src.subarray(off, off + span(rows, cols, ld)), at);
  } else if (cols >= ROW_SET_MIN) {
    for (let i = 0; i < rows; i++) view.set(src.subarray(off + i * ld, off + i * ld + cols), at + i * ldw);
  } else {
    for (let i = 0; i < rows; i++) {
      const s = off + i * ld, d = at + i * ldw;
      for (let j = 0; j < cols; j++) view[d + j] = src[s + j]!;
    }
  }
}

/**
 * Copies a rows × cols matrix from `view` (at, ldw) to (dst, off, ld). Never writes the gap
 * between rows of dst: it belongs to the caller.
 */
function copyOut(view: FloatArray, at: number, ldw: number, dst: FloatArray, off: number, ld: number, rows: number, cols: number): void {
  if (rows === 0 || cols === 0) return;
  if ((ld === cols && ldw === cols) || rows === 1) {
    dst.set(view.subarray(at, at + span(rows, cols, ldw)), off);
  } else if (cols >= ROW_SET_MIN) {
    for (let i = 0; i < rows; i++) dst.set(view.subarray(at + i * ldw, at + i * ldw + cols), off + i * ld);
  } else {
    for (let i = 0; i < rows; i++) {
      const s = at + i * ldw, d = off + i * ld;
      for (let j = 0; j < cols; j++) dst[d + j] = view[s + j]!;
    }
  }
}


/**
 * Wraps an instance of the module as {@link Kernels}. Each call copies its operands into
 * linear memory (at offset 0, compacted when their rows are far apart), runs the SIMD
 * kernel, and copies the results out; the caller's arrays are never aliased, so kernels
 * may be called with any typed arrays, including overlapping ones. Should a problem not fit
 * in the 4 GiB of wasm32 memory, that call runs on the TypeScript kernels instead; so do
 * small or strided calls of the streaming kernels (see STREAM_MIN).
 *
 * @example
 * ```ts
 * const k = createWasmKernels(new WebAssembly.Instance(module, {}).exports as unknown as WasmExports);
 * const C = new Float64Array(4);
 * k.gemm(false, false, 2, 2, 1, 1, new Float64Array([1, 2]), 0, 1, new Float64Array([3, 4]), 0, 2, 0, C, 0, 2);
 * C; // Float64Array [3, 4, 6, 8]
 * ```
 */
export function createWasmKernels(ex: WasmExports): WasmKernels {
  const arena = new Arena(ex.memory, Math.ceil(ex.heapBase() / ALIGN) * ALIGN);
  const view = (f32: boolean): FloatArray => (f32 ? arena.f32 : arena.f64);

  const kernels: WasmKernels = {
    name: 'wasm',

    memoryBytes: () => arena.bytes(),

    gemm(transA, transB, m, n, k, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) {
      if (m <= 0 || n <= 0) return;
      const f32 = C instanceof Float32Array;
      const es = f32 ? 4 : 8;
      // With alpha = 0 or k = 0, A and B are not read (BLAS semantics): C ← beta · C.
      const product = k > 0 && alpha !== 0;
      const aRows = transA ? k : m, aCols = transA ? m : k;
      const bRows = transB ? n : k, bCols = transB ? k : n;
      const ldaW = product ? innerLd(lda, aRows, aCols) : 0;
      const ldbW = product ? innerLd(ldb, bRows, bCols) : 0;
      arena.begin();
      const pa = product ? arena.alloc(span(aRows, aCols, ldaW) * es) : 0;
      const pb = product ? arena.alloc(span(bRows, bCols, ldbW) * es) : 0;
      const pc = arena.alloc(m * n * es);
      const pw = arena.alloc(f32 ? ex.sgemmWork(m, n, product ? k : 0) : ex.dgemmWork(m, n, product ? k : 0));
      if (!arena.commit()) {
        jsKernels.gemm(transA, transB, m, n, k, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc);
        return;
      }
      const v = view(f32);
      if (product) {
        copyIn(v, pa / es, ldaW, A, offA, lda, aRows, aCols);
        copyIn(v, pb / es, ldbW, B, offB, ldb, bRows, bCols);
      }
      // beta = 0: C is not read, so NaN or garbage in it cannot reach the result.
      if (beta !== 0) copyIn(v, pc / es, n, C, offC, ldc, m, n);
      (f32 ? ex.sgemm : ex.dgemm)(+transA, +transB, m, n, k, alpha, pa, ldaW, pb, ldbW, beta, pc, n, pw);
      copyOut(v, pc / es, n, C, offC, ldc, m, n);
    },

    syrk(trans, n, k, A, offA, lda, C, offC, ldc) {
      if (n <= 0) return;
      const f32 = C instanceof Float32Array;
      const es = f32 ? 4 : 8;
      const aRows = trans ? k : n, aCols = trans ? n : k;
      const ldaW = innerLd(lda, aRows, aCols);
      arena.begin();
      const pa = arena.alloc(span(aRows, aCols, ldaW) * es);
      const pc = arena.alloc(n * n * es);
      const pw = arena.alloc(f32 ? ex.sgemmWork(n, n, k) : ex.dgemmWork(n, n, k));
      if (!arena.commit()) {
        jsKernels.syrk(trans, n, k, A, offA, lda, C, offC, ldc);
        return;
      }
      const v = view(f32);
      if (k > 0) copyIn(v, pa / es, ldaW, A, offA, lda, aRows, aCols);
      (f32 ? ex.ssyrk : ex.dsyrk)(+trans, n, k, pa, ldaW, pc, n, pw);
      copyOut(v, pc / es, n, C, offC, ldc, n, n);
    },

    sqDistances(m, n, d, A, offA, lda, normsA, B, offB, ldb, normsB, C, offC, ldc) {
      if (m <= 0 || n <= 0) return;
      const f32 = C instanceof Float32Array;
      const es = f32 ? 4 : 8;
      const ldaW = innerLd(lda, m, d), ldbW = innerLd(ldb, n, d);
      arena.begin();
      const pa = arena.alloc(span(m, d, ldaW) * es);
      const pb = arena.alloc(span(n, d, ldbW) * es);
      const pna = arena.alloc(m * es);
      const pnb = arena.alloc(n * es);
      const pc = arena.alloc(m * n * es);
      const pw = arena.alloc(f32 ? ex.sgemmWork(m, n, d) : ex.dgemmWork(m, n, d));
      if (!arena.commit()) {
        jsKernels.sqDistances(m, n, d, A, offA, lda, normsA, B, offB, ldb, normsB, C, offC, ldc);
        return;
      }
      const v = view(f32);
      copyIn(v, pa / es, ldaW, A, offA, lda, m, d);
      copyIn(v, pb / es, ldbW, B, offB, ldb, n, d);
      // Norms the caller did not supply are computed here, from the copy just made.
      if (normsA === null) (f32 ? ex.srownorms : ex.drownorms)(m, d, pa, ldaW, pna);
      else v.set(normsA.subarray(0, m), pna / es);
      if (normsB === null) (f32 ? ex.srownorms : ex.drownorms)(n, d, pb, ldbW, pnb);
      else v.set(normsB.subarray(0, n), pnb / es);
      (f32 ? ex.ssqdist : ex.dsqdist)(m, n, d, pa, ldaW, pna, pb, ldbW, pnb, pc, n, pw);
      copyOut(v, pc / es, n, C, offC, ldc, m, n);
    },

    rowSqNorms(m, d, A, offA, lda, out) {
      if (m <= 0) return;
      if (m * d < STREAM_MIN) {
        jsKernels.rowSqNorms(m, d, A, offA, lda, out);
        return;
      }
      const f32 = out instanceof Float32Array;
      const es = f32 ? 4 : 8;
      const ldaW = innerLd(lda, m, d);
      arena.begin();
      const pa = arena.alloc(span(m, d, ldaW) * es);
      const po = arena.alloc(m * es);
      if (!arena.commit()) {
        jsKernels.rowSqNorms(m, d, A, offA, lda, out);
        return;
      }
      const v = view(f32);
      copyIn(v, pa / es, ldaW, A, offA, lda, m, d);
      (f32 ? ex.srownorms : ex.drownorms)(m, d, pa, ldaW, po);
      out.set(v.subarray(po / es, po / es + m));
    },

    argminRows(m, n, C, offC, ldc, index, values) {
      if (m <= 0) return;
      // n = 0 has nothing to compare: the reference's (degenerate) convention applies.
      if (n <= 0 || m * n < STREAM_MIN) {
        jsKernels.argminRows(m, n, C, offC, ldc, index, values);
        return;
      }
      const f32 = C instanceof Float32Array;
      const es = f32 ? 4 : 8;
      const ldcW = innerLd(ldc, m, n);
      arena.begin();
      const pc = arena.alloc(span(m, n, ldcW) * es);
      const pi = arena.alloc(m * 4);
      const pv = values === null ? 0 : arena.alloc(m * es);
      if (!arena.commit()) {
        jsKernels.argminRows(m, n, C, offC, ldc, index, values);
        return;
      }
      const v = view(f32);
      copyIn(v, pc / es, ldcW, C, offC, ldc, m, n);
      (f32 ? ex.sargmin : ex.dargmin)(m, n, pc, ldcW, pi, pv);
      index.set(arena.i32.subarray(pi / 4, pi / 4 + m));
      if (values !== null) values.set(v.subarray(pv / es, pv / es + m));
    },

    dot(n, x, strideX, offX, y, strideY, offY) {
      if (n < STREAM_MIN || strideX !== 1 || strideY !== 1) return jsKernels.dot(n, x, strideX, offX, y, strideY, offY);
      const f32 = x instanceof Float32Array;
      const es = f32 ? 4 : 8;
      arena.begin();
      const px = arena.alloc(n * es);
      const py = arena.alloc(n * es);
      if (!arena.commit()) return jsKernels.dot(n, x, strideX, offX, y, strideY, offY);
      const v = view(f32);
      v.set(x.subarray(offX, offX + n), px / es);
      v.set(y.subarray(offY, offY + n), py / es);
      return (f32 ? ex.sdot : ex.ddot)(n, px, py);
    },

    axpy(n, alpha, x, strideX, offX, y, strideY, offY) {
      // alpha = 0 leaves y untouched (BLAS semantics, as the TypeScript kernel).
      if (alpha === 0) return;
      if (n < STREAM_MIN || strideX !== 1 || strideY !== 1) {
        jsKernels.axpy(n, alpha, x, strideX, offX, y, strideY, offY);
        return;
      }
      const f32 = y instanceof Float32Array;
      const es = f32 ? 4 : 8;
      arena.begin();
      const px = arena.alloc(n * es);
      const py = arena.alloc(n * es);
      if (!arena.commit()) {
        jsKernels.axpy(n, alpha, x, strideX, offX, y, strideY, offY);
        return;
      }
      const v = view(f32);
      v.set(x.subarray(offX, offX + n), px / es);
      v.set(y.subarray(offY, offY + n), py / es);
      (f32 ? ex.saxpy : ex.daxpy)(n, alpha, px, py);
      y.set(v.subarray(py / es, py / es + n), offY);
    },

    tridiagonalize(n, A, offA, lda, d, e, tau) {
      if (n <= 0) return;
      // The whole reduction runs on one copy of A: a call per step would copy the trailing
      // matrix in and out n times.
      arena.begin();
      const pa = arena.alloc(n * n * 8);
      const pd = arena.alloc(n * 8);
      const pe = arena.alloc(n * 8);
      const pt = arena.alloc(n * 8);
      const pw = arena.alloc(ex.dsytrdWork(n));
      if (!arena.commit()) {
        jsKernels.tridiagonalize(n, A, offA, lda, d, e, tau);
        return;
      }
      const v = arena.f64;
      copyIn(v, pa / 8, n, A, offA, lda, n, n);
      ex.dsytrd(n, pa, n, pd, pe, pt, pw);
      copyOut(v, pa / 8, n, A, offA, lda, n, n);
      d.set(v.subarray(pd / 8, pd / 8 + n));
      e.set(v.subarray(pe / 8, pe / 8 + n - 1));
      tau.set(v.subarray(pt / 8, pt / 8 + n - 1));
    },

    applyReflectorsRight(trans, m, total, k, shift, V, offV, ldv, tau, C, offC, ldc) {
      if (m <= 0 || k <= 0 || total <= shift) return;
      // All blocks are applied to one copy of C: through gemm, every block copied C (m × total)
      // in and out twice.
      const ldvW = innerLd(ldv, k, total);
      arena.begin();
      const pv = arena.alloc(span(k, total, ldvW) * 8);
      const pt = arena.alloc(k * 8);
      const pc = arena.alloc(m * total * 8);
      const pw = arena.alloc(ex.dreflectWork(m, total, k, shift));
      if (!arena.commit()) {
        jsKernels.applyReflectorsRight(trans, m, total, k, shift, V, offV, ldv, tau, C, offC, ldc);
        return;
      }
      const v = arena.f64;
      copyIn(v, pv / 8, ldvW, V, offV, ldv, k, total);
      v.set(tau.subarray(0, k), pt / 8);
      copyIn(v, pc / 8, total, C, offC, ldc, m, total);
      ex.dreflect(+trans, m, total, k, shift, pv, ldvW, pt, pc, total, pw);
      copyOut(v, pc / 8, total, C, offC, ldc, m, total);
    },

    secularEigen(k, d, z, rho, lambda, U) {
      if (k <= 0) return;
      arena.begin();
      const pd = arena.alloc(k * 8);
      const pz = arena.alloc(k * 8);
      const pl = arena.alloc(k * 8);
      const pu = arena.alloc(k * k * 8);
      const pw = arena.alloc(ex.dsecularWork(k));
      if (!arena.commit()) {
        jsKernels.secularEigen(k, d, z, rho, lambda, U);
        return;
      }
      const v = arena.f64;
      v.set(d.subarray(0, k), pd / 8);
      v.set(z.subarray(0, k), pz / 8);
      ex.dsecular(k, pd, pz, rho, pl, pu, pw);
      lambda.set(v.subarray(pl / 8, pl / 8 + k));
      U.set(v.subarray(pu / 8, pu / 8 + k * k));
    },

    tsneRepulsion2(n, order, Y, rec, child, out) {
      if (n <= 0) return 0;
      const cells = child.length;
      arena.begin();
      const po = arena.alloc(n * 4);
      const py = arena.alloc(n * 16);
      const pr = arena.alloc(cells * 32);
      const pc = arena.alloc(cells * 4);
      const pout = arena.alloc(n * 16);
      const pw = arena.alloc(ex.dtsnerep2Work());
      if (!arena.commit()) return jsKernels.tsneRepulsion2(n, order, Y, rec, child, out);
      arena.i32.set(order.subarray(0, n), po / 4);
      arena.f64.set(Y.subarray(0, 2 * n), py / 8);
      arena.f64.set(rec.subarray(0, 4 * cells), pr / 8);
      arena.i32.set(child.subarray(0, cells), pc / 4);
      const Z = ex.dtsnerep2(n, po, py, pr, pc, pout, pw);
      out.set(arena.f64.subarray(pout / 8, pout / 8 + 2 * n));
      return Z;
    },

    fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out) {
      if (n * d < STREAM_MIN) return jsKernels.fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out);
      const rows1 = step1 === 0 ? 1 : n;
      arena.begin();
      const pm0 = arena.alloc(n * d * 8), pv0 = arena.alloc(n * d * 8);
      const pm1 = arena.alloc(rows1 * d * 8), pv1 = arena.alloc(rows1 * d * 8);
      const pout = arena.alloc(n * 8);
      if (!arena.commit()) return jsKernels.fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out);
      const v = arena.f64;
      v.set(m0.subarray(0, n * d), pm0 / 8);
      v.set(v0.subarray(0, n * d), pv0 / 8);
      v.set(m1.subarray(0, rows1 * d), pm1 / 8);
      v.set(v1.subarray(0, rows1 * d), pv1 / 8);
      ex.dfisherraodiag(n, d, pm0, pv0, pm1, pv1, step1, pout);
      out.set(v.subarray(pout / 8, pout / 8 + n));
    },

    adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay) {
      if (n < STREAM_MIN) return jsKernels.adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      const f32 = p instanceof Float32Array;
      const es = f32 ? 4 : 8;
      arena.begin();
      const pp = arena.alloc(n * es), pg = arena.alloc(n * es), pm = arena.alloc(n * es), pv = arena.alloc(n * es);
      if (!arena.commit()) return jsKernels.adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      const w = view(f32);
      w.set(p.subarray(0, n), pp / es);
      w.set(g.subarray(0, n), pg / es);
      w.set(m.subarray(0, n), pm / es);
      w.set(v.subarray(0, n), pv / es);
      (f32 ? ex.sadam : ex.dadam)(n, pp, pg, pm, pv, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      p.set(w.subarray(pp / es, pp / es + n));
      m.set(w.subarray(pm / es, pm / es + n));
      v.set(w.subarray(pv / es, pv / es + n));
    },
  };
  return kernels;
}
