import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toArrays } from '../../src/core/index.js';
import { largestEntrySign, svdFlip, svdFlipInPlace, svdFlipRowsInPlace } from '../../src/linalg/sign.js';
import { expectError, hasCanonicalSigns, maxAbsDiff, randomMatrix, reconstruct } from './decomposition-checks.js';

describe('largestEntrySign', () => {
  it('is the sign of the largest-magnitude entry, the first one on ties, +1 for zeros', () => {
    expect(largestEntrySign(3, new Float64Array([1, -3, 2]), 0, 1)).toBe(-1);
    expect(largestEntrySign(3, new Float64Array([-2, 2, 1]), 0, 1)).toBe(-1);
    expect(largestEntrySign(3, new Float64Array([2, -2, 1]), 0, 1)).toBe(1);
    expect(largestEntrySign(2, new Float64Array([0, 0]), 0, 1)).toBe(1);
    expect(largestEntrySign(0, new Float64Array(0), 0, 1)).toBe(1);
  });

  it('honours offset and stride', () => {
    const x = new Float64Array([9, -5, -9, 4, 9, 1]);
    expect(largestEntrySign(3, x, 1, 2)).toBe(-1); // −5, 4, 1
    expect(largestEntrySign(2, x, 2, 2)).toBe(-1); // −9, 9: the first wins
  });
});

describe('svdFlip', () => {
  it('the example of the documentation, without modifying the inputs', () => {
    const U = [[-1, 0], [0, 1]];
    const V = [[1, 0], [0, 1]];
    const out = svdFlip(U, V);
    expect(toArrays(out.U)).toEqual([[1, 0], [0, 1]]);
    expect(toArrays(out.V!)).toEqual([[-1, 0], [0, 1]]);
    expect(U).toEqual([[-1, 0], [0, 1]]);
    expect(V).toEqual([[1, 0], [0, 1]]);
  });

  it('U alone', () => {
    const { U, V } = svdFlip([[0.5, -3], [-2, 1]]);
    expect(toArrays(U)).toEqual([[-0.5, 3], [2, -1]]);
    expect(V).toBeUndefined();
  });

  it('leaves U·diag(s)·Vᵀ unchanged and makes the signs canonical (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 1e6 }), (m, n, k, seed) => {
        const U = randomMatrix(m, k, seed), V = randomMatrix(n, k, seed + 1);
        const s = randomMatrix(1, k, seed + 2).data;
        const out = svdFlip(U, V);
        expect(hasCanonicalSigns(out.U)).toBe(true);
        expect(maxAbsDiff(reconstruct(out.U, s, out.V!), reconstruct(U, s, V))).toBe(0);
        // Idempotent.
        expect(svdFlip(out.U, out.V).U).toEqual(out.U);
      }),
      { numRuns: 50 },
    );
  });

  it('the in-place kernels: columns with leading dimensions, and rows', () => {
    // U is 2 × 2 inside a 2 × 3 buffer; V is 3 × 2 inside a 3 × 2 buffer at offset 1.
    const U = new Float64Array([-2, 1, 7, 1, 1, 7]);
    const V = new Float64Array([0, 1, 2, 3, 4, 5, 6]);
    svdFlipInPlace(2, 2, U, 0, 3, 3, V, 1, 2);
    expect(Array.from(U)).toEqual([2, 1, 7, -1, 1, 7]);
    expect(Array.from(V)).toEqual([0, -1, 2, -3, 4, -5, 6]);
    const Ut = new Float64Array([0, -1, 3, 1]);
    const Vt = new Float64Array([1, 1, 1, 1]);
    svdFlipRowsInPlace(2, 2, Ut, 0, 2, 2, Vt, 0, 2);
    expect(Array.from(Ut)).toEqual([0, 1, 3, 1]);
    expect(Array.from(Vt)).toEqual([-1, -1, 1, 1]);
  });

  it('rejects V with a different number of columns', () => {
    expectError(() => svdFlip([[1, 2]], [[1]]), 'SHAPE_MISMATCH', /V: received a 1 × 1 matrix, expected 2 columns/);
  });
});
