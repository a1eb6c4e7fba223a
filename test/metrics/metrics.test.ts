import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as metrics from '../../src/metrics/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { errorOf } from '../helpers/errors.js';

/** Labels in [0, k) from a seed (an LCG independent of the library). */
function labelsOf(n: number, k: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % k;
  });
}

/** Renames labels by an injective map to arbitrary integers (negative, large, sparse). */
function rename(labels: number[], salt: number): number[] {
  return labels.map((l) => (l * 7919 + salt) * (l % 2 === 0 ? -1 : 1));
}

/**
 * Σᵢ Σⱼ (r(i, j) − k) over the k nearest neighbours j of row i in the embedding that are not
 * among its k nearest in X, r(i, j) the rank of j among i's neighbours in X (1 = nearest):
 * the penalty of Venna & Kaski's trustworthiness, written from the definition (every
 * neighbour list sorted in full).
 */
function rankPenalty(X: ArrayLike<number>, d: number, E: ArrayLike<number>, e: number, n: number, k: number): number {
  const sq = (A: ArrayLike<number>, w: number, i: number, j: number): number => {
    let s = 0;
    for (let c = 0; c < w; c++) s += (A[i * w + c]! - A[j * w + c]!) ** 2;
    return s;
  };
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    const byX = [...others].sort((a, b) => sq(X, d, i, a) - sq(X, d, i, b));
    const byE = [...others].sort((a, b) => sq(E, e, i, a) - sq(E, e, i, b));
    for (const j of byE.slice(0, k)) {
      const r = byX.indexOf(j) + 1;
      if (r > k) penalty += r - k;
    }
  }
  return penalty;
}

const labelling = fc.record({ n: fc.integer({ min: 2, max: 120 }), k: fc.integer({ min: 1, max: 9 }), seed: fc.integer() });

describe('label metrics', () => {
  it('are invariant to renaming the labels, on either side', () => {
    fc.assert(
      fc.property(labelling, labelling, fc.integer({ min: -1000, max: 1000 }), (a, b, salt) => {
        const t = labelsOf(a.n, a.k, a.seed), p = labelsOf(a.n, b.k, b.seed);
        const t2 = rename(t, salt), p2 = rename(p, salt + 1);
        expect(metrics.adjustedRandIndex(t2, p2)).toBeCloseTo(metrics.adjustedRandIndex(t, p), 12);
        expect(metrics.normalizedMutualInfo(t2, p2)).toBeCloseTo(metrics.normalizedMutualInfo(t, p), 12);
        expect(metrics.homogeneityCompletenessVMeasure(t2, p2).vMeasure).toBeCloseTo(metrics.homogeneityCompletenessVMeasure(t, p).vMeasure, 12);
      }),
    );
  });

  it('a labelling against itself (renamed) scores 1', () => {
    fc.assert(
      fc.property(labelling, fc.integer(), ({ n, k, seed }, salt) => {
        const l = labelsOf(n, k, seed);
        expect(metrics.adjustedRandIndex(l, rename(l, salt))).toBe(1);
        expect(metrics.normalizedMutualInfo(l, rename(l, salt))).toBeCloseTo(1, 12);
        const v = metrics.homogeneityCompletenessVMeasure(l, rename(l, salt));
        expect([v.homogeneity, v.completeness, v.vMeasure].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 1, 1]);
      }),
    );
  });

  it('ARI and NMI are symmetric; homogeneity and completeness swap', () => {
    fc.assert(
      fc.property(labelling, labelling, (a, b) => {
        const t = labelsOf(a.n, a.k, a.seed), p = labelsOf(a.n, b.k, b.seed);
        expect(metrics.adjustedRandIndex(p, t)).toBeCloseTo(metrics.adjustedRandIndex(t, p), 12);
        expect(metrics.normalizedMutualInfo(p, t)).toBeCloseTo(metrics.normalizedMutualInfo(t, p), 12);
        const tp = metrics.homogeneityCompletenessVMeasure(t, p), pt = metrics.homogeneityCompletenessVMeasure(p, t);
        expect(pt.homogeneity).toBeCloseTo(tp.completeness, 12);
        expect(pt.completeness).toBeCloseTo(tp.homogeneity, 12);
      }),
    );
  });

  it('the contingency table stays sparse: 200,000 singletons against themselves', () => {
    const n = 200_000;
    const ids = Array.from({ length: n }, (_, i) => i);
    const reversed = ids.map((i) => n - 1 - i);
    expect(metrics.contingency(ids, reversed).cells.length).toBe(n);
    expect(metrics.adjustedRandIndex(ids, reversed)).toBe(1);
    expect(metrics.normalizedMutualInfo(ids, reversed)).toBeCloseTo(1, 12);
  });

  it('ARI is exact where doubles would overflow 2⁵³ in the pair counts', () => {
    // n = 10⁶ rows in two halves, predicted as four quarters: tp·tn is about 10²³.
    const n = 1_000_000;
    const t = Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const p = Array.from({ length: n }, (_, i) => Math.floor((4 * i) / n));
    // Pairs: tp = 4·C(n/4, 2), fp = 0, fn = 4·(n/4)², tn = C(n, 2)·2 − … (closed form below).
    const q = n / 4;
    const tp = 4 * q * (q - 1), fn = 4 * q * q, fp = 0, tn = n * n - n - tp - fn - fp;
    const expected = (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    expect(metrics.adjustedRandIndex(t, p)).toBeCloseTo(expected, 12);
  });

  it('rejects non-integers and mismatched lengths, naming the argument', () => {
    expect(errorOf(() => metrics.adjustedRandIndex([0, 1.5], [0, 1])).message).toMatch(/^labelsTrue: entry 1/);
    expect(errorOf(() => metrics.adjustedRandIndex([0, 1], [0, 1, 1])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => metrics.normalizedMutualInfo([0], [0], { averageMethod: 'mean' as 'max' })).message).toMatch(/^averageMethod: /);
    expect(errorOf(() => metrics.homogeneityCompletenessVMeasure([0], [0], { beta: -1 })).message).toMatch(/^beta: /);
  });
});

describe.each(backendNames)('geometric metrics on the %s backend', (name) => {
  useBackendFor(name);

  const points = fc.record({ n: fc.integer({ min: 4, max: 90 }), d: fc.integer({ min: 1, max: 20 }), k: fc.integer({ min: 2, max: 6 }), seed: fc.integer() });
  function data({ n, d, k, seed }: { n: number; d: number; k: number; seed: number }): { X: { rows: number; cols: number; data: Float64Array }; labels: number[] } {
    const labels = labelsOf(n, Math.min(k, n - 1), seed);
    // Make sure at least two clusters exist.
    labels[0] = 0;
    labels[1] = 1;
    return { X: { rows: n, cols: d, data: fill(new Float64Array(n * d), seed) }, labels };
  }

  it('are invariant to renaming labels; silhouettes lie in [−1, 1] and do not depend on the block size', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 50 }), (p, chunkSize) => {
        const { X, labels } = data(p);
        const renamed = rename(labels, 3);
        const s = metrics.silhouetteSamples(X, labels);
        expect(s.every((v) => v >= -1 && v <= 1)).toBe(true);
        const blocked = metrics.silhouetteSamples(X, renamed, { chunkSize });
        s.forEach((v, i) => expect(blocked[i]!).toBeCloseTo(v, 12));
        expect(metrics.daviesBouldin(X, renamed)).toBeCloseTo(metrics.daviesBouldin(X, labels), 10);
        expect(metrics.calinskiHarabasz(X, renamed)).toBeCloseTo(metrics.calinskiHarabasz(X, labels), 8);
      }),
      { numRuns: 60 },
    );
  });

  it('silhouetteScore with sampleSize scores a seeded subset', () => {
    const { X, labels } = data({ n: 300, d: 5, k: 3, seed: 4 });
    const a = metrics.silhouetteScore(X, labels, { sampleSize: 120, seed: 1 });
    expect(metrics.silhouetteScore(X, labels, { sampleSize: 120, seed: 1 })).toBe(a);
    expect(metrics.silhouetteScore(X, labels, { sampleSize: 300 })).toBeCloseTo(metrics.silhouetteScore(X, labels), 12);
    expect(errorOf(() => metrics.silhouetteScore(X, labels, { sampleSize: 1 })).message).toMatch(/^sampleSize: /);
  });

  it('need 2 … n − 1 clusters', () => {
    const X = [[0], [1], [2]];
    expect(errorOf(() => metrics.silhouetteScore(X, [4, 4, 4])).message).toMatch(/found 1 distinct label among 3 rows, expected between 2 and 2/);
    expect(errorOf(() => metrics.daviesBouldin(X, [0, 1, 2])).code).toBe('INVALID_INPUT');
    expect(errorOf(() => metrics.calinskiHarabasz(X, [0, 1])).code).toBe('SHAPE_MISMATCH');
  });

  it('trustworthiness is 1 for an isometry, invariant to the block size, and lower for noise by the penalty of its definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 80 }), fc.integer({ min: 2, max: 12 }), fc.integer(), fc.integer({ min: 1, max: 30 }), (n, d, seed, chunkSize) => {
        const X = { rows: n, cols: d, data: fill(new Float64Array(n * d), seed) };
        const k = Math.max(1, Math.min(5, Math.floor((n - 1) / 2)));
        // A rotation by 90° in the first two axes plus a shift keeps every distance.
        const moved = new Float64Array(n * d);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < d; j++) moved[i * d + j] = X.data[i * d + j]! + 3;
          moved[i * d] = -X.data[i * d + 1]!;
          moved[i * d + 1] = X.data[i * d]!;
        }
        expect(metrics.trustworthiness(X, { rows: n, cols: d, data: moved }, { k })).toBeCloseTo(1, 12);
        const noise = { rows: n, cols: 2, data: fill(new Float64Array(n * 2), seed + 1) };
        const t = metrics.trustworthiness(X, noise, { k });
        expect(metrics.trustworthiness(X, noise, { k, chunkSize })).toBeCloseTo(t, 12);
        // Lower by exactly the definition's penalty (random data has no tied ranks).
        const penalty = rankPenalty(X.data, d, noise.data, 2, n, k);
        expect(Math.abs(t - (1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty))).toBeLessThanOrEqual(1e-14);
      }),
      { numRuns: 40 },
    );
    // Noise keeps about as many neighbours as chance: about 0.5 for large n (measured 0.492).
    const X = { rows: 80, cols: 6, data: fill(new Float64Array(480), 3) };
    const t = metrics.trustworthiness(X, { rows: 80, cols: 2, data: fill(new Float64Array(160), 4) }, { k: 5 });
    expect(t).toBeLessThan(0.6);
    expect(errorOf(() => metrics.trustworthiness([[0], [1], [2], [3]], [[0], [1], [2], [3]], { k: 2 })).message).toMatch(/^k: received 2, expected fewer than/);
    expect(errorOf(() => metrics.trustworthiness([[0], [1], [2]], [[0], [1]])).code).toBe('SHAPE_MISMATCH');
  });
});
