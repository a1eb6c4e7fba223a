import type { Matrix } from '../core/matrix.js';
import { checkBoolean, checkOptions, optionNames } from '../core/options.js';
import { checkModel, type SomModel } from './model.js';
import { neighbours } from './topology.js';

/**
 * Options of {@link uMatrix}.
 *
 * @example
 * ```ts
 * som.uMatrix(model, { interstitial: true }); // (2·height − 1) × (2·width − 1)
 * ```
 */
export interface UMatrixOptions {
  /**
   * Also the cells between units: a (2·height − 1) × (2·width − 1) matrix in which
   * (2r, 2c + 1) is the distance between units (r, c) and (r, c + 1), and row 2r + 1 holds
   * the distances between rows r and r + 1: on a rectangular map (2r + 1, 2c) pairs (r, c)
   * with (r + 1, c) and (2r + 1, 2c + 1) is the mean of the two diagonals of that square
   * divided by √2, their length on the grid (SOM Toolbox's convention, so that these cells
   * compare with the others); on a hexagonal map (2r + 1, 2c) pairs (r, c) with (r + 1, c),
   * and (2r + 1, 2c + 1) pairs (r, c) with (r + 1, c + 1) when r is even, (r, c + 1) with
   * (r + 1, c) when r is odd: every edge once. The unit cell (2r, 2c) is the mean of the
   * cells around it (8 on a rectangular map, its 6 edges on a hexagonal one; SOM Toolbox
   * takes their median), which on a hexagonal map is the per-unit value. Edges across the
   * wrap of a toroidal map have no cell.
   * @defaultValue false
   */
  interstitial?: boolean;
}

// The cells around a unit cell of the interstitial matrix: all 8 on a rectangular map; on a
// hexagonal one the 6 edge cells, whose columns in the rows above and below depend on the
// row's parity (rows 0, 2, … are shifted right).
const RECT_AROUND: readonly (readonly [number, number])[] = [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1]];
const HEX_AROUND_EVEN: readonly (readonly [number, number])[] = [[-1, 0], [-1, 1], [0, -1], [0, 1], [1, 0], [1, 1]];
const HEX_AROUND_ODD: readonly (readonly [number, number])[] = [[-1, -1], [-1, 0], [0, -1], [0, 1], [1, -1], [1, 0]];

/** Euclidean distance between the weights of units a and b. */
function between(w: ArrayLike<number>, d: number, a: number, b: number): number {
  let s = 0;
  for (let j = 0, p = a * d, q = b * d; j < d; j++) {
    const t = w[p + j]! - w[q + j]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Every option name of {@link UMatrixOptions} (unknown ones are rejected). */
const UMATRIX_OPTION_NAMES = optionNames<UMatrixOptions>()('interstitial');

/**
 * The unified distance matrix (Ultsch & Siemon 1990): for every unit, the mean Euclidean
 * distance between its weights and those of its neighbours on the map (8 on a rectangular
 * map, 6 on a hexagonal one; fewer at the edges unless toroidal). Units inside a cluster
 * have close neighbours and low values; the borders between clusters show as ridges of
 * high values. With `interstitial`, the distances between neighbouring units get cells of
 * their own (see {@link UMatrixOptions}).
 *
 * @returns (height × width), or (2·height − 1) × (2·width − 1) with `interstitial`; float64.
 *   A single-unit map has no neighbours: 0.
 *
 * @see Ultsch & Siemon (1990), "Kohonen's self organizing feature maps for exploratory data analysis", INNC
 *
 * @example
 * ```ts
 * const model = som.fit([[0], [1], [9], [10]], { width: 4, height: 1, epochs: 20 });
 * Array.from(som.uMatrix(model).data, (v) => +v.toFixed(1)); // [1.6, 4.1, 4.1, 1.6]: a ridge between the pairs
 * ```
 */
export function uMatrix(model: SomModel, options?: UMatrixOptions): Matrix {
  const m = checkModel(model);
  const interstitial = checkBoolean(checkOptions(options, UMATRIX_OPTION_NAMES).interstitial ?? false, 'interstitial');
  const { width: w, height: h } = m;
  const { cols: d, data } = m.weights;
  const { offsets, indices } = neighbours(m);
  const unit = new Float64Array(w * h);
  for (let u = 0; u < w * h; u++) {
    const count = offsets[u + 1]! - offsets[u]!;
    let s = 0;
    for (let p = offsets[u]!; p < offsets[u + 1]!; p++) s += between(data, d, u, indices[p]!);
    unit[u] = count > 0 ? s / count : 0;
  }
  if (!interstitial) return { rows: h, cols: w, data: unit };
  const W = 2 * w - 1, H = 2 * h - 1;
  const out = new Float64Array(W * H);
  const dist = (r1: number, c1: number, r2: number, c2: number): number => between(data, d, r1 * w + c1, r2 * w + c2);
  const hex = m.topology === 'hexagonal';
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (c + 1 < w) out[2 * r * W + 2 * c + 1] = dist(r, c, r, c + 1);
      if (r + 1 >= h) continue;
      const row = (2 * r + 1) * W;
      out[row + 2 * c] = dist(r, c, r + 1, c);
      if (c + 1 >= w) continue;
      if (!hex) out[row + 2 * c + 1] = (dist(r, c, r + 1, c + 1) + dist(r, c + 1, r + 1, c)) / (2 * Math.SQRT2);
      else out[row + 2 * c + 1] = r % 2 === 0 ? dist(r, c, r + 1, c + 1) : dist(r, c + 1, r + 1, c);
    }
  }
  // Unit cells: the mean of the cells around them (8 on a rectangular map, the 6 edges on a hexagonal one).
  for (let r = 0; r < h; r++) {
    const steps = !hex ? RECT_AROUND : r % 2 === 0 ? HEX_AROUND_EVEN : HEX_AROUND_ODD;
    for (let c = 0; c < w; c++) {
      let s = 0, count = 0;
      for (const [dr, dc] of steps) {
        const R = 2 * r + dr, C = 2 * c + dc;
        if (R < 0 || R >= H || C < 0 || C >= W) continue;
        s += out[R * W + C]!;
        count++;
      }
      out[2 * r * W + 2 * c] = count > 0 ? s / count : 0;
    }
  }
  return { rows: H, cols: W, data: out };
}

/**
 * The U-matrix per unit, (height × width): the same as `uMatrix(model)`, under the name
 * MiniSom uses.
 *
 * @example
 * ```ts
 * som.distanceMap(model).data[0] === som.uMatrix(model).data[0]; // true
 * ```
 */
export function distanceMap(model: SomModel): Matrix {
  return uMatrix(model);
}
