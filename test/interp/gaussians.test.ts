import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fisherRaoDistance, fisherRaoDistanceDiagonalBatch, fisherRaoGeodesic, geodesicPath, w2Barycenter, w2Distance,
  w2DistanceDiagonalBatch, w2Geodesic, w2Map, type GaussianInput,
} from '../../src/interp/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { covOf, diagArb, errorOf, fullArb, isDiagonal, maxDiff, spd } from './helpers.js';

const tArb = fc.double({ min: 0.05, max: 0.95, noNaN: true });
const matmul = (A: number[][], B: number[][]): number[][] => A.map((r) => B[0]!.map((_, j) => r.reduce((s, v, k) => s + v * B[k]![j]!, 0)));
const matvec = (A: number[][], x: number[]): number[] => A.map((r) => r.reduce((s, v, k) => s + v * x[k]!, 0));
const rowsOf = (data: Float64Array, d: number): number[][] => Array.from({ length: d }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
const inputCov = (g: GaussianInput): number[][] => ('cov' in g ? (g.cov as number[][]) : (g.variance as number[]).map((v, i, all) => all.map((_, j) => (i === j ? v : 0))));
const scale = (c: number, g: { mean: number[]; cov: number[][] }) => ({ mean: g.mean, cov: g.cov.map((r) => r.map((v) => c * v)) });

describe.each(backendNames)('Gaussians on the %s backend', (name) => {
  useBackendFor(name);

  describe('hand-computed values', () => {
    it('W2: closed forms in one dimension and for commuting covariances', () => {
      expect(w2Distance({ mean: 0, variance: 1 }, { mean: 3, variance: 16 })).toBe(Math.sqrt(9 + 9));
      expect(w2Distance({ mean: [0, 0], variance: [1, 1] }, { mean: [3, 4], variance: [4, 4] })).toBeCloseTo(Math.sqrt(27), 14);
      // Full matrices that commute: W2² = ‖Σ0^½ − Σ1^½‖²_F.
      const w = w2Distance({ mean: [1, 1], cov: [[4, 0], [0, 9]] }, { mean: [1, 1], cov: [[1, 0], [0, 1]] });
      expect(w).toBeCloseTo(Math.sqrt(1 + 4), 13);
      const { A, b } = w2Map({ mean: [0, 0], variance: [1, 4] }, { mean: [1, 1], variance: [4, 1] });
      expect(Array.from(A.data)).toEqual([2, 0, 0, 0.5]);
      expect(Array.from(b)).toEqual([1, 1]);
      const g = w2Geodesic({ mean: [0], variance: [1] }, { mean: [2], variance: [9] }, 0.5);
      expect(isDiagonal(g) && [g.mean[0], g.variance[0]]).toEqual([1, 4]);
    });

    it('Fisher-Rao: σ moves geometrically along a vertical line; the univariate formula', () => {
      expect(fisherRaoDistance({ mean: 0, variance: 1 }, { mean: 0, variance: Math.E ** 2 })).toBeCloseTo(Math.SQRT2, 14);
      const g = fisherRaoGeodesic({ mean: 0, variance: 1 }, { mean: 0, variance: 16 }, 0.5);
      expect(isDiagonal(g) && g.variance[0]).toBeCloseTo(4, 13);
      // √2 · arccosh(1 + ((Δμ)²/2 + (Δσ)²)/(2σ0σ1)) with Δμ = 1, σ0 = σ1 = 1: √2 · arccosh(5/4) = √2 · ln 2.
      expect(fisherRaoDistance({ mean: 0, variance: 1 }, { mean: 1, variance: 1 })).toBeCloseTo(Math.SQRT2 * Math.acosh(1.25), 14);
      // Equal means, full: eigenvalues of Σ0⁻¹Σ1 are 4 and 1/9.
      const d = fisherRaoDistance({ mean: [1, 2], cov: [[1, 0], [0, 9]] }, { mean: [1, 2], cov: [[4, 0], [0, 1]] });
      expect(d).toBeCloseTo(Math.sqrt(0.5 * (Math.log(4) ** 2 + Math.log(1 / 9) ** 2)), 13);
    });
  });

  describe('properties', () => {
    const metrics = [
      { name: 'W2, full', dist: w2Distance, geo: w2Geodesic, arb: fullArb(3) },
      { name: 'W2, diagonal', dist: w2Distance, geo: w2Geodesic, arb: diagArb(4) },
      { name: 'Fisher-Rao, diagonal', dist: fisherRaoDistance, geo: fisherRaoGeodesic, arb: diagArb(4) },
    ] as const;

    it.each(metrics)('$name: symmetric, zero exactly on equal inputs, triangle inequality', ({ dist, arb }) => {
      fc.assert(fc.property(arb, arb, arb, (a: GaussianInput, b: GaussianInput, c: GaussianInput) => {
        expect(dist(a, a)).toBe(0);
        const ab = dist(a, b), ba = dist(b, a);
        expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-10 * (1 + ab));
        expect(ab).toBeLessThanOrEqual(dist(a, c) + dist(c, b) + 1e-9 * (1 + ab));
      }), { numRuns: 40 });
    });

    it.each(metrics)('$name: geodesics start at g0, end at g1, have constant speed', ({ dist, geo, arb }) => {
      fc.assert(fc.property(arb, arb, tArb, (a: GaussianInput, b: GaussianInput, t) => {
        const D = dist(a, b);
        fc.pre(D > 1e-3);
        const start = geo(a, b, 0), end = geo(a, b, 1);
        expect([Array.from(start.mean), covOf(start)]).toEqual([a.mean, inputCov(a)]);
        expect([Array.from(end.mean), covOf(end)]).toEqual([b.mean, inputCov(b)]);
        const gt = geo(a, b, t);
        expect(Math.abs(dist(a, gt) - t * D)).toBeLessThan(1e-9 * D);
        expect(Math.abs(dist(gt, b) - (1 - t) * D)).toBeLessThan(1e-9 * D);
      }), { numRuns: 40 });
    });

    it('Fisher-Rao, full covariances with equal means: metric properties and constant speed', () => {
      fc.assert(fc.property(fullArb(3), fullArb(3), fullArb(3), tArb, (a, b, c, t) => {
        const bb = { mean: a.mean, cov: b.cov }, cc = { mean: a.mean, cov: c.cov };
        expect(fisherRaoDistance(a, a)).toBe(0);
        const D = fisherRaoDistance(a, bb);
        fc.pre(D > 1e-3);
        expect(Math.abs(D - fisherRaoDistance(bb, a))).toBeLessThan(1e-10 * (1 + D));
        expect(D).toBeLessThanOrEqual(fisherRaoDistance(a, cc) + fisherRaoDistance(cc, bb) + 1e-9);
        const gt = fisherRaoGeodesic(a, bb, t);
        expect(Math.abs(fisherRaoDistance(a, gt) - t * D)).toBeLessThan(1e-9 * D);
        expect(maxDiff(covOf(fisherRaoGeodesic(a, bb, 1)), b.cov)).toBe(0);
      }), { numRuns: 30 });
    });

    it('w2Map pushes g0 onto g1: A Σ0 Aᵀ = Σ1, A μ0 + b = μ1, A symmetric', () => {
      fc.assert(fc.property(fullArb(4), fullArb(4), (g0, g1) => {
        const { A, b } = w2Map(g0, g1);
        const M = rowsOf(A.data, 4);
        expect(maxDiff(matmul(matmul(M, g0.cov), M), g1.cov)).toBeLessThan(1e-9);
        expect(maxDiff(matvec(M, g0.mean).map((v, i) => v + b[i]!), g1.mean)).toBeLessThan(1e-10);
        expect(maxDiff(M, M[0]!.map((_, j) => M.map((r) => r[j]!)))).toBeLessThan(1e-12);
      }), { numRuns: 40 });
    });

    it('the diagonal W2 equals the full W2 on diagonal matrices; so do map and geodesic', () => {
      fc.assert(fc.property(diagArb(5), diagArb(5), tArb, (a, b, t) => {
        const full = (g: typeof a) => ({ mean: g.mean, cov: g.variance.map((v, i) => g.variance.map((_, j) => (i === j ? v : 0))) });
        const D = w2Distance(a, b);
        expect(Math.abs(w2Distance(full(a), full(b)) - D)).toBeLessThan(1e-10 * (1 + D));
        expect(maxDiff(w2Map(full(a), full(b)).A.data, w2Map(a, b).A.data)).toBeLessThan(1e-10);
        expect(maxDiff(covOf(w2Geodesic(full(a), full(b), t)), covOf(w2Geodesic(a, b, t)))).toBeLessThan(1e-10);
        expect(maxDiff(covOf(fisherRaoGeodesic(full(a), { mean: a.mean, cov: full(b).cov }, t)), covOf(fisherRaoGeodesic(a, { mean: a.mean, variance: b.variance }, t)))).toBeLessThan(1e-10);
      }), { numRuns: 40 });
    });

    it('the Fisher-Rao diagonal distance of one dimension equals the univariate formula', () => {
      const g = fc.record({ mean: fc.double({ min: -5, max: 5, noNaN: true }), variance: fc.double({ min: 0.01, max: 10, noNaN: true }) });
      fc.assert(fc.property(g, g, (a, b) => {
        const s0 = Math.sqrt(a.variance), s1 = Math.sqrt(b.variance);
        const ref = Math.SQRT2 * Math.acosh(1 + ((a.mean - b.mean) ** 2 / 2 + (s0 - s1) ** 2) / (2 * s0 * s1));
        const ours = fisherRaoDistance({ mean: [a.mean], variance: [a.variance] }, { mean: [b.mean], variance: [b.variance] });
        expect(ours).toBe(fisherRaoDistance(a, b));
        // acosh(1 + x) loses digits for small x; the reference is good to ~1e-8 absolute there.
        expect(Math.abs(ours - ref)).toBeLessThan(1e-12 * (1 + ref) + (ref < 1e-3 ? 1e-7 : 0));
        // The diagonal distance is the root of the sum of squares of the univariate ones.
        const two = fisherRaoDistance({ mean: [a.mean, b.mean], variance: [a.variance, b.variance] }, { mean: [b.mean, a.mean], variance: [b.variance, a.variance] });
        expect(two).toBeCloseTo(Math.SQRT2 * ours, 12);
      }), { numRuns: 200 });
    });

    it('W2 between Dirac-like Gaussians tends to the Euclidean distance of the means', () => {
      const g0 = fullArb(3), mean = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 });
      fc.assert(fc.property(g0, g0, mean, (a, b, m) => {
        const euclid = Math.hypot(...a.mean.map((v, i) => v - m[i]!));
        // |W2 − ‖Δμ‖| ≤ W2(N(0, εΣ0), N(0, εΣ1)) = √ε · W2(N(0, Σ0), N(0, Σ1)).
        const bound = w2Distance({ mean: [0, 0, 0], cov: a.cov }, { mean: [0, 0, 0], cov: b.cov });
        for (const eps of [1e-2, 1e-4, 1e-6, 1e-8]) {
          const gap = Math.abs(w2Distance(scale(eps, a), { mean: m, cov: scale(eps, b).cov }) - euclid);
          expect(gap).toBeLessThanOrEqual(Math.sqrt(eps) * bound * (1 + 1e-9) + 1e-9);
        }
        expect(w2Distance({ mean: a.mean, variance: [0, 0, 0] }, { mean: m, variance: [0, 0, 0] })).toBeCloseTo(euclid, 13);
      }), { numRuns: 25 });
    });
  });

  describe('semi-definite covariances (W2)', () => {
    const line = { mean: [0, 0], cov: [[1, 1], [1, 1]] }; // all mass on the line x = y
    const round = { mean: [1, 0], cov: [[2, 0.5], [0.5, 1]] };

    it('distance through the clamped eigen-decomposition agrees with a nearby regular case', () => {
      const near = { mean: [0, 0], cov: [[1 + 1e-12, 1], [1, 1 + 1e-12]] };
      expect(Math.abs(w2Distance(line, round) - w2Distance(near, round))).toBeLessThan(1e-5);
      expect(Math.abs(w2Distance(round, line) - w2Distance(line, round))).toBeLessThan(1e-7);
    });

    it('the map from a singular Σ0 gives P Σ1 P (P: projector on the range of Σ0)', () => {
      const { A } = w2Map(line, round);
      const M = rowsOf(A.data, 2);
      const P = [[0.5, 0.5], [0.5, 0.5]];
      expect(maxDiff(matmul(matmul(M, line.cov), M), matmul(matmul(P, round.cov), P))).toBeLessThan(1e-12);
    });

    it('the geodesic from a singular Σ0 still ends at Σ1 and has constant speed', () => {
      const D = w2Distance(line, round);
      for (const t of [0.25, 0.5, 0.999]) {
        const g = w2Geodesic(line, round, t);
        expect(Math.abs(w2Distance(line, g) - t * D)).toBeLessThan(1e-6);
      }
      expect(maxDiff(covOf(w2Geodesic(line, round, 0.999999)), round.cov)).toBeLessThan(1e-5);
    });

    it('a covariance that is not semi-definite is an error', () => {
      expect(errorOf(() => w2Distance({ mean: [0, 0], cov: [[1, 2], [2, 1]] }, round)).code).toBe('INVALID_INPUT');
      expect(errorOf(() => w2Distance(round, { mean: [0, 0], cov: [[1, 2], [2, 1]] })).message).toMatch(/g1\.cov.*not positive semi-definite/);
    });
  });

  describe('barycenter', () => {
    it('of two Gaussians with weights (1 − t, t) is the W2 geodesic at t', () => {
      fc.assert(fc.property(fullArb(3), fullArb(3), tArb, (a, b, t) => {
        const r = w2Barycenter([a, b], [1 - t, t]);
        expect(r.converged).toBe(true);
        expect(r.residual).toBeLessThanOrEqual(1e-10);
        const g = w2Geodesic(a, b, t);
        expect(maxDiff(covOf(r.barycenter), covOf(g))).toBeLessThan(1e-8);
        expect(maxDiff(r.barycenter.mean, g.mean)).toBeLessThan(1e-12);
      }), { numRuns: 15 });
    });

    it('is a fixed point S = Σᵢ wᵢ (S^½ Σᵢ S^½)^½, and its W2 cost is no larger than the inputs\' mean', () => {
      const gs = [
        { mean: [0, 0], cov: spd(2, [1, 0.3, -0.2, 0.8]) },
        { mean: [1, 2], cov: spd(2, [0.2, 1.1, 0.9, -0.4]) },
        { mean: [-1, 1], variance: [0.5, 2] },
      ];
      const w = [0.5, 0.3, 0.2];
      const r = w2Barycenter(gs, w, { tol: 1e-12 });
      expect(r.converged).toBe(true);
      expect(r.nIter).toBeGreaterThan(1);
      const cost = (g: GaussianInput) => gs.reduce((s, h, i) => s + w[i]! * w2Distance(g, h) ** 2, 0);
      const best = cost(r.barycenter);
      for (const t of [-0.01, 0.01]) {
        const S = covOf(r.barycenter).map((row, i) => row.map((v, j) => v + (i === j ? t : t / 2)));
        expect(cost({ mean: r.barycenter.mean, cov: S })).toBeGreaterThan(best);
      }
      for (const g of gs) expect(best).toBeLessThan(cost(g));
      const capped = w2Barycenter(gs, w, { maxIter: 1 });
      expect([capped.nIter, capped.converged]).toEqual([1, false]);
    });

    it('diagonal inputs: closed form σ = Σ wᵢ σᵢ', () => {
      const r = w2Barycenter([{ mean: [0], variance: [1] }, { mean: [4], variance: [9] }], [3, 1]);
      expect(isDiagonal(r.barycenter) && [r.barycenter.mean[0], r.barycenter.variance[0]]).toEqual([1, 1.5 ** 2]);
      expect([r.nIter, r.converged, r.residual]).toEqual([0, true, 0]);
    });
  });

  describe('batches', () => {
    it('equal the one-pair functions, row by row and against one reference', () => {
      fc.assert(fc.property(fc.array(diagArb(6), { minLength: 1, maxLength: 7 }), diagArb(6), (rows, ref) => {
        const batch = { mean: rows.map((r) => r.mean), variance: rows.map((r) => r.variance) };
        const against = { mean: rows.map(() => ref.mean), variance: rows.map(() => ref.variance) };
        const w = w2DistanceDiagonalBatch(batch, ref), f = fisherRaoDistanceDiagonalBatch(batch, ref);
        expect(Array.from(w)).toEqual(Array.from(w2DistanceDiagonalBatch(batch, against)));
        expect(Array.from(f)).toEqual(Array.from(fisherRaoDistanceDiagonalBatch(batch, against)));
        rows.forEach((r, i) => {
          expect(w[i]).toBe(w2Distance(r, ref));
          expect(f[i]).toBe(fisherRaoDistance(r, ref));
        });
      }), { numRuns: 30 });
    });

    it('accept Matrices, and reject mismatched shapes and bad variances', () => {
      const mean = { rows: 2, cols: 2, data: new Float64Array([0, 0, 3, 4]) };
      const variance = { rows: 2, cols: 2, data: new Float64Array([1, 1, 1, 1]) };
      expect(Array.from(w2DistanceDiagonalBatch({ mean, variance }, { mean: [0, 0], variance: [1, 1] }))).toEqual([0, 5]);
      expect(errorOf(() => w2DistanceDiagonalBatch({ mean, variance }, { mean: [[0, 0], [0, 0], [0, 0]], variance: [[1, 1], [1, 1], [1, 1]] })).code).toBe('SHAPE_MISMATCH');
      expect(errorOf(() => w2DistanceDiagonalBatch({ mean, variance }, { mean: [0, 0, 0], variance: [1, 1, 1] })).code).toBe('SHAPE_MISMATCH');
      expect(errorOf(() => w2DistanceDiagonalBatch({ mean, variance }, { mean: [0, 0], variance: [1, -1] })).code).toBe('INVALID_INPUT');
      expect(errorOf(() => fisherRaoDistanceDiagonalBatch({ mean, variance }, { mean: [0, 0], variance: [1, 0] })).message).toMatch(/batch1\.variance: entry 1 is 0/);
      expect(errorOf(() => w2DistanceDiagonalBatch({ mean, variance: [[1, 1]] }, { mean: [0, 0], variance: [1, 1] })).code).toBe('SHAPE_MISMATCH');
    });
  });

  describe('geodesicPath', () => {
    const g0 = { mean: [0, 1], cov: [[1, 0.3], [0.3, 0.5]] }, g1 = { mean: [0, 1], cov: [[2, -0.4], [-0.4, 1]] };
    it.each(['wasserstein', 'fisher-rao', 'linear'] as const)('%s: steps Gaussians from g0 to g1, matching the one-point functions', (metric) => {
      const walk = geodesicPath(g0, g1, { steps: 5, metric });
      expect(walk).toHaveLength(5);
      expect(covOf(walk[0]!)).toEqual(g0.cov);
      expect(covOf(walk[4]!)).toEqual(g1.cov);
      const mid = metric === 'wasserstein' ? w2Geodesic(g0, g1, 0.5) : metric === 'fisher-rao' ? fisherRaoGeodesic(g0, g1, 0.5) : null;
      if (mid) expect(maxDiff(covOf(walk[2]!), covOf(mid))).toBeLessThan(1e-14);
      else expect(maxDiff(covOf(walk[2]!), [[1.5, -0.05], [-0.05, 0.75]])).toBeLessThan(1e-15);
    });
    it('diagonal inputs give diagonal Gaussians; bad options are errors', () => {
      const walk = geodesicPath({ mean: [0], variance: [1] }, { mean: [0], variance: [16] }, { steps: 3, metric: 'fisher-rao' });
      expect(walk.map((g) => isDiagonal(g) && g.variance[0])).toEqual([1, expect.closeTo(4, 13), 16]);
      expect(errorOf(() => geodesicPath(g0, g1, { metric: 'euclid' as 'linear' })).message).toMatch(/'wasserstein', 'fisher-rao', 'linear'/);
      expect(errorOf(() => geodesicPath(g0, g1, { steps: 1 })).code).toBe('INVALID_OPTION');
    });
  });

  describe('validation', () => {
    it('Fisher-Rao for full covariances with different means is UNSUPPORTED, and says what to do', () => {
      const e = errorOf(() => fisherRaoDistance({ mean: [0, 0], cov: [[1, 0], [0, 1]] }, { mean: [1, 0], cov: [[1, 0], [0, 1]] }));
      expect(e.code).toBe('UNSUPPORTED');
      expect(e.message).toMatch(/no closed form.*\{ mean, variance \}/);
      expect(errorOf(() => fisherRaoGeodesic({ mean: [0, 0], variance: [1, 1] }, { mean: [1, 0], cov: [[1, 0], [0, 1]] }, 0.5)).code).toBe('UNSUPPORTED');
    });

    it('rejects malformed Gaussians with messages that name the argument', () => {
      expect(errorOf(() => w2Distance({ mean: [0], cov: [[1]], variance: [1] } as never, { mean: [0], variance: [1] })).message).toMatch(/g0: .*both cov and variance/);
      expect(errorOf(() => w2Distance({ mean: [0] } as never, { mean: [0], variance: [1] })).message).toMatch(/neither/);
      expect(errorOf(() => w2Distance({ mean: [0, 0], variance: [1] }, { mean: [0], variance: [1] })).message).toMatch(/g0\.variance: received 1 entries, expected 2/);
      expect(errorOf(() => w2Distance({ mean: [0, 0], cov: [[1, 0]] }, { mean: [0, 0], variance: [1, 1] })).code).toBe('SHAPE_MISMATCH');
      expect(errorOf(() => w2Distance({ mean: [0, 0], cov: [[1, 0.5], [0, 1]] }, { mean: [0, 0], variance: [1, 1] })).message).toMatch(/g0\.cov.*not symmetric/);
      expect(errorOf(() => w2Distance({ mean: [0, 0], variance: [1, 1] }, { mean: [0], variance: [1] })).code).toBe('SHAPE_MISMATCH');
      expect(errorOf(() => fisherRaoDistance({ mean: 0, variance: 0 }, { mean: 0, variance: 1 })).message).toMatch(/infinitely far/);
      expect(errorOf(() => fisherRaoDistance({ mean: [0, 0], cov: [[1, 1], [1, 1]] }, { mean: [0, 0], cov: [[1, 0], [0, 1]] })).message).toMatch(/g0\.cov.*not positive definite/);
      expect(errorOf(() => w2Geodesic({ mean: 0, variance: 1 }, { mean: 0, variance: 1 }, Infinity)).code).toBe('INVALID_OPTION');
      expect(errorOf(() => w2Barycenter([])).code).toBe('EMPTY_INPUT');
      expect(errorOf(() => w2Barycenter([{ mean: 0, variance: 1 }], [0])).code).toBe('INVALID_INPUT');
      expect(errorOf(() => w2Barycenter([{ mean: 0, variance: 1 }], [1, 2])).code).toBe('SHAPE_MISMATCH');
      expect(errorOf(() => w2Barycenter([{ mean: 0, variance: 1 }], undefined, { tol: -1 })).code).toBe('INVALID_OPTION');
    });

    it('accepts any matrix input for cov: Float32 matrices, ndarray-like and ml-matrix-like objects', () => {
      const cov = [[2, 0.5], [0.5, 1]], other = { mean: [1, 0], cov: [[1, -0.2], [-0.2, 3]] };
      const ref = w2Distance({ mean: [0, 0], cov }, other);
      const f32 = { rows: 2, cols: 2, data: Float32Array.from(cov.flat()) };
      const nd = { data: [2, 0.5, 0.5, 1], shape: [2, 2], stride: [2, 1], offset: 0 };
      const ml = { rows: 2, columns: 2, get: (i: number, j: number) => cov[i]![j]!, to2DArray: () => cov };
      expect(w2Distance({ mean: new Float32Array([0, 0]), cov: f32 }, other)).toBeCloseTo(ref, 14); // the entries are exact in float32
      expect(w2Distance({ mean: [0, 0], cov: nd }, other)).toBe(ref);
      expect(w2Distance({ mean: [0, 0], cov: ml }, other)).toBe(ref);
    });

    it('never modifies its inputs', () => {
      const mean = new Float64Array([1, 2]), cov = new Float64Array([2, 0.5, 0.5, 1]);
      const g0 = { mean, cov: { rows: 2, cols: 2, data: cov } }, g1 = { mean: [0, 0], cov: [[1, 0], [0, 3]] };
      w2Distance(g0, g1); w2Map(g0, g1); w2Geodesic(g0, g1, 0.3); w2Barycenter([g0, g1]);
      fisherRaoDistance(g0, { mean, cov: g1.cov }); fisherRaoGeodesic(g0, { mean, cov: g1.cov }, 0.3);
      geodesicPath(g0, g1, { steps: 3 });
      expect(Array.from(mean)).toEqual([1, 2]);
      expect(Array.from(cov)).toEqual([2, 0.5, 0.5, 1]);
      expect(g1.cov).toEqual([[1, 0], [0, 3]]);
    });
  });
});
