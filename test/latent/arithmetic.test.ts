import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { around, attributeVector, loop, nearest, project, shift, styleShift } from '../../src/latent/index.js';
import { errorOf } from './helpers.js';

const vec = (d: number, min = -3, max = 3) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: d, maxLength: d });
const dot = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
};
const row = (M: { cols: number; data: Float64Array }, i: number): Float64Array => M.data.subarray(i * M.cols, (i + 1) * M.cols);

describe('attributeVector', () => {
  it('recovers a planted offset exactly (integer codes, a power-of-two count: every mean is exact)', () => {
    const d = 6;
    const ints = (n: number) => fc.array(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n });
    fc.assert(fc.property(
      fc.constantFrom(1, 2, 4, 8, 16, 32).chain(ints), fc.array(fc.integer({ min: -50, max: 50 }), { minLength: d, maxLength: d }),
      (base, offset) => {
        const withIt = base.map((r) => r.map((v, j) => v + offset[j]!));
        const v = attributeVector(withIt, base);
        expect(Array.from(v)).toEqual(offset.map((x) => x + 0));
        // The groups need not be the same rows: the attribute on top of another sample
        // whose mean equals base's (a permutation) is recovered too.
        const permuted = [...base].reverse();
        expect(Array.from(attributeVector(withIt, permuted))).toEqual(offset.map((x) => x + 0));
      },
    ), { numRuns: 100 });
  });

  it('recovers a planted offset among noise to rounding, and normalises it on request', () => {
    fc.assert(fc.property(fc.array(vec(5), { minLength: 3, maxLength: 20 }), vec(5, -2, 2), (base, offset) => {
      fc.pre(Math.hypot(...offset) > 1e-3);
      const v = attributeVector(base.map((r) => r.map((x, j) => x + offset[j]!)), base);
      v.forEach((x, j) => expect(x).toBeCloseTo(offset[j]!, 12));
      const u = attributeVector(base.map((r) => r.map((x, j) => x + offset[j]!)), base, { normalize: true });
      expect(Math.hypot(...u)).toBeCloseTo(1, 12);
      u.forEach((x, j) => expect(x).toBeCloseTo(offset[j]! / Math.hypot(...offset), 8));
    }));
  });

  it('White\'s recipe by hand; errors', () => {
    expect(Array.from(attributeVector([[2, 1], [4, 1]], [[0, 0], [0, 2]]))).toEqual([3, 0]);
    expect(Array.from(attributeVector([1, 2], [[0, 0], [2, 2]]))).toEqual([0, 1]);
    const e = errorOf(() => attributeVector([[1, 1]], [[1, 1]], { normalize: true }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/same mean/);
    expect(errorOf(() => attributeVector([[1, 1]], [[1, 1, 1]])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => attributeVector([[1, Number.NaN]], [[1, 1]])).code).toBe('NON_FINITE');
    expect(errorOf(() => attributeVector([[1, 1]], [[1, 1]], { normalise: true } as never)).message).toMatch(/did you mean 'normalize'/);
  });
});

describe('shift and styleShift', () => {
  it('shift moves each row by its amount along v; inputs untouched; float32 in, float64 out', () => {
    expect(Array.from(shift([[0, 0], [1, 1]], [1, 2], [1, -1]).data)).toEqual([1, 2, 0, -1]);
    expect(Array.from(shift([[0, 0], [1, 1]], [1, 2], 0.5).data)).toEqual([0.5, 1, 1.5, 2]);
    expect(Array.from(shift([3, 4], [1, 0]).data)).toEqual([4, 4]);
    const Z = { rows: 2, cols: 2, data: Float32Array.of(1, 2, 3, 4) };
    const out = shift(Z, Float64Array.of(0.1, 0), 1);
    expect(out.data).toBeInstanceOf(Float64Array);
    expect(Array.from(Z.data)).toEqual([1, 2, 3, 4]);
    expect(errorOf(() => shift([[0, 0]], [1, 2], [1, 2])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => shift([[0, 0]], [1, 2, 3])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => shift([[0, 0]], [1, 2], Number.NaN)).code).toBe('INVALID_OPTION');
  });

  it('styleShift: the codes move by mean(Zto) − mean(Zfrom); Zfrom itself lands on mean(Zto)', () => {
    const from = [[0, 0], [2, 0], [1, 3]], to = [[10, 5], [12, 5], [14, 8]];
    expect(Array.from(styleShift(from, to, [[1, 1]]).data)).toEqual([12, 6]); // (1, 1) + (12, 6) − (1, 1)
    fc.assert(fc.property(fc.array(vec(3), { minLength: 1, maxLength: 10 }), fc.array(vec(3), { minLength: 1, maxLength: 10 }), (A, B) => {
      const moved = styleShift(A, B, A);
      for (let j = 0; j < 3; j++) {
        const meanMoved = A.reduce((s, _, i) => s + moved.data[i * 3 + j]!, 0) / A.length;
        expect(meanMoved).toBeCloseTo(B.reduce((s, r) => s + r[j]!, 0) / B.length, 10);
      }
    }));
  });

  it('styleShift with k: each code first becomes the mean of its k nearest rows of Zfrom', () => {
    const from = [[0, 0], [1, 0], [10, 0], [11, 0]], to = [[0, 100], [0, 100]];
    // mean(Zto) − mean(Zfrom) = (−5.5, 100); [0.2, 0]'s two nearest rows of Zfrom average (0.5, 0).
    const out = styleShift(from, to, [[0.2, 0], [10.9, 7]], { k: 2 });
    expect(Array.from(out.data)).toEqual([0.5 - 5.5, 100, 10.5 - 5.5, 100]);
    const { indices } = nearest(from, [[10.9, 7]], { k: 2 });
    expect(Array.from(indices)).toEqual([3, 2]);
    expect(errorOf(() => styleShift(from, to, [[0, 0]], { k: 5 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => styleShift(from, [[1, 2, 3]], [[0, 0]])).code).toBe('SHAPE_MISMATCH');
  });
});

describe('around, loop, project', () => {
  it('around: seeded, centred on z, with the given spread', () => {
    const z = [1, -2, 3];
    const A = around(z, 20000, { radius: 0.5, seed: 7 });
    expect(Array.from(around(z, 20000, { radius: 0.5, seed: 7 }).data)).toEqual(Array.from(A.data));
    expect(Array.from(around(z, 5, { radius: 0.5, seed: 8 }).data)).not.toEqual(Array.from(A.data.subarray(0, 15)));
    for (let j = 0; j < 3; j++) {
      let s = 0, s2 = 0;
      for (let i = 0; i < A.rows; i++) {
        s += A.data[i * 3 + j]!;
        s2 += (A.data[i * 3 + j]! - z[j]!) ** 2;
      }
      expect(Math.abs(s / A.rows - z[j]!)).toBeLessThan(0.02);
      expect(Math.abs(Math.sqrt(s2 / A.rows) - 0.5)).toBeLessThan(0.02);
    }
    expect(Array.from(around(z, 2, { radius: 0 }).data)).toEqual([...z, ...z]);
    expect(errorOf(() => around(z, 0)).code).toBe('INVALID_OPTION');
    expect(errorOf(() => around(z, 3, { radius: -1 })).code).toBe('INVALID_OPTION');
  });

  it('loop closes, keeps its radius, lies in the plane of u and v, and steps evenly', () => {
    fc.assert(fc.property(vec(6), vec(6), vec(6), fc.integer({ min: 3, max: 40 }), fc.double({ min: 0.01, max: 5, noNaN: true }), (c, u, v, steps, radius) => {
      const nu = Math.hypot(...u);
      fc.pre(nu > 0.1);
      const along = dot(u, v) / nu;
      fc.pre(Math.hypot(...v.map((x, j) => x - (along * u[j]!) / nu)) > 0.1);
      const L = loop(c, u, v, { steps, radius });
      expect([L.rows, L.cols]).toEqual([steps, 6]);
      const gaps: number[] = [];
      for (let s = 0; s < steps; s++) {
        const p = row(L, s), next = row(L, (s + 1) % steps);
        const off = Array.from(p, (x, j) => x - c[j]!);
        expect(Math.hypot(...off)).toBeCloseTo(radius, 10);
        // In the plane: what is left after removing the parts along u and v's orthogonal part is 0.
        const e1 = u.map((x) => x / nu);
        const w = v.map((x, j) => x - dot(v, e1) * e1[j]!), nw = Math.hypot(...w);
        const e2 = w.map((x) => x / nw);
        const a = dot(off, e1), b = dot(off, e2);
        off.forEach((x, j) => expect(Math.abs(x - a * e1[j]! - b * e2[j]!)).toBeLessThan(1e-9 * (1 + radius)));
        gaps.push(Math.hypot(...Array.from(p, (x, j) => x - next[j]!)));
      }
      // Evenly spaced all the way round, the last point to the first included: it closes.
      for (const g of gaps) expect(g).toBeCloseTo(2 * radius * Math.sin(Math.PI / steps), 9);
      // It starts on u and turns towards v.
      row(L, 0).forEach((x, j) => expect(x).toBeCloseTo(c[j]! + (radius * u[j]!) / nu, 10));
      expect(dot(Array.from(row(L, 1), (x, j) => x - c[j]!), v)).toBeGreaterThan(dot(Array.from(row(L, 0), (x, j) => x - c[j]!), v) - 1e-9);
    }));
    expect(Array.from(loop([0, 0], [1, 0], [0, 1], { steps: 4, radius: 2 }).data, (x) => Math.round(x) + 0)).toEqual([2, 0, 0, 2, -2, 0, 0, -2]);
    expect(errorOf(() => loop([0, 0], [1, 1], [2, 2])).message).toMatch(/parallel/);
    expect(errorOf(() => loop([0, 0], [0, 0], [0, 1])).code).toBe('INVALID_INPUT');
    expect(errorOf(() => loop([0, 0], [1, 0], [0, 1, 0])).code).toBe('SHAPE_MISMATCH');
  });

  it('project: coordinates along unit directions', () => {
    expect(Array.from(project([[3, 4], [1, 0]], [[2, 0], [0, 1]]).data)).toEqual([3, 4, 1, 0]);
    const P = project([[3, 4]], [1, 1]);
    expect([P.rows, P.cols]).toEqual([1, 1]);
    expect(P.data[0]).toBeCloseTo(7 / Math.SQRT2, 14);
    expect(errorOf(() => project([[3, 4]], [[1, 0], [0, 0]])).message).toMatch(/^directions: row 1 is a zero vector/);
    expect(errorOf(() => project([[3, 4]], [[1, 0, 0]])).code).toBe('SHAPE_MISMATCH');
  });
});
