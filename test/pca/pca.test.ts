import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, asMatrix, fromJSON, toArrays, toJSON, type Matrix } from '../../src/core/index.js';
import * as pca from '../../src/pca/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { codeOf } from '../helpers/errors.js';

interface SkCase {
  name: string;
  X: number[][];
  nComponents: number;
  mean: number[];
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
  noiseVariance: number;
  transformed: number[][];
  whitenedTransformed: number[][];
  score: number | null;
  scoreSamples: number[] | null;
}
interface SkIncremental {
  X: number[][];
  nComponents: number;
  batchSize: number;
  mean: number[];
  components: number[][];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  singularValues: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/pca/sklearn.json', import.meta.url), 'utf8')) as {
  pca: SkCase[];
  fractions: { cases: { fraction: number; nComponents: number }[] };
  incremental: SkIncremental[];
};

function closeRel(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(rtol * Math.abs(expected[i]!) + atol);
  }
}

/** Row c of A equals ± row c of B (one sign per row). */
function sameUpToSign(A: Matrix, B: number[][], atol: number): void {
  expect([A.rows, A.cols]).toEqual([B.length, B[0]!.length]);
  for (let c = 0; c < A.rows; c++) {
    const row = A.data.subarray(c * A.cols, (c + 1) * A.cols);
    let dot = 0;
    for (let j = 0; j < A.cols; j++) dot += row[j]! * B[c]![j]!;
    const sign = dot < 0 ? -1 : 1;
    for (let j = 0; j < A.cols; j++) expect(Math.abs(row[j]! - sign * B[c]![j]!)).toBeLessThanOrEqual(atol);
  }
}

/**
 * Columns c < defined of Z equal those of the reference up to the sign that takes the model's
 * component c to the reference's (scikit-learn fixes signs on U, not on the components).
 * Tolerance 1e-10 of the largest coordinate (measured: 1e-12 to 1e-11, on both backends).
 */
function sameColumnsUpToSign(Z: Matrix, ref: number[][], W: Matrix, refComponents: number[][], defined: number): void {
  expect([Z.rows, Z.cols]).toEqual([ref.length, ref[0]!.length]);
  const scale = Math.max(...ref.flat().map(Math.abs));
  for (let c = 0; c < defined; c++) {
    let dot = 0;
    for (let j = 0; j < W.cols; j++) dot += W.data[c * W.cols + j]! * refComponents[c]![j]!;
    const sign = dot < 0 ? -1 : 1;
    for (let i = 0; i < Z.rows; i++) expect(Math.abs(Z.data[i * Z.cols + c]! - sign * ref[i]![c]!)).toBeLessThanOrEqual(1e-10 * scale);
  }
}

function randomMatrix(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  return { rows, cols, data: fill(new Float64Array(rows * cols), seed) };
}

/** Data whose singular values decay geometrically (rate per component), plus an offset. */
function decaying(rows: number, cols: number, rank: number, rate: number, seed: number): Matrix<Float64Array> {
  const L = randomMatrix(rows, rank, seed), R = randomMatrix(rank, cols, seed + 1);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 3 + j * 0.1;
      for (let r = 0; r < rank; r++) s += L.data[i * rank + r]! * rate ** r * R.data[r * cols + j]!;
      data[i * cols + j] = s;
    }
  }
  return { rows, cols, data };
}

function orthonormalRows(W: Matrix, tol: number): void {
  for (let a = 0; a < W.rows; a++) {
    for (let b = 0; b <= a; b++) {
      let dot = 0;
      for (let j = 0; j < W.cols; j++) dot += W.data[a * W.cols + j]! * W.data[b * W.cols + j]!;
      expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(tol);
    }
  }
}


describe.each(backendNames)('pca on the %s backend', (backend) => {
  useBackendFor(backend);

  describe.each(['full', 'covariance'] as const)('solver %s against scikit-learn', (solver) => {
    it.each(fixture.pca.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const model = pca.fit(c.X, { nComponents: c.nComponents, solver });
      expect(model.solver).toBe(solver);
      closeRel(model.mean, c.mean, 1e-12, 1e-12);
      closeRel(model.explainedVariance, c.explainedVariance, 1e-9, 1e-12);
      closeRel(model.explainedVarianceRatio, c.explainedVarianceRatio, 1e-9, 1e-12);
      closeRel(model.singularValues, c.singularValues, 1e-9, 1e-10);
      expect(Math.abs(model.noiseVariance - c.noiseVariance)).toBeLessThanOrEqual(1e-9 * c.noiseVariance + 1e-12);
      // Components of (near-)zero variance are not unique; compare those with variance.
      const defined = c.explainedVariance.filter((v) => v > 1e-9).length;
      const W = { rows: defined, cols: model.components.cols, data: model.components.data.slice(0, defined * model.components.cols) };
      sameUpToSign(W, c.components.slice(0, defined), 1e-8);
      // transform(X[:5]), plain and whitened, column by column with each component's sign.
      const whitened = pca.fit(c.X, { nComponents: c.nComponents, solver, whiten: true });
      sameColumnsUpToSign(pca.transform(model, c.X.slice(0, 5)), c.transformed, W, c.components, defined);
      sameColumnsUpToSign(pca.transform(whitened, c.X.slice(0, 5)), c.whitenedTransformed, W, c.components, defined);
      if (c.scoreSamples !== null) {
        closeRel(pca.scoreSamples(model, c.X.slice(0, 5)), c.scoreSamples, 1e-9, 1e-9);
        expect(Math.abs(pca.score(model, c.X) - c.score!)).toBeLessThan(1e-9 * Math.abs(c.score!) + 1e-9);
      }
    });
  });

  it('chooses nComponents from a variance fraction as scikit-learn does', () => {
    const X = fixture.pca.find((c) => c.name === 'tall')!.X;
    for (const { fraction, nComponents } of fixture.fractions.cases) {
      expect(pca.fit(X, { nComponents: fraction }).components.rows).toBe(nComponents);
    }
  });

  it('partialFit over batches matches scikit-learn IncrementalPCA', () => {
    for (const c of fixture.incremental) {
      let model: pca.PcaModel | undefined;
      for (let start = 0; start < c.X.length; start += c.batchSize) {
        model = pca.partialFit(model, c.X.slice(start, start + c.batchSize), { nComponents: c.nComponents });
      }
      expect(model!.solver).toBe('incremental');
      expect(model!.nSamples).toBe(c.X.length);
      closeRel(model!.mean, c.mean, 1e-12, 1e-12);
      closeRel(model!.explainedVariance, c.explainedVariance, 1e-8, 1e-12);
      closeRel(model!.explainedVarianceRatio, c.explainedVarianceRatio, 1e-8, 1e-12);
      sameUpToSign(model!.components, c.components, 1e-7);
    }
  });

  it('agrees with ml-matrix’s SVD on random matrices (components up to sign 1e-9, variance 1e-10)', () => {
    for (const [n, d, seed] of [[40, 7, 1], [9, 30, 2], [70, 70, 3]] as const) {
      const X = randomMatrix(n, d, seed);
      const model = pca.fit(X, { solver: 'full' });
      const mean = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += X.data[i * d + j]! / n;
      const centred = toArrays(X).map((row) => row.map((v, j) => v - mean[j]!));
      const ref = new SingularValueDecomposition(new MlMatrix(centred), { autoTranspose: true });
      const k = Math.min(n, d) - 1; // the last direction may be arbitrary when n ≤ d
      const V = ref.rightSingularVectors;
      const refRows = Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, j) => V.get(j, c)));
      sameUpToSign({ rows: k, cols: d, data: model.components.data.slice(0, k * d) }, refRows, 1e-9);
      const refVar = ref.diagonal.slice(0, k).map((s) => (s * s) / (n - 1));
      closeRel(model.explainedVariance.slice(0, k), refVar, 1e-10, 1e-13);
    }
  });

  it('the three solvers agree; randomized to 1e-6 on a decaying spectrum, reproducible by seed', () => {
    const X = decaying(600, 120, 30, 0.7, 5);
    const full = pca.fit(X, { nComponents: 10, solver: 'full' });
    const cov = pca.fit(X, { nComponents: 10, solver: 'covariance' });
    const rnd = pca.fit(X, { nComponents: 10, solver: 'randomized', seed: 3 });
    closeRel(cov.explainedVariance, full.explainedVariance, 1e-9);
    closeRel(rnd.explainedVariance, full.explainedVariance, 1e-6);
    const fullRows = toArrays(full.components);
    sameUpToSign(cov.components, fullRows, 1e-8);
    sameUpToSign(rnd.components, fullRows, 1e-6);
    // Signs are canonical, so equal up to sign means equal.
    closeRel(cov.components.data, full.components.data, 0, 1e-8);
    const again = pca.fit(X, { nComponents: 10, solver: 'randomized', seed: 3 });
    expect(Array.from(again.components.data)).toEqual(Array.from(rnd.components.data));
  });

  it('with fewer samples than features, the covariance solver (sample Gram) matches full', () => {
    const X = decaying(30, 400, 12, 0.8, 21);
    const full = pca.fit(X, { nComponents: 8, solver: 'full' });
    const gram = pca.fit(X, { nComponents: 8, solver: 'covariance' });
    closeRel(gram.explainedVariance, full.explainedVariance, 1e-9);
    closeRel(gram.components.data, full.components.data, 0, 1e-8);
    expect(gram.noiseVariance).toBeCloseTo(full.noiseVariance, 12);
  });

  it("'auto' picks by shape and records the solver", () => {
    expect(pca.fit(randomMatrix(100, 10, 1)).solver).toBe('covariance');
    expect(pca.fit(randomMatrix(40, 600, 2), { nComponents: 5 }).solver).toBe('covariance');
    expect(pca.fit(randomMatrix(300, 600, 2), { nComponents: 5 }).solver).toBe('randomized');
    expect(pca.fit(randomMatrix(40, 30, 3), { nComponents: 5 }).solver).toBe('full');
    // Smaller side ≤ 1000, larger > 500: the covariance solver (test/pca/auto-rule.test.ts).
    expect(pca.fit(randomMatrix(300, 600, 2), { nComponents: 0.5 }).solver).toBe('covariance');
  });
});

describe('pca properties', () => {
  const shapes = fc.record({ n: fc.integer({ min: 2, max: 30 }), d: fc.integer({ min: 1, max: 12 }), seed: fc.nat() });

  it('components are orthonormal, ratios sum to ≤ 1 and decrease, and the model is canonical', () => {
    fc.assert(
      fc.property(shapes, fc.constantFrom('full', 'covariance'), ({ n, d, seed }, solver) => {
        const model = pca.fit(randomMatrix(n, d, seed), { solver });
        const k = model.components.rows;
        const rank = Math.min(n - 1, d);
        orthonormalRows({ rows: Math.min(k, rank), cols: d, data: model.components.data }, 1e-8);
        let sum = 0;
        for (let c = 0; c < k; c++) {
          sum += model.explainedVarianceRatio[c]!;
          if (c > 0) expect(model.explainedVariance[c]!).toBeLessThanOrEqual(model.explainedVariance[c - 1]! * (1 + 1e-12) + 1e-15);
          // The largest-magnitude loading of each component is positive.
          const row = Array.from(model.components.data.subarray(c * d, (c + 1) * d));
          const big = row.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
          expect(big).toBeGreaterThanOrEqual(0);
        }
        expect(sum).toBeLessThanOrEqual(1 + 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('inverseTransform(transform(X)) = X when k = rank, and the error falls as k grows', () => {
    fc.assert(
      fc.property(shapes, ({ n, d, seed }) => {
        const X = randomMatrix(n, d, seed);
        const model = pca.fit(X);
        const back = pca.inverseTransform(model, pca.transform(model, X));
        for (let p = 0; p < X.data.length; p++) expect(Math.abs(back.data[p]! - X.data[p]!)).toBeLessThan(1e-9);
        const x = Array.from(X.data.subarray(0, d));
        const ks = Array.from({ length: model.components.rows + 1 }, (_, k) => k);
        const steps = pca.reconstruct(model, x, ks);
        let previous = Infinity;
        for (let r = 0; r < ks.length; r++) {
          let err = 0;
          for (let j = 0; j < d; j++) err += (steps.data[r * d + j]! - x[j]!) ** 2;
          expect(err).toBeLessThanOrEqual(previous + 1e-12);
          previous = err;
        }
        expect(previous).toBeLessThan(1e-18 + 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('whitened coordinates have unit variance', () => {
    const X = decaying(200, 12, 6, 0.6, 9);
    const model = pca.fit(X, { nComponents: 6, whiten: true });
    const Z = pca.transform(model, X);
    for (let c = 0; c < 6; c++) {
      let mean = 0, sq = 0;
      for (let i = 0; i < Z.rows; i++) mean += Z.data[i * 6 + c]! / Z.rows;
      for (let i = 0; i < Z.rows; i++) sq += (Z.data[i * 6 + c]! - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThan(1e-10);
      expect(Math.abs(sq / (Z.rows - 1) - 1)).toBeLessThan(1e-9);
    }
    const back = pca.inverseTransform(model, Z);
    const plain = pca.fit(X, { nComponents: 6 });
    const ref = pca.inverseTransform(plain, pca.transform(plain, X));
    closeRel(back.data, ref.data, 0, 1e-9);
  });

  it('zero-variance and duplicated columns give no NaN on any solver', () => {
    const X = randomMatrix(50, 6, 4);
    for (let i = 0; i < 50; i++) {
      X.data[i * 6 + 2] = 7;
      X.data[i * 6 + 5] = X.data[i * 6]!;
    }
    const constant = asMatrix(Array.from({ length: 10 }, () => [1, 2, 3]));
    for (const solver of ['full', 'covariance', 'randomized'] as const) {
      for (const model of [pca.fit(X, { solver, nComponents: 4, whiten: true }), pca.fit(constant, { solver, nComponents: 2, whiten: true })]) {
        for (const a of [model.components.data, model.explainedVariance, model.explainedVarianceRatio, model.singularValues]) {
          for (const v of a) expect(Number.isFinite(v)).toBe(true);
        }
        expect(Number.isFinite(model.noiseVariance)).toBe(true);
        for (const v of pca.transform(model, X.cols === model.nFeatures ? X : constant).data) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('partialFit over batches matches fit on data of rank ≤ k (1e-8 in explained variance)', () => {
    const X = decaying(120, 15, 4, 0.8, 11);
    const whole = pca.fit(X, { nComponents: 4, solver: 'full' });
    let model: pca.PcaModel | undefined;
    for (let start = 0; start < 120; start += 25) {
      model = pca.partialFit(model, { rows: Math.min(25, 120 - start), cols: 15, data: X.data.subarray(start * 15, Math.min(120, start + 25) * 15) }, { nComponents: 4 });
    }
    closeRel(model!.explainedVariance, whole.explainedVariance, 1e-8);
    closeRel(model!.mean, whole.mean, 1e-12, 1e-12);
    closeRel(model!.components.data, whole.components.data, 0, 1e-7);
    closeRel([model!.totalVariance], [whole.totalVariance], 1e-10);
  });

  it('keeps float32 as float32 and round-trips through toJSON exactly', () => {
    const X = randomMatrix(30, 5, 8);
    const model = pca.fit({ rows: 30, cols: 5, data: Float32Array.from(X.data) }, { nComponents: 3 });
    expect(model.components.data).toBeInstanceOf(Float32Array);
    expect(model.mean).toBeInstanceOf(Float32Array);
    expect(pca.transform(model, X).data).toBeInstanceOf(Float32Array);
    const again = pca.load(toJSON(model));
    expect(again).toEqual(model);
    expect(structuredClone(model)).toEqual(model);
    expect(() => pca.load(toJSON({ kind: 'kmeans' }))).toThrow(/expected kind 'pca'/);
    expect(fromJSON(toJSON(model))).toEqual(model);
  });

  it('does not modify the caller’s data', () => {
    const rows = [[1, 2, 3], [4, 5, 7], [1, 0, 0], [2, 2, 9]];
    const copy = rows.map((r) => r.slice());
    const model = pca.fit(rows, { nComponents: 2 });
    pca.transform(model, rows);
    pca.partialFit(model, rows);
    expect(rows).toEqual(copy);
  });

  it('rejects bad input with clear errors', () => {
    const X = randomMatrix(10, 4, 1);
    expect(() => pca.fit(X, { nComponents: 5 })).toThrow(/at most min\(nSamples, nFeatures\) = 4/);
    expect(codeOf(() => pca.fit(X, { nComponents: 0.5, solver: 'randomized' }))).toBe('INVALID_OPTION');
    expect(codeOf(() => pca.fit(X, { nComponents: 2.5 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => pca.fit(X, { solver: 'magic' as never }))).toBe('INVALID_OPTION');
    expect(() => pca.fit([[1, 2, 3]])).toThrow(/at least 2/);
    const model = pca.fit(X, { nComponents: 2 });
    expect(() => pca.transform(model, [[1, 2, 3]])).toThrow(/X: rows have 3 values, expected 4/);
    expect(codeOf(() => pca.inverseTransform(model, [[1, 2, 3]]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => pca.reconstruct(model, [1, 2, 3, 4], [3]))).toBe('INVALID_OPTION');
    expect(codeOf(() => pca.partialFit(model, [[1, 2]]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => pca.score(pca.fit(X), X))).toBe(undefined);
    expect(codeOf(() => pca.score(pca.fit(randomMatrix(3, 6, 2)), randomMatrix(3, 6, 2)))).toBe('UNSUPPORTED');
  });
});
