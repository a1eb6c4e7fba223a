import { Random } from '../../src/core/random.js';
import type { Matrix } from '../../src/core/matrix.js';
import { recovered, syntheticDictionary } from './synthetic-data.mjs';

/** The synthetic experiment of Aharon et al. (2006) with src/'s generator: see ./synthetic-data.mjs. */
export function synthetic(seed: number, nAtoms = 50, nFeatures = 20, nSamples = 1500, k = 3, snrDb = Infinity): { D: Matrix<Float64Array>; X: Matrix<Float64Array> } {
  return syntheticDictionary(Random, seed, nAtoms, nFeatures, nSamples, k, snrDb);
}

export { recovered };
