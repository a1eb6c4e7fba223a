import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix.js';
import { Random } from '../../src/core/random.js';
import * as vae from '../../src/vae/index.js';
import { initSync, useBackend } from '../../src/wasm/index.js';
import { setKernels } from '../../src/linalg/backend.js';
import { afterAll, beforeAll } from 'vitest';
import { mnistDigits } from '../helpers/mnist.js';

/** n binary 12-pixel pictures, one of three bars lit, 10% of pixels flipped. */
function bars(n: number, seed: number): Matrix<Float64Array> {
  const random = new Random(seed);
  const data = new Float64Array(n * 12);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 12; j++) data[i * 12 + j] = (random.uniform() < 0.1) !== (Math.floor(j / 4) === i % 3) ? 1 : 0;
  }
  return { rows: n, cols: 12, data };
}

/**
 * log p(x) = log ∫ p(x | z) N(z; 0, I) dz by the midpoint rule on a grid over [−8, 8]^latent
 * (latent 1 or 2), with log p(x | z) from the decoded probabilities: independent of the
 * encoder, of ε and of the library's loss code.
 */
function exactLogLikelihood(model: vae.VaeModel, x: Float64Array): number {
  const latent = model.options.latent, per = latent === 1 ? 4001 : 321, h = 16 / per;
  const points = per ** latent;
  const Z = new Float64Array(points * latent);
  for (let p = 0; p < points; p++) {
    Z[p * latent] = -8 + h * ((p % per) + 0.5);
    if (latent === 2) Z[p * latent + 1] = -8 + h * (Math.floor(p / per) + 0.5);
  }
  const P = vae.decode(model, { rows: points, cols: latent, data: Z }).data;
  const d = x.length;
  const terms = new Float64Array(points);
  let max = -Infinity;
  for (let p = 0; p < points; p++) {
    let s = 0, zz = 0;
    for (let j = 0; j < d; j++) s += x[j] === 1 ? Math.log(P[p * d + j]!) : Math.log1p(-P[p * d + j]!);
    for (let k = 0; k < latent; k++) zz += Z[p * latent + k]! ** 2;
    terms[p] = s - 0.5 * zz - (latent / 2) * Math.log(2 * Math.PI) + latent * Math.log(h);
    max = Math.max(max, terms[p]!);
  }
  let acc = 0;
  for (let p = 0; p < points; p++) acc += Math.exp(terms[p]! - max);
  return max + Math.log(acc);
}

describe('the ELBO is a lower bound of log p(x)', () => {
  const X = bars(90, 1);
  describe.each([1, 2])('latent %i (float64, exact log p(x) by quadrature)', (latent) => {
    const model = vae.fit(X, { latent, hidden: [16], epochs: 40, batchSize: 30, learningRate: 1e-2, seed: 2, dtype: 'float64' });
    const rows = [0, 1, 2, 7, 11];
    const x = (i: number) => X.data.subarray(i * 12, (i + 1) * 12);

    it('ELBO (2,000 draws) < log p(x); importance sampling with 500 draws lies between, within 0.05 nats of log p(x)', () => {
      for (const i of rows) {
        const exact = exactLogLikelihood(model, x(i));
        const bound = vae.elbo(model, x(i), { samples: 2000, seed: i }).elbo[0]!;
        const is500 = vae.logLikelihood(model, x(i), { samples: 500, seed: i })[0]!;
        expect(bound).toBeLessThan(exact);
        expect(bound).toBeLessThan(is500);
        expect(Math.abs(is500 - exact)).toBeLessThan(0.05);
      }
    });

    it('importance sampling with one draw is, on average, the ELBO (its Monte-Carlo KL against the exact one)', () => {
      const copies = 4000, row = x(0);
      const repeated = { rows: copies, cols: 12, data: new Float64Array(copies * 12) };
      for (let r = 0; r < copies; r++) repeated.data.set(row, r * 12);
      const one = vae.logLikelihood(model, repeated, { samples: 1, seed: 4 });
      const mean = one.reduce((a, b) => a + b, 0) / copies;
      const sd = Math.sqrt(one.reduce((a, b) => a + (b - mean) ** 2, 0) / copies);
      const bound = vae.elbo(model, row, { samples: 20000, seed: 5 }).elbo[0]!;
      expect(Math.abs(mean - bound)).toBeLessThan(4 * sd / Math.sqrt(copies) + 0.01);
    });
  });
});

describe('a VAE trained on MNIST digits reconstructs them', () => {
  beforeAll(() => {
    initSync();
    useBackend('wasm');
  });
  afterAll(() => setKernels(undefined));

  it('decode(encode(x).mean) is closer to x than to a random other digit for ≥ 95% of test digits', () => {
    // 2,000 digits to train and 300 to test, from a seeded shuffle of the 10,000 (the
    // package orders them by class); a small model (784-128-10), 5 epochs (a few seconds).
    const digits = mnistDigits();
    const order = new Random(7).shuffle(Int32Array.from({ length: digits.rows }, (_, i) => i));
    const take = (from: number, n: number): Matrix<Float32Array> => {
      const data = new Float32Array(n * 784);
      for (let r = 0; r < n; r++) data.set(digits.data.subarray(order[from + r]! * 784, (order[from + r]! + 1) * 784), r * 784);
      return { rows: n, cols: 784, data };
    };
    const train = take(0, 2000), test = take(2000, 300);
    const model = vae.fit(train, { latent: 10, hidden: [128], epochs: 5, batchSize: 32, learningRate: 2e-3, seed: 1 });
    const back = vae.reconstruct(model, test).data;
    const dist = (i: number, j: number) => {
      let s = 0;
      for (let k = 0; k < 784; k++) s += (back[i * 784 + k]! - test.data[j * 784 + k]!) ** 2;
      return s;
    };
    const random = new Random(3);
    let closer = 0;
    for (let i = 0; i < test.rows; i++) {
      let j = random.int(test.rows - 1);
      if (j >= i) j++;
      if (dist(i, i) < dist(i, j)) closer++;
    }
    expect(closer / test.rows).toBeGreaterThanOrEqual(0.95);
    expect(model.history.loss[4]).toBeLessThan(model.history.loss[0]!);
  });
});
