import type { Region } from './types.js';

/**
 * A region on the TypeScript backend: the array itself, nothing to release.
 *
 * @example
 * ```ts
 * jsRegion(new Float64Array(3)).view().length; // 3
 * ```
 */
export function jsRegion<A>(data: A & { readonly length: number }): Region<A> {
  return { length: data.length, view: () => data, release() {} };
}

/** The TypeScript backend's `resident`: the data is already where its kernels read it. */
export const resident = <A extends Float64Array | Float32Array | Int32Array | Int16Array>(data: A): Region<A> => jsRegion(data);

/** The TypeScript backend's `region`: a fresh array of that type. */
export const region = <A extends Float64Array | Float32Array | Int32Array | Int16Array>(like: A, length: number): Region<A> =>
  jsRegion(new (like.constructor as new (n: number) => A)(length));
