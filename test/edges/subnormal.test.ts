// Issue #21, subnormals and near-overflow in the decompositions and what is built on them:
// the problem is scaled by a power of two before and after (LAPACK's dlascl), so a matrix
// of integers times 2^k has exactly the eigenpairs (singular triplets, principal
// components) of the integers, times 2^k.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eigh, eigvalsh } from '../../src/linalg/eigh.js';
import { svd } from '../../src/linalg/svd.js';
import * as pca from '../../src/pca/index.js';
import { fisherRaoDistance, fisherRaoGeodesic, w2Barycenter, w2Distance, w2Geodesic, w2Map } from '../../src/interp/index.js';
import type { DiagonalGaussian, FullGaussian } from '../../src/interp/index.js';
import type { LatentSpaceError } from '../../src/core/errors.js';
import { onBothBackends } from '../helpers/backends.js';
import { expectClose, expectFinite, extremeExponent, intMatrix, intSymmetric, scaled, scaledArray } from './scaled.js';

describe('eigh, eigvalsh, svd: subnormal and huge matrices', () => {
  it('the issue\'s repro: diag(1e-310, 2e-310)', () => {
    const S = [[1e-310, 0], [0, 2e-310]];
    onBothBackends(() => {
      expect(Array.from(eigh(S).values)).toEqual([2e-310, 1e-310]);
      expect(Array.from(eigvalsh(S))).toEqual([2e-310, 1e-310]);
      expect(Array.from(svd(S).s)).toEqual([2e-310, 1e-310]);
    });
  });

  it('a full subnormal matrix and one near the largest float64 have finite, scaled eigenpairs', () => {
    for (const S of [[[1e-310, 3e-310], [3e-310, -2e-310]], [[1e308, 5e307], [5e307, -1e308]]]) {
      onBothBackends(() => {
        const { values, vectors } = eigh(S);
        expectFinite(values);
        expectFinite(vectors.data);
        expect(values[0]).not.toBe(0);
        expectFinite(svd(S).s);
        expectFinite(eigvalsh(S));
      });
    }
  });

  it('eigh(2^k·M) = 2^k·eigh(M) for integer M, on both backends', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => intSymmetric(n)), extremeExponent, (M, k) => {
      const ref = eigh(M);
      const [js, wasm] = onBothBackends(() => eigh(scaled(M, k)));
      for (const r of [js, wasm]) {
        expectFinite(r.values);
        expectClose(r.values, scaledArray(ref.values, k));
        expectClose(r.vectors.data, ref.vectors.data, 1e-12, 1e-12);
      }
      expectClose(eigvalsh(scaled(M, k)), scaledArray(eigvalsh(M), k));
    }), { numRuns: 60 });
  });

  it('svd(2^k·A) = 2^k·svd(A) for integer A, tall and wide', () => {
    const shape = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }));
    fc.assert(fc.property(shape.chain(([m, n]) => intMatrix(m, n)), extremeExponent, (A, k) => {
      const ref = svd(A);
      const [js, wasm] = onBothBackends(() => svd(scaled(A, k)));
      for (const r of [js, wasm]) {
        expectFinite(r.s);
        expectClose(r.s, scaledArray(ref.s, k));
      }
    }), { numRuns: 60 });
  });
});

describe('pca.fit: subnormal and huge data', () => {
  it('the issue\'s repro at 1e154 has a finite explained variance', () => {
    const model = pca.fit([[1e154, 0], [-1e154, 1], [0, 2]]);
    expectFinite(model.explainedVariance);
    expect(model.explainedVariance[0]).toBeCloseTo(1e308 / 1e308 * 1e308, -300);
    expect(model.explainedVarianceRatio[0]).toBeCloseTo(1, 12);
  });

  it('fit(2^k·X) has the components of fit(X), variances times 4^k', () => {
    const shape = fc.tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 5 }));
    const solver = fc.constantFrom('covariance' as const, 'full' as const);
    fc.assert(fc.property(shape.chain(([m, n]) => intMatrix(m, n)), fc.integer({ min: -1060, max: -1030 }), solver, (X, k, s) => {
      const ref = pca.fit(X, { solver: s });
      const [js, wasm] = onBothBackends(() => pca.fit(scaled(X, k), { solver: s }));
      for (const model of [js, wasm]) {
        expectFinite(model.explainedVariance);
        expectFinite(model.explainedVarianceRatio);
        expectClose(model.explainedVarianceRatio, ref.explainedVarianceRatio, 1e-9, 1e-12);
        expectClose(model.mean, scaledArray(ref.mean, k), 1e-12);
        // Components of distinct, non-zero variances are determined up to the sign rule.
        const distinct = Array.from(ref.explainedVariance).every((v, i, a) => v > 1e-9 * a[0]! && (i === 0 || a[i - 1]! - v > 1e-6 * a[0]!));
        if (distinct) expectClose(model.components.data, ref.components.data, 1e-7, 1e-9);
      }
    }), { numRuns: 60 });
  });
});

describe('interp: subnormal and huge covariances', () => {
  const sub = { mean: [0, 0], cov: [[1e-310, 0], [0, 2e-310]] };

  it('w2Map, w2Geodesic, w2Barycenter of subnormal full covariances', () => {
    onBothBackends(() => {
      expect(Array.from(w2Map(sub, sub).A.data)).toEqual([1, 0, 0, 1]);
      expectClose((w2Geodesic(sub, sub, 0.5) as FullGaussian).cov.data, [1e-310, 0, 0, 2e-310]);
      expectClose((w2Barycenter([sub, sub]).barycenter as FullGaussian).cov.data, [1e-310, 0, 0, 2e-310]);
    });
  });

  it('w2Map of a subnormal variance against 1 is 1e155 (not Infinity)', () => {
    const { A, b } = w2Map({ mean: [0], variance: [1e-310] }, { mean: [1], variance: [1] });
    expect(A.data[0]).toBeCloseTo(1e155, -142);
    expect(Array.from(b)).toEqual([1]);
  });

  it('the W2 geometry of 4^k-scaled Gaussians is the scaled geometry', () => {
    const g = (mean: number[], B: number[][]) => ({ mean, cov: B });
    const k2 = fc.oneof(fc.integer({ min: -530, max: -515 }), fc.integer({ min: 300, max: 470 }));
    fc.assert(fc.property(intSymmetric(2), intSymmetric(2), k2, (B0, B1, k) => {
      // Bᵀ·B + I: positive definite integer covariances.
      const spd = (B: number[][]) => [0, 1].map((i) => [0, 1].map((j) => B[0]![i]! * B[0]![j]! + B[1]![i]! * B[1]![j]! + (i === j ? 1 : 0)));
      const a = g([1, -2], spd(B0)), b = g([3, 5], spd(B1));
      const as = g(scaledArray(a.mean, k), scaled(a.cov, 2 * k)), bs = g(scaledArray(b.mean, k), scaled(b.cov, 2 * k));
      const [js, wasm] = onBothBackends(() => ({
        map: w2Map(as, bs), geo: w2Geodesic(as, bs, 0.3) as FullGaussian,
        bary: w2Barycenter([as, bs]).barycenter as FullGaussian,
      }));
      const ref = { map: w2Map(a, b), geo: w2Geodesic(a, b, 0.3) as FullGaussian, bary: w2Barycenter([a, b]).barycenter as FullGaussian };
      for (const r of [js, wasm]) {
        expectClose(r.map.A.data, ref.map.A.data, 1e-9, 0);
        expectClose(r.geo.cov.data, scaledArray(ref.geo.cov.data, 2 * k), 1e-9);
        expectClose(r.bary.cov.data, scaledArray(ref.bary.cov.data, 2 * k), 1e-9);
        expectClose(r.geo.mean, scaledArray(ref.geo.mean, k), 1e-12);
      }
      expect(w2Distance(as, bs) / 2 ** k).toBeCloseTo(w2Distance(a, b), 8);
    }), { numRuns: 40 });
  });

  it('fisherRaoGeodesic from a subnormal variance: finite, on the geodesic, symmetric', () => {
    const g0 = { mean: [0], variance: [1e-310] }, g1 = { mean: [1], variance: [1] };
    const mid = fisherRaoGeodesic(g0, g1, 0.5) as DiagonalGaussian;
    expectFinite(mid.mean);
    expectFinite(mid.variance);
    const D = fisherRaoDistance(g0, g1);
    expect(fisherRaoDistance(g0, mid)).toBeCloseTo(D / 2, 6);
    expect(fisherRaoDistance(mid, g1)).toBeCloseTo(D / 2, 6);
    const back = fisherRaoGeodesic(g1, g0, 0.5) as DiagonalGaussian;
    expect(back.variance[0]! / mid.variance[0]!).toBeCloseTo(1, 8);
  });

  it('fisherRaoGeodesic and distance for variances 1e-320 … 1e300 stay finite and consistent', () => {
    const variance = fc.oneof(fc.double({ min: 1e-320, max: 1e-300, noNaN: true }), fc.double({ min: 1e-5, max: 1e5, noNaN: true }), fc.double({ min: 1e250, max: 1e300, noNaN: true }));
    let refused = 0;
    fc.assert(fc.property(variance, variance, fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (v0, v1, m1, t) => {
      const g0 = { mean: [0], variance: [v0] }, g1 = { mean: [m1], variance: [v1] };
      let g: DiagonalGaussian;
      try {
        g = fisherRaoGeodesic(g0, g1, t) as DiagonalGaussian;
      } catch (e) {
        // Allowed only where the point is beyond float64's reach: its mean gap to an end
        // below that end's σ by more than the float64 range.
        expect((e as LatentSpaceError).code).toBe('OUT_OF_RANGE');
        refused++;
        return;
      }
      expectFinite(g.mean);
      expectFinite(g.variance);
      expect(g.variance[0]).toBeGreaterThan(0);
      const D = fisherRaoDistance(g0, g1);
      expect(Number.isFinite(D)).toBe(true);
      // A subnormal variance keeps only log2(v / 2^-1074) bits, and the distance moves with them.
      const grain = 2 ** -1074 / Math.min(v0, v1, g.variance[0]!);
      expect(Math.abs(fisherRaoDistance(g0, g) - t * D)).toBeLessThan(1e-6 * Math.max(1, D) + 64 * grain);
    }), { numRuns: 200 });
    expect(refused).toBeLessThan(20);
  });

  it('full-covariance Fisher-Rao between scales 1e300 and 1e-300 (equal means)', () => {
    const g0 = { mean: [0], cov: [[1e300]] }, g1 = { mean: [0], cov: [[1e-300]] };
    expect(fisherRaoDistance(g0, g1)).toBeCloseTo(Math.SQRT1_2 * 600 * Math.LN10, 8);
    expect((fisherRaoGeodesic(g0, g1, 0.5) as FullGaussian).cov.data[0]).toBeCloseTo(1, 10);
    const sub = { mean: [0, 0], cov: [[1e-310, 0], [0, 2e-310]] };
    const one = { mean: [0, 0], cov: [[1, 0.5], [0.5, 1]] };
    expectFinite((fisherRaoGeodesic(sub, one, 0.5) as FullGaussian).cov.data);
  });
});
