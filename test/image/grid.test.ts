import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { Matrix as MlMatrix } from 'ml-matrix';
import { LatentSpaceError } from '../../src/core/index.js';
import { colormap, COLORMAPS, grid, type RgbaImage } from '../../src/image/index.js';

/** RGBA bytes of pixel (x, y). */
function pixel(img: RgbaImage, x: number, y: number): number[] {
  const p = 4 * (y * img.width + x);
  return Array.from(img.rgba.subarray(p, p + 4));
}

/** The red channel of every pixel, as rows (grey pictures have r = g = b). */
function reds(img: RgbaImage): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < img.height; y++) {
    const row: number[] = [];
    for (let x = 0; x < img.width; x++) row.push(img.rgba[4 * (y * img.width + x)]!);
    out.push(row);
  }
  return out;
}

function isGrey(img: RgbaImage): boolean {
  for (let p = 0; p < img.rgba.length; p += 4) {
    if (img.rgba[p] !== img.rgba[p + 1] || img.rgba[p] !== img.rgba[p + 2] || img.rgba[p + 3] !== 255) return false;
  }
  return true;
}

function codeOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentSpaceError);
    return { code: (e as LatentSpaceError).code, message: (e as Error).message };
  }
  throw new Error('expected a LatentSpaceError, nothing was thrown');
}

describe('grid: pixel values', () => {
  it("maps [0, 1] to grey levels 0…255 with normalize 'none', rows read row-major", () => {
    // one 3 × 2 picture: entry y * 3 + x is pixel (x, y)
    const img = grid([[0, 0.2, 0.4, 0.6, 0.8, 1]], { width: 3, height: 2, padding: 0, normalize: 'none' });
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(reds(img)).toEqual([[0, 51, 102], [153, 204, 255]]);
    expect(isGrey(img)).toBe(true);
  });

  it("clamps values outside [0, 1] with normalize 'none'", () => {
    const img = grid([[-3, 0.5, 2, 1e9]], { width: 4, height: 1, padding: 0, normalize: 'none' });
    // 0.5 · 255 = 127.5 rounds up
    expect(reds(img)).toEqual([[0, 128, 255, 255]]);
  });

  it("stretches every picture on its own with normalize 'each' (the default)", () => {
    const img = grid([[0, 5, 10, 15], [103, 102, 101, 100]], { width: 2, height: 2, columns: 2, padding: 0 });
    expect(reds(img)).toEqual([
      [0, 85, 255, 170],
      [170, 255, 85, 0],
    ]);
  });

  it("stretches all pictures together with normalize 'all'", () => {
    const img = grid([[0, 1, 2, 3], [3, 4, 5, 6]], { width: 4, height: 1, columns: 1, padding: 0, normalize: 'all' });
    // v · 255 / 6, rounded half up: 42.5 → 43, 127.5 → 128, 212.5 → 213
    expect(reds(img)).toEqual([
      [0, 43, 85, 128],
      [128, 170, 213, 255],
    ]);
  });

  it('keeps signed data apart from the background: the minimum of each picture is black', () => {
    const img = grid([[-2, 2]], { width: 2, height: 1, padding: 1, background: 128 });
    expect(reds(img)).toEqual([
      [128, 128, 128, 128],
      [128, 0, 255, 128],
      [128, 128, 128, 128],
    ]);
  });

  it('maps a constant picture to the first colour without NaN, for each normalisation', () => {
    for (const normalize of ['each', 'all'] as const) {
      const img = grid([[3, 3, 3, 3]], { width: 2, height: 2, padding: 0, normalize });
      expect(Array.from(img.rgba)).toEqual(new Array(4).fill([0, 0, 0, 255]).flat());
    }
    const v = grid([[7, 7], [1, 2]], { width: 2, height: 1, columns: 1, padding: 0, colormap: 'viridis' });
    expect(pixel(v, 0, 0)).toEqual([68, 1, 84, 255]);
    expect(pixel(v, 1, 0)).toEqual([68, 1, 84, 255]);
    expect(pixel(v, 1, 1)).toEqual([253, 231, 37, 255]);
  });

  it('never yields NaN-driven garbage for extreme ranges', () => {
    const img = grid([[-1e308, 1e308, 0, 5e-324]], { width: 4, height: 1, padding: 0 });
    for (let p = 3; p < img.rgba.length; p += 4) expect(img.rgba[p]).toBe(255);
    expect(reds(img)[0]![0]).toBe(0);
  });

  it('uses the viridis table at both ends and in between', () => {
    const img = grid([[0, 1 / 3, 1]], { width: 3, height: 1, padding: 0, normalize: 'none', colormap: 'viridis' });
    expect(pixel(img, 0, 0)).toEqual([68, 1, 84, 255]);
    expect(pixel(img, 1, 0)).toEqual([49, 104, 142, 255]); // entry 85, an exact anchor
    expect(pixel(img, 2, 0)).toEqual([253, 231, 37, 255]);
  });
});

describe('grid: layout', () => {
  it('places tiles left to right, top to bottom, with padding and background in empty cells', () => {
    // three 2 × 1 pictures, 2 columns, padding 1: (1 + 2 · 3) × (1 + 2 · 2) = 7 × 5
    const img = grid([[0, 1], [1, 0], [0, 1]], {
      width: 2, height: 1, columns: 2, padding: 1, normalize: 'none', background: 9,
    });
    expect([img.width, img.height]).toEqual([7, 5]);
    expect(img.rgba).toBeInstanceOf(Uint8ClampedArray);
    expect(img.rgba.length).toBe(7 * 5 * 4);
    const _ = 9;
    const W = 255;
    expect(reds(img)).toEqual([
      [_, _, _, _, _, _, _],
      [_, 0, W, _, W, 0, _],
      [_, _, _, _, _, _, _],
      [_, 0, W, _, _, _, _],
      [_, _, _, _, _, _, _],
    ]);
    expect(isGrey(img)).toBe(true);
  });

  it('finds the top-left corner of tile t at (p + (t mod c)(w + p), p + ⌊t / c⌋(h + p))', () => {
    const n = 7;
    const w = 3;
    const h = 2;
    const p = 2;
    const c = 3;
    // picture t is constant t / 6 (normalize 'none'), so each tile has one grey level
    const rows = Array.from({ length: n }, (_, t) => new Array(w * h).fill(t / 6) as number[]);
    const img = grid(rows, { width: w, height: h, columns: c, padding: p, normalize: 'none', background: [1, 2, 3] });
    expect([img.width, img.height]).toEqual([p + c * (w + p), p + 3 * (h + p)]);
    for (let t = 0; t < n; t++) {
      const x0 = p + (t % c) * (w + p);
      const y0 = p + Math.floor(t / c) * (h + p);
      const g = Math.round((t / 6) * 255);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(pixel(img, x0 + x, y0 + y)).toEqual([g, g, g, 255]);
      expect(pixel(img, x0 - 1, y0)).toEqual([1, 2, 3, 255]);
      expect(pixel(img, x0 + w, y0 + h)).toEqual([1, 2, 3, 255]);
    }
    // the two empty cells of the last tile row are background
    expect(pixel(img, p + 1 * (w + p), p + 2 * (h + p))).toEqual([1, 2, 3, 255]);
    expect(pixel(img, p + 2 * (w + p) + w - 1, p + 2 * (h + p) + h - 1)).toEqual([1, 2, 3, 255]);
  });

  it('defaults to ⌈√n⌉ columns, padding 1 and an opaque white background', () => {
    const rows = Array.from({ length: 5 }, () => [0]);
    const img = grid(rows, { width: 1, height: 1 });
    // 3 columns, 2 tile rows: (1 + 3 · 2) × (1 + 2 · 2)
    expect([img.width, img.height]).toEqual([7, 5]);
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(img, 1, 1)).toEqual([0, 0, 0, 255]);
    expect(pixel(img, 5, 3)).toEqual([255, 255, 255, 255]); // the sixth cell is empty
  });

  it('magnifies pixels with scale, leaving padding unscaled', () => {
    const img = grid([[0, 1]], { width: 2, height: 1, padding: 1, scale: 2, normalize: 'none', background: 7 });
    expect(reds(img)).toEqual([
      [7, 7, 7, 7, 7, 7],
      [7, 0, 0, 255, 255, 7],
      [7, 0, 0, 255, 255, 7],
      [7, 7, 7, 7, 7, 7],
    ]);
  });

  it('takes background as a grey level, [r, g, b] or [r, g, b, a]', () => {
    const opts = { width: 1, height: 1, padding: 1, normalize: 'none' } as const;
    expect(pixel(grid([[1]], { ...opts, background: 0 }), 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(grid([[1]], { ...opts, background: [10, 20, 30] }), 0, 0)).toEqual([10, 20, 30, 255]);
    expect(pixel(grid([[1]], { ...opts, background: [10, 20, 30, 0] }), 2, 2)).toEqual([10, 20, 30, 0]);
  });
});

describe('grid: inputs', () => {
  const expected = [[0, 85], [170, 255]];
  const opts = { width: 2, height: 2, padding: 0 } as const;

  it('accepts number[][], a Matrix, a flat typed array of whole pictures, ndarray and ml-matrix', () => {
    expect(reds(grid([[0, 1, 2, 3]], opts))).toEqual(expected);
    expect(reds(grid({ rows: 1, cols: 4, data: new Float64Array([0, 1, 2, 3]) }, opts))).toEqual(expected);
    expect(reds(grid(new Float32Array([0, 1, 2, 3]), opts))).toEqual(expected);
    expect(reds(grid([0, 1, 2, 3], opts))).toEqual(expected);
    expect(reds(grid(ndarray(new Float64Array([0, 1, 2, 3]), [1, 4]), opts))).toEqual(expected);
    expect(reds(grid(new MlMatrix([[0, 1, 2, 3]]), opts))).toEqual(expected);
    // two pictures in one flat array: one tile row of two
    const two = grid(new Float64Array([0, 1, 2, 3, 3, 2, 1, 0]), { ...opts, columns: 2 });
    expect(reds(two)).toEqual([[0, 85, 255, 170], [170, 255, 85, 0]]);
  });

  it('leaves the input untouched', () => {
    const data = new Float64Array([5, -1, 2, 9]);
    grid({ rows: 1, cols: 4, data }, opts);
    expect(Array.from(data)).toEqual([5, -1, 2, 9]);
  });
});

describe('grid: errors', () => {
  it('rejects rows that do not hold width · height values (SHAPE_MISMATCH, naming both)', () => {
    const e = codeOf(() => grid([new Array(700).fill(0)], { width: 28, height: 28 }));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toContain('X');
    expect(e.message).toContain('700');
    expect(e.message).toContain('28 × 28 = 784');
    const f = codeOf(() => grid(new Float64Array(10), { width: 2, height: 2 }));
    expect(f.code).toBe('SHAPE_MISMATCH');
    expect(f.message).toContain('10 values');
  });

  it('rejects non-finite and empty input', () => {
    expect(codeOf(() => grid([[0, NaN]], { width: 2, height: 1 })).code).toBe('NON_FINITE');
    expect(codeOf(() => grid([[0, Infinity]], { width: 2, height: 1 })).code).toBe('NON_FINITE');
    expect(codeOf(() => grid([], { width: 2, height: 1 })).code).toBe('EMPTY_INPUT');
    expect(codeOf(() => grid(new Float64Array(0), { width: 2, height: 1 })).code).toBe('SHAPE_MISMATCH');
  });

  it('rejects bad options with INVALID_OPTION and a message naming the option', () => {
    const X = [[0, 1]];
    const cases: [Record<string, unknown>, string][] = [
      [{ height: 1 }, 'width'],
      [{ width: 2 }, 'height'],
      [{ width: 2.5, height: 1 }, 'width'],
      [{ width: 2, height: 1, columns: 0 }, 'columns'],
      [{ width: 2, height: 1, padding: -1 }, 'padding'],
      [{ width: 2, height: 1, scale: 0 }, 'scale'],
      [{ width: 2, height: 1, background: [300, 0, 0] }, 'background'],
      [{ width: 2, height: 1, background: [0, 0] }, 'background'],
      [{ width: 2, height: 1, background: 'red' }, 'background'],
    ];
    for (const [options, name] of cases) {
      const e = codeOf(() => grid(X, options as never));
      expect(e.code).toBe('INVALID_OPTION');
      expect(e.message.startsWith(name)).toBe(true);
    }
    expect(codeOf(() => grid(X, undefined as never)).code).toBe('INVALID_OPTION');
  });

  it('lists the valid names for normalize and colormap', () => {
    const n = codeOf(() => grid([[0, 1]], { width: 2, height: 1, normalize: 'minmax' as never }));
    expect(n.code).toBe('INVALID_OPTION');
    expect(n.message).toContain("'each', 'all', 'none'");
    const c = codeOf(() => grid([[0, 1]], { width: 2, height: 1, colormap: 'jet' as never }));
    expect(c.code).toBe('INVALID_OPTION');
    expect(c.message).toContain("'gray', 'viridis'");
  });
});

describe('colormap', () => {
  it('lists the built-in maps', () => {
    expect(COLORMAPS).toEqual(['gray', 'viridis']);
  });

  it('gives 256 opaque RGBA entries; gray is the identity ramp', () => {
    const g = colormap('gray');
    expect(g.length).toBe(1024);
    for (let i = 0; i < 256; i++) expect(Array.from(g.subarray(4 * i, 4 * i + 4))).toEqual([i, i, i, 255]);
  });

  it("matches matplotlib's viridis (_viridis_data, CC0) within 2/255", () => {
    // entries of matplotlib's 256-entry table: index → [r, g, b] in [0, 1]
    const reference: [number, [number, number, number]][] = [
      [0, [0.267004, 0.004874, 0.329415]],
      [32, [0.278826, 0.17549, 0.483397]],
      [64, [0.229739, 0.322361, 0.545706]],
      [96, [0.172719, 0.448791, 0.557885]],
      [128, [0.127568, 0.566949, 0.550556]],
      [160, [0.157851, 0.683765, 0.501686]],
      [192, [0.369214, 0.788888, 0.382914]],
      [224, [0.678489, 0.863742, 0.189503]],
      [255, [0.993248, 0.906157, 0.143936]],
    ];
    const v = colormap('viridis');
    for (const [i, rgb] of reference) {
      for (let ch = 0; ch < 3; ch++) expect(Math.abs(v[4 * i + ch]! - rgb[ch]! * 255)).toBeLessThanOrEqual(2);
      expect(v[4 * i + 3]).toBe(255);
    }
  });

  it('hands out copies, and rejects unknown names', () => {
    const a = colormap('viridis');
    a[0] = 0;
    expect(colormap('viridis')[0]).toBe(68);
    expect(codeOf(() => colormap('jet' as never)).code).toBe('INVALID_OPTION');
  });
});
