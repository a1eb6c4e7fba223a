import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fisherRaoDistance, fisherRaoGeodesic, w2Distance, w2Geodesic, w2Map } from '../../src/interp/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { covOf, maxDiff } from './helpers.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/interp/${name}`, import.meta.url), 'utf8')) as T;

// Made by test/fixtures/interp/make_fixtures.py (POT 0.8.2; scipy 1.10 geodesic shooting).
interface PotCase { name: string; mean0: number[]; cov0: number[][]; mean1: number[]; cov1: number[][]; A: number[][]; b: number[]; w2: number }
const pot = fixture<{ cases: PotCase[]; diagonal: { mean0: number[]; variance0: number[]; mean1: number[]; variance1: number[]; w2: number } }>('pot.json');
interface DiagCase { mean0: number[] | number; variance0: number[] | number; mean1: number[] | number; variance1: number[] | number; distance: number; midMean: number[] | number; midVariance: number[] | number; fullFamilyDistance?: number }
interface FullCase { mean: number[]; cov0: number[][]; cov1: number[][]; distance: number; midCov: number[][] }
const fr = fixture<{ univariate: DiagCase[]; diagonal: DiagCase[]; full: FullCase[] }>('fisher_rao.json');
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const vec = (x: number[] | number): number[] => (typeof x === 'number' ? [x] : x);

describe.each(backendNames)('reference values (%s backend)', (name) => {
  useBackendFor(name);

  describe.each(pot.cases)('POT, $name', (c) => {
    const g0 = { mean: c.mean0, cov: c.cov0 }, g1 = { mean: c.mean1, cov: c.cov1 };
    it('w2Distance equals POT\'s Bures formula; w2Map equals ot.da.OT_mapping_linear', () => {
      expect(rel(w2Distance(g0, g1), c.w2)).toBeLessThan(1e-10);
      const { A, b } = w2Map(g0, g1);
      const scaleA = Math.max(...c.A.flat().map(Math.abs));
      expect(maxDiff(A.data, c.A.flat()) / scaleA).toBeLessThan(1e-9);
      expect(maxDiff(b, c.b) / Math.max(1, ...c.b.map(Math.abs))).toBeLessThan(1e-9);
      // And the geodesic from POT's map: ((1 − t)I + tA) Σ0 ((1 − t)I + tA) at t = 0.3.
      const d = c.mean0.length, t = 0.3;
      const C = c.A.map((r, i) => r.map((v, j) => t * v + (i === j ? 1 - t : 0)));
      const mm = (X: number[][], Y: number[][]) => X.map((r) => Y[0]!.map((_, j) => r.reduce((s, v, k) => s + v * Y[k]![j]!, 0)));
      const S = mm(mm(C, c.cov0), C);
      expect(maxDiff(covOf(w2Geodesic(g0, g1, t)), S) / Math.max(...S.flat().map(Math.abs))).toBeLessThan(1e-9);
      expect(d).toBe(c.A.length);
    });
  });

  it('POT: diagonal Gaussians through the O(d) formula', () => {
    const c = pot.diagonal;
    expect(rel(w2Distance({ mean: c.mean0, variance: c.variance0 }, { mean: c.mean1, variance: c.variance1 }), c.w2)).toBeLessThan(1e-12);
  });

  describe('Fisher-Rao against numerically integrated geodesics', () => {
    it.each([...fr.univariate, ...fr.diagonal])('diagonal/univariate case %#: distance and midpoint', (c) => {
      const g0 = { mean: vec(c.mean0), variance: vec(c.variance0) }, g1 = { mean: vec(c.mean1), variance: vec(c.variance1) };
      const D = fisherRaoDistance(g0, g1);
      expect(rel(D, c.distance)).toBeLessThan(1e-9);
      const mid = fisherRaoGeodesic(g0, g1, 0.5);
      expect(maxDiff(mid.mean, vec(c.midMean))).toBeLessThan(1e-9);
      expect(maxDiff(covOf(mid).map((r, i) => r[i]!), vec(c.midVariance))).toBeLessThan(1e-9);
      // The manifold of diagonal Gaussians is not totally geodesic: through full
      // covariances the way is shorter (documented in fisherRaoDistance).
      if (c.fullFamilyDistance !== undefined) expect(c.fullFamilyDistance).toBeLessThan(D);
    });

    it.each(fr.full)('full covariances with equal means, case %#', (c) => {
      const g0 = { mean: c.mean, cov: c.cov0 }, g1 = { mean: c.mean, cov: c.cov1 };
      expect(rel(fisherRaoDistance(g0, g1), c.distance)).toBeLessThan(1e-9);
      expect(maxDiff(covOf(fisherRaoGeodesic(g0, g1, 0.5)), c.midCov)).toBeLessThan(1e-9);
    });
  });
});
