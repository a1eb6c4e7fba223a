// The Fisher-Rao batch kernel on both backends: the WebAssembly one takes two coordinates at
// a time with its own vectorised logarithm, so the two agree to rounding, not bit for bit.
// Non-finite entries are found after the kernel ran (the batch functions skip asMatrix's scan).
import { describe, expect, it } from 'vitest';
import * as interp from '../../src/interp/index.js';
import { backendNames, fill, onBothBackends, useBackendFor } from '../helpers/backends.js';

function batch(n: number, d: number, seed: number, spread: number): { mean: { rows: number; cols: number; data: Float64Array }; variance: { rows: number; cols: number; data: Float64Array } } {
  const mean = fill(new Float64Array(n * d), seed).map((v) => v * spread);
  // Variances over 12 orders of magnitude, so z runs from ~0 (w rounds to 1) to huge.
  const variance = fill(new Float64Array(n * d), seed + 1).map((v) => 10 ** (6 * v));
  return { mean: { rows: n, cols: d, data: mean }, variance: { rows: n, cols: d, data: variance } };
}

describe('fisherRaoDistanceDiagonalBatch on both backends', () => {
  it('agrees to 1e-14 relative, for pairs and against one reference, even and odd d', () => {
    // d across the kernel's steps of eight and two coordinates and its odd one; n·d across its
    // blocks of 8192 elements (600 × 32: two full blocks and a part; 1500 × 13: 630-row blocks).
    for (const [n, d] of [[200, 32], [150, 7], [64, 1], [600, 32], [1500, 13], [90, 8], [80, 9], [70, 10], [60, 17]] as const) {
      const a = batch(n, d, 11 + d, 3), b = batch(n, d, 29 + d, 1e-3);
      const ref = { mean: b.mean.data.slice(0, d), variance: b.variance.data.slice(0, d) };
      for (const other of [b, ref]) {
        const [js, wasm] = onBothBackends(() => interp.fisherRaoDistanceDiagonalBatch(a, other));
        for (let i = 0; i < n; i++) expect(Math.abs(wasm[i]! - js[i]!)).toBeLessThanOrEqual(1e-14 * js[i]!);
      }
    }
  });

  it('agrees to 1e-14 where 2σ0σ1 is subnormal or overflows, and where u overflows', () => {
    // Pairs of variances chosen per coordinate: the WebAssembly kernel divides by 2σ0σ1 at
    // once only where that product is normal in both lanes of a pair, and its ln(1 + u)
    // must give NaN (the far-row fallback) where u = ∞, not the logarithm of an exponent.
    const pairs = [[1e-320, 1e-300], [1e-300, 1e-310], [1e300, 1e305], [1e-300, 1e300], [1, 1e-308], [1e308, 1e-308], [2, 3], [1e-3, 1e3]];
    const n = pairs.length, d = 6;
    const a = batch(n, d, 5, 1), b = batch(n, d, 6, 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j += 2) {
        a.variance.data[i * d + j] = pairs[i]![0]!;
        b.variance.data[i * d + j] = pairs[i]![1]!;
        if (i % 2) a.mean.data[i * d + j] = 1e200; // with a variance near 1e-300: z overflows
      }
    }
    const [js, wasm] = onBothBackends(() => interp.fisherRaoDistanceDiagonalBatch(a, b));
    for (let i = 0; i < n; i++) {
      expect(Number.isFinite(js[i]!)).toBe(true);
      expect(Math.abs(wasm[i]! - js[i]!)).toBeLessThanOrEqual(1e-14 * js[i]!);
    }
  });

  it('equals the one-pair distance, and is exactly 0 between identical rows', () => {
    const a = batch(80, 5, 3, 2);
    const [js, wasm] = onBothBackends(() => interp.fisherRaoDistanceDiagonalBatch(a, a));
    expect(Array.from(js).every((v) => v === 0)).toBe(true);
    expect(Array.from(wasm).every((v) => v === 0)).toBe(true);
    const b = batch(80, 5, 4, 2);
    const [, w] = onBothBackends(() => interp.fisherRaoDistanceDiagonalBatch(a, b));
    for (let i = 0; i < 80; i += 13) {
      const row = (m: typeof a, r: number) => ({ mean: m.mean.data.slice(r * 5, r * 5 + 5), variance: m.variance.data.slice(r * 5, r * 5 + 5) });
      expect(Math.abs(w[i]! - interp.fisherRaoDistance(row(a, i), row(b, i)))).toBeLessThanOrEqual(1e-14 * w[i]!);
    }
  });

  // One case per backend: run one after the other, the first throw would hide the second.
  // 40 × 4 coordinates take the WebAssembly path (not its small-call fallback to TypeScript);
  // the zero sits in an odd coordinate (a second f64x2 lane) of batch0, and in batch1.
  describe.each(backendNames)('on the %s backend', (backend) => {
    useBackendFor(backend);

    it('a zero variance is an error naming the batch, whichever side it is on', () => {
      const a = batch(40, 4, 5, 1), b = batch(40, 4, 6, 1);
      expect(interp.fisherRaoDistanceDiagonalBatch(a, b).every(Number.isFinite)).toBe(true);
      a.variance.data[17] = 0;
      expect(() => interp.fisherRaoDistanceDiagonalBatch(a, b)).toThrow(/^batch0\.variance: .*entry 17/);
      expect(() => interp.fisherRaoDistanceDiagonalBatch(b, a)).toThrow(/^batch1\.variance: .*entry 17/);
    });

    it('a non-finite mean or variance is NON_FINITE naming its entry (checked only when a distance is not finite)', () => {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        for (const side of ['mean', 'variance'] as const) {
          const a = batch(40, 4, 5, 1), b = batch(40, 4, 6, 1);
          b[side].data[4 * 23 + 3] = bad;
          for (const f of [interp.fisherRaoDistanceDiagonalBatch, interp.w2DistanceDiagonalBatch]) {
            expect(() => f(a, b)).toThrow(new RegExp(`^batch1\\.${side}: entry \\(23, 3\\) is ${bad}`));
            expect(() => f(b, a)).toThrow(new RegExp(`^batch0\\.${side}: entry \\(23, 3\\) is ${bad}`));
            // In the one reference, every row's distance is lost.
            const ref = { mean: b.mean.data.slice(4 * 23, 4 * 24), variance: b.variance.data.slice(4 * 23, 4 * 24) };
            expect(() => f(a, ref)).toThrow(new RegExp(`^batch1\\.${side}: entry \\(0, 3\\) is ${bad}`));
          }
        }
      }
    });
  });
});
