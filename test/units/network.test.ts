import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import * as units from '../../src/units/index.js';
import type { Net } from '../../src/units/index.js';
import { codeOf } from '../helpers/errors.js';

type M = { rows: number; cols: number; data: number[] };
const m64 = (m: M): Matrix<Float64Array> => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });
const torch = JSON.parse(readFileSync(new URL('../fixtures/units/torch.json', import.meta.url), 'utf8')).gradientProfile as {
  X: M; labels: number[]; params: { weight: M; bias: M }[];
  'relu hidden': number[]; 'relu logits': number[]; 'tanh hidden': number[]; 'tanh logits': number[];
};
const torchParams = torch.params.map((l) => ({ weight: m64(l.weight), bias: m64(l.bias) }));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
}

describe('gradientProfile', () => {
  it('equals PyTorch autograd: class means of ∂ℓᵢ/∂h for hidden and output layers, ReLU and tanh (float64, 1e-10)', () => {
    const X = m64(torch.X);
    for (const activation of ['relu', 'tanh'] as const) {
      const net = activation === 'relu' ? 'mlp' : units.mlpNet({ activation });
      const hidden = units.gradientProfile(net, torchParams, X, torch.labels, { layer: 0 });
      const logits = units.gradientProfile(net, torchParams, X, torch.labels, { layer: -1 });
      expect([hidden.rows, hidden.cols, logits.rows, logits.cols]).toEqual([3, 5, 3, 3]);
      expectClose(hidden.data, torch[`${activation} hidden`], 1e-10);
      expectClose(logits.data, torch[`${activation} logits`], 1e-10);
    }
  });

  it('does not depend on the batch size (batches of 5 cross the 16 inputs unevenly)', () => {
    const X = m64(torch.X);
    const whole = units.gradientProfile('mlp', torchParams, X, torch.labels);
    const batched = units.gradientProfile('mlp', torchParams, X, torch.labels, { batchSize: 5 });
    expectClose(batched.data, whole.data, 1e-14);
  });

  it('converts float64 inputs for float32 parameters, and takes a custom loss', () => {
    const p32 = torchParams.map((l) => ({ weight: { ...l.weight, data: Float32Array.from(l.weight.data) }, bias: { ...l.bias, data: Float32Array.from(l.bias.data) } }));
    const G = units.gradientProfile('mlp', p32, m64(torch.X), torch.labels);
    expectClose(G.data, torch['relu hidden'], 1e-5);
    // A loss of twice the cross-entropy doubles every gradient.
    const twice = units.gradientProfile('mlp', torchParams, m64(torch.X), torch.labels, {
      loss: (out, labels) => ad.scale(ad.softmaxCrossEntropy(out, labels, { reduction: 'sum' }), 2),
    });
    expectClose(twice.data, torch['relu hidden'].map((v) => 2 * v), 1e-10);
  });

  it('works with a hand-written Net, and refuses one that ignores intervene', () => {
    const W1 = torchParams[0]!.weight, W2 = torchParams[1]!.weight;
    const net: Net<{ W1: Matrix; W2: Matrix }> = (p, x, call) => {
      const hook = call.intervene ?? ((_layer, h) => h);
      const h = hook(0, ad.tanh(ad.matmul(x, p.W1)));
      return [h, hook(1, ad.matmul(h, p.W2))];
    };
    const G = units.gradientProfile(net, { W1, W2 }, m64(torch.X), torch.labels);
    expect([G.rows, G.cols]).toEqual([3, 5]);
    const deaf: Net<{ W1: Matrix; W2: Matrix }> = (p, x) => {
      const h = ad.tanh(ad.matmul(x, p.W1));
      return [h, ad.matmul(h, p.W2)];
    };
    expect(codeOf(() => units.gradientProfile(deaf, { W1, W2 }, m64(torch.X), torch.labels))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.gradientProfile('mlp', torchParams, m64(torch.X), torch.labels, { layer: 2 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.gradientProfile('mlp', torchParams, m64(torch.X), torch.labels, { loss: () => ad.relu({ rows: 1, cols: 2, data: new Float64Array([1, 2]) }) }))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.gradientProfile('nope' as never, torchParams, m64(torch.X), torch.labels))).toBe('INVALID_INPUT');
  });

  it('never modifies the parameters or the inputs', () => {
    const X = m64(torch.X);
    const before = [Array.from(X.data), ...torchParams.map((l) => Array.from(l.weight.data))];
    units.gradientProfile('mlp', torchParams, X, torch.labels);
    expect([Array.from(X.data), ...torchParams.map((l) => Array.from(l.weight.data))]).toEqual(before);
  });
});

/**
 * A hand-built ReLU network over C classes in which hidden unit `unit` alone carries class
 * `cls`. Inputs: 2C features, the first C a clean signal (2 on the input's class, 0
 * elsewhere), the last C noise uniform in [0.5, 1.5]. Hidden layer (2C units): the signal
 * of class j goes to unit perm(j), noise j to unit perm(C + j). Logit j adds its signal unit
 * and its noise unit. Before: the signal (2) beats any noise difference (< 1). With the
 * signal unit of class c switched off, the logits of a class-c input are the noise alone,
 * i.i.d.: its argmax is uniform, accuracy 1/C (chance); no other class's input has any
 * signal on that unit, so nothing else moves.
 */
function handBuilt(C: number, perClass: number, cls: number) {
  const H = 2 * C;
  const perm = Array.from({ length: H }, (_, j) => (j * 7 + 3) % H); // 7 is coprime with 2C for C = 5
  const W1 = new Float64Array(2 * C * H), W2 = new Float64Array(H * C);
  for (let j = 0; j < H; j++) W1[j * H + perm[j]!] = 1;
  for (let j = 0; j < C; j++) {
    W2[perm[j]! * C + j] = 1;
    W2[perm[C + j]! * C + j] = 1;
  }
  const params = [
    { weight: { rows: 2 * C, cols: H, data: W1 }, bias: { rows: 1, cols: H, data: new Float64Array(H) } },
    { weight: { rows: H, cols: C, data: W2 }, bias: { rows: 1, cols: C, data: new Float64Array(C) } },
  ];
  const n = C * perClass, random = new Random(17);
  const X = new Float64Array(n * 2 * C), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % C;
    X[i * 2 * C + labels[i]!] = 2;
    for (let j = 0; j < C; j++) X[i * 2 * C + C + j] = random.uniform(0.5, 1.5);
  }
  return { params, X: { rows: n, cols: 2 * C, data: X }, labels, unit: perm[cls]! };
}

describe('ablate', () => {
  const C = 5, cls = 3;
  const { params, X, labels, unit } = handBuilt(C, 400, cls);

  it('on a network whose unit k alone carries class c: c falls to chance, the others do not move', () => {
    const r = units.ablate('mlp', params, X, labels, { units: [unit] });
    expect(Array.from(r.before)).toEqual([1, 1, 1, 1, 1]);
    expect(Math.abs(r.after[cls]! - 1 / C)).toBeLessThan(0.07);
    for (let c = 0; c < C; c++) if (c !== cls) expect(r.after[c]).toBe(r.before[c]);
    expect(Array.from(r.counts)).toEqual([400, 400, 400, 400, 400]);
    expect(r.overallBefore).toBe(1);
    expect(r.overallAfter).toBeCloseTo((4 + r.after[cls]!) / 5, 14);
  });

  it('switching off any other unit leaves every class alone; the noise units are needed by no class alone', () => {
    const others = Array.from({ length: 2 * C }, (_, j) => j).filter((j) => j !== unit);
    const signalOfOthers = others.filter((j) => units.ablate('mlp', params, X, labels, { units: [j] }).overallAfter < 1);
    expect(signalOfOthers).toHaveLength(C - 1); // the other classes' signal units, one each
    for (const j of signalOfOthers) expect(units.ablate('mlp', params, X, labels, { units: [j] }).after[cls]).toBe(1);
  });

  it('gives the same answer in batches, and on float32 parameters', () => {
    const whole = units.ablate('mlp', params, X, labels, { units: [unit] });
    const batched = units.ablate('mlp', params, X, labels, { units: [unit], batchSize: 333 });
    expect(Array.from(batched.after)).toEqual(Array.from(whole.after));
    const p32 = params.map((l) => ({ weight: { ...l.weight, data: Float32Array.from(l.weight.data) }, bias: { ...l.bias, data: Float32Array.from(l.bias.data) } }));
    expect(Array.from(units.ablate('mlp', p32, X, labels, { units: [unit] }).after)).toEqual(Array.from(whole.after));
  });

  it('rejects units outside the layer, classes beyond the output, and a net that ignores intervene', () => {
    expect(codeOf(() => units.ablate('mlp', params, X, labels, { units: [2 * C] }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.ablate('mlp', params, X, labels, {} as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.ablate('mlp', params, X, labels, { units: [0], layers: 1 } as never))).toBe('INVALID_OPTION');
    const sixClasses = Int32Array.from(labels, (c, i) => (c === 4 && i % 10 === 4 ? 5 : c)); // the output has 5
    expect(codeOf(() => units.ablate('mlp', params, X, sixClasses, { units: [0] }))).toBe('INVALID_INPUT');
    const deaf: Net<typeof params> = (p, x) => units.mlpNet()(p, x, {});
    expect(codeOf(() => units.ablate(deaf, params, X, labels, { units: [unit] }))).toBe('INVALID_INPUT');
  });
});

describe('transplant', () => {
  const C = 5, cls = 3;
  const { params, X, labels, unit } = handBuilt(C, 100, cls);

  it('from an identical donor changes nothing; from a donor whose unit is dead, it is an ablation', () => {
    const same = units.transplant('mlp', params, params, X, labels, { units: [unit] });
    expect(Array.from(same.after)).toEqual(Array.from(same.before));
    const W1 = Float64Array.from(params[0]!.weight.data);
    for (let i = 0; i < 2 * C; i++) W1[i * 2 * C + unit] = 0;
    const dead = [{ ...params[0]!, weight: { ...params[0]!.weight, data: W1 } }, params[1]!];
    const moved = units.transplant('mlp', params, dead, X, labels, { units: [unit] });
    const ablated = units.ablate('mlp', params, X, labels, { units: [unit] });
    expect(Array.from(moved.after)).toEqual(Array.from(ablated.after));
  });

  it('rejects a donor of another shape', () => {
    const narrow = [{ weight: { rows: 2 * C, cols: 3, data: new Float64Array(2 * C * 3) }, bias: { rows: 1, cols: 3, data: new Float64Array(3) } },
      { weight: { rows: 3, cols: C, data: new Float64Array(3 * C) }, bias: { rows: 1, cols: C, data: new Float64Array(C) } }];
    expect(codeOf(() => units.transplant('mlp', params, narrow, X, labels, { units: [0] }))).toBe('SHAPE_MISMATCH');
  });
});

describe('activations', () => {
  it('equals mlp.activations, for any layer and batch size, in the parameters\' dtype', () => {
    const X = m64(torch.X);
    const all = ad.mlp.activations(torchParams, X);
    for (const [layer, k] of [[0, 0], [1, 1], [-1, 1], [-2, 0]] as const) {
      const A = units.activations('mlp', torchParams, X, { layer, batchSize: 7 });
      expect([A.rows, A.cols]).toEqual([16, all[k]!.cols]);
      expect(Array.from(A.data)).toEqual(Array.from(all[k]!.data));
    }
    const p32 = torchParams.map((l) => ({ weight: { ...l.weight, data: Float32Array.from(l.weight.data) }, bias: { ...l.bias, data: Float32Array.from(l.bias.data) } }));
    expect(units.activations('mlp', p32, X).data).toBeInstanceOf(Float32Array);
    expect(codeOf(() => units.activations('mlp', torchParams, X, { layer: -3 }))).toBe('INVALID_OPTION');
  });
});
