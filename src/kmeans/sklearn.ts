import { sklearnReader } from '../core/sklearn.js';
import { load, type KMeansModel } from './model.js';

const ESTIMATORS = ['KMeans', 'MiniBatchKMeans'] as const;

/**
 * A k-means model from a fitted scikit-learn `KMeans` or `MiniBatchKMeans`, exported by
 * scripts/sklearn_export.py. `predict`, `transform` and `score` of the result equal
 * scikit-learn's on the same data (labels identical, distances and scores to 1e-12
 * relative on the digits: docs/interop.md); `partialFit` continues a mini-batch model.
 * Centroids keep their dtype (float32 stays float32).
 *
 * Carried: `cluster_centers_`, `labels_`, `inertia_`, the iteration count (`n_iter_`; for
 * MiniBatchKMeans `n_steps_`, our mini-batch count) and the algorithm (`'elkan'` or
 * `'lloyd'`; `'minibatch'` for MiniBatchKMeans). Derived: `counts` (MiniBatchKMeans: its
 * `_counts`; KMeans: the size of every cluster in `labels_`, since sample weights are not
 * kept) and `converged` (`n_iter_ < max_iter`, false without `n_iter_`: scikit-learn does
 * not record it). Not carried: `init`, `n_init`, `tol`, `random_state`, `feature_names_in_`.
 *
 * @param json - the export's text, or that text parsed by `fromJSON`
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = kmeans.fromSklearn(readFileSync('kmeans.json', 'utf8'));
 * kmeans.predict(model, X); // = sklearn's km.predict(X)
 * ```
 */
export function fromSklearn(json: string | object): KMeansModel {
  const r = sklearnReader(json, ESTIMATORS, 'kmeans.fromSklearn');
  const minibatch = r.estimator === 'MiniBatchKMeans';
  const centroids = r.matrix('cluster_centers_');
  const { rows: k, cols: d } = centroids;
  const nFeatures = r.integer('n_features_in_', 1);
  if (nFeatures !== d) r.invalid('attributes.n_features_in_', `${nFeatures}`, `${d} (the columns of cluster_centers_)`);
  const labels = r.has('labels_') ? r.labels('labels_', k) : new Int32Array(0);
  // Passes over the data; a MiniBatchKMeans rebuilt from a latentspace model has none.
  const epochs = minibatch && !r.has('n_iter_') ? Infinity : r.integer('n_iter_', 0);
  const maxIter = r.integerParam('max_iter', minibatch ? 100 : 300, 1);
  return load({
    kind: 'kmeans',
    centroids,
    labels,
    inertia: r.number('inertia_', 0),
    nIter: minibatch ? r.integer('n_steps_', 0) : epochs,
    converged: epochs < maxIter,
    completed: true,
    algorithm: minibatch ? 'minibatch' : (r.string('_algorithm') ?? r.param('algorithm')) === 'elkan' ? 'elkan' : 'lloyd',
    counts: minibatch && r.has('_counts') ? Float64Array.from(r.vector('_counts', k, 0)) : clusterSizes(labels, k),
  });
}

/** How many labels name each cluster, as float64 weights. */
function clusterSizes(labels: Int32Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const l of labels) counts[l] = counts[l]! + 1;
  return counts;
}
