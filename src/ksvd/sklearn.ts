import { sklearnReader } from '../core/sklearn.js';
import { unitAtoms } from '../omp/sklearn.js';
import { load, type KsvdModel } from './model.js';

const ESTIMATORS = ['DictionaryLearning', 'MiniBatchDictionaryLearning'] as const;

/**
 * A K-SVD model from a fitted scikit-learn `DictionaryLearning` or
 * `MiniBatchDictionaryLearning`, exported by scripts/sklearn_export.py: its `components_`
 * as the dictionary (rows divided by their norms, which scikit-learn already keeps at 1;
 * widened to float64, the dtype of a K-SVD dictionary, exactly) and
 * `transform_n_nonzero_coefs` as `nNonzero` (when null, scikit-learn's own default,
 * ⌊min(max(n_features / 10, 1), n_components)⌋). `transform`, `decode`, `incremental` then
 * code with OMP as scikit-learn's default `transform_algorithm='omp'` does.
 *
 * `nIter` is `n_iter_`; `converged` is `n_iter_ < max_iter`; `errors` is empty
 * (scikit-learn's `error_` is its ℓ₁-penalised objective, not our RMS error). Not carried:
 * `alpha`, `transform_alpha` (OMP's tolerance in scikit-learn), other `transform_algorithm`s,
 * `split_sign`, `positive_code`.
 *
 * @param json - the export's text, or that text parsed by `fromJSON`
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong
 *
 * @example
 * ```ts
 * const model = ksvd.fromSklearn(readFileSync('dict.json', 'utf8'));
 * ksvd.transform(model, X); // = sklearn's dl.transform(X) with transform_algorithm='omp'
 * ```
 */
export function fromSklearn(json: string | object): KsvdModel {
  const r = sklearnReader(json, ESTIMATORS, 'ksvd.fromSklearn');
  const { dictionary } = unitAtoms(r, 'components_');
  const { rows: nAtoms, cols: nFeatures } = dictionary;
  const nIter = r.integer('n_iter_', 0);
  const maxIter = r.integerParam('max_iter', r.estimator === 'DictionaryLearning' ? 1000 : 0, 0);
  const fallback = Math.floor(Math.min(Math.max(nFeatures / 10, 1), nAtoms));
  return load({
    kind: 'ksvd',
    dictionary: { rows: nAtoms, cols: nFeatures, data: Float64Array.from(dictionary.data) },
    nNonzero: r.integerParam('transform_n_nonzero_coefs', fallback, 1),
    errors: new Float64Array(0),
    nIter,
    converged: nIter < maxIter,
    completed: true,
  });
}
