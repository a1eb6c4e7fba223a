// The sampling of greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's greedy
// refinement) against its distribution, by Pearson's chi-square test: the first centre is
// drawn with probability ∝ the sample weight; each next one as the better (lower
// potential, the first on ties) of 2 + ⌊ln k⌋ candidates drawn with probability ∝ w·D²,
// D the distance to the nearest centre so far. The draws come from fixed seeds, so the
// test cannot fail by chance; the thresholds are the 0.1% points of χ².
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { kmeansPlusPlus } from '../../src/kmeans/init.js';
import { prepareSource } from '../../src/kmeans/source.js';

// One feature, integer positions and weights: every D² and potential is exact.
const xs = [0, 1, 2, 4, 7, 11, 16, 22];
const w = Float64Array.from([1, 2, 1, 3, 1, 2, 1, 1]);
const n = xs.length;
const src = prepareSource({ rows: n, cols: 1, data: Float64Array.from(xs) }, new Float64Array(1));
const runs = 20_000;

/** Pearson's statistic of the counts against the probabilities (categories of probability 0 must stay empty). */
function chiSquare(counts: number[], probabilities: number[]): number {
  let chi = 0;
  probabilities.forEach((q, i) => {
    if (q === 0) expect(counts[i]).toBe(0);
    else chi += (counts[i]! - runs * q) ** 2 / (runs * q);
  });
  return chi;
}

/** The row of X a centre (1 × 1) came from. */
const rowOf = (c: number): number => xs.indexOf(c);

describe('k-means++ seeding frequencies', () => {
  it('the first centre: probability ∝ sample weight (χ², 7 degrees of freedom)', () => {
    const rng = new Random(2);
    const counts = new Array<number>(n).fill(0);
    for (let r = 0; r < runs; r++) counts[rowOf(kmeansPlusPlus(src, w, 1, rng)[0]!)]!++;
    const total = w.reduce((a, b) => a + b, 0);
    expect(chiSquare(counts, Array.from(w, (v) => v / total))).toBeLessThan(24.32);
  });

  it('the second centre after x = 0: the better of two w·D² draws (χ², 6 degrees of freedom)', () => {
    // A generator whose first draw is 0 (the first centre: row 0), then a seeded stream.
    const stream = new Random(3);
    let first = true;
    const rng = { uniform: () => (first ? ((first = false), 0) : stream.uniform()) } as unknown as Random;
    const counts = new Array<number>(n).fill(0);
    for (let r = 0; r < runs; r++) {
      first = true;
      const C = kmeansPlusPlus(src, w, 2, rng);
      expect(C[0]).toBe(0);
      counts[rowOf(C[1]!)]!++;
    }
    // p_i ∝ w_i·x_i²; a candidate's potential Σ_j w_j·min(x_j², (x_j − x_i)²). Two draws
    // (k = 2: 2 + ⌊ln 2⌋ = 2): i wins when drawn twice, or drawn once with a candidate of
    // higher potential (either order), or first with a candidate of equal potential.
    const mass = xs.map((x, i) => w[i]! * x * x);
    const total = mass.reduce((a, b) => a + b, 0);
    const p = mass.map((m) => m / total);
    const pot = xs.map((c) => xs.reduce((s, x, j) => s + w[j]! * Math.min(x * x, (x - c) ** 2), 0));
    const expected = p.map((pi, i) => {
      let higher = 0, equal = 0;
      p.forEach((pj, j) => {
        if (pot[j]! > pot[i]!) higher += pj;
        else if (j !== i && pot[j] === pot[i]) equal += pj;
      });
      return pi * pi + 2 * pi * higher + pi * equal;
    });
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(chiSquare(counts, expected)).toBeLessThan(22.46);
  });
});
