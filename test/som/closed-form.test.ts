// One online update and one batch epoch with the Gaussian neighbourhood, against their
// closed forms written out here (Kohonen 2013, "Essentials of the self-organizing map",
// eqs. 2–3 and 6): the grid geometry is kohonen's (unit (r, c) at (c, r), or on a hexagonal
// map at (c + ½ on even rows, r·√3/2); a torus wraps both axes), the winner the nearest
// unit (the lowest index on ties), h(d) = exp(−d² / 2σ²).
import { describe, expect, it } from 'vitest';
import * as som from '../../src/som/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';

interface Grid { width: number; height: number; topology: som.Topology; toroidal: boolean }

/** Grid distance between units a and b. */
function gridDistance(g: Grid, a: number, b: number): number {
  const hex = g.topology === 'hexagonal';
  const at = (u: number): [number, number] => {
    const r = Math.floor(u / g.width), c = u % g.width;
    return hex ? [c + (r % 2 === 0 ? 0.5 : 0), (r * Math.sqrt(3)) / 2] : [c, r];
  };
  const [xa, ya] = at(a), [xb, yb] = at(b);
  let dx = Math.abs(xa - xb), dy = Math.abs(ya - yb);
  if (g.toroidal) {
    dx = Math.min(dx, g.width - dx);
    dy = Math.min(dy, (hex ? (g.height * Math.sqrt(3)) / 2 : g.height) - dy);
  }
  return Math.hypot(dx, dy);
}

/** The unit nearest to row i of X (the lowest index on ties). */
function winner(X: Float64Array, i: number, W: Float64Array, units: number, d: number): number {
  let best = 0, bestD = Infinity;
  for (let u = 0; u < units; u++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (X[i * d + j]! - W[u * d + j]!) ** 2;
    if (s < bestD) { best = u; bestD = s; }
  }
  return best;
}

const gauss = (dist: number, sigma: number): number => Math.exp(-(dist * dist) / (2 * sigma * sigma));

describe.each(backendNames)('closed forms on the %s backend', (backend) => {
  useBackendFor(backend);

  it.each([
    { width: 4, height: 3, topology: 'hexagonal', toroidal: false },
    { width: 5, height: 4, topology: 'rectangular', toroidal: true },
  ] as Grid[])('one online update: w_u += α·h(d(c, u))·(x − w_u) ($topology, toroidal $toroidal)', (g) => {
    const units = g.width * g.height, d = 3;
    const W = fill(new Float64Array(units * d), 41);
    const x = Float64Array.of(0.2, -0.4, 0.9);
    // One row, one epoch: σ and α are at the start of their schedules.
    const model = som.fit({ rows: 1, cols: d, data: x }, {
      ...g, method: 'online', epochs: 1, neighborhood: 'gaussian',
      sigma: { start: 1.5, end: 0.2 }, learningRate: { start: 0.3, end: 0.01 },
      init: { rows: units, cols: d, data: W },
    });
    const c = winner(x, 0, W, units, d);
    for (let u = 0; u < units; u++) {
      const a = 0.3 * gauss(gridDistance(g, c, u), 1.5);
      for (let j = 0; j < d; j++) {
        const expected = W[u * d + j]! + a * (x[j]! - W[u * d + j]!);
        expect(Math.abs(model.weights.data[u * d + j]! - expected)).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it.each([
    { width: 4, height: 3, topology: 'hexagonal', toroidal: false },
    { width: 5, height: 4, topology: 'rectangular', toroidal: true },
    { width: 6, height: 4, topology: 'hexagonal', toroidal: true },
  ] as Grid[])('one Gaussian batch epoch: w_u = Σᵢ h(d(cᵢ, u))·xᵢ / Σᵢ h(d(cᵢ, u)) ($topology, toroidal $toroidal)', (g) => {
    const units = g.width * g.height, d = 2, n = 30;
    const X = fill(new Float64Array(n * d), 17).map((v, p) => v + (Math.floor(p / d) % 3));
    const W = fill(new Float64Array(units * d), 23).map((v) => 1 + v);
    const sigma = 1.2;
    const model = som.fit({ rows: n, cols: d, data: X }, {
      ...g, method: 'batch', epochs: 1, neighborhood: 'gaussian', sigma, init: { rows: units, cols: d, data: W },
    });
    const bmu = Array.from({ length: n }, (_, i) => winner(X, i, W, units, d));
    for (let u = 0; u < units; u++) {
      let den = 0;
      const num = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const h = gauss(gridDistance(g, bmu[i]!, u), sigma);
        den += h;
        for (let j = 0; j < d; j++) num[j]! += h * X[i * d + j]!;
      }
      for (let j = 0; j < d; j++) expect(Math.abs(model.weights.data[u * d + j]! - num[j]! / den)).toBeLessThanOrEqual(1e-13);
    }
    // The error reported for the epoch is that of its assignment: the initial weights.
    const qe = bmu.reduce((s, c, i) => s + Math.hypot(X[i * d]! - W[c * d]!, X[i * d + 1]! - W[c * d + 1]!), 0) / n;
    expect(model.quantizationErrors[0]).toBeCloseTo(qe, 14);
  });
});
