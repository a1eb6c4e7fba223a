/**
 * The `reflectRows` kernel (src/linalg/kernels/reflect-rows.ts and its WebAssembly twin):
 * one Householder reflector applied from the right to a few rows, the leaves of the LQ
 * factorisation's panels. Both backends must give the same bits for every length (odd and
 * even, across the two-lane pairs) and row count (across the two-row pass), on plain arrays
 * and with v and the rows in one resident matrix, as the LQ factorisation calls it; and the
 * result must be x·H to rounding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reflectRowsKernel, regionKernel } from '../../src/linalg/kernels/dispatch.js';
import { fill, onBothBackends } from '../helpers/backends.js';

describe('reflectRows: both backends, the same bits', () => {
  it('random lengths, row counts, leading dimensions and τ; plain arrays and a resident matrix', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 1, max: 1000 }),
        (len, rows, pad, tau, seed) => {
          const ld = len + pad, off = 1 + ld; // v in row 0 (from column 1), the rows below it
          const M0 = fill(new Float64Array(1 + (rows + 1) * ld + 1), seed);
          const [js, wasm] = onBothBackends(() => {
            const plain = M0.slice(), v = M0.slice(1, 1 + len);
            reflectRowsKernel()(len, rows, v, 0, plain, off, ld, tau);
            const R = regionKernel()(M0, M0.length);
            R.view().set(M0);
            reflectRowsKernel()(len, rows, R.view(), 1, R.view(), off, ld, tau);
            const resident = R.view().slice(0, M0.length);
            R.release();
            return { plain, resident };
          });
          expect(js.resident).toEqual(js.plain);
          expect(wasm.plain).toEqual(js.plain);
          expect(wasm.resident).toEqual(js.plain);
          // x·(I − τ·v·vᵀ) computed naively, v[0] = 1.
          for (let i = 0; i < rows; i++) {
            const p = off + i * ld;
            let s = M0[p]!;
            for (let c = 1; c < len; c++) s += M0[1 + c]! * M0[p + c]!;
            for (let c = 0; c < len; c++) {
              const want = M0[p + c]! - tau * s * (c === 0 ? 1 : M0[1 + c]!);
              expect(Math.abs(js.plain[p + c]! - want)).toBeLessThanOrEqual(1e-14 * len);
            }
          }
          // Entries outside the rows are untouched.
          for (let q = 0; q < off; q++) expect(js.plain[q]).toBe(M0[q]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
