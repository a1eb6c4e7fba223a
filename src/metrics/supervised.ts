import { checkChoice, checkNumber, checkOptions, optionNames } from '../core/options.js';
import { contingency, type Contingency, type Labels } from './labels.js';

/**
 * The adjusted Rand index of two labellings: the Rand index (the fraction of pairs of rows
 * on which they agree, same cluster or not) corrected for chance, so random labellings
 * score about 0 and identical ones (up to renaming) score 1. Symmetric; may be negative.
 * Counts come from the sparse contingency table; the final products use BigInt, so the
 * result is exact before the last division whatever n.
 *
 * @param labelsTrue - (nSamples) integers, e.g. the true classes
 * @param labelsPred - (nSamples) integers, e.g. cluster labels
 * @see Hubert & Arabie (1985), "Comparing partitions", Journal of Classification 2
 *
 * @example
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], [5, 5, 3, 3]); // 1
 * adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]); // -0.5
 * ```
 */
export function adjustedRandIndex(labelsTrue: Labels, labelsPred: Labels): number {
  const t = contingency(labelsTrue, labelsPred);
  const sumSq = (v: Float64Array): number => v.reduce((s, x) => s + x * x, 0);
  const n = BigInt(t.n);
  const cells = BigInt(sumSq(t.cells));
  let crossClass = 0, crossCluster = 0;
  for (let c = 0; c < t.cells.length; c++) {
    crossClass += t.cells[c]! * t.clusterSizes[t.cellCluster[c]!]!;
    crossCluster += t.cells[c]! * t.classSizes[t.cellClass[c]!]!;
  }
  // The pair confusion matrix of scikit-learn's pair_confusion_matrix.
  const tp = cells - n;
  const fp = BigInt(crossClass) - cells;
  const fn = BigInt(crossCluster) - cells;
  const tn = n * n - fp - fn - cells;
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/** Entropy (nats) of a labelling from its cluster sizes, as scikit-learn computes it. */
function entropy(sizes: Float64Array, n: number): number {
  if (n === 0) return 1;
  if (sizes.length === 1) return 0;
  const logN = Math.log(n);
  let h = 0;
  for (const s of sizes) h -= (s / n) * (Math.log(s) - logN);
  return h;
}

/**
 * Mutual information (nats) of the two labellings in the table, term by term in scikit-learn's
 * arrangement (log a − log b rather than log(a / b), terms below ε dropped), clipped at 0.
 */
function mutualInformation(t: Contingency): number {
  if (t.classSizes.length === 1 || t.clusterSizes.length === 1) return 0;
  const logN = Math.log(t.n);
  let mi = 0;
  for (let c = 0; c < t.cells.length; c++) {
    const v = t.cells[c]!, p = v / t.n;
    const outer = t.classSizes[t.cellClass[c]!]! * t.clusterSizes[t.cellCluster[c]!]!;
    const term = p * (Math.log(v) - logN) + p * (-Math.log(outer) + logN + logN);
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(0, mi);
}

/**
 * How {@link normalizedMutualInfo} normalises: which mean of the two entropies.
 *
 * @example
 * ```ts
 * normalizedMutualInfo(a, b, { averageMethod: 'geometric' });
 * ```
 */
export type AverageMethod = 'arithmetic' | 'geometric' | 'min' | 'max';

const AVERAGES: readonly AverageMethod[] = ['arithmetic', 'geometric', 'min', 'max'];

/**
 * Options of {@link normalizedMutualInfo}.
 *
 * @example
 * ```ts
 * normalizedMutualInfo([0, 0, 1], [0, 1, 1], { averageMethod: 'max' });
 * ```
 */
export interface NmiOptions {
  /**
   * The mean of H(true) and H(pred) that divides the mutual information.
   * @defaultValue 'arithmetic' (then NMI equals the V-measure)
   */
  averageMethod?: AverageMethod;
}

function average(u: number, v: number, method: AverageMethod): number {
  switch (method) {
    case 'arithmetic': return (u + v) / 2;
    case 'geometric': return Math.sqrt(u * v);
    case 'min': return Math.min(u, v);
    case 'max': return Math.max(u, v);
  }
}

/** Every option name of {@link NmiOptions} (unknown ones are rejected). */
const NMI_OPTION_NAMES = optionNames<NmiOptions>()('averageMethod');

/**
 * Normalised mutual information: I(true; pred) divided by a mean of the two entropies, in
 * [0, 1]; 1 for identical labellings (up to renaming), and for two single-cluster ones.
 *
 * @param labelsTrue - (nSamples) integers
 * @param labelsPred - (nSamples) integers
 * @see Strehl & Ghosh (2002), "Cluster ensembles", JMLR 3; Vinh, Epps & Bailey (2010), JMLR 11
 *
 * @example
 * ```ts
 * normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]); // 1
 * normalizedMutualInfo([0, 0, 1, 1], [0, 1, 0, 1]); // 0
 * ```
 */
export function normalizedMutualInfo(labelsTrue: Labels, labelsPred: Labels, options?: NmiOptions): number {
  const method = checkChoice<AverageMethod>(checkOptions(options, NMI_OPTION_NAMES).averageMethod ?? 'arithmetic', 'averageMethod', AVERAGES);
  const t = contingency(labelsTrue, labelsPred);
  const nc = t.classSizes.length, nk = t.clusterSizes.length;
  // Neither labelling splits the data: a perfect match.
  if ((nc === 1 && nk === 1) || (nc === 0 && nk === 0)) return 1;
  const mi = mutualInformation(t);
  if (mi === 0) return 0;
  return mi / average(entropy(t.classSizes, t.n), entropy(t.clusterSizes, t.n), method);
}

/**
 * Result of {@link homogeneityCompletenessVMeasure}, each in [0, 1].
 *
 * @example
 * ```ts
 * const { homogeneity, completeness, vMeasure } = homogeneityCompletenessVMeasure(classes, clusters);
 * ```
 */
export interface VMeasure {
  /** Each cluster holds rows of one class only: I / H(true) (1 when H(true) = 0). */
  readonly homogeneity: number;
  /** Each class lies in one cluster only: I / H(pred) (1 when H(pred) = 0). */
  readonly completeness: number;
  /** Their weighted harmonic mean, (1 + β)·h·c / (β·h + c). */
  readonly vMeasure: number;
}

/**
 * Options of {@link homogeneityCompletenessVMeasure}.
 *
 * @example
 * ```ts
 * homogeneityCompletenessVMeasure(classes, clusters, { beta: 2 }).vMeasure; // completeness weighs more
 * ```
 */
export interface VMeasureOptions {
  /**
   * Weight of completeness against homogeneity in the V-measure (β > 1 favours completeness).
   * @defaultValue 1
   */
  beta?: number;
}

/** Every option name of {@link VMeasureOptions} (unknown ones are rejected). */
const VMEASURE_OPTION_NAMES = optionNames<VMeasureOptions>()('beta');

/**
 * Homogeneity, completeness and V-measure of a clustering against classes, from the
 * conditional entropies of the contingency table.
 *
 * @param labelsTrue - (nSamples) class labels, any integers
 * @param labelsPred - (nSamples) cluster labels, any integers
 * @see Rosenberg & Hirschberg (2007), "V-measure: a conditional entropy-based external cluster evaluation measure", EMNLP
 *
 * @example
 * ```ts
 * homogeneityCompletenessVMeasure([0, 0, 1, 1], [0, 0, 1, 2]);
 * // { homogeneity: 1, completeness: 0.6666…, vMeasure: 0.8 } (to rounding)
 * ```
 */
export function homogeneityCompletenessVMeasure(labelsTrue: Labels, labelsPred: Labels, options?: VMeasureOptions): VMeasure {
  const beta = checkNumber(checkOptions(options, VMEASURE_OPTION_NAMES).beta ?? 1, 'beta', 0);
  const t = contingency(labelsTrue, labelsPred);
  if (t.n === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1 };
  const hc = entropy(t.classSizes, t.n), hk = entropy(t.clusterSizes, t.n);
  const mi = mutualInformation(t);
  const homogeneity = hc !== 0 ? mi / hc : 1;
  const completeness = hk !== 0 ? mi / hk : 1;
  const vMeasure = homogeneity + completeness === 0 ? 0 : ((1 + beta) * homogeneity * completeness) / (beta * homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}
