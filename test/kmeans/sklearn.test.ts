import { describe, expect, test } from 'vitest';
import * as kmeans from '../../src/kmeans/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { fixture, mnistDigits, rowsOf } from './data.js';

interface MnistFixture {
  source: string;
  k: number;
  cases: { seed: number; init: number[]; lloyd: { nIter: number; inertia: number; labels: string } }[];
}

interface SmallCase {
  name: string;
  dtype: 'float64' | 'float32';
  X: number[][];
  weights: number[] | null;
  init: number[][];
  labels: number[];
  centroids: number[][];
  inertia: number;
  nIter: number;
}

const mnist = fixture<MnistFixture>('mnist-lloyd.json');
const small = fixture<{ source: string; cases: SmallCase[] }>('small.json');
const algorithms = ['lloyd', 'elkan', 'hamerly'] as const;

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe.each(backendNames)('scikit-learn agreement (%s backend)', (name) => {
  useBackendFor(name);

  // Fixture: scikit-learn's KMeans(init=X[init], n_init=1, algorithm='lloyd') on all
  // 10,000 digits of the `mnist` package, k = 10 (see test/fixtures/kmeans/make_fixtures.py).
  describe.each(mnist.cases)('MNIST k = 10, k-means++ start of seed $seed', (c) => {
    test.each(algorithms)('%s: same labels, inertia to 1e-9, same iterations', (algorithm) => {
      const X = mnistDigits();
      const model = kmeans.fit(X, { init: rowsOf(X, c.init), algorithm });
      expect(relative(model.inertia, c.lloyd.inertia)).toBeLessThan(1e-9);
      expect(Array.from(model.labels).join('')).toBe(c.lloyd.labels);
      expect(model.nIter).toBe(c.lloyd.nIter);
      expect(model.converged).toBe(true);
      expect(model.algorithm).toBe(algorithm);
    });
  });

  describe.each(small.cases)('$name', (c) => {
    test.each(algorithms)('%s: labels, centroids, inertia and iterations', (algorithm) => {
      const X = c.dtype === 'float32' ? { rows: c.X.length, cols: c.X[0]!.length, data: Float32Array.from(c.X.flat()) } : c.X;
      const init = c.dtype === 'float32' ? { rows: c.init.length, cols: c.init[0]!.length, data: Float32Array.from(c.init.flat()) } : c.init;
      const model = kmeans.fit(X, { init, algorithm, ...(c.weights ? { sampleWeight: c.weights } : {}) });
      const tol = c.dtype === 'float32' ? 1e-5 : 1e-9;
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(model.nIter).toBe(c.nIter);
      expect(relative(model.inertia, c.inertia)).toBeLessThan(tol);
      expect(model.centroids.data instanceof (c.dtype === 'float32' ? Float32Array : Float64Array)).toBe(true);
      c.centroids.flat().forEach((v, p) => expect(Math.abs(model.centroids.data[p]! - v)).toBeLessThan(tol * (1 + Math.abs(v))));
    });
  });
});
