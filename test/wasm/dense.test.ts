// The dense layer's bias/ReLU kernels give the same bits on both backends, float32 and
// float64, over shapes that cross the SIMD width (4 and 2 lanes) and the streaming
// threshold, with entries of both signs, zeros of both signs, NaN and infinities.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { biasRelu, biasReluGrad } from '../../src/linalg/kernels/dense.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmKernels } from '../../src/wasm/index.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45];
const dims = fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65), fc.integer({ min: 1, max: 300 }));

function draw(Ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, random: Random): Float32Array | Float64Array {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = i % 13 === 5 ? SPECIAL[(i >> 3) % SPECIAL.length]! : random.normal();
  return a;
}
const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('dense bias/ReLU kernels', () => {
  it('WebAssembly equals TypeScript bit for bit, both ways, float64 and float32', () => {
    fc.assert(fc.property(fc.constantFrom('float64', 'float32'), dims, dims, fc.boolean(), fc.boolean(), fc.nat(), (dtype, m, n, relu, withSums, seed) => {
      const random = new Random(seed);
      const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
      const Y = draw(Ctor, m * n, random), b = draw(Ctor, n, random), g = draw(Ctor, m * n, random);
      const run = (k: Kernels) => {
        const y = Y.slice(), dz = new Ctor(m * n).fill(7), sums = withSums ? Float64Array.from({ length: n }, (_, j) => j) : null;
        k.biasRelu(m, n, y, b, relu);
        k.biasReluGrad(m, n, g, y, relu, dz, sums);
        return { y, dz, sums };
      };
      const [a, c] = [run(jsKernels), run(W)];
      expect(bits(c.y)).toEqual(bits(a.y));
      expect(bits(c.dz)).toEqual(bits(a.dz));
      if (withSums) expect(bits(c.sums!)).toEqual(bits(a.sums!));
    }), { numRuns: 80 });
  });

  it('adds the bias, applies ReLU (NaN and −0 to +0), masks the gradient and sums its columns', () => {
    const Y = new Float64Array([1, -3, NaN, -0.5]);
    biasRelu(2, 2, Y, new Float64Array([1, 0.5]), true);
    expect(bits(Y)).toEqual(['2', '0', '0', '0']);
    const dz = new Float64Array(4), sums = new Float64Array([10, 20]);
    biasReluGrad(2, 2, new Float64Array([5, 7, 9, 11]), Y, true, dz, sums);
    expect(Array.from(dz)).toEqual([5, 0, 0, 0]);
    expect(Array.from(sums)).toEqual([15, 20]);
    biasReluGrad(2, 2, new Float64Array([5, 7, 9, 11]), Y, false, dz, sums);
    expect(Array.from(sums)).toEqual([29, 38]);
  });
});
