// The Lasso solution by its optimality (KKT) conditions, on random problems: c minimises
// (1 / (2p))·‖x − Dᵀc‖² + α·‖c‖₁ exactly when the correlations g = (1 / p)·D·(x − Dᵀc) satisfy
// g_j = α·sign(c_j) where c_j ≠ 0 and |g_j| ≤ α where c_j = 0 (Tibshirani 2013, "The lasso
// problem and uniqueness"). They hold for any dictionary, overcomplete or not, and are
// computed here from D, x and c alone, in plain loops.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as omp from '../../src/omp/index.js';
import { fill } from '../helpers/backends.js';

/** Random unit-norm atoms, (nAtoms × p). */
function dictionary(nAtoms: number, p: number, seed: number): number[][] {
  const raw = fill(new Float64Array(nAtoms * p), seed);
  return Array.from({ length: nAtoms }, (_, a) => {
    const row = Array.from(raw.subarray(a * p, (a + 1) * p));
    const norm = Math.hypot(...row);
    return row.map((v) => v / norm);
  });
}

/** g = (1 / p)·D·(x − Dᵀc). */
function correlations(D: number[][], x: number[], c: ArrayLike<number>): number[] {
  const p = x.length;
  const r = x.map((v, j) => D.reduce((s, atom, a) => s - c[a]! * atom[j]!, v));
  return D.map((atom) => atom.reduce((s, v, j) => s + v * r[j]!, 0) / p);
}

describe('lasso', () => {
  it('satisfies the KKT conditions on random problems (fast-check)', () => {
    // Coordinate descent can take 10⁵ sweeps and more where two atoms nearly coincide and α
    // is small (non-convergence is then reported, not hidden): the conditions are checked on
    // the signals reported converged, and those must be nearly all of them.
    let signals = 0, unconverged = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 4 }),
        fc.integer(), fc.double({ min: 0.005, max: 1.2, noNaN: true }),
        (nAtoms, p, m, seed, fraction) => {
          const D = dictionary(nAtoms, p, seed);
          const X = Array.from({ length: m }, (_, i) => Array.from(fill(new Float64Array(p), seed + 7 + i), (v) => 3 * v));
          // α as a fraction of α_max = max |D·x| / p over the signals, above which every code is 0.
          const alphaMax = Math.max(...X.map((x) => Math.max(...correlations(D, x, new Float64Array(nAtoms)).map(Math.abs))));
          const alpha = fraction * alphaMax;
          const r = omp.lasso(D, X, { alpha, tol: 1e-12, maxIter: 100_000 });
          X.forEach((x, i) => {
            signals++;
            if (r.converged[i] !== 1) {
              unconverged++;
              return;
            }
            const c = r.codes.data.subarray(i * nAtoms, (i + 1) * nAtoms);
            const g = correlations(D, x, c);
            const scale = Math.max(alphaMax, 1e-300);
            for (let j = 0; j < nAtoms; j++) {
              if (c[j] !== 0) expect(Math.abs(g[j]! - alpha * Math.sign(c[j]!))).toBeLessThanOrEqual(1e-9 * scale);
              else expect(Math.abs(g[j]!)).toBeLessThanOrEqual(alpha + 1e-9 * scale);
            }
            if (fraction >= 1) expect(Array.from(c).every((v) => v === 0)).toBe(true);
          });
        },
      ),
      { numRuns: 150 },
    );
    expect(unconverged).toBeLessThanOrEqual(0.02 * signals);
  });
});
