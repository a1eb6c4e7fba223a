import { kernels } from '../backend.js';

// Householder reflectors H = I − τ·v·vᵀ with v[0] = 1, and their blocked ("compact WY")
// application Q = H₀H₁⋯H_{k−1} = I − V·T·Vᵀ (Schreiber & Van Loan, 1989), so that all but a
// thin slice of the work of QR, tridiagonalisation and bidiagonalisation back-transforms
// runs in gemm. Unvalidated kernels on row-major (array, offset, leading dimension) data.

/** Reflectors applied together; 32 keeps T tiny while the gemm calls stay long (measured best of 16–96). */
const BLOCK = 32;

/**
 * Generates a reflector H with H·x = β·e₀ for the n strided values x (LAPACK dlarfg).
 * On return x[off] = β and the remaining entries hold v[1..] (v[0] = 1 is implicit);
 * returns τ. When x[1..] is already zero, τ = 0 and H = I (x is left as is).
 *
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §5.1.2
 *
 * @example
 * ```ts
 * const x = new Float64Array([3, 4]);
 * const tau = householder(2, x, 0, 1); // 1.6: H·(3, 4) = (−5, 0)
 * Array.from(x);                       // [-5, 0.5]  (β, then v[1])
 * ```
 */
export function householder(n: number, x: Float64Array, off: number, stride: number): number {
  if (n <= 1) return 0;
  // Scale by the largest entry so that squaring can neither overflow nor underflow.
  let scale = 0;
  for (let i = 1, p = off + stride; i < n; i++, p += stride) {
    const a = Math.abs(x[p]!);
    if (a > scale) scale = a;
  }
  if (scale === 0) return 0;
  const alpha = x[off]!;
  scale = Math.max(scale, Math.abs(alpha));
  let ss = 0;
  for (let i = 1, p = off + stride; i < n; i++, p += stride) {
    const a = x[p]! / scale;
    ss += a * a;
  }
  const a0 = alpha / scale;
  const norm = scale * Math.sqrt(a0 * a0 + ss);
  // β takes the sign opposite to α so that α − β never cancels.
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = 1, p = off + stride; i < n; i++, p += stride) x[p] = x[p]! * inv;
  x[off] = beta;
  return tau;
}

/** How reflectors are stored in a factored matrix: along its rows or down its columns. */
export type ReflectorStorage = 'rows' | 'cols';

/**
 * A block of `nb` reflectors, ready to apply: `vt` (nb × len) holds vᵢ in row i with
 * explicit zeros before its unit entry at column i, and `t` (nb × nb) is upper triangular
 * with H_{j0}⋯H_{j0+nb−1} = I − V·T·Vᵀ.
 */
interface ReflectorBlock {
  nb: number;
  len: number;
  vt: Float64Array;
  t: Float64Array;
}

/**
 * Gathers reflectors j0 … j0+nb−1 of a factored matrix into a {@link ReflectorBlock}.
 * Reflector j has its unit entry at index j + shift of a vector of length `total`; its
 * other entries follow it in row j (`'rows'`, as tridiagonalisation and the right-hand
 * side of bidiagonalisation store them) or down column j (`'cols'`, as QR does). The block
 * covers indices j0 + shift … total − 1, the only ones the reflectors touch.
 */
function gatherBlock(
  storage: ReflectorStorage, shift: number, total: number, j0: number, nb: number,
  A: Float64Array, offA: number, lda: number, tau: Float64Array, block: ReflectorBlock,
): void {
  const len = total - j0 - shift;
  if (block.vt.length < nb * len) block.vt = new Float64Array(nb * len);
  if (block.t.length < nb * nb) block.t = new Float64Array(nb * nb);
  block.nb = nb;
  block.len = len;
  const vt = block.vt;
  const base = j0 + shift;
  for (let r = 0; r < nb; r++) {
    const row = r * len;
    vt.fill(0, row, row + r);
    vt[row + r] = 1;
    const j = j0 + r;
    if (storage === 'rows') {
      const src = offA + j * lda + base;
      for (let c = r + 1; c < len; c++) vt[row + c] = A[src + c]!;
    } else {
      const src = offA + base * lda + j;
      for (let c = r + 1; c < len; c++) vt[row + c] = A[src + c * lda]!;
    }
  }
  formT(nb, len, vt, tau, j0, block.t);
}

// T for H₀⋯H_{nb−1} = I − V·T·Vᵀ (LAPACK dlarft, forward, columnwise):
// T[0:i, i] = −τᵢ · T[0:i, 0:i] · (V[:, 0:i]ᵀ vᵢ).
function formT(nb: number, len: number, vt: Float64Array, tau: Float64Array, j0: number, t: Float64Array): void {
  t.fill(0, 0, nb * nb);
  for (let i = 0; i < nb; i++) {
    const ti = tau[j0 + i]!;
    t[i * nb + i] = ti;
    if (ti === 0) continue;
    // g[p] = vₚ·vᵢ over the columns where vᵢ can be non-zero; kept in column i of T.
    for (let p = 0; p < i; p++) {
      let s = 0;
      const a = p * len, b = i * len;
      for (let c = i; c < len; c++) s += vt[a + c]! * vt[b + c]!;
      t[p * nb + i] = s;
    }
    // Upper-triangular T[0:i,0:i] times that column, in place from the top row down.
    for (let p = 0; p < i; p++) {
      let s = 0;
      for (let q = p; q < i; q++) s += t[p * nb + q]! * t[q * nb + i]!;
      t[p * nb + i] = -ti * s;
    }
  }
}

/** An empty block to be filled by {@link gatherBlock}; reused across blocks to avoid reallocation. */
function emptyBlock(): ReflectorBlock {
  return { nb: 0, len: 0, vt: new Float64Array(0), t: new Float64Array(0) };
}

let work = new Float64Array(0);

function workspace(size: number): Float64Array {
  if (work.length < size) work = new Float64Array(size);
  return work;
}

/**
 * C ← (I − V·op(T)·Vᵀ)·C for C (len × n): the block's product of reflectors (op = identity)
 * or its transpose (op = transpose) applied from the left.
 */
function applyBlockLeft(block: ReflectorBlock, trans: boolean, n: number, C: Float64Array, offC: number, ldc: number): void {
  const { nb, len, vt, t } = block;
  if (n === 0 || len === 0) return;
  const gemm = kernels().gemm;
  const W = workspace(nb * n);
  gemm(false, false, nb, n, len, 1, vt, 0, len, C, offC, ldc, 0, W, 0, n);
  triangularTimesRows(trans, nb, n, t, W);
  gemm(true, false, len, n, nb, -1, vt, 0, len, W, 0, n, 1, C, offC, ldc);
}

/**
 * C ← C·(I − V·op(T)·Vᵀ) for C (m × len): the block's product of reflectors (op = identity)
 * or its transpose applied from the right.
 */
function applyBlockRight(block: ReflectorBlock, trans: boolean, m: number, C: Float64Array, offC: number, ldc: number): void {
  const { nb, len, vt, t } = block;
  if (m === 0 || len === 0) return;
  const gemm = kernels().gemm;
  const W = workspace(m * nb);
  gemm(false, true, m, nb, len, 1, C, offC, ldc, vt, 0, len, 0, W, 0, nb);
  rowsTimesTriangular(trans, m, nb, t, W);
  gemm(false, false, m, len, nb, -1, W, 0, nb, vt, 0, len, 1, C, offC, ldc);
}

// W (nb × n) ← op(T)·W for upper-triangular T, in place: each output row only needs
// rows not yet overwritten (below it for T, above it for Tᵀ).
function triangularTimesRows(trans: boolean, nb: number, n: number, t: Float64Array, W: Float64Array): void {
  for (let s = 0; s < nb; s++) {
    const r = trans ? nb - 1 - s : s;
    const out = r * n;
    const d = t[r * nb + r]!;
    for (let c = 0; c < n; c++) W[out + c] = W[out + c]! * d;
    const lo = trans ? 0 : r + 1;
    const hi = trans ? r : nb;
    for (let l = lo; l < hi; l++) {
      const f = trans ? t[l * nb + r]! : t[r * nb + l]!;
      if (f === 0) continue;
      const src = l * n;
      for (let c = 0; c < n; c++) W[out + c] = W[out + c]! + f * W[src + c]!;
    }
  }
}

// W (m × nb) ← W·op(T) for upper-triangular T, in place row by row.
function rowsTimesTriangular(trans: boolean, m: number, nb: number, t: Float64Array, W: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * nb;
    for (let s = 0; s < nb; s++) {
      // (W·T)[c] = Σ_{l≤c} W[l]·T[l][c] (descending c); (W·Tᵀ)[c] = Σ_{l≥c} W[l]·T[c][l] (ascending c).
      const c = trans ? s : nb - 1 - s;
      let acc = 0;
      if (trans) for (let l = c; l < nb; l++) acc += W[row + l]! * t[c * nb + l]!;
      else for (let l = 0; l <= c; l++) acc += W[row + l]! * t[l * nb + c]!;
      W[row + c] = acc;
    }
  }
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
 * backend's).
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
  n: number, C: Float64Array, offC: number, ldc: number,
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
    if (side === 'left') applyBlockLeft(block, trans, n, C, offC + start * ldc, ldc);
    else applyBlockRight(block, trans, n, C, offC + start, ldc);
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
      applyBlockLeft(block, true, n - j0 - nb, A, offA + j0 * lda + j0 + nb, lda);
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
    applyBlockLeft(block, false, cols - j0, Q, j0 * cols + j0, cols);
  }
}
