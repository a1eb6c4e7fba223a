import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fewShot } from '../../src/latent/index.js';
import { errorOf, integers } from './helpers.js';

/** Three tight, well-separated blobs of 20 points in 2-D (rows 0–19, 20–39, 40–59). */
const centres = [[0, 0], [10, 0], [0, 10]];
const noise = integers(120, -100, 100, 3);
const blobs = Array.from({ length: 60 }, (_, i) => centres[Math.floor(i / 20)]!.map((c, j) => c + noise[2 * i + j]! / 100));
const truth = blobs.map((_, i) => [7, 3, 5][Math.floor(i / 20)]!);

describe('fewShot', () => {
  it.each(['nearest', 'cluster', 'spread'] as const)('%s: one landmark per blob labels every row', (method) => {
    const r = fewShot(blobs, [4, 25, 47], [7, 3, 5], { method, ...(method === 'cluster' ? { k: 3 } : {}) });
    expect(Array.from(r.labels)).toEqual(truth);
    expect(Array.from(r.classes)).toEqual([3, 5, 7]);
    r.confidence.forEach((c) => {
      expect(c).toBeGreaterThan(0.5);
      expect(c).toBeLessThanOrEqual(1);
    });
    expect(r.converged).toBe(true);
  });

  it('nearest: the nearest landmark\'s label, confidence d′/(d + d′); k landmarks vote', () => {
    const Z = [[0], [10], [2], [5], [9], [8.5]];
    const r = fewShot(Z, [0, 1], [1, 2], { method: 'nearest' });
    expect(Array.from(r.labels)).toEqual([1, 2, 1, 1, 2, 2]);
    expect(r.confidence[2]).toBeCloseTo(8 / 10, 14); // 2 away from its landmark, 8 from the other
    expect(r.confidence[3]).toBe(0.5); // halfway: a tie, the first landmark's label
    expect(r.confidence[0]).toBe(1);
    // Three voters: at 8.5 the landmarks at 9 and 10 (label 2) outvote the one at 5 (label 1).
    const v = fewShot(Z, [0, 1, 3, 4], [1, 2, 1, 2], { method: 'nearest', k: 3 });
    expect(v.labels[5]).toBe(2);
    expect(v.labels[2]).toBe(1);
    expect(fewShot(Z, [0], [4], { method: 'nearest' }).confidence.every((c) => c === 1)).toBe(true);
  });

  it('nearest with k = 1 equals a brute-force nearest landmark', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 40 }), fc.infiniteStream(fc.nat(4)),
      (Z, draws) => {
        const landmarks = [...new Set(Z.map((_, i) => i).filter((i) => i % 3 === 0))];
        const labels = landmarks.map(() => draws.next().value!);
        const r = fewShot(Z, landmarks, labels, { method: 'nearest' });
        Z.forEach((z, i) => {
          let best = -1, bestD = Infinity;
          landmarks.forEach((l, t) => {
            const dd = Math.sqrt(z.reduce((s, v, j) => s + (v - Z[l]![j]!) ** 2, 0));
            if (dd < bestD) { bestD = dd; best = t; }
          });
          expect(r.labels[i]).toBe(labels[best]);
        });
      },
    ));
  });

  it('cluster: a cluster without landmarks takes the label of the landmark nearest its centroid; seeded', () => {
    // Landmarks in two blobs only: the third blob's cluster gets the nearer blob's label.
    const r = fewShot(blobs, [4, 25], [7, 3], { method: 'cluster', k: 3, seed: 1 });
    expect(Array.from(r.labels.subarray(0, 40))).toEqual(truth.slice(0, 40));
    expect(new Set(r.labels.subarray(40))).toEqual(new Set([7])); // (0, 10) is nearer (0, 0) than (10, 0)
    expect(r.confidence[45]).toBe(0);
    expect(r.confidence[5]).toBe(1);
    const again = fewShot(blobs, [4, 25], [7, 3], { method: 'cluster', k: 3, seed: 1 });
    expect(Array.from(again.labels)).toEqual(Array.from(r.labels));
    // Majority within a cluster: two landmarks say 3, one says 9 (a mislabelled one).
    const m = fewShot(blobs, [20, 21, 22, 0], [3, 3, 9, 7], { method: 'cluster', k: 3, seed: 1 });
    expect(m.labels[30]).toBe(3);
    expect(m.confidence[30]).toBeCloseTo(2 / 3, 14);
    expect(fewShot(blobs, [4, 25, 47], [7, 3, 5], { method: 'cluster' }).labels.length).toBe(60); // default k: 10 per class
  });

  it('spread: with a large α a landmark can be outvoted by its neighbourhood; rows far from all landmarks get class 0', () => {
    // One wrong landmark among right ones in the same blob: α = 0.2 (the default) clamps
    // the given labels, α = 0.95 lets the graph correct it.
    const given = [5, 5, 5, 5, 9, 3];
    expect(fewShot(blobs, [0, 1, 2, 3, 4, 20], given, { method: 'spread', k: 10 }).labels[4]).toBe(9);
    const r = fewShot(blobs, [0, 1, 2, 3, 4, 20], given, { method: 'spread', k: 10, alpha: 0.95 });
    expect(r.labels[4]).toBe(5);
    expect(r.labels[30]).toBe(3);
    expect(r.nIter).toBeGreaterThan(1);
    // A blob without landmarks, disconnected in the kNN graph: zero distributions, the first class.
    const s = fewShot(blobs, [0, 20], [8, 2], { method: 'spread', k: 5 });
    expect(s.labels[50]).toBe(2);
    expect(s.confidence[50]).toBe(0);
    const capped = fewShot(blobs, [0, 20], [8, 2], { method: 'spread', k: 5, maxIter: 1 });
    expect([capped.nIter, capped.converged]).toEqual([1, false]);
  });

  it('clear errors: labels of the wrong length, unknown label values, bad landmarks and options', () => {
    let e = errorOf(() => fewShot(blobs, [0, 1], [1]));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toMatch(/labels: received 1 labels, expected 2/);
    e = errorOf(() => fewShot(blobs, [0, 1], [1, -1]));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/unknown label value.*leave the row out of labelledIndices/);
    expect(errorOf(() => fewShot(blobs, [0, 1], [1, 1.5])).message).toMatch(/entry 1 is 1.5, an unknown label value/);
    expect(errorOf(() => fewShot(blobs, [0, 1], [1, Number.NaN])).code).toBe('INVALID_INPUT');
    expect(errorOf(() => fewShot(blobs, [0, 1], [1, '2' as unknown as number])).code).toBe('INVALID_INPUT');
    expect(errorOf(() => fewShot(blobs, [0, 0], [1, 1])).message).toMatch(/row 0 appears twice/);
    expect(errorOf(() => fewShot(blobs, [0, 60], [1, 1])).message).toMatch(/entry 1 is 60/);
    expect(errorOf(() => fewShot(blobs, [], [])).code).toBe('EMPTY_INPUT');
    expect(errorOf(() => fewShot(blobs, [0], [1], { alpha: 1 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => fewShot(blobs, [0], [1], { k: 61 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => fewShot(blobs, [0], [1], { method: 'nearest', k: 2 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => fewShot(blobs, [0], [1], { method: 'knn' as 'spread' })).message).toMatch(/'nearest', 'cluster', 'spread'/);
    expect(errorOf(() => fewShot([[0, Infinity]], [0], [1])).code).toBe('NON_FINITE');
  });
});
