// Issue #21, hostile and malformed models: every `load` and every function that takes a
// model checks the kind and each field (type, shape, finiteness) first, with INVALID_MODEL
// naming the field — never a TypeError from inside, never a NaN map from NaN weights.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJSON } from '../../src/core/json.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as pca from '../../src/pca/index.js';
import * as som from '../../src/som/index.js';
import * as tsne from '../../src/tsne/index.js';
import { errorOf, expectFinite } from './scaled.js';

const X = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) - 2, i / 8]);
const models = {
  kmeans: kmeans.fit(X, { k: 3, seed: 1 }),
  pca: pca.fit(X, { nComponents: 2 }),
  ksvd: ksvd.fit(X, { nAtoms: 5, nNonzero: 2, maxIter: 3, seed: 1 }),
  som: som.fit(X, { width: 3, height: 2, epochs: 2, seed: 1 }),
  tsne: tsne.fit(X, { perplexity: 3, nIter: 30, seed: 1 }),
};
type Kind = keyof typeof models;

/** Every function that takes a model, called with good other arguments. */
const uses: Record<Kind, [string, (m: unknown) => unknown][]> = {
  kmeans: [
    ['predict', (m) => kmeans.predict(m as kmeans.KMeansModel, X)],
    ['transform', (m) => kmeans.transform(m as kmeans.KMeansModel, X)],
    ['score', (m) => kmeans.score(m as kmeans.KMeansModel, X)],
    ['partialFit', (m) => kmeans.partialFit(m as kmeans.KMeansModel, X)],
  ],
  pca: [
    ['transform', (m) => pca.transform(m as pca.PcaModel, X)],
    ['inverseTransform', (m) => pca.inverseTransform(m as pca.PcaModel, [[1, 2]])],
    ['reconstruct', (m) => pca.reconstruct(m as pca.PcaModel, X[0]!, [0, 1])],
    ['scoreSamples', (m) => pca.scoreSamples(m as pca.PcaModel, X)],
    ['partialFit', (m) => pca.partialFit(m as pca.PcaModel, X)],
  ],
  ksvd: [
    ['transform', (m) => ksvd.transform(m as ksvd.KsvdModel, X)],
    ['inverseTransform', (m) => ksvd.inverseTransform(m as ksvd.KsvdModel, [[1, 0, 0, 0, 0]])],
    ['decode', (m) => ksvd.decode(m as ksvd.KsvdModel, X[0]!)],
    ['incremental', (m) => ksvd.incremental(m as ksvd.KsvdModel, X[0]!)],
    ['query', (m) => ksvd.query(m as ksvd.KsvdModel, [[1, 0, 0, 0, 0]], 0)],
  ],
  som: [
    ['bmu', (m) => som.bmu(m as som.SomModel, X)],
    ['quantizationError', (m) => som.quantizationError(m as som.SomModel, X)],
    ['topographicError', (m) => som.topographicError(m as som.SomModel, X)],
    ['hitMap', (m) => som.hitMap(m as som.SomModel, X)],
    ['componentPlane', (m) => som.componentPlane(m as som.SomModel, 0)],
    ['labelMap', (m) => som.labelMap(m as som.SomModel, X, X.map((_, i) => i % 2))],
    ['uMatrix', (m) => som.uMatrix(m as som.SomModel)],
    ['distanceMap', (m) => som.distanceMap(m as som.SomModel)],
    ['render', (m) => som.render(m as som.SomModel, som.distanceMap(models.som))],
  ],
  tsne: [
    ['optimize', (m) => tsne.optimize(m as tsne.TsneModel, { nIter: 2 })],
    ['optimizeSteps', (m) => tsne.optimizeSteps(m as tsne.TsneModel, { nIter: 2 })],
    ['transform', (m) => tsne.transform(m as tsne.TsneModel, [X[0]!], { nIter: 2 })],
  ],
};
const loads: Record<Kind, (json: string | object) => unknown> = { kmeans: kmeans.load, pca: pca.load, ksvd: ksvd.load, som: som.load, tsne: tsne.load };
const kinds = Object.keys(models) as Kind[];

/** Numbers in the result (typed arrays, matrices, nested objects) are all finite. */
function expectFiniteResult(r: unknown): void {
  if (typeof r === 'number') expect(Number.isFinite(r)).toBe(true);
  else if (ArrayBuffer.isView(r)) expectFinite(r as unknown as ArrayLike<number>);
  else if (r !== null && typeof r === 'object' && typeof (r as { next?: unknown }).next !== 'function') {
    for (const v of Object.values(r)) expectFiniteResult(v);
  }
}

describe.each(kinds)('%s models', (kind) => {
  const good = models[kind];

  it.each(uses[kind])('%s: a fitted model works; null, {}, [] and every other module\'s model are INVALID_MODEL', (_name, use) => {
    expectFiniteResult(use(good));
    const others = kinds.filter((k) => k !== kind).map((k) => models[k]);
    for (const bad of [null, undefined, {}, [], 42, 'pca', { kind }, ...others]) {
      if (bad === undefined && _name === 'partialFit') continue; // undefined starts a new model
      expect(errorOf(() => use(bad)).code).toBe('INVALID_MODEL');
    }
  });

  it('load: the model round-trips; a tampered copy is INVALID_MODEL naming the field', () => {
    expect(toJSON(loads[kind](toJSON(good)))).toBe(toJSON(good));
    for (const [field, value] of Object.entries(good)) {
      if (field === 'kind') continue;
      const e = errorOf(() => loads[kind]({ ...good, [field]: null }));
      expect(e.code).toBe('INVALID_MODEL');
      expect(e.message).toContain(`model.${field}`);
      void value;
    }
  });

  it('load and every use: NaN or Infinity in any numeric array is INVALID_MODEL', () => {
    for (const [field, value] of Object.entries(good)) {
      const arrays = ArrayBuffer.isView(value) ? [[field, value] as const] : value !== null && typeof value === 'object'
        ? Object.entries(value).filter(([, v]) => v instanceof Float64Array || v instanceof Float32Array).map(([f, v]) => [`${field}.${f}`, v] as const) : [];
      for (const [path, arr] of arrays) {
        if (!(arr instanceof Float64Array || arr instanceof Float32Array) || arr.length === 0) continue;
        for (const poison of [NaN, Infinity, -Infinity]) {
          const copy = arr.slice();
          copy[copy.length - 1] = poison;
          const tampered = path.includes('.')
            ? { ...good, [field]: { ...(value as object), [path.split('.')[1]!]: copy } }
            : { ...good, [field]: copy };
          const e = errorOf(() => loads[kind](tampered));
          expect(e.code).toBe('INVALID_MODEL');
          // A matrix's entries are named by the matrix (model.centroids: … an entry 5 of NaN).
          expect(e.message).toContain(`model.${path.replace(/\.data$/, '')}: received an entry`);
          for (const [, use] of uses[kind]) expect(errorOf(() => use(tampered)).code).toBe('INVALID_MODEL');
        }
      }
    }
  });

  it('random hostile field values: a finite result or INVALID_MODEL, never a TypeError', () => {
    const fields = Object.keys(good).filter((f) => f !== 'kind');
    const hostile = fc.oneof(
      fc.constantFrom(null, undefined, NaN, -1, 0, 1.5, 1e300, '', 'x', true, [], {}, [1, 2], new Float64Array(0), new Float64Array([NaN]), new Int32Array([-5]), { rows: 1, cols: 1, data: new Float64Array([NaN]) }),
      fc.double(),
      fc.integer(),
    );
    fc.assert(fc.property(fc.constantFrom(...fields), hostile, fc.integer({ min: 0, max: uses[kind].length - 1 }), (field, v, u) => {
      const tampered = { ...good, [field]: v };
      try {
        expectFiniteResult(uses[kind][u]![1](tampered));
      } catch (e) {
        // A valid but degenerate model may be declined (scoreSamples with no noise variance).
        expect(['INVALID_MODEL', 'UNSUPPORTED', 'OUT_OF_RANGE']).toContain(errorOf(() => { throw e; }).code);
      }
    }), { numRuns: 150 });
  });
});

describe('the issue\'s examples', () => {
  it('pca.transform(pca.load(\'{"kind":"pca"}\'), X) names the missing field', () => {
    const e = errorOf(() => pca.transform(pca.load('{"kind":"pca"}'), X));
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toMatch(/^model\.\w+: received undefined/);
  });

  it('tsne.load rejects negative or decreasing rowPtr and negative affinities', () => {
    const P = models.tsne.affinities;
    const rowPtr = P.rowPtr.slice();
    rowPtr[1] = -1;
    expect(errorOf(() => tsne.load({ ...models.tsne, affinities: { ...P, rowPtr } })).message).toContain('model.affinities.rowPtr');
    const swapped = P.rowPtr.slice();
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    if (swapped[1] !== swapped[2]) expect(errorOf(() => tsne.load({ ...models.tsne, affinities: { ...P, rowPtr: swapped } })).code).toBe('INVALID_MODEL');
    const val = P.val.slice();
    val[0] = -0.5;
    expect(errorOf(() => tsne.load({ ...models.tsne, affinities: { ...P, val } })).message).toContain('model.affinities.val');
  });

  it('som.load rejects a toroidal hexagonal map of odd height', () => {
    const m = som.fit(X, { width: 2, height: 3, epochs: 1, seed: 1 });
    const e = errorOf(() => som.load({ ...m, topology: 'hexagonal', toroidal: true }));
    expect(e.code).toBe('INVALID_MODEL');
    expect(e.message).toContain('model.height');
  });

  it('kmeans.predict with NaN centroids is INVALID_MODEL (it labelled silently)', () => {
    const centroids = { ...models.kmeans.centroids, data: models.kmeans.centroids.data.map((v, i) => (i === 0 ? NaN : v)) };
    expect(errorOf(() => kmeans.predict({ ...models.kmeans, centroids }, X)).message).toContain('model.centroids');
  });
});
