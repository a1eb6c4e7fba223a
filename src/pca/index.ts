/**
 * `latentspace/pca`: principal component analysis, the door into latent space. A sample
 * is its mean plus a weighted sum of orthonormal components (eigenfaces, for faces); the
 * weights are its coordinates in the latent space.
 *
 * ```ts
 * import * as pca from 'latentspace/pca';
 * const model = pca.fit(X, { nComponents: 50 });      // or 0.95: keep 95% of the variance
 * const Z = pca.transform(model, X);                    // (nSamples, 50)
 * const Xhat = pca.inverseTransform(model, Z);          // (nSamples, nFeatures)
 * const steps = pca.reconstruct(model, x, [1, 5, 10]);  // x rebuilt from its first k components
 * ```
 *
 * @packageDocumentation
 */
export { fit } from './fit.js';
export { transform, inverseTransform, fitTransform, reconstruct, score, scoreSamples } from './transform.js';
export type { PcaFitTransformResult } from './transform.js';
export { partialFit } from './incremental.js';
export type { PartialFitOptions } from './incremental.js';
export { load } from './model.js';
export type { PcaModel, PcaSolverUsed } from './model.js';
export type { PcaOptions, PcaSolver } from './options.js';
export { fromSklearn } from './sklearn.js';
