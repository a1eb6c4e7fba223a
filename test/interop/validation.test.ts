// Malformed scikit-learn exports: every fromSklearn throws INVALID_MODEL with a message that
// names the field (as written in the export) and says what it expected.
import { describe, expect, test } from 'vitest';
import { LatentSpaceError } from '../../src/core/errors.js';
import { toJSON } from '../../src/core/json.js';
import type { Matrix } from '../../src/core/matrix.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as omp from '../../src/omp/index.js';
import * as pca from '../../src/pca/index.js';
import { caseNamed, copyOf, fixture, ourModels, type Export } from './fixture.js';

const pcaExport = caseNamed(fixture.cases, 'PCA').export;
const ipcaExport = caseNamed(fixture.cases, 'IncrementalPCA').export;
const kmeansExport = caseNamed(fixture.cases, 'KMeans').export;
const lassoExport = caseNamed(fixture.dictionaries, 'Lasso').export;
const dlExport = caseNamed(fixture.dictionaries, 'DictionaryLearning').export;

/** The INVALID_MODEL message `f` throws (fails on any other outcome). */
function invalidModel(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentSpaceError);
    expect((e as LatentSpaceError).code).toBe('INVALID_MODEL');
    return (e as LatentSpaceError).message;
  }
  throw new Error('expected INVALID_MODEL, nothing was thrown');
}

function broken(e: Export, change: (copy: Export) => void): Export {
  const copy = copyOf(e);
  change(copy);
  return copy;
}

describe('the envelope', () => {
  test('text that is not JSON', () => {
    expect(invalidModel(() => pca.fromSklearn('{"kind": "sklearn",'))).toMatch(/not valid JSON/);
  });

  test('a model saved with toJSON points to load', () => {
    const message = invalidModel(() => pca.fromSklearn(toJSON(ourModels.pca)));
    expect(message).toMatch(/^pca\.fromSklearn: kind: received "pca", expected 'sklearn'/);
    expect(message).toMatch(/pca\.load/);
  });

  test('and load refuses an export (it reads only its own format)', () => {
    expect(invalidModel(() => pca.load(toJSON(pcaExport)))).toMatch(/kind "sklearn", expected kind 'pca'/);
  });

  test('an estimator the module does not read is named, with those it does', () => {
    expect(invalidModel(() => pca.fromSklearn(kmeansExport))).toMatch(/estimator: received "KMeans", expected one of 'PCA', 'IncrementalPCA'/);
    expect(invalidModel(() => kmeans.fromSklearn(pcaExport))).toMatch(/estimator: received "PCA", expected one of 'KMeans', 'MiniBatchKMeans'/);
    expect(invalidModel(() => ksvd.fromSklearn(lassoExport))).toMatch(/estimator: received "Lasso"/);
    expect(invalidModel(() => omp.fromSklearn(pcaExport))).toMatch(/estimator: received "PCA"/);
  });

  test('another format version, or no params / attributes objects', () => {
    expect(invalidModel(() => pca.fromSklearn(broken(pcaExport, (e) => { e.format = 2; })))).toMatch(/format: received 2, expected 1/);
    expect(invalidModel(() => pca.fromSklearn(broken(pcaExport, (e) => { (e as { attributes: unknown }).attributes = []; })))).toMatch(/attributes: received an array/);
    expect(invalidModel(() => pca.fromSklearn(null as unknown as object))).toMatch(/json: received null/);
  });

  test('typed-array tags left unparsed (JSON.parse instead of fromJSON) are explained', () => {
    const raw = JSON.parse(toJSON(pcaExport)) as object;
    expect(invalidModel(() => pca.fromSklearn(raw))).toMatch(/attributes\.components_: received a raw typed-array tag, expected a typed array: pass the text, or parse it with fromJSON/);
  });
});

describe('pca.fromSklearn names the attribute', () => {
  const cases: [string, (e: Export) => void, RegExp][] = [
    ['a missing attribute', (e) => { delete e.attributes.components_; }, /attributes\.components_: received nothing, expected the fitted attribute components_ of a PCA/],
    ['a vector where a matrix belongs', (e) => { e.attributes.components_ = new Float64Array(64); }, /attributes\.components_: received a Float64Array of length 64, expected a Matrix/],
    ['a matrix whose rows and data disagree', (e) => { (e.attributes.components_ as { rows: number }).rows = 21; }, /attributes\.components_: received an object .*expected a Matrix/],
    ['NaN in the components', (e) => { (e.attributes.components_ as Matrix).data[5] = NaN; }, /attributes\.components_: received .*\b5\b.*NaN.*, expected finite entries/],
    ['a mean of the wrong length', (e) => { e.attributes.mean_ = new Float64Array(63); }, /attributes\.mean_: received a Float64Array of length 63, expected .*of length 64/],
    ['a negative variance', (e) => { (e.attributes.explained_variance_ as Float64Array)[3] = -1; }, /attributes\.explained_variance_: received .*\b3\b.*-1.*, expected .*≥ 0/],
    ['too few variances', (e) => { e.attributes.singular_values_ = new Float64Array(19); }, /attributes\.singular_values_: .* of length 20/],
    ['n_features_in_ against the components', (e) => { e.attributes.n_features_in_ = 65; }, /attributes\.n_features_in_: received 65, expected 64 \(the columns of components_\)/],
    ['n_components_ against the components', (e) => { e.attributes.n_components_ = 3; }, /attributes\.n_components_: received 3, expected 20/],
    ['a fractional sample count', (e) => { e.attributes.n_samples_ = 10.5; }, /attributes\.n_samples_: received 10\.5, expected an integer ≥ 2/],
    ['a negative noise variance', (e) => { e.attributes.noise_variance_ = -0.5; }, /attributes\.noise_variance_: received -0\.5, expected a number ≥ 0/],
    ['whiten that is not a boolean', (e) => { e.params.whiten = 'yes'; }, /params\.whiten: received "yes", expected true or false/],
  ];
  test.each(cases)('%s', (_what, change, message) => {
    expect(invalidModel(() => pca.fromSklearn(broken(pcaExport, change)))).toMatch(message);
  });

  test('IncrementalPCA needs var_ (for the total variance) and n_samples_seen_', () => {
    expect(invalidModel(() => pca.fromSklearn(broken(ipcaExport, (e) => { delete e.attributes.var_; })))).toMatch(/attributes\.var_: received nothing/);
    expect(invalidModel(() => pca.fromSklearn(broken(ipcaExport, (e) => { delete e.attributes.n_samples_seen_; })))).toMatch(/attributes\.n_samples_seen_/);
  });

  test('one dtype per model: that of components_', () => {
    const mixed = broken(pcaExport, (e) => {
      const c = e.attributes.components_ as Matrix;
      e.attributes.components_ = { rows: c.rows, cols: c.cols, data: Float32Array.from(c.data) };
    });
    const model = pca.fromSklearn(mixed);
    expect(model.components.data).toBeInstanceOf(Float32Array);
    expect(model.mean).toBeInstanceOf(Float32Array);
    expect(model.explainedVariance).toBeInstanceOf(Float32Array);
  });
});

describe('kmeans.fromSklearn names the attribute', () => {
  const cases: [string, (e: Export) => void, RegExp][] = [
    ['a label beyond k', (e) => { (e.attributes.labels_ as Int32Array)[7] = 10; }, /attributes\.labels_: received .*\b7\b.*\b10\b.*, expected entries in \[0, 9\]/],
    ['labels of the wrong type', (e) => { e.attributes.labels_ = new Float64Array(3); }, /attributes\.labels_: received a Float64Array of length 3, expected an Int32Array/],
    ['infinite centres', (e) => { (e.attributes.cluster_centers_ as Matrix).data[0] = Infinity; }, /attributes\.cluster_centers_: received .*Infinity.*, expected finite entries/],
    ['a negative inertia', (e) => { e.attributes.inertia_ = -1; }, /attributes\.inertia_: received -1, expected a number ≥ 0/],
    ['a missing iteration count', (e) => { delete e.attributes.n_iter_; }, /attributes\.n_iter_: received nothing/],
    ['a max_iter that is not an integer', (e) => { e.params.max_iter = 'many'; }, /params\.max_iter: received "many", expected an integer ≥ 1/],
  ];
  test.each(cases)('%s', (_what, change, message) => {
    expect(invalidModel(() => kmeans.fromSklearn(broken(kmeansExport, change)))).toMatch(message);
  });
});

test('the caller\'s export is left as it was (not frozen, not changed)', () => {
  const e = copyOf(kmeansExport);
  const before = toJSON(e);
  expect(Object.isFrozen(kmeans.fromSklearn(e))).toBe(true);
  expect(Object.isFrozen(e.attributes.cluster_centers_)).toBe(false);
  expect(toJSON(e)).toBe(before);
});

describe('dictionaries', () => {
  test('an all-zero row of coef_ is no atom', () => {
    const e = broken(lassoExport, (x) => { (x.attributes.coef_ as Matrix).data.fill(0, 64, 128); });
    expect(invalidModel(() => omp.fromSklearn(e))).toMatch(/attributes\.coef_: received row 1 all zeros, expected rows with a non-zero norm/);
  });

  test('a single-target coef_ (a vector) is one atom; a float32 one stays float32', () => {
    const e = broken(lassoExport, (x) => { x.attributes.coef_ = Float32Array.of(3, 4); x.attributes.n_features_in_ = 2; });
    const { dictionary, norms } = omp.fromSklearn(e);
    expect(dictionary.data).toEqual(Float32Array.of(0.6, 0.8));
    expect(Array.from(norms)).toEqual([5]);
  });

  test('huge and tiny rows keep their norms', () => {
    const e = broken(lassoExport, (x) => { x.attributes.coef_ = { rows: 2, cols: 2, data: Float64Array.of(3e300, 4e300, 3e-310, 4e-310) }; x.attributes.n_features_in_ = 2; });
    const { dictionary, norms } = omp.fromSklearn(e);
    expect(Array.from(dictionary.data)).toEqual([0.6, 0.8, 0.6, 0.8]);
    expect(norms[0]).toBeCloseTo(5e300, -290);
    expect(norms[1]! / 5e-310).toBeCloseTo(1, 12);
  });

  test('ksvd: transform_n_nonzero_coefs must be a positive integer', () => {
    const e = broken(dlExport, (x) => { x.params.transform_n_nonzero_coefs = 0; });
    expect(invalidModel(() => ksvd.fromSklearn(e))).toMatch(/params\.transform_n_nonzero_coefs: received 0, expected an integer ≥ 1/);
  });

  test('ksvd: null transform_n_nonzero_coefs is scikit-learn\'s default, ⌊n_features / 10⌋', () => {
    const e = broken(dlExport, (x) => { x.params.transform_n_nonzero_coefs = null; });
    expect(ksvd.fromSklearn(e).nNonzero).toBe(6);
  });
});
