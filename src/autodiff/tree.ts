import { describe, fail } from '../core/errors.js';
import { isMatrix, type FloatArray, type Matrix } from '../core/matrix.js';
import type { Var } from './tape.js';

/**
 * Parameters: a Matrix, or a plain object or array (nested as deep as one likes) whose
 * leaves are Matrices. Plain data, so it can be saved with `toJSON` or posted to a Worker.
 *
 * @example
 * ```ts
 * const params: Params = { layers: [{ weight: W1, bias: b1 }], scale: s };
 * ```
 */
export type Params = Matrix | readonly unknown[] | { readonly [key: string]: unknown };
// (The leaves are checked at run time by `leaves`: a fully recursive type here makes
// TypeScript's instantiation of Tracked<P> / Grads<P> too deep for generic callers.)

/** The same tree with every Matrix replaced by `L`. */
export type MapParams<P, L> = P extends Matrix ? L
  : P extends readonly unknown[] ? { [K in keyof P]: MapParams<P[K], L> }
  : P extends object ? { [K in keyof P]: MapParams<P[K], L> }
  : never;

/** Inside a differentiated function: the parameters as values of the computation. */
export type Tracked<P> = MapParams<P, Var>;

/** Gradients: one Matrix per parameter, in the parameters' shape. */
export type Grads<P> = MapParams<P, Matrix>;

/** A leaf of a parameter tree with its path (`layers[0].weight`), for messages. */
export interface Leaf {
  readonly path: string;
  readonly matrix: Matrix;
}

/** Every Matrix of a tree in a fixed order (array order, then object keys in insertion order). */
export function leaves(tree: unknown, name = 'params'): Leaf[] {
  const out: Leaf[] = [];
  const visit = (node: unknown, path: string): void => {
    if (isMatrix(node)) {
      out.push({ path, matrix: node });
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, `${path}[${i}]`));
    } else if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      for (const [key, child] of Object.entries(node)) visit(child, `${path}.${key}`);
    } else {
      fail('INVALID_INPUT', `${path}: received ${describe(node)}, expected a Matrix ({ rows, cols, data }) or a plain object or array of them`);
    }
  };
  visit(tree, name);
  if (out.length === 0) fail('EMPTY_INPUT', `${name}: holds no Matrix to differentiate`);
  return out;
}

/** The tree rebuilt with each leaf (in {@link leaves} order) replaced by `values[i]`. */
export function rebuild<L>(tree: unknown, values: readonly L[]): unknown {
  let i = 0;
  const visit = (node: unknown): unknown => {
    if (isMatrix(node)) return values[i++];
    if (Array.isArray(node)) return node.map(visit);
    return Object.fromEntries(Object.entries(node as object).map(([k, v]) => [k, visit(v)]));
  };
  return visit(tree);
}

/** A deep copy of a parameter tree (new typed arrays, same element types). */
export function cloneParams<P extends Params>(params: P): P {
  return rebuild(params, leaves(params).map(({ matrix: m }) => ({ rows: m.rows, cols: m.cols, data: m.data.slice() as FloatArray }))) as P;
}
