// Best-matching units: for every row of X, the nearest weight vector (and the second
// nearest, for the topographic error). One pass of the distance kernel per call, a block of
// rows at a time: squared distances by the GEMM form ‖x‖² + ‖w‖² − 2x·w on the active
// backend, the nearest by the kernel's row-wise argmin. The GEMM form rounds (float32 more
// so), so every unit whose kernel distance lies within a proven rounding bound of the
// smallest is measured again exactly, as Σ(xⱼ − wⱼ)² in float64: the winner is the unit
// with the smallest exact distance (the lowest index on ties), whatever backend or element
// type the kernel ran in. Then one kernel pass over X measures every row's exact distance
// to its winner (and adds the row to its unit's sum, for the batch map).
//
// The operands stay where the kernels read them for the search's life (k-means does the
// same, see kmeans/source.ts): on WebAssembly, X and its float32 mirror are regions of the
// module's memory, written once per fit; so are the weights in the kernel's form and the
// distance blocks, so no kernel call copies X, the mirror or a block of distances.
import type { FloatArray, Matrix } from '../core/matrix.js';
import {
  activeBackendName, argmin2RowsKernel, assignedSqDistancesKernel, assignedSumsKernel, columnRangesKernel, columnSumsKernel,
  gatherRowsKernel, pairSqDistancesKernel, regionKernel, residentKernel, shiftColumnsToFloat32Kernel, sqDistancesKernel,
} from '../linalg/kernels/dispatch.js';
import type { Region } from '../linalg/kernels/types.js';
import { gemmDistanceBound } from '../linalg/rows.js';

/**
 * What a search returns for every row: its best units and their exact squared distances.
 *
 * @example
 * ```ts
 * const { first, firstDist } = new UnitSearch(X).find(W, units);
 * ```
 */
export interface Matches {
  /** Best unit of each row (n). */
  readonly first: Int32Array;
  /** Exact squared distance to it (n). */
  readonly firstDist: Float64Array;
  /** Second-best unit of each row (n), when asked for. */
  readonly second?: Int32Array;
}

// Screening float64 data in float32 pays on the WebAssembly backend (twice the SIMD
// lanes, half the bytes) once rows are long enough for the GEMM to dominate (as k-means).
const SCREEN_MIN_FEATURES = 16;

// Up to this many candidates a row is settled by exact distances in plain TypeScript (d
// multiply-adds each); beyond, a float64 kernel pass over all units is cheaper.
const DIRECT_CANDIDATES = 12;

/**
 * Per-unit sums of the rows each unit wins, (units × d), and their counts (units): what the
 * batch map needs from an assignment. Filled, rows in order, by the kernel pass that
 * measures each row's exact distance to its winner (one read of each row for both).
 *
 * @example
 * ```ts
 * const sums: UnitSums = { S: new Float64Array(units * d), N: new Float64Array(units) };
 * search.find(W, units, false, undefined, sums);
 * ```
 */
export interface UnitSums {
  readonly S: Float64Array;
  readonly N: Float64Array;
}

/**
 * The rows as one kernel pass reads them: `rows` (n × width, row-major; a region, so take
 * its view afresh after every kernel call) holds, for every row, the columns `cols` of X
 * (all of them when undefined) minus `shift`. The columns left out are constant over the
 * data (value `constant[j]`): they add Σ(c − w)² per unit, the same for every row,
 * computed once per pass instead of once per row.
 */
interface KernelRows {
  readonly rows: Region<FloatArray>;
  readonly dtype: 'float32' | 'float64';
  readonly width: number;
  readonly cols: Int32Array | undefined;
  readonly shift: Float64Array | undefined;
  /** ‖x − shift‖ over the kernel's columns, per row: the rounding bound's scale. */
  readonly rowNorm: Float64Array;
}

/** The typed array of each element type. */
const ARRAYS = { float32: Float32Array, float64: Float64Array };

/**
 * Finds best-matching units of the rows of X against changing weights: created once per
 * fit (X in the kernels' memory, the rows' norms; on the WebAssembly backend a float32
 * copy of X − mean without the columns that are constant over the data), then called once
 * per epoch. `release()` gives the kernels' memory back (a search dropped without it is
 * released when collected).
 *
 * @example
 * ```ts
 * const search = new UnitSearch(X);
 * const { first, second } = search.find(W, units, true); // best and second-best unit of every row
 * search.release();
 * ```
 */
export class UnitSearch {
  readonly n: number;
  readonly d: number;
  private readonly X: Matrix;
  /** X where the active kernels read it: on WebAssembly, a copy in its memory made once. */
  private readonly data: Region<FloatArray>;
  /** The rows as X itself (float64 or float32): made at its first use (screened rows rarely need it). */
  private plainRows: KernelRows | undefined;
  /** The float32 copy for screening, on the WebAssembly backend. */
  private readonly screened: KernelRows | undefined;
  /** Per column: its value when constant over the data, NaN otherwise. */
  private readonly constant: Float64Array;
  /** Column means of X (made at first use). */
  private means: Float64Array | undefined;
  /** 0 … n − 1. */
  private all: Int32Array | undefined;
  /** (row, candidate unit) pairs of a block and their exact distances, grown as needed. */
  private pairRows = new Int32Array(0);
  private pairUnits = new Int32Array(0);
  private pairDist = new Float64Array(0);
  /** Work arrays of the passes, by name, kept across calls (no large allocation per epoch). */
  private readonly buffers = new Map<string, Region<FloatArray>>();

  /**
   * A work array of at least `length` elements, kept under `name` across calls: a region of
   * the kernels' memory (its view is valid until the next kernel call).
   */
  private buffer(name: string, dtype: 'float32' | 'float64', length: number): Region<FloatArray> {
    const have = this.buffers.get(name);
    if (have !== undefined && have.length >= length) return have;
    have?.release();
    const made = regionKernel()(new ARRAYS[dtype](0), length);
    this.buffers.set(name, made);
    return made;
  }

  /**
   * @param X - (n × d), float64 or float32
   * @param screen - allow the float32 copy of float64 data (when the WebAssembly backend is active)
   */
  constructor(X: Matrix, screen = true) {
    const { rows: n, cols: d, data } = X;
    this.X = X;
    this.n = n;
    this.d = d;
    this.constant = new Float64Array(d).fill(NaN);
    this.data = residentKernel()(data);
    const mirror = screen && data instanceof Float64Array && d >= SCREEN_MIN_FEATURES && activeBackendName() === 'wasm';
    this.screened = mirror ? this.mirror() : undefined;
  }

  /** Gives the kernels' memory back; the search must not be used afterwards. Idempotent. */
  release(): void {
    this.data.release();
    this.screened?.rows.release();
    for (const b of this.buffers.values()) b.release();
    this.buffers.clear();
  }

  /**
   * The mean of every column of X, as `columnMeans` (linalg/rows.ts) gives it: the sums of
   * the rows in order (by the kernel, on X where it lies) over n. Made once.
   */
  columnMeans(): Float64Array {
    if (this.means === undefined) {
      const { n, d } = this;
      const means = new Float64Array(d);
      columnSumsKernel()(n, d, this.data.view(), null, means);
      for (let j = 0; j < d; j++) means[j] = means[j]! / n;
      this.means = means;
    }
    return this.means;
  }

  /** The rows as X itself, with their norms. */
  private get plain(): KernelRows {
    if (this.plainRows !== undefined) return this.plainRows;
    const { n, d } = this;
    const data = this.X.data;
    const rowNorm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0, p = i * d; j < d; j++, p++) s += data[p]! * data[p]!;
      rowNorm[i] = Math.sqrt(s);
    }
    this.plainRows = { rows: this.data, dtype: data instanceof Float32Array ? 'float32' : 'float64', width: d, cols: undefined, shift: undefined, rowNorm };
    return this.plainRows;
  }

  /** The float32 copy of the non-constant columns minus their mean, with its row norms, by the kernels. */
  private mirror(): KernelRows {
    const { n, d } = this;
    const mean = this.columnMeans();
    const lo = new Float64Array(d), hi = new Float64Array(d);
    columnRangesKernel()(n, d, this.data.view() as Float64Array, lo, hi);
    const active: number[] = [];
    for (let j = 0; j < d; j++) {
      if (lo[j] === hi[j]) this.constant[j] = lo[j]!;
      else active.push(j);
    }
    const cols = Int32Array.from(active);
    const width = cols.length;
    const shift = Float64Array.from(cols, (j) => mean[j]!);
    // The region first: allocating may grow the memory and detach the view of X.
    const rows = regionKernel()(new Float32Array(0), n * width);
    const rowNorm = new Float64Array(n);
    shiftColumnsToFloat32Kernel()(n, d, this.data.view() as Float64Array, width, cols, shift, rows.view(), rowNorm);
    for (let i = 0; i < n; i++) rowNorm[i] = Math.sqrt(rowNorm[i]!);
    return { rows, dtype: 'float32', width, cols, shift, rowNorm };
  }

  /**
   * The best unit of every row against `W` (units × d, float64), or the two best with
   * `two`, and its exact squared distance. Results go into `out` when given (reused across
   * epochs); with `sums`, also the per-unit sums and counts of the rows won, added in row
   * order.
   */
  find(W: Float64Array, units: number, two = false, out?: Matches, sums?: UnitSums): Matches {
    const { n, d } = this;
    const res: Matches = {
      first: out?.first ?? new Int32Array(n),
      firstDist: out?.firstDist ?? new Float64Array(n),
      ...(two ? { second: out?.second ?? new Int32Array(n) } : {}),
    };
    const all = this.all ??= Int32Array.from({ length: n }, (_, i) => i);
    // The weights where the exact kernels read them, for the whole call.
    const w = this.buffer('w', 'float64', units * d) as Region<Float64Array>;
    w.view().set(W.subarray(0, units * d));
    if (this.screened === undefined) {
      this.pass(this.plain, W, w, units, two, all, n, Infinity, res);
    } else {
      // Float32 screening: rows whose winners are clear are done; the others (more than a
      // few units within the float32 bound of a winner) get a float64 kernel pass.
      const queued = this.pass(this.screened, W, w, units, two, all, n, DIRECT_CANDIDATES, res);
      if (queued.length > 0) this.pass(this.plain, W, w, units, two, queued, queued.length, Infinity, res);
    }
    // Every row's exact distance to its winner (and the sums), in row order: the same
    // additions whichever pass settled the row, so the same bits on either backend.
    if (sums === undefined) {
      assignedSqDistancesKernel()(n, d, this.data.view(), w.view(), res.first, res.firstDist);
    } else {
      sums.S.fill(0);
      sums.N.fill(0);
      assignedSumsKernel()(n, d, this.data.view(), w.view(), res.first, res.firstDist, sums.S, sums.N);
    }
    return res;
  }

  /** The weights in the kernel's columns and element type, Σ(c − w)² over the constant columns, and max ‖w‖. */
  private kernelWeights(view: KernelRows, W: Float64Array, units: number): { kw: Region<FloatArray>; extra: Float64Array; anyExtra: boolean; wmax: number } {
    // kw is a region: written here, read in place by the distance kernel of every block.
    const { d } = this;
    const { dtype, width, cols, shift } = view;
    const kw = this.buffer(`w${dtype}`, dtype, units * width);
    const w = kw.view();
    const extra = new Float64Array(units);
    let wmax = 0, anyExtra = false;
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let t = 0; t < width; t++) {
        const v = cols === undefined ? W[u * d + t]! : W[u * d + cols[t]!]! - shift![t]!;
        w[u * width + t] = v;
        s += v * v;
      }
      wmax = Math.max(wmax, s);
      if (cols !== undefined && width < d) {
        let e = 0;
        for (let j = 0; j < d; j++) {
          const c = this.constant[j]!;
          if (c === c) e += (c - W[u * d + j]!) ** 2;
        }
        extra[u] = e;
        if (e !== 0) anyExtra = true;
      }
    }
    return { kw, extra, anyExtra, wmax: Math.sqrt(wmax) };
  }

  /**
   * One kernel pass over the rows `which[0 … count)`: kernel distances to the weights, then
   * for each row the units within the rounding bound of its best (or second best) kernel
   * distance are the candidates. One: it is the winner. Up to `maxCandidates`: they are
   * measured exactly (see {@link settle}) and the row is resolved; more: the row is
   * returned for a more precise pass. `w` holds the weights `W` (units × d) in a region.
   */
  private pass(view: KernelRows, W: Float64Array, w: Region<Float64Array>, units: number, two: boolean, which: Int32Array, count: number, maxCandidates: number, res: Matches): Int32Array {
    const { n } = this;
    const { dtype, width } = view;
    const factor = gemmDistanceBound(width, dtype);
    const direct = count === n; // rows in order: the kernel reads them in place
    const { kw, extra, anyExtra, wmax } = this.kernelWeights(view, W, units);
    const block = Math.max(8, Math.min(4096, Math.floor(524288 / Math.max(1, width)), Math.floor(1048576 / Math.max(1, units))));
    const D = this.buffer(`D${dtype}`, dtype, Math.min(block, count) * units);
    const gathered = direct ? view.rows : this.buffer(`x${dtype}`, dtype, Math.min(block, count) * width);
    const idx = new Int32Array(Math.min(block, count));
    const mins = new ARRAYS[dtype](idx.length), mins2 = new ARRAYS[dtype](idx.length);
    const cand = new Int32Array(units);
    const queue: number[] = [];
    let pairs = 0;
    // The common case (one winner, no constant columns): the nearest and second nearest in
    // one scan of the kernel's two-smallest; a row whose runner-up is beyond the bound has
    // one candidate and needs no scan.
    const quick = !two && !anyExtra;
    for (let start = 0; start < count; start += block) {
      const m = Math.min(block, count - start);
      pairs = 0;
      if (!direct) gatherRowsKernel()(m, width, view.rows.view(), n, which, start, gathered.view());
      sqDistancesKernel()(m, units, width, gathered.view(), direct ? start * width : 0, width, null, kw.view(), 0, width, null, D.view(), 0, units);
      if (quick) argmin2RowsKernel()(m, units, D.view(), 0, units, idx, mins, mins2);
      const Dv = D.view();
      for (let r = 0; r < m; r++) {
        const i = which[start + r]!;
        const t = view.rowNorm[i]! + wmax;
        const tol = factor * t * t;
        const o = r * units;
        let c = 0;
        if (quick) {
          // The masked winner is a candidate; others only when the runner-up is close.
          const winner = idx[r]!;
          cand[c++] = winner;
          if (mins2[r]! <= mins[r]! + tol) {
            const limit = mins[r]! + tol;
            for (let u = 0; u < units && c <= maxCandidates; u++) if (u !== winner && Dv[o + u]! <= limit) cand[c++] = u;
          }
        } else {
          let v1 = Infinity, v2 = Infinity;
          for (let u = 0; u < units; u++) {
            const v = Dv[o + u]! + extra[u]!;
            if (v < v1) { v2 = v1; v1 = v; } else if (v < v2) { v2 = v; }
          }
          const limit = (two && units > 1 ? v2 : v1) + tol;
          for (let u = 0; u < units && c <= maxCandidates; u++) if (Dv[o + u]! + extra[u]! <= limit) cand[c++] = u;
        }
        if (c > maxCandidates) {
          queue.push(i);
        } else if (c === 1) {
          res.first[i] = cand[0]!;
          if (res.second !== undefined) res.second[i] = -1;
        } else {
          pairs = this.addPairs(pairs, i, cand, c);
        }
      }
      if (pairs > 0) this.settle(pairs, w, res);
    }
    return Int32Array.from(queue);
  }

  /** Appends the pairs (i, cand[0 … c)) at position `at` of the pair lists; returns the new end. */
  private addPairs(at: number, i: number, cand: Int32Array, c: number): number {
    if (this.pairRows.length < at + c) {
      const size = Math.max(2 * this.pairRows.length, at + c, 256);
      const rows = new Int32Array(size), units = new Int32Array(size);
      rows.set(this.pairRows.subarray(0, at));
      units.set(this.pairUnits.subarray(0, at));
      this.pairRows = rows;
      this.pairUnits = units;
      this.pairDist = new Float64Array(size);
    }
    this.pairRows.fill(i, at, at + c);
    this.pairUnits.set(cand.subarray(0, c), at);
    return at + c;
  }

  /**
   * The rows of the first `count` pairs (each row's candidates in a run, in their order)
   * settled by exact distances, Σ(x − w)², measured by one kernel call: the smallest (and
   * second smallest) wins, the first in candidate order on ties.
   */
  private settle(count: number, W: Region<Float64Array>, res: Matches): void {
    const { pairRows: rows, pairUnits: units, pairDist: dist } = this;
    pairSqDistancesKernel()(count, this.d, this.data.view(), this.n, rows, W.view(), units, dist);
    for (let q = 0; q < count;) {
      const i = rows[q]!;
      let b1 = -1, e1 = Infinity, b2 = -1, e2 = Infinity;
      for (; q < count && rows[q] === i; q++) {
        const u = units[q]!, e = dist[q]!;
        if (e < e1) { b2 = b1; e2 = e1; b1 = u; e1 = e; } else if (e < e2) { b2 = u; e2 = e; }
      }
      res.first[i] = b1;
      if (res.second !== undefined) res.second[i] = b2;
    }
  }
}
