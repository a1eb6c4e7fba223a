import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { FloatArray, Matrix } from '../../src/core/matrix.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

// Golden tests against torch.autograd and torch.optim (python3-torch 1.13, float64), from
// test/fixtures/autodiff/torch.json, made by make_fixture.py beside it (its docstring
// describes the network). The same network is written below with latentspace's ops.
//
// Metric: the normwise relative error ‖ours − torch‖∞ / ‖torch‖∞ of each value or each
// parameter's gradient (as a whole matrix: single entries can be sums that cancel, and
// their relative error says nothing about the op). A gradient torch reports as all zeros
// (a parameter the loss does not reach) must be all zeros here too. Optimiser steps are
// measured against the size of the step: ‖p_ours − p_torch‖∞ / ‖p_torch − p_before‖∞, so a
// wrong update rule cannot hide behind the parameters' magnitude.

type Rows = number[][];
type Dtype = 'float32' | 'float64';
type LossName = 'bceWithLogits' | 'mse' | 'l1' | 'softmaxCrossEntropy' | 'gaussianKl';
const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2', 'E', 'gamma', 'W3', 'b3', 'c3'] as const;
type ParamName = (typeof PARAM_NAMES)[number];
type TrunkParams = Record<ParamName, Matrix>;
type MlpLayer = { weight: Rows; bias: Rows };
interface Fixture {
  versions: Record<string, string>;
  data: { XT: Rows; tokens: number[]; labels: number[]; P: Rows; YT: Rows; Rb: Rows; Rm: Rows; Rn: Rows; X: Rows; Y4: Rows };
  params: Record<ParamName, Rows>;
  cases: { loss: LossName; reduction: ad.Reduction; value: number; grads: Record<ParamName, Rows> }[];
  mlpParams: MlpLayer[];
  mlpCases: { activation: ad.Activation; value: number; output: Rows; grads: MlpLayer[] }[];
  optimizers: {
    name: 'adam' | 'sgd';
    options: Record<string, number | boolean>;
    steps: { value: number; params: Record<ParamName, Rows> }[];
    state: Record<ParamName, { first: Rows; second?: Rows }>;
  }[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/autodiff/torch.json', import.meta.url), 'utf8')) as Fixture;
const TOL = 1e-10;
const STEP_TOL = 1e-12;

function matrix(rows: Rows, dtype: Dtype): Matrix {
  const data = dtype === 'float32' ? new Float32Array(rows.length * rows[0]!.length) : new Float64Array(rows.length * rows[0]!.length);
  rows.forEach((r, i) => data.set(r, i * r.length));
  return { rows: rows.length, cols: rows[0]!.length, data };
}

/** A float64 copy of a float32 matrix (exact: every float32 is a float64). */
const widen = (m: Matrix): Matrix => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });

/** ‖a − b‖∞ / ‖b‖∞; 0 when both are all zeros, Infinity when only b is. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff === 0 ? 0 : diff / scale;
}
const flat = (rows: Rows): number[] => rows.flat();

interface Data {
  XT: Matrix; P: Matrix; YT: Matrix; Rb: Matrix; Rm: Matrix; Rn: Matrix; X: Matrix; Y4: Matrix; half: Matrix;
  tokens: number[]; labels: number[];
}
function dataIn(dtype: Dtype): Data {
  const d = fixture.data;
  const m = (r: Rows) => matrix(r, dtype);
  return {
    XT: m(d.XT), P: m(d.P), YT: m(d.YT), Rb: m(d.Rb), Rm: m(d.Rm), Rn: m(d.Rn), X: m(d.X), Y4: m(d.Y4), half: m([[0.5]]),
    tokens: d.tokens, labels: d.labels,
  };
}
const trunkParams = (dtype: Dtype): TrunkParams =>
  Object.fromEntries(PARAM_NAMES.map((k) => [k, matrix(fixture.params[k], dtype)])) as TrunkParams;

/** The network of make_fixture.py's trunk(): every op of latentspace/autodiff once or more. */
function trunk(p: ad.Tracked<TrunkParams>, d: Data) {
  const z1 = ad.add(ad.matmul(d.XT, p.W1, { transA: true }), p.b1);
  const a1 = ad.concat([
    ad.relu(ad.slice(z1, 0, 2)), ad.leakyRelu(ad.slice(z1, 2, 4), 0.1), ad.sigmoid(ad.slice(z1, 4, 6)), ad.tanh(ad.slice(z1, 6, 8)),
  ]);
  const h2 = ad.add(ad.dense.apply({ weight: p.W2, bias: p.b2 }, a1, 'softplus'), ad.gather(p.E, d.tokens));
  const h2n = ad.mul(p.gamma, ad.div(h2, ad.sqrt(ad.add(ad.mean(ad.square(h2), { axis: 1 }), d.half))));
  const logits = ad.add(ad.matmul(h2n, p.W3), p.b3);
  const logitsT = ad.add(ad.matmul(p.W3, h2n, { transA: true, transB: true }), p.c3);
  const aux = [
    ad.scale(ad.mean(ad.log(ad.sum(ad.exp(logits), { axis: 1 }))), 0.1),
    ad.scale(ad.sum(ad.square(ad.matmul(p.W1, p.W1, { transA: true }))), 0.01),
    ad.scale(ad.mean(ad.square(ad.sum(a1, { axis: 0 }))), 0.05),
    ad.scale(ad.mse(ad.matmul(h2n, p.W2, { transB: true }), a1), 0.2),
    ad.scale(ad.sum(ad.square(ad.concat([p.W3, p.b3], { axis: 0 }))), 0.01),
    ad.scale(ad.mean(ad.mul(ad.neg(h2n), ad.sub(ad.slice(a1, 0, 6), ad.slice(a1, 2, 8)))), 0.03),
  ].reduce((s, t) => ad.add(s, t));
  return { logits, logitsT, mu: ad.slice(logits, 0, 2), logv: ad.slice(logits, 2, 4), aux };
}

function caseLoss(name: LossName, reduction: ad.Reduction, heads: ReturnType<typeof trunk>, d: Data): ad.Var {
  const options = { reduction };
  const [terms, weight] = ((): [ad.Var, Matrix] => {
    switch (name) {
      case 'bceWithLogits': return [ad.bceWithLogits(heads.logits, d.P, options), d.Rb];
      case 'mse': return [ad.mse(heads.logitsT, d.YT, options), d.Rm];
      case 'l1': return [ad.l1(heads.logitsT, d.YT, options), d.Rm];
      case 'softmaxCrossEntropy': return [ad.softmaxCrossEntropy(heads.logits, d.labels, options), d.Rn];
      case 'gaussianKl': return [ad.gaussianKl(heads.mu, heads.logv, options), d.Rn];
    }
  })();
  // 'none' gives the terms themselves: reduced by a fixed weighting, so each term's own
  // gradient is seen (make_fixture.py does the same).
  return reduction === 'none' ? ad.sum(ad.mul(terms, weight)) : terms;
}

/** The optimisers' objective: the five losses (mean) plus the auxiliary terms. */
function objective(p: ad.Tracked<TrunkParams>, d: Data): ad.Var {
  const heads = trunk(p, d);
  const losses: LossName[] = ['bceWithLogits', 'mse', 'l1', 'softmaxCrossEntropy', 'gaussianKl'];
  return ad.add(losses.map((name) => caseLoss(name, 'mean', heads, d)).reduce((s, t) => ad.add(s, t)), heads.aux);
}

const mlpParams = (dtype: Dtype): ad.DenseParams[] => fixture.mlpParams.map((l) => ({ weight: matrix(l.weight, dtype), bias: matrix(l.bias, dtype) }));
function mlpLoss(p: ad.Tracked<ad.DenseParams[]>, d: Data, activation: ad.Activation, output?: (y: ad.Var) => void): ad.Var {
  const y = ad.mlp.apply(p, d.X, { activation });
  output?.(y);
  return ad.add(ad.softmaxCrossEntropy(y, d.labels), ad.scale(ad.mse(y, d.Y4), 0.5));
}

it('the fixture records the versions that made it', () => {
  expect(fixture.versions.torch).toMatch(/^1\.13/);
  expect(fixture.cases).toHaveLength(15);
  expect(fixture.mlpCases.map((c) => c.activation)).toEqual(['identity', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softplus']);
});

describe.each(backendNames)('equal to torch.autograd in float64 (%s backend)', (backend) => {
  useBackendFor(backend);
  const d = dataIn('float64');

  it.each(fixture.cases.map((c) => [`${c.loss} (${c.reduction})`, c] as const))('trunk + %s: value and every gradient to 1e-10', (_, c) => {
    const { value, grads } = ad.valueAndGrad((p) => {
      const heads = trunk(p, d);
      return ad.add(caseLoss(c.loss, c.reduction, heads, d), heads.aux);
    }, trunkParams('float64'));
    expect(Math.abs(value - c.value) / Math.abs(c.value)).toBeLessThan(TOL);
    for (const k of PARAM_NAMES) {
      const ref = flat(c.grads[k]);
      if (ref.every((v) => v === 0)) expect(Array.from(grads[k].data), k).toEqual(ref.map(() => 0));
      else expect(relErr(grads[k].data, ref), `∂/∂${k}`).toBeLessThan(TOL);
    }
  });

  it.each(fixture.mlpCases.map((c) => [c.activation, c] as const))('mlp.apply with %s = nn.Sequential(Linear, act, …): output, loss and gradients to 1e-10', (activation, c) => {
    let out: FloatArray | undefined;
    const { value, grads } = ad.valueAndGrad((p) => mlpLoss(p, d, activation, (y) => { out = y.data.slice(); }), mlpParams('float64'));
    expect(relErr(out!, flat(c.output))).toBeLessThan(TOL);
    expect(Math.abs(value - c.value) / c.value).toBeLessThan(TOL);
    grads.forEach((layer, i) => {
      expect(relErr(layer.weight.data, flat(c.grads[i]!.weight)), `layer ${i} weight (= Linear.weight.grad transposed)`).toBeLessThan(TOL);
      expect(relErr(layer.bias.data, flat(c.grads[i]!.bias)), `layer ${i} bias`).toBeLessThan(TOL);
    });
  });

  it.each(fixture.optimizers.map((o) => [`${o.name} ${JSON.stringify(o.options)}`, o] as const))('three steps of %s = torch.optim to 1e-12 of the step', (_, o) => {
    const params = trunkParams('float64');
    const opt = o.name === 'adam' ? ad.adam(o.options) : ad.sgd(o.options);
    const state = opt.init(params);
    let before = Object.fromEntries(PARAM_NAMES.map((k) => [k, flat(fixture.params[k])])) as Record<ParamName, number[]>;
    o.steps.forEach((step, s) => {
      const { value, grads } = ad.valueAndGrad((p) => objective(p, d), params);
      expect(Math.abs(value - step.value) / step.value, `objective before step ${s + 1}`).toBeLessThan(TOL);
      opt.step(params, grads, state);
      for (const k of PARAM_NAMES) {
        const after = flat(step.params[k]);
        const move = Math.max(...after.map((v, i) => Math.abs(v - before[k][i]!)));
        const err = Math.max(...after.map((v, i) => Math.abs(params[k].data[i]! - v)));
        expect(err / move, `${k} after step ${s + 1} (moved by up to ${move.toExponential(2)})`).toBeLessThan(STEP_TOL);
      }
      before = Object.fromEntries(PARAM_NAMES.map((k) => [k, flat(step.params[k])])) as Record<ParamName, number[]>;
    });
    expect(state.step).toBe(3);
    PARAM_NAMES.forEach((k, i) => {
      expect(relErr(state.first[i]!.data, flat(o.state[k].first)), `${k}: ${o.name === 'adam' ? 'exp_avg' : 'momentum_buffer'}`).toBeLessThan(STEP_TOL);
      if (o.state[k].second) expect(relErr(state.second[i]!.data, flat(o.state[k].second!)), `${k}: exp_avg_sq`).toBeLessThan(STEP_TOL);
    });
  });
});

// Float32 against float64, the same network and inputs (rounded to float32 once, then
// widened exactly for the float64 run, so only float32 arithmetic is measured).
//
// The bound. u = 2⁻²⁴, float32's unit roundoff. Every float32 op rounds its result once
// (relative error ≤ u: elementwise maps are evaluated in float64 and rounded once, sums and
// means accumulate in float64), and an inner product of length k accumulated in float32 by
// the GEMM is off by at most k·u·Σ|xᵢyᵢ| in any summation order (Higham, Accuracy and
// Stability of Numerical Algorithms, §3.1). The longest chain of dependent roundings here:
// forward GEMM depths 5 + 9 (8 and the bias) + 6 plus 14 elementwise ops (≈ 34), then back
// GEMM depths 4 + 6 + 6 plus about 20 elementwise ops and gradient accumulations (≈ 36), so
// K = 72 bounds it (the mlp cases' chain, depths 5, 7, 6, is shorter). To first order these
// errors add, each scaled by the condition numbers of the ops after it, which are O(1) here
// (bounded activations, unit-scale data, no cancellation beyond the sums' own); we allow a
// factor 2 for them and test the normwise relative error ≤ 2·K·u = 144u ≈ 8.6e-6 of the
// loss and of every gradient matrix, on both backends. (Measured: at most about 11u.)
const U32 = 2 ** -24;
const F32_BOUND = 2 * 72 * U32;

describe.each(backendNames)('float32 agrees with float64 within 2·K·u = 144 · 2⁻²⁴ (%s backend)', (backend) => {
  useBackendFor(backend);
  const d32 = dataIn('float32');
  const d64: Data = { ...d32, ...Object.fromEntries((['XT', 'P', 'YT', 'Rb', 'Rm', 'Rn', 'X', 'Y4', 'half'] as const).map((k) => [k, widen(d32[k])])) };

  /** The float32 and float64 runs of `f` from the same (float32-rounded) parameters. */
  function bothWays<P extends ad.Params>(f: (p: ad.Tracked<P>, d: Data) => ad.Var, p32: P, widenParams: (p: P) => P) {
    const r32 = ad.valueAndGrad((p) => f(p, d32), p32);
    const r64 = ad.valueAndGrad((p) => f(p, d64), widenParams(p32));
    expect(Math.abs(r32.value - r64.value) / Math.abs(r64.value), 'loss').toBeLessThan(F32_BOUND);
    return { r32, r64 };
  }

  it.each(fixture.cases.map((c) => [`${c.loss} (${c.reduction})`, c] as const))('trunk + %s', (_, c) => {
    const widenTrunk = (p: TrunkParams) => Object.fromEntries(PARAM_NAMES.map((k) => [k, widen(p[k])])) as TrunkParams;
    const { r32, r64 } = bothWays((p, d) => {
      const heads = trunk(p, d);
      return ad.add(caseLoss(c.loss, c.reduction, heads, d), heads.aux);
    }, trunkParams('float32'), widenTrunk);
    for (const k of PARAM_NAMES) {
      expect(r32.grads[k].data, k).toBeInstanceOf(Float32Array);
      expect(relErr(r32.grads[k].data, r64.grads[k].data), `∂/∂${k}`).toBeLessThan(F32_BOUND);
    }
  });

  it.each(fixture.mlpCases.map((c) => [c.activation, c] as const))('mlp with %s', (activation) => {
    const widenMlp = (p: ad.DenseParams[]) => p.map((l) => ({ weight: widen(l.weight), bias: widen(l.bias) }));
    const { r32, r64 } = bothWays((p, d) => mlpLoss(p, d, activation), mlpParams('float32'), widenMlp);
    r64.grads.forEach((layer, i) => {
      expect(relErr(r32.grads[i]!.weight.data, layer.weight.data), `layer ${i} weight`).toBeLessThan(F32_BOUND);
      expect(relErr(r32.grads[i]!.bias.data, layer.bias.data), `layer ${i} bias`).toBeLessThan(F32_BOUND);
    });
  });
});
