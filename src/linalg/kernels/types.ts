import type { FloatArray } from '../../core/matrix.js';

/**
 * Data kept where the kernels read it, for as long as an algorithm runs many kernels on it:
 * k-means keeps X in WebAssembly memory across every iteration and initialisation instead
 * of copying each block of rows in again at every call.
 *
 * Why a handle inside the kernel layer rather than a public `resident(X)`: the algorithms
 * know their operands' lifetimes, so users never manage memory, nothing public has to
 * accept a new kind of matrix, and the kernels keep one signature. The WebAssembly kernels
 * recognise a typed array that is a view of their linear memory and read (or write) it in
 * place; any other array is copied as before. So a region's view goes to any kernel of
 * either backend, and after `useBackend('js')` or `reset()` it is simply an array again.
 *
 * Growing the memory (any kernel call may) detaches every view of the old buffer, so a
 * region is an offset and a length: call `view()` again after every kernel call, never keep
 * the view across one. On the TypeScript backend `view()` is a plain array, the same code
 * path with nothing resident.
 *
 * @example
 * ```ts
 * const r = kernels().resident(X.data);
 * sqDistancesKernel()(m, k, d, r.view(), 0, d, norms, C, 0, d, null, D, 0, k);
 * r.release();
 * ```
 */
export interface Region<A> {
  readonly length: number;
  /** The elements, as a typed array valid until the next kernel call. */
  view(): A;
  /** Gives the memory back for reuse; the region must not be used afterwards. Idempotent. */
  release(): void;
}

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
   * `data` placed where this backend's kernels read it without a copy (see {@link Region}):
   * on WebAssembly, a copy in linear memory made once; on TypeScript, `data` itself.
   * The region is read-only (on TypeScript it is the caller's array).
   */
  resident<A extends Float64Array | Float32Array | Int32Array | Int16Array>(data: A): Region<A>;
  /**
   * A region of `length` elements of the type of `like`, its contents unspecified (stale
   * data on WebAssembly, zeros on TypeScript), for data made to be resident (k-means'
   * float32 mirror of X is written straight into it).
   */
  region<A extends Float64Array | Float32Array | Int32Array | Int16Array>(like: A, length: number): Region<A>;
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
   * row norms when the caller has them (k-means computes ‖x‖² once per fit); `null` lets
   * the kernel compute them itself, from the copy it already made (one pass over A fewer).
   */
  sqDistances<F extends FloatArray>(
    m: number, n: number, d: number, A: F, offA: number, lda: number, normsA: F | null,
    B: F, offB: number, ldb: number, normsB: F | null, C: F, offC: number, ldc: number,
  ): void;
  /** Squared norm of each of the m rows of A (m × d) into `out`. */
  rowSqNorms<F extends FloatArray>(m: number, d: number, A: F, offA: number, lda: number, out: F): void;
  /**
   * For each of the m rows of C (m × n), the index of its smallest entry (the first on
   * ties) into `index`, and, when `values` is given, that entry.
   */
  argminRows<F extends FloatArray>(m: number, n: number, C: F, offC: number, ldc: number, index: Int32Array, values: F | null): void;
  /**
   * For each of the m rows of C (m × n), the index of its smallest entry (the first on
   * ties) into `index`, that entry into `first` and the smallest of the other entries into
   * `second` (+∞ when n = 1): the margin k-means' float32 screening tests.
   */
  argmin2Rows<F extends FloatArray>(m: number, n: number, C: F, offC: number, ldc: number, index: Int32Array, first: F, second: F): void;
  /**
   * out[r] ← row index[offIndex + r] of X (n × d, contiguous; out m × d), for r < m.
   */
  gatherRows<F extends FloatArray>(m: number, d: number, X: F, n: number, index: Int32Array, offIndex: number, out: F): void;
  /**
   * sqDistances for the rows index[offIndex + r] (r < m) of X (n × d, contiguous) against
   * B (nB × d, contiguous), into C (m × nB, contiguous): `normsA[r]` is the squared norm
   * term of the r-th indexed row, `normsB` B's. The same values as gathering those rows
   * (gatherRows) and calling sqDistances on them; on WebAssembly, with few rows of B, the
   * rows are read in place through the index.
   */
  sqDistancesAt<F extends FloatArray>(
    m: number, nB: number, d: number, X: F, n: number, index: Int32Array, offIndex: number, normsA: F,
    B: F, normsB: F, C: F,
  ): void;
  /**
   * Per-cluster sums of rows of X (n × d, contiguous), a whole k-means pass in one call:
   * segment s (entries 3s … 3s + 2 of `segments`: cluster c, end e, sign ±1) adds
   * sign · Σ w[i]·X[i] over the rows i = order[e_{s−1} … e_s) to sums[c·d …] (e_{−1} = 0;
   * w[i] = 1 when `weights` is null), in segment order, eight rows per sweep with the
   * additions of ./kernels/clusters.ts `addRows` (same bits on both backends).
   */
  clusterSums<F extends FloatArray>(n: number, d: number, X: F, order: Int32Array, nSegments: number, segments: Int32Array, weights: Float64Array | null, sums: Float64Array): void;
  /**
   * sums[j] ← Σᵢ w[i]·A[i][j] over the m rows of A (m × d, contiguous), rows added in order
   * (w[i] = 1 when `weights` is null); returns max |A[i][j]|.
   */
  columnSums<F extends FloatArray>(m: number, d: number, A: F, weights: Float64Array | null, sums: Float64Array): number;
  /**
   * Y ← float32(A − shift) row by row and norms[i] ← Σⱼ (A[i][j] − shift[j])² in float64,
   * summed in the order of j (A, Y: m × d, contiguous).
   */
  shiftToFloat32(m: number, d: number, A: Float64Array, shift: Float64Array, Y: Float32Array, norms: Float64Array): void;
  /**
   * out[i] ← ‖A[i] − C[labels[i]]‖² from the differences (float64; the order of
   * additions of linalg/rows.ts `sqDistanceAt`), for the m rows of A (m × d, contiguous).
   */
  assignedSqDistances<F extends FloatArray>(m: number, d: number, A: F, C: Float64Array, labels: Int32Array, out: Float64Array): void;
  /**
   * For the m rows of A (m × d, contiguous), in order: out[i] ← ‖A[i] − W[u]‖², u =
   * labels[i] (as `assignedSqDistances`), sums[u·d …] += A[i] and counts[u] += 1 (float64;
   * see ./kernels/som.ts): a batch SOM epoch's exact errors and per-unit sums.
   */
  assignedSums<F extends FloatArray>(m: number, d: number, A: F, W: Float64Array, labels: Int32Array, out: Float64Array, sums: Float64Array, counts: Float64Array): void;
  /**
   * out[t] ← ‖X[rows[t]] − W[units[t]]‖² for t < count (X: n rows of d entries,
   * contiguous; float64, the additions of `assignedSqDistances`): exact distances of
   * (row, unit) pairs.
   */
  pairSqDistances<F extends FloatArray>(count: number, d: number, X: F, n: number, rows: Int32Array, W: Float64Array, units: Int32Array, out: Float64Array): void;
  /**
   * lo[j], hi[j] ← the smallest and largest entry of column j of A (float64, m ≥ 1 rows × d,
   * contiguous), kept from the first row unless a strictly smaller (larger) entry comes.
   */
  columnRanges(m: number, d: number, A: Float64Array, lo: Float64Array, hi: Float64Array): void;
  /**
   * Y ← float32(A[:, cols] − shift) (m × width) and norms[i] ← Σₜ (A[i][cols[t]] − shift[t])²
   * in float64, summed in the order of t (A: m × d, contiguous): a SOM's float32 mirror of
   * the columns that vary.
   */
  shiftColumnsToFloat32(m: number, d: number, A: Float64Array, width: number, cols: Int32Array, shift: Float64Array, Y: Float32Array, norms: Float64Array): void;
  /**
   * out[i·n + u] ← float32(norms[u] − scale · X[i]·W[u]) for the m rows of X and the n rows of
   * W (int16, k a multiple of 8, rows contiguous): the integer screen (see
   * ./kernels/quantized.ts); the caller keeps Σ |X[i]|·|W[u]| below 2³¹, so the dot products
   * are exact.
   */
  quantizedScores(m: number, n: number, k: number, X: Int16Array, W: Int16Array, norms: Float64Array, scale: number, out: Float32Array): void;
  /**
   * Q ← round(A·s) as int16 (m × k, rows zero-padded; A: m × d float64, d ≤ k), sums[i] ←
   * Σ |Q[i]|, norms[i] ← Σⱼ (A[i][j] − shift[j])² in the order of j (shiftToFloat32's); returns
   * max |Q|, or −1 as soon as an entry is off the grid of step 1/s or beyond int16 (see
   * ./kernels/quantized.ts).
   */
  shiftToInt16(m: number, d: number, A: Float64Array, shift: Float64Array, s: number, Q: Int16Array, k: number, sums: Float64Array, norms: Float64Array): number;
  /** quantizedScores for the rows index[offIndex + i] (i < m) of X (nX × k), read in place. */
  quantizedScoresAt(
    m: number, n: number, k: number, X: Int16Array, nX: number, index: Int32Array, offIndex: number,
    W: Int16Array, norms: Float64Array, scale: number, out: Float32Array,
  ): void;
  /** Σ x[i]·y[i] over n strided entries. */
  dot<F extends FloatArray>(n: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): number;
  /** y ← alpha · x + y over n strided entries. */
  axpy<F extends FloatArray>(n: number, alpha: number, x: F, strideX: number, offX: number, y: F, strideY: number, offY: number): void;
  /**
   * Householder reduction of the symmetric A (n × n, float64; only the upper triangle is
   * read) to tridiagonal form Qᵀ·A·Q = T, Q = H₀H₁⋯H_{n−2} (LAPACK dsytrd, unblocked). On
   * return d (n) and e (n − 1) hold T's diagonal and off-diagonal, row k of A holds
   * reflector k (unit entry, stored as 1, at column k + 1, the rest after it) and tau
   * (n − 1) its scalars; the rest of the upper triangle is overwritten, the lower triangle
   * is not touched.
   */
  tridiagonalize(n: number, A: Float64Array, offA: number, lda: number, d: Float64Array, e: Float64Array, tau: Float64Array): void;
  /**
   * C (m × total) ← C·Q, or C·Qᵀ when `trans`, for Q = H₀H₁⋯H_{k−1} with
   * H_j = I − tau[j]·v_j·v_jᵀ (float64). v_j has its unit entry at column j + shift of row
   * j of V (that entry is not read; k + shift ≤ total) and its other entries after it in
   * the row: the storage of `tridiagonalize` (shift 1), whose eigenvectors, kept as rows
   * of C, are back-transformed by C·Qᵀ.
   */
  applyReflectorsRight(
    trans: boolean, m: number, total: number, k: number, shift: number,
    V: Float64Array, offV: number, ldv: number, tau: Float64Array, C: Float64Array, offC: number, ldc: number,
  ): void;
  /**
   * y ← op(A)·x (float64): with `trans`, y (n entries) = Aᵀ·x for x (m); else y (m) = A·x
   * for x (n). A (m × n) at offA with leading dimension lda, x with stride incX (it may lie
   * in A), y contiguous at offY. The summation order is fixed (see ./gemv.ts): the panels of
   * the blocked bidiagonalisation.
   */
  gemv(trans: boolean, m: number, n: number, A: Float64Array, offA: number, lda: number, x: Float64Array, offX: number, incX: number, y: Float64Array, offY: number): void;
  /**
   * The plane rotations j = j0 … j1−1, in order, each to rows j and j + 1 of X (float64;
   * rows of n entries from offset offX, leading dimension ld): (x_j, x_{j+1}) ←
   * (c·x_j + s·x_{j+1}, c·x_{j+1} − s·x_j) with c = cs[j], s = sn[j]; an identity rotation
   * (s = 0, c = 1) is skipped. One QR sweep of the bidiagonal SVD on its singular vectors.
   */
  rotateChain(n: number, X: Float64Array, offX: number, ld: number, j0: number, j1: number, cs: Float64Array, sn: Float64Array): void;
  /**
   * One reflector from the right on `rows` rows of X (float64; len entries from
   * offX + i·ld): x ← x − τ·(x·v)·v, v (len, from offV) with v[0] = 1 implicit; the dot
   * product's order is fixed (see ./reflect-rows.ts). The leaves of the LQ panels.
   */
  reflectRows(len: number, rows: number, V: Float64Array, offV: number, X: Float64Array, offX: number, ld: number, tau: number): void;
  /**
   * Eigen-decomposition of D + ρ·z·zᵀ (float64), the merge step of divide and conquer, for
   * strictly increasing d (k), ρ > 0 and z without zero entries: the eigenvalues,
   * ascending, into `lambda` (k) and the unit eigenvectors into the rows of U (k × k,
   * contiguous).
   */
  secularEigen(k: number, d: Float64Array, z: Float64Array, rho: number, lambda: Float64Array, U: Float64Array): void;
  /**
   * The attractive forces of 2-D t-SNE (float64) over the strict upper triangle of the
   * symmetric P in CSR form (rowPtr n + 1, col and val one per stored pair, columns > row):
   * out (n × 2, overwritten) = scale · Σⱼ pᵢⱼ (yᵢ − yⱼ) / (1 + ‖yᵢ − yⱼ‖²), each pair acting
   * on both points; see `tsneAttraction2` in ./kernels/tsne.ts for the order of the sums.
   */
  tsneAttraction2(n: number, rowPtr: Int32Array, col: Int32Array, val: Float64Array, Y: Float64Array, scale: number, out: Float64Array): void;
  /**
   * 2-D Barnes-Hut repulsion (float64) from the points alone: builds the quadtree over the
   * n points of Y (n × 2) and traverses it with opening angle θ, out (n × 2, overwritten)
   * ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ), returning Z ≈ Σ_{i≠j} wᵢⱼ; see `tsneBarnesHut2` and
   * `tsneRepulsion2` in ./kernels/tsne.ts.
   */
  tsneBarnesHut2(n: number, Y: Float64Array, theta: number, out: Float64Array): number;
  /**
   * The k smallest entries of each of `rows` rows of D (float64, n columns, leading
   * dimension ldd), by (value, column): their columns, ascending, into
   * index[offIndex + r·k …] (t-SNE's nearest neighbours from a block of distances). Row r
   * skips column skip + r when skip ≥ 0. Needs k ≤ the columns a row offers.
   */
  smallestInRows(rows: number, n: number, D: Float64Array, offD: number, ldd: number, k: number, skip: number, index: Int32Array, offIndex: number): void;
  /**
   * Squared Fisher-Rao distances between diagonal Gaussians, one per row: out[i] for row i
   * of (m0, v0) (n × d, contiguous) against row i of (m1, v1) (step1 = d) or their single
   * row (step1 = 0); see ./kernels/fisher-rao.ts.
   */
  fisherRaoDiagonalSq(n: number, d: number, m0: Float64Array, v0: Float64Array, m1: Float64Array, v1: Float64Array, step1: number, out: Float64Array): void;
  /**
   * Batch-OMP (float64) for m signals, each given by its correlations with the n atoms: G
   * (n × n, symmetric, contiguous) at offG, signal s's b = D·xₛ at B[offB + s·n …]. Each
   * picks at most maxAtoms atoms, stopping early when ‖r‖² ≤ tol (tol ≥ 0; negative: no
   * tolerance, norms not read; ‖xₛ‖² at norms[offNorms + s]), when no correlation is left
   * (α² < ε) or when the next atom is dependent on the chosen ones; see ./kernels/omp.ts.
   * Writes signal s's count to nIter[offIter + s], its atoms in the order chosen to
   * support[offSupport + s·maxAtoms …] and their weights to gamma[offGamma + s·maxAtoms …].
   */
  batchOmp(
    m: number, n: number, maxAtoms: number, tol: number, G: Float64Array, offG: number,
    B: Float64Array, offB: number, norms: Float64Array | null, offNorms: number,
    support: Int32Array, offSupport: number, gamma: Float64Array, offGamma: number, nIter: Int32Array, offIter: number,
  ): void;
  /**
   * One Adam step over n contiguous entries of p (parameters), g (gradients), m and v
   * (moment estimates), in place; see ./adam.ts for the rule and its rounding.
   */
  adam<F extends FloatArray>(
    n: number, p: F, g: F, m: F, v: F, stepSize: number, invCorrection2: number,
    beta1: number, beta2: number, epsilon: number, weightDecay: number,
  ): void;
  /**
   * Binary cross-entropy with logits over n contiguous entries of x (logits) and t (targets):
   * loss[i] ← max(x, 0) − x·t + ln(1 + e^−|x|), d[i] ← σ(x) − t (either may be null), in the
   * operands' precision; returns the sum of the terms in float64. See ./bce.ts (float64) and
   * ./bce-f32.ts (float32) for the order of the operations.
   */
  bceLogits<F extends FloatArray>(n: number, x: F, t: F, loss: F | null, d: F | null): number;
  /**
   * Y ← Y + b on every row of Y (m × n, contiguous), then max(·, 0) when `relu`: a dense
   * layer's output after its GEMM. See ./dense.ts.
   */
  biasRelu<F extends FloatArray>(m: number, n: number, Y: F, b: F, relu: boolean): void;
  /**
   * The backward pass of `biasRelu` from the output gradient g and output y (m × n): dz ←
   * (y > 0 ? g : 0) when `relu`, and sums (n, float64) += the column sums of dz (of g without
   * `relu`) unless null. See ./dense.ts.
   */
  biasReluGrad<F extends FloatArray>(m: number, n: number, g: F, y: F, relu: boolean, dz: F, sums: Float64Array | null): void;
}
