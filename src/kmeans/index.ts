/**
 * `latentspace/kmeans`: k-means clustering, the usual first question about a latent space
 * ("does it fall into groups?"). Lloyd's iterations run on the linear-algebra kernels
 * (WebAssembly SIMD after `init()`), Elkan's and Hamerly's skip distances the triangle
 * inequality rules out, and mini-batch k-means learns from streams.
 *
 * ```ts
 * import * as kmeans from 'latentspace/kmeans';
 * const model = kmeans.fit(X, { k: 10, seed: 1 });   // { kind: 'kmeans', centroids, labels, inertia, nIter, converged, completed, … }
 * kmeans.predict(model, Xnew);                       // Int32Array of cluster indices
 * kmeans.transform(model, Xnew);                     // distances to every centroid
 * for (const step of kmeans.steps(X, { k: 10 })) draw(step.centroids);
 * ```
 *
 * @packageDocumentation
 */
export { fit, fitAsync, steps, autoAlgorithm } from './fit.js';
export type { KMeansOptions, KMeansStep, KMeansInit, AlgorithmOption } from './fit.js';
export { miniBatch, miniBatchAsync, miniBatchSteps, partialFit } from './minibatch.js';
export type { MiniBatchOptions, MiniBatchStep, PartialFitOptions } from './minibatch.js';
export { predict, transform, score, load } from './model.js';
export type { KMeansModel, ScoreOptions } from './model.js';
export type { Algorithm } from './solvers.js';
export type { Progress, OnProgress } from '../core/iterate.js';
export { toJSON } from '../core/json.js';
export { fromSklearn } from './sklearn.js';
