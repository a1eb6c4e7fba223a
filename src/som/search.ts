// Best-matching units: for every row of X, the nearest weight vector (and the second
// nearest, for the topographic error). One pass of the distance kernel per call, a block of
// rows at a time: squared distances by the GEMM form ‖x‖² + ‖w‖² − 2x·w on the active
// backend, the nearest by the kernel's row-wise argmin. The GEMM form rounds (float32 more
// so), so every unit whose kernel distance lies within a proven rounding bound of the
// smallest is measured again exactly, as Σ(xⱼ − wⱼ)² in float64: the winner is the unit
// with the smallest exact distance (the lowest index on ties), whatever backend or element
// type the kernel ran in, and the distances returned are exact.
import type { FloatArray, Matrix } from '../core/matrix.js';
import { allocate } from '../linalg/dtype.js';
import { activeBackendName, argmin2RowsKernel, sqDistancesKernel } from '../linalg/kernels/dispatch.js';
import { gemmDistanceBound, sqDistanceAt } from '../linalg/rows.js';

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
 * batch map needs from an assignment. Filled while the rows are matched, in row order, so
 * each row is read from memory once for both.
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
 * The rows as one kernel pass reads them: `x` (n × width, row-major) holds, for every row,
 * the columns `cols` of X (all of them when undefined) minus `shift`. The columns left
 * out are constant over the data (value `constant[j]`): they add Σ(c − w)² per unit, the
 * same for every row, computed once per pass instead of once per row.
 */
interface KernelRows {
  readonly x: FloatArray;
  readonly dtype: 'float32' | 'float64';
  readonly width: number;
  readonly cols: Int32Array | undefined;
  readonly shift: Float64Array | undefined;
  /** ‖x − shift‖ over the kernel's columns, per row: the rounding bound's scale. */
  readonly rowNorm: Float64Array;
}

/**
 * Finds best-matching units of the rows of X against changing weights: created once per
 * fit (the rows' norms; on the WebAssembly backend a float32 copy of X − mean without the
 * columns that are constant over the data), then called once per epoch.
 *
 * @example
 * ```ts
 * const search = new UnitSearch(X);
 * const { first, second } = search.find(W, units, true); // best and second-best unit of every row
 * ```
 */
export class UnitSearch {
  readonly n: number;
  readonly d: number;
  private readonly X: Matrix;
  /** The rows as X itself (float64 or float32): made at its first use (screened rows rarely need it). */
  private plainRows: KernelRows | undefined;
  /** The float32 copy for screening, on the WebAssembly backend. */
  private readonly screened: KernelRows | undefined;
  /** Per column: its value when constant over the data, NaN otherwise. */
  private readonly constant: Float64Array;
  /** 0 … n − 1. */
  private all: Int32Array | undefined;
  /** Work arrays of the passes, by name, kept across calls (no large allocation per epoch). */
  private readonly buffers = new Map<string, Float64Array | Float32Array | Int32Array>();

  private buffer(name: string, type: 'float64', length: number): Float64Array;
  private buffer(name: string, type: 'float32' | 'float64', length: number): FloatArray;
  private buffer(name: string, type: 'int32', length: number): Int32Array;
  private buffer(name: string, type: 'float32' | 'float64' | 'int32', length: number): Float64Array | Float32Array | Int32Array {
    const have = this.buffers.get(name);
    if (have !== undefined && have.length >= length) return have.length === length ? have : have.subarray(0, length);
    const made = type === 'int32' ? new Int32Array(length) : allocate(type, length);
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
    const mirror = screen && data instanceof Float64Array && d >= SCREEN_MIN_FEATURES && activeBackendName() === 'wasm';
    this.screened = mirror ? this.mirror(data, n, d) : undefined;
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
    this.plainRows = { x: data, dtype: data instanceof Float32Array ? 'float32' : 'float64', width: d, cols: undefined, shift: undefined, rowNorm };
    return this.plainRows;
  }

  /** The float32 copy of the non-constant columns minus their mean, with its row norms. */
  private mirror(data: Float64Array, n: number, d: number): KernelRows {
    const mean = new Float64Array(d);
    const lo = new Float64Array(d).fill(Infinity), hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0, p = 0; i < n; i++) {
      for (let j = 0; j < d; j++, p++) {
        const v = data[p]!;
        mean[j] = mean[j]! + v;
        if (v < lo[j]!) lo[j] = v;
        if (v > hi[j]!) hi[j] = v;
      }
    }
    const active: number[] = [];
    for (let j = 0; j < d; j++) {
      if (lo[j] === hi[j]) this.constant[j] = lo[j]!;
      else active.push(j);
    }
    const cols = Int32Array.from(active);
    const width = cols.length;
    const shift = Float64Array.from(cols, (j) => mean[j]! / n);
    const y = new Float32Array(n * width);
    const rowNorm = new Float64Array(n);
    for (let i = 0, p = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < width; t++, p++) {
        const v = data[i * d + cols[t]!]! - shift[t]!;
        y[p] = v;
        s += v * v;
      }
      rowNorm[i] = Math.sqrt(s);
    }
    return { x: y, dtype: 'float32', width, cols, shift, rowNorm };
  }

  /**
   * The best unit of every row against `W` (units × d, float64), or the two best with
   * `two`. Results go into `out` when given (reused across epochs); with `sums`, also the
   * per-unit sums and counts of the rows won, added in row order.
   */
  find(W: Float64Array, units: number, two = false, out?: Matches, sums?: UnitSums): Matches {
    const { n } = this;
    const res: Matches = {
      first: out?.first ?? new Int32Array(n),
      firstDist: out?.firstDist ?? new Float64Array(n),
      ...(two ? { second: out?.second ?? new Int32Array(n) } : {}),
    };
    if (sums !== undefined) {
      sums.S.fill(0);
      sums.N.fill(0);
    }
    const all = this.all ??= Int32Array.from({ length: n }, (_, i) => i);
    if (this.screened === undefined) {
      this.pass(this.plain, W, units, two, all, n, Infinity, res, sums);
      return res;
    }
    // Float32 screening: rows whose winners are clear are done; the others (more than a
    // few units within the float32 bound of a winner) get a float64 kernel pass.
    const queued = this.pass(this.screened, W, units, two, all, n, DIRECT_CANDIDATES, res, sums);
    if (queued.length > 0) {
      this.pass(this.plain, W, units, two, queued, queued.length, Infinity, res);
      // The sums skipped the queued rows: add every row again, in order (the same
      // additions in the same order as on the other backend, so the same bits).
      if (sums !== undefined) this.sum(res.first, sums);
    }
    return res;
  }

  /** sums ← the per-unit sums and counts of the rows by `first`, in row order. */
  private sum(first: Int32Array, { S, N }: UnitSums): void {
    const { n, d } = this;
    const x = this.X.data;
    S.fill(0);
    N.fill(0);
    for (let i = 0; i < n; i++) {
      const u = first[i]!;
      N[u] = N[u]! + 1;
      for (let j = 0, p = i * d, q = u * d; j < d; j++) S[q + j] = S[q + j]! + x[p + j]!;
    }
  }

  /**
   * One kernel pass over the rows `which[0 … count)`: kernel distances to the weights, then
   * for each row the units within the rounding bound of its best (or second best) kernel
   * distance are the candidates. At most `maxCandidates`: they are measured exactly and the
   * row is resolved; more: the row is returned for a more precise pass.
   */
  private pass(view: KernelRows, W: Float64Array, units: number, two: boolean, which: Int32Array, count: number, maxCandidates: number, res: Matches, sums?: UnitSums): Int32Array {
    const { d } = this;
    const { dtype, width, cols, shift } = view;
    const x = this.X.data;
    const factor = gemmDistanceBound(width, dtype);
    const direct = count === this.n; // rows in order: the kernel reads them in place
    // The weights in the kernel's columns and element type; Σ(c − w)² over the constant columns.
    const kw = this.buffer(`w${dtype}`, dtype, units * width);
    const extra = this.buffer('extra', 'float64', units).fill(0);
    let wmax = 0, anyExtra = false;
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let t = 0; t < width; t++) {
        const v = cols === undefined ? W[u * d + t]! : W[u * d + cols[t]!]! - shift![t]!;
        kw[u * width + t] = v;
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
    wmax = Math.sqrt(wmax);
    const block = Math.max(8, Math.min(4096, Math.floor(524288 / Math.max(1, width)), Math.floor(1048576 / Math.max(1, units))));
    const D = this.buffer(`D${dtype}`, dtype, Math.min(block, count) * units);
    const gathered = direct ? view.x : this.buffer(`x${dtype}`, dtype, Math.min(block, count) * width);
    const idx = this.buffer('idx', 'int32', block);
    const mins = this.buffer(`m${dtype}`, dtype, block);
    const mins2 = this.buffer(`m2${dtype}`, dtype, block);
    const cand = this.buffer('cand', 'int32', units);
    const queue: number[] = [];
    for (let start = 0; start < count; start += block) {
      const m = Math.min(block, count - start);
      if (!direct) for (let r = 0; r < m; r++) gathered.set(view.x.subarray(which[start + r]! * width, which[start + r]! * width + width), r * width);
      sqDistancesKernel()(m, units, width, gathered, direct ? start * width : 0, width, null, kw, 0, width, null, D, 0, units);
      // The common case (one winner, no constant columns): the nearest and second nearest in
      // one scan of the kernel's two-smallest; a row whose runner-up is beyond the bound has
      // one candidate and needs no scan.
      const quick = !two && !anyExtra;
      if (quick) argmin2RowsKernel()(m, units, D, 0, units, idx, mins, mins2);
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
            for (let u = 0; u < units && c <= maxCandidates; u++) if (u !== winner && D[o + u]! <= limit) cand[c++] = u;
          }
        } else {
          let v1 = Infinity, v2 = Infinity;
          for (let u = 0; u < units; u++) {
            const v = D[o + u]! + extra[u]!;
            if (v < v1) { v2 = v1; v1 = v; } else if (v < v2) { v2 = v; }
          }
          const limit = (two && units > 1 ? v2 : v1) + tol;
          for (let u = 0; u < units && c <= maxCandidates; u++) if (D[o + u]! + extra[u]! <= limit) cand[c++] = u;
        }
        if (c > maxCandidates) {
          queue.push(i);
          continue;
        }
        // The candidates, exactly: the smallest (and second smallest) Σ(x − w)², lowest index on ties.
        let b1 = -1, e1 = Infinity, b2 = -1, e2 = Infinity;
        if (c === 1 && sums !== undefined) {
          b1 = cand[0]!;
          e1 = distanceAndSum(x, i * d, W, b1 * d, d, sums.S);
          sums.N[b1] = sums.N[b1]! + 1;
        } else {
          for (let q = 0; q < c; q++) {
            const u = cand[q]!;
            const e = sqDistanceAt(x, i * d, W, u * d, d);
            if (e < e1) { b2 = b1; e2 = e1; b1 = u; e1 = e; } else if (e < e2) { b2 = u; e2 = e; }
          }
          if (sums !== undefined) {
            const { S, N } = sums;
            N[b1] = N[b1]! + 1;
            for (let j = 0, p = i * d, q = b1 * d; j < d; j++) S[q + j] = S[q + j]! + x[p + j]!;
          }
        }
        res.first[i] = b1;
        res.firstDist[i] = e1;
        if (res.second !== undefined) res.second[i] = b2;
      }
    }
    return Int32Array.from(queue);
  }
}

/**
 * One candidate: sqDistanceAt(x, xo, W, wo, d) (the same operations in the same order, so the
 * same bits) while adding the row into S at wo, in one read of the row.
 */
function distanceAndSum(x: FloatArray, xo: number, W: Float64Array, wo: number, d: number, S: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let q = 0;
  for (; q + 4 <= d; q += 4) {
    const v0 = x[xo + q]!, v1 = x[xo + q + 1]!, v2 = x[xo + q + 2]!, v3 = x[xo + q + 3]!;
    const t0 = v0 - W[wo + q]!, t1 = v1 - W[wo + q + 1]!, t2 = v2 - W[wo + q + 2]!, t3 = v3 - W[wo + q + 3]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
    S[wo + q] = S[wo + q]! + v0;
    S[wo + q + 1] = S[wo + q + 1]! + v1;
    S[wo + q + 2] = S[wo + q + 2]! + v2;
    S[wo + q + 3] = S[wo + q + 3]! + v3;
  }
  for (; q < d; q++) {
    const v = x[xo + q]!;
    const t = v - W[wo + q]!;
    s0 += t * t;
    S[wo + q] = S[wo + q]! + v;
  }
  return (s0 + s1) + (s2 + s3);
}
