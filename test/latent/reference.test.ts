// latentspace/latent against scikit-learn 1.2.1 on its digits: NearestNeighbors (brute,
// euclidean and cosine) and LabelSpreading(kernel='knn', alpha=0.2). Fixtures from
// test/fixtures/latent/make_fixtures.py; the inputs are stored in them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fewShot, nearest } from '../../src/latent/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

interface Fixture {
  digits: { rows: number; cols: number; pixels: string; labels: string };
  queries: number[];
  nearest: Record<'euclidean' | 'cosine', { indices: number[][]; distances: number[][] }>;
  pca: { cols: number; codes: string };
  spread: { perClass: number; k: number; labelled: number[]; labels: string; nIter: number; confidence: number[]; accuracy: number }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/latent/sklearn.json', import.meta.url), 'utf8')) as Fixture;
const bytes = (b64: string): Buffer => Buffer.from(b64, 'base64');
const pixels = Float64Array.from(bytes(fx.digits.pixels));
const digits = { rows: fx.digits.rows, cols: fx.digits.cols, data: pixels };
const truth = Array.from(fx.digits.labels, Number);
const codeBytes = bytes(fx.pca.codes);
const codes = {
  rows: fx.digits.rows, cols: fx.pca.cols,
  data: Float64Array.from(new Float32Array(codeBytes.buffer.slice(codeBytes.byteOffset, codeBytes.byteOffset + codeBytes.byteLength))),
};
const queryRows = {
  rows: fx.queries.length, cols: digits.cols,
  data: Float64Array.from(fx.queries.flatMap((q) => Array.from(pixels.subarray(q * digits.cols, (q + 1) * digits.cols)))),
};

describe.each(backendNames)('reference values (%s backend)', (name) => {
  useBackendFor(name);

  it.each(['euclidean', 'cosine'] as const)('nearest equals NearestNeighbors(metric=%s) on the digits, ties aside', (metric) => {
    const ref = fx.nearest[metric];
    const { indices, distances } = nearest(digits, queryRows, { k: 10, metric });
    let tiedPositions = 0;
    fx.queries.forEach((row, q) => {
      // Every row's distance to the query, to know which distances are shared by two rows.
      const all = Array.from({ length: digits.rows }, (_, j) => {
        let s = 0, dot = 0, nx = 0, ny = 0;
        for (let t = 0; t < digits.cols; t++) {
          const x = pixels[row * digits.cols + t]!, y = pixels[j * digits.cols + t]!;
          s += (x - y) ** 2;
          dot += x * y;
          nx += x * x;
          ny += y * y;
        }
        return metric === 'euclidean' ? Math.sqrt(s) : 1 - dot / Math.sqrt(nx * ny);
      });
      const ours = Array.from(indices.subarray(q * 10, q * 10 + 10));
      const dist = Array.from(distances.subarray(q * 10, q * 10 + 10));
      const theirs = ref.indices[q]!, theirDist = ref.distances[q]!;
      for (let t = 0; t < 10; t++) {
        // The same distances, position by position (scikit-learn's cosine goes through a
        // matrix product: a few ulps apart)…
        expect(Math.abs(dist[t]! - theirDist[t]!)).toBeLessThan(1e-12 * Math.max(1, theirDist[t]!));
        // …and the same rows, except where the distance is tied with another row's.
        const tied = all.filter((v) => Math.abs(v - theirDist[t]!) <= 1e-12 * Math.max(1, v)).length > 1;
        if (tied) tiedPositions++;
        else expect(ours[t]).toBe(theirs[t]);
      }
      // Within a tie, ours are in increasing row order.
      for (let t = 1; t < 10; t++) if (dist[t] === dist[t - 1]) expect(ours[t]!).toBeGreaterThan(ours[t - 1]!);
    });
    // The euclidean case really exercises ties (integer pixels); the cosine one hardly.
    if (metric === 'euclidean') expect(tiedPositions).toBeGreaterThan(30);
  });

  it.each(fx.spread)('fewShot spread equals LabelSpreading(kernel="knn", n_neighbors=$k, alpha=0.2): $perClass labelled per class', (c) => {
    const labels = c.labelled.map((i) => truth[i]!);
    const r = fewShot(codes, c.labelled, labels, { method: 'spread', k: c.k, alpha: 0.2 });
    const theirs = Array.from(c.labels, Number);
    const same = theirs.filter((v, i) => v === r.labels[i]).length / theirs.length;
    expect(same).toBeGreaterThanOrEqual(0.99);
    // Step for step the same computation: in fact every label, the iteration count and the
    // label distributions agree.
    expect(same).toBe(1);
    expect(r.nIter).toBe(c.nIter);
    expect(r.converged).toBe(true);
    c.confidence.forEach((v, i) => expect(Math.abs(r.confidence[i]! - v)).toBeLessThan(1e-9));
    const accuracy = truth.filter((v, i) => v === r.labels[i]).length / truth.length;
    expect(Math.abs(accuracy - c.accuracy)).toBeLessThan(1e-12);
  });
});
