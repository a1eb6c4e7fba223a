import { describe, expect, it } from 'vitest';
import { affinities } from '../../src/tsne/fit.js';
import { BarnesHutTree } from '../../src/tsne/barnes-hut.js';
import { FftRepulsion, smoothAtLeast } from '../../src/tsne/fft.js';
import { FftPlan } from '../../src/tsne/fourier.js';
import { exactRepulsion } from '../../src/tsne/gradient.js';
import { repulsionFor, tsneGradient } from '../../src/tsne/forces.js';
import type { Csr } from '../../src/tsne/affinities.js';
import { blobs, dense, gaussian, relativeError } from './data.js';

/** KL(P‖Q) straight from the definition, with dense P and Q (independent of the library's). */
function klDense(P: Float64Array, Y: Float64Array, n: number, dim: number): number {
  let Z = 0;
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let d2 = 0;
      for (let c = 0; c < dim; c++) d2 += (Y[i * dim + c]! - Y[j * dim + c]!) ** 2;
      W[i * n + j] = 1 / (1 + d2);
      Z += W[i * n + j]!;
    }
  }
  let kl = 0;
  for (let p = 0; p < n * n; p++) if (P[p]! > 0) kl += P[p]! * Math.log(P[p]! / (W[p]! / Z));
  return kl;
}

function randomEmbedding(n: number, dim: number, sd: number, seed: number): Float64Array {
  const g = gaussian(seed);
  return Float64Array.from({ length: n * dim }, () => sd * g());
}

describe('the exact gradient', () => {
  for (const dim of [1, 2, 3]) {
    it(`equals a central finite difference of the KL divergence (${dim}-D)`, () => {
      const X = blobs(3, 5, 4, 3, dim);
      const n = X.rows;
      const P: Csr = affinities(X, 3, 'euclidean', true);
      const Pd = dense(P);
      const Y = randomEmbedding(n, dim, 2, 10 + dim);
      const grad = new Float64Array(n * dim);
      const { gradient } = tsneGradient(P, dim, repulsionFor('exact', dim, 0));
      const kl = gradient(Y, grad, 1, true);
      expect(kl).toBeCloseTo(klDense(Pd, Y, n, dim), 12);
      const h = 1e-6;
      const fd = new Float64Array(n * dim);
      for (let p = 0; p < n * dim; p++) {
        const Yp = Y.slice(), Ym = Y.slice();
        Yp[p] = Yp[p]! + h;
        Ym[p] = Ym[p]! - h;
        fd[p] = (klDense(Pd, Yp, n, dim) - klDense(Pd, Ym, n, dim)) / (2 * h);
      }
      expect(relativeError(grad, fd)).toBeLessThan(1e-7);
    });
  }

  it('scales the attractive part by the exaggeration', () => {
    const X = blobs(2, 6, 3, 3, 4);
    const P = affinities(X, 2, 'euclidean', true);
    const Y = randomEmbedding(12, 2, 1, 4);
    const { gradient } = tsneGradient(P, 2, repulsionFor('exact', 2, 0));
    const g1 = new Float64Array(24), g4 = new Float64Array(24), g0 = new Float64Array(24);
    gradient(Y, g1, 1, false);
    gradient(Y, g4, 4, false);
    gradient(Y, g0, 0, false);
    // g(α) = α·A − R is affine in α: g4 − g1 = 3·(g1 − g0).
    for (let p = 0; p < 24; p++) expect(g4[p]! - g1[p]!).toBeCloseTo(3 * (g1[p]! - g0[p]!), 12);
  });
});

describe('Barnes-Hut', () => {
  for (const dim of [1, 2, 3]) {
    it(`with θ = 0 equals the exact repulsion (${dim}-D, duplicates included)`, () => {
      const n = 300;
      const Y = randomEmbedding(n, dim, 3, 20 + dim);
      for (let c = 0; c < dim; c++) {
        Y[5 * dim + c] = Y[c]!; // point 5 duplicates point 0
        Y[6 * dim + c] = Y[c]!;
      }
      const ref = new Float64Array(n * dim), out = new Float64Array(n * dim);
      const Zex = exactRepulsion(Y, n, dim, ref);
      const tree = new BarnesHutTree(dim);
      tree.build(Y, n);
      const Z = tree.repulsion(Y, n, 0, out);
      expect(Math.abs(Z - Zex) / Zex).toBeLessThan(1e-12);
      expect(relativeError(out, ref)).toBeLessThan(1e-12);
    });

    it(`with θ = 0.5 stays within 5% of exact, and the tree is reusable (${dim}-D)`, () => {
      const n = 1000;
      const tree = new BarnesHutTree(dim);
      for (const seed of [1, 2]) {
        const Y = randomEmbedding(n, dim, 5, seed);
        const ref = new Float64Array(n * dim), out = new Float64Array(n * dim);
        const Zex = exactRepulsion(Y, n, dim, ref);
        tree.build(Y, n);
        const Z = tree.repulsion(Y, n, 0.5, out);
        expect(Math.abs(Z - Zex) / Zex).toBeLessThan(0.05);
        expect(relativeError(out, ref)).toBeLessThan(0.05);
        expect(relativeError(out, ref)).toBeGreaterThan(0); // it does approximate
      }
    });
  }

  it('handles all points coincident', () => {
    const Y = new Float64Array(20).fill(1.5);
    const out = new Float64Array(20);
    const tree = new BarnesHutTree(2);
    tree.build(Y, 10);
    expect(tree.repulsion(Y, 10, 0.5, out)).toBe(90); // every ordered pair at distance 0 weighs 1
    expect(Array.from(out)).toEqual(new Array(20).fill(0));
  });
});

describe('FFT interpolation', () => {
  it('the mixed-radix FFT matches a direct DFT and inverts', () => {
    for (const n of [1, 2, 3, 4, 5, 8, 12, 30, 60, 300, 360]) {
      const re = Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.2));
      const im = Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * i));
      const r0 = re.slice(), i0 = im.slice();
      const plan = new FftPlan(n);
      plan.transform(re, im, 0, 1, false);
      for (const k of new Set([0, Math.min(1, n - 1), Math.floor(n / 2), n - 1])) {
        let sr = 0, si = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((j * k) % n)) / n;
          sr += r0[j]! * Math.cos(a) - i0[j]! * Math.sin(a);
          si += r0[j]! * Math.sin(a) + i0[j]! * Math.cos(a);
        }
        expect(Math.abs(re[k]! - sr) + Math.abs(im[k]! - si)).toBeLessThan(1e-12 * n);
      }
      plan.transform(re, im, 0, 1, true);
      for (let j = 0; j < n; j++) expect(Math.abs(re[j]! / n - r0[j]!) + Math.abs(im[j]! / n - i0[j]!)).toBeLessThan(1e-14);
    }
    expect(smoothAtLeast(50)).toBe(54);
    expect(smoothAtLeast(77)).toBe(81);
    expect(() => new FftPlan(7)).toThrow(RangeError);
  });

  for (const dim of [1, 2]) {
    it(`gives forces within 1e-3 of exact on a random 2,000-point embedding (${dim}-D)`, () => {
      // A Gaussian embedding of standard deviation 2 (extent ≈ 15): 50 intervals of width
      // ≈ 0.3 per dimension. The error grows with the interval width (cubically): about
      // 1e-3 at extent 20 and a few percent at 1 interval per unit (extent ≥ 50), like
      // Barnes-Hut at θ = 0.5.
      const n = 2000;
      const Y = randomEmbedding(n, dim, 2, 7);
      const ref = new Float64Array(n * dim), out = new Float64Array(n * dim);
      const Zex = exactRepulsion(Y, n, dim, ref);
      const Z = new FftRepulsion(dim).repulsion(Y, n, out);
      expect(Math.abs(Z - Zex) / Zex).toBeLessThan(1e-4);
      const F = out.map((v) => v / Z), Fex = ref.map((v) => v / Zex);
      expect(relativeError(F, Fex)).toBeLessThan(1e-3);
    });
  }
});
