// Issue #21, cancellation: ‖a‖² + ‖b‖² − 2a·b loses every digit when two rows are close
// compared with their norms; sqDistances measures such entries again from the differences
// (the bound the SOM's unit search uses), so it is right at any offset, on both backends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqDistances } from '../../src/linalg/distances.js';
import { onBothBackends } from '../helpers/backends.js';

/** Σ(a − b)² from the differences, in float64: the reference. */
function exact(A: number[][], B: number[][]): number[] {
  return A.flatMap((a) => B.map((b) => a.reduce((s, v, q) => s + (v - b[q]!) ** 2, 0)));
}

describe('sqDistances under cancellation', () => {
  it('the issue\'s repros: offsets 1e8 and 1e15', () => {
    onBothBackends(() => {
      expect(Array.from(sqDistances([[1e8, 1e8]], [[1e8 + 1, 1e8]]).data)).toEqual([1]);
      expect(Array.from(sqDistances([[1e15, 1e15]], [[1e15 + 2, 1e15]]).data)).toEqual([4]);
    });
  });

  it('integer points far from the origin: distances that cancel are exact, the others within 1e-8', () => {
    const point = (d: number) => fc.array(fc.integer({ min: -20, max: 20 }), { minLength: d, maxLength: d });
    const offset = fc.constantFrom(0, 1e4, 1e6, 1e8, 1e10, 1e12, 1e14, 2 ** 52);
    const expectNear = (got: number[], want: number[]): void => {
      want.forEach((w, i) => {
        if (w <= 16) expect(got[i]).toBe(w);
        else expect(Math.abs(got[i]! - w)).toBeLessThanOrEqual(1e-8 * w);
      });
    };
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }).chain((d) => fc.tuple(fc.array(point(d), { minLength: 1, maxLength: 9 }), fc.array(point(d), { minLength: 1, maxLength: 9 }))), offset, ([A0, B0], c) => {
      // Integers below 2^53 stay exact after the offset, and so do their differences.
      const A = A0.map((r) => r.map((v) => v + c)), B = B0.map((r) => r.map((v) => v + c));
      const [js, wasm] = onBothBackends(() => [Array.from(sqDistances(A, B).data), Array.from(sqDistances(A).data)]);
      for (const r of [js, wasm]) {
        expectNear(r[0]!, exact(A, B));
        expectNear(r[1]!, exact(A, A));
      }
    }), { numRuns: 80 });
  });

  it('float32 input: within float32 rounding of the exact distance', () => {
    const A = new Float32Array([4096, 4096, 4097, 4096]);
    onBothBackends(() => {
      const D = sqDistances({ rows: 2, cols: 2, data: A }, { rows: 2, cols: 2, data: A }).data;
      expect(D).toBeInstanceOf(Float32Array);
      expect(Array.from(D)).toEqual([0, 1, 1, 0]);
    });
  });

  it('distances far above the rounding bound keep the GEMM speed path (no change)', () => {
    onBothBackends(() => {
      expect(Array.from(sqDistances([[0, 0], [3, 4]]).data)).toEqual([0, 25, 25, 0]);
    });
  });
});
