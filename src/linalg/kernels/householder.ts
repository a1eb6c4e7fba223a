import { applyBlockLeft, applyBlockRight, emptyBlock, gatherBlock, householder, type ReflectorStorage } from './reflectors.js';
import { gemmKernel } from './dispatch.js';

// Householder QR and the blocked application of a sequence of stored reflectors, on the
// compact WY machinery of ./reflectors.ts with the active backend's gemm. Unvalidated
// kernels on row-major (array, offset, leading dimension) data.

export { householder, type ReflectorStorage };

/** Reflectors applied together; 32 keeps T tiny while the gemm calls stay long (measured best of 16–96). */
const BLOCK = 32;

let work = new Float64Array(0);

function workspace(size: number): Float64Array {
  if (work.length < size) work = new Float64Array(size);
  return work;
}

/**
 * Which product of a reflector sequence Q = H₀H₁⋯H_{k−1} to apply, and from which side.
 *
 * @example
 * ```ts
 * // The Q of a QR factorisation of an (m × n) matrix, applied to C from the left:
 * const op: SequenceOp = { storage: 'cols', shift: 0, total: m, k: n, side: 'left', trans: false };
 * ```
 */
export interface SequenceOp {
  storage: ReflectorStorage;
  /** Reflector j starts at index j + shift. */
  shift: number;
  /** Length of the full reflector vectors (the dimension Q acts on). */
  total: number;
  /** Number of reflectors. */
  k: number;
  side: 'left' | 'right';
  /** Apply Qᵀ instead of Q. */
  trans: boolean;
}

/**
 * Applies the reflector sequence stored in A (with scalars τ) to C: Q·C, Qᵀ·C (side
 * `'left'`, C has `total` rows and `n` columns) or C·Q, C·Qᵀ (side `'right'`, C has `n`
 * rows and `total` columns), in blocks of 32 reflectors through gemm (the active
 * backend's). For a C that is a region's view, `again` re-derives it between calls.
 *
 * @example
 * ```ts
 * // Qᵀ·b for the QR factorisation of A (3 × 2): b becomes (R·x part, residual part).
 * const A = new Float64Array([3, 1, 4, 2, 0, 5]), tau = new Float64Array(2);
 * qrFactor(3, 2, A, 0, 2, tau);
 * const b = new Float64Array([3, 4, 0]);
 * applySequence({ storage: 'cols', shift: 0, total: 3, k: 2, side: 'left', trans: true }, A, 0, 2, tau, 1, b, 0, 1);
 * Array.from(b); // [-5, 0, 0] (up to rounding): b is A's first column
 * ```
 */
export function applySequence(
  op: SequenceOp, A: Float64Array, offA: number, lda: number, tau: Float64Array,
  n: number, C: Float64Array, offC: number, ldc: number, again?: () => Float64Array,
): void {
  const { storage, shift, total, k, side, trans } = op;
  const nBlocks = Math.ceil(k / BLOCK);
  // Q·C and C·Qᵀ need the last block first; Qᵀ·C and C·Q the first.
  const reverse = (side === 'left') !== trans;
  const block = emptyBlock();
  for (let s = 0; s < nBlocks; s++) {
    const b = reverse ? nBlocks - 1 - s : s;
    const j0 = b * BLOCK;
    const nb = Math.min(BLOCK, k - j0);
    gatherBlock(storage, shift, total, j0, nb, A, offA, lda, tau, block);
    const start = j0 + shift;
    const gemm = gemmKernel();
    const c = s > 0 && again ? again() : C;
    if (side === 'left') applyBlockLeft(gemm, block, trans, n, c, offC + start * ldc, ldc, again);
    else applyBlockRight(gemm, block, trans, n, c, offC + start, ldc, again);
  }
}

/**
 * Householder QR of A (m × n), LAPACK dgeqrf-style: on return R is on and above the
 * diagonal and reflector j (unit entry at row j) below it, with τ in `tau` (length
 * min(m, n)). Panels of 32 columns are factored column by column; the rest of the
 * matrix is then updated with one blocked application, which is where the time goes.
 *
 * @example
 * ```ts
 * const A = new Float64Array([3, 1, 4, 2]), tau = new Float64Array(2);
 * qrFactor(2, 2, A, 0, 2, tau);
 * [A[0], A[1], A[3]]; // [-5, -2.2, 0.4]: R (up to rounding); A[2] holds the reflector
 * ```
 */
export function qrFactor(m: number, n: number, A: Float64Array, offA: number, lda: number, tau: Float64Array): void {
  const r = Math.min(m, n);
  const block = emptyBlock();
  for (let j0 = 0; j0 < r; j0 += BLOCK) {
    const nb = Math.min(BLOCK, r - j0);
    panelQR(m, j0, nb, j0 + nb, A, offA, lda, tau);
    if (j0 + nb < n) {
      gatherBlock('cols', 0, m, j0, nb, A, offA, lda, tau, block);
      applyBlockLeft(gemmKernel(), block, true, n - j0 - nb, A, offA + j0 * lda + j0 + nb, lda);
    }
  }
}

// Factors columns j0 … j0+nb−1 (rows j0 … m−1), updating only the panel's own columns.
function panelQR(m: number, j0: number, nb: number, colEnd: number, A: Float64Array, offA: number, lda: number, tau: Float64Array): void {
  for (let j = j0; j < j0 + nb && j < m; j++) {
    const t = householder(m - j, A, offA + j * lda + j, lda);
    tau[j] = t;
    if (t !== 0 && j + 1 < colEnd) reflectColumns(m, j, j + 1, colEnd, t, A, offA, lda);
  }
}

/**
 * Applies H = I − τ·v·vᵀ (v stored down column j from row j, unit entry implicit) to
 * columns c0 … c1−1 of rows j … m−1, as r = vᵀA then A −= τ·v·r: both passes walk rows.
 */
function reflectColumns(m: number, j: number, c0: number, c1: number, tau: number, A: Float64Array, offA: number, lda: number): void {
  const w = c1 - c0;
  const r = workspace(w);
  const top = offA + j * lda + c0;
  for (let c = 0; c < w; c++) r[c] = A[top + c]!;
  for (let i = j + 1; i < m; i++) {
    const vi = A[offA + i * lda + j]!;
    if (vi === 0) continue;
    const row = offA + i * lda + c0;
    for (let c = 0; c < w; c++) r[c] = r[c]! + vi * A[row + c]!;
  }
  for (let c = 0; c < w; c++) A[top + c] = A[top + c]! - tau * r[c]!;
  for (let i = j + 1; i < m; i++) {
    const f = tau * A[offA + i * lda + j]!;
    if (f === 0) continue;
    const row = offA + i * lda + c0;
    for (let c = 0; c < w; c++) A[row + c] = A[row + c]! - f * r[c]!;
  }
}

/**
 * Forms the first `cols` columns of Q = H₀⋯H_{k−1} (m × cols) from a {@link qrFactor}
 * result (LAPACK dorgqr): Q starts as the identity's first columns and the blocks are
 * applied last to first, each only to the trailing part it can change.
 *
 * @example
 * ```ts
 * const A = new Float64Array([3, 1, 4, 2]), tau = new Float64Array(2);
 * qrFactor(2, 2, A, 0, 2, tau);
 * const Q = new Float64Array(4);
 * qrFormQ(2, 2, 2, A, 0, 2, tau, Q);
 * Array.from(Q); // [-0.6, -0.8, -0.8, 0.6] (up to rounding)
 * ```
 */
export function qrFormQ(m: number, cols: number, k: number, A: Float64Array, offA: number, lda: number, tau: Float64Array, Q: Float64Array): void {
  Q.fill(0, 0, m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) Q[i * cols + i] = 1;
  const block = emptyBlock();
  const nBlocks = Math.ceil(k / BLOCK);
  for (let b = nBlocks - 1; b >= 0; b--) {
    const j0 = b * BLOCK;
    const nb = Math.min(BLOCK, k - j0);
    gatherBlock('cols', 0, m, j0, nb, A, offA, lda, tau, block);
    // Columns before j0 are still unit vectors with their 1 above row j0: untouched.
    applyBlockLeft(gemmKernel(), block, false, cols - j0, Q, j0 * cols + j0, cols);
  }
}
