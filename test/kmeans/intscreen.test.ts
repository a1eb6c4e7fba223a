// On WebAssembly, Lloyd's pass screens float64 data on a grid with exact int16 dot products
// (src/kmeans/solvers.ts, intScreen) and keeps Hamerly's bounds from those scores. Whatever
// the centres, even pairs 1e-12 apart, and however they move, every label must be the one
// the float64 kernels give when they measure every distance (`nearest`, the unscreened
// pass, on the same source), and the nearest centre in exact arithmetic wherever the
// two nearest are clearly apart (a brute-force Σ(x − c)², independent of the kernels).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { Assignment, centreShifts } from '../../src/kmeans/centres.js';
import * as kmeans from '../../src/kmeans/index.js';
import { createSolver } from '../../src/kmeans/solvers.js';
import { blockRows, nearest, prepareSource } from '../../src/kmeans/source.js';
import { residentKernel } from '../../src/linalg/kernels/dispatch.js';
import { columnMeans } from '../../src/linalg/rows.js';
import { backendNames, onBothBackends, useBackendFor } from '../helpers/backends.js';

/** The grids tried: pixels / 255, digits 0 … 9, three decimals (the `mnist` package's). */
const grids = [(v: number) => Math.round(v * 255) / 255, (v: number) => Math.floor(v * 10), (v: number) => Math.round(v * 1000) / 1000];

/** n rows of d entries on grid g, around a few blobs so that centres compete for rows. */
function gridData(n: number, d: number, g: number, rng: Random) {
  const blobs = Float64Array.from({ length: 4 * d }, () => rng.uniform(0.2, 0.8));
  return { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, p) => grids[g]!(Math.min(0.999, Math.max(0, blobs[(Math.floor(p / d) % 4) * d + (p % d)]! + rng.uniform(-0.25, 0.25))))) };
}

/** Centres in pairs: a row of X (plus `offset`), and the same 1e-12 away along one coordinate (or all). */
function nearTies(X: { rows: number; cols: number; data: Float64Array }, k: number, rng: Random, offset = 0): Float64Array {
  const d = X.cols, c = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const from = j % 2 === 0 ? Math.floor(rng.uniform(0, X.rows)) * d : -1;
    if (from >= 0) for (let t = 0; t < d; t++) c[j * d + t] = X.data[from + t]! + offset;
    else {
      c.set(c.subarray((j - 1) * d, j * d), j * d);
      const along = rng.uniform(0, 1) < 0.5 ? -1 : Math.floor(rng.uniform(0, d));
      for (let t = 0; t < d; t++) if (along < 0 || t === along) c[j * d + t] = c[j * d + t]! + 1e-12;
    }
  }
  return c;
}

/** Labels by brute force, Σ(x − c)² in plain float64, where the two nearest differ by more than 1e-9 (−1 elsewhere). */
function clearNearest(X: { rows: number; cols: number; data: Float64Array }, c: Float64Array, k: number): Int32Array {
  const { rows: n, cols: d, data } = X;
  return Int32Array.from({ length: n }, (_, i) => {
    let b1 = -1, e1 = Infinity, e2 = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (data[i * d + t]! - c[j * d + t]!) ** 2;
      if (s < e1) { e2 = e1; e1 = s; b1 = j; } else if (s < e2) e2 = s;
    }
    return e2 - e1 > 1e-9 ? b1 : -1;
  });
}

describe.each(backendNames)('the integer screen of Lloyd on the %s backend', (name) => {
  useBackendFor(name);

  it('labels every row as the unscreened float64 pass does, near ties and moving centres included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 400 }), fc.integer({ min: 16, max: 48 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 2 }), fc.nat(),
        (n, d, k, g, seed) => {
          const rng = new Random(seed);
          const X = gridData(n, d, g, rng);
          const src = prepareSource(X, columnMeans(X), true, residentKernel()(X.data));
          try {
            // The internal switch: on WebAssembly the int16 copy replaces the float32 mirror.
            if (name === 'wasm') {
              expect(src.grid).toBeDefined();
              expect(src.mirror).toBeUndefined();
            }
            const assignment = new Assignment(src, undefined, k, blockRows(d, k));
            const solver = createSolver('lloyd', { src, w: undefined, k, assignment });
            let c = nearTies(X, k, rng);
            const shifts = new Float64Array(k), expected = new Int32Array(n);
            for (let step = 0; step < 6; step++) {
              solver.assign(c);
              nearest(src, c, expected);
              expect(Array.from(assignment.labels)).toEqual(Array.from(expected));
              const clear = clearNearest(X, c, k);
              for (let i = 0; i < n; i++) if (clear[i]! >= 0) expect(assignment.labels[i]).toBe(clear[i]);
              // Moves of every size, some centres still, pairs kept near each other.
              const next = c.map((v, p) => v + (Math.floor(p / d) % 3 === step % 3 ? 0 : rng.uniform(-1, 1) * 10 ** -Math.floor(rng.uniform(2, 13))));
              centreShifts(c, next, k, d, shifts);
              solver.shifted(shifts);
              c = next;
            }
          } finally {
            src.release();
          }
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });
});

describe('k-means on data on a grid', () => {
  it('gives the same model on both backends from near-tied centres given explicitly', () => {
    // Centres off the rows: a row on a centre ties with its twin below float64's resolution,
    // where the backends' float64 kernels (GEMM and direct products) may round either way.
    const rng = new Random(5);
    const X = gridData(1500, 32, 0, rng);
    const init = { rows: 8, cols: 32, data: nearTies(X, 8, rng, 0.37 / 255) };
    const [js, wasm] = onBothBackends(() => kmeans.fit(X, { init, algorithm: 'lloyd', tol: 0, maxIter: 40 }));
    expect(wasm.nIter).toBe(js.nIter);
    expect(Array.from(wasm.labels)).toEqual(Array.from(js.labels));
    expect(Array.from(wasm.centroids.data)).toEqual(Array.from(js.centroids.data));
    expect(wasm.inertia).toBe(js.inertia);
  });
});
