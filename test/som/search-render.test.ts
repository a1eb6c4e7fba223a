import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { colormap } from '../../src/image/index.js';
import * as som from '../../src/som/index.js';
import { sqDistanceAt } from '../../src/linalg/rows.js';
import { UnitSearch } from '../../src/som/search.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { codeOf } from '../helpers/errors.js';
import { onBothBackends } from '../helpers/backends.js';

/** The exact nearest and second-nearest unit by plain loops (lowest index on ties). */
function bruteForce(x: Float64Array, n: number, d: number, W: Float64Array, units: number, distance?: (i: number, u: number) => number): [number[], number[]] {
  const first: number[] = [], second: number[] = [];
  for (let i = 0; i < n; i++) {
    let b1 = -1, e1 = Infinity, b2 = -1, e2 = Infinity;
    for (let u = 0; u < units; u++) {
      let s = 0;
      if (distance !== undefined) s = distance(i, u);
      else for (let j = 0; j < d; j++) s += (x[i * d + j]! - W[u * d + j]!) ** 2;
      if (s < e1) { b2 = b1; e2 = e1; b1 = u; e1 = s; } else if (s < e2) { b2 = u; e2 = s; }
    }
    first.push(b1);
    second.push(b2);
  }
  return [first, second];
}

describe.each(backendNames)('best-matching units on the %s backend', (backend) => {
  useBackendFor(backend);

  it('equal the exact nearest units, including near ties (float32 screening on WebAssembly for d ≥ 16)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (n, d, units, seed) => {
      const x = fill(new Float64Array(n * d), seed);
      const W = fill(new Float64Array(units * d), seed + 1);
      // Columns constant over the data (left out of the float32 copy, added per unit): every other case.
      if (seed % 2 === 0) for (let j = 1; j < d; j += 4) for (let i = 0; i < n; i++) x[i * d + j] = 0.25;
      // Near ties: some units are copies of others plus a perturbation far below float32 precision.
      for (let u = 1; u < units; u += 3) for (let j = 0; j < d; j++) W[u * d + j] = W[(u - 1) * d + j]! + (j === 0 ? 1e-12 * u : 0);
      const [first, second] = bruteForce(x, n, d, W, units);
      const found = new UnitSearch({ rows: n, cols: d, data: x }).find(W, units, true);
      expect(Array.from(found.first)).toEqual(first);
      expect(Array.from(found.second!)).toEqual(second);
      const one = new UnitSearch({ rows: n, cols: d, data: x }).find(W, units);
      expect(Array.from(one.first)).toEqual(first);
    }), { numRuns: 80 });
  });

  it('equal the exact nearest units for data on a grid (int16 screening on WebAssembly for d ≥ 16), near ties included', () => {
    // Pixels / 255, integers up to 9 and to 20000, and three decimals: each on one of the
    // integer screen's grids, so that screen (not the float32 one) decides the winners.
    const grids: [number, number][] = [[255, 1], [1, 9], [1, 20000], [1000, 1]];
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 16, max: 50 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(...grids), fc.integer(), (n, d, units, [s, range], seed) => {
      const x = fill(new Float64Array(n * d), seed).map((v) => Math.round(((v + 1) / 2) * range * s) / s);
      // Units near the data's scale, some copies of others perturbed far below any rounding.
      const W = fill(new Float64Array(units * d), seed + 1).map((v) => ((v + 1) / 2) * range);
      for (let u = 1; u < units; u += 3) for (let j = 0; j < d; j++) W[u * d + j] = W[(u - 1) * d + j]! + (j === 0 ? 1e-12 * range * u : 0);
      // The reference measures as the search's exact pass does (sqDistanceAt): a tie closer
      // than float64 rounding must be decided the same way, lowest unit first.
      const [first, second] = bruteForce(x, n, d, W, units, (i, u) => sqDistanceAt(x, i * d, W, u * d, d));
      const search = new UnitSearch({ rows: n, cols: d, data: x });
      // The case this test is for: on WebAssembly the int16 copy exists (a column varies).
      if (backend === 'wasm' && n > 1) expect((search as unknown as { grid?: unknown }).grid).toBeDefined();
      const found = search.find(W, units, true);
      expect(Array.from(found.first)).toEqual(first);
      expect(Array.from(found.second!)).toEqual(second);
      expect(Array.from(new UnitSearch({ rows: n, cols: d, data: x }).find(W, units).first)).toEqual(first);
    }), { numRuns: 80 });
  });

  it('give each row the exact distance to its unit as sqDistanceAt measures it, with or without the per-unit sums', () => {
    // With sums, a row with one candidate is measured in the loop that adds it to its unit's
    // sum: it must round as sqDistanceAt does, or the distance (and the quantization error)
    // would depend on how many candidates the backend's screening left.
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 5, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (n, d, units, seed) => {
      const x = fill(new Float64Array(n * d), seed);
      const W = fill(new Float64Array(units * d), seed + 1);
      const sums = { S: new Float64Array(units * d), N: new Float64Array(units) };
      for (const found of [new UnitSearch({ rows: n, cols: d, data: x }).find(W, units), new UnitSearch({ rows: n, cols: d, data: x }).find(W, units, false, undefined, sums)]) {
        for (let i = 0; i < n; i++) expect(found.firstDist[i]).toBe(sqDistanceAt(x, i * d, W, found.first[i]! * d, d));
      }
    }), { numRuns: 60 });
  });

  it('exact ties go to the lowest unit', () => {
    const W = new Float64Array(4 * 20).fill(0.5);
    const x = fill(new Float64Array(3 * 20), 9);
    const found = new UnitSearch({ rows: 3, cols: 20, data: x }).find(W, 4, true);
    expect(Array.from(found.first)).toEqual([0, 0, 0]);
    expect(Array.from(found.second!)).toEqual([1, 1, 1]);
    expect(Array.from(new UnitSearch({ rows: 3, cols: 20, data: x }).find(W, 4).first)).toEqual([0, 0, 0]);
  });
});

it('a map in 24 dimensions is the same on both backends (WebAssembly screens in float32)', () => {
  const rng = new Random(5);
  const n = 150, d = 24;
  const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, p) => rng.normal() + 6 * (Math.floor(p / d) % 3)) };
  const [js, wasm] = onBothBackends(() => {
    const model = som.fit(X, { width: 5, height: 5, topology: 'hexagonal', seed: 1 });
    return { model, units: som.bmu(model, X) };
  });
  js.model.weights.data.forEach((v, p) => expect(Math.abs(v - wasm.model.weights.data[p]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(v))));
  expect(Array.from(wasm.units)).toEqual(Array.from(js.units));
});

describe('render', () => {
  const model = (width: number, height: number, topology: som.Topology): som.SomModel => som.load({
    kind: 'som', width, height, topology, toroidal: false,
    weights: { rows: width * height, cols: 1, data: Float64Array.from({ length: width * height }, (_, u) => u) },
    quantizationErrors: new Float64Array(0), method: 'batch', nEpochs: 0, completed: true,
  });
  const pixel = (img: som.RgbaImage, x: number, y: number): number[] => Array.from(img.rgba.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 4));
  const viridis = colormap('viridis');
  const first = Array.from(viridis.subarray(0, 4)), last = Array.from(viridis.subarray(1020, 1024));

  it('rectangular: one square per unit, low values first colour, high values last', () => {
    const img = som.render(model(2, 1, 'rectangular'), [0, 1], { cellSize: 3 });
    expect([img.width, img.height, img.rgba.length]).toEqual([6, 3, 72]);
    expect(pixel(img, 0, 0)).toEqual(first);
    expect(pixel(img, 2, 2)).toEqual(first);
    expect(pixel(img, 3, 0)).toEqual(last);
  });

  it('hexagonal: row 0 shifted right, corners outside the hexagons are background', () => {
    const m = model(2, 2, 'hexagonal');
    const cs = 20;
    const img = som.render(m, [0, 1, 2, 3], { cellSize: cs, colormap: 'gray', background: [1, 2, 3, 4] });
    // Width: 2 cells plus the half-cell shift; height: 1 row step plus two vertex radii.
    expect(img.width).toBe(Math.ceil(2.5 * cs));
    expect(img.height).toBe(Math.ceil((Math.sqrt(3) / 2 + 2 / Math.sqrt(3)) * cs));
    const at = (x: number, y: number): number[] => pixel(img, Math.floor(x * cs), Math.floor((y + 1 / Math.sqrt(3)) * cs));
    // Unit (0, 0) is centred at x = 1 (half-cell shift + ½), unit (1, 0) at x = 0.5.
    expect(at(1, 0)).toEqual([0, 0, 0, 255]);
    expect(at(2, 0)).toEqual([85, 85, 85, 255]);
    expect(at(0.5, Math.sqrt(3) / 2)).toEqual([170, 170, 170, 255]);
    expect(at(1.5, Math.sqrt(3) / 2)).toEqual([255, 255, 255, 255]);
    // Top-left corner: outside every hexagon.
    expect(pixel(img, 0, 0)).toEqual([1, 2, 3, 4]);
  });

  it('interstitial U-matrix, NaN cells, palettes, ranges and hit markers', () => {
    const m = model(3, 2, 'hexagonal');
    const Ui = som.uMatrix(m, { interstitial: true });
    const img = som.render(m, Ui, { cellSize: 8 });
    // 3 × 5 cells at half the unit spacing. A cell sits at twice the midpoint of the units it
    // joins (the unit itself for a unit cell); unit (r, c) at (c + ½ on even rows, r·√3/2).
    // Five cells across plus the one-cell shift of row 0; three rows: 2 row steps plus the
    // two vertex radii.
    expect([img.width, img.height]).toEqual([6 * 8, Math.ceil((Math.sqrt(3) + 2 / Math.sqrt(3)) * 8)]);
    const unitAt = (r: number, c: number): [number, number] => [c + (r % 2 === 0 ? 0.5 : 0), (r * Math.sqrt(3)) / 2];
    const joined = (R: number, C: number): [number, number][] => {
      const r = R >> 1, c = C >> 1;
      if (R % 2 === 0) return C % 2 === 0 ? [[r, c]] : [[r, c], [r, c + 1]];
      if (C % 2 === 0) return [[r, c], [r + 1, c]];
      return r % 2 === 0 ? [[r, c], [r + 1, c + 1]] : [[r, c + 1], [r + 1, c]];
    };
    const [lo, hi] = [Math.min(...Ui.data), Math.max(...Ui.data)];
    for (let R = 0; R < 3; R++) {
      for (let C = 0; C < 5; C++) {
        const units = joined(R, C).map(([r, c]) => unitAt(r, c));
        const x = units.reduce((s, u) => s + u[0], 0) / units.length, y = units.reduce((s, u) => s + u[1], 0) / units.length;
        // Pixel coordinates: the image starts half a cell left of x = 0 and a vertex radius above y = 0.
        const colour = Math.round(((Ui.data[R * 5 + C]! - lo) / (hi - lo)) * 255);
        expect(pixel(img, Math.floor((2 * x + 0.5) * 8), Math.floor((2 * y + 1 / Math.sqrt(3)) * 8))).toEqual(Array.from(viridis.subarray(4 * colour, 4 * colour + 4)));
      }
    }
    const rect = model(2, 2, 'rectangular');
    const palette = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255];
    const labels = som.render(rect, [0, 2, NaN, 1], { cellSize: 4, colormap: palette, range: [0, 2] });
    expect(pixel(labels, 1, 1)).toEqual([255, 0, 0, 255]);
    expect(pixel(labels, 5, 1)).toEqual([0, 0, 255, 255]);
    expect(pixel(labels, 1, 5)).toEqual([255, 255, 255, 0]);
    expect(pixel(labels, 5, 5)).toEqual([0, 255, 0, 255]);
    const hits = som.render(rect, [0, 0, 0, 0], { cellSize: 10, hits: [4, 1, 0, 0], hitColor: [9, 9, 9], colormap: 'gray' });
    expect(pixel(hits, 5, 5)).toEqual([9, 9, 9, 255]); // the busiest unit's marker: 80 % of the cell
    expect(pixel(hits, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(hits, 15, 5)).toEqual([9, 9, 9, 255]); // a quarter of the hits: 40 % of the cell
    expect(pixel(hits, 12, 2)).toEqual([0, 0, 0, 255]);
    expect(pixel(hits, 5, 15)).toEqual([0, 0, 0, 255]);
  });

  it('rejects values that do not fit the map and bad options', () => {
    const m = model(3, 2, 'rectangular');
    expect(codeOf(() => som.render(m, [1, 2, 3]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => som.render(m, [[1, 2], [3, 4]]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => som.render(m, [1, 2, 3, 4, 5, Infinity]))).toBe('NON_FINITE');
    expect(codeOf(() => som.render(m, som.uMatrix(m), { colormap: 'jet' as 'gray' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => som.render(m, som.uMatrix(m), { range: [2, 1] }))).toBe('INVALID_OPTION');
    expect(codeOf(() => som.render(m, som.uMatrix(m), { hits: [1, 2] }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => som.render(m, som.uMatrix(m), { cellSize: 0 }))).toBe('INVALID_OPTION');
  });
});
