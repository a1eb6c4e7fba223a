import fc from 'fast-check';
import ndarray from 'ndarray';
import { Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { LatentSpaceError, asMatrix, asMatrix64, asVector, toArrays, toMlMatrix, toNdarray } from '../../src/core/index.js';
import { codeOf } from '../helpers/errors.js';


describe('asMatrix', () => {
  it('reads number[][] row-major as float64', () => {
    const X = asMatrix([[1, 2, 3], [4, 5, 6]], 'X');
    expect([X.rows, X.cols]).toEqual([2, 3]);
    expect(X.data).toBeInstanceOf(Float64Array);
    expect(Array.from(X.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('shares a contiguous Float64Array or Float32Array instead of copying', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const X = asMatrix({ rows: 2, cols: 2, data }, 'X');
    expect(X.data).toBe(data);
    const flat = new Float64Array(6);
    expect(asMatrix(flat, 'X', { rows: 3, cols: 2 }).data).toBe(flat);
  });

  it('keeps float32 unless float64 is asked for, and converts other typed arrays to float64', () => {
    const f32 = asMatrix64({ rows: 1, cols: 2, data: new Float32Array([0.1, 2]) }, 'X');
    expect(f32.data).toBeInstanceOf(Float64Array);
    expect(f32.data[0]).toBe(Math.fround(0.1));
    const u8 = asMatrix({ rows: 1, cols: 3, data: new Uint8Array([1, 2, 255]) }, 'X');
    expect(u8.data).toBeInstanceOf(Float64Array);
    expect(Array.from(u8.data)).toEqual([1, 2, 255]);
    expect(asMatrix([[1, 2]], 'X', { dtype: 'float32' }).data).toBeInstanceOf(Float32Array);
  });

  it('reads an ndarray with any strides and offset (a transposed view of a padded buffer)', () => {
    // Buffer of 3 x 4 with one leading pad value; view the first 3 columns, transposed.
    const buf = new Float64Array([99, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    const base = ndarray(buf, [3, 4], [4, 1], 1);
    const view = base.hi(3, 3).transpose(1, 0);
    const X = asMatrix(view, 'X');
    expect([X.rows, X.cols]).toEqual([3, 3]);
    expect(toArrays(X)).toEqual([[0, 10, 20], [1, 11, 21], [2, 12, 22]]);
    expect(buf[0]).toBe(99);
  });

  it('reads a contiguous ndarray without copying, and an ml-matrix Matrix', () => {
    const buf = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(asMatrix(ndarray(buf, [2, 3]), 'X').data).toBe(buf);
    const ml = new MlMatrix([[1, 2], [3, 4], [5, 6]]);
    expect(toArrays(asMatrix(ml, 'X'))).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('rejects ragged, empty, non-finite and non-matrix inputs with the right code and message', () => {
    expect(() => asMatrix([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4, 5]], 'X')).toThrow('X: row 3 has 5 values, expected 4');
    expect(codeOf(() => asMatrix([[1, 2], [3]], 'X'))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => asMatrix([], 'X'))).toBe('EMPTY_INPUT');
    expect(codeOf(() => asMatrix([[]], 'X'))).toBe('EMPTY_INPUT');
    expect(codeOf(() => asMatrix([[1, NaN]], 'X'))).toBe('NON_FINITE');
    expect(() => asMatrix([[1, 2], [3, Infinity]], 'Y')).toThrow(/Y: entry \(1, 1\) is Infinity/);
    expect(codeOf(() => asMatrix('abc' as never, 'X'))).toBe('INVALID_INPUT');
    expect(codeOf(() => asMatrix([[1, '2']] as never, 'X'))).toBe('INVALID_INPUT');
    expect(codeOf(() => asMatrix(new Float64Array(5), 'X', { rows: 2, cols: 3 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => asMatrix(new Float64Array(5), 'X'))).toBe('INVALID_INPUT');
    expect(codeOf(() => asMatrix(ndarray(new Float64Array(8), [2, 2, 2]), 'X'))).toBe('SHAPE_MISMATCH');
  });

  it('never mutates its input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const copy = rows.map((r) => r.slice());
        const X = asMatrix(rows, 'X');
        X.data.fill(7);
        expect(rows).toEqual(copy);
      }),
    );
  });
});

describe('conversions', () => {
  it('round-trips through toArrays, toNdarray and toMlMatrix', () => {
    const X = asMatrix([[1, 2, 3], [4, 5, 6]]);
    expect(toArrays(X)).toEqual([[1, 2, 3], [4, 5, 6]]);
    const nd = toNdarray(X, ndarray);
    expect(nd.get(1, 2)).toBe(6);
    expect(nd.data).toBe(X.data);
    const ml = toMlMatrix(X, MlMatrix);
    expect(ml.get(1, 0)).toBe(4);
    expect(toArrays(asMatrix(ml))).toEqual(toArrays(X));
  });

  it('asVector accepts arrays, typed arrays and one-row matrices, and validates', () => {
    expect(Array.from(asVector([1, 2]))).toEqual([1, 2]);
    const f = new Float64Array([3]);
    expect(asVector(f)).toBe(f);
    expect(Array.from(asVector(asMatrix([[1], [2]])))).toEqual([1, 2]);
    expect(codeOf(() => asVector(asMatrix([[1, 2], [3, 4]])))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => asVector([]))).toBe('EMPTY_INPUT');
    expect(codeOf(() => asVector([1, NaN]))).toBe('NON_FINITE');
  });
});
