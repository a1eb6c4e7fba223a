import { fail, finiteResults } from '../core/errors.js';
import { maxAbs, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import type { Matrix } from '../core/matrix.js';
import type { SeedLike } from '../core/random.js';
import { product64 } from '../linalg/matmul.js';
import { svdFlipRowsInPlace } from '../linalg/sign.js';
import { randomizedSpectrum } from './solvers.js';
import { columnMeans } from '../linalg/rows.js';
import { centered } from './stats.js';

/**
 * The first k principal coordinates of X, (X − mean)·Vₖ, with the components' signs of
 * `pca.fit`, by the randomized solver with `fit`'s defaults for k (10 oversamples, 7 power
 * iterations when k < min(n, d)/10, else 4): the start scikit-learn's TSNE takes from PCA
 * (`svd_solver='randomized'`). For t-SNE's `init: 'pca'`, which needs the coordinates and
 * not a model: no options, no model, one centred copy of X, and neither the eigen-solver
 * nor the other solvers in its bundle. The same bits as `pca.fitTransform` with
 * `solver: 'randomized'` on data within 2^±200; beyond, X is scaled by a power of two
 * (exactly) and the coordinates scaled back, as `fit` does.
 *
 * @param x - (nSamples, nFeatures), float64, already checked (finite, non-empty)
 * @returns (nSamples, k)
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION` when k exceeds min(nSamples,
 *   nFeatures), `OUT_OF_RANGE` when a coordinate exceeds float64
 *
 * @example
 * ```ts
 * const x = { rows: 3, cols: 2, data: new Float64Array([-2, 0, 0, 0, 2, 0]) };
 * Array.from(principalScores(x, 1, 0).data); // [-2, 0, 2]
 * ```
 */
export function principalScores(x: Matrix<Float64Array>, k: number, seed: SeedLike): Matrix<Float64Array> {
  const { rows: n, cols: d } = x;
  const limit = Math.min(n, d);
  if (k > limit) fail('INVALID_OPTION', `nComponents: received ${k}, expected at most min(nSamples, nFeatures) = ${limit}`);
  const scale = safeScaleExponent(maxAbs(x.data), 'float64');
  const xs = scale === 0 ? x : { rows: n, cols: d, data: scaledBy(x.data, scale) };
  const xc = centered(xs, columnMeans(xs));
  const spectrum = randomizedSpectrum(xc, k, 10, k < 0.1 * limit ? 7 : 4, seed);
  const components = spectrum.components.slice(0, k * d);
  svdFlipRowsInPlace(k, d, components, 0, d, 0, null, 0, 0);
  const scores = product64(xc, { rows: k, cols: d, data: components }, false, true);
  scaleInPlace(scores.data, -scale);
  finiteResults(scores.data, 'X', 'a principal coordinate');
  return scores;
}
