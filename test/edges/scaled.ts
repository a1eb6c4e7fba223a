// Generators for the edge suite: matrices of small integers (exact in float64) scaled by a
// power of two into the subnormal range or near overflow, so that the exact answer is the
// answer for the integers, scaled (a reference that needs no extended precision).
import fc from 'fast-check';
import { expect } from 'vitest';
import { LatentSpaceError } from '../../src/core/errors.js';
import { errorOf } from '../helpers/errors.js';

/** x · 2^k in two exact steps (independent of the library's own helper). */
export function ldexp(x: number, k: number): number {
  if (k > 1000) return x * 2 ** 1000 * 2 ** (k - 1000);
  if (k < -1000) return x * 2 ** (k + 1000) * 2 ** -1000;
  return x * 2 ** k;
}

/** Exponents that put integers up to 64 in the subnormal range (2^-1074 … 2^-1022). */
export const subnormalExponent = fc.integer({ min: -1064, max: -1030 });
/** Exponents that put integers up to 64 near the top of float64 (whose squares overflow). */
export const hugeExponent = fc.integer({ min: 700, max: 950 });
/** Either end. */
export const extremeExponent = fc.oneof(subnormalExponent, hugeExponent);

/** An n × n symmetric matrix of integers in [−40, 40]. */
export const intSymmetric = (n: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.integer({ min: -40, max: 40 }), { minLength: n * n, maxLength: n * n }).map((v) =>
    Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => v[Math.min(i, j) * n + Math.max(i, j)]!)));

/** An m × n matrix of integers in [−40, 40]. */
export const intMatrix = (m: number, n: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: n, maxLength: n }), { minLength: m, maxLength: m });

/** Every entry times 2^k (exact for these integers and exponents). */
export const scaled = (X: number[][], k: number): number[][] => X.map((row) => row.map((v) => ldexp(v, k)));

/** A copy of a typed array times 2^k (the reference, rounded once where subnormal). */
export const scaledArray = (a: ArrayLike<number>, k: number): number[] => Array.from(a, (v) => ldexp(v, k));

/** Every entry finite (no NaN, no ±Infinity). */
export function expectFinite(a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) expect.fail(`entry ${i} is ${a[i]}`);
}

/**
 * |a − b| ≤ rtol·max|b| + atol entry by entry, atol defaulting to a few units of the
 * smallest subnormal (what rounding to the subnormal grid costs).
 */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-12, atol = 8 * 2 ** -1074): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i]! - b[i]!) <= rtol * scale + atol)) expect.fail(`entry ${i}: ${a[i]} vs ${b[i]} (scale ${scale})`);
  }
}

export { errorOf };
