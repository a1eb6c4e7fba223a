/**
 * `latentspace/latent`: arithmetic, neighbours and few-shot labels in a latent space (PCA
 * codes, VAE means, word vectors, a network's activations). Plain vectors and matrices in,
 * typed arrays out.
 *
 * ```ts
 * import * as latent from 'latentspace/latent';
 * latent.nearest(E, Q, { k: 10, metric: 'cosine' });           // exact kNN, blocked on the GEMM kernel
 * const smile = latent.attributeVector(Zsmiling, Zother);        // White's smile vector
 * latent.shift(Z, smile, [0, 0.5, 1, 1.5]);                      // each row moved along it
 * latent.analogy(E, man, king, woman, { k: 5 });                 // 3CosAdd, the inputs excluded
 * latent.fewShot(Z, landmarks, labels, { method: 'spread' });    // scikit-learn's LabelSpreading(kernel='knn')
 * latent.valleyPath(somModel, za, zb);                           // along the U-matrix's valleys
 * ```
 *
 * Conventions: rows are codes; a single code may be passed as a plain vector; results are
 * float64; `nearest` and `analogy` are exact, with ties broken by the lower row index.
 *
 * @packageDocumentation
 */
export { nearest } from './nearest.js';
export type { NearestOptions, NearestResult } from './nearest.js';
export type { Metric } from './search.js';
export { attributeVector, shift, styleShift, around, loop, project } from './arithmetic.js';
export type { AttributeVectorOptions, StyleShiftOptions, AroundOptions, LoopOptions } from './arithmetic.js';
export { analogy } from './analogy.js';
export type { AnalogyOptions, AnalogyResult } from './analogy.js';
export { fewShot } from './few-shot.js';
export type { FewShotMethod, FewShotOptions, FewShotResult } from './few-shot.js';
export { valleyPath } from './valley.js';
export type { ValleyPathOptions, ValleyPath } from './valley.js';
export type { CodesInput } from './input.js';
export type { SomModel } from '../som/model.js';
export type { SeedLike } from '../core/random.js';
export type { Matrix, MatrixInput } from '../core/matrix.js';
