import { assertNever, describe, fail } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';
import { checkChoice, checkInt, checkOptions, checkSize, optionNames } from '../core/options.js';
import { COLORMAPS, colormapTable, type ColormapName } from './colormap.js';

/**
 * How values become colours:
 * - `'each'`: every picture is stretched on its own, its minimum to the first colour of the
 *   map and its maximum to the last (good for eigenvectors, atoms, anything signed or of
 *   varying scale);
 * - `'all'`: one stretch for all pictures, from the global minimum to the global maximum
 *   (keeps pictures comparable);
 * - `'none'`: values are taken to lie in [0, 1] already (pixel intensities) and are
 *   clamped to it.
 *
 * A picture (or, for `'all'`, the whole input) whose values are all equal maps to the
 * first colour of the map; no NaN can arise.
 */
export type Normalize = 'each' | 'all' | 'none';

const NORMALIZE: readonly Normalize[] = ['each', 'all', 'none'];

/**
 * A colour: a grey level 0–255, or `[r, g, b]` / `[r, g, b, a]` with channels 0–255
 * (alpha defaults to 255, opaque).
 */
export type Color = number | readonly [number, number, number] | readonly [number, number, number, number];

/** Options of {@link grid}. */
export interface GridOptions {
  /** Width of one picture in pixels (required). */
  width: number;
  /** Height of one picture in pixels (required); each row holds width · height values. */
  height: number;
  /**
   * Pictures per row of the grid.
   * @defaultValue ⌈√nPictures⌉
   */
  columns?: number;
  /**
   * Pixels of background between tiles and around the border.
   * @defaultValue 1
   */
  padding?: number;
  /**
   * How values are mapped to colours; see {@link Normalize}.
   * @defaultValue 'each'
   */
  normalize?: Normalize;
  /**
   * Colour map from low to high values.
   * @defaultValue 'gray'
   */
  colormap?: ColormapName;
  /**
   * Colour of the padding and of empty cells in the last row of tiles.
   * @defaultValue 255 (opaque white)
   */
  background?: Color;
  /**
   * Integer magnification: every picture pixel becomes a scale × scale block (nearest
   * neighbour). Padding is not scaled.
   * @defaultValue 1
   */
  scale?: number;
}

/** An RGBA picture, 4 bytes per pixel, row-major: the layout of a canvas `ImageData`. */
export interface RgbaImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** width · height · 4 bytes; pixel (x, y) starts at `4 * (y * width + x)`. */
  readonly rgba: Uint8ClampedArray;
}

interface ResolvedGridOptions {
  width: number;
  height: number;
  columns: number;
  padding: number;
  normalize: Normalize;
  colormap: ColormapName;
  background: readonly [number, number, number, number];
  scale: number;
}

/** Every option name of {@link GridOptions} (unknown ones are rejected). */
const GRID_OPTION_NAMES = optionNames<GridOptions>()('width', 'height', 'columns', 'padding', 'normalize', 'colormap', 'background', 'scale');

/**
 * Tiles pictures stored as matrix rows into one RGBA picture: eigenfaces, dictionary
 * atoms, cluster centres, digits. Row `i` of `X` is a `width × height` picture in
 * row-major order (pixel (x, y) is entry `y * width + x`); it goes to tile row
 * `⌊i / columns⌋`, tile column `i mod columns`, left to right, top to bottom.
 *
 * The result is `padding + columns · (width · scale + padding)` pixels wide and
 * `padding + ⌈n / columns⌉ · (height · scale + padding)` high, and its bytes can go
 * straight into `new ImageData(rgba, width, height)` or a PNG encoder.
 *
 * @param X - (nPictures, width · height); any {@link MatrixInput}, or a flat array holding
 *   whole pictures one after another
 * @param options - sizes, layout and colours; `width` and `height` are required
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` when a row does not hold width · height
 *   values; `INVALID_OPTION` for a bad option; `NON_FINITE`, `EMPTY_INPUT`,
 *   `INVALID_INPUT` from the input check
 *
 * @example
 * ```ts
 * import { grid } from 'latentspace/image';
 * // two 2×1 pictures side by side, no padding, values already in [0, 1]
 * const img = grid([[0, 1], [1, 0]], { width: 2, height: 1, columns: 2, padding: 0, normalize: 'none' });
 * [img.width, img.height, img.rgba[0], img.rgba[4]]; // [4, 1, 0, 255]
 * ```
 */
export function grid(X: MatrixInput, options: GridOptions): RgbaImage {
  const opts = checkOptions(options, GRID_OPTION_NAMES);
  const width = checkInt(opts.width, 'width', 1);
  const height = checkInt(opts.height, 'height', 1);
  const pixels = width * height;
  const x = asPictures(X, width, height);
  const o = resolve(opts, width, height, x.rows);

  const tileW = o.width * o.scale;
  const tileH = o.height * o.scale;
  const tileRows = Math.ceil(x.rows / o.columns);
  const outW = o.padding + o.columns * (tileW + o.padding);
  const outH = o.padding + tileRows * (tileH + o.padding);
  checkSize(outW * outH, 'scale, padding, columns', `the ${outW} × ${outH} picture (pixels)`);
  const rgba = new Uint8ClampedArray(outW * outH * 4);

  // Pixels are moved as 32-bit words. Both views are over byte buffers laid out RGBA, so
  // copying words between them keeps the byte order whatever the platform's endianness.
  const out32 = new Uint32Array(rgba.buffer);
  const lut32 = new Uint32Array(colormapTable(o.colormap).buffer);
  out32.fill(new Uint32Array(Uint8ClampedArray.from(o.background).buffer)[0]!);

  const data = x.data;
  const [globalLo, globalHi] = o.normalize === 'all' ? range(data, 0, data.length) : [0, 1];
  for (let t = 0; t < x.rows; t++) {
    const start = t * pixels;
    let lo: number;
    let hi: number;
    switch (o.normalize) {
      case 'each': [lo, hi] = range(data, start, start + pixels); break;
      case 'all': lo = globalLo; hi = globalHi; break;
      case 'none': lo = 0; hi = 1; break;
      default: return assertNever(o.normalize, 'normalize');
    }
    // A constant picture has hi = lo: factor 0 sends every value to colour 0 instead of 0/0.
    const factor = hi > lo ? 255 / (hi - lo) : 0;
    const left = o.padding + (t % o.columns) * (tileW + o.padding);
    const top = o.padding + Math.floor(t / o.columns) * (tileH + o.padding);
    for (let py = 0; py < o.height; py++) {
      for (let px = 0; px < o.width; px++) {
        const v = (data[start + py * o.width + px]! - lo) * factor;
        // Clamp before rounding: with 'none', values outside [0, 1] take the end colours. The
        // test is written so that a NaN (0 · ∞ when hi − lo underflows) also lands on 0.
        const word = lut32[v > 0 ? (v < 255 ? Math.round(v) : 255) : 0]!;
        let p = (top + py * o.scale) * outW + left + px * o.scale;
        for (let sy = 0; sy < o.scale; sy++, p += outW) out32.fill(word, p, p + o.scale);
      }
    }
  }
  return { width: outW, height: outH, rgba };
}

/** The input as a Matrix with one picture per row, checked against width · height. */
function asPictures(X: MatrixInput, width: number, height: number): Matrix {
  const pixels = width * height;
  const isFlat = ArrayBuffer.isView(X) || (Array.isArray(X) && X.length > 0 && typeof X[0] === 'number');
  if (isFlat) {
    const length = (X as ArrayLike<number>).length;
    if (length === 0 || length % pixels !== 0) {
      fail('SHAPE_MISMATCH', `X: a flat array of ${length} values does not hold whole pictures of width × height = ${width} × ${height} = ${pixels} values`);
    }
    return asMatrix(X, 'X', { rows: length / pixels, cols: pixels });
  }
  const x = asMatrix(X, 'X');
  if (x.cols !== pixels) {
    fail('SHAPE_MISMATCH', `X: rows have ${x.cols} values, expected width × height = ${width} × ${height} = ${pixels} (one picture per row, row-major)`);
  }
  return x;
}

function resolve(opts: Partial<GridOptions>, width: number, height: number, n: number): ResolvedGridOptions {
  return {
    width,
    height,
    columns: opts.columns === undefined ? Math.ceil(Math.sqrt(n)) : checkInt(opts.columns, 'columns', 1),
    padding: opts.padding === undefined ? 1 : checkInt(opts.padding, 'padding', 0),
    normalize: opts.normalize === undefined ? 'each' : checkChoice(opts.normalize, 'normalize', NORMALIZE),
    colormap: opts.colormap === undefined ? 'gray' : checkChoice(opts.colormap, 'colormap', COLORMAPS),
    background: opts.background === undefined ? [255, 255, 255, 255] : toRgba(opts.background, 'background'),
    scale: opts.scale === undefined ? 1 : checkInt(opts.scale, 'scale', 1),
  };
}

/**
 * A {@link Color} as [r, g, b, a]; `name` is the option named in the error.
 *
 * @example
 * ```ts
 * toRgba(128, 'background'); // [128, 128, 128, 255]
 * ```
 */
export function toRgba(c: unknown, name: string): [number, number, number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 255;
  if (ok(c)) return [c, c, c, 255];
  if (Array.isArray(c) && (c.length === 3 || c.length === 4) && c.every(ok)) {
    const [r, g, b, a = 255] = c as number[];
    return [r!, g!, b!, a];
  }
  return fail('INVALID_OPTION', `${name}: received ${describe(c)}, expected a grey level 0–255 or [r, g, b] / [r, g, b, a] with channels 0–255`);
}

/** [min, max] of data[start … end). */
function range(data: ArrayLike<number>, start: number, end: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
