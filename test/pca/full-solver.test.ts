/**
 * PCA's 'full' solver on the LQ-first SVD (issue 19): it computes only the components
 * asked for (right singular vectors, nComponents of them when nComponents is a count),
 * with the same bits as the leading components of the whole decomposition, on wide,
 * tall, square, rank-deficient and float32 data, and the same bits on both backends.
 */
import { describe, expect, it } from 'vitest';
import * as pca from '../../src/pca/index.js';
import { randomizedRangeFinder } from '../../src/linalg/range-finder.js';
import { backendNames, fill, onBothBackends, useBackendFor } from '../helpers/backends.js';

function data(rows: number, cols: number, seed: number, rank = 0) {
  if (rank === 0) return { rows, cols, data: fill(new Float64Array(rows * cols), seed) };
  const a = fill(new Float64Array(rows * rank), seed), b = fill(new Float64Array(rank * cols), seed + 1);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let p = 0; p < rank; p++) for (let j = 0; j < cols; j++) out[i * cols + j] = out[i * cols + j]! + a[i * rank + p]! * b[p * cols + j]!;
  return { rows, cols, data: out };
}

// Wide (LQ), tall (LQ of the transpose), square and near-square (direct), rank-deficient.
const shapes: Array<[number, number, number]> = [[40, 300, 0], [300, 40, 0], [60, 60, 0], [70, 100, 0], [280, 50, 6]];

describe.each(backendNames)("pca 'full' (%s backend)", (backend) => {
  useBackendFor(backend);

  it.each(shapes)('%i × %i (rank %i, 0 = full): a count gives the leading components of the whole SVD, bit for bit', (n, d, rank) => {
    const X = data(n, d, n + d, rank);
    const k = 5;
    const part = pca.fit(X, { nComponents: k, solver: 'full' });
    const whole = pca.fit(X, { nComponents: 0.999999999, solver: 'full' });
    expect(whole.components.rows).toBeGreaterThanOrEqual(k);
    expect(Array.from(part.explainedVariance)).toEqual(Array.from(whole.explainedVariance.subarray(0, k)));
    expect(Array.from(part.components.data)).toEqual(Array.from(whole.components.data.subarray(0, k * d)));
    // Against the covariance solver (another algorithm): the same spectrum and directions.
    const cov = pca.fit(X, { nComponents: k, solver: 'covariance' });
    for (let c = 0; c < k; c++) {
      expect(part.explainedVariance[c]!).toBeCloseTo(cov.explainedVariance[c]!, 10);
      let dot = 0;
      for (let j = 0; j < d; j++) dot += part.components.data[c * d + j]! * cov.components.data[c * d + j]!;
      // Rank-deficient data has repeated (zero) variances beyond its rank only.
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('float32 input: components kept as float32, equal to those of its float64 copy rounded', () => {
    const X = data(30, 200, 9);
    const x32 = { rows: 30, cols: 200, data: Float32Array.from(X.data) };
    const m32 = pca.fit(x32, { nComponents: 4, solver: 'full' });
    const m64 = pca.fit({ rows: 30, cols: 200, data: Float64Array.from(x32.data) }, { nComponents: 4, solver: 'full' });
    expect(m32.components.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m32.components.data)).toEqual(Array.from(Float32Array.from(m64.components.data)));
  });
});

describe("pca 'full' and the range finder: both backends", () => {
  it('give the same bits, with inner dimensions past gemm\'s 256-deep panels', () => {
    for (const [n, d] of [[300, 40], [40, 300], [600, 30]] as const) {
      const X = data(n, d, 3 * n + d);
      const [js, wasm] = onBothBackends(() => pca.fit(X, { nComponents: 7, solver: 'full' }));
      expect(wasm.components.data).toEqual(js.components.data);
      expect(wasm.explainedVariance).toEqual(js.explainedVariance);
    }
    // The range finder's orthonormalisation (an LQ of the 12 × n transpose, n > 256). Without
    // power iterations: their products Aᵀ·Q (inner dimension n) go through the public gemm,
    // whose two kernels cut a depth above 256 differently (reported; not this module's).
    for (const [n, d] of [[300, 40], [600, 30]] as const) {
      const X = data(n, d, n + 7 * d);
      const [qj, qw] = onBothBackends(() => randomizedRangeFinder(X, { size: 12, seed: 1, powerIterations: 0 }));
      expect(qw.data).toEqual(qj.data);
    }
  });
});
