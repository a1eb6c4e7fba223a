// latentspace -> scikit-learn: models we fitted on the digits (export-models.ts), saved with
// toJSON (latentspace-models.json), loaded into scikit-learn 1.2.1 by
// scripts/sklearn_export.py's from_latentspace; scikit-learn's outputs on the 32 held-out
// digits (make_fixtures.py) must equal ours. Then the full circle: scikit-learn's
// estimator exported again and read by fromSklearn gives our model back.
import { describe, expect, test } from 'vitest';
import { fromJSON, toJSON } from '../../src/core/json.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as pca from '../../src/pca/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { evaluation, expectClose, expectRelative, expectSameBits, fixture, fixtureText, ourModels } from './fixture.js';

const TOL = 1e-12;
const TOL32 = 2e-6;

const pcaCases = fixture.reverse.filter((c) => (ourModels[c.model] as { kind: string }).kind === 'pca');
const kmeansCases = fixture.reverse.filter((c) => (ourModels[c.model] as { kind: string }).kind === 'kmeans');

test('every model of latentspace-models.json went through scikit-learn', () => {
  expect(fixture.reverse.map((c) => c.model)).toEqual(Object.keys(ourModels));
  expect(pcaCases.map((c) => c.estimator)).toEqual(['PCA', 'PCA', 'PCA', 'PCA']);
  expect(kmeansCases.map((c) => c.estimator)).toEqual(['KMeans', 'KMeans', 'MiniBatchKMeans']);
  const solvers = pcaCases.map((c) => pca.load(ourModels[c.model]!).solver);
  expect(new Set(solvers)).toEqual(new Set(['covariance', 'randomized', 'incremental']));
  expect(pca.load(ourModels['pca-whiten']!).whiten).toBe(true);
});

test('the committed models still load from their text, with their dtypes', () => {
  const text = fixtureText('latentspace-models.json');
  const models = (fromJSON(text) as { models: Record<string, object> }).models;
  for (const c of fixture.reverse) {
    const model = models[c.model]!;
    const loaded = (model as { kind: string }).kind === 'pca' ? pca.load(toJSON(model)).components.data : kmeans.load(toJSON(model)).centroids.data;
    expect(loaded).toBeInstanceOf(c.dtype === 'float32' ? Float32Array : Float64Array);
  }
});

describe.each(backendNames)('scikit-learn gives our outputs (%s backend)', (name) => {
  useBackendFor(name);

  describe.each(pcaCases)('pca model $model', (c) => {
    const model = pca.load(ourModels[c.model]!);
    const X = evaluation(c.dtype === 'float32');
    const tol = c.dtype === 'float32' ? TOL32 : TOL;

    test(`transform, inverseTransform, score and scoreSamples to ${tol} relative`, () => {
      expectClose(pca.transform(model, X), c.outputs.transform, tol);
      expectClose(pca.inverseTransform(model, c.outputs.transform), c.outputs.inverseTransform!, tol);
      expectRelative(pca.score(model, X), c.outputs.score, tol);
      expectClose(pca.scoreSamples(model, X), Float64Array.from(c.outputs.scoreSamples!), tol);
    });
  });

  describe.each(kmeansCases)('kmeans model $model', (c) => {
    const model = kmeans.load(ourModels[c.model]!);
    const X = evaluation(c.dtype === 'float32');
    const tol = c.dtype === 'float32' ? TOL32 : TOL;

    test(`identical labels; transform and score to ${tol} relative`, () => {
      expect(Array.from(kmeans.predict(model, X))).toEqual(Array.from(c.outputs.predict!));
      expectClose(kmeans.transform(model, X), c.outputs.transform, tol);
      expectRelative(kmeans.score(model, X), c.outputs.score, tol);
    });
  });
});

describe('the full circle: ours -> scikit-learn -> ours', () => {
  test.each(pcaCases)('pca model $model: the arrays come back bit for bit', (c) => {
    const before = pca.load(ourModels[c.model]!);
    const after = pca.fromSklearn(c.exportedAgain);
    expectSameBits(after.components.data, before.components.data);
    expectSameBits(after.mean, before.mean);
    expectSameBits(after.explainedVariance, before.explainedVariance);
    expectSameBits(after.explainedVarianceRatio, before.explainedVarianceRatio);
    expectSameBits(after.singularValues, before.singularValues);
    expect([after.noiseVariance, after.nSamples, after.nFeatures, after.whiten]).toEqual([before.noiseVariance, before.nSamples, before.nFeatures, before.whiten]);
    // Not carried: scikit-learn keeps no total variance (derived again) and knows only its
    // own solvers (covariance and incremental come back as 'full'). The total is summed
    // from the stored variances, float32 in a float32 model.
    expectRelative(after.totalVariance, before.totalVariance, c.dtype === 'float32' ? 1e-6 : 1e-12);
    expect(after.solver).toBe(before.solver === 'randomized' ? 'randomized' : 'full');
  });

  test.each(kmeansCases)('kmeans model $model: centroids, labels, inertia and counts come back', (c) => {
    const before = kmeans.load(ourModels[c.model]!);
    const after = kmeans.fromSklearn(c.exportedAgain);
    expectSameBits(after.centroids.data, before.centroids.data);
    expectSameBits(after.labels, before.labels);
    expectSameBits(after.counts, before.counts);
    expect([after.inertia, after.nIter]).toEqual([before.inertia, before.nIter]);
    // scikit-learn has no Hamerly; elkan stays elkan. A mini-batch model has no pass count
    // (n_iter_) in scikit-learn, so whether it converged is not known on the way back.
    expect(after.algorithm).toBe(before.algorithm === 'hamerly' ? 'lloyd' : before.algorithm);
    expect(after.converged).toBe(before.algorithm === 'minibatch' ? false : before.converged);
  });
});
