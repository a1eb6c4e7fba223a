// On WebAssembly, Lloyd's screened pass keeps Hamerly's bounds and leaves a row unmeasured
// when they prove its label with a margin above the float32 rounding bound. The labels must
// stay those of measuring every distance (the TypeScript backend measures them all), at
// every iteration, on data where many rows lie near a boundary and centres keep moving.
import { describe, expect, it } from 'vitest';
import * as kmeans from '../../src/kmeans/index.js';
import { fill, onBothBackends } from '../helpers/backends.js';

/** n rows in d dimensions around `blobs` centres that overlap, so that labels keep changing for many iterations. */
function overlapping(n: number, d: number, blobs: number, seed: number) {
  const noise = fill(new Float64Array(n * d), seed), where = fill(new Float64Array(blobs * d), seed + 1);
  return { rows: n, cols: d, data: noise.map((v, p) => 1.5 * where[(Math.floor(p / d) % blobs) * d + (p % d)]! + v) };
}

describe('bounded screening in Lloyd keeps every label', () => {
  for (const [n, d, k, seed] of [[3000, 24, 12, 1], [2500, 64, 9, 2], [4000, 17, 30, 3]] as const) {
    it(`n = ${n}, d = ${d}, k = ${k}: the same centroids at every iteration and the same model on both backends`, () => {
      const X = overlapping(n, d, k, seed);
      const options = { k, seed, algorithm: 'lloyd' as const, tol: 0, maxIter: 60, init: 'random' as const, nInit: 1 };
      const [js, wasm] = onBothBackends(() => {
        const centroids: number[][] = [];
        const it = kmeans.steps(X, options);
        let r = it.next();
        for (; !r.done; r = it.next()) centroids.push(Array.from(r.value.centroids.data));
        return { centroids, model: r.value };
      });
      expect(js.centroids.length).toBeGreaterThan(10);
      expect(wasm.centroids).toEqual(js.centroids);
      expect(Array.from(wasm.model.labels)).toEqual(Array.from(js.model.labels));
      expect(wasm.model.inertia).toBe(js.model.inertia);
    });
  }
});
