import { assertNever } from '../core/errors.js';
import { checkChoice, checkOptions, optionNames } from '../core/options.js';
import { fisherRaoPath } from './fisher-rao.js';
import { checkSteps, fullCov, fullGaussian, mix, resolveGaussian, sameDimension, type Gaussian, type GaussianInput, type Resolved } from './gaussian.js';
import { ends, w2Path } from './wasserstein.js';

/** Options of {@link geodesicPath}. */
export interface GeodesicPathOptions {
  /**
   * Number of Gaussians, both ends included (t = 0, 1/(steps − 1), …, 1).
   * @defaultValue 10
   */
  steps?: number;
  /**
   * `'wasserstein'` ({@link w2Geodesic}), `'fisher-rao'` ({@link fisherRaoGeodesic}), or
   * `'linear'`: mean and covariance (or variance) interpolated entry by entry, the
   * mixture-free straight line of the parameters.
   * @defaultValue 'wasserstein'
   */
  metric?: 'wasserstein' | 'fisher-rao' | 'linear';
}

/** The metrics {@link geodesicPath} knows. */
const METRICS = ['wasserstein', 'fisher-rao', 'linear'] as const;

/** Every option name of {@link GeodesicPathOptions} (unknown ones are rejected). */
const GEODESIC_PATH_OPTION_NAMES = optionNames<GeodesicPathOptions>()('steps', 'metric');

/**
 * Gaussians along the geodesic from g0 to g1 at `steps` evenly spaced t, both ends
 * included, the decompositions done once: what a demo decodes to show a walk through a
 * VAE's latent space. The result is diagonal when both inputs are.
 *
 * @param g0 - start, dimension d
 * @param g1 - end, dimension d
 * @throws {@link core!LatentSpaceError} as {@link w2Geodesic} or {@link fisherRaoGeodesic}; `INVALID_OPTION`
 *
 * @example
 * ```ts
 * const walk = geodesicPath({ mean: [0], variance: [1] }, { mean: [0], variance: [16] }, { steps: 3, metric: 'fisher-rao' });
 * walk.map((g) => (g as DiagonalGaussian).variance[0]); // [1, 4, 16]
 * ```
 */
export function geodesicPath(g0: GaussianInput, g1: GaussianInput, options?: GeodesicPathOptions): Gaussian[] {
  const opts = checkOptions(options, GEODESIC_PATH_OPTION_NAMES);
  const metric = checkChoice(opts.metric ?? 'wasserstein', 'metric', METRICS);
  const positive = metric === 'fisher-rao';
  const a = resolveGaussian(g0, 'g0', positive), b = resolveGaussian(g1, 'g1', positive);
  sameDimension(a, b);
  const steps = checkSteps(opts.steps, a.variance && b.variance ? 2 * a.d : a.d * (a.d + 1));
  const at = walker(a, b, metric);
  return Array.from({ length: steps }, (_, s) => at(s === steps - 1 ? 1 : s / (steps - 1)));
}

function walker(a: Resolved, b: Resolved, metric: (typeof METRICS)[number]): (t: number) => Gaussian {
  switch (metric) {
    case 'wasserstein': return w2Path(a, b);
    case 'fisher-rao': return fisherRaoPath(a, b);
    case 'linear': return linearPath(a, b);
    default: return assertNever(metric, 'metric');
  }
}

function linearPath(a: Resolved, b: Resolved): (t: number) => Gaussian {
  const full = !(a.variance && b.variance);
  const S0 = full ? fullCov(a) : a.variance!, S1 = full ? fullCov(b) : b.variance!;
  return (t) => {
    const e = ends(a, b, t, full);
    if (e) return e;
    const mean = mix(a.mean, b.mean, t), S = mix(S0, S1, t);
    return full ? fullGaussian(mean, S) : { mean, variance: S };
  };
}
