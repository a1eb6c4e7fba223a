import type { FloatArray } from '../../core/matrix.js';
import { gemm } from './gemm.js';

/** Squared norm of each of the m rows of A (m × d). */
export function rowSqNorms<F extends FloatArray>(m: number, d: number, A: F, offA: number, lda: number, out: F): void {
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = offA + i * lda, end = p + d; p < end; p++) s += A[p]! * A[p]!;
    out[i] = s;
  }
}

function norms(m: number, d: number, A: FloatArray, offA: number, lda: number): Float64Array {
  const out = new Float64Array(m);
  rowSqNorms(m, d, A, offA, lda, out);
  return out;
}

/**
 * C[i][j] ← max(0, ‖aᵢ‖² + ‖bⱼ‖² − 2 aᵢ·bⱼ). The cross term is one GEMM (−2·A·Bᵀ), the
 * dominant cost; the clamp removes the small negative values cancellation can leave.
 */
export function sqDistances<F extends FloatArray>(
  m: number, n: number, d: number, A: F, offA: number, lda: number, normsA: F | null,
  B: F, offB: number, ldb: number, normsB: F | null, C: F, offC: number, ldc: number,
): void {
  const na = normsA ?? norms(m, d, A, offA, lda);
  const nb = normsB ?? norms(n, d, B, offB, ldb);
  gemm(false, true, m, n, d, -2, A, offA, lda, B, offB, ldb, 0, C, offC, ldc);
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    const ni = na[i]!;
    for (let j = 0; j < n; j++) {
      const v = C[row + j]! + ni + nb[j]!;
      C[row + j] = v > 0 ? v : 0;
    }
  }
}

/** Index (first on ties) and value of the smallest entry of each row of C (m × n). */
export function argminRows<F extends FloatArray>(m: number, n: number, C: F, offC: number, ldc: number, index: Int32Array, values: F | null): void {
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    let best = 0;
    let min = C[row]!;
    for (let j = 1; j < n; j++) {
      const v = C[row + j]!;
      if (v < min) {
        min = v;
        best = j;
      }
    }
    index[i] = best;
    if (values !== null) values[i] = min;
  }
}

/**
 * For each row of C (m × n): the index of its smallest entry (the first on ties) into
 * `index` and that entry into `first`, the smallest of the other entries into `second`
 * (+∞ when n = 1; a tie with the smallest counts): k-means' screening margin in one scan.
 */
export function argmin2Rows<F extends FloatArray>(m: number, n: number, C: F, offC: number, ldc: number, index: Int32Array, first: F, second: F): void {
  for (let i = 0; i < m; i++) {
    const row = offC + i * ldc;
    let best = 0, b1 = Infinity, b2 = Infinity;
    for (let j = 0; j < n; j++) {
      const v = C[row + j]!;
      if (v < b1) {
        b2 = b1;
        b1 = v;
        best = j;
      } else if (v < b2) {
        b2 = v;
      }
    }
    index[i] = best;
    first[i] = b1;
    second[i] = b2;
  }
}
