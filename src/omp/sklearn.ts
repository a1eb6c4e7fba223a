import type { Matrix } from '../core/matrix.js';
import { sklearnReader, type SklearnReader } from '../core/sklearn.js';
import { allocate, dtypeOf } from '../linalg/dtype.js';

/** The scikit-learn estimators whose arrays {@link fromSklearn} reads as a dictionary. */
export type SklearnDictionarySource = 'Lasso' | 'OrthogonalMatchingPursuit' | 'DictionaryLearning' | 'MiniBatchDictionaryLearning';

const ESTIMATORS: readonly SklearnDictionarySource[] = ['Lasso', 'OrthogonalMatchingPursuit', 'DictionaryLearning', 'MiniBatchDictionaryLearning'];

/** A dictionary read from a scikit-learn export by {@link fromSklearn}. */
export interface SklearnDictionary {
  /**
   * The atoms, unit-norm rows (nAtoms × nFeatures), as `encode` and `lasso` want them;
   * float32 when the export was float32.
   */
  readonly dictionary: Matrix;
  /**
   * Each atom's Euclidean norm in the export, (nAtoms): row i of the exported array is
   * `norms[i] · dictionary[i]`, so codes against the exported rows are `codes[:, i] / norms[i]`.
   */
  readonly norms: Float64Array;
  /** The estimator the atoms came from. */
  readonly estimator: SklearnDictionarySource;
}

/**
 * A dictionary for `encode` / `lasso` from a scikit-learn export (scripts/sklearn_export.py):
 * the rows of `coef_` of a fitted `Lasso` or `OrthogonalMatchingPursuit` (one atom per
 * target, (n_targets × n_features); a single-target `coef_` is one atom), or `components_` of
 * a `DictionaryLearning` / `MiniBatchDictionaryLearning`. Rows are divided by their norms,
 * which are returned, because OMP's greedy choice compares correlations and needs atoms of
 * one length. `intercept_`, `alpha` and the iteration counts are not carried.
 *
 * @param json - the export's text, or that text parsed by `fromJSON`
 * @throws {@link core!LatentSpaceError} `INVALID_MODEL` naming the first field that is wrong, or
 *   an all-zero row (`attributes.coef_: row 3 …`), which no scale makes an atom
 *
 * @example
 * ```ts
 * const { dictionary } = omp.fromSklearn(readFileSync('lasso.json', 'utf8'));
 * omp.encode(dictionary, X, { nNonzero: 3 }).codes; // (nSamples, n_targets)
 * ```
 */
export function fromSklearn(json: string | object): SklearnDictionary {
  const r = sklearnReader(json, ESTIMATORS, 'omp.fromSklearn');
  const name = r.estimator === 'Lasso' || r.estimator === 'OrthogonalMatchingPursuit' ? 'coef_' : 'components_';
  return { ...unitAtoms(r, name), estimator: r.estimator as SklearnDictionarySource };
}

/**
 * The rows of a float attribute divided by their norms (computed in float64, scaled by the
 * row's largest magnitude so that tiny rows keep their norm), in the
 * attribute's dtype, with the norms. Shared with ksvd's `fromSklearn`.
 *
 * @example
 * ```ts
 * unitAtoms(reader, 'components_').norms; // Float64Array (nAtoms)
 * ```
 */
export function unitAtoms(r: SklearnReader, name: string): { dictionary: Matrix; norms: Float64Array } {
  const m = r.matrix(name, { vectorAsRow: true });
  const nFeatures = r.integer('n_features_in_', 1);
  if (nFeatures !== m.cols) r.invalid('attributes.n_features_in_', `${nFeatures}`, `${m.cols} (the columns of ${name})`);
  const { rows, cols, data } = m;
  const out = allocate(dtypeOf(m), data.length);
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let big = 0;
    for (let j = i * cols; j < (i + 1) * cols; j++) big = Math.max(big, Math.abs(data[j]!));
    if (big === 0) r.invalid(`attributes.${name}`, `row ${i} all zeros`, 'rows with a non-zero norm (an all-zero row is no atom: drop it before exporting)');
    let s = 0;
    for (let j = i * cols; j < (i + 1) * cols; j++) s += (data[j]! / big) ** 2;
    const norm = big * Math.sqrt(s);
    if (!Number.isFinite(norm)) r.invalid(`attributes.${name}`, `row ${i} with a norm beyond float64`, 'rows whose Euclidean norm is below 1.8e308');
    norms[i] = norm;
    // One division, so a row whose norm rounds to 1 (DictionaryLearning's atoms) is kept as it is.
    for (let j = i * cols; j < (i + 1) * cols; j++) out[j] = data[j]! / norm;
  }
  return { dictionary: { rows, cols, data: out }, norms };
}
