/**
 * `latentspace/tsne`: t-SNE maps of a latent space, exact, Barnes-Hut or FFT-accelerated
 * (FIt-SNE), in Node, a browser tab or a Web Worker.
 *
 * ```ts
 * import * as tsne from 'latentspace/tsne';
 * const model = tsne.fit(X, { perplexity: 30, seed: 1 });  // { kind: 'tsne', embedding (n × 2), kl, nIter, … }
 * for (const step of tsne.steps(X, { yieldEvery: 10 })) draw(step.embedding);
 * const Ynew = tsne.transform(model, Xnew);                 // place new points into the map
 * ```
 *
 * @packageDocumentation
 */
export { fit, fitAsync, steps, optimize, optimizeSteps } from './fit.js';
export type { OptimizeOptions } from './fit.js';
export { autoMethod } from './options.js';
export type { TsneOptions, TsneStep, TsneMethod, TsneMethodOption, TsneInit, TsneMetric } from './options.js';
export { transform } from './transform.js';
export type { TransformOptions } from './transform.js';
export { load } from './model.js';
export type { TsneModel } from './model.js';
export type { Progress, OnProgress } from '../core/iterate.js';
export { toJSON } from '../core/json.js';
