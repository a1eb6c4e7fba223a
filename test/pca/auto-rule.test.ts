/**
 * PCA's `'auto'` policy (src/pca/options.ts, issue 19). The old rule sent 1999 × 784 to
 * 'full' (3 s) while 9999 × 784 took the covariance solver (0.6 s), and chose the
 * randomized approximation for k = 50 there although the exact covariance solver was
 * faster (280 ms against 450 ms). Now: with the smaller side ≤ 1000 and the larger > 500,
 * covariance, unless an integer k is small enough for the randomized solver's estimated
 * cost to be lower. These cases fail on the old rule (the first two) and on a rule that
 * ignores the cost (the k = 5 and nOversamples cases).
 */
import { describe, expect, it } from 'vitest';
import * as pca from '../../src/pca/index.js';
import { resolveOptions } from '../../src/pca/options.js';
import { fill } from '../helpers/backends.js';

const pick = (n: number, d: number, options: pca.PcaOptions = {}): string => resolveOptions(options, n, d).solver;

describe("pca 'auto'", () => {
  it('takes covariance for the whole spectrum of 1999 × 784 and for k = 50 (was full, randomized)', () => {
    expect(pick(1999, 784)).toBe('covariance');
    expect(pick(1999, 784, { nComponents: 50 })).toBe('covariance');
    expect(pick(784, 1999, { nComponents: 0.9 })).toBe('covariance');
    expect(pick(784, 784)).toBe('covariance');
  });

  it('keeps the randomized solver where its estimated cost is lower, and the cost follows its options', () => {
    expect(pick(1999, 784, { nComponents: 5 })).toBe('randomized');
    expect(pick(1999, 784, { nComponents: 20 })).toBe('randomized');
    expect(pick(1999, 784, { nComponents: 20, nOversamples: 100 })).toBe('covariance');
    expect(pick(1999, 784, { nComponents: 20, powerIterations: 30 })).toBe('covariance');
    expect(pick(2000, 1500, { nComponents: 10 })).toBe('randomized');
  });

  it('keeps past 5 : 1 covariance, and full for small or large square-ish data', () => {
    expect(pick(10000, 784, { nComponents: 50 })).toBe('covariance');
    expect(pick(10000, 784, { nComponents: 1 })).toBe('covariance');
    expect(pick(400, 4096, { nComponents: 100 })).toBe('covariance');
    expect(pick(400, 300)).toBe('full');
    expect(pick(40, 30, { nComponents: 0.5 })).toBe('full');
    expect(pick(2000, 1500)).toBe('full');
    expect(pick(2000, 1500, { nComponents: 0.5 })).toBe('full');
  });

  // What the new choice gives up: the covariance solver squares the condition number. On
  // data with a spread spectrum (variances over 6 decades) its variances and components
  // must still agree with full's.
  it("on a shape that moved from 'full' to covariance, agrees with full", () => {
    const n = 620, d = 510;
    const X = fill(new Float64Array(n * d), 5);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = X[i * d + j]! * 10 ** (-3 * j / d);
    const data = { rows: n, cols: d, data: X };
    const auto = pca.fit(data, { nComponents: 100 }), full = pca.fit(data, { nComponents: 100, solver: 'full' });
    expect(auto.solver).toBe('covariance');
    for (let c = 0; c < 100; c++) {
      expect(Math.abs(auto.explainedVariance[c]! / full.explainedVariance[c]! - 1)).toBeLessThan(1e-10);
      let dot = 0;
      for (let j = 0; j < d; j++) dot += auto.components.data[c * d + j]! * full.components.data[c * d + j]!;
      expect(Math.abs(dot - 1)).toBeLessThan(1e-8);
    }
  });
});
