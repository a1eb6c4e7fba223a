import { describe, expect, it } from 'vitest';
import { transposeArray } from '../../src/linalg/transpose.js';

describe('transposeArray', () => {
  it('is the transpose across tile edges (shapes not multiples of the tile)', () => {
    for (const [m, n] of [[1, 1], [3, 70], [65, 33], [100, 1]] as const) {
      const a = Float64Array.from({ length: m * n }, (_, t) => t * 1.5 - 7);
      const t = transposeArray(m, n, a);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(t[j * m + i]).toBe(a[i * n + j]);
      expect(transposeArray(n, m, t)).toEqual(a);
    }
  });
});
