// The integer screen's kernel (src/linalg/kernels/quantized.ts and its twin
// src/wasm/assembly/quantized.ts): the same bits on both backends over sizes that cross the
// 2 × 4 tile, the 64-unit blocks and the eight-column groups, with entries at the int16
// extremes (the dot products must stay exact), operands resident or copied in; and the
// quantisation helpers keep the screened scores within their bound of the true ones.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { gridRows, quantizeUnits } from '../../src/linalg/quantize.js';
import { wasmKernels } from '../../src/wasm/index.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 63, 64, 65, 67, 129), fc.integer({ min: 1, max }));

describe('quantizedScores', () => {
  it('gives the same bits on both backends, and the exact integer dot products', () => {
    fc.assert(
      fc.property(size(70), size(140), fc.integer({ min: 1, max: 32 }), fc.boolean(), fc.nat(), (m, n, groups, resident, seed) => {
        const rng = new Random(seed);
        const k = 8 * groups;
        // Entries up to the int16 limits while Σ|x||w| < 2³¹ (|x| ≤ 255, |w| ≤ 32767, k ≤ 256).
        const X = Int16Array.from({ length: m * k }, () => (rng.uniform(0, 1) < 0.2 ? 255 * Math.sign(rng.uniform(-1, 1)) : Math.round(rng.uniform(-255, 255))));
        const Wq = Int16Array.from({ length: n * k }, () => (rng.uniform(0, 1) < 0.2 ? 32767 * Math.sign(rng.uniform(-1, 1)) : Math.round(rng.uniform(-32767, 32767))));
        const norms = Float64Array.from({ length: n }, () => rng.uniform(0, 1e6));
        const scale = rng.uniform(0, 1) * 2 ** -20;
        const run = (K: Kernels) => {
          const rx = resident ? K.region(new Int16Array(0), m * k) : undefined;
          rx?.view().set(X);
          const out = new Float32Array(m * n);
          K.quantizedScores(m, n, k, rx?.view() ?? X, Wq, norms, scale, out);
          rx?.release();
          return out;
        };
        const a = run(W), b = run(jsKernels);
        for (let p = 0; p < a.length; p++) if (!Object.is(a[p], b[p])) expect(`[${p}] ${a[p]}`).toBe(`[${p}] ${b[p]}`);
        // The definition, with the dot product as a BigInt (exact whatever its size).
        for (let p = 0; p < Math.min(a.length, 50); p++) {
          const i = Math.floor(p / n), u = p % n;
          let s = 0n;
          for (let t = 0; t < k; t++) s += BigInt(X[i * k + t]!) * BigInt(Wq[u * k + t]!);
          expect(b[p]).toBe(Math.fround(norms[u]! - scale * Number(s)));
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('keeps the largest sum the caller may ask for exact: 256 columns of 255 · 32767', () => {
    const m = 3, n = 5, k = 256;
    const X = new Int16Array(m * k).fill(255), Wq = new Int16Array(n * k).fill(-32767);
    const out = new Float32Array(m * n);
    // norms − dot: an exact integer below 2³¹ in float64, then rounded to float32.
    W.quantizedScores(m, n, k, X, Wq, Float64Array.from({ length: n }, (_, u) => u), 1, out);
    expect(Array.from(out)).toEqual(Array.from({ length: m * n }, (_, p) => Math.fround((p % n) + 256 * 255 * 32767)));
  });
});

describe('quantizedScoresAt', () => {
  it('gives quantizedScores of the rows it is given, in their order, on both backends', () => {
    fc.assert(
      fc.property(size(70), size(40), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.nat(), (m, n, groups, resident, seed) => {
        const rng = new Random(seed);
        const k = 8 * groups, nX = m + 5;
        const X = Int16Array.from({ length: nX * k }, () => Math.round(rng.uniform(-255, 255)));
        const Wq = Int16Array.from({ length: n * k }, () => Math.round(rng.uniform(-32767, 32767)));
        const norms = Float64Array.from({ length: n }, () => rng.uniform(0, 1e6));
        const off = 3, index = Int32Array.from({ length: m + off }, () => Math.floor(rng.uniform(0, nX)));
        const gathered = new Int16Array(m * k);
        for (let i = 0; i < m; i++) gathered.set(X.subarray(index[off + i]! * k, (index[off + i]! + 1) * k), i * k);
        const want = new Float32Array(m * n);
        jsKernels.quantizedScores(m, n, k, gathered, Wq, norms, 2 ** -20, want);
        for (const K of [W, jsKernels]) {
          const rx = resident ? K.region(new Int16Array(0), nX * k) : undefined;
          rx?.view().set(X);
          const out = new Float32Array(m * n);
          K.quantizedScoresAt(m, n, k, rx?.view() ?? X, nX, index, off, Wq, norms, 2 ** -20, out);
          rx?.release();
          expect(out).toEqual(want);
        }
      }),
      { numRuns: 40, seed: 8 },
    );
  });
});

describe('shiftToInt16', () => {
  it('copies rows on a grid exactly on both backends, with shiftToFloat32\'s norms bit for bit', () => {
    fc.assert(
      fc.property(size(40), fc.integer({ min: 1, max: 70 }), fc.constantFrom(1, 255, 1000), fc.boolean(), fc.nat(), (m, d, s, resident, seed) => {
        const rng = new Random(seed);
        const k = (d + 7) & ~7;
        const A = Float64Array.from({ length: m * d }, () => Math.round(rng.uniform(-30, 30) * (s === 1 ? 1 : s / 40)) / s);
        const shift = Float64Array.from({ length: d }, () => rng.uniform(-1, 1));
        const norms = new Float64Array(m);
        jsKernels.shiftToFloat32(m, d, A, shift, new Float32Array(m * d), norms);
        for (const K of [W, jsKernels]) {
          const ra = resident ? K.resident(A) : undefined;
          const Q = new Int16Array(m * k).fill(7), sums = new Float64Array(m), got = new Float64Array(m);
          const qmax = K.shiftToInt16(m, d, ra?.view() ?? A, shift, s, Q, k, sums, got);
          ra?.release();
          let most = 0;
          for (let i = 0; i < m; i++) {
            let sum = 0;
            for (let j = 0; j < k; j++) {
              const want = j < d ? Math.round(A[i * d + j]! * s) + 0 : 0; // + 0: int16 has no −0
              expect(Q[i * k + j]).toBe(want);
              sum += Math.abs(want);
              most = Math.max(most, Math.abs(want));
            }
            expect(sums[i]).toBe(sum);
          }
          expect(qmax).toBe(most);
          expect(got).toEqual(norms);
        }
      }),
      { numRuns: 60, seed: 9 },
    );
  });

  it('returns −1 for an entry off the grid or beyond int16, wherever it lies', () => {
    for (const K of [W, jsKernels]) {
      for (const [bad, s] of [[0.5, 1], [Math.PI, 1000], [40000, 1], [1 / 3, 255], [0.188 + 2 ** -40, 1000]] as const) {
        for (const at of [0, 1, 17, 64 * 9 - 1]) {
          const A = Float64Array.from({ length: 64 * 9 }, (_, p) => (p === at ? bad : (p % 7) / (s === 1 ? 1 : 5)));
          const k = 16, m = 64 * 9 / 9;
          expect(K.shiftToInt16(m, 9, A, new Float64Array(9), s === 1 ? 1 : 1000, new Int16Array(m * k), k, new Float64Array(m), new Float64Array(m))).toBe(s === 1 && Number.isInteger(bad) && bad <= 32767 ? 6 : -1);
        }
      }
    }
  });
});

describe('gridRows and quantizeUnits', () => {
  it('find the grid of 8-bit pixels / 255 and of three decimals, and refuse data off any grid', () => {
    const cols = Int32Array.of(0, 1, 2);
    const make = (length: number) => new Int16Array(length);
    expect(gridRows(new Float64Array([0, 128 / 255, 1]), 1, 3, cols, make)?.step).toBe(1 / 255);
    expect(gridRows(new Float64Array([0.188, 0.933, 1]), 1, 3, cols, make)?.step).toBe(1 / 1000);
    expect(gridRows(new Float64Array([40000, 1, 2]), 1, 3, cols, make)).toBeUndefined(); // beyond int16
    expect(gridRows(new Float64Array([Math.PI, 1, 2]), 1, 3, cols, make)).toBeUndefined();
  });

  it('keep the scaled integer dot products within the bound of the true ones', () => {
    const rng = new Random(3);
    const n = 40, d = 37, units = 9;
    const X = Float64Array.from({ length: n * d }, () => Math.round(rng.uniform(-500, 500)) / 100);
    const cols = Int32Array.from({ length: d }, (_, j) => j);
    const g = gridRows(X, n, d, cols, (length) => new Int16Array(length))!;
    const Wt = Float64Array.from({ length: units * d }, () => rng.uniform(-5, 5) * 10 ** Math.floor(rng.uniform(-2, 2)));
    const q = new Int16Array(units * g.k);
    const u = quantizeUnits(Wt, units, d, g.k, g.qmax, q)!;
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < units; v++) {
        let exact = 0, dot = 0;
        for (let t = 0; t < d; t++) {
          exact += X[i * d + t]! * Wt[v * d + t]!;
          dot += g.q[i * g.k + t]! * q[v * g.k + t]!;
        }
        expect(Math.abs(exact - g.step * u.step * dot)).toBeLessThanOrEqual(g.err * u.l1 + u.err * g.l1[i]! + 1e-12);
        expect(Math.abs(dot)).toBeLessThan(2 ** 31);
      }
    }
  });
});
