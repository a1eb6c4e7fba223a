// The Adam kernel gives the same bits on both backends (float64 in f64x2 lanes in
// WebAssembly; float32 in float32 arithmetic, f32x4 lanes against Math.fround of every
// operation), over sizes around the SIMD widths and the streaming threshold, for several
// steps in a row.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmKernels } from '../../src/wasm/index.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

describe('adam kernel', () => {
  it('WebAssembly equals TypeScript bit for bit, float64 and float32, over several steps', () => {
    fc.assert(fc.property(
      fc.constantFrom('float64', 'float32'), fc.oneof(fc.constantFrom(1, 2, 3, 63, 64, 65, 127, 128, 129), fc.integer({ min: 1, max: 3000 })),
      fc.constantFrom(0, 0.01), fc.nat(), (dtype, n, weightDecay, seed) => {
        const random = new Random(seed);
        const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
        const draw = (scale: number) => {
          const a = new Ctor(n);
          for (let i = 0; i < n; i++) a[i] = scale * random.normal();
          return a;
        };
        const p0 = draw(1), g = draw(0.1);
        const states = [jsKernels, W].map((k) => ({ k, p: Ctor.from(p0), m: new Ctor(n), v: new Ctor(n) }));
        for (let t = 1; t <= 3; t++) {
          const stepSize = 1e-3 / (1 - 0.9 ** t), inv = 1 / Math.sqrt(1 - 0.999 ** t);
          for (const s of states) s.k.adam(n, s.p, g, s.m, s.v, stepSize, inv, 0.9, 0.999, 1e-8, weightDecay);
        }
        const [a, b] = states;
        expect(Array.from(b!.p)).toEqual(Array.from(a!.p));
        expect(Array.from(b!.m)).toEqual(Array.from(a!.m));
        expect(Array.from(b!.v)).toEqual(Array.from(a!.v));
        // And it moved: every parameter by about the learning rate on the first steps.
        expect(Math.abs(a!.p[0]! - p0[0]!)).toBeGreaterThan(1e-4);
      },
    ), { numRuns: 40 });
  });
});
