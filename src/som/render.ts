import { describe, fail } from '../core/errors.js';
import { isMatrix, asMatrix, asVector, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, optionNames } from '../core/options.js';
import { COLORMAPS, colormapTable, type ColormapName } from '../image/colormap.js';
import { toRgba, type Color, type RgbaImage } from '../image/grid.js';
import { checkModel, type SomModel } from './model.js';

/**
 * Options of {@link render}.
 *
 * @example
 * ```ts
 * som.render(model, som.uMatrix(model), { cellSize: 16, colormap: 'gray', hits: som.hitMap(model, X) });
 * ```
 */
export interface RenderOptions {
  /** Pixels across one cell (the distance between neighbouring cell centres). @defaultValue 12 */
  cellSize?: number;
  /**
   * `'viridis'` or `'gray'` (low to high), or a palette of your own as RGBA bytes (4 per
   * colour, at least one colour): value t ∈ [0, 1] of the range takes colour
   * round(t·(colours − 1)), so with `range: [0, 9]` and 10 colours, label L gets colour L.
   * @defaultValue 'viridis'
   */
  colormap?: ColormapName | ArrayLike<number>;
  /** The values mapped to the ends of the colormap (values outside take the end colours). @defaultValue [min, max] of the values */
  range?: readonly [number, number];
  /**
   * Hit counts per unit (width · height), e.g. from {@link hitMap}: each unit gets a marker
   * of its own shape whose area is proportional to its hits (the most hit unit's marker
   * fills 80 % of the cell's width).
   */
  hits?: ArrayLike<number>;
  /** Colour of the hit markers. @defaultValue [255, 255, 255] (white) */
  hitColor?: Color;
  /** Colour outside the cells, and of cells whose value is NaN (an empty unit). @defaultValue [255, 255, 255, 0] (transparent) */
  background?: Color;
}

function palette(value: unknown): Uint8ClampedArray {
  if (value === undefined) return colormapTable('viridis');
  if (typeof value === 'string') return colormapTable(checkChoice<ColormapName>(value, 'colormap', COLORMAPS));
  const a = value as ArrayLike<number>;
  if (value === null || typeof value !== 'object' || typeof a.length !== 'number' || a.length < 4 || a.length % 4 !== 0) {
    fail('INVALID_OPTION', `colormap: received ${describe(value)}, expected 'viridis', 'gray' or RGBA bytes (4 per colour)`);
  }
  return Uint8ClampedArray.from(a);
}

/** The values as a flat array with their grid shape; NaN allowed (an empty cell), ±∞ not. */
function cells(values: MatrixInput, h: number, w: number): { data: ArrayLike<number>; rows: number; cols: number } {
  const shapes = `${h} × ${w} (one value per unit) or ${2 * h - 1} × ${2 * w - 1} (interstitial)`;
  let data: ArrayLike<number>, rows: number, cols: number;
  if (isMatrix(values)) {
    ({ data, rows, cols } = values);
  } else if (ArrayBuffer.isView(values) || (Array.isArray(values) && (values.length === 0 || typeof values[0] === 'number'))) {
    data = values as ArrayLike<number>;
    const n = data.length;
    [rows, cols] = n === h * w ? [h, w] : n === (2 * h - 1) * (2 * w - 1) ? [2 * h - 1, 2 * w - 1] : [0, 0];
    if (rows === 0) fail('SHAPE_MISMATCH', `values: received ${n} values, expected ${shapes}`);
  } else {
    ({ data, rows, cols } = asMatrix(values, 'values'));
  }
  if (!((rows === h && cols === w) || (rows === 2 * h - 1 && cols === 2 * w - 1))) {
    fail('SHAPE_MISMATCH', `values: received a ${rows} × ${cols} matrix, expected ${shapes}`);
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v === Infinity || v === -Infinity || typeof v !== 'number') fail('NON_FINITE', `values: entry ${i} is ${describe(v)}, expected a finite number (or NaN for an empty cell)`);
  }
  return { data, rows, cols };
}

const ROW_STEP = Math.sqrt(3) / 2;
const VERTEX = 1 / Math.sqrt(3); /** Every option name of {@link RenderOptions} (unknown ones are rejected). */
const RENDER_OPTION_NAMES = optionNames<RenderOptions>()('cellSize', 'colormap', 'range', 'hits', 'hitColor', 'background');

// centre to top vertex of a hexagon 1 wide

/**
 * Draws per-unit values (a U-matrix, a component plane, a hit or label map) on the map's
 * grid as an RGBA picture for a canvas or a PNG encoder: squares on a rectangular map,
 * hexagons (pointy side up, the offset rows of {@link Topology}) on a hexagonal one, row 0
 * at the top. An interstitial U-matrix draws the cells between units too, each half the
 * spacing of the units (for a hexagonal map they form a finer hexagonal grid).
 *
 * @param values - (height × width) or (2·height − 1) × (2·width − 1): a Matrix, `number[][]`,
 *   or a flat array in row-major order; NaN marks an empty cell (drawn as the background)
 * @returns `{ width, height, rgba }`, 4 bytes per pixel, row-major (`new ImageData(rgba, width, height)`)
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when the values do not fit the map,
 *   `INVALID_OPTION`, `NON_FINITE` for ±∞
 *
 * @example
 * ```ts
 * const img = som.render(model, som.uMatrix(model), { cellSize: 10 });
 * ctx.putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
 * ```
 */
export function render(model: SomModel, values: MatrixInput, options?: RenderOptions): RgbaImage {
  const m = checkModel(model);
  const opts = checkOptions(options, RENDER_OPTION_NAMES);
  const cs = checkInt(opts.cellSize ?? 12, 'cellSize', 1, 4096);
  const table = palette(opts.colormap);
  const colours = table.length / 4;
  const background = toRgba(opts.background ?? [255, 255, 255, 0], 'background');
  const hitColor = toRgba(opts.hitColor ?? [255, 255, 255], 'hitColor');
  const { data, rows, cols } = cells(values, m.height, m.width);
  const interstitial = rows !== m.height || cols !== m.width;
  let lo = Infinity, hi = -Infinity;
  if (opts.range !== undefined) {
    const r = opts.range as unknown;
    if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(r[0] <= r[1])) {
      fail('INVALID_OPTION', `range: received ${describe(r)}, expected [low, high] with finite low ≤ high`);
    }
    [lo, hi] = r as [number, number];
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const factor = hi > lo ? 1 / (hi - lo) : 0;
  let hits: Float64Array | undefined;
  let maxHits = 0;
  if (opts.hits !== undefined) {
    hits = Float64Array.from(asVector(opts.hits, 'hits'));
    if (hits.length !== m.width * m.height) fail('SHAPE_MISMATCH', `hits: received ${hits.length} counts, expected ${m.width * m.height} (one per unit)`);
    for (let u = 0; u < hits.length; u++) {
      if (!(hits[u]! >= 0) || hits[u] === Infinity) fail('INVALID_OPTION', `hits: entry ${u} is ${hits[u]}, expected a finite count ≥ 0`);
      maxHits = Math.max(maxHits, hits[u]!);
    }
  }

  // Cell centres in units of the cell spacing: row R at y = R·step, x = K + offset(R).
  const hex = m.topology === 'hexagonal';
  const step = hex ? ROW_STEP : 1;
  const offset = (R: number): number => (!hex ? 0 : !interstitial ? (R % 2 === 0 ? 0.5 : 0) : R % 2 === 1 ? 0.5 : R % 4 === 0 ? 1 : 0);
  let minOff = Infinity, maxOff = -Infinity;
  for (let R = 0; R < Math.min(rows, 4); R++) {
    minOff = Math.min(minOff, offset(R));
    maxOff = Math.max(maxOff, offset(R));
  }
  const x0 = minOff - 0.5, y0 = hex ? -VERTEX : -0.5;
  const outW = Math.ceil((maxOff + cols - 0.5 - x0) * cs);
  const outH = Math.ceil(((rows - 1) * step + (hex ? VERTEX : 0.5) - y0) * cs);
  const rgba = new Uint8ClampedArray(outW * outH * 4);
  const put = (p: number, c: ArrayLike<number>, o = 0): void => {
    rgba[p] = c[o]!; rgba[p + 1] = c[o + 1]!; rgba[p + 2] = c[o + 2]!; rgba[p + 3] = c[o + 3]!;
  };
  // |dx|, |dy| inside a square or a hexagon of half-width `half`.
  const inside = (dx: number, dy: number, half: number): boolean => (hex
    ? dx <= half && 0.5 * dx + ROW_STEP * dy <= half
    : dx <= half && dy <= half);

  for (let py = 0; py < outH; py++) {
    const y = (py + 0.5) / cs + y0;
    for (let px = 0; px < outW; px++) {
      const x = (px + 0.5) / cs + x0;
      const p = 4 * (py * outW + px);
      // The nearest cell centre: its row is within one of round(y / step).
      const R0 = Math.round(y / step);
      let bestR = -1, bestK = -1, best = Infinity;
      for (let R = Math.max(0, R0 - 1); R <= Math.min(rows - 1, R0 + 1); R++) {
        const K = Math.min(cols - 1, Math.max(0, Math.round(x - offset(R))));
        const dx = x - K - offset(R), dy = y - R * step;
        const e = dx * dx + dy * dy;
        if (e < best) {
          best = e;
          bestR = R;
          bestK = K;
        }
      }
      const dx = Math.abs(x - bestK - offset(bestR)), dy = Math.abs(y - bestR * step);
      const v = bestR < 0 ? NaN : data[bestR * cols + bestK]!;
      if (bestR < 0 || !inside(dx, dy, 0.5) || Number.isNaN(v)) {
        put(p, background);
        continue;
      }
      if (hits !== undefined && maxHits > 0 && (!interstitial || (bestR % 2 === 0 && bestK % 2 === 0))) {
        const u = interstitial ? (bestR / 2) * m.width + bestK / 2 : bestR * cols + bestK;
        const half = 0.4 * Math.sqrt(hits[u]! / maxHits);
        if (half > 0 && inside(dx, dy, half)) {
          put(p, hitColor);
          continue;
        }
      }
      const t = (v - lo) * factor;
      const index = t > 0 ? (t < 1 ? Math.round(t * (colours - 1)) : colours - 1) : 0;
      put(p, table, 4 * index);
    }
  }
  return { width: outW, height: outH, rgba };
}
