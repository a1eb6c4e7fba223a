/**
 * principalScores, t-SNE's `init: 'pca'`: the coordinates pca.fitTransform gives with the
 * randomized solver, bit for bit, without building a model; scaled data comes back scaled.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import * as pca from '../../src/pca/index.js';
import { principalScores } from '../../src/pca/scores.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { codeOf } from '../helpers/errors.js';

function data(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  const x = fill(new Float64Array(rows * cols), seed);
  // A decaying spectrum, so that the leading directions are well separated.
  for (let p = 0; p < x.length; p++) x[p] = x[p]! / (1 + (p % cols));
  return { rows, cols, data: x };
}

describe.each(backendNames)('pca principalScores on %s', (backend) => {
  useBackendFor(backend);

  // Tall, wide, d ≤ k + 10 (the sample spans everything), k near min(n, d), 7 and 4 power iterations.
  it.each([[60, 8, 2], [12, 40, 2], [50, 30, 3], [9, 5, 5], [200, 25, 1], [30, 64, 10]])('equals fitTransform with the randomized solver (%i × %i, k = %i)', (n, d, k) => {
    const x = data(n, d, n * 7 + d);
    const copy = x.data.slice();
    const ref = pca.fitTransform(x, { nComponents: k, solver: 'randomized', seed: 5 }).embedding;
    expect(principalScores(x, k, 5)).toEqual(ref);
    expect(x.data).toEqual(copy);
  });

  it('scales data beyond 2^±200 by a power of two and back', () => {
    const x = data(40, 6, 3);
    const big = { rows: 40, cols: 6, data: x.data.map((v) => v * 2 ** 700) };
    const small = principalScores(x, 2, 0);
    const scaled = principalScores(big, 2, 0);
    for (let p = 0; p < small.data.length; p++) expect(scaled.data[p]! / 2 ** 700).toBeCloseTo(small.data[p]!, 12);
  });

  it('rejects k above min(nSamples, nFeatures) with INVALID_OPTION', () => {
    expect(codeOf(() => principalScores(data(3, 8, 1), 4, 0))).toBe('INVALID_OPTION');
    expect(codeOf(() => principalScores(data(8, 3, 1), 4, 0))).toBe('INVALID_OPTION');
  });
});
