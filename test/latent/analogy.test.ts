import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analogy } from '../../src/latent/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { errorOf, metricValue } from './helpers.js';

/**
 * An embedding of m entities × 2 states with exact parallelograms: row 2e + s is
 * p_e + s·v (integer coordinates, so b − a + c is computed exactly).
 */
const parallelograms = (m: number, d: number) => fc.record({
  points: fc.uniqueArray(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: d, maxLength: d }), { minLength: m, maxLength: m, selector: (r) => r.join() }),
  v: fc.array(fc.integer({ min: -5, max: 5 }), { minLength: d, maxLength: d }).filter((v) => v.some((x) => x !== 0)),
}).map(({ points, v }) => points.flatMap((p) => [p, p.map((x, j) => x + v[j]!)]));

/** 3CosMul objective by hand (cosines mapped to [0, 1], ε = 0.001). */
function cosMul(x: number[], a: number[], b: number[], c: number[]): number {
  const cos = (y: number[]) => 1 - metricValue(x, y, 'cosine');
  const raw = (y: number[]) => {
    let s = 0, nx = 0, ny = 0;
    for (let j = 0; j < x.length; j++) { s += x[j]! * y[j]!; nx += x[j]! * x[j]!; ny += y[j]! * y[j]!; }
    return s / (Math.sqrt(nx) * Math.sqrt(ny));
  };
  expect(Math.abs(cos(a) - raw(a))).toBeLessThan(1e-12);
  return (((raw(b) + 1) / 2) * ((raw(c) + 1) / 2)) / ((raw(a) + 1) / 2 + 0.001);
}

describe.each(backendNames)('analogy (%s backend)', (name) => {
  useBackendFor(name);

  it('finds the planted fourth point of exact parallelograms and never returns an input', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }).chain((m) => fc.tuple(parallelograms(m, 4), fc.nat(m - 1), fc.nat(m - 1))), ([E, e1, e2]) => {
      fc.pre(e1 !== e2);
      // a = p₁, b = p₁ + v, c = p₂: the answer is p₂ + v, at distance 0 from b − a + c.
      const [a, b, c, want] = [2 * e1, 2 * e1 + 1, 2 * e2, 2 * e2 + 1];
      const r = analogy(E, a, b, c, { metric: 'euclidean', k: E.length - 3 });
      expect(r.indices[0]).toBe(want);
      expect(r.scores[0]).toBe(-0);
      expect(Array.from(r.indices)).not.toContain(a);
      expect(Array.from(r.indices)).not.toContain(b);
      expect(Array.from(r.indices)).not.toContain(c);
      expect(new Set(r.indices).size).toBe(E.length - 3);
      // Scores descend; every method and metric leaves the inputs out.
      for (let t = 1; t < r.k; t++) expect(r.scores[t]!).toBeLessThanOrEqual(r.scores[t - 1]!);
      for (const [method, metric] of [['add', 'cosine'], ['add', 'dot'], ['mul', 'cosine']] as const) {
        if (metric === 'cosine' && E.some((row) => row.every((x) => x === 0))) continue;
        const s = analogy(E, a, b, c, { method, metric, k: E.length - 3 });
        expect([a, b, c].some((i) => Array.from(s.indices).includes(i))).toBe(false);
      }
    }), { numRuns: 150 });
  });

  it('3CosAdd with cosine maximises cos(x, b) − cos(x, a) + cos(x, c) on unit rows; 3CosMul its objective', () => {
    const E = [[1, 0.2, 0], [1, 1, 0.1], [0.1, 0, 1], [0, 1, 1], [0.3, 0.9, 0.8], [1, 0.1, 0.9], [-1, 0.5, 0.2]];
    const [a, b, c] = [0, 1, 2];
    const add = analogy(E, a, b, c, { k: 4 });
    const byHand = (x: number[]) => -metricValue(x, E[b]!, 'cosine') + metricValue(x, E[a]!, 'cosine') - metricValue(x, E[c]!, 'cosine');
    const others = [3, 4, 5, 6].sort((i, j) => byHand(E[j]!) - byHand(E[i]!));
    expect(Array.from(add.indices)).toEqual(others);
    expect(add.indices[0]).toBe(3);
    const mul = analogy(E, a, b, c, { k: 4, method: 'mul' });
    const objective = [3, 4, 5, 6].map((i) => [cosMul(E[i]!, E[a]!, E[b]!, E[c]!), i] as const).sort((p, q) => q[0] - p[0]);
    expect(Array.from(mul.indices)).toEqual(objective.map(([, i]) => i));
    mul.scores.forEach((s, t) => expect(s).toBeCloseTo(objective[t]![0], 12));
  });

  it('the inputs are excluded by default: without that, king − man + woman is "king"', () => {
    // man, king, woman, queen: woman is close to man, so the combination stays near king.
    const E = [[1, 0, 0], [1, 1, 0], [1, 0, 0.3], [1, 1, 0.6], [0, 0, 5]];
    expect(analogy(E, 0, 1, 2, { metric: 'euclidean', excludeInputs: false }).indices[0]).toBe(1);
    expect(analogy(E, 0, 1, 2, { metric: 'euclidean' }).indices[0]).toBe(3);
    expect(analogy(E, 0, 1, 2).indices[0]).toBe(3);
  });

  it('a batch of analogies equals one call each', () => {
    const E = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 7) - 3, Math.sqrt(i + 1)]);
    const A = [0, 5, 9, 13], B = [1, 6, 2, 20], C = [2, 7, 29, 4];
    for (const method of ['add', 'mul'] as const) {
      const batch = analogy(E, A, B, C, { k: 3, method });
      A.forEach((_, q) => {
        const one = analogy(E, A[q]!, B[q]!, C[q]!, { k: 3, method });
        expect(Array.from(batch.indices.subarray(3 * q, 3 * q + 3))).toEqual(Array.from(one.indices));
        expect(Array.from(batch.scores.subarray(3 * q, 3 * q + 3))).toEqual(Array.from(one.scores));
      });
    }
  });
});

describe('analogy: errors', () => {
  const E = [[1, 0], [0, 1], [1, 1], [2, 1]];
  it('k above the rows left after excluding the inputs, bad indices, methods and metrics', () => {
    let e = errorOf(() => analogy(E, 0, 1, 2, { k: 2 }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/only 1 candidate row left/);
    expect(analogy(E, 0, 1, 2, { k: 2, excludeInputs: false }).indices.length).toBe(2);
    expect(analogy(E, 0, 0, 1, { k: 2 }).indices.length).toBe(2); // a repeated input is excluded once
    expect(errorOf(() => analogy(E, 0, 1, 4)).message).toMatch(/^c: received 4, expected a row index/);
    expect(errorOf(() => analogy(E, 0, 1.5, 2)).code).toBe('INVALID_INPUT');
    expect(errorOf(() => analogy(E, [0, 1], [1, 2], [2])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => analogy(E, [], [], [])).code).toBe('EMPTY_INPUT');
    e = errorOf(() => analogy(E, 0, 1, 2, { method: 'mul', metric: 'euclidean' }));
    expect(e.message).toMatch(/3CosMul is defined on cosine/);
    expect(errorOf(() => analogy([[0, 0], ...E], 1, 2, 3)).message).toMatch(/^E: row 0 is a zero vector/);
    // b̂ − â + ĉ = (1, 0, 0, 0) − (½, ½, ½, ½) + (−½, ½, ½, ½) = 0 exactly: no direction.
    const Z4 = [[1, 1, 1, 1], [3, 0, 0, 0], [-1, 1, 1, 1], [0, 0, 0, 1]];
    e = errorOf(() => analogy(Z4, 0, 1, 2));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/analogy 0 \(rows 0, 1, 2\) combines to a zero vector/);
    expect(analogy(Z4, 0, 1, 2, { metric: 'euclidean' }).indices[0]).toBe(3);
  });
});
