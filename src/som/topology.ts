// The map's grid: where each unit sits, which units are neighbours, how far apart two units
// are on the grid, and the neighbourhood functions of the distance.
import { describe, fail } from '../core/errors.js';
import { portableExp } from '../core/math.js';
import { checkBoolean, checkChoice, checkInt, checkSize } from '../core/options.js';

/**
 * The layout of the units:
 * - `'rectangular'`: unit (row r, column c) at (c, r); its neighbours are the 8 units
 *   around it (4 along the axes and 4 diagonal: Chebyshev distance 1, as kohonen and
 *   MiniSom count them for the U-matrix and the topographic error);
 * - `'hexagonal'`: offset rows, the convention of R's kohonen: unit (r, c) at
 *   (c + ½, r·√3/2) when r is even (rows 0, 2, 4, … are shifted half a unit to the right)
 *   and at (c, r·√3/2) when r is odd; its neighbours are the 6 units at distance 1.
 *
 * Unit index = row · width + column, row 0 first. Pictures ({@link render}) draw row 0 at
 * the top; kohonen's plots draw it at the bottom.
 *
 * @example
 * ```ts
 * som.fit(X, { width: 10, height: 8, topology: 'hexagonal' }).topology; // 'hexagonal'
 * ```
 */
export type Topology = 'rectangular' | 'hexagonal';

/**
 * Every valid {@link Topology}.
 *
 * @example
 * ```ts
 * TOPOLOGIES; // ['rectangular', 'hexagonal']
 * ```
 */
export const TOPOLOGIES: readonly Topology[] = ['rectangular', 'hexagonal'];

/**
 * The shape of a map: what every grid computation needs (a {@link SomModel} is one).
 *
 * @example
 * ```ts
 * const grid: GridShape = { width: 20, height: 20, topology: 'hexagonal', toroidal: false };
 * som.neighbours(grid);
 * ```
 */
export interface GridShape {
  readonly width: number;
  readonly height: number;
  readonly topology: Topology;
  readonly toroidal: boolean;
}

const ROW_STEP = Math.sqrt(3) / 2;

/**
 * The position of every unit on the plane, (units × 2) as [x, y] pairs: see
 * {@link Topology} for the convention. Rows are √3/2 apart on a hexagonal map, 1 apart on
 * a rectangular one; neighbouring units are 1 apart.
 *
 * @example
 * ```ts
 * Array.from(unitPositions({ width: 2, height: 2, topology: 'hexagonal', toroidal: false })).map((v) => +v.toFixed(3));
 * // [0.5, 0, 1.5, 0, 0, 0.866, 1, 0.866]
 * ```
 */
export function unitPositions(grid: GridShape): Float64Array {
  checkGrid(grid);
  const { width, height } = grid;
  const hex = grid.topology === 'hexagonal';
  const out = new Float64Array(width * height * 2);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const u = r * width + c;
      out[2 * u] = hex && r % 2 === 0 ? c + 0.5 : c;
      out[2 * u + 1] = hex ? r * ROW_STEP : r;
    }
  }
  return out;
}

/**
 * Euclidean distance between every pair of units on the grid, (units × units) row-major;
 * on a toroidal map each axis wraps (x with period width, y with period height, times
 * √3/2 on a hexagonal map), as kohonen's `unit.distances`. The neighbourhood functions
 * are evaluated on these distances.
 *
 * @example
 * ```ts
 * gridDistances({ width: 3, height: 1, topology: 'rectangular', toroidal: true })[2]; // 1 (0 and 2 meet across the edge)
 * ```
 */
export function gridDistances(grid: GridShape): Float64Array {
  checkGrid(grid);
  const n = grid.width * grid.height;
  checkSize(n * n, 'grid', `the distances between ${n} units`);
  const pos = unitPositions(grid);
  const px = grid.width;
  const py = grid.topology === 'hexagonal' ? grid.height * ROW_STEP : grid.height;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dx = Math.abs(pos[2 * i]! - pos[2 * j]!);
      let dy = Math.abs(pos[2 * i + 1]! - pos[2 * j + 1]!);
      if (grid.toroidal) {
        dx = Math.min(dx, px - dx);
        dy = Math.min(dy, py - dy);
      }
      const d = Math.sqrt(dx * dx + dy * dy);
      out[i * n + j] = d;
      out[j * n + i] = d;
    }
  }
  return out;
}

/**
 * Neighbour lists in compressed form: the neighbours of unit u are `indices[offsets[u] … offsets[u + 1])`.
 *
 * @example
 * ```ts
 * const { offsets, indices } = som.neighbours(model);
 * const ofFirst = indices.subarray(offsets[0], offsets[1]); // the neighbours of unit 0
 * ```
 */
export interface Neighbours {
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
}

/** (row, column) steps to the neighbours of a unit; hexagonal ones depend on the row's parity. */
const RECT_STEPS: readonly (readonly [number, number])[] = [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1]];
const HEX_EVEN: readonly (readonly [number, number])[] = [[-1, 0], [-1, 1], [0, -1], [0, 1], [1, 0], [1, 1]];
const HEX_ODD: readonly (readonly [number, number])[] = [[-1, -1], [-1, 0], [0, -1], [0, 1], [1, -1], [1, 0]];

/**
 * The neighbours of every unit (see {@link Topology}): up to 8 on a rectangular map, up to
 * 6 on a hexagonal one, fewer at the edges unless the map is toroidal (then every unit has
 * all of them, except on maps so small that a neighbour would be met twice or be the unit
 * itself). Each list is in increasing unit order.
 *
 * @example
 * ```ts
 * const nb = neighbours({ width: 3, height: 3, topology: 'hexagonal', toroidal: false });
 * nb.offsets[5] - nb.offsets[4]; // 6: the centre unit of a 3 × 3 hexagonal map
 * ```
 */
export function neighbours(grid: GridShape): Neighbours {
  checkGrid(grid);
  const { width, height, toroidal } = grid;
  const offsets = new Int32Array(width * height + 1);
  const list: number[] = [];
  const seen = new Set<number>();
  for (let r = 0; r < height; r++) {
    const steps = grid.topology === 'rectangular' ? RECT_STEPS : r % 2 === 0 ? HEX_EVEN : HEX_ODD;
    for (let c = 0; c < width; c++) {
      const u = r * width + c;
      seen.clear();
      for (const [dr, dc] of steps) {
        let rr = r + dr, cc = c + dc;
        if (toroidal) {
          rr = (rr + height) % height;
          cc = (cc + width) % width;
        } else if (rr < 0 || rr >= height || cc < 0 || cc >= width) {
          continue;
        }
        const v = rr * width + cc;
        if (v !== u) seen.add(v);
      }
      list.push(...Array.from(seen).sort((a, b) => a - b));
      offsets[u + 1] = list.length;
    }
  }
  return { offsets, indices: Int32Array.from(list) };
}

/**
 * Checks a map shape: an object with positive integer `width` and `height` (at most
 * 2^24 units), a known `topology` and a boolean `toroidal`; a toroidal hexagonal map needs
 * an even height, or its rows would not line up across the wrap.
 *
 * @example
 * ```ts
 * checkGrid({ width: 4, height: 3, topology: 'hexagonal', toroidal: true }); // throws INVALID_OPTION
 * ```
 */
export function checkGrid(grid: GridShape): void {
  if (grid === null || typeof grid !== 'object') fail('INVALID_OPTION', `grid: received ${describe(grid)}, expected { width, height, topology, toroidal } (or a SOM model)`);
  checkInt(grid.width, 'width', 1);
  checkInt(grid.height, 'height', 1);
  checkSize(grid.width * grid.height, 'width, height', 'the map (units)', 2 ** 24);
  checkChoice(grid.topology, 'topology', TOPOLOGIES);
  checkBoolean(grid.toroidal, 'toroidal');
  if (grid.toroidal && grid.topology === 'hexagonal' && grid.height % 2 !== 0) {
    fail('INVALID_OPTION', `height: received ${grid.height} for a toroidal hexagonal map, expected an even height (offset rows only line up across the wrap when their count is even)`);
  }
}

/**
 * A neighbourhood function: the weight of a unit at grid distance `distance` from the
 * winning unit, for the current radius `sigma` (> 0). 1 at distance 0 for the built-in ones.
 *
 * @example
 * ```ts
 * const cone: NeighborhoodFunction = (d, sigma) => Math.max(0, 1 - d / sigma);
 * ```
 */
export type NeighborhoodFunction = (distance: number, sigma: number) => number;

/**
 * The built-in neighbourhood functions, of the grid distance d and the radius σ:
 * - `'gaussian'`: exp(−d²/2σ²);
 * - `'bubble'`: 1 within the radius (d ≤ σ), 0 outside (kohonen's default);
 * - `'mexican-hat'`: (1 − d²/σ²)·exp(−d²/2σ²), negative in a ring (meant for `'online'`);
 * - `'triangle'`: max(0, 1 − d/σ).
 *
 * @example
 * ```ts
 * som.fit(X, { neighborhood: 'bubble', sigma: { start: 5, end: 1 } });
 * ```
 */
export type Neighborhood = 'gaussian' | 'bubble' | 'mexican-hat' | 'triangle';

/**
 * Every valid {@link Neighborhood}.
 *
 * @example
 * ```ts
 * NEIGHBORHOODS.includes('bubble'); // true
 * ```
 */
export const NEIGHBORHOODS: readonly Neighborhood[] = ['gaussian', 'bubble', 'mexican-hat', 'triangle'];

/**
 * The function of a built-in neighbourhood (exp through {@link portableExp}, so the same
 * in every engine).
 *
 * @example
 * ```ts
 * neighborhoodFunction('triangle')(1, 4); // 0.75
 * ```
 */
export function neighborhoodFunction(name: Neighborhood): NeighborhoodFunction {
  switch (name) {
    case 'gaussian': return (d, s) => portableExp(-(d * d) / (2 * s * s));
    case 'bubble': return (d, s) => (d <= s ? 1 : 0);
    case 'mexican-hat': return (d, s) => {
      const q = (d * d) / (s * s);
      return (1 - q) * portableExp(-q / 2);
    };
    case 'triangle': return (d, s) => Math.max(0, 1 - d / s);
  }
}

/**
 * How far a built-in neighbourhood reaches, in units of σ: beyond reach·σ it is 0
 * (`'bubble'`, `'triangle'`) or below 1e-8 of its peak in magnitude (`'gaussian'`:
 * exp(−d²/2σ²) < 1e-8 beyond σ·√(2·ln 10⁸) ≈ 6.07σ; `'mexican-hat'`: |1 − q|·exp(−q/2),
 * q = d²/σ², falls for q > 3 and is 4.6e-9 at q = 46). The online rule leaves the units
 * beyond it where they are.
 *
 * @example
 * ```ts
 * supportReach('bubble'); // 1
 * ```
 */
export function supportReach(name: Neighborhood): number {
  switch (name) {
    case 'gaussian': return 6.06970852; // √(2·ln 10⁸) = 6.0697085175…, rounded up (a literal: the same in every engine)
    case 'bubble': return 1;
    case 'triangle': return 1;
    case 'mexican-hat': return Math.sqrt(46);
  }
}

/**
 * The grid distances of a map as its few distinct values and, for every pair of units,
 * the index of its value: the neighbourhood function is then evaluated once per distinct
 * distance (a few hundred on a 20 × 20 map) instead of once per pair (160,000).
 *
 * @example
 * ```ts
 * const { values, index } = distanceTable(gridDistances(grid)); // pair p is values[index[p]] apart
 * ```
 */
export interface DistanceTable {
  /** The distinct distances. */
  readonly values: Float64Array;
  /** For every pair of units (units × units, row-major), the index of its distance in `values`. */
  readonly index: Int32Array;
}

/**
 * Groups grid distances by value (exactly equal doubles share an entry).
 *
 * @example
 * ```ts
 * distanceTable(gridDistances(grid)).values.length; // the number of distinct distances
 * ```
 */
export function distanceTable(G: Float64Array): DistanceTable {
  const ids = new Map<number, number>();
  const index = new Int32Array(G.length);
  for (let p = 0; p < G.length; p++) {
    let id = ids.get(G[p]!);
    if (id === undefined) {
      id = ids.size;
      ids.set(G[p]!, id);
    }
    index[p] = id;
  }
  return { values: Float64Array.from(ids.keys()), index };
}

/**
 * Fills `out` (units × units) with h(distance, sigma) for every pair of units; checks that
 * a caller's function returns finite numbers.
 *
 * @example
 * ```ts
 * neighbourhoodMatrix(distanceTable(G), neighborhoodFunction('gaussian'), 2, new Float64Array(G.length));
 * ```
 */
export function neighbourhoodMatrix(table: DistanceTable, h: NeighborhoodFunction, sigma: number, out: Float64Array): Float64Array {
  const { values, index } = table;
  const hv = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = h(values[k]!, sigma);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail('INVALID_OPTION', `neighborhood: the function returned ${describe(v)} for distance ${values[k]} and sigma ${sigma}, expected a finite number`);
    }
    hv[k] = v;
  }
  for (let p = 0; p < index.length; p++) out[p] = hv[index[p]!]!;
  return out;
}
