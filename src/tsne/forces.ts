import { assertNever } from '../core/errors.js';
import { regionKernel, residentKernel, tsneAttraction2Kernel, tsneBarnesHut2Kernel } from '../linalg/kernels/dispatch.js';
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
      // In 2-D the kernel builds the quadtree itself (on WebAssembly, in its own memory).
      if (dim === 2) return (Y, n, out) => tsneBarnesHut2Kernel()(n, Y, theta, out);
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
 * A t-SNE gradient with the operands it keeps resident in the kernels' memory;
 * `release()` gives that memory back (call it when the run ends).
 *
 * @example
 * ```ts
 * const g = tsneGradient(P, 2, repulsionFor('barnes-hut', 2, 0.5));
 * try { g.gradient(Y, grad, 1, true); } finally { g.release(); }
 * ```
 */
export interface TsneGradient {
  readonly gradient: GradientFn;
  release(): void;
}

/**
 * The full t-SNE gradient 4·(α·attraction − repulsion / Z) over the joint P, and the KL
 * divergence Σ p log p + Σ p log(1 + d²) + log Z when asked.
 *
 * In 2-D, the upper triangle of P (half of its entries) is placed in the kernels' memory
 * once per run, and each iteration copies the embedding there once (160 KB at
 * 10,000 points) for the attraction kernel, the tree and the repulsion kernel; the forces
 * are written there too. On WebAssembly, copying P in per iteration moved as much memory
 * as the attraction's own work.
 *
 * @example
 * ```ts
 * const { gradient, release } = tsneGradient(P, 2, repulsionFor('exact', 2, 0));
 * const kl = gradient(Y, grad, 1, true);
 * release();
 * ```
 */
export function tsneGradient(P: Csr, dim: number, repulsion: Repulsion): TsneGradient {
  const n = P.n;
  const pLogP = entropyTerm(P);
  // P is symmetric: each pair once (half the work), acting on both points.
  const U = upperTriangle(P);
  const combine = (Y: Float64Array, grad: Float64Array, attr: Float64Array, rep: Float64Array, Z: number, measure: boolean): number => {
    const invZ = 1 / Z;
    for (let p = 0; p < n * dim; p++) grad[p] = 4 * (attr[p]! - rep[p]! * invZ);
    return measure ? pLogP + 2 * attractiveCost(U, Y, dim) + Math.log(Z) : NaN;
  };
  if (dim !== 2) {
    const attr = new Float64Array(n * dim), rep = new Float64Array(n * dim);
    const gradient: GradientFn = (Y, grad, exaggeration, measure) => {
      attractive(U, Y, dim, exaggeration, attr);
      return combine(Y, grad, attr, rep, repulsion(Y, n, rep), measure);
    };
    return { gradient, release() {} };
  }
  const place = residentKernel(), make = regionKernel();
  const rowPtr = place(U.rowPtr), col = place(U.col), val = place(U.val);
  const like = new Float64Array(0);
  const y = make(like, 2 * n), attr = make(like, 2 * n), rep = make(like, 2 * n);
  const regions = [rowPtr, col, val, y, attr, rep];
  // Views are taken again after every kernel call: a call may grow the memory, which
  // detaches the views taken before it.
  const gradient: GradientFn = (Y, grad, exaggeration, measure) => {
    y.view().set(Y.subarray(0, 2 * n));
    tsneAttraction2Kernel()(n, rowPtr.view(), col.view(), val.view(), y.view(), exaggeration, attr.view());
    const Z = repulsion(y.view(), n, rep.view());
    return combine(Y, grad, attr.view(), rep.view(), Z, measure);
  };
  return { gradient, release: () => regions.forEach((r) => r.release()) };
}
