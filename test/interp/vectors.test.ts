import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lerp, path, slerp } from '../../src/interp/index.js';
import { errorOf } from './helpers.js';

const norm = (x: ArrayLike<number>): number => Math.hypot(...Array.from(x));
const angle = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
  return Math.acos(Math.max(-1, Math.min(1, dot / (norm(x) * norm(y)))));
};

describe('lerp, slerp, path', () => {
  it('hand-computed values', () => {
    expect(Array.from(lerp([0, 2], [4, 6], 0.25))).toEqual([1, 3]);
    const h = slerp([1, 0], [0, 3], 0.5);
    expect(h[0]).toBeCloseTo(Math.SQRT2, 14);
    expect(h[1]).toBeCloseTo(Math.SQRT2, 14);
    // A third of the way through 90°: 30°, norm 1 + (3 − 1)/3.
    const s = slerp([1, 0], [0, 3], 1 / 3);
    expect(s[0]).toBeCloseTo((5 / 3) * Math.cos(Math.PI / 6), 14);
    expect(s[1]).toBeCloseTo((5 / 3) * Math.sin(Math.PI / 6), 14);
    expect(Array.from(path([0, 0], [1, 2], { steps: 3 }).data)).toEqual([0, 0, 0.5, 1, 1, 2]);
  });

  it('ends exactly at a and b; the inputs are not modified', () => {
    const a = new Float64Array([0.3, -1.2, 2]), b = [1, 0.5, -0.25];
    for (const f of [lerp, slerp]) {
      expect(Array.from(f(a, b, 0))).toEqual(Array.from(a));
      expect(Array.from(f(a, b, 1))).toEqual(b);
    }
    for (const method of ['linear', 'spherical'] as const) {
      const P = path(a, b, { steps: 5, method });
      expect([P.rows, P.cols]).toEqual([5, 3]);
      expect(Array.from(P.data.subarray(0, 3))).toEqual(Array.from(a));
      expect(Array.from(P.data.subarray(12))).toEqual(b);
      expect(Array.from(P.data.subarray(6, 9))).toEqual(Array.from(method === 'linear' ? lerp(a, b, 0.5) : slerp(a, b, 0.5)));
    }
    expect(Array.from(a)).toEqual([0.3, -1.2, 2]);
  });

  it('slerp: constant angular speed, norm linear in t, in the plane of a and b', () => {
    const v = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(fc.property(v, v, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, t) => {
      fc.pre(norm(a) > 0.1 && norm(b) > 0.1);
      const theta = angle(a, b);
      fc.pre(theta > 1e-3 && Math.PI - theta > 1e-3);
      const s = slerp(a, b, t);
      expect(norm(s)).toBeCloseTo((1 - t) * norm(a) + t * norm(b), 10);
      expect(Math.abs(angle(a, s) - t * theta)).toBeLessThan(1e-7);
      expect(Math.abs(angle(s, b) - (1 - t) * theta)).toBeLessThan(1e-7);
    }), { numRuns: 200 });
  });

  it('nearly parallel vectors fall back to lerp; a zero vector too', () => {
    const a = [1, 2, 3], b = [2, 4, 6 + 1e-12];
    expect(Array.from(slerp(a, b, 0.3))).toEqual(Array.from(lerp(a, b, 0.3)));
    expect(Array.from(slerp([0, 0], [1, 1], 0.5))).toEqual([0.5, 0.5]);
  });

  it('antipodal vectors are an error that says why; bad arguments too', () => {
    const e = errorOf(() => slerp([1, 2], [-2, -4], 0.5));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/opposite directions/);
    expect(errorOf(() => path([1, 2], [-1, -2], { method: 'spherical' })).code).toBe('INVALID_INPUT');
    expect(path([1, 2], [-1, -2]).rows).toBe(10); // the straight line through 0 is fine
    expect(errorOf(() => lerp([1, 2], [1, 2, 3], 0.5)).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => lerp([1, 2], [1, 2], Number.NaN)).code).toBe('INVALID_OPTION');
    expect(errorOf(() => path([1], [2], { steps: 1 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => path([1], [2], { method: 'geodesic' as 'linear' })).message).toMatch(/'linear', 'spherical'/);
    expect(errorOf(() => lerp([1, Number.NaN], [1, 2], 0)).code).toBe('NON_FINITE');
  });
});
