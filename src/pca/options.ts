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
   * (k components only). `'auto'`: covariance when the smaller side is ≤ 1000 and the
   * larger is at least 5 times it; else, with the smaller side ≤ 1000 and the larger > 500,
   * covariance unless k is an integer < 0.8·min(nSamples, nFeatures) for which the
   * randomized solver's estimated cost is lower; else randomized for such a k when the
   * larger side is > 500; else full. The model records which one ran.
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
  const nOversamples = checkInt(o.nOversamples ?? 10, 'nOversamples', 0, MAX_ITERATIONS);
  const iterations = o.powerIterations ?? 'auto';
  const powerIterations = iterations === 'auto' ? (k < 0.1 * limit ? 7 : 4) : checkInt(iterations, 'powerIterations', 0, 100);
  const solver = requested === 'auto' ? autoSolver(n, d, 'count' in nComponents ? k : null, nOversamples, powerIterations) : requested;
  if (solver === 'randomized' && 'fraction' in nComponents) {
    fail('INVALID_OPTION', `nComponents: received the fraction ${nComponents.fraction}, which needs the whole spectrum; the randomized solver computes only k components: pass an integer, or use solver 'full' or 'covariance'`);
  }
  return {
    nComponents,
    solver,
    whiten: checkBoolean(o.whiten ?? false, 'whiten'),
    nOversamples,
    powerIterations,
    seed: checkSeed(o.seed ?? 0),
  };
}

/**
 * The `'auto'` policy for (n × d) data and k components (null: a variance fraction, the
 * whole spectrum). Past 5 : 1 with s = min(n, d) ≤ 1000, covariance, as before. With s ≤
 * 1000 the covariance solver's eigenproblem is small,
 * and it is the cheapest exact solver at every aspect ratio (measured on MNIST rows,
 * 784 … 3920 × 784: 5–8× faster than full), not only past 5 : 1, the old rule that sent
 * 1999 × 784 to full (3 s against 0.2 s). Its squared condition number costs accuracy only
 * for variances below ~1e-8 of the largest (1999 × 784 MNIST: its 500 non-zero variances,
 * down to 1.6e-9 of the largest, agree with full's to 8e-9), so below 500 on both sides,
 * where full is cheap anyway, full keeps the whole spectrum exact. Randomized (an
 * approximation) is taken for an integer k < 0.8·s when it is cheaper by estimate.
 */
function autoSolver(n: number, d: number, k: number | null, nOversamples: number, powerIterations: number): ResolvedPcaOptions['solver'] {
  const s = Math.min(n, d), N = Math.max(n, d);
  const sketch = k !== null && N > 500 && k < 0.8 * s;
  if (s <= 1000 && N >= 5 * s) return 'covariance';
  if (s <= 1000 && N > 500) {
    return k !== null && sketch && randomizedCost(N, s, k, nOversamples, powerIterations) < covarianceCost(N, s) ? 'randomized' : 'covariance';
  }
  return sketch ? 'randomized' : 'full';
}

// Estimated time, in flops at the covariance Gram's rate (14 GFLOP/s measured): the Gram
// (one triangle, N·s²) and its eigendecomposition, ~10·s³ when divide and conquer deflates
// little (random 700 × 900: 287 ms in all; MNIST's zero pixels deflate: half that).
const covarianceCost = (N: number, s: number): number => N * s * s + 10 * s * s * s;

// 2(q + 1) products (N × s)·(s × l), 4(q + 1)·N·s·l flops, at the ~2.5× lower rate measured
// for the randomized solver with its LU steps (1999 × 784: 450 ms for l = 60, q = 7).
function randomizedCost(N: number, s: number, k: number, nOversamples: number, powerIterations: number): number {
  const l = Math.min(k + nOversamples, s);
  return 10 * (powerIterations + 1) * N * s * l;
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
