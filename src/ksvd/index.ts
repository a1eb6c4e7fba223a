/**
 * `latentspace/ksvd`: dictionary learning by K-SVD. A dictionary of unit-norm atoms is
 * learned so that every signal is a weighted sum of a few of them; `decode` tells which
 * atoms make up a vector, `incremental` rebuilds it one atom at a time, `query` finds the
 * samples that use an atom.
 *
 * ```ts
 * import * as ksvd from 'latentspace/ksvd';
 * const model = ksvd.fit(Z, { nAtoms: 128, nNonzero: 5, maxIter: 30, seed: 0 });
 * const parts = ksvd.decode(model, z);     // [{ atom: 17, weight: 1.9 }, …] by |weight|
 * const path = ksvd.incremental(model, z); // row j = the reconstruction with j + 1 atoms
 * ```
 *
 * @packageDocumentation
 */
export { fit, fitAsync, steps } from './fit.js';
export type { KsvdOptions, KsvdStep, KsvdMethod, KsvdInit } from './fit.js';
export { load } from './model.js';
export type { KsvdModel } from './model.js';
export { transform, inverseTransform, decode, incremental, query } from './transform.js';
export type { AtomWeight } from './transform.js';
export { fromSklearn } from './sklearn.js';
