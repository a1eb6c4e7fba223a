// ResidentParams and residentWorkspace (src/autodiff/resident.ts): a training run's weights,
// optimiser state and step values kept in the kernels' memory. The step equals the
// optimiser on plain arrays bit for bit; a computation during which the memory grows (its
// views detached) is run again; release() leaves plain copies; a VAE trained from a fresh,
// small WebAssembly memory (every early step grows it) equals one trained after it grew.
import { afterEach, describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import { ResidentParams, residentWorkspace } from '../../src/autodiff/resident.js';
import { leaves, rebuild } from '../../src/autodiff/tree.js';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import { setKernels } from '../../src/linalg/backend.js';
import { gemmKernel } from '../../src/linalg/kernels/dispatch.js';
import * as vae from '../../src/vae/index.js';
import { initSync, memoryBytes, reset, useBackend } from '../../src/wasm/index.js';
import { backendNames } from '../helpers/backends.js';

afterEach(() => setKernels(undefined));

const use = (name: 'js' | 'wasm') => {
  if (name === 'wasm') initSync();
  useBackend(name);
};

function tree(seed: number) {
  const random = new Random(seed);
  const m = (rows: number, cols: number): Matrix => ({ rows, cols, data: random.fillNormal(new Float32Array(rows * cols)) });
  return { layers: [{ weight: m(70, 3), bias: m(1, 3) }], extra: m(1, 5) };
}

/** Grows the memory of the active kernels with an ordinary GEMM of (n × n) operands. */
function growWithGemm(n: number): void {
  const a = new Float32Array(n * n);
  gemmKernel()(false, false, n, n, n, 1, a, 0, n, a, 0, n, 0, new Float32Array(n * n), 0, n);
}

const total = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0);
const bits = (t: unknown) => leaves(t).map(({ matrix }) => Array.from(matrix.data));

describe.each(backendNames)('ResidentParams (%s backend)', (backend) => {
  it('steps like the optimiser on plain arrays, bit for bit, and release() leaves plain copies', () => {
    use(backend);
    const optimizer = ad.adam({ learningRate: 1e-2 });
    const plain = tree(1), state = optimizer.init(plain);
    const resident = new ResidentParams(tree(1), optimizer);
    const random = new Random(2);
    for (let t = 0; t < 4; t++) {
      const grads = rebuild(plain, leaves(plain).map(({ matrix: m }) => ({ rows: m.rows, cols: m.cols, data: random.fillNormal(new Float32Array(m.data.length)) }))) as ad.Grads<typeof plain>;
      optimizer.step(plain, grads, state);
      resident.step(grads);
      expect(bits(resident.params())).toEqual(bits(plain));
    }
    resident.release();
    const kept = resident.params();
    expect(bits(kept)).toEqual(bits(plain));
    // Plain arrays of their own, not views of WebAssembly memory.
    for (const { matrix } of leaves(kept)) expect(matrix.data.byteOffset).toBe(0);
  });
});

describe('ResidentParams.stable (wasm backend)', () => {
  it('runs a computation again when the memory grows under it, and passes its errors on otherwise', () => {
    use('wasm');
    const resident = new ResidentParams(tree(3), ad.adam());
    let calls = 0;
    const sum = resident.stable((p) => {
      calls++;
      if (calls === 1) growWithGemm(Math.ceil(Math.sqrt(memoryBytes() / 4)) + 16); // detaches p's views
      return total(p.extra.data);
    });
    expect(calls).toBe(2);
    expect(sum).toBe(total(tree(3).extra.data));
    expect(() => resident.stable(() => { throw new Error('boom'); })).toThrow('boom');
    resident.release();
  });

  it('a resident workspace serves the same regions again, with fresh views after growth', () => {
    use('wasm');
    const ws = residentWorkspace();
    const a = ws.take('float32', 1000);
    a.fill(3);
    ws.reset();
    growWithGemm(Math.ceil(Math.sqrt(memoryBytes() / 4)) + 16);
    expect(a.length).toBe(0); // detached
    const b = ws.take('float32', 1000);
    expect(b.length).toBe(1000);
    expect(b[999]).toBe(3);
    expect(ws.allocations).toBe(1);
    ws.release();
  });

  it('a VAE trained from a fresh WebAssembly memory equals one trained after the memory grew', () => {
    const random = new Random(4);
    const X = { rows: 150, cols: 30, data: Float32Array.from({ length: 4500 }, () => random.uniform(0, 1)) };
    const options = { latent: 3, hidden: [40], epochs: 2, batchSize: 64, seed: 5 };
    use('wasm');
    reset();
    const fresh = vae.fit(X, options);
    const grown = vae.fit(X, options);
    use('js');
    const js = vae.fit(X, options);
    expect(bits(fresh.weights)).toEqual(bits(grown.weights));
    expect(bits(fresh.weights)).toEqual(bits(js.weights));
  });

  it('a first fit whose minibatch regions grow a fresh memory trains (docs/vae.md failed so)', () => {
    // 128 × 784 float32 rows: taking ε's region after x's grows a fresh memory, which
    // detached the view of x the minibatch was then gathered into.
    const random = new Random(6);
    const X = { rows: 300, cols: 784, data: Float32Array.from({ length: 300 * 784 }, () => random.uniform(0, 1)) };
    const options = { latent: 8, epochs: 1, seed: 0 };
    use('wasm');
    reset();
    const fresh = vae.fit(X, options);
    use('js');
    expect(bits(fresh.weights)).toEqual(bits(vae.fit(X, options).weights));
  });

  it('kernels that grow the memory between steps (onProgress, validation) change nothing', () => {
    const random = new Random(6);
    const X = { rows: 120, cols: 30, data: Float32Array.from({ length: 3600 }, () => random.uniform(0, 1)) };
    const validation = { rows: 40, cols: 30, data: X.data.slice(0, 1200) };
    const options = { latent: 3, hidden: [40], epochs: 2, batchSize: 50, seed: 7, validation };
    use('wasm');
    reset();
    const quiet = vae.fit(X, options);
    reset();
    let size = 200;
    const busy = vae.fit(X, {
      ...options,
      onProgress: (step) => {
        // A reconstruction larger each time grows the memory under the run's views.
        const big = { rows: size, cols: 30, data: new Float32Array(size * 30).fill(0.5) };
        vae.reconstruct(step.snapshot(), big);
        size *= 2;
      },
    });
    expect(bits(busy.weights)).toEqual(bits(quiet.weights));
    expect(Array.from(busy.history.validationElbo)).toEqual(Array.from(quiet.history.validationElbo));
  });
});
