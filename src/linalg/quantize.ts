// Int16 copies of rows for the integer screen (kernels/quantized.ts): data on a grid (8-bit
// pixels, pixels / 255 or / 256, or decimals with up to four places, as the `mnist`
// package's digits with three) is copied exactly once per fit; the units
// are rounded to the finest scale that keeps every int32 sum exact, once per pass; and the
// bound on how far a screened score can be from the true one follows from what was lost.

import { shiftToInt16Kernel } from './kernels/dispatch.js';
import { gridValue, I16_MAX } from './kernels/quantized.js';
import type { Region } from './kernels/types.js';

/** Scales tried for data on a grid, coarsest first (the smaller |x̂|, the finer the units can be). */
const GRID_SCALES = [1, 10, 100, 255, 256, 1000, 10000];
const I32_MAX = 2 ** 31 - 1;

/**
 * Rows of X on a grid as int16: `q` (n × k, k = width rounded up to 8, zero-padded) holds
 * round(x·s) for the columns `cols`, and x = q·step up to `err` per entry.
 *
 * @example
 * ```ts
 * const g = gridRows(new Float64Array([0, 1 / 255]), 1, 2, Int32Array.of(0, 1), (n) => new Int16Array(n));
 * g?.q[1]; // 1
 * ```
 */
export interface GridRows {
  readonly q: Int16Array;
  /** Row length in q: width rounded up to a multiple of 8. */
  readonly k: number;
  /** 1 / s, rounded to float64. */
  readonly step: number;
  /** Largest |x − q·step| over the entries (with the rounding of q·step). */
  readonly err: number;
  /** Largest |q|. */
  readonly qmax: number;
  /** Largest Σₜ |q| of a row (an exact integer): what a unit's entries multiply in one dot product. */
  readonly l1max: number;
  /** Σₜ |q|·step per row, rounded up: the ℓ1 norm of the copy. */
  readonly l1: Float64Array;
}

/**
 * The int16 copy of the columns `cols` of X (n × d, float64) at the first of the grid
 * scales on which every entry lies (see `gridValue` in ./kernels/quantized.ts) and fits in
 * int16; undefined when none does (general data: the float32 screen serves it). `make`
 * gives the int16 array, once (a region's view, so the copy is made where the kernel
 * reads it; no kernel may run in between).
 *
 * @example
 * ```ts
 * const g = gridRows(new Float64Array([0.188, 0.933]), 1, 2, Int32Array.of(0, 1), (n) => new Int16Array(n));
 * [g?.step, g?.q[0], g?.q[1]]; // [0.001, 188, 933]
 * ```
 */
export function gridRows(X: Float64Array, n: number, d: number, cols: Int32Array, make: (length: number) => Int16Array): GridRows | undefined {
  const k = (cols.length + 7) & ~7;
  let q: Int16Array | undefined;
  for (const s of GRID_SCALES) {
    // One pass per scale, stopped at the first entry off its grid (at once, mostly).
    q ??= make(n * k);
    const grid = onGrid(X, n, d, cols, s, q, k);
    if (grid !== undefined) return grid;
  }
  return undefined;
}

/** gridRows at the scale s: q filled (padding zeroed), or undefined at the first entry off the grid or beyond int16. */
function onGrid(X: Float64Array, n: number, d: number, cols: Int32Array, s: number, q: Int16Array, k: number): GridRows | undefined {
  const width = cols.length, sums = new Float64Array(n);
  let qmax = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0, o = i * k, p = i * d; t < width; t++) {
      const v = gridValue(X[p + cols[t]!]!, s), a = v < 0 ? -v : v;
      if (!(a <= I16_MAX)) return undefined;
      q[o + t] = v;
      sum += a;
      if (a > qmax) qmax = a;
    }
    q.fill(0, i * k + width, (i + 1) * k);
    sums[i] = sum;
  }
  return { q, ...gridOf(s, k, qmax, sums) };
}

/** What a grid copy at the scale s, rows of k, knows of itself, from max |q| and Σ|q| per row (`sums`, turned into the ℓ1 norms). */
function gridOf(s: number, k: number, qmax: number, sums: Float64Array): Omit<GridRows, 'q'> {
  const step = 1 / s;
  let l1max = 0;
  for (let i = 0; i < sums.length; i++) {
    const sum = sums[i]!;
    if (sum > l1max) l1max = sum;
    // Σ|q| is an exact integer; times step, rounded up by a relative 2⁻⁴⁰.
    sums[i] = sum * step * (1 + 2 ** -40);
  }
  // |x − v·step| ≤ |x − v/s| + |v|·|1/s − step| ≤ 2⁻⁵³|x| + 2⁻⁵³|v|·step, with room to spare.
  return { k, step, err: 2 ** -50 * qmax * step, qmax, l1max, l1: sums };
}

/**
 * {@link gridRows} of every column of X (n × d, a region of the kernels' memory) into the
 * region `Q` (n × k, k = d rounded up to 8), by the kernel (shiftToInt16: one pass over X per
 * scale tried, most stopping at once), which also writes ‖x − shift‖² per row into `norms`,
 * summed as shiftToFloat32 sums them (k-means' float32 mirror, which this copy replaces).
 * An entry is on the grid as `gridValue` decides (as for gridRows). Undefined when X is on
 * none of the grids.
 *
 * @example
 * ```ts
 * const g = gridRowsShifted(jsRegion(Float64Array.of(0.188, 0.933)), 1, 2, new Float64Array(2), new Float64Array(1), jsRegion(new Int16Array(8)));
 * g?.step; // 0.001
 * ```
 */
export function gridRowsShifted(X: Region<Float64Array>, n: number, d: number, shift: Float64Array, norms: Float64Array, Q: Region<Int16Array>): Omit<GridRows, 'q'> | undefined {
  const k = (d + 7) & ~7, sums = new Float64Array(n);
  for (const s of GRID_SCALES) {
    // The views afresh for every call: a kernel call may grow the memory they lie in.
    const qmax = shiftToInt16Kernel()(n, d, X.view(), shift, s, Q.view(), k, sums, norms);
    if (qmax >= 0) return gridOf(s, k, qmax, sums);
  }
  return undefined;
}

/**
 * The largest |ŵ| that units may be rounded to against rows of `width` entries at most
 * `qmax` in size, so that Σₜ |x̂ₜ|·|ŵₜ| stays below 2³¹ (and |ŵ| in int16): the units'
 * rounding is then (max |w|) / (2 · this).
 *
 * @example
 * ```ts
 * unitLevels(1000, 673); // 3189
 * ```
 */
export function unitLevels(qmax: number, width: number): number {
  return Math.min(I16_MAX, Math.floor(I32_MAX / (Math.max(1, qmax) * Math.max(1, width)))) - 1;
}

/**
 * What rounding the units lost, for the screen's bound: |w − q·step| ≤ `err` per entry,
 * and the largest ℓ1 norm and entry of the units.
 *
 * @example
 * ```ts
 * const u = quantizeUnits(new Float64Array([0.5, -1]), 1, 2, 8, 255, new Int16Array(8));
 * u?.amax; // 1
 * ```
 */
export interface QuantizedUnits {
  readonly step: number;
  readonly err: number;
  readonly l1: number;
  readonly amax: number;
}

/**
 * q[u·k + t] ← round(W[u·width + t] / step) (W: units × width, float64; q: units × k, the
 * padding zeroed), at the finest step that keeps Σₜ |x̂ₜ|·|ŵₜ| below 2³¹ for rows whose
 * entries are at most `qmax` (and |ŵ| ≤ 32767); given `l1max`, for rows whose Σₜ |x̂ₜ| is at
 * most that instead (GridRows.l1max: finer, as rows are rarely all at qmax; MNIST's digits
 * sum to a tenth of 784 · 1000). Undefined when no step does (width · qmax, or l1max, too
 * large).
 *
 * @example
 * ```ts
 * const q = new Int16Array(8);
 * quantizeUnits(new Float64Array([0.5, -1]), 1, 2, 8, 255, q)?.amax; // 1, q [16383, -32766, 0, …]
 * ```
 */
export function quantizeUnits(W: Float64Array, units: number, width: number, k: number, qmax: number, q: Int16Array, l1max?: number): QuantizedUnits | undefined {
  const limit = l1max === undefined ? unitLevels(qmax, width) : unitLevels(l1max, 1);
  if (limit < 1) return undefined;
  let amax = 0;
  for (let p = 0; p < units * width; p++) {
    const a = Math.abs(W[p]!);
    if (a > amax) amax = a;
  }
  const s = amax > 0 ? limit / amax : 1, step = 1 / s;
  let err = 0, l1 = 0;
  for (let u = 0; u < units; u++) {
    let sum = 0;
    for (let t = 0, p = u * width, o = u * k; t < width; t++, p++) {
      const w = W[p]!, v = Math.round(w * s), e = Math.abs(w - v * step);
      q[o + t] = v;
      sum += w < 0 ? -w : w;
      if (e > err) err = e;
    }
    q.fill(0, u * k + width, (u + 1) * k);
    if (sum > l1) l1 = sum;
  }
  return { step, err: err * (1 + 2 ** -52) + amax * 2 ** -52, l1: l1 * (1 + width * 2 ** -52), amax };
}

/**
 * A bound on |ŝ − s| for one score of the integer screen: s = n_w − 2x·w in exact
 * arithmetic (n_w the float64 norm term given to the kernel, x a row on the grid `grid` of ℓ1
 * norm at most `l1`, w a unit), ŝ what quantizedScores gives from the int16 copies. The dot
 * products differ by at most εₓ‖w‖₁ + ε_w‖x̂‖₁ (εₓ, ε_w: the largest rounding of an entry of X
 * and of the units), twice that in the score; the scale-back, the subtraction and the
 * float32 store round by a few units of their size, at most `nmax` (the largest |n_w|) +
 * 2‖x‖₁ max|w| + the dot's error (and 2⁻¹⁴⁹ where the score is subnormal).
 *
 * @example
 * ```ts
 * scoreError({ err: 0 }, 100, { step: 1 / 3189, err: 1.6e-4, l1: 60, amax: 1 }, 60, 784); // ≈ 0.032
 * ```
 */
export function scoreError(grid: { readonly err: number }, l1: number, units: QuantizedUnits, nmax: number, d: number): number {
  const dot = grid.err * units.l1 + units.err * l1;
  // The scores are stored in float32: 2⁻²⁴ of their size more (and 2⁻¹⁴⁹ where they
  // are subnormal), far below the units' rounding on MNIST (1e-5 against 0.06).
  const size = nmax + 2 * l1 * units.amax + dot;
  return 2 * dot + ((d + 8) * 2 ** -50 + 2 ** -23) * size + 2 ** -140;
}
