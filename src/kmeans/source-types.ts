import type { FloatArray } from '../core/matrix.js';
import type { Region } from '../linalg/kernels/types.js';
import type { GridRows } from '../linalg/quantize.js';

// The shapes k-means' row sources share: in a file of their own so that centres.ts and
// source.ts, which use each other's functions, do not import each other for types.

/**
 * The element type the kernels run in.
 *
 * @example
 * ```ts
 * const dtype: Dtype = dtypeOf(new Float32Array(1)); // 'float32'
 * ```
 */
export type Dtype = 'float32' | 'float64';

/**
 * Rows ready for the distance kernel: row i is `x[off + i·d … off + i·d + d)`, its norm
 * term `norms[i]`; with `index`, row i is row `index[offIndex + i]` of x (read in place by
 * sqDistancesAt).
 *
 * @example
 * ```ts
 * const { x, off, norms } = src.block(0, 16); // rows 0 … 15 for the kernel
 * ```
 */
export interface Block<F extends FloatArray = FloatArray> {
  readonly x: F;
  readonly off: number;
  readonly norms: F;
  readonly index?: Int32Array;
  readonly offIndex?: number;
}

/**
 * Centroids as the kernels want them: in the source's element type, with their norm terms.
 *
 * @example
 * ```ts
 * const kc: KernelCentres = src.centres(centres, k);
 * kc.x.length; // k · d
 * ```
 */
export interface KernelCentres<F extends FloatArray = FloatArray> {
  readonly k: number;
  readonly x: F;
  readonly norms: F;
}

/**
 * Rows for the distance kernels, which compute nA + nB − 2a·b for a row a of a block and
 * a row b of the centres. A source chooses a, b, nA and nB so that the result is ‖x − c‖²
 * while the cancellation stays small: coordinates are taken relative to `shift` (the
 * data's mean in a fit, the centroids' mean in `predict`), as scikit-learn centres X.
 *
 * @example
 * ```ts
 * forEachBlock(source, source.centres(centres, k), 0, source.n, undefined, (start, m, D) => {});
 * ```
 */
export interface RowSource<F extends FloatArray = FloatArray> {
  readonly n: number;
  readonly d: number;
  readonly dtype: Dtype;
  /** Rows start … start + m − 1, or the rows `index[start … start + m − 1]` when given. */
  block(start: number, m: number, index?: Int32Array): Block<F>;
  /** The k centres (float64, k × d, in the data's coordinates) in this source's terms. */
  centres(c: Float64Array, k: number): KernelCentres<F>;
}

/**
 * A fit's data: the caller's rows themselves (never copied nor modified) with
 * nA = ‖x − m‖², computed once per fit. The kernel then gets b = c − m and
 * nB = ‖c − m‖² + 2m·(c − m), so nA + nB − 2x·b = ‖(x − m) − (c − m)‖²: the distance
 * of centred data, without a centred copy of X.
 *
 * @example
 * ```ts
 * const src = prepareSource(X, columnMeans(X, undefined, X.rows));
 * src.norms[0]; // ‖x₀ − mean‖²
 * ```
 */
export interface PreparedSource<F extends FloatArray = FloatArray> extends RowSource<F> {
  /** The rows, (n × d) row-major, as given. */
  readonly x: F;
  /**
   * The same rows where the active kernels read them (see `Region`): the per-cluster sums
   * and exact distances of a fit are kernels over it. Re-derive `view()` after every kernel call.
   */
  readonly rows: Region<F>;
  /** ‖x − shift‖² per row. */
  readonly norms: F;
  readonly shift: Float64Array;
  /**
   * The rows minus the shift, rounded to float32 (a copy of half the size), when asked
   * for: distances screened at twice the SIMD width (see the Lloyd solver).
   */
  readonly mirror?: RowSource<Float32Array>;
  /**
   * Instead of `mirror`, for data on a grid (see linalg/quantize.ts): X itself (not
   * shifted) as exact int16, screened by integer dot products (see the Lloyd solver).
   */
  readonly grid?: IntRows;
  /** Gives back the memory the kernels keep the rows in (see {@link prepareSource}); idempotent. */
  release(): void;
}

/**
 * The rows of X as int16 on their grid: `rows` (n × grid.k, a region of the kernels'
 * memory) holds round(x / grid.step), every row zero-padded to grid.k.
 *
 * @example
 * ```ts
 * const g: IntRows | undefined = src.grid;
 * g?.grid.step; // 0.001 for the `mnist` package's digits
 * ```
 */
export interface IntRows {
  readonly rows: Region<Int16Array>;
  readonly grid: Omit<GridRows, 'q'>;
}
