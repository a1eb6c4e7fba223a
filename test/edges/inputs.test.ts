// Issue #21, the rest of the boundary: wrong exception types, silent coercion, unbounded
// sizes, lazy validation, already-aborted setup stages, and releasing WebAssembly memory.
import { describe, expect, it } from 'vitest';
import { asMatrix, asVector } from '../../src/core/matrix.js';
import * as image from '../../src/image/index.js';
import * as interp from '../../src/interp/index.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import { createCholeskyFactor } from '../../src/linalg/cholesky.js';
import { sqDistances } from '../../src/linalg/distances.js';
import { dot } from '../../src/linalg/vector.js';
import * as pca from '../../src/pca/index.js';
import * as som from '../../src/som/index.js';
import * as tsne from '../../src/tsne/index.js';
import * as wasm from '../../src/wasm/index.js';
import { setKernels } from '../../src/linalg/backend.js';
import { errorOf } from './scaled.js';

const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(3 * i), (i % 7) / 3]);

describe('wrong exception types', () => {
  it('onProgress that is not a function is INVALID_OPTION before any work', async () => {
    for (const run of [
      () => kmeans.fit(X, { k: 2, onProgress: 42 as never }),
      () => ksvd.fit(X, { nAtoms: 3, nNonzero: 1, onProgress: 42 as never }),
      () => tsne.fit(X, { perplexity: 5, nIter: 5, onProgress: 42 as never }),
      () => som.fit(X, { width: 2, height: 2, onProgress: 42 as never }),
    ]) {
      const e = errorOf(run);
      expect([e.code, e.message]).toEqual(['INVALID_OPTION', expect.stringMatching(/^onProgress:/)]);
    }
    await expect(kmeans.fitAsync(X, { k: 2, onProgress: 'x' as never })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('{ mean: null } in the batch functions and hits: null in som.render are INVALID_INPUT', () => {
    const ref = { mean: [0, 0], variance: [1, 1] };
    expect(errorOf(() => interp.w2DistanceDiagonalBatch({ mean: null as never, variance: [[1, 1]] }, ref)).code).toBe('INVALID_INPUT');
    expect(errorOf(() => interp.fisherRaoDistanceDiagonalBatch({ mean: [[0, 0]], variance: null as never }, ref)).code).toBe('INVALID_INPUT');
    const model = som.fit(X, { width: 2, height: 2, epochs: 1 });
    expect(errorOf(() => som.render(model, som.distanceMap(model), { hits: null as never })).code).toBe('INVALID_INPUT');
  });

  it('image.grid at scale 1e5 and createCholeskyFactor(1e12) are OUT_OF_RANGE naming the limit', () => {
    const e = errorOf(() => image.grid([[0, 1, 2, 3]], { width: 2, height: 2, scale: 1e5 }));
    expect([e.code, e.message]).toEqual(['OUT_OF_RANGE', expect.stringMatching(/limit of 134217728/)]);
    expect(errorOf(() => createCholeskyFactor(1e12)).code).toBe('OUT_OF_RANGE');
  });

  it('asMatrix(x, name, null) is INVALID_OPTION', () => {
    expect(errorOf(() => asMatrix([[1]], 'X', null as never)).code).toBe('INVALID_OPTION');
    expect(errorOf(() => asMatrix([[1]], 'X', { dtype: 'int8' as never })).code).toBe('INVALID_OPTION');
  });

  it('som.unitPositions, gridDistances, neighbours reject width 0, NaN, 1.5 (no NaN distances)', () => {
    for (const width of [0, NaN, 1.5, -2, '3']) {
      const grid = { width, height: 2, topology: 'rectangular', toroidal: false } as never;
      for (const f of [som.unitPositions, som.gridDistances, som.neighbours]) expect(errorOf(() => f(grid)).code).toBe('INVALID_OPTION');
    }
    expect(errorOf(() => som.gridDistances(null as never)).code).toBe('INVALID_OPTION');
  });
});

describe('no silent coercion: asVector is as strict as asMatrix', () => {
  it('the issue\'s repro [\'0x10\', \' 2 \', \'\', null, true] is refused, entry by entry', () => {
    for (const [i, bad] of [['0x10', 0], [' 2 ', 0], ['', 0], [null, 0], [true, 0], [undefined, 0]].map(([v], i) => [i, v] as const)) {
      const v = [1, bad] as never;
      const e = errorOf(() => asVector(v, 'x'));
      expect([e.code, e.message]).toEqual(['INVALID_INPUT', 'x: entry 1 is ' + (bad === null ? 'null' : bad === undefined ? 'undefined' : typeof bad === 'string' ? JSON.stringify(bad) : 'boolean') + ', expected a number']);
      void i;
    }
    expect(errorOf(() => asVector(new BigInt64Array(2) as never, 'x')).code).toBe('INVALID_INPUT');
  });

  it('it reaches dot, lerp, path, reconstruct, decode, sampleWeight, labelMap', () => {
    const strs = ['1', '2', '3'] as never;
    const model = pca.fit(X);
    const dict = ksvd.fit(X, { nAtoms: 3, nNonzero: 1, maxIter: 2 });
    const map = som.fit(X, { width: 2, height: 2, epochs: 1 });
    for (const f of [
      () => dot(strs, [1, 2, 3]),
      () => interp.lerp(strs, [1, 2, 3], 0.5),
      () => interp.path(strs, [1, 2, 3]),
      () => pca.reconstruct(model, strs, [1]),
      () => ksvd.decode(dict, strs),
      () => kmeans.fit(X, { k: 2, sampleWeight: X.map(() => '1') as never }),
      () => som.labelMap(map, X, X.map(() => '1') as never),
    ]) expect(errorOf(f).code).toBe('INVALID_INPUT');
  });

  it('an ml-matrix-like object with short rows or string entries is refused, not zero-filled', () => {
    const rows = [new Float64Array([1]), new Float64Array([1, 2])];
    const short = { rows: 2, columns: 2, data: rows, get: (i: number, j: number) => rows[i]![j], to2DArray: () => [] };
    expect(errorOf(() => asMatrix(short as never)).code).toBe('INVALID_INPUT');
    const strings = { rows: 1, columns: 1, get: () => '3', to2DArray: () => [] };
    expect(errorOf(() => asMatrix(strings as never)).code).toBe('INVALID_INPUT');
  });
});

describe('unbounded sizes are bounded, naming the limit', () => {
  it('path steps 1e9 and geodesicPath steps 1e8 are INVALID_OPTION at once', () => {
    const t0 = Date.now();
    expect(errorOf(() => interp.path([0, 1], [1, 0], { steps: 1e9 })).message).toMatch(/steps: received 1000000000, expected an integer in \[2, 100000\]/);
    expect(errorOf(() => interp.geodesicPath({ mean: [0], variance: [1] }, { mean: [1], variance: [4] }, { steps: 1e8 })).code).toBe('INVALID_OPTION');
    // A full covariance of dimension 500 holds 250 000 numbers per step: fewer steps fit.
    const big = { mean: new Float64Array(500), variance: new Float64Array(500).fill(1) };
    expect(interp.geodesicPath(big, big, { steps: 3 })).toHaveLength(3);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('kmeans nInit 1e9 is INVALID_OPTION naming 1000', () => {
    expect(errorOf(() => kmeans.fit(X, { k: 2, nInit: 1e9 })).message).toMatch(/nInit: .*\[1, 1000\]/);
  });

  it('sqDistances of 24 000 rows is OUT_OF_RANGE before allocating 4.3 GiB', () => {
    const e = errorOf(() => sqDistances({ rows: 24000, cols: 1, data: new Float64Array(24000) }));
    expect([e.code, e.message]).toEqual(['OUT_OF_RANGE', expect.stringMatching(/^A: .*limit of 134217728/)]);
  });
});

describe('lazy validation: every option is checked when the function is called', () => {
  it('pca.fit seed \'abc\', tsne seed {}, tsne.transform signal 42', () => {
    expect(errorOf(() => pca.fit(X, { seed: 'abc' as never })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => tsne.steps(X, { seed: {} as never })).code).toBe('INVALID_OPTION');
    const model = tsne.fit(X, { perplexity: 5, nIter: 10, seed: 1 });
    expect(errorOf(() => tsne.transform(model, [X[0]!], { signal: 42 as never })).code).toBe('INVALID_OPTION');
  });

  it('autoMethod and autoAlgorithm reject NaN, "2" and −1', () => {
    for (const bad of [NaN, '2', -1, 1.5]) {
      expect(errorOf(() => tsne.autoMethod(bad as never, 2)).code).toBe('INVALID_OPTION');
      expect(errorOf(() => tsne.autoMethod(100, bad as never)).code).toBe('INVALID_OPTION');
      expect(errorOf(() => kmeans.autoAlgorithm(bad as never, 2, 2)).code).toBe('INVALID_OPTION');
      expect(errorOf(() => kmeans.autoAlgorithm(100, 2, bad as never)).code).toBe('INVALID_OPTION');
    }
    expect(kmeans.autoAlgorithm(50000, 2, 100)).toBe('hamerly');
  });
});

describe('long setup stages honour an already-aborted signal', () => {
  const big = Array.from({ length: 3000 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7), (i % 11) / 11]);
  const aborted = (): AbortSignal => {
    const c = new AbortController();
    c.abort();
    return c.signal;
  };

  it('t-SNE skips the affinities (about a second at n = 3000) and returns a stopped, valid model', () => {
    const t0 = performance.now();
    const model = tsne.fit(big, { signal: aborted() });
    expect(performance.now() - t0).toBeLessThan(300);
    expect([model.completed, model.nIter]).toEqual([false, 0]);
    expect(tsne.load(tsne.toJSON(model)).kind).toBe('tsne');
  });

  it('k-means skips k-means++ (O(n·k·d)) for random rows, and returns that start, converged: false', () => {
    const model = kmeans.fit(big, { k: 40, seed: 5, signal: aborted() });
    expect([model.converged, model.nIter]).toEqual([false, 0]);
    const random = kmeans.fit(big, { k: 40, seed: 5, init: 'random', nInit: 1, signal: aborted() });
    expect(Array.from(model.centroids.data)).toEqual(Array.from(random.centroids.data));
  });

  it('fitAsync: an abort right after the call stops before the setup', async () => {
    const c = new AbortController();
    const pending = tsne.fitAsync(big, { signal: c.signal });
    c.abort();
    const t0 = performance.now();
    const model = await pending;
    expect(performance.now() - t0).toBeLessThan(300);
    expect(model.completed).toBe(false);
  });
});

describe('wasm.reset releases WebAssembly memory', () => {
  it('a large call grows the memory; reset gives it back and later calls still run on WebAssembly, alike', () => {
    try {
      wasm.initSync();
      wasm.useBackend('wasm');
      const A = { rows: 2000, cols: 16, data: new Float64Array(32000).map((_, i) => (i * 7919) % 101) };
      const small = [[1, 2], [3, 4], [5, 7]];
      const before = Array.from(sqDistances(small).data);
      sqDistances(A);
      const grown = wasm.memoryBytes();
      expect(grown).toBeGreaterThan(2000 * 2000 * 8);
      expect(wasm.reset()).toBe(grown - wasm.memoryBytes());
      expect(wasm.memoryBytes()).toBeLessThan(grown / 10);
      expect(wasm.backend()).toBe('wasm');
      expect(Array.from(sqDistances(small).data)).toEqual(before);
      wasm.useBackend('js');
      expect(wasm.reset()).toBeGreaterThanOrEqual(0);
      expect(wasm.backend()).toBe('js');
    } finally {
      setKernels(undefined);
    }
  });
});
