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
// Which screen, on WebAssembly, for float64 data of 16 features or more: data on a grid
// (integers, pixels / 255 or / 256, up to four decimals; found by one pass at fit time,
// linalg/quantize.ts) is screened by exact int16 dot products (i32x4.dot_i16x8_s, eight
// multiply-adds per instruction against f32x4's four; MNIST's batch fit about 1.4× faster): X is
// exact there, only the units are rounded, so the bound is as tight as float32's (scores
// stored in float32: half the bytes for the scan). Being on a grid is the whole criterion:
// dense integer data gained too (0 … 9: 1.37×, 0 … 255: 1.11×, 256 columns), except
// entries up to ~24000, where the units' rounding gets coarse (0.96×). Other data keeps
// the float32 mirror: rounding X too (to the bits that keep the int32 sums
// exact) widens the bound about five times on MNIST-like data (estimated, not measured),
// and with it the near ties measured exactly.
//
// The operands stay where the kernels read them for the search's life (k-means does the
// same, see kmeans/source.ts): on WebAssembly, X and its float32 mirror are regions of the
// module's memory, written once per fit; so are the weights in the kernel's form and the
// distance blocks, so no kernel call copies X, the mirror or a block of distances.
import type { FloatArray, Matrix } from '../core/matrix.js';
import {
  activeBackendName, argmin2RowsKernel, assignedSqDistancesKernel, assignedSumsKernel, columnRangesKernel, columnSumsKernel,
  gatherRowsKernel, pairSqDistancesKernel, quantizedScoresKernel, regionKernel, residentKernel, shiftColumnsToFloat32Kernel, sqDistancesKernel,
} from '../linalg/kernels/dispatch.js';
import { gridRows, quantizeUnits, scoreError, type GridRows } from '../linalg/quantize.js';
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

/**
 * The integer screen's copy of X (see linalg/quantize.ts): the columns `cols` that vary, as
 * int16 on the data's grid, in a region (`rows`, n × grid.k).
 */
interface IntRows {
  readonly rows: Region<Int16Array>;
  readonly grid: Omit<GridRows, 'q'>;
  readonly cols: Int32Array;
}

/**
 * One screening pass as the candidate scan sees it: `scores` fills D (m × units, row-major)
 * with each row's score per unit for the rows which[start … start + m), in which the
 * smallest is the nearest unit up to `tol(i)` (the score of any unit is within tol / 2 of
 * its true one, shifted by the same amount for every unit of a row); `extra[u]` is added to
 * every score of unit u when `anyExtra`.
 */
interface Screen {
  readonly dtype: 'float32' | 'float64';
  readonly width: number;
  readonly extra: Float64Array;
  readonly anyExtra: boolean;
  scores(start: number, m: number, D: FloatArray): void;
  tol(i: number): number;
}

/** The typed array of each element type. */
const ARRAYS = { float32: Float32Array, float64: Float64Array, int16: Int16Array };

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
  /** The float32 copy for screening, on the WebAssembly backend (data off a grid). */
  private readonly screened: KernelRows | undefined;
  /** The int16 copy for screening, on the WebAssembly backend (data on a grid, as 8-bit pixels). */
  private readonly grid: IntRows | undefined;
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
  private readonly buffers = new Map<string, Region<FloatArray | Int16Array>>();

  /**
   * A work array of at least `length` elements, kept under `name` across calls: a region of
   * the kernels' memory (its view is valid until the next kernel call).
   */
  private buffer(name: string, dtype: 'float32' | 'float64', length: number): Region<FloatArray>;
  private buffer(name: string, dtype: 'int16', length: number): Region<Int16Array>;
  private buffer(name: string, dtype: keyof typeof ARRAYS, length: number): Region<FloatArray | Int16Array> {
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
    const cols = mirror ? this.varying() : undefined;
    // Data on a grid is screened in int16 (twice the multiply-adds per instruction of
    // float32, and a tighter bound: only the units are rounded); other data in float32.
    this.grid = cols === undefined ? undefined : this.onGrid(cols);
    this.screened = cols !== undefined && this.grid === undefined ? this.mirror(cols) : undefined;
  }

  /** Gives the kernels' memory back; the search must not be used afterwards. Idempotent. */
  release(): void {
    this.data.release();
    this.screened?.rows.release();
    this.grid?.rows.release();
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

  /** The columns that vary over X (by the kernels); the others' values go to `constant`. */
  private varying(): Int32Array {
    const { n, d } = this;
    const lo = new Float64Array(d), hi = new Float64Array(d);
    columnRangesKernel()(n, d, this.data.view() as Float64Array, lo, hi);
    const active: number[] = [];
    for (let j = 0; j < d; j++) {
      if (lo[j] === hi[j]) this.constant[j] = lo[j]!;
      else active.push(j);
    }
    return Int32Array.from(active);
  }

  /** The int16 copy of the columns `cols`, when X lies on a grid (see linalg/quantize.ts `gridRows`). */
  private onGrid(cols: Int32Array): IntRows | undefined {
    const { n, d } = this;
    let rows: Region<Int16Array> | undefined;
    const grid = gridRows(this.X.data as Float64Array, n, d, cols, (length) => (rows = regionKernel()(new Int16Array(0), length)).view());
    if (grid === undefined || rows === undefined) {
      rows?.release();
      return undefined;
    }
    const { q: _, ...rest } = grid;
    return { rows, grid: rest, cols };
  }

  /** The float32 copy of the columns `cols` minus their mean, with its row norms, by the kernels. */
  private mirror(cols: Int32Array): KernelRows {
    const { n, d } = this;
    const mean = this.columnMeans();
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
    const queued = this.grid === undefined ? undefined : this.intScreen(this.grid, W, units, w, two, res);
    if (queued !== undefined) {
      if (queued.length > 0) this.pass(this.plain, W, w, units, two, queued, queued.length, Infinity, res);
    } else if (this.screened === undefined) {
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

  /** Rows per kernel call: a block of rows and its distances stay within a few MB. */
  private blockRows(width: number, units: number): number {
    return Math.max(8, Math.min(4096, Math.floor(524288 / Math.max(1, width)), Math.floor(1048576 / Math.max(1, units))));
  }

  /**
   * One kernel pass over the rows `which[0 … count)` in `view` (see {@link scan}): GEMM-form
   * distances in the view's element type, within the rounding bound of gemmDistanceBound.
   */
  private pass(view: KernelRows, W: Float64Array, w: Region<Float64Array>, units: number, two: boolean, which: Int32Array, count: number, maxCandidates: number, res: Matches): Int32Array {
    const { n } = this;
    const { dtype, width } = view;
    const factor = gemmDistanceBound(width, dtype);
    const direct = count === n; // rows in order: the kernel reads them in place
    const { kw, extra, anyExtra, wmax } = this.kernelWeights(view, W, units);
    const block = Math.min(this.blockRows(width, units), count);
    const gathered = direct ? view.rows : this.buffer(`x${dtype}`, dtype, block * width);
    const screen: Screen = {
      dtype, width, extra, anyExtra,
      scores(start, m, D) {
        if (!direct) gatherRowsKernel()(m, width, view.rows.view(), n, which, start, gathered.view());
        sqDistancesKernel()(m, units, width, gathered.view(), direct ? start * width : 0, width, null, kw.view(), 0, width, null, D, 0, units);
      },
      tol(i) {
        const t = view.rowNorm[i]! + wmax;
        return factor * t * t;
      },
    };
    return this.scan(screen, w, units, two, which, count, maxCandidates, res);
  }

  /**
   * The integer screen of all rows (the int16 copy of X against the units rounded to int16
   * by linalg/quantize.ts): score ‖w‖² − 2x·w in float64 from the exact integer dot products
   * (‖x‖², the same for every unit of a row, left out). Its distance from the true score is
   * at most 2(εₓ‖w‖₁ + ε_w‖x̂‖₁) (εₓ, ε_w: the largest rounding of an entry of X and of the
   * units), plus the float64 roundings of ‖w‖², of the scale-back and of the exact
   * distances that settle the near ties (see linalg/quantize.ts `scoreError`). Undefined when the units cannot be rounded within
   * int32 sums (then a float64 pass serves).
   */
  private intScreen(x: IntRows, W: Float64Array, units: number, w: Region<Float64Array>, two: boolean, res: Matches): Int32Array | undefined {
    const { n, d } = this;
    const { grid, cols } = x;
    const width = cols.length, k = grid.k;
    const gathered = new Float64Array(units * width);
    for (let u = 0; u < units; u++) for (let t = 0; t < width; t++) gathered[u * width + t] = W[u * d + cols[t]!]!;
    const kw = this.buffer('wint16', 'int16', units * k) as Region<Int16Array>;
    const q = quantizeUnits(gathered, units, width, k, grid.qmax, kw.view());
    if (q === undefined) return undefined;
    // ‖w‖² over the columns that vary, plus Σ(c − w)² over the constant ones: one number per unit.
    const norms = new Float64Array(units);
    let nmax = 0;
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const c = this.constant[j]!, v = W[u * d + j]!;
        s += c === c ? (c - v) * (c - v) : v * v;
      }
      norms[u] = s;
      nmax = Math.max(nmax, s);
    }
    const scale = 2 * grid.step * q.step;
    const exact = gemmDistanceBound(d, 'float64');
    const screen: Screen = {
      dtype: 'float32', width: k, extra: new Float64Array(units), anyExtra: false,
      scores(start, m, D) {
        quantizedScoresKernel()(m, units, k, x.rows.view().subarray(start * k, (start + m) * k), kw.view(), norms, scale, D as Float32Array);
      },
      tol(i) {
        const l1 = grid.l1[i]!;
        const t = l1 + q.l1;
        return 2 * scoreError(grid, l1, q, nmax, d) + exact * t * t;
      },
    };
    return this.scan(screen, w, units, two, this.all!, n, DIRECT_CANDIDATES, res);
  }

  /**
   * The screen's scores of the rows `which[0 … count)`, a block at a time; for each row the
   * units within `tol` of its best (or second best) score are the candidates. One: it is
   * the winner. Up to `maxCandidates`: they are measured exactly (see {@link settle}) and
   * the row is resolved; more: the row is returned for a more precise pass. `w` holds the
   * weights (units × d) in a region.
   */
  private scan(screen: Screen, w: Region<Float64Array>, units: number, two: boolean, which: Int32Array, count: number, maxCandidates: number, res: Matches): Int32Array {
    const { dtype, width, extra, anyExtra } = screen;
    const block = Math.min(this.blockRows(width, units), count);
    const D = this.buffer(`D${dtype}`, dtype, block * units);
    const idx = new Int32Array(block);
    const mins = new ARRAYS[dtype](block), mins2 = new ARRAYS[dtype](block);
    const cand = new Int32Array(units);
    const queue: number[] = [];
    // The common case (one winner, no constant columns): the nearest and second nearest in
    // one scan of the kernel's two-smallest; a row whose runner-up is beyond the bound has
    // one candidate and needs no scan.
    const quick = !two && !anyExtra;
    for (let start = 0; start < count; start += block) {
      const m = Math.min(block, count - start);
      let pairs = 0;
      screen.scores(start, m, D.view());
      if (quick) argmin2RowsKernel()(m, units, D.view(), 0, units, idx, mins, mins2);
      const Dv = D.view();
      for (let r = 0; r < m; r++) {
        const i = which[start + r]!;
        const tol = screen.tol(i);
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
