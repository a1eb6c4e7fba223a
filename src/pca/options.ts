import { fail } from '../core/errors.js';
import { checkBoolean, checkChoice, checkInt, checkNumber, checkOptions, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { checkSeed, type SeedLike } from '../core/random.js';

/** The solvers `fit` can use; `'auto'` picks one from the shape (see {@link PcaOptions.solver}). */
export type PcaSolver = 'auto' | 'full' | 'covariance' | 'randomized';

/** Options of `pca.fit`. */
export interface PcaOptions {
  /**
   * Components to keep: an integer in [1, min(nSamples, nFeatures)], or a fraction in
   * (0, 1) meaning the smallest k whose cumulative explained-variance ratio reaches it.
   * @defaultValue min(nSamples, nFeatures)
   */
  nComponents?: number;
  /**
   * `'covariance'`: eigendecomposition of the Gram matrix of the smaller side: the
   * (nFeatures × nFeatures) covariance, built from centred chunks so memory beyond the
   * input does not grow with nSamples; or, with fewer samples than features, the
   * (nSamples × nSamples) Gram matrix (the eigenfaces trick). It squares the condition
   * number, so components whose variance is below ~1e-8 of the largest are less accurate
   * than with `'full'`.
   * `'full'`: SVD of the centred data. `'randomized'`: Halko et al.'s randomized SVD
   * (k components only). `'auto'`: covariance when one side is at least 5 times the other
   * and the smaller is ≤ 1000; else randomized when the matrix is large (max dimension
   * > 500) and k < 0.8·min(nSamples, nFeatures); else full. The model records which one ran.
   * @defaultValue 'auto'
   */
  solver?: PcaSolver;
  /** Scale transformed coordinates to unit variance. @defaultValue false */
  whiten?: boolean;
  /** Extra random directions for the randomized solver. @defaultValue 10 */
  nOversamples?: number;
  /**
   * Power iterations of the randomized solver; `'auto'` is 7 when k < 0.1·min(nSamples,
   * nFeatures), else 4 (as Halko et al. and scikit-learn).
   * @defaultValue 'auto'
   */
  powerIterations?: number | 'auto';
  /** Seed (or generator) of the randomized solver. @defaultValue 0 */
  seed?: SeedLike;
}

/** Options resolved against the data's shape. */
export interface ResolvedPcaOptions {
  /** Integer count, or the fraction of variance to reach. */
  nComponents: { count: number } | { fraction: number };
  solver: 'full' | 'covariance' | 'randomized';
  whiten: boolean;
  nOversamples: number;
  powerIterations: number;
  seed: SeedLike;
}

const SOLVERS: readonly PcaSolver[] = ['auto', 'full', 'covariance', 'randomized'];

/** Every option name of {@link PcaOptions} (unknown ones are rejected). */
const PCA_OPTION_NAMES = /* @__PURE__ */ optionNames<PcaOptions>()('nComponents', 'solver', 'whiten', 'nOversamples', 'powerIterations', 'seed');

/** Validates options once and fills in every default for data of shape (n × d). */
export function resolveOptions(options: PcaOptions | undefined, n: number, d: number): ResolvedPcaOptions {
  const o = checkOptions(options, PCA_OPTION_NAMES);
  const limit = Math.min(n, d);
  const nComponents = resolveComponents(o.nComponents, limit);
  const requested = checkChoice(o.solver ?? 'auto', 'solver', SOLVERS);
  const k = 'count' in nComponents ? nComponents.count : limit;
  let solver: ResolvedPcaOptions['solver'];
  if (requested === 'auto') {
    if ((n >= 5 * d && d <= 1000) || (d >= 5 * n && n <= 1000)) solver = 'covariance';
    else if ('count' in nComponents && Math.max(n, d) > 500 && k < 0.8 * limit) solver = 'randomized';
    else solver = 'full';
  } else {
    solver = requested;
  }
  if (solver === 'randomized' && 'fraction' in nComponents) {
    fail('INVALID_OPTION', `nComponents: received the fraction ${nComponents.fraction}, which needs the whole spectrum; the randomized solver computes only k components: pass an integer, or use solver 'full' or 'covariance'`);
  }
  const powerIterations = o.powerIterations ?? 'auto';
  return {
    nComponents,
    solver,
    whiten: checkBoolean(o.whiten ?? false, 'whiten'),
    nOversamples: checkInt(o.nOversamples ?? 10, 'nOversamples', 0, MAX_ITERATIONS),
    powerIterations: powerIterations === 'auto' ? (k < 0.1 * limit ? 7 : 4) : checkInt(powerIterations, 'powerIterations', 0, 100),
    seed: checkSeed(o.seed ?? 0),
  };
}

function resolveComponents(value: unknown, limit: number): ResolvedPcaOptions['nComponents'] {
  if (value === undefined) return { count: limit };
  const v = checkNumber(value, 'nComponents', Number.MIN_VALUE);
  if (v < 1) return { fraction: v };
  if (!Number.isInteger(v)) {
    fail('INVALID_OPTION', `nComponents: received ${v}, expected an integer ≥ 1 or a fraction in (0, 1)`);
  }
  if (v > limit) {
    fail('INVALID_OPTION', `nComponents: received ${v}, expected at most min(nSamples, nFeatures) = ${limit}`);
  }
  return { count: v };
}
