import { describe, expect, it } from 'vitest';
import { drive, driveAsync } from '../../src/core/iterate.js';
import { toJSON } from '../../src/core/json.js';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import * as interp from '../../src/interp/index.js';
import * as vae from '../../src/vae/index.js';
import { codeOf } from '../helpers/errors.js';
import { errorOf } from '../helpers/errors.js';

/**
 * n binary "pictures" of 12 pixels: each row lights one of three bars (pixels 0–3, 4–7 or
 * 8–11) with some pixels flipped: three clusters a small VAE learns in a few epochs.
 */
function bars(n: number, seed: number, flip = 0.05): Matrix<Float64Array> {
  const random = new Random(seed);
  const data = new Float64Array(n * 12);
  for (let i = 0; i < n; i++) {
    const bar = i % 3;
    for (let j = 0; j < 12; j++) {
      const on = Math.floor(j / 4) === bar;
      data[i * 12 + j] = (random.uniform() < flip) !== on ? 1 : 0;
    }
  }
  return { rows: n, cols: 12, data };
}
const X = bars(120, 1);
const small = { latent: 2, hidden: [16], epochs: 3, batchSize: 32, learningRate: 1e-2, seed: 3 } as const;
const model = vae.fit(X, small);
const bitsOf = (m: vae.VaeModel): string => toJSON(m);

describe('options', () => {
  it('rejects unknown and malformed options, naming them and the valid choices', () => {
    expect(errorOf(() => vae.fit(X, { latnet: 2 } as never)).message).toMatch(/unknown option 'latnet'.*did you mean 'latent'/);
    expect(codeOf(() => vae.fit(X, { latent: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { hidden: 400 as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { hidden: [400, 0.5] }))).toBe('INVALID_OPTION');
    expect(errorOf(() => vae.fit(X, { likelihood: 'poisson' as never })).message).toMatch(/'bernoulli', 'gaussian'/);
    expect(codeOf(() => vae.fit(X, { beta: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { variational: 1 as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { learningRate: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { batchSize: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { epochs: 1.5 }))).toBe('INVALID_OPTION');
    expect(errorOf(() => vae.fit(X, { dtype: 'float16' as never })).message).toMatch(/'float32', 'float64'/);
    expect(codeOf(() => vae.fit(X, { signal: {} as never }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.fit(X, { onProgress: 1 as never }))).toBe('INVALID_OPTION');
  });

  it("checks that bernoulli data lies in [0, 1], naming the entry; gaussian takes any data", () => {
    const bad = { rows: 2, cols: 3, data: Float64Array.from([0, 1, 0.5, 0.2, 2.5, 0]) };
    const e = errorOf(() => vae.fit(bad, { epochs: 1 }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/X: likelihood 'bernoulli' needs data in \[0, 1\].*2.5 at row 1, column 1.*likelihood: 'gaussian'/);
    expect(codeOf(() => vae.fit(X, { epochs: 1, validation: bad }))).toBe('SHAPE_MISMATCH');
    const badValidation = { rows: 1, cols: 12, data: new Float64Array(12).fill(-0.5) };
    expect(errorOf(() => vae.fit(X, { epochs: 1, validation: badValidation })).message).toMatch(/^validation: likelihood 'bernoulli'/);
    expect(vae.fit(bad, { epochs: 1, likelihood: 'gaussian', hidden: [4], latent: 1 }).kind).toBe('vae');
  });

  it('validates when steps() is called, not at the first next()', () => {
    expect(codeOf(() => vae.steps(X, { latent: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.steps([[0, 2]]))).toBe('INVALID_INPUT');
  });
});

describe('the model', () => {
  it('is a frozen plain object with the documented shapes, float32 by default', () => {
    expect(model.kind).toBe('vae');
    expect(model.features).toBe(12);
    expect(model.options).toEqual({ latent: 2, hidden: [16], likelihood: 'bernoulli', beta: 1, variational: true, epochs: 3, batchSize: 32, learningRate: 1e-2, seed: 3, dtype: 'float32' });
    const w = model.weights;
    expect([w.encoder.length, w.encoder[0]!.weight.rows, w.encoder[0]!.weight.cols]).toEqual([1, 12, 16]);
    expect([w.mean.weight.rows, w.mean.weight.cols, w.logVariance!.weight.cols]).toEqual([16, 2, 2]);
    expect(w.decoder.map((l) => [l.weight.rows, l.weight.cols])).toEqual([[2, 16], [16, 12]]);
    expect(w.mean.weight.data).toBeInstanceOf(Float32Array);
    expect(w.outputLogVariance).toBeUndefined();
    expect([model.nEpochs, model.iterations, model.completed]).toEqual([3, 12, true]);
    for (const h of Object.values(model.history)) expect(h.length).toBe(3);
    expect(Object.isFrozen(model) && Object.isFrozen(model.weights) && Object.isFrozen(w.decoder[1]) && Object.isFrozen(w.mean.bias)).toBe(true);
    expect(vae.fit(X, { ...small, epochs: 1, dtype: 'float64' }).weights.decoder[0]!.bias.data).toBeInstanceOf(Float64Array);
  });

  it('survives toJSON / load / fromJSON and structuredClone bit for bit', () => {
    const json = vae.toJSON(model);
    const back = vae.load(json);
    expect(bitsOf(back)).toBe(json);
    expect(bitsOf(vae.fromJSON(json))).toBe(json);
    expect(bitsOf(vae.load(structuredClone(model)))).toBe(json);
    expect(Array.from(vae.decode(back, [[0.3, -1]]).data)).toEqual(Array.from(vae.decode(model, [[0.3, -1]]).data));
    const gaussian = vae.fit(X, { ...small, epochs: 1, likelihood: 'gaussian' });
    expect(bitsOf(vae.load(vae.toJSON(gaussian)))).toBe(vae.toJSON(gaussian));
  });

  it('load rejects another kind and inconsistent fields, naming the field', () => {
    expect(codeOf(() => vae.load(toJSON({ kind: 'som' })))).toBe('INVALID_MODEL');
    const plain = JSON.parse(JSON.stringify({ ...model, weights: undefined })) as Record<string, unknown>;
    const clone = (): Record<string, unknown> => ({ ...structuredClone(model), ...{} });
    const wrongLayer = clone();
    const w = wrongLayer.weights as { decoder: { weight: Matrix }[] };
    w.decoder[0]!.weight = { rows: 3, cols: 16, data: new Float32Array(48) };
    expect(errorOf(() => vae.load(wrongLayer)).message).toMatch(/model\.weights\.decoder\[0\]\.weight: .*expected a 2 × 16 float32 Matrix/);
    const wrongType = clone();
    (wrongType.weights as { mean: { bias: Matrix } }).mean.bias = { rows: 1, cols: 2, data: new Float64Array(2) };
    expect(errorOf(() => vae.load(wrongType)).message).toMatch(/weights\.mean\.bias/);
    const noHead = clone();
    delete (noHead.weights as Record<string, unknown>).logVariance;
    expect(errorOf(() => vae.load(noHead)).message).toMatch(/weights\.logVariance/);
    const shortHistory = clone();
    (shortHistory.history as Record<string, unknown>).kl = new Float64Array(2);
    expect(errorOf(() => vae.load(shortHistory)).message).toMatch(/history\.kl.*length 3/);
    expect(errorOf(() => vae.load({ ...clone(), options: { ...model.options, likelihood: 'poisson' } })).message).toMatch(/options\.likelihood/);
    expect(codeOf(() => vae.load(plain))).toBe('INVALID_MODEL');
    expect(codeOf(() => vae.encode({ kind: 'pca' } as never, X))).toBe('INVALID_MODEL');
  });
});

describe('the run', () => {
  it('fit = drive(steps) = fitAsync, the same seed gives the same model, another seed another', async () => {
    const json = bitsOf(model);
    expect(bitsOf(drive(vae.steps(X, small), (s) => s.loss))).toBe(json);
    expect(bitsOf(await vae.fitAsync(X, small))).toBe(json);
    expect(bitsOf(await driveAsync(vae.steps(X, small), (s) => s.loss))).toBe(json);
    expect(bitsOf(vae.fit(X, { ...small, seed: 4 }))).not.toBe(json);
  });

  it('reports every minibatch with its epoch, batch and loss terms, and the validation ELBO per epoch', () => {
    const validation = bars(30, 9);
    const seen: vae.VaeStep[] = [];
    const m = vae.fit(X, { ...small, batchSize: 50, validation, onProgress: (p) => { seen.push(p); } });
    // 120 rows in batches of 50: 50, 50, 20 per epoch.
    expect(seen.map((s) => `${s.epoch}.${s.batch}`)).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '1.2', '2.0', '2.1', '2.2']);
    expect(seen.map((s) => s.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const s of seen) {
      expect(s.loss).toBeCloseTo(s.reconstruction + s.kl, 3);
      expect(s.kl).toBeGreaterThanOrEqual(0);
      expect(s.epochEnd).toBe(s.batch === 2);
      expect(Number.isNaN(s.validationElbo)).toBe(!s.epochEnd);
    }
    expect(Array.from(m.history.validationElbo)).toEqual(seen.filter((s) => s.epochEnd).map((s) => s.validationElbo));
    expect(m.history.validationElbo.every((v) => v < 0)).toBe(true);
    expect(model.history.validationElbo.every(Number.isNaN)).toBe(true);
    // The epoch's figures are the batch figures weighted by batch size.
    const epoch0 = seen.slice(0, 3);
    expect(m.history.loss[0]).toBeCloseTo((50 * epoch0[0]!.loss + 50 * epoch0[1]!.loss + 20 * epoch0[2]!.loss) / 120, 3);
  });

  it('stops on request (onProgress, next(true), signal) and returns the model so far', () => {
    const stopped = vae.fit(X, { ...small, onProgress: (p) => p.iteration === 5 });
    expect([stopped.completed, stopped.iterations, stopped.nEpochs, stopped.history.loss.length]).toEqual([false, 5, 1, 1]);
    const it = vae.steps(X, small);
    it.next();
    const r = it.next(true);
    expect(r.done && [r.value.completed, r.value.iterations, r.value.nEpochs]).toEqual([false, 1, 0]);
    const controller = new AbortController();
    const aborted = vae.fit(X, { ...small, signal: controller.signal, onProgress: (p) => { if (p.iteration === 2) controller.abort(); } });
    expect([aborted.completed, aborted.iterations]).toEqual([false, 2]);
    // A stop asked at the very last step changes nothing: the run is complete.
    expect(vae.fit(X, { ...small, onProgress: (p) => p.iteration === 12 }).completed).toBe(true);
    expect(vae.load(vae.toJSON(stopped)).iterations).toBe(5);
  });

  it('snapshot() is a model of the weights at that step, unaffected by later steps', () => {
    let snap: vae.VaeModel | undefined;
    const final = vae.fit(X, { ...small, onProgress: (p) => { if (p.iteration === 4) snap = p.snapshot(); } });
    expect(snap!.completed).toBe(false);
    expect(snap!.iterations).toBe(4);
    expect(vae.load(vae.toJSON(snap!)).nEpochs).toBe(1);
    const stoppedAt4 = vae.fit(X, { ...small, onProgress: (p) => p.iteration === 4 });
    expect(toJSON(snap!.weights)).toBe(toJSON(stoppedAt4.weights));
    expect(toJSON(snap!.weights)).not.toBe(toJSON(final.weights));
  });

  it('stops with NON_FINITE naming the op when training overflows', () => {
    const huge = { rows: 4, cols: 3, data: new Float64Array(12).fill(1e30) };
    const e = errorOf(() => vae.fit(huge, { likelihood: 'gaussian', hidden: [4], latent: 1, epochs: 1 }));
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toMatch(/^(dense|exp|mul|add|sub|square|gaussianKl|sum|scale) produced/);
  });

  it('never modifies the caller\'s arrays', () => {
    const x = bars(40, 2), v = bars(10, 3);
    const before = [x.data.slice(), v.data.slice()];
    const m = vae.fit(x, { ...small, epochs: 1, validation: v });
    vae.elbo(m, x);
    vae.reconstruct(m, x);
    vae.posterior(m, x.data.subarray(0, 12));
    expect([x.data, v.data]).toEqual(before);
  });

  it('training lowers the loss; a β-VAE trades reconstruction for a smaller KL', () => {
    const long = vae.fit(X, { ...small, epochs: 12 });
    expect(long.history.loss[11]).toBeLessThan(0.8 * long.history.loss[0]!);
    const loose = vae.fit(X, { ...small, epochs: 12, beta: 4 });
    expect(loose.history.kl[11]).toBeLessThan(long.history.kl[11]!);
  });
});

describe('inference', () => {
  it('encode, posterior and decode agree with each other and with interp', () => {
    const { mean, logVariance } = vae.encode(model, X);
    expect([mean.rows, mean.cols, logVariance.rows, logVariance.cols]).toEqual([120, 2, 120, 2]);
    const g = vae.posterior(model, X.data.subarray(12, 24));
    expect(Array.from(g.mean)).toEqual(Array.from(mean.data.subarray(2, 4)));
    expect(Array.from(g.variance)).toEqual(Array.from(logVariance.data.subarray(2, 4), Math.exp));
    expect(codeOf(() => vae.posterior(model, X))).toBe('SHAPE_MISMATCH');
    const h = vae.posterior(model, [X.data.subarray(24, 36)]);
    // interp takes the posteriors as they are.
    const mid = interp.fisherRaoGeodesic(g, h, 0.5) as interp.DiagonalGaussian;
    expect(mid.variance.every((v) => v > 0)).toBe(true);
    const walk = interp.geodesicPath(g, h, { steps: 5, metric: 'wasserstein' });
    const strip = vae.decodePath(model, walk);
    expect([strip.rows, strip.cols]).toEqual([5, 12]);
    expect(Array.from(strip.data.subarray(0, 12))).toEqual(Array.from(vae.decode(model, g.mean).data));
    expect(Array.from(vae.decodePath(model, interp.path(g.mean, h.mean, { steps: 5 })).data.subarray(48))).toEqual(Array.from(vae.decode(model, h.mean).data));
    expect(vae.decodePath(model, [interp.lerp(g.mean, h.mean, 0.5), interp.slerp(g.mean, h.mean, 0.5)]).rows).toBe(2);
    expect(codeOf(() => vae.decode(model, [[1, 2, 3]]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => vae.decodePath(model, []))).toBe('EMPTY_INPUT');
    expect(Array.from(vae.reconstruct(model, X).data)).toEqual(Array.from(vae.decode(model, mean).data));
  });

  it('sample decodes prior draws: seeded, probabilities for bernoulli', () => {
    const a = vae.sample(model, 7, { seed: 5 });
    expect([a.rows, a.cols]).toEqual([7, 12]);
    expect(a.data.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(Array.from(vae.sample(model, 7, { seed: 5 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(vae.sample(model, 7, { seed: 6 }).data)).not.toEqual(Array.from(a.data));
    expect(codeOf(() => vae.sample(model, 0))).toBe('INVALID_OPTION');
  });

  it('a plain autoencoder: codes are points (log-variance −∞), no KL, no ELBO', () => {
    const ae = vae.fit(X, { ...small, variational: false });
    expect(ae.weights.logVariance).toBeUndefined();
    expect(ae.history.kl.every((k) => k === 0)).toBe(true);
    expect(vae.encode(ae, X).logVariance.data.every((v) => v === -Infinity)).toBe(true);
    expect(Array.from(vae.posterior(ae, X.data.subarray(0, 12)).variance)).toEqual([0, 0]);
    expect(codeOf(() => vae.elbo(ae, X))).toBe('UNSUPPORTED');
    expect(codeOf(() => vae.logLikelihood(ae, X))).toBe('UNSUPPORTED');
    expect(bitsOf(vae.load(vae.toJSON(ae)))).toBe(vae.toJSON(ae));
  });

  it('elbo: the bound is its two terms, KL ≥ 0, seeded; more samples, less noise', () => {
    const r = vae.elbo(model, X, { samples: 1, seed: 1 });
    for (let i = 0; i < X.rows; i++) expect(r.elbo[i]).toBe(r.reconstruction[i]! - r.kl[i]!);
    expect(r.kl.every((k) => k >= 0)).toBe(true);
    expect(r.reconstruction.every((v) => v <= 0)).toBe(true);
    expect(Array.from(vae.elbo(model, X, { samples: 1, seed: 1 }).elbo)).toEqual(Array.from(r.elbo));
    const spread = (seed: number, samples: number) => vae.elbo(model, X.data.subarray(0, 12), { samples, seed }).elbo[0]!;
    const sd = (samples: number) => {
      const v = Array.from({ length: 20 }, (_, s) => spread(s, samples));
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    };
    expect(sd(50)).toBeLessThan(sd(1));
    expect(codeOf(() => vae.elbo(model, X, { samples: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => vae.elbo(model, { rows: 1, cols: 12, data: new Float64Array(12).fill(2) }))).toBe('INVALID_INPUT');
  });
});
