// sqDistances decides its power-of-two scaling from the row norms when they prove it is 0
// (no pass of maxAbs over A), and from maxAbs otherwise: data scaled by 2^s must give the
// distances scaled by 4^s exactly, on both backends, whichever way the scale was found.
import { describe, expect, it } from 'vitest';
import { sqDistances } from '../../src/linalg/index.js';
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
