import type { Kernels } from '../linalg/backend.js';
import type { Region } from '../linalg/kernels/types.js';
import { jsKernels } from '../linalg/kernels/index.js';
import { ALIGN, Arena, type Numeric } from './arena.js';

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
  drotchain(n: number, x: number, ld: number, count: number, cs: number, sn: number): void;
  dgemv(trans: number, m: number, n: number, a: number, lda: number, x: number, incx: number, y: number): void;
  dreflectrows(len: number, rows: number, v: number, x: number, ld: number, tau: number): void;
  dsecularWork(k: number): number;
  dsecular(k: number, d: number, z: number, rho: number, lambda: number, u: number, work: number): void;
  dtsneattr2(n: number, rowPtr: number, col: number, val: number, y: number, scale: number, out: number): void;
  dtsnebh2Work(n: number, cap: number): number;
  dtsnebh2(n: number, y: number, theta: number, out: number, cap: number, work: number): number;
  dsmallestWork(k: number): number;
  dsmallest(rows: number, n: number, d: number, ldd: number, k: number, skip: number, index: number, work: number): void;
  dfisherraodiag(n: number, d: number, m0: number, v0: number, m1: number, w1: number, step1: number, sd1: number, out: number): void;
  dadam: AdamFn;
  sadam: AdamFn;
  dbcelogits: BceFn;
  sbcelogits: BceFn;
  dbiasrelu: BiasReluFn;
  sbiasrelu: BiasReluFn;
  dbiasrelugrad: BiasReluGradFn;
  sbiasrelugrad: BiasReluGradFn;
  dclustersums: ClusterSumsFn;
  sclustersums: ClusterSumsFn;
  dcolumnsums: ColumnSumsFn;
  scolumnsums: ColumnSumsFn;
  dshifttof32(m: number, d: number, a: number, shift: number, y: number, norms: number): void;
  dassigned: AssignedFn;
  sassigned: AssignedFn;
  dargmin2: Argmin2Fn;
  sargmin2: Argmin2Fn;
  gatherrows(m: number, rowBytes: number, x: number, index: number, out: number): void;
  dsqdistat: SqDistAtFn;
  ssqdistat: SqDistAtFn;
  dsqdistatWork(m: number, n: number, d: number): number;
  ssqdistatWork(m: number, n: number, d: number): number;
  dbatchompWork(n: number, ld: number): number;
  dbatchomp(
    m: number, n: number, maxAtoms: number, tol: number, g: number, b: number, norms: number,
    support: number, gamma: number, niter: number, ld: number, work: number,
  ): number;
  dassignedsums: AssignedSumsFn;
  sassignedsums: AssignedSumsFn;
  dpairsqdist: PairSqDistFn;
  spairsqdist: PairSqDistFn;
  dcolumnranges(m: number, d: number, a: number, lo: number, hi: number): void;
  dshiftcolstof32(m: number, d: number, a: number, width: number, cols: number, shift: number, y: number, norms: number): void;
  i16scores(m: number, n: number, k: number, x: number, index: number, w: number, norms: number, scale: number, out: number): void;
  dshifttoi16(m: number, d: number, a: number, shift: number, s: number, q: number, k: number, sums: number, norms: number): number;
}

type AssignedSumsFn = (m: number, d: number, a: number, w: number, labels: number, out: number, sums: number, counts: number) => void;
type PairSqDistFn = (count: number, d: number, a: number, rows: number, w: number, units: number, out: number) => void;

type Argmin2Fn = (m: number, n: number, c: number, ldc: number, index: number, first: number, second: number) => void;

type ClusterSumsFn = (d: number, x: number, order: number, nseg: number, seg: number, w: number, sums: number) => void;
type ColumnSumsFn = (m: number, d: number, a: number, w: number, sums: number) => number;
type AssignedFn = (m: number, d: number, a: number, c: number, labels: number, out: number) => void;

type AdamFn = (
  n: number, p: number, g: number, m: number, v: number, stepSize: number, invCorrection2: number,
  beta1: number, beta2: number, epsilon: number, weightDecay: number,
) => void;

type BceFn = (n: number, x: number, t: number, loss: number, d: number) => number;
type BiasReluFn = (m: number, n: number, y: number, b: number, relu: number) => void;
type BiasReluGradFn = (m: number, n: number, g: number, y: number, relu: number, dz: number, sums: number) => void;

type GemmFn = (
  transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number,
) => void;
type SyrkFn = (trans: number, n: number, k: number, a: number, lda: number, c: number, ldc: number, work: number) => void;
type SqDistFn = (
  m: number, n: number, d: number, a: number, lda: number, na: number, b: number, ldb: number, nb: number,
  c: number, ldc: number, work: number,
) => void;
type SqDistAtFn = (m: number, n: number, d: number, x: number, index: number, na: number, b: number, nb: number, c: number, work: number) => void;
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
// Elements per operand in one block of fisherRaoDiagonalSq: four such operands fill 256 KiB
// (an L2 cache's worth).
const FISHER_BLOCK = 8192;

/** The leading dimension a matrix gets inside linear memory (see LD_SLACK). */
function innerLd(ld: number, rows: number, cols: number): number {
  return rows > 1 && ld - cols <= LD_SLACK ? ld : cols;
}

/** Elements a rows × cols matrix with leading dimension `ld` spans. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * Copies a rows × cols matrix (src, off, ld) to (dst, at, ldw), in one piece, gaps included,
 * when `gaps` allows writing the gaps between rows of dst (the scratch's own) and the
 * strides agree; a caller's gaps are never written. `set` copies correctly between
 * overlapping views of one buffer.
 */
function copy(src: Numeric, off: number, ld: number, dst: Numeric, at: number, ldw: number, rows: number, cols: number, gaps: boolean): void {
  if (rows === 0 || cols === 0) return;
  if (rows === 1 || (ld === ldw && (gaps || ld === cols))) {
    dst.set(src.subarray(off, off + span(rows, cols, ld)), at);
  } else if (cols >= ROW_SET_MIN) {
    for (let i = 0; i < rows; i++) dst.set(src.subarray(off + i * ld, off + i * ld + cols), at + i * ldw);
  } else {
    for (let i = 0; i < rows; i++) {
      const s = off + i * ld, d = at + i * ldw;
      for (let j = 0; j < cols; j++) dst[d + j] = src[s + j]!;
    }
  }
}

/** Bytes per element. */
const sizeOf = (a: Numeric): number => a.BYTES_PER_ELEMENT;

/**
 * The layout of one kernel call, the steps every adapter shares (issue 20's one factory):
 * each operand gets a byte address, the memory grows once for all of them, the inputs are
 * copied in, the kernel runs, the outputs are copied out.
 *
 * An operand that is a view of linear memory (a {@link Region}'s view) is used where it
 * lies: no copy in, and for an output no copy out, unless it overlaps an input of the same
 * call (then it goes through the scratch, so kernels never see aliased operands). Any other
 * array gets a slot in the scratch. Addresses are taken before the memory grows: growing
 * detaches the caller's views, so after commit() resident data is reached only through the
 * arena's own, fresh views, by address.
 */
class Call {
  /** The leading dimension (in elements) the kernel must use for the operand just laid out. */
  ld = 0;
  // Pending copies: source (an array, or null for linear memory at element `off`), its
  // offset and leading dimension, the destination address (elements) and leading
  // dimension, the shape; outputs also keep where they go back to.
  private readonly ins: CopyPlan[] = [];
  private readonly outs: CopyPlan[] = [];
  private nIn = 0;
  private nOut = 0;
  // Byte ranges of the resident inputs of this call, [from, to) pairs.
  private readonly read: number[] = [];

  constructor(private readonly arena: Arena) {}

  begin(): this {
    this.arena.begin();
    this.nIn = 0;
    this.nOut = 0;
    this.read.length = 0;
    return this;
  }

  /** Scratch of `bytes` (a kernel's workspace, or an output the caller does not get). */
  scratch(bytes: number): number {
    return this.arena.alloc(bytes);
  }

  /** A rows × cols matrix the kernel reads: its byte address; `this.ld` its leading dimension. */
  input(A: Numeric, off: number, ld: number, rows: number, cols: number): number {
    const es = sizeOf(A), n = span(rows, cols, ld);
    if (this.arena.holds(A)) {
      const p = A.byteOffset + off * es;
      this.read.push(p, p + n * es);
      this.ld = ld;
      return p;
    }
    checkAttached(A, n);
    this.ld = innerLd(ld, rows, cols);
    const p = this.arena.alloc(span(rows, cols, this.ld) * es);
    if (n > 0) plan(this.ins, this.nIn++, A, off, ld, p / es, this.ld, rows, cols);
    return p;
  }

  /** A vector of n contiguous elements the kernel reads. */
  vector(x: Numeric, off: number, n: number): number {
    return this.input(x, off, n, 1, n);
  }

  /**
   * A rows × cols matrix the kernel writes (and reads first, when `read`): its byte
   * address; `this.ld` its leading dimension. Call after every input of the call.
   */
  output(C: Numeric, off: number, ld: number, rows: number, cols: number, read = false): number {
    const es = sizeOf(C), n = span(rows, cols, ld);
    if (this.arena.holds(C)) {
      const p = C.byteOffset + off * es;
      if (!this.overlapsInput(p, p + n * es)) {
        this.ld = ld;
        return p;
      }
      // Through the scratch; copied from and back to linear memory at its address.
      this.ld = cols;
      const q = this.arena.alloc(rows * cols * es);
      if (read) plan(this.ins, this.nIn++, C, p / es, ld, q / es, cols, rows, cols, true);
      plan(this.outs, this.nOut++, C, p / es, ld, q / es, cols, rows, cols, true);
      return q;
    }
    checkAttached(C, n);
    this.ld = cols;
    const q = this.arena.alloc(rows * cols * es);
    if (n > 0) {
      if (read) plan(this.ins, this.nIn++, C, off, ld, q / es, cols, rows, cols);
      plan(this.outs, this.nOut++, C, off, ld, q / es, cols, rows, cols);
    }
    return q;
  }

  /** Grows the memory for the whole layout and copies the inputs in; false: run the TypeScript kernel instead. */
  commit(): boolean {
    if (!this.arena.commit()) return false;
    for (let i = 0; i < this.nIn; i++) {
      const c = this.ins[i]!, mem = this.view(c.src);
      copy(c.inMemory ? mem : c.src, c.off, c.ld, mem, c.at, c.ldw, c.rows, c.cols, true);
    }
    return true;
  }

  /** Copies the outputs out. */
  finish(): void {
    for (let i = 0; i < this.nOut; i++) {
      const c = this.outs[i]!, mem = this.view(c.src);
      copy(mem, c.at, c.ldw, c.inMemory ? mem : c.src, c.off, c.ld, c.rows, c.cols, false);
    }
  }

  /** The arena's current view for arrays of this type. */
  view(like: Numeric): Numeric {
    if (like instanceof Int16Array) return this.arena.i16;
    return like instanceof Float64Array ? this.arena.f64 : like instanceof Float32Array ? this.arena.f32 : this.arena.i32;
  }

  private overlapsInput(from: number, to: number): boolean {
    const r = this.read;
    for (let i = 0; i < r.length; i += 2) if (from < r[i + 1]! && r[i]! < to) return true;
    return false;
  }
}

/** One pending copy of a call (see Call). */
interface CopyPlan {
  src: Numeric;
  inMemory: boolean;
  off: number;
  ld: number;
  at: number;
  ldw: number;
  rows: number;
  cols: number;
}

function plan(list: CopyPlan[], i: number, src: Numeric, off: number, ld: number, at: number, ldw: number, rows: number, cols: number, inMemory = false): void {
  const c = list[i];
  if (c === undefined) {
    list[i] = { src, inMemory, off, ld, at, ldw, rows, cols };
    return;
  }
  c.src = src;
  c.inMemory = inMemory;
  c.off = off;
  c.ld = ld;
  c.at = at;
  c.ldw = ldw;
  c.rows = rows;
  c.cols = cols;
}

/**
 * A view of linear memory taken before the memory last grew is detached (length 0): reading
 * it would give undefined, silently. Region views must be re-derived after every call.
 */
function checkAttached(a: Numeric, n: number): void {
  if (n > 0 && a.length === 0) {
    throw new Error('latentspace internal error: a detached view of WebAssembly memory reached a kernel (re-derive region views after every kernel call)');
  }
}

/**
 * Wraps an instance of the module as {@link Kernels}. Each call lays its operands out in
 * linear memory (see {@link Call}): views of linear memory (regions, see `resident` and
 * `region`) are used in place, other arrays are copied in (compacted when their rows are far
 * apart) and the results copied out, so kernels may be called with any typed arrays,
 * including overlapping ones. Should a problem not fit in the 4 GiB of wasm32 memory, that
 * call runs on the TypeScript kernels instead; so do small or strided calls of the
 * streaming kernels (see STREAM_MIN).
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
  const call = new Call(arena);
  // Cells of the largest 2-D Barnes-Hut tree so far (see tsneBarnesHut2).
  let treeCap = 0;
  // Rows of the largest Cholesky factor a Batch-OMP signal has needed so far (see batchOmp).
  let ompRows = 64;

  const kernels: WasmKernels = {
    name: 'wasm',

    memoryBytes: () => arena.bytes(),

    resident(data) {
      const r = arena.region(data, data.length);
      r.view().set(data);
      return r;
    },

    region: (like, length) => arena.region(like, length),

    gemm(transA, transB, m, n, k, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) {
      if (m <= 0 || n <= 0) return;
      const f32 = C instanceof Float32Array;
      // With alpha = 0 or k = 0, A and B are not read (BLAS semantics): C ← beta · C.
      const product = k > 0 && alpha !== 0;
      const c = call.begin();
      const pa = product ? c.input(A, offA, lda, transA ? k : m, transA ? m : k) : 0, ldaW = product ? c.ld : 0;
      const pb = product ? c.input(B, offB, ldb, transB ? n : k, transB ? k : n) : 0, ldbW = product ? c.ld : 0;
      // beta = 0: C is not read, so NaN or garbage in it cannot reach the result.
      const pc = c.output(C, offC, ldc, m, n, beta !== 0), ldcW = c.ld;
      const pw = c.scratch(f32 ? ex.sgemmWork(m, n, product ? k : 0) : ex.dgemmWork(m, n, product ? k : 0));
      if (!c.commit()) return jsKernels.gemm(transA, transB, m, n, k, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc);
      (f32 ? ex.sgemm : ex.dgemm)(+transA, +transB, m, n, k, alpha, pa, ldaW, pb, ldbW, beta, pc, ldcW, pw);
      c.finish();
    },

    syrk(trans, n, k, A, offA, lda, C, offC, ldc) {
      if (n <= 0) return;
      const f32 = C instanceof Float32Array;
      const c = call.begin();
      const pa = k > 0 ? c.input(A, offA, lda, trans ? k : n, trans ? n : k) : 0, ldaW = k > 0 ? c.ld : 0;
      const pc = c.output(C, offC, ldc, n, n), ldcW = c.ld;
      const pw = c.scratch(f32 ? ex.sgemmWork(n, n, k) : ex.dgemmWork(n, n, k));
      if (!c.commit()) return jsKernels.syrk(trans, n, k, A, offA, lda, C, offC, ldc);
      (f32 ? ex.ssyrk : ex.dsyrk)(+trans, n, k, pa, ldaW, pc, ldcW, pw);
      c.finish();
    },

    sqDistances(m, n, d, A, offA, lda, normsA, B, offB, ldb, normsB, C, offC, ldc) {
      if (m <= 0 || n <= 0) return;
      const f32 = C instanceof Float32Array;
      const es = f32 ? 4 : 8;
      const c = call.begin();
      const pa = c.input(A, offA, lda, m, d), ldaW = c.ld;
      const pb = c.input(B, offB, ldb, n, d), ldbW = c.ld;
      // Norms the caller did not supply are computed here, from the operands in memory.
      const pna = normsA === null ? c.scratch(m * es) : c.vector(normsA, 0, m);
      const pnb = normsB === null ? c.scratch(n * es) : c.vector(normsB, 0, n);
      const pc = c.output(C, offC, ldc, m, n), ldcW = c.ld;
      const pw = c.scratch(f32 ? ex.sgemmWork(m, n, d) : ex.dgemmWork(m, n, d));
      if (!c.commit()) return jsKernels.sqDistances(m, n, d, A, offA, lda, normsA, B, offB, ldb, normsB, C, offC, ldc);
      if (normsA === null) (f32 ? ex.srownorms : ex.drownorms)(m, d, pa, ldaW, pna);
      if (normsB === null) (f32 ? ex.srownorms : ex.drownorms)(n, d, pb, ldbW, pnb);
      (f32 ? ex.ssqdist : ex.dsqdist)(m, n, d, pa, ldaW, pna, pb, ldbW, pnb, pc, ldcW, pw);
      c.finish();
    },

    rowSqNorms(m, d, A, offA, lda, out) {
      if (m <= 0) return;
      if (m * d < STREAM_MIN) return jsKernels.rowSqNorms(m, d, A, offA, lda, out);
      const c = call.begin();
      const pa = c.input(A, offA, lda, m, d), ldaW = c.ld;
      const po = c.output(out, 0, m, 1, m);
      if (!c.commit()) return jsKernels.rowSqNorms(m, d, A, offA, lda, out);
      (out instanceof Float32Array ? ex.srownorms : ex.drownorms)(m, d, pa, ldaW, po);
      c.finish();
    },

    argminRows(m, n, C, offC, ldc, index, values) {
      if (m <= 0) return;
      // n = 0 has nothing to compare: the reference's (degenerate) convention applies.
      if (n <= 0 || m * n < STREAM_MIN) return jsKernels.argminRows(m, n, C, offC, ldc, index, values);
      const c = call.begin();
      const pc = c.input(C, offC, ldc, m, n), ldcW = c.ld;
      const pi = c.output(index, 0, m, 1, m);
      const pv = values === null ? 0 : c.output(values, 0, m, 1, m);
      if (!c.commit()) return jsKernels.argminRows(m, n, C, offC, ldc, index, values);
      (C instanceof Float32Array ? ex.sargmin : ex.dargmin)(m, n, pc, ldcW, pi, pv);
      c.finish();
    },

    argmin2Rows(m, n, C, offC, ldc, index, first, second) {
      if (m <= 0) return;
      if (m * n < STREAM_MIN) return jsKernels.argmin2Rows(m, n, C, offC, ldc, index, first, second);
      const c = call.begin();
      const pc = c.input(C, offC, ldc, m, n), ldcW = c.ld;
      const pi = c.output(index, 0, m, 1, m);
      const p1 = c.output(first, 0, m, 1, m);
      const p2 = c.output(second, 0, m, 1, m);
      if (!c.commit()) return jsKernels.argmin2Rows(m, n, C, offC, ldc, index, first, second);
      (C instanceof Float32Array ? ex.sargmin2 : ex.dargmin2)(m, n, pc, ldcW, pi, p1, p2);
      c.finish();
    },

    // The k-means passes over X (see ../linalg/kernels/clusters.ts): X is normally a
    // resident region, read in place; any other array is copied in as for every kernel.
    clusterSums(n, d, X, order, nSegments, segments, weights, sums) {
      if (nSegments <= 0) return;
      const rows = segments[3 * nSegments - 2]!;
      const c = call.begin();
      const px = c.input(X, 0, d, n, d);
      const po = c.vector(order, 0, rows);
      const ps = c.vector(segments, 0, 3 * nSegments);
      const pw = weights === null ? 0 : c.vector(weights, 0, n);
      const pu = c.output(sums, 0, sums.length, 1, sums.length, true);
      if (!c.commit()) return jsKernels.clusterSums(n, d, X, order, nSegments, segments, weights, sums);
      (X instanceof Float32Array ? ex.sclustersums : ex.dclustersums)(d, px, po, nSegments, ps, pw, pu);
      c.finish();
    },

    gatherRows(m, d, X, n, index, offIndex, out) {
      if (m <= 0 || d <= 0) return;
      const c = call.begin();
      const px = c.input(X, 0, d, n, d);
      const pi = c.vector(index, offIndex, m);
      const po = c.output(out, 0, d, m, d);
      if (!c.commit()) return jsKernels.gatherRows(m, d, X, n, index, offIndex, out);
      ex.gatherrows(m, d * X.BYTES_PER_ELEMENT, px, pi, po);
      c.finish();
    },

    // X is normally resident (a k-means source's rows, or its float32 mirror), read in
    // place: only the index, the m norms and the centres are copied in.
    sqDistancesAt(m, n, d, X, nX, index, offIndex, normsA, B, normsB, C) {
      if (m <= 0 || n <= 0) return;
      const f32 = C instanceof Float32Array;
      const c = call.begin();
      const px = c.input(X, 0, d, nX, d);
      const pi = c.vector(index, offIndex, m);
      const pna = c.vector(normsA, 0, m);
      const pb = c.input(B, 0, d, n, d);
      const pnb = c.vector(normsB, 0, n);
      const pc = c.output(C, 0, n, m, n);
      const pw = c.scratch((f32 ? ex.ssqdistatWork : ex.dsqdistatWork)(m, n, d));
      if (!c.commit()) return jsKernels.sqDistancesAt(m, n, d, X, nX, index, offIndex, normsA, B, normsB, C);
      (f32 ? ex.ssqdistat : ex.dsqdistat)(m, n, d, px, pi, pna, pb, pnb, pc, pw);
      c.finish();
    },

    columnSums(m, d, A, weights, sums) {
      if (m * d < STREAM_MIN) return jsKernels.columnSums(m, d, A, weights, sums);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pw = weights === null ? 0 : c.vector(weights, 0, m);
      const pu = c.output(sums, 0, d, 1, d);
      if (!c.commit()) return jsKernels.columnSums(m, d, A, weights, sums);
      const top = (A instanceof Float32Array ? ex.scolumnsums : ex.dcolumnsums)(m, d, pa, pw, pu);
      c.finish();
      return top;
    },

    shiftToFloat32(m, d, A, shift, Y, norms) {
      if (m * d < STREAM_MIN) return jsKernels.shiftToFloat32(m, d, A, shift, Y, norms);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pshift = c.vector(shift, 0, d);
      const py = c.output(Y, 0, d, m, d);
      const pn = c.output(norms, 0, m, 1, m);
      if (!c.commit()) return jsKernels.shiftToFloat32(m, d, A, shift, Y, norms);
      ex.dshifttof32(m, d, pa, pshift, py, pn);
      c.finish();
    },

    assignedSqDistances(m, d, A, C, labels, out) {
      if (m * d < STREAM_MIN) return jsKernels.assignedSqDistances(m, d, A, C, labels, out);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pc = c.vector(C, 0, C.length);
      const pl = c.vector(labels, 0, m);
      const po = c.output(out, 0, m, 1, m);
      if (!c.commit()) return jsKernels.assignedSqDistances(m, d, A, C, labels, out);
      (A instanceof Float32Array ? ex.sassigned : ex.dassigned)(m, d, pa, pc, pl, po);
      c.finish();
    },

    // The SOM passes over X (see ../linalg/kernels/som.ts): X is normally a resident region.
    assignedSums(m, d, A, W, labels, out, sums, counts) {
      if (m * d < STREAM_MIN) return jsKernels.assignedSums(m, d, A, W, labels, out, sums, counts);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pw = c.vector(W, 0, W.length);
      const pl = c.vector(labels, 0, m);
      const po = c.output(out, 0, m, 1, m);
      const ps = c.output(sums, 0, sums.length, 1, sums.length, true);
      const pn = c.output(counts, 0, counts.length, 1, counts.length, true);
      if (!c.commit()) return jsKernels.assignedSums(m, d, A, W, labels, out, sums, counts);
      (A instanceof Float32Array ? ex.sassignedsums : ex.dassignedsums)(m, d, pa, pw, pl, po, ps, pn);
      c.finish();
    },

    pairSqDistances(count, d, X, n, rows, W, units, out) {
      if (count * d < STREAM_MIN) return jsKernels.pairSqDistances(count, d, X, n, rows, W, units, out);
      const c = call.begin();
      const px = c.input(X, 0, d, n, d);
      const pr = c.vector(rows, 0, count);
      const pw = c.vector(W, 0, W.length);
      const pu = c.vector(units, 0, count);
      const po = c.output(out, 0, count, 1, count);
      if (!c.commit()) return jsKernels.pairSqDistances(count, d, X, n, rows, W, units, out);
      (X instanceof Float32Array ? ex.spairsqdist : ex.dpairsqdist)(count, d, px, pr, pw, pu, po);
      c.finish();
    },

    quantizedScores(m, n, k, X, Wq, norms, scale, out) {
      if (m * n * k < STREAM_MIN) return jsKernels.quantizedScores(m, n, k, X, Wq, norms, scale, out);
      const c = call.begin();
      const px = c.input(X, 0, k, m, k);
      const pw = c.input(Wq, 0, k, n, k);
      const pn = c.vector(norms, 0, n);
      const po = c.output(out, 0, n, m, n);
      if (!c.commit()) return jsKernels.quantizedScores(m, n, k, X, Wq, norms, scale, out);
      ex.i16scores(m, n, k, px, 0, pw, pn, scale, po);
      c.finish();
    },

    shiftToInt16(m, d, A, shift, s, Q, k, sums, norms) {
      if (m * d < STREAM_MIN) return jsKernels.shiftToInt16(m, d, A, shift, s, Q, k, sums, norms);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pshift = c.vector(shift, 0, d);
      const pq = c.output(Q, 0, k, m, k);
      const ps = c.output(sums, 0, m, 1, m);
      const pn = c.output(norms, 0, m, 1, m);
      if (!c.commit()) return jsKernels.shiftToInt16(m, d, A, shift, s, Q, k, sums, norms);
      const qmax = ex.dshifttoi16(m, d, pa, pshift, s, pq, k, ps, pn);
      c.finish();
      return qmax;
    },

    quantizedScoresAt(m, n, k, X, nX, index, offIndex, Wq, norms, scale, out) {
      if (m <= 0 || n <= 0) return;
      const c = call.begin();
      const px = c.input(X, 0, k, nX, k);
      const pi = c.vector(index, offIndex, m);
      const pw = c.input(Wq, 0, k, n, k);
      const pn = c.vector(norms, 0, n);
      const po = c.output(out, 0, n, m, n);
      if (!c.commit()) return jsKernels.quantizedScoresAt(m, n, k, X, nX, index, offIndex, Wq, norms, scale, out);
      ex.i16scores(m, n, k, px, pi, pw, pn, scale, po);
      c.finish();
    },

    columnRanges(m, d, A, lo, hi) {
      if (m * d < STREAM_MIN) return jsKernels.columnRanges(m, d, A, lo, hi);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pl = c.output(lo, 0, d, 1, d);
      const ph = c.output(hi, 0, d, 1, d);
      if (!c.commit()) return jsKernels.columnRanges(m, d, A, lo, hi);
      ex.dcolumnranges(m, d, pa, pl, ph);
      c.finish();
    },

    shiftColumnsToFloat32(m, d, A, width, cols, shift, Y, norms) {
      if (m * width < STREAM_MIN) return jsKernels.shiftColumnsToFloat32(m, d, A, width, cols, shift, Y, norms);
      const c = call.begin();
      const pa = c.input(A, 0, d, m, d);
      const pc = c.vector(cols, 0, width);
      const pshift = c.vector(shift, 0, width);
      const py = c.output(Y, 0, width, m, width);
      const pn = c.output(norms, 0, m, 1, m);
      if (!c.commit()) return jsKernels.shiftColumnsToFloat32(m, d, A, width, cols, shift, Y, norms);
      ex.dshiftcolstof32(m, d, pa, width, pc, pshift, py, pn);
      c.finish();
    },

    dot(n, x, strideX, offX, y, strideY, offY) {
      if (n < STREAM_MIN || strideX !== 1 || strideY !== 1) return jsKernels.dot(n, x, strideX, offX, y, strideY, offY);
      const c = call.begin();
      const px = c.vector(x, offX, n);
      const py = c.vector(y, offY, n);
      if (!c.commit()) return jsKernels.dot(n, x, strideX, offX, y, strideY, offY);
      return (x instanceof Float32Array ? ex.sdot : ex.ddot)(n, px, py);
    },

    axpy(n, alpha, x, strideX, offX, y, strideY, offY) {
      // alpha = 0 leaves y untouched (BLAS semantics, as the TypeScript kernel).
      if (alpha === 0) return;
      if (n < STREAM_MIN || strideX !== 1 || strideY !== 1) return jsKernels.axpy(n, alpha, x, strideX, offX, y, strideY, offY);
      const c = call.begin();
      const px = c.vector(x, offX, n);
      const py = c.output(y, offY, n, 1, n, true);
      if (!c.commit()) return jsKernels.axpy(n, alpha, x, strideX, offX, y, strideY, offY);
      (y instanceof Float32Array ? ex.saxpy : ex.daxpy)(n, alpha, px, py);
      c.finish();
    },

    tridiagonalize(n, A, offA, lda, d, e, tau) {
      if (n <= 0) return;
      // The whole reduction runs on one copy of A: a call per step would copy the trailing
      // matrix in and out n times.
      const c = call.begin();
      const pa = c.output(A, offA, lda, n, n, true), ldaW = c.ld;
      const pd = c.output(d, 0, n, 1, n);
      const pe = c.output(e, 0, n, 1, n - 1);
      const pt = c.output(tau, 0, n, 1, n - 1);
      const pw = c.scratch(ex.dsytrdWork(n));
      if (!c.commit()) return jsKernels.tridiagonalize(n, A, offA, lda, d, e, tau);
      ex.dsytrd(n, pa, ldaW, pd, pe, pt, pw);
      c.finish();
    },

    applyReflectorsRight(trans, m, total, k, shift, V, offV, ldv, tau, C, offC, ldc) {
      if (m <= 0 || k <= 0 || total <= shift) return;
      // All blocks are applied to one copy of C: through gemm, every block copied C (m × total)
      // in and out twice.
      const c = call.begin();
      const pv = c.input(V, offV, ldv, k, total), ldvW = c.ld;
      const pt = c.vector(tau, 0, k);
      const pc = c.output(C, offC, ldc, m, total, true), ldcW = c.ld;
      const pw = c.scratch(ex.dreflectWork(m, total, k, shift));
      if (!c.commit()) return jsKernels.applyReflectorsRight(trans, m, total, k, shift, V, offV, ldv, tau, C, offC, ldc);
      ex.dreflect(+trans, m, total, k, shift, pv, ldvW, pt, pc, ldcW, pw);
      c.finish();
    },

    gemv(trans, m, n, A, offA, lda, x, offX, incX, y, offY) {
      if (m <= 0 || n <= 0) return jsKernels.gemv(trans, m, n, A, offA, lda, x, offX, incX, y, offY);
      // A is a region's view in the bidiagonalisation (read in place, x a column or row of it).
      const c = call.begin();
      const pa = c.input(A, offA, lda, m, n), ldaW = c.ld;
      const px = c.input(x, offX, incX, trans ? m : n, 1), incW = c.ld;
      const len = trans ? n : m;
      const py = c.output(y, offY, len, 1, len);
      if (!c.commit()) return jsKernels.gemv(trans, m, n, A, offA, lda, x, offX, incX, y, offY);
      ex.dgemv(+trans, m, n, pa, ldaW, px, incW, py);
      c.finish();
    },

    rotateChain(n, X, offX, ld, j0, j1, cs, sn) {
      if (n <= 0 || j1 <= j0) return;
      // X is a region's view in the SVD (rotated in place, no copy); rows j0 … j1 otherwise.
      const c = call.begin();
      const pc = c.vector(cs, j0, j1 - j0), ps = c.vector(sn, j0, j1 - j0);
      const px = c.output(X, offX + j0 * ld, ld, j1 - j0 + 1, n, true), ldW = c.ld;
      if (!c.commit()) return jsKernels.rotateChain(n, X, offX, ld, j0, j1, cs, sn);
      ex.drotchain(n, px, ldW, j1 - j0, pc, ps);
      c.finish();
    },

    reflectRows(len, rows, V, offV, X, offX, ld, tau) {
      if (len <= 0 || rows <= 0) return;
      // X's rows and v lie in one resident matrix in the LQ panels (both read in place).
      const c = call.begin();
      const pv = c.vector(V, offV, len);
      const px = c.output(X, offX, ld, rows, len, true), ldW = c.ld;
      if (!c.commit()) return jsKernels.reflectRows(len, rows, V, offV, X, offX, ld, tau);
      ex.dreflectrows(len, rows, pv, px, ldW, tau);
      c.finish();
    },

    secularEigen(k, d, z, rho, lambda, U) {
      if (k <= 0) return;
      const c = call.begin();
      const pd = c.vector(d, 0, k);
      const pz = c.vector(z, 0, k);
      const pl = c.output(lambda, 0, k, 1, k);
      const pu = c.output(U, 0, k * k, 1, k * k);
      const pw = c.scratch(ex.dsecularWork(k));
      if (!c.commit()) return jsKernels.secularEigen(k, d, z, rho, lambda, U);
      ex.dsecular(k, pd, pz, rho, pl, pu, pw);
      c.finish();
    },

    tsneAttraction2(n, rowPtr, col, val, Y, scale, out) {
      if (n <= 0) return;
      const nnz = rowPtr[n]!;
      const c = call.begin();
      const pp = c.vector(rowPtr, 0, n + 1);
      const pc = c.vector(col, 0, nnz);
      const pv = c.vector(val, 0, nnz);
      const py = c.vector(Y, 0, 2 * n);
      const pout = c.output(out, 0, 2 * n, 1, 2 * n);
      if (!c.commit()) return jsKernels.tsneAttraction2(n, rowPtr, col, val, Y, scale, out);
      ex.dtsneattr2(n, pp, pc, pv, py, scale, pout);
      c.finish();
    },

    tsneBarnesHut2(n, Y, theta, out) {
      if (n <= 0) return 0;
      // Room for the cells of the largest tree so far (a quadtree over n points has ~4n
      // cells when they are spread out, more when some nearly coincide): a tree that does
      // not fit is built again in twice the room.
      for (treeCap = Math.max(treeCap, 4 * n + 64); ; treeCap *= 2) {
        const c = call.begin();
        const py = c.vector(Y, 0, 2 * n);
        const pout = c.output(out, 0, 2 * n, 1, 2 * n);
        const pw = c.scratch(ex.dtsnebh2Work(n, treeCap));
        if (!c.commit()) return jsKernels.tsneBarnesHut2(n, Y, theta, out);
        const Z = ex.dtsnebh2(n, py, theta, pout, treeCap, pw);
        if (Z >= 0) {
          c.finish();
          return Z;
        }
      }
    },

    smallestInRows(rows, n, D, offD, ldd, k, skip, index, offIndex) {
      if (rows <= 0 || k <= 0) return;
      const c = call.begin();
      const pd = c.input(D, offD, ldd, rows, n), lddW = c.ld;
      const pi = c.output(index, offIndex, k, rows, k);
      const pw = c.scratch(ex.dsmallestWork(k));
      if (!c.commit()) return jsKernels.smallestInRows(rows, n, D, offD, ldd, k, skip, index, offIndex);
      ex.dsmallest(rows, n, pd, lddW, k, skip, pi, pw);
      c.finish();
    },

    fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out) {
      if (n * d < STREAM_MIN) return jsKernels.fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out);
      // A block of rows at a time: each block is copied in while the cache still holds it
      // for the kernel (one pass over the caller's arrays instead of a copy through memory
      // and a second read), and the memory taken stays that of a block.
      // One reference: its standard deviations are taken once, here, not once per row.
      const w1 = step1 === 0 ? v1.subarray(0, d).map(Math.sqrt) : v1;
      const block = Math.max(1, Math.floor(FISHER_BLOCK / d));
      for (let r = 0; r < n; r += block) {
        const rows = Math.min(block, n - r);
        const c = call.begin();
        const pm0 = c.vector(m0, r * d, rows * d), pv0 = c.vector(v0, r * d, rows * d);
        const pm1 = c.vector(m1, r * step1, (step1 === 0 ? 1 : rows) * d), pw1 = c.vector(w1, r * step1, (step1 === 0 ? 1 : rows) * d);
        const pout = c.output(out, r, rows, 1, rows);
        if (!c.commit()) return jsKernels.fisherRaoDiagonalSq(n, d, m0, v0, m1, v1, step1, out);
        ex.dfisherraodiag(rows, d, pm0, pv0, pm1, pw1, step1, step1 === 0 ? 1 : 0, pout);
        c.finish();
      }
    },

    batchOmp(m, n, maxAtoms, tol, G, offG, B, offB, norms, offNorms, support, offSupport, gamma, offGamma, nIter, offIter) {
      if (m <= 0) return;
      // G and the block's correlations are regions in OMP (read in place), and so are its
      // supports and weights. The factor's room is that of the most atoms a signal needed
      // so far: a signal that needs more has the block run again with twice the room.
      for (; ; ompRows *= 2) {
        const ld = Math.min(ompRows, maxAtoms);
        const c = call.begin();
        const pg = c.input(G, offG, n, n, n);
        const pb = c.input(B, offB, n, m, n);
        const pn = tol < 0 || norms === null ? 0 : c.vector(norms, offNorms, m);
        const ps = c.output(support, offSupport, maxAtoms, m, maxAtoms);
        const pgam = c.output(gamma, offGamma, maxAtoms, m, maxAtoms);
        const pi = c.output(nIter, offIter, m, 1, m);
        const pw = c.scratch(ex.dbatchompWork(n, ld));
        if (!c.commit()) return jsKernels.batchOmp(m, n, maxAtoms, tol, G, offG, B, offB, norms, offNorms, support, offSupport, gamma, offGamma, nIter, offIter);
        if (ex.dbatchomp(m, n, maxAtoms, tol, pg, pb, pn, ps, pgam, pi, ld, pw) !== 0) {
          c.finish();
          return;
        }
      }
    },

    adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay) {
      if (n < STREAM_MIN) return jsKernels.adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      const c = call.begin();
      const pg = c.vector(g, 0, n);
      const pp = c.output(p, 0, n, 1, n, true), pm = c.output(m, 0, n, 1, n, true), pv = c.output(v, 0, n, 1, n, true);
      if (!c.commit()) return jsKernels.adam(n, p, g, m, v, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      (p instanceof Float32Array ? ex.sadam : ex.dadam)(n, pp, pg, pm, pv, stepSize, invCorrection2, beta1, beta2, epsilon, weightDecay);
      c.finish();
    },

    bceLogits(n, x, t, loss, d) {
      if (n < STREAM_MIN) return jsKernels.bceLogits(n, x, t, loss, d);
      const c = call.begin();
      const px = c.vector(x, 0, n), pt = c.vector(t, 0, n);
      const pl = loss === null ? 0 : c.output(loss, 0, n, 1, n), pd = d === null ? 0 : c.output(d, 0, n, 1, n);
      if (!c.commit()) return jsKernels.bceLogits(n, x, t, loss, d);
      const sum = (x instanceof Float32Array ? ex.sbcelogits : ex.dbcelogits)(n, px, pt, pl, pd);
      c.finish();
      return sum;
    },

    biasRelu(m, n, Y, b, relu) {
      if (m * n < STREAM_MIN) return jsKernels.biasRelu(m, n, Y, b, relu);
      const c = call.begin();
      const pb = c.vector(b, 0, n);
      const py = c.output(Y, 0, n, m, n, true);
      if (!c.commit()) return jsKernels.biasRelu(m, n, Y, b, relu);
      (Y instanceof Float32Array ? ex.sbiasrelu : ex.dbiasrelu)(m, n, py, pb, +relu);
      c.finish();
    },

    biasReluGrad(m, n, g, y, relu, dz, sums) {
      if (m * n < STREAM_MIN || (!relu && sums === null)) return jsKernels.biasReluGrad(m, n, g, y, relu, dz, sums);
      const c = call.begin();
      const pg = c.input(g, 0, n, m, n);
      const py = relu ? c.input(y, 0, n, m, n) : 0;
      const pd = relu ? c.output(dz, 0, n, m, n) : 0;
      const ps = sums === null ? 0 : c.output(sums, 0, n, 1, n, true);
      if (!c.commit()) return jsKernels.biasReluGrad(m, n, g, y, relu, dz, sums);
      (g instanceof Float32Array ? ex.sbiasrelugrad : ex.dbiasrelugrad)(m, n, pg, py, +relu, pd, ps);
      c.finish();
    },
  };
  return kernels;
}
