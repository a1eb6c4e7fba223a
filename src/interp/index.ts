/**
 * `latentspace/interp`: walks through a latent space. Between two codes (points): `lerp`,
 * `slerp`, `path`. Between two Gaussians, as a VAE's encoder gives them: the
 * Wasserstein-2 geometry (`w2Distance`, `w2Map`, `w2Geodesic`, `w2Barycenter`) and the
 * Fisher-Rao geometry (`fisherRaoDistance`, `fisherRaoGeodesic`), exact and in closed form
 * where one exists, with O(d) diagonal cases and batch distances for whole VAE batches;
 * `geodesicPath` samples either path for decoding.
 *
 * ```ts
 * import * as interp from 'latentspace/interp';
 * interp.slerp(za, zb, 0.5);                                   // halfway along the great circle
 * const g0 = { mean: mu0, variance: var0 }, g1 = { mean: mu1, variance: var1 };
 * interp.w2Distance(g0, g1);                                   // O(d) for diagonal Gaussians
 * interp.geodesicPath(g0, g1, { steps: 8, metric: 'fisher-rao' }); // 8 Gaussians, ends included
 * ```
 *
 * @packageDocumentation
 */
export { lerp, slerp, path } from './vectors.js';
export type { PathOptions } from './vectors.js';
export { w2Distance, w2DistanceDiagonalBatch, w2Map, w2Geodesic, w2Barycenter } from './wasserstein.js';
export type { W2Map, W2BarycenterOptions, W2BarycenterResult } from './wasserstein.js';
export { fisherRaoDistance, fisherRaoDistanceDiagonalBatch, fisherRaoGeodesic } from './fisher-rao.js';
export { geodesicPath } from './geodesic-path.js';
export type { GeodesicPathOptions } from './geodesic-path.js';
export type {
  Gaussian, FullGaussian, DiagonalGaussian, GaussianInput, FullGaussianInput, DiagonalGaussianInput,
  DiagonalBatchInput, VectorInput,
} from './gaussian.js';
