import type { FloatArray } from '../../core/matrix.js';
import { gemm } from './gemm.js';

/**
 * Gram matrix C ← op(A)·op(A)ᵀ (n × n). `trans` false: A is (n × k), C = AAᵀ; `trans`
 * true: A is (k × n), C = AᵀA. Only tiles touching the upper triangle are computed; the
 * lower triangle is then mirrored from it, so C is exactly symmetric.
 */
export function syrk<F extends FloatArray>(trans: boolean, n: number, k: number, A: F, offA: number, lda: number, C: F, offC: number, ldc: number): void {
  gemm(trans, !trans, n, n, k, 1, A, offA, lda, A, offA, lda, 0, C, offC, ldc, 'upper');
  mirrorUpper(n, C, offC, ldc);
}

/** Copies the strict upper triangle of the (n × n) matrix C onto its lower triangle. */
export function mirrorUpper(n: number, C: FloatArray, offC: number, ldc: number): void {
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) C[offC + i * ldc + j] = C[offC + j * ldc + i]!;
  }
}
