import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valleyPath } from '../../src/latent/index.js';
import { fit, neighbours, uMatrix, type SomModel } from '../../src/som/index.js';
import { errorOf } from './helpers.js';

/** A SOM model with the given codebook (units × d, row-major), as som.fit would return one. */
function somModel(width: number, height: number, weights: number[], topology: 'rectangular' | 'hexagonal' = 'rectangular', toroidal = false): SomModel {
  const d = weights.length / (width * height);
  return {
    kind: 'som', width, height, topology, toroidal,
    weights: { rows: width * height, cols: d, data: Float64Array.from(weights) },
    quantizationErrors: new Float64Array(0), method: 'batch', nEpochs: 0, completed: true,
  };
}

/** Shortest costs from `from` to every unit by Floyd–Warshall over the map's neighbour graph. */
function floyd(model: SomModel, step: (u: number, v: number) => number): number[][] {
  const n = model.width * model.height;
  const D = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  const { offsets, indices } = neighbours(model);
  for (let u = 0; u < n; u++) for (let p = offsets[u]!; p < offsets[u + 1]!; p++) D[u]![indices[p]!] = step(u, indices[p]!);
  for (let m = 0; m < n; m++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i]![j] = Math.min(D[i]![j]!, D[i]![m]! + D[m]![j]!);
  return D;
}

const distanceStep = (model: SomModel) => (u: number, v: number): number => {
  const { cols: d, data } = model.weights;
  let s = 0;
  for (let j = 0; j < d; j++) s += (data[u * d + j]! - data[v * d + j]!) ** 2;
  return Math.sqrt(s);
};

/** Checks that consecutive units are neighbours and that the steps add up to the cost. */
function checkWalk(model: SomModel, units: Int32Array, cost: number, step: (u: number, v: number) => number): void {
  const { offsets, indices } = neighbours(model);
  let total = 0;
  for (let t = 1; t < units.length; t++) {
    const u = units[t - 1]!, v = units[t]!;
    expect(Array.from(indices.subarray(offsets[u]!, offsets[u + 1]!))).toContain(v);
    total += step(u, v);
  }
  expect(cost).toBeCloseTo(total, 10);
}

describe('valleyPath', () => {
  it('goes round a ridge through the pass', () => {
    // 5 × 3 map, unit (r, c) holds (c, r/10), except (0, 2) and (2, 2), raised to 50: a
    // ridge down the middle column with a pass in row 1.
    const w: number[] = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 5; c++) w.push(c, c === 2 && r !== 1 ? 50 : r / 10);
    const model = somModel(5, 3, w);
    const { units, codes, cost } = valleyPath(model, [0, 0], [4, 0]);
    expect(units[0]).toBe(0);
    expect(units[units.length - 1]).toBe(4);
    expect(Array.from(units)).toContain(7); // the pass, (1, 2)
    expect(Array.from(units)).not.toContain(2);
    expect(Array.from(units)).not.toContain(12);
    checkWalk(model, units, cost, distanceStep(model));
    expect(cost).toBeCloseTo(floyd(model, distanceStep(model))[0]![4]!, 12);
    expect(Array.from(codes.data.subarray(0, 2))).toEqual([0, 0]);
    expect([codes.rows, codes.cols]).toEqual([units.length, 2]);
    // The same codes: a path of one unit.
    const one = valleyPath(model, [3, 0.2], [3.05, 0.19]);
    expect([Array.from(one.units), one.cost]).toEqual([[13], 0]);
  });

  it.each([['rectangular', false], ['hexagonal', false], ['hexagonal', true], ['rectangular', true]] as const)(
    'its cost is the shortest over the grid (%s, toroidal %s), for both weightings', (topology, toroidal) => {
      fc.assert(fc.property(
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }).map((h) => 2 * h), fc.integer({ min: 0, max: 1000 }),
        (width, height, seed) => {
          const n = width * height;
          let s = seed + 1;
          const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
          const w = Array.from({ length: n * 3 }, rand);
          const model = somModel(width, height, w, topology, toroidal);
          const a = [rand(), rand(), rand()], b = [rand(), rand(), rand()];
          for (const weights of ['distance', 'umatrix'] as const) {
            const U = uMatrix(model).data;
            const step = weights === 'distance' ? distanceStep(model) : (u: number, v: number) => (U[u]! + U[v]!) / 2;
            const { units, cost } = valleyPath(model, a, b, { weights });
            checkWalk(model, units, cost, step);
            expect(cost).toBeCloseTo(floyd(model, step)[units[0]!]![units[units.length - 1]!]!, 10);
          }
        },
      ), { numRuns: 40 });
    });

  it('starts and ends at the best-matching units of a fitted map', () => {
    const X = Array.from({ length: 60 }, (_, i) => [Math.cos(i / 10), Math.sin(i / 10), i % 2]);
    const model = fit(X, { width: 6, height: 4, seed: 1, epochs: 5 });
    const r = valleyPath(model, X[0]!, X[59]!);
    const bmuOf = (x: number[]) => {
      let best = 0, bestD = Infinity;
      for (let u = 0; u < 24; u++) {
        const dd = x.reduce((s, v, j) => s + (v - model.weights.data[u * 3 + j]!) ** 2, 0);
        if (dd < bestD) { bestD = dd; best = u; }
      }
      return best;
    };
    expect(r.units[0]).toBe(bmuOf(X[0]!));
    expect(r.units[r.units.length - 1]).toBe(bmuOf(X[59]!));
  });

  it('clear errors', () => {
    const model = somModel(2, 1, [0, 1]);
    expect(errorOf(() => valleyPath({ kind: 'kmeans' } as unknown as SomModel, [0], [1])).code).toBe('INVALID_MODEL'); // checked before som's checkModel
    expect(errorOf(() => valleyPath(model, [0, 1], [1])).message).toMatch(/^a: received a code of dimension 2, expected 1/);
    expect(errorOf(() => valleyPath(model, [0], [Number.NaN])).code).toBe('NON_FINITE');
    expect(errorOf(() => valleyPath(model, [0], [1], { weights: 'grid' as 'distance' })).message).toMatch(/'distance', 'umatrix'/);
  });
});
