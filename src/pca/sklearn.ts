import { sameDtype, sklearnReader } from '../core/sklearn.js';
import { load, type PcaModel, type PcaSolverUsed } from './model.js';

const ESTIMATORS = ['PCA', 'IncrementalPCA'] as const;

/**
 * A PCA model from a fitted scikit-learn `PCA` or `IncrementalPCA`, exported by
 * scripts/sklearn_export.py (`python3 scripts/sklearn_export.py model.joblib > model.json`).
 * `transform`, `inverseTransform`, `score` and `scoreSamples` of the result equal
 * scikit-learn's on the same data (to 1e-12 relative on the digits: docs/interop.md);
 * `partialFit` continues it. Arrays keep the dtype of `components_` (float32 stays float32).
 *
 * Carried: `components_`, `mean_`, `explained_variance_`, `explained_variance_ratio_`,
 * `singular_values_`, `noise_variance_`, the sample count and `whiten`. Derived:
 * `totalVariance` (IncrementalPCA: Σ`var_`·n/(n − 1); PCA: Σ`explained_variance_` plus
 * `noise_variance_` for every dimension left out) and `solver` (`'arpack'` becomes `'full'`:
 * an exact truncated SVD). Not carried: `svd_solver` options, `random_state`,
 * `feature_names_in_`, `batch_size_`.
 *
 * @param json - the export's text, or that text parsed by `fromJSON`
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *   (`attributes.mean_: received a Float64Array of length 63, expected … of length 64`)
 *
 * @example
 * ```ts
 * const model = pca.fromSklearn(readFileSync('pca.json', 'utf8'));
 * pca.transform(model, X); // = sklearn's pca.transform(X)
 * ```
 */
export function fromSklearn(json: string | object): PcaModel {
  const r = sklearnReader(json, ESTIMATORS, 'pca.fromSklearn');
  const incremental = r.estimator === 'IncrementalPCA';
  const components = r.matrix('components_');
  const { rows: k, cols: d } = components;
  const like = components.data;
  const nFeatures = r.integer('n_features_in_', 1), nComponents = r.integer('n_components_', 1);
  if (nFeatures !== d) r.invalid('attributes.n_features_in_', `${nFeatures}`, `${d} (the columns of components_)`);
  if (nComponents !== k) r.invalid('attributes.n_components_', `${nComponents}`, `${k} (the rows of components_)`);
  const nSamples = r.integer(incremental ? 'n_samples_seen_' : 'n_samples_', 2);
  const explained = sameDtype(r.vector('explained_variance_', k, 0), like);
  const noiseVariance = r.number('noise_variance_', 0);
  let kept = 0;
  for (const v of explained) kept += v;
  let totalVariance: number;
  if (incremental) {
    // var_ divides by n; the model's variances divide by n − 1.
    let sum = 0;
    for (const v of r.vector('var_', d, 0)) sum += v;
    totalVariance = (sum * nSamples) / (nSamples - 1);
  } else {
    // noise_variance_ is the mean variance of the min(n, d) − k dimensions left out.
    totalVariance = kept + noiseVariance * Math.max(0, Math.min(nSamples, d) - k);
  }
  const model: PcaModel = {
    kind: 'pca',
    mean: sameDtype(r.vector('mean_', d), like),
    components,
    explainedVariance: explained,
    explainedVarianceRatio: sameDtype(r.vector('explained_variance_ratio_', k, 0), like),
    singularValues: sameDtype(r.vector('singular_values_', k, 0), like),
    noiseVariance,
    totalVariance,
    nSamples,
    nFeatures: d,
    whiten: r.booleanParam('whiten', false),
    solver: incremental ? 'incremental' : solverOf(r.string('_fit_svd_solver') ?? r.param('svd_solver')),
  };
  return load(model);
}

/** scikit-learn's resolved `svd_solver` as ours: randomized stays, exact ones ('full', 'arpack') are 'full'. */
function solverOf(name: unknown): PcaSolverUsed {
  return name === 'randomized' ? 'randomized' : 'full';
}
