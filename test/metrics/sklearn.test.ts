import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as metrics from '../../src/metrics/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

// Fixtures: scikit-learn's own metrics on small inputs (test/fixtures/metrics/make_fixtures.py).
function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8')) as T;
}

interface LabelCase {
  name: string;
  labelsTrue: number[];
  labelsPred: number[];
  ari: number;
  nmi: Record<metrics.AverageMethod, number>;
  hcv: [number, number, number];
  hcvBeta2: [number, number, number];
}
interface GeometryCase {
  name: string;
  X: number[][];
  labels: number[];
  silhouetteSamples: number[];
  silhouetteScore: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
}
interface TrustFixture {
  X: number[][];
  embeddings: Record<string, number[][]>;
  cases: { embedding: string; k: number; trustworthiness: number }[];
}

const labels = fixture<{ cases: LabelCase[] }>('labels.json').cases;
const rawGeometry = fixture<{ cases: GeometryCase[] }>('geometry.json').cases;
// scikit-learn measures the offset blobs (X + 10⁴) with ‖a‖² + ‖b‖² − 2a·b on uncentred
// data, which loses ~1e-8 to cancellation; we centre first, so the exact reference is the
// same blobs without the offset (distances are translation invariant).
const plainBlobs = rawGeometry.find((g) => g.name === 'blobs, true labels')!;
const geometry = rawGeometry.map((c) => (c.name === 'offset blobs' ? { ...plainBlobs, name: c.name, X: c.X } : c));
const trust = fixture<TrustFixture>('trustworthiness.json');

/** |a − b| within 1e-12 relative, 1e-14 absolute. */
function close(a: number, b: number, rel = 1e-12): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b) + 1e-14);
}

describe.each(labels)('label metrics: $name', (c) => {
  test('adjustedRandIndex', () => close(metrics.adjustedRandIndex(c.labelsTrue, c.labelsPred), c.ari));
  test.each(['arithmetic', 'geometric', 'min', 'max'] as const)('normalizedMutualInfo (%s)', (averageMethod) => {
    close(metrics.normalizedMutualInfo(c.labelsTrue, c.labelsPred, { averageMethod }), c.nmi[averageMethod]);
  });
  test('homogeneityCompletenessVMeasure, β = 1 and 2', () => {
    const r1 = metrics.homogeneityCompletenessVMeasure(c.labelsTrue, c.labelsPred);
    const r2 = metrics.homogeneityCompletenessVMeasure(c.labelsTrue, c.labelsPred, { beta: 2 });
    [r1.homogeneity, r1.completeness, r1.vMeasure].forEach((v, i) => close(v, c.hcv[i]!));
    [r2.homogeneity, r2.completeness, r2.vMeasure].forEach((v, i) => close(v, c.hcvBeta2[i]!));
  });
});

describe.each(backendNames)('geometric metrics (%s backend)', (name) => {
  useBackendFor(name);

  describe.each(geometry)('$name', (c) => {
    test('silhouetteSamples, in one block and in blocks of 5 rows', () => {
      for (const chunkSize of [undefined, 5]) {
        const s = metrics.silhouetteSamples(c.X, c.labels, chunkSize === undefined ? undefined : { chunkSize });
        c.silhouetteSamples.forEach((v, i) => close(s[i]!, v, 1e-9));
      }
    });
    test('silhouetteScore', () => close(metrics.silhouetteScore(c.X, c.labels), c.silhouetteScore, 1e-9));
    test('daviesBouldin', () => close(metrics.daviesBouldin(c.X, c.labels), c.daviesBouldin, 1e-9));
    test('calinskiHarabasz', () => close(metrics.calinskiHarabasz(c.X, c.labels), c.calinskiHarabasz, 1e-9));
  });

  test.each(trust.cases)('trustworthiness: $embedding, k = $k', (c) => {
    for (const chunkSize of [undefined, 7]) {
      const t = metrics.trustworthiness(trust.X, trust.embeddings[c.embedding]!, chunkSize === undefined ? { k: c.k } : { k: c.k, chunkSize });
      close(t, c.trustworthiness, 1e-12);
    }
  });
});
