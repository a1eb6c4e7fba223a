import fc from 'fast-check';
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, asMatrix, toArrays, type Matrix } from '../../src/core/index.js';
import { argminRows, axpy, dot, gram, kernels, matmul, rowSqNorms, sqDistances } from '../../src/linalg/index.js';
import { backendNames, boundarySizes, fill, useBackendFor } from '../helpers/backends.js';

function random(rows: number, cols: number, seed: number, f32 = false): Matrix {
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  return { rows, cols, data: fill(data, seed) };
}

function ml(M: Matrix): MlMatrix {
  return new MlMatrix(toArrays(M));
}

/** Max entry-wise error relative to the largest entry of the oracle (f64 tolerance 1e-12 of a sum of k terms). */
function expectClose(actual: Matrix, expected: MlMatrix, tol: number): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.columns]);
  const e = expected.to1DArray();
  let scale = 1e-300, err = 0;
  for (let i = 0; i < e.length; i++) {
    scale = Math.max(scale, Math.abs(e[i]!));
    err = Math.max(err, Math.abs(actual.data[i]! - e[i]!));
  }
  expect(err / scale).toBeLessThan(tol);
}

const sizes = [...boundarySizes, 129, 257];

describe.each(backendNames)('products on the %s backend', (name) => {
  useBackendFor(name);

  it.each([false, true])('matmul matches ml-matrix over sizes crossing block boundaries (f32: %s)', (f32) => {
    const tol = f32 ? 1e-5 : 1e-12;
    let seed = 1;
    for (const m of sizes) {
      const k = sizes[(seed * 5) % sizes.length]!;
      const n = sizes[(seed * 7 + 3) % sizes.length]!;
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const A = transA ? random(k, m, seed++, f32) : random(m, k, seed++, f32);
        const B = transB ? random(n, k, seed++, f32) : random(k, n, seed++, f32);
        const C = matmul(A, B, { transA, transB });
        expect(C.data).toBeInstanceOf(f32 ? Float32Array : Float64Array);
        const a = transA ? ml(A).transpose() : ml(A);
        const b = transB ? ml(B).transpose() : ml(B);
        expectClose(C, a.mmul(b), tol);
      }
    }
  });

  it('matmul handles the k > KC path and a float64 × float32 mix', () => {
    const A = random(9, 600, 3), B = random(600, 5, 4, true);
    const C = matmul(A, B);
    expect(C.data).toBeInstanceOf(Float64Array);
    expectClose(C, ml(A).mmul(ml(B)), 1e-12);
  });

  it('gram gives XᵀX and XXᵀ, exactly symmetric', () => {
    for (const [r, c] of [[1, 1], [5, 3], [17, 65], [130, 9], [64, 300]] as const) {
      const X = random(r, c, r * 31 + c);
      const inner = gram(X);
      expectClose(inner, ml(X).transpose().mmul(ml(X)), 1e-12);
      const outer = gram(X, { outer: true });
      expectClose(outer, ml(X).mmul(ml(X).transpose()), 1e-12);
      for (const G of [inner, outer]) {
        for (let i = 0; i < G.rows; i++) for (let j = 0; j < i; j++) expect(G.data[i * G.cols + j]).toBe(G.data[j * G.cols + i]);
      }
    }
  });

  it('sqDistances equals the direct Σ(a − b)², clamps at 0, with an exact 0 diagonal', () => {
    for (const [m, n, d] of [[1, 1, 1], [5, 3, 4], [17, 9, 65], [100, 10, 33]] as const) {
      const A = random(m, d, m + n), B = random(n, d, m * n + 1);
      const D = sqDistances(A, B);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < d; p++) s += (A.data[i * d + p]! - B.data[j * d + p]!) ** 2;
          expect(Math.abs(D.data[i * n + j]! - s)).toBeLessThan(1e-12 * (1 + s) * d);
        }
      }
      const self = sqDistances(A);
      for (let i = 0; i < m; i++) expect(self.data[i * m + i]).toBe(0);
      for (const v of self.data) expect(v).toBeGreaterThanOrEqual(0);
    }
    // Far from the origin, cancellation in ‖a‖² + ‖b‖² − 2ab would go negative without the clamp.
    const far = asMatrix([[1e8, 1e8 + 1e-8], [1e8, 1e8]]);
    for (const v of sqDistances(far, asMatrix([[1e8, 1e8]])).data) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('the sqDistances kernel gives the same answer with norms supplied or computed by itself', () => {
    const A = random(70, 33, 5), B = random(40, 33, 6);
    const supplied = new Float64Array(70 * 40), computed = new Float64Array(70 * 40);
    const na = new Float64Array(70), nb = new Float64Array(40);
    const k = kernels();
    k.rowSqNorms(70, 33, A.data, 0, 33, na);
    k.rowSqNorms(40, 33, B.data, 0, 33, nb);
    k.sqDistances(70, 40, 33, A.data, 0, 33, na, B.data, 0, 33, nb, supplied, 0, 40);
    k.sqDistances(70, 40, 33, A.data, 0, 33, null, B.data, 0, 33, null, computed, 0, 40);
    expect(Array.from(computed)).toEqual(Array.from(supplied));
  });

  it('argminRows picks the first minimum of every row', () => {
    const { index, values } = argminRows([[3, 1, 1], [0, 5, 0], [2, 2, 2], [9, 8, -7]]);
    expect(Array.from(index)).toEqual([1, 0, 0, 2]);
    expect(Array.from(values)).toEqual([1, 0, 2, -7]);
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 20 }).map((r) => r), { minLength: 1, maxLength: 10 }).filter((rows) => rows.every((r) => r.length === rows[0]!.length)), (rows) => {
        const { index: idx } = argminRows(rows);
        rows.forEach((r, i) => expect(idx[i]).toBe(r.indexOf(Math.min(...r))));
      }),
    );
  });

  it('dot, axpy and rowSqNorms', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    const y = [10, 20];
    expect(Array.from(axpy(2, [1, 2], y))).toEqual([12, 24]);
    expect(y).toEqual([10, 20]);
    expect(Array.from(rowSqNorms([[3, 4], [1, 0]]))).toEqual([25, 1]);
    const x = fill(new Float64Array(1000), 9), z = fill(new Float64Array(1000), 10);
    let s = 0;
    for (let i = 0; i < 1000; i++) s += x[i]! * z[i]!;
    expect(Math.abs(dot(x, z) - s)).toBeLessThan(1e-12 * 1000);
  });
});

describe('validation of the public products', () => {
  it('names the argument and the expected shape', () => {
    expect(() => matmul([[1, 2]], [[1, 2]])).toThrow(/B: op\(B\) has 1 rows, expected 2/);
    expect(() => sqDistances([[1, 2]], [[1, 2, 3]])).toThrow(/B: rows have 3 features, expected 2/);
    expect(() => dot([1, 2], [1])).toThrow(LatentSpaceError);
    expect(() => matmul([[1]], [[1]], { transA: 'yes' as never })).toThrow(/transA/);
    expect(() => gram([[NaN]])).toThrow(/NON_FINITE|finite/);
  });
});
