import type { FloatArray, Matrix } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { addRows, sqDistance } from './centres.js';
import { argminRowsKernel, rowSqNormsKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';

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
 * Rows ready for the distance kernel: row i is `x[off + i·d … off + i·d + d)`, its norm term `norms[i]`.
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
  /** ‖x − shift‖² per row. */
  readonly norms: F;
  readonly shift: Float64Array;
  /**
   * The rows minus the shift, rounded to float32 (a copy of half the size), when asked
   * for: distances screened at twice the SIMD width (see the Lloyd solver).
   */
  readonly mirror?: RowSource<Float32Array>;
}

/**
 * Rows per block of a distance pass: a block of X of about 1 MiB stays in cache between
 * the distance kernel and the centroid update that reads it again, and the (rows × k)
 * distance block stays small whatever k is.
 *
 * @example
 * ```ts
 * blockRows(784, 10); // 167
 * ```
 */
export function blockRows(d: number, k: number): number {
  const byFeatures = Math.floor(131072 / Math.max(1, d));
  const byCentres = Math.floor(262144 / Math.max(1, k));
  return Math.max(8, Math.min(4096, byFeatures, byCentres));
}

/**
 * The element type of an array.
 *
 * @example
 * ```ts
 * dtypeOf(new Float64Array(1)); // 'float64'
 * ```
 */
export function dtypeOf(like: FloatArray): Dtype {
  return like instanceof Float32Array ? 'float32' : 'float64';
}

/**
 * Column means of X, weighted by `weights` when given (total weight `total`).
 *
 * @example
 * ```ts
 * columnMeans({ rows: 2, cols: 1, data: new Float64Array([1, 3]) }, undefined, 2); // Float64Array [2]
 * ```
 */
export function columnMeans(X: Matrix, weights: Float64Array | undefined, total: number): Float64Array {
  const mean = new Float64Array(X.cols);
  addRows(mean, 0, X.data, X.cols, Int32Array.from({ length: X.rows }, (_, i) => i), 0, X.rows, weights);
  for (let j = 0; j < X.cols; j++) mean[j] = mean[j]! / total;
  return mean;
}

/** Copies rows of x (n × d) minus `shift` into `out`: rows start … start + m − 1, or index[start …]. */
function copyShifted(out: FloatArray, x: FloatArray, d: number, shift: Float64Array, start: number, m: number, index: Int32Array | undefined): void {
  for (let r = 0; r < m; r++) {
    const src = (index === undefined ? start + r : index[start + r]!) * d;
    const dst = r * d;
    for (let j = 0; j < d; j++) out[dst + j] = x[src + j]! - shift[j]!;
  }
}

/**
 * (c − shift) in the given element type, and each row's ‖c − shift‖² plus 2·shift·(c − shift) when `offset`.
 *
 * @example
 * ```ts
 * shiftedCentres(new Float64Array([3]), 1, new Float64Array([1]), 'float64', false).norms; // Float64Array [4]
 * ```
 */
export function shiftedCentres(c: Float64Array, k: number, shift: Float64Array, dtype: Dtype, offset: boolean): KernelCentres {
  const d = shift.length;
  const x = allocate(dtype, k * d);
  const norms = allocate(dtype, k);
  for (let r = 0; r < k; r++) {
    let nn = 0, cross = 0;
    for (let j = 0, p = r * d; j < d; j++, p++) {
      const v = c[p]! - shift[j]!;
      x[p] = v;
      nn += v * v;
      cross += shift[j]! * v;
    }
    norms[r] = offset ? nn + 2 * cross : nn;
  }
  return { k, x, norms };
}

/** Gathers rows `index[start …]` of (x, norms) into a reusable scratch block. */
function gatherer(x: FloatArray, norms: FloatArray, d: number, dtype: Dtype): (start: number, m: number, index: Int32Array) => Block {
  let sx = allocate(dtype, 0), sn = allocate(dtype, 0);
  return (start, m, index) => {
    if (sn.length < m) {
      sx = allocate(dtype, m * d);
      sn = allocate(dtype, m);
    }
    for (let r = 0; r < m; r++) {
      const i = index[start + r]!;
      sx.set(x.subarray(i * d, i * d + d), r * d);
      sn[r] = norms[i]!;
    }
    return { x: sx, off: 0, norms: sn };
  };
}

/**
 * Rows already in memory with their norm terms: blocks are views, gathered rows (Hamerly's
 * rechecks, mini-batches) are copied together so the kernel sees one contiguous block.
 */
function viewSource<F extends FloatArray>(x: F, norms: F, n: number, d: number, shift: Float64Array, offset: boolean): RowSource<F> {
  const dtype = dtypeOf(x);
  const gather = gatherer(x, norms, d, dtype);
  return {
    n, d, dtype,
    block: (start, m, index) => (index === undefined ? { x, off: start * d, norms: norms.subarray(start, start + m) as F } : gather(start, m, index) as Block<F>),
    centres: (c, k) => shiftedCentres(c, k, shift, dtype, offset) as KernelCentres<F>,
  };
}

/**
 * The data of a fit (see {@link PreparedSource}): ‖x − shift‖² per row and, with
 * `mirror`, the float32 copy of x − shift, both in one pass over X.
 */
export function prepareSource(X: Matrix, shift: Float64Array, mirror = false): PreparedSource {
  const { rows: n, cols: d, data: x } = X;
  const norms = allocate(dtypeOf(x), n);
  const copy = mirror ? float32Mirror(x, n, d, shift, norms) : undefined;
  if (copy === undefined) for (let i = 0; i < n; i++) norms[i] = sqDistance(x, i * d, shift, 0, d);
  return { ...viewSource(x, norms, n, d, shift, true), x, norms, shift, ...(copy === undefined ? {} : { mirror: copy }) };
}

/**
 * x − shift rounded to float32, with the squared norms of the rows: written into `norms`
 * (for the float64 source, exact) and kept rounded for the mirror, whose screening bound
 * allows for that rounding.
 */
function float32Mirror(x: FloatArray, n: number, d: number, shift: Float64Array, norms: FloatArray): RowSource<Float32Array> {
  const y = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0, p = i * d; j < d; j++, p++) {
      const v = x[p]! - shift[j]!;
      y[p] = v;
      s += v * v;
    }
    norms[i] = s;
  }
  return viewSource(y, Float32Array.from(norms), n, d, shift, false);
}

/**
 * Rows of X shifted block by block, for one pass over data that is not kept (predict,
 * transform, scores): memory stays O(block · d).
 *
 * @example
 * ```ts
 * nearest(streamSource(Xnew, shift, 'float64'), centres, labels);
 * ```
 */
export function streamSource(X: Matrix, shift: Float64Array, dtype: Dtype): RowSource {
  const { rows: n, cols: d } = X;
  let sx = allocate(dtype, 0), sn = allocate(dtype, 0);
  return {
    n, d, dtype,
    block(start, m, index) {
      if (sn.length < m) {
        sx = allocate(dtype, m * d);
        sn = allocate(dtype, m);
      }
      copyShifted(sx, X.data, d, shift, start, m, index);
      rowSqNormsKernel()(m, d, sx, 0, d, sn);
      return { x: sx, off: 0, norms: sn };
    },
    centres: (c, k) => shiftedCentres(c, k, shift, dtype, false),
  };
}

/**
 * Squared distances of rows to every centre, block by block: positions from … to − 1 (rows
 * themselves, or the rows `index[from … to)`), each block's (m × k) distances computed by
 * the active backend's kernel into `D` and handed to `visit(start, m, D)`, `start` being
 * the block's first position.
 *
 * @example
 * ```ts
 * forEachBlock(src, src.centres(centres, k), 0, src.n, undefined, (start, m, D) => draw(D)); // D: (m × k)
 * ```
 */
export function forEachBlock(
  source: RowSource, centres: KernelCentres, from: number, to: number, index: Int32Array | undefined,
  visit: (start: number, m: number, D: FloatArray) => void,
): void {
  const { d } = source;
  const { k } = centres;
  const rows = blockRows(d, k);
  const D = allocate(source.dtype, Math.max(0, Math.min(rows, to - from)) * k);
  for (let start = from; start < to; start += rows) {
    const m = Math.min(rows, to - start);
    const b = source.block(start, m, index);
    sqDistancesKernel()(m, k, d, b.x, b.off, d, b.norms, centres.x, 0, d, centres.norms, D, 0, k);
    visit(start, m, D);
  }
}

/**
 * Nearest centre of every row (the first on ties) into `labels`, and its squared distance
 * into `dist` when given: distances by the kernel, then the kernel's row-wise argmin.
 *
 * @example
 * ```ts
 * const labels = new Int32Array(src.n);
 * nearest(src, centres, labels); // nearest centre of every row
 * ```
 */
export function nearest(source: RowSource, centres: Float64Array, labels: Int32Array, dist?: Float64Array): void {
  const kc = source.centres(centres, centres.length / source.d);
  const { k } = kc;
  const values = allocate(source.dtype, blockRows(source.d, k));
  forEachBlock(source, kc, 0, source.n, undefined, (start, m, D) => {
    argminRowsKernel()(m, k, D, 0, k, labels.subarray(start, start + m), dist === undefined ? null : values);
    if (dist !== undefined) for (let i = 0; i < m; i++) dist[start + i] = values[i]!;
  });
}
