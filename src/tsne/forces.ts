import { assertNever } from '../core/errors.js';
import type { Csr } from './affinities.js';
import { BarnesHutTree } from './barnes-hut.js';
import { FftRepulsion } from './fft.js';
import { attractive, attractiveCost, entropyTerm, exactRepulsion, upperTriangle } from './gradient.js';
import type { GradientFn } from './descent.js';
import type { TsneMethod } from './options.js';

/**
 * The repulsive half of the gradient: out[i] ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ) for every point, and the
 * returned Z ≈ Σ_{i≠j} wᵢⱼ.
 *
 * @example
 * ```ts
 * const rep: Repulsion = (Y, n, out) => exactRepulsion(Y, n, 2, out);
 * ```
 */
export type Repulsion = (Y: Float64Array, n: number, out: Float64Array) => number;

/**
 * The repulsion of a method, holding its reusable buffers (tree, grids).
 *
 * @example
 * ```ts
 * const Z = repulsionFor('barnes-hut', 2, 0.5)(Y, n, out);
 * ```
 */
export function repulsionFor(method: TsneMethod, dim: number, theta: number): Repulsion {
  switch (method) {
    case 'exact':
      return (Y, n, out) => exactRepulsion(Y, n, dim, out);
    case 'barnes-hut': {
      const tree = new BarnesHutTree(dim);
      return (Y, n, out) => {
        tree.build(Y, n);
        return tree.repulsion(Y, n, theta, out);
      };
    }
    case 'fft': {
      const fft = new FftRepulsion(dim);
      return (Y, n, out) => fft.repulsion(Y, n, out);
    }
    default:
      return assertNever(method, 'method');
  }
}

/**
 * The full t-SNE gradient 4·(α·attraction − repulsion / Z) over the joint P, and the KL
 * divergence Σ p log p + Σ p log(1 + d²) + log Z when asked.
 *
 * @example
 * ```ts
 * const gradient = tsneGradient(P, 2, repulsionFor('exact', 2, 0));
 * const kl = gradient(Y, grad, 1, true);
 * ```
 */
export function tsneGradient(P: Csr, dim: number, repulsion: Repulsion): GradientFn {
  const n = P.n;
  const attr = new Float64Array(n * dim), rep = new Float64Array(n * dim);
  const pLogP = entropyTerm(P);
  // P is symmetric: each pair once (half the work), acting on both points.
  const U = upperTriangle(P);
  return (Y, grad, exaggeration, measure) => {
    attractive(U, Y, dim, exaggeration, attr);
    const Z = repulsion(Y, n, rep);
    const invZ = 1 / Z;
    for (let p = 0; p < n * dim; p++) grad[p] = 4 * (attr[p]! - rep[p]! * invZ);
    return measure ? pLogP + 2 * attractiveCost(U, Y, dim) + Math.log(Z) : NaN;
  };
}
