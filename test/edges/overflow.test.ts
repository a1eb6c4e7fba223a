// Issue #21, overflow: finite data whose squares or sums overflow is either computed safely
// (scaled by a power of two, exactly, as BLAS dnrm2 and LAPACK dlascl do) or refused with
// OUT_OF_RANGE naming the user's argument — never a NaN/Infinity result, never NON_FINITE.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as kmeans from '../../src/kmeans/index.js';
import * as pca from '../../src/pca/index.js';
import * as tsne from '../../src/tsne/index.js';
import { sqDistances } from '../../src/linalg/distances.js';
import { calinskiHarabasz, daviesBouldin, silhouetteScore, trustworthiness } from '../../src/metrics/index.js';
import { onBothBackends } from '../helpers/backends.js';
import { errorOf, expectClose, expectFinite, hugeExponent, intMatrix, ldexp, scaled, scaledArray, subnormalExponent } from './scaled.js';

describe('k-means near the top of float64', () => {
  it('the issue\'s repro: [[1e308], [1e308], [0], [1]] with k = 2', () => {
    onBothBackends(() => {
      const m = kmeans.fit([[1e308], [1e308], [0], [1]], { k: 2 });
      expect(Array.from(m.centroids.data).sort((a, b) => a - b)).toEqual([0.5, 1e308]);
      expect(m.inertia).toBe(0.5);
      expect(m.labels[0]).toBe(m.labels[1]);
      expect(m.labels[2]).toBe(m.labels[3]);
      expect(m.labels[0]).not.toBe(m.labels[2]);
      const mb = kmeans.miniBatch([[1e308], [1e308], [0], [1]], { k: 2, batchSize: 4 });
      expect(mb.inertia).toBe(0.5);
    });
  });

  it('sampleWeight summing past float64 is refused by name (not a NaN centroid)', () => {
    const e = errorOf(() => kmeans.fit([[0], [1], [2]], { k: 2, sampleWeight: [1e308, 1e308, 1] }));
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.message).toMatch(/^sampleWeight:/);
  });

  it('an inertia beyond float64 is OUT_OF_RANGE naming X, not NON_FINITE', () => {
    const e = errorOf(() => kmeans.fit([[1e200], [-1e200], [0], [1]], { k: 2 }));
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.message).toMatch(/^X: /);
    expect(e.message).not.toMatch(/impute/);
  });

  it('fit(2^k·X) = 2^k·fit(X): the same labels, centroids scaled, inertia scaled by 4^k', () => {
    const shape = fc.tuple(fc.integer({ min: 4, max: 12 }), fc.integer({ min: 1, max: 3 }));
    const exponent = fc.oneof(fc.integer({ min: 300, max: 500 }), fc.integer({ min: -1000, max: -700 }));
    fc.assert(fc.property(shape.chain(([n, d]) => intMatrix(n, d)), exponent, (X, k) => {
      const distinct = new Set(X.map((r) => r.join())).size;
      if (distinct < 2) return;
      const ref = kmeans.fit(X, { k: 2, seed: 3 });
      const [js, wasm] = onBothBackends(() => kmeans.fit(scaled(X, k), { k: 2, seed: 3 }));
      for (const m of [js, wasm]) {
        expect(Array.from(m.labels)).toEqual(Array.from(ref.labels));
        expectClose(m.centroids.data, scaledArray(ref.centroids.data, k), 1e-12);
        expect(m.inertia).toBeCloseTo(ldexp(ref.inertia, 2 * k), -Math.floor(Math.log10(Math.max(1e-300, ldexp(ref.inertia, 2 * k)))) + 10);
        expectClose(kmeans.transform(m, scaled(X, k)).data, scaledArray(kmeans.transform(ref, X).data, k), 1e-9);
        expect(Array.from(kmeans.predict(m, scaled(X, k)))).toEqual(Array.from(m.labels));
      }
    }), { numRuns: 40 });
  });
});

describe('PCA near the top of float64', () => {
  it('the issue\'s repro: [[1e154, 0], [-1e154, 1], [0, 2]]', () => {
    onBothBackends(() => {
      const m = pca.fit([[1e154, 0], [-1e154, 1], [0, 2]]);
      expectFinite(m.explainedVariance);
      expect(m.explainedVariance[0]! / 1e308).toBeCloseTo(1, 12);
    });
  });

  it('variances beyond float64 are OUT_OF_RANGE naming X', () => {
    const e = errorOf(() => pca.fit([[1e200, 0], [-1e200, 1], [0, 2]]));
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.message).toMatch(/^X: /);
  });

  it('fit(2^k·X) for k near 500: the components of fit(X), variances times 4^k', () => {
    const shape = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 }));
    fc.assert(fc.property(shape.chain(([m, n]) => intMatrix(m, n)), fc.integer({ min: 490, max: 505 }), (X, k) => {
      const ref = pca.fit(X);
      const [js, wasm] = onBothBackends(() => pca.fit(scaled(X, k)));
      for (const m of [js, wasm]) {
        expectClose(m.explainedVariance, scaledArray(ref.explainedVariance, 2 * k), 1e-9);
        expectClose(m.singularValues, scaledArray(ref.singularValues, k), 1e-9);
        expectClose(pca.transform(m, scaled(X, k)).data, scaledArray(pca.transform(ref, X).data, k), 1e-9, 1e-9 * 2 ** k);
      }
    }), { numRuns: 40 });
  });
});

describe('metrics at 1e200 and at subnormal scales: ratios of distances, scale-free', () => {
  const X = [[0, 0], [1, 0], [0, 1], [9, 9], [10, 9], [9, 10], [4, 5]];
  const labels = [0, 0, 0, 1, 1, 1, 0];

  it('the issue\'s repro: silhouette and Calinski-Harabasz at 1e200 are finite', () => {
    const big = [[1e200, 0], [1.1e200, 0], [-1e200, 0], [-1.1e200, 0]];
    expect(silhouetteScore(big, [0, 0, 1, 1])).toBeCloseTo(silhouetteScore([[1, 0], [1.1, 0], [-1, 0], [-1.1, 0]], [0, 0, 1, 1]), 12);
    expect(Number.isFinite(calinskiHarabasz(big, [0, 0, 1, 1]))).toBe(true);
  });

  it('every scale-free metric of 2^k·X equals that of X', () => {
    fc.assert(fc.property(fc.oneof(hugeExponent, subnormalExponent), (k) => {
      const Xs = scaled(X, k);
      onBothBackends(() => {
        expect(silhouetteScore(Xs, labels)).toBeCloseTo(silhouetteScore(X, labels), 12);
        expect(calinskiHarabasz(Xs, labels)).toBeCloseTo(calinskiHarabasz(X, labels), 9);
        expect(daviesBouldin(Xs, labels)).toBeCloseTo(k < 0 ? 0 : daviesBouldin(X, labels), 12);
        expect(trustworthiness(Xs, scaled(X.map((r) => [r[0]!]), k), { k: 2 })).toBeCloseTo(trustworthiness(X, X.map((r) => [r[0]!]), { k: 2 }), 12);
      });
    }), { numRuns: 30 });
  });
});

describe('sqDistances: beyond float64 refused, near it scaled', () => {
  it('the issue\'s repro: 1e200 apart is OUT_OF_RANGE naming A, B', () => {
    const e = errorOf(() => sqDistances([[1e200, 0]], [[-1e200, 0]]));
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.message).toMatch(/^A, B: /);
  });

  it('sqDistances(2^k·A, 2^k·B) = 4^k·sqDistances(A, B) wherever that is finite', () => {
    const exponent = fc.oneof(fc.integer({ min: 490, max: 512 }), fc.integer({ min: -520, max: -300 }));
    fc.assert(fc.property(intMatrix(5, 3), intMatrix(4, 3), exponent, (A, B, k) => {
      const want = scaledArray(sqDistances(A, B).data, 2 * k);
      const [js, wasm] = onBothBackends(() => {
        try {
          return sqDistances(scaled(A, k), scaled(B, k)).data;
        } catch (e) {
          expect(errorOf(() => { throw e; }).code).toBe('OUT_OF_RANGE');
          return undefined;
        }
      });
      const representable = want.every(Number.isFinite);
      for (const got of [js, wasm]) {
        expect(got !== undefined).toBe(representable);
        if (got !== undefined) expectClose(got, want, 1e-14);
      }
    }), { numRuns: 80 });
  });
});

describe('t-SNE options that would blow the map up', () => {
  const X = Array.from({ length: 12 }, (_, i) => [i % 3, Math.floor(i / 3), (i * 7) % 5]);
  it.each(['learningRate', 'earlyExaggeration'] as const)('%s: 1e300 is INVALID_OPTION naming the limit', (option) => {
    const e = errorOf(() => tsne.fit(X, { perplexity: 2, [option]: 1e300 }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(new RegExp(`^${option}: .*\\b1000000|^${option}: .*\\b10000\\b`));
  });

  it('optimize and transform: exaggeration and learningRate 1e300 are INVALID_OPTION', () => {
    const model = tsne.fit(X, { perplexity: 2, nIter: 20, seed: 1 });
    expect(errorOf(() => tsne.optimize(model, { exaggeration: 1e300 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => tsne.optimize(model, { learningRate: 1e300 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => tsne.transform(model, [[0, 0, 0]], { learningRate: 1e300 })).code).toBe('INVALID_OPTION');
  });

  it('the largest accepted values give a finite map or OUT_OF_RANGE, and no hang', () => {
    for (const method of ['exact', 'barnes-hut', 'fft'] as const) {
      try {
        const m = tsne.fit(X, { perplexity: 2, nIter: 60, method, nComponents: method === 'fft' ? 1 : 2, learningRate: 1e6, earlyExaggeration: 1e4, seed: 1 });
        expectFinite(m.embedding.data);
        expect(Number.isFinite(m.kl)).toBe(true);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('OUT_OF_RANGE');
      }
    }
  });
});
