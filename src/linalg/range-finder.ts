import { assertNever, fail, finiteResults } from '../core/errors.js';
import { asMatrix64, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { randomFrom, type Random, type SeedLike } from '../core/random.js';
import { swapRows } from './kernels/givens.js';
import { lqApply } from './kernels/lq.js';
import { transposeArray } from './transpose.js';
import { product64 } from './matmul.js';
import { residentKernel } from './kernels/dispatch.js';
import type { Region } from './kernels/types.js';

/** How the power iterations of {@link randomizedRangeFinder} are kept well conditioned. */
export type RangeNormalizer = 'qr' | 'lu' | 'none';

const NORMALIZERS: readonly RangeNormalizer[] = ['qr', 'lu', 'none'];

/** Options of {@link randomizedRangeFinder}. */
export interface RangeFinderOptions {
  /** Number of columns of Q: the dimension of the subspace sought (1 ≤ size ≤ min(m, n)). */
  size: number;
  /**
   * Power (subspace) iterations: each multiplies by A·Aᵀ, sharpening the decay of the
   * spectrum the sample sees, which matters when singular values decay slowly.
   * @defaultValue 4
   */
  powerIterations?: number;
  /**
   * Normalisation between the products of a power iteration: `'qr'` orthonormalises
   * (most stable), `'lu'` uses the permuted L factor of a partially pivoted LU (cheaper,
   * as scikit-learn's default for a few iterations), `'none'` skips it (fastest, and
   * loses the small singular directions to rounding after a few iterations). The last
   * step is always a QR.
   * @defaultValue 'qr'
   */
  normalizer?: RangeNormalizer;
  /** Seed or generator for the Gaussian test matrix. @defaultValue 0 */
  seed?: SeedLike;
}

/** Every option name of {@link RangeFinderOptions} (unknown ones are rejected). */
const RANGE_FINDER_OPTION_NAMES = /* @__PURE__ */ optionNames<RangeFinderOptions>()('size', 'powerIterations', 'normalizer', 'seed');

/**
 * An orthonormal basis Q (m × size) whose span approximates the range of A: the first
 * stage of a randomized SVD or PCA. A Gaussian test matrix Ω (n × size) is multiplied by
 * A, refined by power iterations Y ← A·(Aᵀ·Y), and orthonormalised (Halko, Martinsson &
 * Tropp, Alg. 4.4, randomized subspace iteration). For a matrix of rank r ≤ size, A = QQᵀA
 * up to rounding. The same seed gives the same Q. The products run on the active
 * backend (`matmul`); float32 input is computed in float64, and Q is float64.
 *
 * @param A - (m × n), e.g. (nSamples, nFeatures)
 * @returns Q, (m × size), with orthonormal columns
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` for a bad size, iteration count,
 *   normalizer or seed
 *
 * @see Halko, Martinsson & Tropp (2011), "Finding structure with randomness",
 *   SIAM Review 53(2), Algorithm 4.4
 *
 * @example
 * ```ts
 * const Q = randomizedRangeFinder([[1, 2], [2, 4], [3, 6]], { size: 1, seed: 7 });
 * [Q.rows, Q.cols];                                 // [3, 1]
 * Array.from(Q.data).map((x) => Math.abs(x * Math.sqrt(14))); // [1, 2, 3] (up to rounding)
 * ```
 */
export function randomizedRangeFinder(A: MatrixInput, options: RangeFinderOptions): Matrix<Float64Array> {
  const opts = checkOptions(options, RANGE_FINDER_OPTION_NAMES);
  const a = asMatrix64(A, 'A');
  const { rows: m, cols: n } = a;
  if (opts.size === undefined) fail('INVALID_OPTION', `size: received undefined, expected an integer in [1, ${Math.min(m, n)}] (the number of columns of Q)`);
  const size = checkInt(opts.size, 'size', 1, Math.min(m, n));
  const iterations = checkInt(opts.powerIterations ?? 4, 'powerIterations', 0, 100);
  const normalizer = checkChoice(opts.normalizer ?? 'qr', 'normalizer', NORMALIZERS);
  return rangeFinder(a, size, iterations, normalizer, randomFrom(opts.seed));
}

/**
 * The unvalidated core of {@link randomizedRangeFinder}, the same bits: A (m × n) is only
 * read, 1 ≤ size ≤ min(m, n), and `random` draws the test matrix. For callers that built A
 * themselves (PCA's centred data) and have checked their options.
 *
 * @example
 * ```ts
 * const A = { rows: 3, cols: 2, data: new Float64Array([1, 2, 2, 4, 3, 6]) };
 * rangeFinder(A, 1, 4, 'qr', randomFrom(7)).cols; // 1
 * ```
 */
export function rangeFinder(a: Matrix<Float64Array>, size: number, iterations: number, normalizer: RangeNormalizer, random: Random): Matrix<Float64Array> {
  const held = residentKernel()(a.data);
  try {
    return residentRangeFinder(a.rows, a.cols, held, size, iterations, normalizer, random);
  } finally {
    held.release();
  }
}

/**
 * {@link rangeFinder} on A (m × n) held in a {@link Region}: every product of the power
 * iterations reads A where it lies (on WebAssembly, in linear memory), so A is copied
 * into the kernels' memory once, not once per product (2·iterations + 1 of them; for
 * MNIST, 63 MB each). The same bits as {@link rangeFinder}.
 *
 * @example
 * ```ts
 * const A = new Float64Array([1, 2, 2, 4, 3, 6]);
 * residentRangeFinder(3, 2, residentKernel()(A), 1, 4, 'qr', randomFrom(7)).cols; // 1
 * ```
 */
export function residentRangeFinder(m: number, n: number, a: Region<Float64Array>, size: number, iterations: number, normalizer: RangeNormalizer, random: Random): Matrix<Float64Array> {
  // A region's view is valid until the next kernel call: taken afresh for each product.
  const at = (): Matrix<Float64Array> => ({ rows: m, cols: n, data: a.view() });
  let Q: Matrix<Float64Array> = { rows: n, cols: size, data: random.fillNormal(new Float64Array(n * size)) };
  for (let i = 0; i < iterations; i++) {
    Q = normalize(product(at(), Q, false), normalizer);
    Q = normalize(product(at(), Q, true), normalizer);
  }
  return orthonormalize(product(at(), Q, false));
}

// op(A)·Q on the active backend, where op(A) is A or Aᵀ; without a normaliser, the
// products grow as σ₁ to the power of the iteration, and can leave float64.
function product(A: Matrix<Float64Array>, Q: Matrix<Float64Array>, transA: boolean): Matrix<Float64Array> {
  const C = product64(A, Q, transA, false);
  finiteResults(C.data, 'A', 'an entry of a power-iteration product');
  return C;
}

function normalize(Y: Matrix<Float64Array>, normalizer: RangeNormalizer): Matrix<Float64Array> {
  switch (normalizer) {
    case 'qr':
      return orthonormalize(Y);
    case 'lu':
      return permutedLowerFactor(Y);
    case 'none':
      return Y;
    default:
      return assertNever(normalizer, 'normalizer');
  }
}

/** The thin Q factor of Y (m × k, m ≥ k). */
// Q of Y's QR factorisation (m × k), formed as the LQ basis of Yᵀ: the reflectors then lie
// along contiguous rows, and the big operands stay in the kernels' memory (./kernels/lq.ts).
function orthonormalize(Y: Matrix<Float64Array>): Matrix<Float64Array> {
  const { rows: m, cols: k } = Y;
  const I = new Float64Array(k * k);
  for (let i = 0; i < k; i++) I[i * k + i] = 1;
  return { rows: m, cols: k, data: lqApply(k, m, transposeArray(m, k, Y.data), k, () => I)! };
}

function permutedLowerFactor(Y: Matrix<Float64Array>): Matrix<Float64Array> {
  const { rows: m, cols: k } = Y;
  const W = Y.data.slice();
  const perm = new Int32Array(m);
  for (let i = 0; i < m; i++) perm[i] = i;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < m; i++) if (Math.abs(W[i * k + c]!) > Math.abs(W[p * k + c]!)) p = i;
    if (p !== c) {
      swapRows(k, W, c * k, p * k);
      const t = perm[c]!;
      perm[c] = perm[p]!;
      perm[p] = t;
    }
    const pivot = W[c * k + c]!;
    if (pivot === 0) continue;
    for (let i = c + 1; i < m; i++) {
      const l = W[i * k + c]! / pivot;
      W[i * k + c] = l;
      for (let j = c + 1; j < k; j++) W[i * k + j] = W[i * k + j]! - l * W[c * k + j]!;
    }
  }
  const PL = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    const out = perm[i]! * k;
    const cols = Math.min(i, k);
    for (let j = 0; j < cols; j++) PL[out + j] = W[i * k + j]!;
    if (i < k) PL[out + i] = 1;
  }
  return { rows: m, cols: k, data: PL };
}
