/**
 * `latentspace/omp`: sparse coding. A vector is read as a weighted sum of a few atoms
 * (unit-norm rows) of a dictionary D, (nAtoms, nFeatures): Orthogonal Matching Pursuit
 * picks the atoms greedily (Batch-OMP), the Lasso finds them by ℓ₁-penalised least squares.
 *
 * ```ts
 * import * as omp from 'latentspace/omp';
 * const { codes, nIter } = omp.encode(D, X, { nNonzero: 5 });   // (nSamples, nAtoms)
 * const r = omp.encode(D, X, { tol: 1e-3, returnSparse: true }); // r.sparse: CSR
 * const same = omp.encodeGram(G, DX, { nNonzero: 5 });           // G = DDᵀ, DX = DXᵀ
 * const l1 = omp.lasso(D, X, { alpha: 0.05 });                   // sklearn Lasso's objective
 * ```
 *
 * @packageDocumentation
 */
export { encode, encodeGram } from './encode.js';
export type { EncodeOptions, EncodeGramOptions, OmpResult, OmpRowResult } from './encode.js';
export { lasso } from './lasso.js';
export type { LassoOptions, LassoResult } from './lasso.js';
export type { SparseCodes } from './sparse.js';
export { fromSklearn } from './sklearn.js';
export type { SklearnDictionary, SklearnDictionarySource } from './sklearn.js';
