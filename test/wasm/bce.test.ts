// The binary cross-entropy kernel gives the same bits on both backends (float64 in f64x2
// lanes in WebAssembly, rounded where the TypeScript kernel's Float64Array stores
// round), over sizes around the SIMD width and the streaming threshold and logits from 0
// to beyond e^−x's underflow; and it agrees with Math.exp and Math.log1p to a few ulps.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { bceLogits, expNonPositive, log1pUnit } from '../../src/linalg/kernels/bce.js';
import { expNonPositiveF32, log1pUnitF32 } from '../../src/linalg/kernels/bce-f32.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmKernels } from '../../src/wasm/index.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

const SPECIAL = [0, -0, 1e-300, -1e-300, 1, -1, 36.7, -36.7, 700, -700, 744, -744, 746, -746, 1e10, -1e10];

/** Reference ℓ(x, t) and σ(x) − t from Math's functions. */
function reference(x: number, t: number): [number, number] {
  const e = Math.exp(-Math.abs(x));
  return [Math.max(x, 0) - x * t + Math.log1p(e), (x >= 0 ? 1 / (1 + e) : e / (1 + e)) - t];
}

describe('bceLogits kernel', () => {
  it('WebAssembly equals TypeScript bit for bit, float64 and float32, every output combination', () => {
    fc.assert(fc.property(
      fc.constantFrom('float64', 'float32'), fc.oneof(fc.constantFrom(1, 2, 3, 63, 64, 65, 127, 128, 129), fc.integer({ min: 1, max: 3000 })),
      fc.constantFrom(1, 5, 50, 800), fc.boolean(), fc.boolean(), fc.nat(), (dtype, n, scale, withLoss, withD, seed) => {
        const random = new Random(seed);
        const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
        const x = new Ctor(n), t = new Ctor(n);
        for (let i = 0; i < n; i++) {
          x[i] = i % 17 === 3 ? SPECIAL[(i >> 4) % SPECIAL.length]! : scale * random.normal();
          t[i] = i % 5 === 0 ? Math.round(random.uniform(0, 1)) : random.uniform(0, 1);
        }
        const run = (k: Kernels) => {
          const loss = withLoss ? new Ctor(n) : null, d = withD ? new Ctor(n) : null;
          return { sum: k.bceLogits(n, x, t, loss, d), loss, d };
        };
        const [a, b] = [run(jsKernels), run(W)];
        expect(Object.is(b.sum, a.sum)).toBe(true);
        if (withLoss) expect(Array.from(b.loss!)).toEqual(Array.from(a.loss!));
        if (withD) expect(Array.from(b.d!)).toEqual(Array.from(a.d!));
      },
    ), { numRuns: 60 });
  });

  it('agrees with Math.exp and Math.log1p to a few ulps, and sums the terms', () => {
    const random = new Random(7);
    const n = 4001;
    const x = new Float64Array(n), t = new Float64Array(n), loss = new Float64Array(n), d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i < SPECIAL.length ? SPECIAL[i]! : 30 * random.normal();
      t[i] = random.uniform(0, 1);
    }
    const sum = bceLogits(n, x, t, loss, d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const [l, g] = reference(x[i]!, t[i]!);
      expect(Math.abs(loss[i]! - l)).toBeLessThanOrEqual(4e-16 * Math.max(Math.abs(l), Math.abs(x[i]!), 1e-300));
      expect(Math.abs(d[i]! - g)).toBeLessThanOrEqual(4e-16);
      total += l;
    }
    expect(Math.abs(sum - total)).toBeLessThan(1e-12 * total);
  });

  it('e^y and ln(1 + e) are within 3 ulps of Math.exp and Math.log1p, and keep NaN', () => {
    const random = new Random(1);
    for (let i = 0; i < 20000; i++) {
      const y = -random.uniform(0, i % 2 === 0 ? 40 : 745);
      const want = Math.exp(y);
      if (want > 1e-300) expect(Math.abs(expNonPositive(y) - want)).toBeLessThanOrEqual(3 * 2 ** -52 * want);
      const e = random.uniform(0, 1) ** (1 + (i % 9));
      expect(Math.abs(log1pUnit(e) - Math.log1p(e))).toBeLessThanOrEqual(3 * 2 ** -52 * Math.log1p(e));
    }
    expect([expNonPositive(0), expNonPositive(-746), log1pUnit(0), log1pUnit(1)]).toEqual([1, 0, 0, Math.LN2]);
    expect(Number.isNaN(expNonPositive(NaN))).toBe(true);
    expect(Number.isNaN(bceLogits(1, new Float64Array([NaN]), new Float64Array([1]), null, null))).toBe(true);
  });

  it('float32: terms within 4 float32 ulps of max(|ℓ|, |x|) (x·t cancels in float32, as in PyTorch), derivatives within 3 ulps', () => {
    const U = 2 ** -24, random = new Random(9), n = 20001;
    const x = new Float32Array(n), t = new Float32Array(n), loss = new Float32Array(n), d = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = i < SPECIAL.length ? SPECIAL[i]! : (i % 3 === 0 ? 60 : 6) * random.normal();
      t[i] = i % 4 === 0 ? Math.round(random.uniform(0, 1)) : random.uniform(0, 1);
    }
    const sum = bceLogits(n, x, t, loss, d);
    let total = 0, bound = 0;
    for (let i = 0; i < n; i++) {
      const [l, g] = reference(x[i]!, t[i]!);
      const allowed = 4 * U * Math.max(Math.abs(l), Math.abs(x[i]!));
      expect(Math.abs(loss[i]! - l)).toBeLessThanOrEqual(allowed);
      expect(Math.abs(d[i]! - g)).toBeLessThanOrEqual(3 * U);
      total += l;
      bound += allowed;
    }
    // The terms' errors, and no more: the sum itself is float64.
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(bound);
    for (let i = 0; i < 5000; i++) {
      const y = Math.fround(-random.uniform(0, 87)), e = Math.fround(random.uniform(0, 1) ** (1 + (i % 5)));
      expect(Math.abs(expNonPositiveF32(y) - Math.exp(y))).toBeLessThanOrEqual(4 * U * Math.exp(y));
      expect(Math.abs(log1pUnitF32(e) - Math.log1p(e))).toBeLessThanOrEqual(5 * U * Math.log1p(e));
    }
  });
});
