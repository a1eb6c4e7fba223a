import { assertNever, fail, finiteResult, finiteResults } from '../core/errors.js';
import { ldexp, safeScaleExponent, scaledBy, scaleInPlace } from '../core/math.js';
import { asMatrix, type FloatArray, type MatrixInput } from '../core/matrix.js';
import { freezeModel } from '../core/model.js';
import { svdFlipRowsInPlace } from '../linalg/sign.js';
import type { PcaModel, PcaSolverUsed } from './model.js';
import { resolveOptions, type PcaOptions, type ResolvedPcaOptions } from './options.js';
import { covarianceSolver, fullSolver, randomizedSolver, type Spectrum } from './solvers.js';
import { columnMeans, columnSums } from '../linalg/rows.js';
import { sumOfSquares } from './stats.js';

/**
 * Fits a principal component analysis: the mean of X and the orthonormal directions of
 * largest variance. Float32 input gives a float32 model (computed in float64).
 *
 * @param X - (nSamples, nFeatures), nSamples ≥ 2
 * @returns a plain {@link PcaModel}; components are rows, (nComponents × nFeatures), with
 *   the largest-magnitude entry of each made positive so that the output is deterministic
 * Data whose largest magnitude is beyond 2^±200 (1e±60) is scaled by a power of two
 * first (exactly, as LAPACK's dlascl), so that sums of squares neither overflow nor
 * underflow, and the model is scaled back: subnormal data and data near 1e154 give the
 * right components and finite variances.
 *
 * @throws {@link core!LatentSpaceError} `INVALID_INPUT` for fewer than 2 samples,
 *   `INVALID_OPTION` for nComponents above min(nSamples, nFeatures) or a fraction with the
 *   randomized solver, `OUT_OF_RANGE` when a variance exceeds float64 (|X| beyond 1e154)
 * @see Halko, Martinsson & Tropp (2011), Finding structure with randomness (the randomized solver)
 *
 * @example
 * ```ts
 * import * as pca from 'latentspace/pca';
 * const model = pca.fit([[2, 0], [0, 0], [-2, 0], [0, 1], [0, -1]], { nComponents: 1 });
 * Array.from(model.components.data); // [1, 0]
 * ```
 */
export function fit(X: MatrixInput, options?: PcaOptions): PcaModel {
  const x0 = asMatrix(X, 'X');
  const { rows: n, cols: d } = x0;
  if (n < 2) {
    fail('INVALID_INPUT', `X: received ${n} sample, expected at least 2 to estimate a variance`);
  }
  const opts = resolveOptions(options, n, d);
  // The column sums and the largest |entry| in one pass; scaled data has its means taken again.
  const sums = new Float64Array(d);
  const scale = safeScaleExponent(columnSums(n, d, x0.data, null, sums), 'float64');
  const x = scale === 0 ? x0 : { rows: n, cols: d, data: scaledBy(x0.data instanceof Float64Array ? x0.data : Float64Array.from(x0.data), scale) };
  const mean = scale === 0 ? sums.map((s) => s / n) : columnMeans(x);
  const totalVariance = sumOfSquares(x, mean) / (n - 1);
  const spectrum = solve(opts, x, mean);
  const k = chooseComponents(opts.nComponents, spectrum.variances, totalVariance);
  return buildModel({
    spectrum, k, mean, totalVariance, nSamples: n, whiten: opts.whiten, solver: opts.solver,
    float32: x0.data instanceof Float32Array, scale, name: 'X',
  });
}

function solve(opts: ResolvedPcaOptions, x: Parameters<typeof fullSolver>[0], mean: Float64Array): Spectrum {
  switch (opts.solver) {
    case 'covariance':
      return covarianceSolver(x, mean, 'count' in opts.nComponents ? opts.nComponents.count : Math.min(x.rows, x.cols));
    case 'full':
      return fullSolver(x, mean, 'count' in opts.nComponents ? opts.nComponents.count : Math.min(x.rows, x.cols));
    case 'randomized': {
      const k = (opts.nComponents as { count: number }).count;
      return randomizedSolver(x, mean, k, opts.nOversamples, opts.powerIterations, opts.seed);
    }
    default:
      return assertNever(opts.solver, 'solver');
  }
}

function chooseComponents(choice: ResolvedPcaOptions['nComponents'], variances: Float64Array, total: number): number {
  if ('count' in choice) return choice.count;
  let cumulative = 0;
  for (let k = 0; k < variances.length; k++) {
    cumulative += variances[k]!;
    if (cumulative >= choice.fraction * total) return k + 1;
  }
  return variances.length;
}

/** What {@link buildModel} needs: a spectrum with at least k directions and the data's statistics. */
export interface ModelParts {
  spectrum: Spectrum;
  k: number;
  mean: Float64Array;
  totalVariance: number;
  nSamples: number;
  whiten: boolean;
  solver: PcaSolverUsed;
  float32: boolean;
  /** The power of two the data was scaled by (0: not scaled); the model is scaled back. */
  scale: number;
  /** The data's argument name, for an `OUT_OF_RANGE` error. */
  name: string;
}

/** Keeps the first k directions, fixes their signs, and derives every field of the model. */
export function buildModel(parts: ModelParts): PcaModel {
  const { spectrum, k, nSamples, scale, name } = parts;
  const d = parts.mean.length;
  const components = spectrum.components.slice(0, k * d);
  svdFlipRowsInPlace(k, d, components, 0, d, 0, null, 0, 0);
  const explained = spectrum.variances.slice(0, k);
  const ratio = explained.map((v) => (parts.totalVariance > 0 ? v / parts.totalVariance : 0));
  const singular = explained.map((v) => Math.sqrt(v * (nSamples - 1)));
  let kept = 0;
  for (const v of explained) kept += v;
  const rest = Math.min(nSamples, d) - k;
  // Back from the scaled data: the mean and singular values by 2^−scale, variances by 4^−scale.
  const noiseVariance = ldexp(rest > 0 ? Math.max(0, parts.totalVariance - kept) / rest : 0, -2 * scale);
  const totalVariance = finiteResult(ldexp(parts.totalVariance, -2 * scale), name, 'the total variance');
  const mean = Float64Array.from(parts.mean);
  scaleInPlace(mean, -scale);
  scaleInPlace(explained, -2 * scale);
  scaleInPlace(singular, -scale);
  const cast = (a: Float64Array, what: string): FloatArray => finiteResults(parts.float32 ? Float32Array.from(a) : a, name, what);
  return freezeModel({
    kind: 'pca',
    mean: cast(mean, 'the mean'),
    components: { rows: k, cols: d, data: cast(components, 'the components') },
    explainedVariance: cast(explained, 'the explained variance'),
    explainedVarianceRatio: cast(ratio, 'the explained variance ratio'),
    singularValues: cast(singular, 'the singular values'),
    noiseVariance,
    totalVariance,
    nSamples,
    nFeatures: d,
    whiten: parts.whiten,
    solver: parts.solver,
  });
}
