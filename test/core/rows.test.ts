// One rule for every function that takes samples as the rows of a matrix: one sample given
// on its own (a number[] or a 1-D typed array) is answered with one row, equal to the
// first row of the answer for the matrix whose first row it is. And asMatrix takes a flat
// array's shape as its second argument.
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, asMatrix, asMatrix64, type Matrix } from '../../src/core/index.js';
import { asRows, singleRow } from '../../src/core/matrix.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as omp from '../../src/omp/index.js';
import * as pca from '../../src/pca/index.js';
import * as som from '../../src/som/index.js';
import * as tsne from '../../src/tsne/index.js';
import { codeOf } from '../helpers/errors.js';

/** n rows of d features, integer-valued and deterministic, in three loose groups. */
function data(n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i % 3) * 10 + ((i * 7 + j * 5) % 11) - 5));
}

const X = data(30, 4);
const x0 = X[0]!;
const firstRow = (m: Matrix) => Array.from(m.data.subarray(0, m.cols));

describe('asMatrix with the shape as its second argument', () => {
  it('reads a flat typed array or number[] with { rows, cols } in place of the name', () => {
    const flat = new Float64Array([1, 2, 3, 4, 5, 6]);
    const M = asMatrix(flat, { rows: 2, cols: 3 });
    expect([M.rows, M.cols]).toEqual([2, 3]);
    expect(M.data).toBe(flat);
    expect(Array.from(asMatrix([1, 2, 3, 4], { rows: 2, cols: 2 }).data)).toEqual([1, 2, 3, 4]);
    expect(asMatrix(new Float32Array(4), { rows: 2, cols: 2, dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(asMatrix64(new Float32Array(4), { rows: 1, cols: 4 }).data).toBeInstanceOf(Float64Array);
  });

  it('keeps the (input, name, options) signature', () => {
    expect(asMatrix(new Float64Array(6), 'A', { rows: 3, cols: 2 }).rows).toBe(3);
    try { asMatrix(new Float64Array(6), 'A', { rows: 4, cols: 2 }); } catch (e) {
      expect((e as LatentSpaceError).message).toMatch(/^A: /);
    }
  });

  it('names the accepted call when the shape is missing, and checks the shape it is given', () => {
    let message = '';
    try { asMatrix(new Float64Array(6)); } catch (e) { message = (e as LatentSpaceError).message; }
    expect(message).toContain('asMatrix(data, { rows, cols })');
    expect(message).toContain('6 values');
    expect(message).not.toContain('[object Object]');
    expect(codeOf(() => asMatrix(new Float64Array(6), { rows: 4, cols: 2 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => (asMatrix as (...args: unknown[]) => unknown)(new Float64Array(6), { rows: 2, cols: 3 }, { rows: 2, cols: 3 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => asMatrix(new Float64Array(6), { rows: 2, columns: 3 } as never))).toBe('INVALID_OPTION');
  });
});

describe('asRows and singleRow', () => {
  it('reads a number[] or a 1-D typed array as one row, anything else as asMatrix does', () => {
    const one = asRows([1, 2, 3], 'X');
    expect([one.single, one.matrix.rows, one.matrix.cols]).toEqual([true, 1, 3]);
    const f32 = new Float32Array([1, 2]);
    expect(asRows(f32, 'X').matrix.data).toBe(f32);
    expect(asRows(new Int32Array([1, 2]), 'X', { dtype: 'float64' }).matrix.data).toBeInstanceOf(Float64Array);
    const many = asRows([[1, 2, 3]], 'X');
    expect([many.single, many.matrix.rows]).toEqual([false, 1]);
    expect(codeOf(() => asRows([], 'X'))).toBe('EMPTY_INPUT');
    expect(codeOf(() => asRows(new Float64Array(0), 'X'))).toBe('EMPTY_INPUT');
    expect(codeOf(() => asRows([1, Number.NaN], 'X'))).toBe('NON_FINITE');
    expect(Array.from(singleRow({ rows: 1, cols: 2, data: new Float64Array([3, 4]) }))).toEqual([3, 4]);
  });
});

describe('one sample in, one row out', () => {
  const inputs = { 'number[]': x0, Float64Array: Float64Array.from(x0), Float32Array: Float32Array.from(x0) };

  it('pca.transform, inverseTransform, scoreSamples and score', () => {
    const model = pca.fit(X, { nComponents: 2 });
    const Z = pca.transform(model, X);
    for (const [kind, x] of Object.entries(inputs)) {
      const z = pca.transform(model, x);
      expect(z, kind).toBeInstanceOf(Float64Array);
      expect(Array.from(z), kind).toEqual(firstRow(pca.transform(model, [x0])));
      for (let c = 0; c < 2; c++) expect(z[c], kind).toBeCloseTo(Z.data[c]!, 12);
    }
    const back = pca.inverseTransform(model, pca.transform(model, x0));
    expect(back).toHaveLength(4);
    firstRow(pca.inverseTransform(model, Z)).forEach((v, j) => expect(back[j]).toBeCloseTo(v, 10));
    expect(Array.from(back)).toEqual(firstRow(pca.inverseTransform(model, [Array.from(pca.transform(model, x0))])));
    const s = pca.scoreSamples(model, x0);
    expect(typeof s).toBe('number');
    expect(s).toBeCloseTo(pca.scoreSamples(model, X)[0]!, 10);
    expect(pca.score(model, x0)).toBe(s);
    const w = pca.fit(X, { nComponents: 2, whiten: true });
    expect(Array.from(pca.transform(w, x0))).toEqual(firstRow(pca.transform(w, [x0])));
  });

  it('kmeans.predict, transform and score', () => {
    const model = kmeans.fit(X, { k: 3, seed: 1 });
    const labels = kmeans.predict(model, X);
    const D = kmeans.transform(model, X);
    for (const [kind, x] of Object.entries(inputs)) {
      const label = kmeans.predict(model, x);
      expect(typeof label, kind).toBe('number');
      expect(label, kind).toBe(labels[0]);
      const d = kmeans.transform(model, x);
      expect(d, kind).toHaveLength(3);
      d.forEach((v, c) => expect(v, kind).toBeCloseTo(D.data[c]!, 10));
      expect(kmeans.score(model, x), kind).toBeCloseTo(kmeans.score(model, [x0]), 10);
    }
    expect(Array.from(kmeans.transform(model, x0))).toEqual(firstRow(kmeans.transform(model, [x0])));
    expect(kmeans.score(model, x0, { sampleWeight: [2] })).toBeCloseTo(2 * kmeans.score(model, [x0]), 10);
    expect(codeOf(() => kmeans.predict(model, [1, 2, 3]))).toBe('SHAPE_MISMATCH');
  });

  it('som.bmu', () => {
    const model = som.fit(X, { width: 3, height: 2, seed: 1 });
    const units = som.bmu(model, X);
    for (const [kind, x] of Object.entries(inputs)) {
      const u = som.bmu(model, x);
      expect(typeof u, kind).toBe('number');
      expect(u, kind).toBe(units[0]);
    }
    expect(som.quantizationError(model, x0)).toBeCloseTo(som.quantizationError(model, [x0]), 12);
  });

  it('tsne.transform', () => {
    const model = tsne.fit(X, { perplexity: 5, nIter: 250, seed: 1 });
    const options = { perplexity: 3, nIter: 50 };
    const y = tsne.transform(model, x0, options);
    expect(y).toBeInstanceOf(Float64Array);
    expect(y).toHaveLength(2);
    expect(Array.from(y)).toEqual(firstRow(tsne.transform(model, [x0], options)));
    expect(Array.from(tsne.transform(model, Float32Array.from(x0), options))).toEqual(Array.from(y));
  });

  it('omp.encode, ksvd.transform and ksvd.inverseTransform', () => {
    const D = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0.6, 0.8], [0, 0, 0.8, -0.6], [0.5, 0.5, 0.5, 0.5]];
    const all = omp.encode(D, X, { nNonzero: 2 });
    for (const [kind, x] of Object.entries(inputs)) {
      const one = omp.encode(D, x, { nNonzero: 2, returnSparse: true });
      expect(one.codes, kind).toBeInstanceOf(Float64Array);
      expect(Array.from(one.codes), kind).toEqual(firstRow(all.codes));
      expect(one.nIter, kind).toBe(all.nIter[0]);
      expect(one.sparse?.indptr, kind).toHaveLength(2);
    }
    const model = ksvd.fit(X, { nAtoms: 5, nNonzero: 2, maxIter: 5, seed: 1 });
    const codes = ksvd.transform(model, X);
    const code = ksvd.transform(model, x0);
    expect(Array.from(code)).toEqual(firstRow(codes));
    const signal = ksvd.inverseTransform(model, code);
    expect(Array.from(signal)).toEqual(firstRow(ksvd.inverseTransform(model, [Array.from(code)])));
  });

  it('still answers a one-row matrix with a matrix', () => {
    const model = kmeans.fit(X, { k: 3, seed: 1 });
    expect(kmeans.predict(model, [x0])).toBeInstanceOf(Int32Array);
    expect(pca.transform(pca.fit(X), [x0]).rows).toBe(1);
  });
});
