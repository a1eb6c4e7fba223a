import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import { LatentSpaceError } from '../../src/core/errors.js';

/** Expects `f` to throw a LatentSpaceError with this code and a message matching `message`. */
function expectError(f: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try { f(); } catch (e) { caught = e; }
  expect(caught, 'expected an error').toBeInstanceOf(LatentSpaceError);
  expect((caught as LatentSpaceError).code).toBe(code);
  expect((caught as LatentSpaceError).message).toMatch(message);
}

const m64 = (rows: number, cols: number, values: number[]): Matrix<Float64Array> => ({ rows, cols, data: Float64Array.from(values) });
const m32 = (rows: number, cols: number, values: number[]): Matrix<Float32Array> => ({ rows, cols, data: Float32Array.from(values) });

function blobs(n: number, seed: number): { x: Matrix<Float32Array>; labels: Int32Array } {
  const random = new Random(seed);
  const x = new Float32Array(n * 4), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = random.normal() + (j === labels[i] ? 2.5 : 0);
  }
  return { x: { rows: n, cols: 4, data: x }, labels };
}
const classify = (p: ad.Tracked<ad.DenseParams[]>, b: { x: Matrix; labels: ArrayLike<number> }) =>
  ad.softmaxCrossEntropy(ad.mlp.apply(p, b.x, { activation: 'tanh' }), b.labels);

describe('valueAndGrad', () => {
  it('gives the value and the gradient of a hand-derived case, in the parameters\' shape', () => {
    // L = Σ (X·w)² with X = [3 4], w = [1 2]ᵀ: L = 121, dL/dw = 2·11·Xᵀ = [66, 88].
    const params = { layers: [{ w: m64(2, 1, [1, 2]) }], other: m64(1, 1, [5]) };
    const X = m64(1, 2, [3, 4]);
    const { value, grads } = ad.valueAndGrad((p) => ad.sum(ad.square(ad.matmul(X, p.layers[0]!.w))), params);
    expect(value).toBe(121);
    expect(Array.from(grads.layers[0]!.w.data)).toEqual([66, 88]);
    expect(Array.from(grads.other.data)).toEqual([0]); // unused: zero, not missing
    expect(grads.layers[0]!.w.data).toBeInstanceOf(Float64Array);
  });

  it('accumulates a value used twice, and a parameter returned as the loss', () => {
    const x = m64(1, 1, [3]);
    expect(ad.valueAndGrad((p) => ad.mul(p, p), x).grads.data[0]).toBe(6);
    expect(ad.valueAndGrad((p) => ad.add(ad.mul(p, p), p), x).grads.data[0]).toBe(7);
    expect(ad.grad((p) => p, x).data[0]).toBe(1);
  });

  it('never modifies the parameters or the constants', () => {
    const w = m32(2, 2, [1, -2, 3, -4]), X = m32(1, 2, [0.5, -1]);
    const before = [Array.from(w.data), Array.from(X.data)];
    ad.valueAndGrad((p) => ad.sum(ad.relu(ad.matmul(X, p))), w);
    expect([Array.from(w.data), Array.from(X.data)]).toEqual(before);
  });

  it('keeps no global state: two computations interleaved in one thread give their own answers', () => {
    // Each computation is suspended halfway (a generator), the other runs in between.
    function* half(w: Matrix, c: number): Generator<void, number> {
      let result = 0;
      let resume!: () => void;
      const paused = new Promise<void>((r) => { resume = r; });
      void paused;
      const it = ad.valueAndGrad((p) => {
        const a = ad.scale(ad.square(p), c);
        resume();
        return ad.sum(a);
      }, w);
      result = it.grads.data[0]!;
      yield;
      return result;
    }
    const a = half(m64(1, 1, [2]), 3), b = half(m64(1, 1, [5]), 7);
    a.next(); b.next();
    expect(a.next().value).toBe(12);
    expect(b.next().value).toBe(70);
    // Values of one computation cannot leak into another.
    let leaked: ad.Var | undefined;
    ad.valueAndGrad((p) => { leaked = ad.square(p); return ad.sum(leaked); }, m64(1, 1, [1]));
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.add(p, leaked!)), m64(1, 1, [1])), 'INVALID_INPUT', /two different computations/);
  });

  it('names both shapes and the op on a shape mismatch', () => {
    const w = m64(3, 2, [1, 2, 3, 4, 5, 6]);
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.matmul(p, m64(3, 1, [1, 1, 1]))), w), 'SHAPE_MISMATCH', /matmul: .*3 × 2.*3 × 1/);
    expectError(() => ad.add(m64(2, 3, [1, 2, 3, 4, 5, 6]), m64(2, 2, [1, 2, 3, 4])), 'SHAPE_MISMATCH', /add: .*2 × 3.*2 × 2/);
    expectError(() => ad.valueAndGrad((p) => p, w), 'SHAPE_MISMATCH', /1 × 1/);
  });

  it('reports the op that made a NaN or infinity instead of training on it', () => {
    const w = m64(1, 2, [1, -1]);
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.log(p)), w), 'NON_FINITE', /^log produced NaN at row 0, column 1/);
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.exp(ad.scale(p, 1000))), w), 'NON_FINITE', /^exp produced Infinity/);
    // Opting out lets the NaN through, as documented.
    expect(ad.valueAndGrad((p) => ad.sum(ad.log(p)), w, { checkFinite: false }).value).toBeNaN();
  });

  it('never mixes element types silently, and rejects unknown options', () => {
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.mul(p, m64(1, 1, [2]))), m32(1, 1, [1])), 'INVALID_INPUT', /float64 but the computation is float32/);
    expectError(() => ad.valueAndGrad((p) => ad.sum(ad.mul(p.a, p.b)), { a: m32(1, 1, [1]), b: m64(1, 1, [1]) }), 'INVALID_INPUT', /params\.b is float64/);
    expectError(() => ad.valueAndGrad((p) => ad.sum(p), m64(1, 1, [1]), { checkFinit: true } as never), 'INVALID_OPTION', /did you mean 'checkFinite'/);
    expectError(() => ad.sum(m64(1, 1, [1]), { axis: 2 } as never), 'INVALID_OPTION', /axis/);
    expectError(() => ad.valueAndGrad((p) => ad.sum(p), { w: [1, 2] } as never), 'INVALID_INPUT', /params\.w\[0\]: received 1/);
    // Plain number[][] constants take the computation's element type.
    expect(ad.valueAndGrad((p) => ad.sum(ad.mul(p, [[2]] as never)), m32(1, 1, [1])).grads.data).toBeInstanceOf(Float32Array);
  });

  it('float32 agrees with float64 within float32 rounding', () => {
    // A 4-32-3 tanh classifier's loss and gradients: each value passes through O(10) ops of
    // at most 32-term sums, so the float32 error is bounded by ~ 32 · 10 · 2⁻²⁴ ≈ 2e-5 of the
    // magnitudes involved; we test a relative norm error ≤ 1e-4.
    const data = blobs(50, 3);
    const p32 = ad.mlp.init([4, 32, 3], { seed: 1 });
    const p64 = p32.map((l) => ({ weight: { ...l.weight, data: Float64Array.from(l.weight.data) }, bias: { ...l.bias, data: Float64Array.from(l.bias.data) } }));
    const x64 = { ...data.x, data: Float64Array.from(data.x.data) };
    const r32 = ad.valueAndGrad((p) => classify(p, data), p32);
    const r64 = ad.valueAndGrad((p) => classify(p, { x: x64, labels: data.labels }), p64);
    expect(Math.abs(r32.value - r64.value) / r64.value).toBeLessThan(1e-5);
    r64.grads.forEach((layer, i) => {
      for (const key of ['weight', 'bias'] as const) {
        const a = r32.grads[i]![key].data, b = layer[key].data;
        let d = 0, n = 0;
        for (let j = 0; j < a.length; j++) { d += (a[j]! - b[j]!) ** 2; n += b[j]! ** 2; }
        expect(Math.sqrt(d / n), `layer ${i} ${key}`).toBeLessThan(1e-4);
      }
    });
  });
});

describe('optimisers', () => {
  it('sgd: one plain step is p − η·g; momentum starts from g; nesterov adds μ·b', () => {
    const p = m64(1, 2, [1, 2]), g = m64(1, 2, [0.5, -1]);
    const plain = ad.sgd({ learningRate: 0.1 });
    plain.step(p, g, plain.init(p));
    expect(Array.from(p.data)).toEqual([1 - 0.1 * 0.5, 2 + 0.1]);
    const q = m64(1, 1, [0]), h = m64(1, 1, [1]);
    const nest = ad.sgd({ learningRate: 1, momentum: 0.5, nesterov: true });
    const state = nest.init(q);
    nest.step(q, h, state); // b = 1, d = 1 + 0.5 = 1.5
    nest.step(q, h, state); // b = 1.5, d = 1 + 0.75 = 1.75
    expect(q.data[0]).toBe(-3.25);
    expectError(() => ad.sgd({ nesterov: true }), 'INVALID_OPTION', /nesterov needs momentum/);
  });

  it('adam: the first step moves every coordinate by the learning rate against the gradient\'s sign', () => {
    // With m̂ = g and v̂ = g², the step is η·g/(|g| + ε) ≈ η·sign(g).
    const p = m64(1, 3, [0, 0, 0]), g = m64(1, 3, [3, -0.01, 1e-3]);
    const opt = ad.adam({ learningRate: 0.1 });
    const state = opt.init(p);
    opt.step(p, g, state);
    expect(p.data[0]).toBeCloseTo(-0.1, 8);
    expect(p.data[1]).toBeCloseTo(0.1, 6);
    expect(p.data[2]).toBeCloseTo(-0.1, 4);
    expect(state.step).toBe(1);
    expectError(() => opt.step(p, m64(1, 2, [1, 1]), state), 'SHAPE_MISMATCH', /params is 1 × 3 but its gradient grads is 1 × 2/);
    expectError(() => ad.adam({ beta1: 1 }), 'INVALID_OPTION', /below 1/);
  });
});

describe('train', () => {
  it('learns separable blobs, leaves the parameters passed in untouched, and is reproducible', () => {
    const data = blobs(300, 1);
    const params = ad.mlp.init([4, 16, 3], { seed: 2 });
    const before = Array.from(params[0]!.weight.data);
    const run = () => ad.train(classify, params, data, { epochs: 8, batchSize: 32, seed: 4, optimizer: ad.adam({ learningRate: 0.02 }) });
    const a = run(), b = run();
    expect(Array.from(params[0]!.weight.data)).toEqual(before);
    expect(a.history.length).toBe(8);
    expect(a.history[7]!).toBeLessThan(0.4 * a.history[0]!);
    expect(a.completed).toBe(true);
    expect(Array.from(a.params[1]!.weight.data)).toEqual(Array.from(b.params[1]!.weight.data));
    const logits = ad.mlp.apply(a.params, data.x, { activation: 'tanh' });
    let correct = 0;
    for (let i = 0; i < 300; i++) {
      const row = Array.from(logits.data.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === data.labels[i]) correct++;
    }
    expect(correct / 300).toBeGreaterThan(0.9);
  });

  it('train = drive(trainSteps) = trainAsync; onProgress, next(true) and the signal stop early', async () => {
    const data = blobs(100, 2);
    const params = ad.mlp.init([4, 8, 3], { seed: 3 });
    const options = { epochs: 3, batchSize: 30, seed: 1 };
    const sync = ad.train(classify, params, data, options);
    const asyncResult = await ad.trainAsync(classify, params, data, options);
    expect(Array.from(asyncResult.history)).toEqual(Array.from(sync.history));
    const steps = ad.trainSteps(classify, params, data, options);
    const first = steps.next();
    expect(first.value).toMatchObject({ epoch: 0, batch: 0, iteration: 1 });
    const stopped = steps.next(true);
    expect(stopped.done).toBe(true);
    expect((stopped.value as ad.TrainResult<unknown>).completed).toBe(false);
    const seen: number[] = [];
    const early = ad.train(classify, params, data, { ...options, onProgress: (p) => { seen.push(p.iteration); return p.iteration === 5; } });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(early.completed).toBe(false);
    expect(early.history.length).toBe(1); // 4 batches per epoch: epoch 0 finished, epoch 1 not
    const controller = new AbortController();
    controller.abort();
    expect(ad.train(classify, params, data, { ...options, signal: controller.signal }).history.length).toBe(0);
    // Validation happens when the run is made, not at its first step.
    expectError(() => ad.trainSteps(classify, params, data, { epochs: 0 }), 'INVALID_OPTION', /epochs/);
    expectError(() => ad.trainSteps(classify, params, { x: data.x, labels: [1, 2] }, {}), 'SHAPE_MISMATCH', /labels has 2 rows/);
  });

  it('allocates no typed array after the first step, and memory stays flat over 1,000 steps', () => {
    const data = blobs(64, 5);
    const params = ad.mlp.init([4, 32, 3], { seed: 0 });
    const opt = ad.adam({ learningRate: 1e-3 });
    const state = opt.init(params);
    const workspace = new ad.Workspace();
    const step = () => {
      const { grads } = ad.valueAndGrad((p) => classify(p, data), params, { workspace });
      opt.step(params, grads, state);
    };
    step();
    const afterFirst = workspace.allocations;
    // Count every Float32Array/Float64Array made during the next steps (outside the workspace too).
    const made = { count: 0 };
    const spy = <T extends Float32ArrayConstructor | Float64ArrayConstructor>(Ctor: T): T =>
      new Proxy(Ctor, { construct(target, args) { made.count++; return Reflect.construct(target, args); } });
    const g = globalThis as unknown as { Float32Array: Float32ArrayConstructor; Float64Array: Float64ArrayConstructor };
    const [F32, F64] = [g.Float32Array, g.Float64Array];
    g.Float32Array = spy(F32);
    g.Float64Array = spy(F64);
    try {
      for (let i = 0; i < 10; i++) step();
    } finally {
      g.Float32Array = F32;
      g.Float64Array = F64;
    }
    expect(workspace.allocations).toBe(afterFirst);
    expect(made.count).toBe(0);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) step();
    gc?.();
    // Without --expose-gc the heap may hold garbage; a leak of the tape's buffers would
    // still show as ~1000 × 10 KB.
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(8e6);
    expect(workspace.allocations).toBe(afterFirst);
  });
});

describe('regressions', () => {
  it('a smaller last batch allocates once, not every epoch', () => {
    const params = ad.mlp.init([4, 8, 3], { seed: 0 }), workspace = new ad.Workspace();
    const batch = (n: number) => blobs(n, n);
    const full = batch(32), last = batch(4);
    const counts: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const b of [full, full, last]) ad.valueAndGrad((p) => classify(p, b), params, { workspace });
      counts.push(workspace.allocations);
    }
    expect(counts[2]).toBe(counts[0]);
  });

  it('float32 softmaxCrossEntropy gradients stay accurate for large logits', () => {
    // Logits around 1000: the log-sum-exp kept in float32 lost 145 units in the last place.
    const random = new Random(1);
    const values = Array.from({ length: 40 }, () => 1000 + random.uniform(-3, 3));
    const labels = Array.from({ length: 8 }, (_, i) => i % 5);
    const g32 = ad.grad((p) => ad.softmaxCrossEntropy(p, labels), m32(8, 5, values)).data;
    const g64 = ad.grad((p) => ad.softmaxCrossEntropy(p, labels), m64(8, 5, Array.from(Float32Array.from(values)))).data;
    let worst = 0;
    for (let i = 0; i < 40; i++) worst = Math.max(worst, Math.abs(g32[i]! - g64[i]!));
    expect(worst / 2 ** -24).toBeLessThan(8);
  });
});

describe('minibatches and randn', () => {
  it('split every sample once, in a seeded order', () => {
    const x = m64(5, 1, [0, 1, 2, 3, 4]);
    const batches = ad.minibatches({ x, id: [0, 1, 2, 3, 4] }, 2, new Random(3));
    expect(batches.map((b) => b.x.rows)).toEqual([2, 2, 1]);
    const ids = batches.flatMap((b) => Array.from(b.id));
    expect([...ids].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(batches.flatMap((b) => Array.from(b.x.data))).toEqual(ids);
    expect(ad.minibatches(x, 5).map((b) => Array.from(b.data))).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('randn draws standard normals from the generator', () => {
    const z = ad.randn(100, 100, new Random(1), 'float64');
    let s = 0, s2 = 0;
    for (const v of z.data) { s += v; s2 += v * v; }
    expect(Math.abs(s / 1e4)).toBeLessThan(0.04);
    expect(Math.abs(s2 / 1e4 - 1)).toBeLessThan(0.05);
    expect(ad.randn(2, 2, new Random(1)).data).toBeInstanceOf(Float32Array);
  });
});

describe('layers', () => {
  it('initialise with the documented bounds, and apply x·W + b', () => {
    const p = ad.dense.init(100, 50, { seed: 1 });
    const bound = 1 / Math.sqrt(100);
    expect(Math.max(...Array.from(p.weight.data, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(p.weight.data, Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(Math.max(...Array.from(p.bias.data, Math.abs))).toBeGreaterThan(0.5 * bound);
    const glorot = ad.dense.init(100, 50, { init: 'glorot', dtype: 'float64' });
    expect(Array.from(glorot.bias.data).every((v) => v === 0)).toBe(true);
    expect(glorot.weight.data).toBeInstanceOf(Float64Array);
    const he = ad.dense.init(400, 400, { init: 'he' });
    const variance = Array.from(he.weight.data).reduce((s, v) => s + v * v, 0) / he.weight.data.length;
    expect(variance).toBeCloseTo(2 / 400, 4);
    const y = ad.dense.apply({ weight: m64(2, 1, [2, 3]), bias: m64(1, 1, [1]) }, m64(2, 2, [1, 1, 0, 2]));
    expect(Array.from(y.data)).toEqual([6, 7]);
    expectError(() => ad.mlp.init([4]), 'INVALID_INPUT', /at least/);
    expectError(() => ad.mlp.apply(ad.mlp.init([2, 2]), m32(1, 2, [1, 1]), { activation: 'gelu' } as never), 'INVALID_OPTION', /gelu/);
  });
});
