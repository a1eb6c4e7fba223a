import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

// Every op's gradient against central finite differences in float64, over random shapes
// (broadcast ones included) and values: the loss is Σ out ⊙ R for a fixed random R, so
// every output entry's gradient is exercised with a different weight.

type Op = (inputs: ad.Var[]) => ad.Var;

interface Case {
  readonly name: string;
  /** Input shapes for a base shape (rows × cols). */
  readonly shapes: (rows: number, cols: number) => [number, number][];
  /** Maps a uniform draw in [−1, 1] to a valid input value (away from kinks and poles). */
  readonly domain?: (u: number, input: number) => number;
  readonly f: Op;
}

const awayFromZero = (u: number) => (u >= 0 ? 0.1 + u : -0.1 + u);
const positive = (u: number) => 0.2 + Math.abs(u) * 2;
const same = (r: number, c: number): [number, number][] => [[r, c]];
const pairs = (r: number, c: number): [number, number][][] => [
  [[r, c], [r, c]], [[r, c], [1, c]], [[r, c], [r, 1]], [[r, c], [1, 1]], [[1, c], [r, c]], [[r, 1], [1, c]],
];

const unaryCases: Case[] = [
  { name: 'neg', shapes: same, f: ([a]) => ad.neg(a!) },
  { name: 'relu', shapes: same, domain: awayFromZero, f: ([a]) => ad.relu(a!) },
  { name: 'leakyRelu', shapes: same, domain: awayFromZero, f: ([a]) => ad.leakyRelu(a!, 0.2) },
  { name: 'sigmoid', shapes: same, domain: (u) => 6 * u, f: ([a]) => ad.sigmoid(a!) },
  { name: 'tanh', shapes: same, domain: (u) => 3 * u, f: ([a]) => ad.tanh(a!) },
  { name: 'softplus', shapes: same, domain: (u) => 8 * u, f: ([a]) => ad.softplus(a!) },
  { name: 'exp', shapes: same, f: ([a]) => ad.exp(a!) },
  { name: 'log', shapes: same, domain: positive, f: ([a]) => ad.log(a!) },
  { name: 'square', shapes: same, f: ([a]) => ad.square(a!) },
  { name: 'sqrt', shapes: same, domain: positive, f: ([a]) => ad.sqrt(a!) },
  { name: 'abs', shapes: same, domain: awayFromZero, f: ([a]) => ad.abs(a!) },
  { name: 'scale', shapes: same, f: ([a]) => ad.scale(a!, -2.5) },
  { name: 'sum', shapes: same, f: ([a]) => ad.sum(a!) },
  { name: 'sum axis 0', shapes: same, f: ([a]) => ad.sum(a!, { axis: 0 }) },
  { name: 'mean axis 1', shapes: same, f: ([a]) => ad.mean(a!, { axis: 1 }) },
  { name: 'mean', shapes: same, f: ([a]) => ad.mean(a!) },
  { name: 'slice', shapes: (r, c) => [[r, c + 2]], f: ([a]) => ad.slice(a!, 1, a!.cols - 1) },
  { name: 'gather', shapes: same, f: ([a]) => ad.gather(a!, [a!.rows - 1, 0, a!.rows - 1]) },
];

const binaryCases: Case[] = pairs(1, 1).flatMap((_, k) => [
  { name: `add #${k}`, shapes: (r: number, c: number) => pairs(r, c)[k]!, f: ([a, b]: ad.Var[]) => ad.add(a!, b!) },
  { name: `sub #${k}`, shapes: (r: number, c: number) => pairs(r, c)[k]!, f: ([a, b]: ad.Var[]) => ad.sub(a!, b!) },
  { name: `mul #${k}`, shapes: (r: number, c: number) => pairs(r, c)[k]!, f: ([a, b]: ad.Var[]) => ad.mul(a!, b!) },
  { name: `div #${k}`, shapes: (r: number, c: number) => pairs(r, c)[k]!, domain: (u: number, i: number) => (i === 1 ? positive(u) : u), f: ([a, b]: ad.Var[]) => ad.div(a!, b!) },
]);

const structuralCases: Case[] = [
  { name: 'matmul', shapes: (r, c) => [[r, c], [c, r + 1]], f: ([a, b]) => ad.matmul(a!, b!) },
  { name: 'matmul transA', shapes: (r, c) => [[c, r], [c, 2]], f: ([a, b]) => ad.matmul(a!, b!, { transA: true }) },
  { name: 'matmul transB', shapes: (r, c) => [[r, c], [3, c]], f: ([a, b]) => ad.matmul(a!, b!, { transB: true }) },
  { name: 'matmul transA transB', shapes: (r, c) => [[c, r], [2, c]], f: ([a, b]) => ad.matmul(a!, b!, { transA: true, transB: true }) },
  { name: 'concat columns', shapes: (r, c) => [[r, c], [r, 2]], f: ([a, b]) => ad.concat([a!, b!, a!]) },
  { name: 'concat rows', shapes: (r, c) => [[r, c], [2, c]], f: ([a, b]) => ad.concat([a!, b!], { axis: 0 }) },
  { name: 'bceWithLogits', shapes: (r, c) => [[r, c], [r, c]], domain: (u, i) => (i === 1 ? (u + 1) / 2 : 4 * u), f: ([a, b]) => ad.bceWithLogits(a!, b!) },
  { name: 'bceWithLogits sum', shapes: (r, c) => [[r, c], [r, c]], domain: (u, i) => (i === 1 ? (u + 1) / 2 : 4 * u), f: ([a, b]) => ad.bceWithLogits(a!, b!, { reduction: 'sum' }) },
  { name: 'mse none', shapes: (r, c) => [[r, c], [r, c]], f: ([a, b]) => ad.mse(a!, b!, { reduction: 'none' }) },
  { name: 'l1', shapes: (r, c) => [[r, c], [r, c]], domain: (u, i) => (i === 0 ? awayFromZero(u) + 3 : u), f: ([a, b]) => ad.l1(a!, b!) },
  { name: 'gaussianKl', shapes: (r, c) => [[r, c], [r, c]], f: ([a, b]) => ad.gaussianKl(a!, b!, { reduction: 'none' }) },
  { name: 'softmaxCrossEntropy', shapes: (r, c) => [[r, c + 1]], domain: (u) => 5 * u, f: ([a]) => ad.softmaxCrossEntropy(a!, Array.from({ length: a!.rows }, (_, i) => (i * 7) % a!.cols), { reduction: 'sum' }) },
  ...(['identity', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softplus'] as const).map((act): Case => ({
    name: `dense (fused ${act})`, shapes: (r, c) => [[r, c], [c, 3], [1, 3]],
    // Keep pre-activations away from relu's kink: x and W positive-ish, the bias shifts.
    domain: (u, i) => (act.endsWith('elu') || act === 'relu' ? (i === 2 ? awayFromZero(u) * 3 : 0.05 + Math.abs(u)) : 2 * u),
    f: ([x, w, b]) => ad.dense.apply({ weight: w!, bias: b! }, x!, act),
  })),
  { name: 'activate (softplus, by name)', shapes: same, domain: (u) => 30 * u - 10, f: ([a]) => ad.activate(a!, 'softplus') },
  { name: 'composite: dense + tanh + mean', shapes: (r, c) => [[r, c], [c, 3], [1, 3]], f: ([x, w, b]) => ad.mean(ad.tanh(ad.dense.apply({ weight: w!, bias: b! }, x!))) },
];

function matrix(rows: number, cols: number, random: Random, domain: (u: number) => number): Matrix<Float64Array> {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = domain(random.uniform(-1, 1));
  return { rows, cols, data };
}

/** The loss Σ f(inputs) ⊙ R as a plain number, for finite differences. */
function lossOf(f: Op, inputs: Matrix<Float64Array>[], weights: () => Matrix<Float64Array>): { value: number; grads: Matrix[] } {
  return ad.valueAndGrad((p) => {
    const out = f(p);
    return ad.sum(ad.mul(out, weights()));
  }, inputs) as unknown as { value: number; grads: Matrix[] };
}

function checkCase(c: Case, rows: number, cols: number, seed: number): void {
  const random = new Random(seed);
  const inputs = c.shapes(rows, cols).map(([r, k], i) => matrix(r, k, random, (u) => (c.domain ? c.domain(u, i) : u)));
  // The output shape is found by running f once without tracking.
  const probe = c.f(inputs.map((m) => ad.neg(ad.neg(m))));
  const R = matrix(probe.rows, probe.cols, random, (u) => u);
  const { grads } = lossOf(c.f, inputs, () => R);
  const h = 1e-6;
  let diff = 0, norm = 0;
  inputs.forEach((m, k) => {
    for (let i = 0; i < m.data.length; i++) {
      const x0 = m.data[i]!;
      m.data[i] = x0 + h;
      const up = lossOf(c.f, inputs, () => R).value;
      m.data[i] = x0 - h;
      const down = lossOf(c.f, inputs, () => R).value;
      m.data[i] = x0;
      const fd = (up - down) / (2 * h);
      const g = grads[k]!.data[i]!;
      diff += (g - fd) ** 2;
      norm += Math.max(g * g, fd * fd);
    }
  });
  const relative = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-8);
  expect(relative, `${c.name} at ${rows} × ${cols}, seed ${seed}`).toBeLessThan(1e-6);
}

describe('every op\'s gradient equals central finite differences (float64, relative 1e-6)', () => {
  for (const c of [...unaryCases, ...binaryCases, ...structuralCases]) {
    it(c.name, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (r, k, seed) => {
        checkCase(c, r, k, seed);
      }), { numRuns: 12 });
    });
  }
});

describe.each(backendNames)('matmul backward on the %s backend', (backend) => {
  useBackendFor(backend);
  {
    it('gradients cross GEMM block sizes (float64)', () => {
      // 70 × 130 · 130 × 33 crosses the packed kernels' register tiles and blocks.
      const random = new Random(5);
      const A = matrix(70, 130, random, (u) => u), B = matrix(130, 33, random, (u) => u);
      const R = matrix(70, 33, random, (u) => u);
      const { grads } = ad.valueAndGrad((p) => ad.sum(ad.mul(ad.matmul(p.A, p.B), R)), { A, B });
      // dA = R·Bᵀ and dB = Aᵀ·R, by plain loops.
      for (let i = 0; i < 70; i += 13) {
        for (let j = 0; j < 130; j += 7) {
          let s = 0;
          for (let t = 0; t < 33; t++) s += R.data[i * 33 + t]! * B.data[j * 33 + t]!;
          expect(grads.A.data[i * 130 + j]).toBeCloseTo(s, 10);
        }
      }
      for (let i = 0; i < 130; i += 11) {
        for (let j = 0; j < 33; j += 5) {
          let s = 0;
          for (let t = 0; t < 70; t++) s += A.data[t * 130 + i]! * R.data[t * 33 + j]!;
          expect(grads.B.data[i * 33 + j]).toBeCloseTo(s, 10);
        }
      }
    });
  }
});
