/**
 * The unvalidated cores that library code calls instead of the public functions
 * (svdKernel, product64, rangeFinder) give the public functions' bits, on both backends:
 * PCA and t-SNE switched to them without changing a result.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { matmul, product64 } from '../../src/linalg/matmul.js';
import { rangeFinder, randomizedRangeFinder, type RangeNormalizer } from '../../src/linalg/range-finder.js';
import { svd, svdKernel } from '../../src/linalg/svd.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { codeOf } from '../helpers/errors.js';
import { randomMatrix } from './decomposition-checks.js';

// Tall (the QR path and the direct one), square, wide, and sizes past gemm's 4 × 4 tiles.
const shapes: Array<[number, number]> = [[40, 7], [9, 7], [13, 13], [5, 17], [1, 6], [6, 1], [70, 33]];

describe.each(backendNames)('linalg cores on %s', (backend) => {
  useBackendFor(backend);

  it.each(shapes)('svdKernel gives svd\'s bits (%i × %i), every k', (m, n) => {
    const A = randomMatrix(m, n, m * 31 + n);
    for (const k of [1, Math.min(m, n)]) {
      const ref = svd(A, { k });
      const core = svdKernel(m, n, A.data.slice(), k);
      expect(core.s).toEqual(ref.s);
      expect(core.U).toEqual(ref.U);
      expect(core.V).toEqual(ref.V);
    }
    // A wide matrix is only read.
    if (m < n) {
      const copy = A.data.slice();
      svdKernel(m, n, A.data, 1);
      expect(A.data).toEqual(copy);
    }
  });

  it('svd of float32 input equals svdKernel of its float64 copy', () => {
    for (const [m, n] of [[8, 3], [3, 8]] as const) {
      const A = randomMatrix(m, n, 5);
      const a32 = { rows: m, cols: n, data: Float32Array.from(A.data) };
      const ref = svd(a32);
      expect(svdKernel(m, n, Float64Array.from(a32.data), Math.min(m, n)).V).toEqual(ref.V);
    }
  });

  it.each(shapes)('product64 gives matmul\'s bits (%i × %i), every transpose, float32 operands widened', (m, n) => {
    const A = randomMatrix(m, n, 3), B = randomMatrix(m, n, 4), C = randomMatrix(n, m, 6);
    expect(product64(A, B, true, false)).toEqual(matmul(A, B, { transA: true }));
    expect(product64(A, B, false, true)).toEqual(matmul(A, B, { transB: true }));
    expect(product64(A, C, false, false)).toEqual(matmul(A, C));
    expect(product64(C, A, true, true)).toEqual(matmul(C, A, { transA: true, transB: true }));
    const c32 = { rows: n, cols: m, data: Float32Array.from(C.data) };
    const mixed = product64(A, c32, false, false);
    expect(mixed.data).toBeInstanceOf(Float64Array);
    expect(mixed).toEqual(matmul(A, c32));
  });

  it.each(['qr', 'lu', 'none'] as RangeNormalizer[])('rangeFinder gives randomizedRangeFinder\'s bits (%s)', (normalizer) => {
    for (const [m, n, size] of [[30, 12, 5], [12, 30, 12], [64, 65, 9]] as const) {
      const A = randomMatrix(m, n, m + n);
      for (const powerIterations of [0, 1, 3]) {
        const ref = randomizedRangeFinder(A, { size, powerIterations, normalizer, seed: 11 });
        expect(rangeFinder(A, size, powerIterations, normalizer, new Random(11))).toEqual(ref);
      }
    }
  });
});

describe('rangeFinder without a normaliser', () => {
  it('stops with OUT_OF_RANGE when a power-iteration product leaves float64', () => {
    const A = randomMatrix(20, 10, 1);
    for (let p = 0; p < A.data.length; p++) A.data[p] = A.data[p]! * 1e100;
    expect(codeOf(() => rangeFinder(A, 3, 2, 'none', new Random(0)))).toBe('OUT_OF_RANGE');
    expect(() => rangeFinder(A, 3, 2, 'none', new Random(0))).toThrow(/power-iteration product/);
  });
});
