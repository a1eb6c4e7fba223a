import fc from 'fast-check';
import type { DiagonalGaussian, FullGaussian, Gaussian } from '../../src/interp/index.js';

export { errorOf } from '../helpers/errors.js';

/** B·Bᵀ + eps·I for the d × d entries of B (row-major): a positive definite covariance. */
export function spd(d: number, B: readonly number[], eps = 0.1): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
    let s = i === j ? eps : 0;
    for (let k = 0; k < d; k++) s += B[i * d + k]! * B[j * d + k]!;
    return s;
  }));
}

const coord = fc.double({ min: -3, max: 3, noNaN: true });
const positive = fc.double({ min: 0.05, max: 4, noNaN: true });

/** A full Gaussian of dimension d with a well-conditioned covariance. */
export const fullArb = (d: number): fc.Arbitrary<{ mean: number[]; cov: number[][] }> =>
  fc.record({ mean: fc.array(coord, { minLength: d, maxLength: d }), B: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: d * d, maxLength: d * d }) })
    .map(({ mean, B }) => ({ mean, cov: spd(d, B) }));

/** A diagonal Gaussian of dimension d. */
export const diagArb = (d: number): fc.Arbitrary<{ mean: number[]; variance: number[] }> =>
  fc.record({ mean: fc.array(coord, { minLength: d, maxLength: d }), variance: fc.array(positive, { minLength: d, maxLength: d }) });

/** Full covariance of an output Gaussian as number[][]. */
export function covOf(g: Gaussian): number[][] {
  if ('variance' in g) return Array.from(g.variance, (v, i) => Array.from(g.variance, (_, j) => (i === j ? v : 0)));
  const { rows, data } = (g as FullGaussian).cov;
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * rows, (i + 1) * rows)));
}

export const isDiagonal = (g: Gaussian): g is DiagonalGaussian => 'variance' in g;

/** max |a − b| over two nested arrays of numbers. */
export function maxDiff(a: ArrayLike<number> | number[][], b: ArrayLike<number> | number[][]): number {
  const fa = (Array.isArray(a) && Array.isArray(a[0]) ? (a as number[][]).flat() : Array.from(a as ArrayLike<number>));
  const fb = (Array.isArray(b) && Array.isArray(b[0]) ? (b as number[][]).flat() : Array.from(b as ArrayLike<number>));
  if (fa.length !== fb.length) return Infinity;
  return Math.max(0, ...fa.map((x, i) => Math.abs(x - fb[i]!)));
}
