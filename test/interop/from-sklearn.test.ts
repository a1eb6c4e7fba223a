// scikit-learn -> latentspace: models fitted by scikit-learn 1.2.1 on the digits, exported
// by scripts/sklearn_export.py, read by each module's fromSklearn, and compared with
// scikit-learn's own outputs on 32 held-out digits (test/fixtures/interop/make_fixtures.py).
import { describe, expect, test } from 'vitest';
import { toJSON } from '../../src/core/json.js';
import type { Matrix } from '../../src/core/matrix.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as omp from '../../src/omp/index.js';
import * as pca from '../../src/pca/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import {
  caseNamed, evaluation, expectClose, expectRelative, expectSameBits, fixture, fixtureText, type Case,
} from './fixture.js';

const TOL = 1e-12;
/** float32 models: scikit-learn computes in float32 (sgemm), we in float64 then round. */
const TOL32 = 2e-6;

const pcaCases = fixture.cases.filter((c) => c.export.estimator.endsWith('PCA'));
const kmeansCases = fixture.cases.filter((c) => c.export.estimator.endsWith('KMeans'));

function attribute<T>(c: Case, name: string): T {
  return c.export.attributes[name] as T;
}

test('the fixture covers PCA with and without whitening, IncrementalPCA, KMeans and MiniBatchKMeans', () => {
  expect(fixture.sklearn).toBe('1.2.1');
  expect(pcaCases.map((c) => c.name)).toEqual(['PCA', 'PCA whiten (randomized)', 'PCA float32', 'IncrementalPCA']);
  expect(kmeansCases.map((c) => c.name)).toEqual(['KMeans', 'KMeans elkan float32', 'MiniBatchKMeans']);
  expect(caseNamed(pcaCases, 'PCA whiten (randomized)').export.params.whiten).toBe(true);
});

describe.each(backendNames)('imported models give scikit-learn\'s outputs (%s backend)', (name) => {
  useBackendFor(name);

  describe.each(pcaCases)('$name', (c) => {
    const model = pca.fromSklearn(toJSON(c.export));
    const X = evaluation(c.float32);
    const tol = c.float32 ? TOL32 : TOL;

    test('the arrays are scikit-learn\'s, bit for bit, in its dtype', () => {
      expectSameBits(model.components.data, attribute<Matrix>(c, 'components_').data);
      expectSameBits(model.mean, attribute(c, 'mean_'));
      expectSameBits(model.explainedVariance, attribute(c, 'explained_variance_'));
      expectSameBits(model.singularValues, attribute(c, 'singular_values_'));
      expect(model.components.data).toBeInstanceOf(c.float32 ? Float32Array : Float64Array);
      expect(model.noiseVariance).toBe(attribute(c, 'noise_variance_'));
      expect(model.whiten).toBe(c.export.params.whiten);
      expect(model.nSamples).toBe(fixture.trainRows);
      expect(model.solver).toBe(c.export.estimator === 'IncrementalPCA' ? 'incremental' : c.name.includes('randomized') ? 'randomized' : 'full');
    });

    test(`transform and inverseTransform equal scikit-learn's to ${tol} relative`, () => {
      expectClose(pca.transform(model, X), c.outputs.transform, tol);
      expectClose(pca.inverseTransform(model, c.outputs.transform), c.outputs.inverseTransform!, tol);
    });

    test(`score and scoreSamples equal scikit-learn's probabilistic PCA likelihood to ${tol}`, () => {
      expectRelative(pca.score(model, X), c.outputs.score, tol);
      // scoreSamples is float64 for every model; scikit-learn's follows the data's dtype.
      expectClose(pca.scoreSamples(model, X), Float64Array.from(c.outputs.scoreSamples!), tol);
    });
  });

  describe.each(kmeansCases)('$name', (c) => {
    const model = kmeans.fromSklearn(toJSON(c.export));
    const X = evaluation(c.float32);

    test('centroids and labels are scikit-learn\'s, bit for bit, in its dtype', () => {
      expectSameBits(model.centroids.data, attribute<Matrix>(c, 'cluster_centers_').data);
      expectSameBits(model.labels, attribute(c, 'labels_'));
      expect(model.inertia).toBe(attribute(c, 'inertia_'));
      expect(Object.isFrozen(model)).toBe(true);
    });

    test('predict gives identical labels; transform and score equal scikit-learn\'s', () => {
      const tol = c.float32 ? TOL32 : TOL;
      expect(Array.from(kmeans.predict(model, X))).toEqual(Array.from(c.outputs.predict!));
      expectClose(kmeans.transform(model, X), c.outputs.transform, tol);
      expectRelative(kmeans.score(model, X), c.outputs.score, tol);
    });
  });
});

describe('fields scikit-learn does not keep are derived', () => {
  test('PCA: totalVariance from noise_variance_; equal to the ratio explained_variance_ / explained_variance_ratio_', () => {
    for (const c of pcaCases) {
      const model = pca.fromSklearn(c.export);
      const ratio = model.explainedVariance[0]! / model.explainedVarianceRatio[0]!;
      expectRelative(model.totalVariance, ratio, c.float32 ? 1e-6 : 1e-12);
    }
  });

  test('KMeans: counts are cluster sizes, converged is n_iter_ < max_iter, the algorithm is kept', () => {
    const c = caseNamed(kmeansCases, 'KMeans');
    const model = kmeans.fromSklearn(c.export);
    const sizes = new Float64Array(model.centroids.rows);
    for (const l of model.labels) sizes[l]! += 1;
    expect(Array.from(model.counts)).toEqual(Array.from(sizes));
    expect(model.nIter).toBe(attribute(c, 'n_iter_'));
    expect(model.converged).toBe(true);
    expect(model.algorithm).toBe('lloyd');
    expect(kmeans.fromSklearn(caseNamed(kmeansCases, 'KMeans elkan float32').export).algorithm).toBe('elkan');
  });

  test('MiniBatchKMeans: counts are its _counts, nIter its n_steps_; partialFit continues it', () => {
    const c = caseNamed(kmeansCases, 'MiniBatchKMeans');
    const model = kmeans.fromSklearn(c.export);
    expectSameBits(model.counts, attribute(c, '_counts'));
    expect(model.nIter).toBe(attribute(c, 'n_steps_'));
    expect(model.algorithm).toBe('minibatch');
    const next = kmeans.partialFit(model, evaluation(false));
    expect(next.nIter).toBe(model.nIter + 1);
  });

  test('IncrementalPCA: partialFit continues it with our own update', () => {
    const model = pca.fromSklearn(caseNamed(pcaCases, 'IncrementalPCA').export);
    const next = pca.partialFit(model, evaluation(false));
    expect(next.nSamples).toBe(model.nSamples + 32);
    expect(next.totalVariance).toBeGreaterThan(0);
  });
});

describe('dictionaries', () => {
  const dl = caseNamed(fixture.dictionaries, 'DictionaryLearning');
  const mbdl = caseNamed(fixture.dictionaries, 'MiniBatchDictionaryLearning');

  test.each([dl, mbdl])('$name: ksvd.transform equals scikit-learn\'s transform (OMP)', (c) => {
    const model = ksvd.fromSklearn(c.export);
    const components = c.export.attributes.components_ as Matrix;
    expect(model.dictionary.rows).toBe(components.rows);
    // scikit-learn keeps its atoms at unit norm: they come through unchanged but for rounding.
    expectClose(model.dictionary, { ...components, data: Float64Array.from(components.data) }, 1e-15);
    expect(model.nNonzero).toBe(c.name === 'DictionaryLearning' ? 4 : 6);
    expectClose(ksvd.transform(model, evaluation(false)), c.transform!, TOL);
  });

  test.each(['Lasso', 'OrthogonalMatchingPursuit'])('%s: coef_ rows as unit atoms with their norms; encode equals scikit-learn\'s OMP', (name) => {
    const c = caseNamed(fixture.dictionaries, name);
    const { dictionary, norms, estimator } = omp.fromSklearn(c.export);
    expect(estimator).toBe(name);
    expectClose(norms, c.norms, 1e-15);
    const coef = c.export.attributes.coef_;
    const raw = coef instanceof Float64Array ? coef : (coef as Matrix).data;
    const rebuilt = Float64Array.from(dictionary.data, (v, p) => v * norms[Math.floor(p / dictionary.cols)]!);
    expectClose(rebuilt, Float64Array.from(raw), 1e-15);
    expectClose(omp.encode(dictionary, evaluation(false), { nNonzero: c.nNonzero! }).codes, c.codes!, TOL);
  });

  test('omp.fromSklearn also reads a DictionaryLearning export', () => {
    const { dictionary, estimator } = omp.fromSklearn(dl.export);
    expect(estimator).toBe('DictionaryLearning');
    expect(dictionary.rows).toBe(16);
  });
});

test('the command line\'s output, byte for byte, is read from its text', () => {
  const model = pca.fromSklearn(fixtureText('pca-cli.json'));
  const full = caseNamed(pcaCases, 'PCA');
  expect(model.components.rows).toBe(5);
  // The same full SVD of the same data: the first 5 of the 20 components, bit for bit.
  expectSameBits(model.components.data, attribute<Matrix>(full, 'components_').data.subarray(0, 5 * 64));
  expectClose(pca.transform(model, evaluation(false)), firstColumns(full.outputs.transform, 5), TOL);
});

function firstColumns(m: Matrix, k: number): Matrix {
  const data = new Float64Array(m.rows * k);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < k; j++) data[i * k + j] = m.data[i * m.cols + j]!;
  return { rows: m.rows, cols: k, data };
}
