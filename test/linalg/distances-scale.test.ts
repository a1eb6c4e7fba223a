// sqDistances decides its power-of-two scaling from the row norms when they prove it is 0
// (no pass of maxAbs over A), and from maxAbs otherwise: data scaled by 2^s must give the
// distances scaled by 4^s exactly, on both backends, whichever way the scale was found.
import { describe, expect, it } from 'vitest';
import { kernels, sqDistances } from '../../src/linalg/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';

const scaled = <T extends Float64Array | Float32Array>(a: T, s: number): T => a.map((v) => v * 2 ** s) as T;

describe.each(backendNames)('sqDistances scaling on the %s backend', (name) => {
  useBackendFor(name);

  it('2^s · data gives 4^s · distances, for extreme s and mixed magnitudes', () => {
    for (const [F, shifts] of [[Float64Array, [0, 150, 300, 500, -150, -300, -500]], [Float32Array, [0, 30, 60, -30, -60]]] as const) {
      const m = 70, n = 9, d = 33;
      const A = fill(new F(m * d), 1), B = fill(new F(n * d), 2);
      const base = sqDistances({ rows: m, cols: d, data: A }, { rows: n, cols: d, data: B }).data;
      const self = sqDistances({ rows: m, cols: d, data: A }).data;
      for (const s of shifts) {
        const D = sqDistances({ rows: m, cols: d, data: scaled(A, s) }, { rows: n, cols: d, data: scaled(B, s) }).data;
        expect(Array.from(D)).toEqual(Array.from(base, (v) => v * 4 ** s));
        const S = sqDistances({ rows: m, cols: d, data: scaled(A, s) }).data;
        expect(Array.from(S)).toEqual(Array.from(self, (v) => v * 4 ** s));
      }
      // B far smaller than A: B's norms prove nothing, maxAbs decides (scale 0 here).
      const tiny = sqDistances({ rows: m, cols: d, data: A }, { rows: n, cols: d, data: scaled(B, F === Float32Array ? -50 : -400) }).data;
      for (const v of tiny) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
  });
});

// The one-shot call streams A through the kernels' memory in blocks of rows (about 1 MiB
// each, a multiple of 4 rows, the last taking the rest): every row must come out as one
// kernel call over all of A gives it, whichever block it falls in, and a non-finite entry
// (no longer scanned for up front) must still be reported by asMatrix's error.
describe.each(backendNames)('sqDistances in blocks on the %s backend', (name) => {
  useBackendFor(name);

  it('equals one kernel call over all of A, across block boundaries and a ragged last block', () => {
    for (const [F, m] of [[Float64Array, 1003], [Float32Array, 2001]] as const) {
      const n = 7, d = 300;
      const A = fill(new F(m * d), 3), B = fill(new F(n * d), 4);
      const whole = new F(m * n), na = new F(m), nb = new F(n);
      kernels().rowSqNorms(m, d, A, 0, d, na);
      kernels().rowSqNorms(n, d, B, 0, d, nb);
      kernels().sqDistances(m, n, d, A, 0, d, na, B, 0, d, nb, whole, 0, n);
      expect(Array.from(sqDistances({ rows: m, cols: d, data: A }, { rows: n, cols: d, data: B }).data)).toEqual(Array.from(whole));
    }
  });

  it('reports a non-finite entry of A before one of B, and both before a shape mismatch', () => {
    const A = fill(new Float64Array(1003 * 300), 5), B = fill(new Float64Array(7 * 300), 6);
    A[700 * 300 + 11] = NaN;
    B[2 * 300 + 5] = -Infinity;
    const a = { rows: 1003, cols: 300, data: A }, b = { rows: 7, cols: 300, data: B };
    expect(() => sqDistances(a, b)).toThrow('A: entry (700, 11) is NaN');
    expect(() => sqDistances(b, { rows: 1, cols: 300, data: new Float64Array(300) })).toThrow('A: entry (2, 5) is -Infinity');
    expect(() => sqDistances({ rows: 1, cols: 300, data: new Float64Array(300) }, b)).toThrow('B: entry (2, 5) is -Infinity');
    expect(() => sqDistances(b, { rows: 1, cols: 2, data: new Float64Array(2) })).toThrow('A: entry (2, 5) is -Infinity');
    expect(() => sqDistances({ rows: 1, cols: 2, data: new Float64Array(2) }, b)).toThrow('B: entry (2, 5) is -Infinity');
  });
});
