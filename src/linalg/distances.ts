import { fail, finiteResults } from '../core/errors.js';
import { maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { checkSize } from '../core/options.js';
import { allFinite, asMatrix, asMatrixUnscanned, checkFinite, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { allocate, commonDtype, dtypeOf } from './dtype.js';
import { argminRowsKernel, residentKernel, rowSqNormsKernel, sqDistancesKernel } from './kernels/dispatch.js';
import { gemmDistanceBound, sqDistanceAt } from './rows.js';

/**
 * Squared Euclidean norm of every row.
 *
 * @param X - (nSamples, nFeatures)
 * @returns length nSamples, float32 for float32 input
 *
 * @example
 * ```ts
 * Array.from(rowSqNorms([[3, 4], [1, 0]])); // [25, 1]
 * ```
 */
export function rowSqNorms(X: MatrixInput): FloatArray {
  const x = asMatrix(X, 'X');
  const out = allocate(dtypeOf(x), x.rows);
  rowSqNormsKernel()(x.rows, x.cols, x.data, 0, x.cols, out);
  return finiteResults(out, 'X', 'a squared norm');
}

/**
 * All squared Euclidean distances between the rows of A and the rows of B, as
 * ‖a‖² + ‖b‖² − 2abᵀ (one matrix product, so it runs at GEMM speed), clamped at 0.
 * With B omitted (or B the same object as A), the distances of A to itself, with an
 * exact 0 diagonal.
 *
 * The GEMM form errs by up to γ·(‖a‖ + ‖b‖)² (`gemmDistanceBound`, the bound the
 * SOM's unit search uses), which is all of a small distance between rows far from the
 * origin (at an offset of 1e8, ‖a − b‖² = 1 came out as 0). Every entry below that bound
 * divided by √u (u the unit roundoff) is measured again from the differences, Σ(a − b)²:
 * so every entry has a relative error below about √u (1e-8 for float64, 2e-4 for float32)
 * and the entries that cancel are as accurate as the differences themselves, whatever the
 * offset. Centred data re-measures nothing; data far from the origin pays O(d) per
 * re-measured entry. Data beyond 2^±200 in magnitude is scaled by a power of two first
 * (exactly) so that the norms neither overflow nor underflow.
 *
 * @param A - (m, d)
 * @param B - (n, d); defaults to A
 * @returns (m × n); float32 when both inputs are float32
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH`, `OUT_OF_RANGE` when m·n exceeds
 *   `MAX_ELEMENTS` (2^27, 1 GiB of float64; call it on blocks of rows of A) or a distance exceeds float64 (|entries| near 1e154 and
 *   beyond), and the coercion errors of `asMatrix`
 *
 * @example
 * ```ts
 * Array.from(sqDistances([[0, 0], [3, 4]]).data); // [0, 25, 25, 0]
 * Array.from(sqDistances([[1e8, 1e8]], [[1e8 + 1, 1e8]]).data); // [1]
 * ```
 */
export function sqDistances(A: MatrixInput, B?: MatrixInput): Matrix {
  const self = B === undefined || B === A;
  const { a, b, dtype } = operands(A, self ? undefined : B);
  const { rows: m, cols: d } = a, n = b.rows;
  const C = allocate(dtype, m * n);
  const na = allocate(dtype, m), nb = self ? na : allocate(dtype, n);
  let k = 0, as = a.data, bs = b.data;
  normsAndDistances(m, n, d, as, bs, self, na, nb, C);
  // The inputs were not scanned for finiteness (one more pass over all of A): a NaN or ±∞
  // entry makes its row's squared norm NaN or ∞, so the scan runs only when a norm is not
  // finite, and throws asMatrix's error; finite rows whose norm overflowed pass it and go
  // on to the scaling below.
  if (!(allFinite(na) && allFinite(nb))) {
    checkFinite(a, 'A');
    if (!self) checkFinite(b, 'B');
  }
  // The norms bound max|x| (max‖x‖²/d ≤ max|x|² ≤ max‖x‖²): when they place it well inside
  // the range where safeScaleExponent gives 0, that is the scale, without a pass of maxAbs
  // over A (9 ms of 34 for MNIST); otherwise maxAbs decides, and a scale other than 0
  // computes everything again on the scaled data (the distances above are discarded).
  if (!(provesNoScale(na, d, dtype) && (self || provesNoScale(nb, d, dtype)))) {
    k = safeScaleExponent(Math.max(maxAbs(a.data), self ? 0 : maxAbs(b.data)), dtype);
    if (k !== 0) {
      as = scaledBy(a.data, k);
      bs = self ? as : scaledBy(b.data, k);
      normsAndDistances(m, n, d, as, bs, self, na, nb, C);
    }
  }
  remeasureCancelled(m, n, d, as, na, bs, nb, C, gemmDistanceBound(d, dtype) / SQRT_U[dtype]);
  // A point is at distance 0 from itself.
  if (self) for (let i = 0; i < m; i++) C[i * m + i] = 0;
  scaleInPlace(C, -2 * k);
  return { rows: m, cols: n, data: finiteResults(C, self ? 'A' : 'A, B', 'a squared distance') };
}

/**
 * sqDistances' operands, coerced and checked but not scanned for finiteness (sqDistances
 * learns that from the norms). Should a check fail, a non-finite entry of A, then of B,
 * is reported first, as asMatrix's scan would have done before the later checks.
 */
function operands(A: MatrixInput, B: MatrixInput | undefined): { a: Matrix; b: Matrix; dtype: 'float32' | 'float64' } {
  const a0 = asMatrixUnscanned(A, 'A');
  let b0: Matrix | undefined;
  try {
    b0 = B === undefined ? undefined : asMatrixUnscanned(B, 'B');
    const [a, b, dtype] = b0 === undefined ? [a0, a0, dtypeOf(a0)] as const : commonDtype(a0, b0);
    if (a.cols !== b.cols) {
      fail('SHAPE_MISMATCH', `B: rows have ${b.cols} features, expected ${a.cols} (the width of A)`);
    }
    // 24 000 rows against themselves would take 4.3 GiB: such sizes go through blocks of rows.
    checkSize(a.rows * b.rows, b0 === undefined ? 'A' : 'A, B', `the distance matrix (${a.rows} × ${b.rows})`);
    return { a, b, dtype };
  } catch (error) {
    checkFinite(a0, 'A');
    if (b0 !== undefined) checkFinite(b0, 'B');
    throw error;
  }
}

// Rows of A per block of the one-shot call (the SMALL_N path of the WebAssembly kernels:
// few B rows), about this many bytes: a block is copied into the kernels' memory, its norms
// and its distances taken while it is in L2 (1 MiB a core here), instead of copying all of
// A (63 MB for MNIST) and reading it twice from RAM. Measured on MNIST 10000 × 10 (ms, same
// process, loaded machine): 256 KiB 43, 1 MiB 40, 2 MiB 37, 4 MiB 53, all of A 101.
const BLOCK_BYTES = 1 << 20;
// B rows up to which A is streamed in blocks; with more, the product dominates the copy
// and every block would pack B again.
const STREAM_N = 32;

/**
 * na, nb ← the squared row norms of A (m × d) and B (n × d), C ← their squared distances
 * (the GEMM form, before the re-measure), with B = A when `self`. B is placed in the
 * kernels' memory once; A, when B has few rows, block by block (see BLOCK_BYTES). Region
 * views are re-derived after every kernel call: growth detaches them.
 */
function normsAndDistances(m: number, n: number, d: number, as: FloatArray, bs: FloatArray, self: boolean, na: FloatArray, nb: FloatArray, C: FloatArray): void {
  const rb = residentKernel()(bs);
  try {
    rowSqNormsKernel()(n, d, rb.view(), 0, d, nb);
    if (self) {
      sqDistancesKernel()(m, m, d, rb.view(), 0, d, na, rb.view(), 0, d, na, C, 0, m);
      return;
    }
    const step = n <= STREAM_N ? Math.max(4, 4 * Math.floor(BLOCK_BYTES / (4 * d * as.BYTES_PER_ELEMENT))) : m;
    for (let i = 0; i < m;) {
      // Blocks are a multiple of 4 rows (the kernels sum a call's last m mod 4 rows in
      // another order) and the last takes the rest when under two blocks remain, so no
      // block is small enough for the WebAssembly row norms to fall back to TypeScript's
      // (another order of additions).
      const rows = m - i < 2 * step ? m - i : step;
      const ra = residentKernel()(as.subarray(i * d, (i + rows) * d));
      try {
        const nai = na.subarray(i, i + rows);
        rowSqNormsKernel()(rows, d, ra.view(), 0, d, nai);
        sqDistancesKernel()(rows, n, d, ra.view(), 0, d, nai, rb.view(), 0, d, nb, C, i * n, n);
      } finally {
        ra.release();
      }
      i += rows;
    }
  } finally {
    rb.release();
  }
}

/**
 * Whether squared row norms (of rows of d entries) prove that the largest |entry| lies in
 * [2^−(L−1), 2^(L−1)], inside the range where `safeScaleExponent` is 0 (2^±L), with a
 * factor 2 to spare for the norms' rounding. Underflowed or overflowed norms prove nothing.
 */
function provesNoScale(norms: FloatArray, d: number, dtype: 'float32' | 'float64'): boolean {
  let top = 0;
  for (let i = 0; i < norms.length; i++) if (norms[i]! > top) top = norms[i]!;
  const limit = dtype === 'float32' ? 2 ** 39 : 2 ** 199;
  return Math.sqrt(top) <= limit && Math.sqrt(top / d) >= 1 / limit;
}

/** √u, the square root of the unit roundoff: the relative accuracy sqDistances guarantees. */
const SQRT_U = { float64: 2 ** -26.5, float32: 2 ** -12 } as const;

/**
 * Entries of C (m × n) that the GEMM form may have lost to cancellation, below
 * factor·(‖aᵢ‖ + ‖bⱼ‖)², measured again from the differences.
 */
function remeasureCancelled(m: number, n: number, d: number, A: FloatArray, na: FloatArray, B: FloatArray, nb: FloatArray, C: FloatArray, factor: number): void {
  const rb = Float64Array.from(nb, Math.sqrt);
  for (let i = 0; i < m; i++) {
    const ra = Math.sqrt(na[i]!), row = i * n;
    for (let j = 0; j < n; j++) {
      const t = ra + rb[j]!;
      if (C[row + j]! <= factor * t * t) C[row + j] = sqDistanceAt(A, i * d, B, j * d, d);
    }
  }
}

/** Result of {@link argminRows}. */
export interface ArgminResult {
  /** Column of the smallest entry of each row (the first one on ties). */
  index: Int32Array;
  /** The smallest entry of each row. */
  values: FloatArray;
}

/**
 * Index and value of the smallest entry of each row, e.g. the nearest centroid from a
 * distance matrix.
 *
 * @param D - (m, n)
 *
 * @example
 * ```ts
 * Array.from(argminRows([[3, 1, 2], [0, 5, 0]]).index); // [1, 0]
 * ```
 */
export function argminRows(D: MatrixInput): ArgminResult {
  const d = asMatrix(D, 'D');
  const index = new Int32Array(d.rows);
  const values = allocate(dtypeOf(d), d.rows);
  argminRowsKernel()(d.rows, d.cols, d.data, 0, d.cols, index, values);
  return { index, values };
}
