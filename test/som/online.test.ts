// The online rule run in blocks (src/som/online.ts) against the row-by-row rule it replaced,
// written out here as it was: for every row in a seeded random order, the nearest unit by
// exact distances (lowest index on ties), then w_u += α·h(d(c, u), σ)·(x − w_u) for every
// unit. The blocked form is equal up to rounding; the cut-off of the neighbourhood at its
// support changes nothing for the bubble and the triangle (they are 0 beyond it) and at most
// 1e-8·α·‖x − w‖ per row and unit for the Gaussian and the Mexican hat.
import { describe, expect, it } from 'vitest';
import { Random, type Matrix } from '../../src/core/index.js';
import { scheduleAt, type Decay } from '../../src/som/math.js';
import { OnlineTrainer } from '../../src/som/online.js';
import {
  gridDistances, neighborhoodFunction, supportReach, type GridShape, type Neighborhood, type NeighborhoodFunction,
} from '../../src/som/topology.js';
import * as som from '../../src/som/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';

interface Run {
  grid: GridShape;
  epochs: number;
  sigma: { start: number; end: number };
  alpha: { start: number; end: number };
  decay: Decay;
  neighborhood: Neighborhood | NeighborhoodFunction;
}

/** The row-by-row rule (latentspace ≤ 0.x, `onlineEpoch`), every unit updated. */
function reference(X: Matrix, r: Run, W0: Float64Array, seed: number): Float64Array {
  const { rows: n, cols: d, data } = X;
  const W = W0.slice();
  const units = W.length / d;
  const G = gridDistances(r.grid);
  const h = typeof r.neighborhood === 'function' ? r.neighborhood : neighborhoodFunction(r.neighborhood);
  const rng = new Random(seed);
  const total = r.epochs * n;
  for (let epoch = 0; epoch < r.epochs; epoch++) {
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let t = 0; t < n; t++) {
      const i = order[t]!;
      const f = total > 1 ? (epoch * n + t) / (total - 1) : 0;
      const sigma = scheduleAt(r.sigma.start, r.sigma.end, r.decay, f);
      const alpha = scheduleAt(r.alpha.start, r.alpha.end, r.decay, f);
      let best = 0, bestDist = Infinity;
      for (let u = 0; u < units; u++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j]! - W[u * d + j]!) ** 2;
        if (s < bestDist) { bestDist = s; best = u; }
      }
      for (let u = 0; u < units; u++) {
        const a = alpha * h(G[best * units + u]!, sigma);
        if (a === 0) continue;
        for (let j = 0; j < d; j++) W[u * d + j] = W[u * d + j]! + a * (data[i * d + j]! - W[u * d + j]!);
      }
    }
  }
  return W;
}

/** The blocked rule, with the neighbourhood cut at its support (`cut`) or not. */
function blocked(X: Matrix, r: Run, W0: Float64Array, seed: number, cut: boolean): Float64Array {
  const W = W0.slice();
  const custom = typeof r.neighborhood === 'function';
  const h = custom ? r.neighborhood as NeighborhoodFunction : neighborhoodFunction(r.neighborhood as Neighborhood);
  const reach = cut && !custom ? supportReach(r.neighborhood as Neighborhood) : Infinity;
  const trainer = new OnlineTrainer(X, { epochs: r.epochs, sigma: r.sigma, alpha: r.alpha, decay: r.decay, h, reach, rng: new Random(seed) }, gridDistances(r.grid), W);
  for (let e = 0; e < r.epochs; e++) trainer.epoch(e);
  return W;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** n rows of d features around three centres (spread 1), values of order 5. */
function clustered(n: number, d: number, seed: number): Matrix<Float64Array> {
  const noise = fill(new Float64Array(n * d), seed);
  const data = noise.map((v, p) => v + 5 * (((Math.floor(p / d) % 3) + (p % d)) % 3));
  return { rows: n, cols: d, data };
}

const rect = (width: number, height: number, toroidal = false): GridShape => ({ width, height, topology: 'rectangular', toroidal });
const hex = (width: number, height: number, toroidal = false): GridShape => ({ width, height, topology: 'hexagonal', toroidal });

// d = 40: blocks of 5 rows (23 rows: four full blocks and a short one); d = 520: blocks of 64.
const cases: [string, Matrix<Float64Array>, Run][] = [
  ['gaussian, rectangular, d = 40', clustered(23, 40, 1), { grid: rect(5, 4), epochs: 3, sigma: { start: 2.5, end: 0.5 }, alpha: { start: 0.5, end: 0.05 }, decay: 'exponential', neighborhood: 'gaussian' }],
  ['gaussian, hexagonal torus, d = 40', clustered(23, 40, 2), { grid: hex(4, 4, true), epochs: 3, sigma: { start: 2, end: 0.3 }, alpha: { start: 0.9, end: 0.1 }, decay: 'linear', neighborhood: 'gaussian' }],
  ['bubble, rectangular torus, d = 40', clustered(23, 40, 3), { grid: rect(4, 3, true), epochs: 3, sigma: { start: 2, end: 0.5 }, alpha: { start: 1, end: 0.2 }, decay: 'inverse', neighborhood: 'bubble' }],
  ['triangle, hexagonal, d = 40', clustered(23, 40, 4), { grid: hex(5, 3), epochs: 3, sigma: { start: 3, end: 1 }, alpha: { start: 0.5, end: 0.01 }, decay: 'exponential', neighborhood: 'triangle' }],
  ['mexican-hat, rectangular, d = 40', clustered(23, 40, 5), { grid: rect(4, 4), epochs: 3, sigma: { start: 1.5, end: 0.5 }, alpha: { start: 0.2, end: 0.01 }, decay: 'exponential', neighborhood: 'mexican-hat' }],
  ['custom, rectangular, d = 40', clustered(23, 40, 6), { grid: rect(3, 3), epochs: 2, sigma: { start: 2, end: 0.5 }, alpha: { start: 0.5, end: 0.01 }, decay: 'linear', neighborhood: (dist, s) => 1 / (1 + (dist / s) ** 2) }],
  ['gaussian, rectangular, d = 520', clustered(150, 520, 7), { grid: rect(4, 3), epochs: 2, sigma: { start: 2, end: 0.5 }, alpha: { start: 0.5, end: 0.01 }, decay: 'exponential', neighborhood: 'gaussian' }],
  ['gaussian, 10 × 8 (cut-off active), d = 16', clustered(60, 16, 8), { grid: rect(10, 8), epochs: 4, sigma: { start: 1.2, end: 0.4 }, alpha: { start: 0.5, end: 0.05 }, decay: 'exponential', neighborhood: 'gaussian' }],
];

describe('supportReach', () => {
  it.each(['gaussian', 'mexican-hat', 'bubble', 'triangle'] as const)('%s: beyond reach·σ, |h| < 1e-8 (0 for bubble and triangle)', (name) => {
    const h = neighborhoodFunction(name);
    const reach = supportReach(name);
    for (const sigma of [0.3, 0.5, 1, 2.5, 10]) {
      for (let k = 0; k <= 200; k++) {
        const dist = reach * sigma * (1 + k / 50) * (1 + 1e-15);
        const v = Math.abs(h(dist, sigma));
        if (name === 'bubble' || name === 'triangle') expect(v).toBe(0);
        else expect(v).toBeLessThan(1e-8);
      }
    }
    // and it is not far out: just inside, the Gaussian and the Mexican hat are still above 1e-9
    if (name === 'gaussian' || name === 'mexican-hat') expect(Math.abs(h(reach * 0.99, 1))).toBeGreaterThan(1e-9);
  });
});

describe.each(backendNames)('online SOM in blocks on the %s backend', (backend) => {
  useBackendFor(backend);

  it.each(cases)('%s: equals the row-by-row rule up to rounding', (_, X, r) => {
    const units = r.grid.width * r.grid.height;
    const W0 = fill(new Float64Array(units * X.cols), 11).map((v) => 5 + 4 * v);
    const want = reference(X, r, W0, 3);
    const got = blocked(X, r, W0, 3, false);
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-12);
  });

  it.each(cases)('%s: the cut-off neighbourhood stays within its bound of the full one', (_, X, r) => {
    const units = r.grid.width * r.grid.height;
    const W0 = fill(new Float64Array(units * X.cols), 12).map((v) => 5 + 4 * v);
    const full = blocked(X, r, W0, 4, false);
    const cut = blocked(X, r, W0, 4, true);
    const diff = maxAbsDiff(cut, full);
    if (typeof r.neighborhood === 'function' || r.neighborhood === 'bubble' || r.neighborhood === 'triangle') {
      // No cut-off (a caller's function) or nothing beyond it: the same arithmetic.
      expect(diff).toBe(0);
      return;
    }
    // Each row moves a neglected unit by less than 1e-8·α·|x − w| per feature (with the same
    // winners), and a step of the rule never widens a gap: the sum over the rows bounds it.
    const largest = (v: Float64Array): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    const bound = r.epochs * X.rows * r.alpha.start * 1e-8 * 2 * (largest(X.data) + largest(W0));
    expect(diff).toBeLessThanOrEqual(bound);
    // and the reference without cut-off is met too
    expect(maxAbsDiff(cut, reference(X, r, W0, 4))).toBeLessThanOrEqual(bound + 1e-12);
  });

  it('the cut-off leaves out units on a map wider than the support (the bound is not vacuous)', () => {
    const [, X, r] = cases[7]!;
    const units = r.grid.width * r.grid.height;
    const W0 = fill(new Float64Array(units * X.cols), 12).map((v) => 5 + 4 * v);
    const diff = maxAbsDiff(blocked(X, r, W0, 4, true), blocked(X, r, W0, 4, false));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(1e-6);
  });

  it('exact ties (duplicate units, integer data) go to the lowest index, as row by row', () => {
    // Units 0 and 3, and 1 and 5, start equal: every row ties between them until the
    // neighbourhood moves them apart; the blocked search must settle ties by exact distances.
    const d = 24, units = 6;
    const X = { rows: 30, cols: d, data: Float64Array.from({ length: 30 * d }, (_, p) => (Math.floor(p / d) * 7 + p) % 5) };
    const W0 = Float64Array.from({ length: units * d }, (_, p) => [1, 3, 2, 1, 4, 3][Math.floor(p / d)]! + ((p % d) % 2));
    const r: Run = { grid: rect(3, 2), epochs: 3, sigma: { start: 1, end: 0.2 }, alpha: { start: 0.5, end: 0.1 }, decay: 'linear', neighborhood: 'bubble' };
    expect(maxAbsDiff(blocked(X, r, W0, 5, true), reference(X, r, W0, 5))).toBeLessThanOrEqual(1e-12);
  });

  it('rows far from the origin (offset 1e6): the GEMM form cancels, the bound widens, near ties are measured exactly', () => {
    const base = clustered(30, 40, 10);
    const X = { ...base, data: base.data.map((v) => v + 1e6) };
    const r: Run = { grid: rect(4, 3), epochs: 2, sigma: { start: 1.5, end: 0.5 }, alpha: { start: 0.5, end: 0.05 }, decay: 'exponential', neighborhood: 'gaussian' };
    const W0 = fill(new Float64Array(12 * 40), 14).map((v) => 1e6 + 5 + 4 * v);
    // Weights of 1e6 carry rounding of 1e6·2⁻⁵² ≈ 2e-10 per update, in either form.
    expect(maxAbsDiff(blocked(X, r, W0, 7, false), reference(X, r, W0, 7))).toBeLessThanOrEqual(1e-8);
  });

  it('fit with method online: the same map as the row-by-row rule (float64 and float32 rows)', () => {
    const X = clustered(40, 48, 9);
    const r: Run = { grid: hex(4, 4), epochs: 3, sigma: { start: 2, end: 0.5 }, alpha: { start: 0.5, end: 0.02 }, decay: 'exponential', neighborhood: 'bubble' };
    const W0 = fill(new Float64Array(16 * 48), 13).map((v) => 5 + 4 * v);
    const want = reference(X, r, W0, 6);
    for (const data of [X.data, Float32Array.from(X.data)]) {
      const rows = { rows: X.rows, cols: X.cols, data };
      const wantHere = data instanceof Float32Array ? reference({ ...rows, data: Float64Array.from(data) }, r, W0, 6) : want;
      const model = som.fit(rows, {
        ...r.grid, method: 'online', epochs: r.epochs, sigma: r.sigma, learningRate: r.alpha, decay: r.decay,
        neighborhood: 'bubble', init: { rows: 16, cols: 48, data: W0 }, seed: 6,
      });
      const got = Float64Array.from(model.weights.data);
      // float32 rows give float32 weights: the reference rounded to float32 (half an ulp at 10: 4.8e-7).
      expect(maxAbsDiff(got, wantHere)).toBeLessThanOrEqual(data instanceof Float32Array ? 5e-7 : 1e-12);
    }
  });
});
