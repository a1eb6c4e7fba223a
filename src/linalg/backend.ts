import type { FloatArray } from '../core/matrix.js';
import { jsKernels } from './kernels/index.js';

/**
 * The hot kernels, declared once. The TypeScript implementations (`./kernels/`) are the
 * reference and the fallback; `latentspace/wasm` registers WebAssembly SIMD ones with the
 * same signatures. Kernels validate nothing: public functions check shapes first.
 *
 * Matrices are row-major, addressed as (array, offset, leading dimension): entry (i, j) of
 * A is `A[offA + i * lda + j]`. Vectors are (array, stride, offset), as in stdlib's BLAS.
 * A kernel is called with all arrays of one element type (all Float64Array or all
 * Float32Array); the `F` type parameter says so.
 */
export interface Kernels {
  /** Which implementation this is. */
  readonly name: 'js' | 'wasm';
  /**
   * C ← alpha · op(A) · op(B) + beta · C, with op(A) (m × k), op(B) (k × n), C (m × n).
   * op(A) = Aᵀ when `transA` (then A is stored k × m). When beta is 0, C is not read.
   */
  gemm<F extends FloatArray>(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    A: F, offA: number, lda: number, B: F, offB: number, ldb: number,
    beta: number, C: F, offC: number, ldc: number,
  ): void;
  /**
   * Gram matrix, C ← op(A) · op(A)ᵀ (n × n): with `trans` false, A is n × k and C = AAᵀ;
   * with `trans` true, A is k × n and C = AᵀA. Both triangles of C are written (one is
   * computed and mirrored). C is overwritten.
   */
  syrk<F extends FloatArray>(trans: boolean, n: number, k: number, A: F, offA: number, lda: number, C: F, offC: number, ldc: number): void;
  /**
   * Squared Euclidean distances, C[i][j] ← max(0, ‖aᵢ‖² + ‖bⱼ‖² − 2 aᵢ·bⱼ), for the rows of
   * A (m × d) and B (n × d). `normsA` (length m) and `normsB` (length n) hold the squared
   * row norms, computed by the caller (so repeated calls, as in k-means, reuse them).
   */
  sqDistances<F extends FloatArray>(
    m: number, n: number, d: number, A: F, offA: number, lda: number, normsA: F,
    B: F, offB: number, ldb: number, normsB: F, C: F, offC: number, ldc: number,
  ): void;
  /** Squared norm of each of the m rows of A (m × d) into `out`. */
  rowSqNorms<F extends FloatArray>(m: number, d: number, A: F, offA: number, lda: number, out: F): void;
  /**
   * For each of the m rows of C (m × n), the index of its smallest entry (the first on
   * ties) into `index`, and, when `values` is given, that entry.
   */
  argminRows<F extends FloatArray>(m: number, n: number, C: F, offC: number, ldc: number, index: Int32Array, values: F | null): void;
  /** Σ x[i]·y[i] over n strided entries. */
  dot<F extends FloatArray>(n: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): number;
  /** y ← alpha · x + y over n strided entries. */
  axpy<F extends FloatArray>(n: number, alpha: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): void;
}

let active: Kernels = jsKernels;

/** The kernels public functions should call now. */
export function kernels(): Kernels {
  return active;
}

/** Makes `next` the active implementation (`undefined` restores the TypeScript kernels). */
export function setKernels(next: Kernels | undefined): void {
  active = next ?? jsKernels;
}
