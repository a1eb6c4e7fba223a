import type { FloatArray, Matrix } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { argminRowsKernel, assignedSqDistancesKernel, regionKernel, residentKernel, rowSqNormsKernel, shiftToFloat32Kernel, sqDistancesAtKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';
import { jsRegion } from '../linalg/kernels/resident.js';
import type { Region } from '../linalg/kernels/types.js';
import type { Block, Dtype, IntRows, KernelCentres, PreparedSource, RowSource } from './source-types.js';
import { gridRowsShifted, unitLevels } from '../linalg/quantize.js';

export type { Block, Dtype, IntRows, KernelCentres, PreparedSource, RowSource } from './source-types.js';


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

/**
 * Rows `index[start …]` of (rows, norms) for the distance kernel. A source that owns kernel
 * memory (`owned`) hands the kernel the index, which reads the rows in place
 * (sqDistancesAt: no copy); plain arrays are gathered into a reusable scratch block.
 * Either way the norms are gathered, m values.
 */
function gatherer(rows: Region<FloatArray>, norms: FloatArray, d: number, dtype: Dtype, owned: boolean): (start: number, m: number, index: Int32Array) => Block {
  let sx = allocate(dtype, 0), sn = allocate(dtype, 0);
  return (start, m, index) => {
    if (sn.length < m) {
      if (!owned) sx = allocate(dtype, m * d);
      sn = allocate(dtype, m);
    }
    const x = rows.view();
    for (let r = 0; r < m; r++) {
      const i = index[start + r]!;
      if (!owned) sx.set(x.subarray(i * d, i * d + d), r * d);
      sn[r] = norms[i]!;
    }
    return owned ? { x, off: 0, norms: sn, index, offIndex: start } : { x: sx, off: 0, norms: sn };
  };
}

/**
 * Rows already in memory with their norm terms: blocks are views of `rows.view()`, taken
 * afresh for every block (a resident region's view detaches when the kernels' memory
 * grows); indexed rows (the screened pass's and Hamerly's rechecks) go to the kernel as
 * an index into kernel memory, or, in plain arrays, copied together (see gatherer).
 */
function viewSource<F extends FloatArray>(rows: Region<F>, norms: F, n: number, d: number, shift: Float64Array, offset: boolean, owned: boolean): RowSource<F> {
  const dtype = dtypeOf(rows.view());
  const gather = gatherer(rows, norms, d, dtype, owned);
  return {
    n, d, dtype,
    block: (start, m, index) => (index === undefined ? { x: rows.view(), off: start * d, norms: norms.subarray(start, start + m) as F } : gather(start, m, index) as Block<F>),
    centres: (c, k) => shiftedCentres(c, k, shift, dtype, offset) as KernelCentres<F>,
  };
}

/**
 * The data of a fit (see {@link PreparedSource}): ‖x − shift‖² per row and, with
 * `mirror`, the float32 copy of x − shift, both in one pass over X, by the kernels.
 *
 * `rows` holds X where the active kernels read it (by default X itself): k-means passes a
 * resident region (`residentKernel()(X.data)`), so that on WebAssembly X is copied into
 * linear memory once for the whole fit (every iteration and initialisation) and the mirror
 * is written there directly, instead of each block of rows being copied in again at every
 * kernel call (which cost as much as the float32 distance kernel itself on MNIST); on
 * TypeScript nothing changes (the regions are X and a plain array). The source owns `rows`
 * from then on: `release()` gives that memory back for the next fit.
 */
export function prepareSource(X: Matrix, shift: Float64Array, mirror = false, rows?: Region<FloatArray>): PreparedSource {
  const { rows: n, cols: d, data: x } = X;
  // Given rows are kernel memory the source owns (released by release()); its indexed blocks are read there in place.
  const owned = rows !== undefined;
  const held = rows ?? jsRegion(x);
  const norms = allocate(dtypeOf(x), n);
  // Data on a grid is screened in int16, other data in float32: one copy either way.
  const grid = mirror && owned ? intRows(held as Region<Float64Array>, n, d, shift, norms as Float64Array) : undefined;
  const copy = mirror && grid === undefined ? float32Mirror(held as Region<Float64Array>, n, d, shift, norms as Float64Array, owned) : undefined;
  if (copy === undefined && grid === undefined) rowNorms(held, n, d, shift, norms);
  const view = viewSource(held, norms, n, d, shift, true, owned);
  const release = (): void => {
    held.release();
    copy?.release();
    grid?.rows.release();
  };
  return { ...view, x, rows: held, norms, shift, release, ...(copy === undefined ? {} : { mirror: copy.source }), ...(grid === undefined ? {} : { grid }) };
}

/**
 * X (n × d, float64) as exact int16 on its grid (linalg/quantize.ts `gridRowsShifted`), in
 * kernel memory, with ‖x − shift‖² per row into `norms` (the float32 mirror's, bit for bit:
 * they enter every float64 distance, so the screen chosen must not change them); undefined
 * when X is off every grid, or its rows' sums too large for the units to be rounded within
 * int32 sums (`unitLevels` below 1).
 */
function intRows(x: Region<Float64Array>, n: number, d: number, shift: Float64Array, norms: Float64Array): IntRows | undefined {
  const rows = regionKernel()(new Int16Array(0), n * ((d + 7) & ~7));
  const grid = gridRowsShifted(x, n, d, shift, norms, rows);
  if (grid === undefined || unitLevels(grid.l1max, 1) < 1) {
    rows.release();
    return undefined;
  }
  return { rows, grid };
}

/** norms[i] ← ‖x_i − shift‖² (from the differences, in float64; rounded to float32 for float32 data). */
function rowNorms(rows: Region<FloatArray>, n: number, d: number, shift: Float64Array, norms: FloatArray): void {
  // The distance of every row to one centre, `shift`: all labels 0.
  const exact = norms instanceof Float64Array ? norms : new Float64Array(n);
  assignedSqDistancesKernel()(n, d, rows.view(), shift, new Int32Array(n), exact);
  if (exact !== norms) norms.set(exact);
}

/**
 * x − shift rounded to float32, with the squared norms of the rows: written into `norms`
 * (for the float64 source, exact) and kept rounded for the mirror, whose screening bound
 * allows for that rounding. Written by the kernel, into kernel memory when the source owns some.
 */
function float32Mirror(rows: Region<Float64Array>, n: number, d: number, shift: Float64Array, norms: Float64Array, owned: boolean): { source: RowSource<Float32Array>; release(): void } {
  const region = owned ? regionKernel()(new Float32Array(0), n * d) : jsRegion(new Float32Array(n * d));
  // The region is allocated first: allocating may grow the memory and detach rows' view.
  shiftToFloat32Kernel()(n, d, rows.view(), shift, region.view(), norms);
  const source = viewSource(region, Float32Array.from(norms), n, d, shift, false, owned);
  return { source, release: () => region.release() };
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
  // The screened pass asks for its float64 rechecks block by block, mostly none: nothing
  // is allocated or copied in for those.
  if (to <= from) return;
  const { d } = source;
  const { k } = centres;
  const rows = blockRows(d, k);
  const D = allocate(source.dtype, Math.min(rows, to - from) * k);
  // The centres stay in the kernels' memory for the pass rather than being copied in for
  // every block (on MNIST, 60 blocks × 31 KB per iteration).
  const cx = residentKernel()(centres.x), cn = residentKernel()(centres.norms);
  try {
    for (let start = from; start < to; start += rows) {
      const m = Math.min(rows, to - start);
      const b = source.block(start, m, index);
      if (b.index === undefined) sqDistancesKernel()(m, k, d, b.x, b.off, d, b.norms, cx.view(), 0, d, cn.view(), D, 0, k);
      else sqDistancesAtKernel()(m, k, d, b.x, source.n, b.index, b.offIndex ?? 0, b.norms, cx.view(), cn.view(), D);
      visit(start, m, D);
    }
  } finally {
    cx.release();
    cn.release();
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
