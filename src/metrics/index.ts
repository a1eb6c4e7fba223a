/**
 * `latentspace/metrics`: is a latent space well clustered, and do its clusters match the
 * classes? Internal measures from the points and their labels (silhouette, Davies–Bouldin,
 * Calinski–Harabasz), external ones against reference labels (adjusted Rand index,
 * normalised mutual information, homogeneity, completeness, V-measure), and the
 * trustworthiness of an embedding. Labels may be any integers.
 *
 * ```ts
 * import * as metrics from 'latentspace/metrics';
 * metrics.silhouetteScore(Z, model.labels, { sampleSize: 2000 });
 * metrics.adjustedRandIndex(digits, model.labels);
 * metrics.trustworthiness(X, embedding, { k: 10 });
 * ```
 *
 * @packageDocumentation
 */
export { adjustedRandIndex, normalizedMutualInfo, homogeneityCompletenessVMeasure } from './supervised.js';
export type { AverageMethod, NmiOptions, VMeasure, VMeasureOptions } from './supervised.js';
export { silhouetteSamples, silhouetteScore } from './silhouette.js';
export type { SilhouetteOptions, SilhouetteScoreOptions } from './silhouette.js';
export { daviesBouldin, calinskiHarabasz } from './internal.js';
export { trustworthiness } from './trustworthiness.js';
export type { TrustworthinessOptions } from './trustworthiness.js';
export { contingency } from './labels.js';
export type { Labels, Contingency } from './labels.js';
