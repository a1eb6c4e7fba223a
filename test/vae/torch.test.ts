import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ad from '../../src/autodiff/index.js';
import type { Matrix } from '../../src/core/matrix.js';
import * as vae from '../../src/vae/index.js';
import { objective, terms, type Architecture, type Net, type VaeWeights } from '../../src/vae/network.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

// Made by test/fixtures/vae/make_fixtures.py (PyTorch 1.13, float64): small VAEs written in
// torch, their weights, data and ε, and loss.backward()'s gradients.
interface TorchLayer { weight: number[][]; bias: number[] }
interface TorchWeights { encoder: TorchLayer[]; mean: TorchLayer; logVariance?: TorchLayer; decoder: TorchLayer[]; outputLogVariance?: number[][] }
interface Case {
  name: string; features: number; hidden: number[]; latent: number; likelihood: 'bernoulli' | 'gaussian'; beta: number; variational: boolean;
  x: number[][]; eps: number[][]; weights: TorchWeights; loss: number; reconstruction: number; kl: number;
  reconstructionRows: number[]; klRows: number[] | null; grads: TorchWeights;
  encodeMean: number[][]; encodeLogVariance: number[][] | null; decodeAtMean: number[][];
  adam?: { learningRate: number; eps: number[][][]; weights: TorchWeights };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/vae/torch.json', import.meta.url), 'utf8')) as { cases: Case[] };

const matrix = (rows: number[][]): Matrix<Float64Array> => ({ rows: rows.length, cols: rows[0]!.length, data: Float64Array.from(rows.flat()) });
/** torch's Linear.weight is (out × in); ours is its transpose, (inputs × outputs). */
const layer = (l: TorchLayer): ad.DenseParams => ({
  weight: { rows: l.weight[0]!.length, cols: l.weight.length, data: Float64Array.from({ length: l.weight.length * l.weight[0]!.length }, (_, k) => l.weight[k % l.weight.length]![Math.floor(k / l.weight.length)]!) },
  bias: { rows: 1, cols: l.bias.length, data: Float64Array.from(l.bias) },
});
function ours(t: TorchWeights): VaeWeights {
  return {
    encoder: t.encoder.map(layer), mean: layer(t.mean),
    ...(t.logVariance ? { logVariance: layer(t.logVariance) } : {}),
    decoder: t.decoder.map(layer),
    ...(t.outputLogVariance ? { outputLogVariance: matrix(t.outputLogVariance) } : {}),
  };
}
/** Every Matrix of a weight tree, in order, as one flat list of arrays. */
const flat = (w: unknown): Float64Array[] => {
  if (w !== null && typeof w === 'object' && 'data' in w) return [(w as Matrix<Float64Array>).data];
  return Object.values(w as object).flatMap(flat);
};
/** max |a − b| / max(1, max |b|): "equal to 1e-9" at any scale. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0, s = 1;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}
const arch = (c: Case): Architecture => ({ features: c.features, latent: c.latent, hidden: c.hidden, likelihood: c.likelihood, variational: c.variational, dtype: 'float64' });

describe.each(backendNames)('against PyTorch, float64 (%s backend)', (backend) => {
  useBackendFor(backend);

  describe.each(fixture.cases)('$name', (c) => {
    const x = matrix(c.x);
    const eps = c.variational ? matrix(c.eps) : null;

    it('loss, both terms and every gradient equal torch\'s to 1e-9', () => {
      const weights = ours(c.weights);
      let rec = NaN, kl = NaN;
      const { value, grads } = ad.valueAndGrad((w) => {
        const o = objective(arch(c), c.beta, w as unknown as Net, x, eps);
        rec = o.reconstruction.data[0]!;
        kl = o.kl === null ? 0 : o.kl.data[0]!;
        return o.loss;
      }, weights);
      expect(relDiff([value, rec, kl], [c.loss, c.reconstruction, c.kl])).toBeLessThan(1e-9);
      const mine = flat(grads), theirs = flat(ours(c.grads));
      expect(mine.length).toBe(theirs.length);
      mine.forEach((g, i) => expect(relDiff(g, theirs[i]!), `gradient ${i}`).toBeLessThan(1e-9));
    });

    it('per-sample terms equal torch\'s', () => {
      const t = terms(arch(c), ours(c.weights) as unknown as Net, x, eps);
      expect(relDiff(t.reconstruction.data, c.reconstructionRows)).toBeLessThan(1e-9);
      if (c.klRows) expect(relDiff(t.kl!.data, c.klRows)).toBeLessThan(1e-9);
      else expect(t.kl).toBeNull();
    });

    it('encode and decode of a loaded model equal torch\'s heads and decoder', () => {
      const model = vae.load({
        kind: 'vae', features: c.features, weights: ours(c.weights),
        options: { latent: c.latent, hidden: c.hidden, likelihood: c.likelihood, beta: c.beta, variational: c.variational, epochs: 1, batchSize: 128, learningRate: 1e-3, seed: 0, dtype: 'float64' },
        history: { loss: new Float64Array(0), reconstruction: new Float64Array(0), kl: new Float64Array(0), validationElbo: new Float64Array(0) },
        nEpochs: 0, iterations: 0, completed: true,
      });
      const { mean, logVariance } = vae.encode(model, c.x);
      expect(relDiff(mean.data, c.encodeMean.flat())).toBeLessThan(1e-9);
      if (c.encodeLogVariance) expect(relDiff(logVariance.data, c.encodeLogVariance.flat())).toBeLessThan(1e-9);
      else expect(Array.from(logVariance.data).every((v) => v === -Infinity)).toBe(true);
      expect(relDiff(vae.reconstruct(model, c.x).data, c.decodeAtMean.flat())).toBeLessThan(1e-9);
      expect(relDiff(vae.decode(model, mean).data, c.decodeAtMean.flat())).toBeLessThan(1e-9);
    });

  });

  it.each(fixture.cases.filter((c) => c.adam !== undefined))('$name: three Adam steps move the weights as torch.optim.Adam does', (c) => {
    const x = matrix(c.x);
    const weights = ours(c.weights);
    const opt = ad.adam({ learningRate: c.adam!.learningRate });
    const state = opt.init(weights);
    for (const e of c.adam!.eps) {
      const { grads } = ad.valueAndGrad((w) => objective(arch(c), c.beta, w as unknown as Net, x, matrix(e)).loss, weights);
      opt.step(weights, grads, state);
    }
    const mine = flat(weights), theirs = flat(ours(c.adam!.weights));
    mine.forEach((w, i) => expect(relDiff(w, theirs[i]!), `weight ${i}`).toBeLessThan(1e-9));
  });
});
