// One descriptor per public estimator or iterative function: the module joins the contract
// (checks.ts) by being listed here. Data and options are small so that the whole suite runs
// in seconds; the options of each are those of a quick run, with a seed.
import * as ad from '../../src/autodiff/index.js';
import { isMatrix, type Matrix } from '../../src/core/matrix.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as latent from '../../src/latent/index.js';
import * as pca from '../../src/pca/index.js';
import * as som from '../../src/som/index.js';
import * as tsne from '../../src/tsne/index.js';
import * as units from '../../src/units/index.js';
import * as vae from '../../src/vae/index.js';
import type { Descriptor, Rows } from './checks.js';

/** 30 rows of 4 features in three loose groups (deterministic). */
function groups(): Rows {
  return Array.from({ length: 30 }, (_, i) => {
    const c = i % 3;
    return [3 * c + Math.sin(i), 2 * c + Math.cos(1.3 * i), Math.sin(0.7 * i) - c, Math.cos(0.5 * i)];
  });
}

/** The same, in [0, 1] (a Bernoulli VAE's data). */
function unitGroups(): Rows {
  return groups().map((r) => r.map((v) => Math.min(1, Math.max(0, (v + 3) / 10))));
}

const first = (X: Rows): number[] => X[0] ?? [];
const second = (X: Rows): number[] => X[1] ?? [];
/** The rows cut or padded with zeros to `width` columns (codes of a model's width). */
const widthOf = (X: Rows, width: number): Rows => X.map((r) => r.concat(new Array(Math.max(0, width - r.length)).fill(0)).slice(0, width));
const M = (x: unknown) => x as never;

/** Rows as a Matrix without validating them (the function under test must). */
function rawMatrix(X: unknown): Matrix {
  if (isMatrix(X)) return X;
  const rows = X as Rows;
  return { rows: rows.length, cols: rows[0]?.length ?? 0, data: Float64Array.from(rows.flat()) };
}

// --- the learned half: a small regression for autodiff's train, a tiny net for units ---------

/** Data for train: x the rows, y each row's sum. */
function dataset(X: unknown): { x: Matrix; y: Matrix } {
  const x = rawMatrix(X);
  const y = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) y[i]! += x.data[i * x.cols + j]!;
  return { x, y: { rows: x.rows, cols: 1, data: y } };
}
const regression = (p: { w: Matrix }, b: { x: Matrix; y: Matrix }) => ad.mse(ad.matmul(b.x, p.w), b.y);
const weights = () => ({ w: { rows: 4, cols: 1, data: new Float64Array([0.1, -0.2, 0.3, 0]) } });

const net = ad.mlp.init([4, 3], { seed: 0, dtype: 'float64' });
const objective = units.dot([1, 0, -1]);
/** visualize's options with the rows as its starting inputs (options that are not an object pass as they are). */
const withInit = (X: unknown, o: unknown) => (o !== null && typeof o === 'object' ? { ...o, init: M(X) } : M(o));

const kmeansUses = [
  { name: 'predict', call: (m: unknown, X: Rows) => kmeans.predict(M(m), X) },
  { name: 'transform', call: (m: unknown, X: Rows) => kmeans.transform(M(m), X) },
  { name: 'score', call: (m: unknown, X: Rows) => kmeans.score(M(m), X) },
  { name: 'partialFit', call: (m: unknown, X: Rows) => kmeans.partialFit(M(m), X) },
];

export const descriptors: readonly Descriptor[] = [
  {
    name: 'pca.fit',
    data: groups,
    options: { nComponents: 2, solver: 'randomized', seed: 1 },
    fit: (X, o) => pca.fit(M(X), o),
    model: {
      load: pca.load,
      matrix: ['components'],
      uses: [
        { name: 'transform', call: (m, X) => pca.transform(M(m), X) },
        { name: 'inverseTransform', call: (m, X) => pca.inverseTransform(M(m), widthOf(X, 2)) },
        { name: 'reconstruct', call: (m, X) => pca.reconstruct(M(m), first(X), [1]) },
        { name: 'score', call: (m, X) => pca.score(M(m), X) },
        { name: 'scoreSamples', call: (m, X) => pca.scoreSamples(M(m), X) },
        { name: 'partialFit', call: (m, X) => pca.partialFit(M(m), X) },
      ],
    },
    float32: { arrays: (r) => { const m = r as pca.PcaModel; return [m.mean, m.components.data, m.explainedVariance, m.singularValues]; }, type: 'float32' },
  },
  {
    name: 'kmeans.fit',
    data: groups,
    options: { k: 3, seed: 1, tol: 0, maxIter: 20 },
    fit: (X, o) => kmeans.fit(M(X), o),
    fitAsync: (X, o) => kmeans.fitAsync(M(X), o),
    steps: (X, o) => kmeans.steps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: { load: kmeans.load, matrix: ['centroids'], uses: kmeansUses, addedLater: ['completed'] },
    float32: { arrays: (r) => [(r as kmeans.KMeansModel).centroids.data], type: 'float32' },
  },
  {
    name: 'kmeans.miniBatch',
    data: groups,
    options: { k: 3, seed: 1, batchSize: 8, maxIter: 3 },
    fit: (X, o) => kmeans.miniBatch(M(X), o),
    fitAsync: (X, o) => kmeans.miniBatchAsync(M(X), o),
    steps: (X, o) => kmeans.miniBatchSteps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: { load: kmeans.load, matrix: ['centroids'], uses: kmeansUses, addedLater: ['completed'] },
    float32: { arrays: (r) => [(r as kmeans.KMeansModel).centroids.data], type: 'float32' },
  },
  {
    name: 'som.fit',
    data: groups,
    options: { width: 3, height: 2, epochs: 4, seed: 1 },
    fit: (X, o) => som.fit(M(X), o),
    fitAsync: (X, o) => som.fitAsync(M(X), o),
    steps: (X, o) => som.steps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: {
      load: som.load,
      matrix: ['weights'],
      uses: [
        { name: 'bmu', call: (m, X) => som.bmu(M(m), X) },
        { name: 'quantizationError', call: (m, X) => som.quantizationError(M(m), X) },
        { name: 'topographicError', call: (m, X) => som.topographicError(M(m), X) },
        { name: 'hitMap', call: (m, X) => som.hitMap(M(m), X) },
        { name: 'labelMap', call: (m, X) => som.labelMap(M(m), X, X.map((_, i) => i % 2)) },
        { name: 'componentPlane', call: (m) => som.componentPlane(M(m), 0), readsX: false },
        { name: 'uMatrix', call: (m) => som.uMatrix(M(m)), readsX: false },
        { name: 'distanceMap', call: (m) => som.distanceMap(M(m)), readsX: false },
        { name: 'latent.valleyPath', call: (m, X) => latent.valleyPath(M(m), first(X), second(X)) },
      ],
    },
    float32: { arrays: (r) => [(r as som.SomModel).weights.data], type: 'float32' },
  },
  {
    name: 'tsne.fit',
    data: groups,
    options: { perplexity: 5, nIter: 12, earlyExaggerationIter: 5, method: 'exact', seed: 1 },
    fit: (X, o) => tsne.fit(M(X), o),
    fitAsync: (X, o) => tsne.fitAsync(M(X), o),
    steps: (X, o) => tsne.steps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: {
      load: tsne.load,
      matrix: ['embedding'],
      uses: [
        { name: 'transform', call: (m, X) => tsne.transform(M(m), X, { nIter: 2 }) },
        { name: 'optimize', call: (m) => tsne.optimize(M(m), { nIter: 2 }), readsX: false },
        { name: 'optimizeSteps', call: (m) => tsne.optimizeSteps(M(m), { nIter: 2 }), readsX: false },
      ],
    },
    float32: { arrays: (r) => [(r as tsne.TsneModel).embedding.data], type: 'float64' },
  },
  {
    name: 'ksvd.fit',
    data: groups,
    options: { nAtoms: 5, nNonzero: 2, maxIter: 4, tol: 0, seed: 1 },
    fit: (X, o) => ksvd.fit(M(X), o),
    fitAsync: (X, o) => ksvd.fitAsync(M(X), o),
    steps: (X, o) => ksvd.steps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: {
      load: ksvd.load,
      matrix: ['dictionary'],
      addedLater: ['completed'],
      uses: [
        { name: 'transform', call: (m, X) => ksvd.transform(M(m), X) },
        { name: 'inverseTransform', call: (m, X) => ksvd.inverseTransform(M(m), widthOf(X, 5)) },
        { name: 'decode', call: (m, X) => ksvd.decode(M(m), first(X)) },
        { name: 'incremental', call: (m, X) => ksvd.incremental(M(m), first(X)) },
        { name: 'query', call: (m, X) => ksvd.query(M(m), widthOf(X, 5), 0) },
      ],
    },
    float32: { arrays: (r) => [(r as ksvd.KsvdModel).dictionary.data, (r as ksvd.KsvdModel).errors], type: 'float64' },
  },
  {
    name: 'autodiff.train',
    data: groups,
    options: { epochs: 2, batchSize: 8, seed: 1 },
    fit: (X, o) => ad.train(regression, weights(), dataset(X), o),
    fitAsync: (X, o) => ad.trainAsync(regression, weights(), dataset(X), o),
    steps: (X, o) => ad.trainSteps(regression, weights(), dataset(X), o),
    flag: { field: 'completed', stopped: false },
  },
  {
    name: 'vae.fit',
    data: unitGroups,
    options: { latent: 2, hidden: [4], epochs: 2, batchSize: 10, seed: 1 },
    fit: (X, o) => vae.fit(M(X), o),
    fitAsync: (X, o) => vae.fitAsync(M(X), o),
    steps: (X, o) => vae.steps(M(X), o),
    flag: { field: 'completed', stopped: false },
    model: {
      load: vae.load,
      matrix: ['weights', 'mean', 'weight'],
      uses: [
        { name: 'encode', call: (m, X) => vae.encode(M(m), X) },
        { name: 'posterior', call: (m, X) => vae.posterior(M(m), first(X)) },
        { name: 'decode', call: (m, X) => vae.decode(M(m), widthOf(X, 2)) },
        { name: 'reconstruct', call: (m, X) => vae.reconstruct(M(m), X) },
        { name: 'sample', call: (m) => vae.sample(M(m), 2, { seed: 1 }), readsX: false },
        { name: 'elbo', call: (m, X) => vae.elbo(M(m), X, { samples: 1 }) },
        { name: 'logLikelihood', call: (m, X) => vae.logLikelihood(M(m), X, { samples: 2 }) },
        { name: 'decodePath', call: (m, X) => vae.decodePath(M(m), widthOf(X, 2)) },
      ],
    },
    float32: { arrays: (r) => [(r as vae.VaeModel).weights.mean.weight.data, (r as vae.VaeModel).weights.decoder[0]!.weight.data], type: 'float32' },
  },
  {
    name: 'latent.nearest',
    data: groups,
    options: { k: 2, metric: 'cosine' },
    fit: (X, o) => latent.nearest(M(X), isMatrix(X) ? M(X) : (X as Rows).slice(0, 4), o),
  },
  {
    name: 'latent.fewShot',
    data: groups,
    options: { k: 3, maxIter: 5 },
    fit: (X, o) => latent.fewShot(M(X), [0, 1, 2], [0, 1, 2], o),
  },
  {
    name: 'units.visualize',
    data: groups,
    options: { steps: 4, learningRate: 0.05, seed: 1 },
    fit: (X, o) => units.visualize('mlp', net, objective, withInit(X, o)),
    fitAsync: (X, o) => units.visualizeAsync('mlp', net, objective, withInit(X, o)),
    steps: (X, o) => units.visualizeSteps('mlp', net, objective, withInit(X, o)),
    flag: { field: 'completed', stopped: false },
  },
];
