// t-SNE quality against scikit-learn 1.2.1's Barnes-Hut t-SNE on PCA-50 of 2,500 MNIST digits
// (test/fixtures/tsne/quality.json, made by make_quality_fixture.py beside it): the same
// digits (checked by SHA-256), the same PCA-50 coordinates (checked up to the sign of each
// component), and a trustworthiness@10 within 0.005 of scikit-learn's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix.js';
import { trustworthiness } from '../../src/metrics/index.js';
import * as pca from '../../src/pca/index.js';
import * as tsne from '../../src/tsne/index.js';
import { useBackendFor } from '../helpers/backends.js';

interface QualityFixture {
  data: { perClass: number; rows: number; cols: number; sha256: string };
  pca: { explainedVariance: number[]; sampleRows: number[]; sample: number[] };
  tsne: { runs: { seed: number; trustworthiness10: number; kl: number }[]; trustworthiness10: { mean: number; min: number; max: number } };
  embedding0: { data: number[]; trustworthiness10: number };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/tsne/quality.json', import.meta.url), 'utf8')) as QualityFixture;

/** The first `perClass` digits of each class of the `mnist` package, class by class, as the fixture script reads them. */
function digits(perClass: number): Matrix<Float64Array> {
  const mnist = createRequire(import.meta.url)('mnist') as { raw: number[] }[];
  const d = 784;
  const data = new Float64Array(10 * perClass * d);
  mnist.forEach((digit, c) => data.set(digit.raw.slice(0, perClass * d), c * perClass * d));
  return { rows: 10 * perClass, cols: d, data };
}

describe('t-SNE quality on PCA-50 of 2,500 MNIST digits, against scikit-learn', () => {
  useBackendFor('wasm');
  const X = digits(fixture.data.perClass);
  const model = pca.fit(X, { nComponents: 50, solver: 'full' });
  const Z = pca.transform(model, X);

  it('reads the digits the fixture was made from', () => {
    const sha = createHash('sha256').update(new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength)).digest('hex');
    expect([X.rows, X.cols]).toEqual([fixture.data.rows, fixture.data.cols]);
    expect(sha).toBe(fixture.data.sha256);
  });

  it('has the PCA-50 coordinates of scikit-learn (up to the sign of each component)', () => {
    expect(Array.from(model.explainedVariance)).toEqual(fixture.pca.explainedVariance.map((v) => expect.closeTo(v, 9)));
    const k = 50;
    let worst = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      fixture.pca.sampleRows.forEach((row, r) => { dot += Z.data[row * k + c]! * fixture.pca.sample[r * k + c]!; });
      const sign = Math.sign(dot);
      fixture.pca.sampleRows.forEach((row, r) => {
        worst = Math.max(worst, Math.abs(sign * Z.data[row * k + c]! - fixture.pca.sample[r * k + c]!));
      });
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('measures trustworthiness@10 as scikit-learn does (on scikit-learn\'s own embedding)', () => {
    const embedding = { rows: X.rows, cols: 2, data: Float64Array.from(fixture.embedding0.data) };
    expect(trustworthiness(Z, embedding, { k: 10 })).toBeCloseTo(fixture.embedding0.trustworthiness10, 9);
  });

  it('reaches scikit-learn\'s trustworthiness@10 within 0.005 (perplexity 30, 1000 iterations)', () => {
    const fit = tsne.fit(Z, { perplexity: 30, nIter: 1000, seed: 0 });
    expect([fit.embedding.rows, fit.embedding.cols]).toEqual([X.rows, 2]);
    expect(fit.embedding.data.every(Number.isFinite)).toBe(true);
    const t = trustworthiness(Z, fit.embedding, { k: 10 });
    expect(Math.abs(t - fixture.tsne.trustworthiness10.mean)).toBeLessThanOrEqual(0.005);
    // The objective ends where scikit-learn's does (its five seeds end at KL 1.199–1.201).
    expect(fit.kl).toBeLessThan(1.1 * Math.max(...fixture.tsne.runs.map((r) => r.kl)));
  });
});
