import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix.js';
import * as units from '../../src/units/index.js';
import type { Objective } from '../../src/units/index.js';
import { codeOf } from '../helpers/errors.js';

interface TorchCase { name: string; options: Record<string, number>; value: number[]; gradient: number[] }
const fixture = JSON.parse(readFileSync(new URL('../fixtures/units/torch.json', import.meta.url), 'utf8')).objectives as {
  h: { rows: number; cols: number; data: number[] }; v: number[]; A: { rows: number; cols: number; data: number[] };
  covariance: { rows: number; cols: number; data: number[] }; cosines: number[]; cases: TorchCase[];
};

/** Our objective for a fixture case (the names are the fixture's). */
function build(name: string, o: Record<string, number>, v: number[], A: Matrix, S: Matrix): Objective {
  const { epsilon, ...rest } = o;
  switch (name) {
    case 'dot': return units.dot(v);
    case 'cosine': return units.cosine(v);
    case 'dotCos': return units.dotCos(v, rest);
    case 'dotOrthogonalPenalty': return units.dotOrthogonalPenalty(v, rest);
    case 'l2': return units.l2(v);
    case 'innerProduct': return units.innerProduct(A);
    default: {
      const inner = name.slice('whitened:'.length);
      return units.whitened(build(inner, rest, v, A, S), S, { epsilon: epsilon ?? 0 });
    }
  }
}

const m64 = (m: { rows: number; cols: number; data: number[] }): Matrix<Float64Array> => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });

/** |a − b| ≤ tol · max(1, |b|) entry by entry; returns the first failure for the message. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)))) return `entry ${i}: ${actual[i]} vs ${expected[i]}`;
  }
  return null;
}

describe('objectives equal PyTorch autograd (float64, 1e-10)', () => {
  const h = m64(fixture.h), A = m64(fixture.A), S = m64(fixture.covariance);
  it('the batch takes every branch of the floored cosine', () => {
    // Rows above the floor, below it, and one on the side of −v.
    expect(fixture.cosines.some((c) => c > 0.9)).toBe(true);
    expect(fixture.cosines.some((c) => c < 0)).toBe(true);
    expect(fixture.cosines.some((c) => c > 0 && c < 0.1)).toBe(true);
    expect(fixture.cosines.some((c) => c > 0.1 && c < 0.5)).toBe(true);
  });
  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const before = Array.from(h.data);
      const r = build(c.name, c.options, fixture.v, A, S)(h);
      expect(close(r.value, c.value, 1e-10)).toBeNull();
      expect(close(r.gradient.data, c.gradient, 1e-10)).toBeNull();
      expect([r.gradient.rows, r.gradient.cols]).toEqual([h.rows, h.cols]);
      expect(Array.from(h.data)).toEqual(before);
    });
  }
});

// Finite differences: central, step 1e-6 in float64, relative 1e-5, away from the kinks
// (the cosine at the floor, h along v for the orthogonal penalty, h = 0).
// Entries in [−3, 3]; a vector shorter than 0.5 (fast-check favours tiny values) gets 1 added to
// its first entry, so norms stay away from 0 without rejecting draws.
const vec = (d: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d })
  .map((x) => (Math.hypot(...x) < 0.5 ? [x[0]! + 1, ...x.slice(1)] : x));
const batch = fc.integer({ min: 2, max: 5 }).chain((d) => fc.record({
  d: fc.constant(d), v: vec(d), rows: fc.array(vec(d), { minLength: 1, maxLength: 3 }), A: fc.array(vec(d), { minLength: 1, maxLength: 3 }),
}));
const norm = (x: number[]) => Math.hypot(...x);
const cosOf = (h: number[], v: number[]) => h.reduce((s, x, j) => s + x * v[j]!, 0) / (norm(h) * norm(v));

function finiteDifferences(f: Objective, rows: number[][]): string | null {
  const d = rows[0]!.length, eps = 1e-6;
  const H = { rows: rows.length, cols: d, data: Float64Array.from(rows.flat()) };
  const { gradient } = f(H);
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < d; j++) {
      const at = (delta: number) => {
        const row = Float64Array.from(rows[i]!);
        row[j]! += delta;
        return f({ rows: 1, cols: d, data: row }).value[0]!;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const analytic = gradient.data[i * d + j]!;
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic), Math.abs(at(0)));
      if (Math.abs(numeric - analytic) > 1e-5 * scale) return `row ${i}, entry ${j}: analytic ${analytic}, numeric ${numeric}`;
    }
  }
  return null;
}

describe('every objective\'s gradient equals finite differences (fast-check)', () => {
  const awayFromZero = (rows: number[][], v: number[]) => norm(v) > 0.1 && rows.every((r) => norm(r) > 0.1);
  const cases: [string, (v: number[], A: number[][], d: number) => Objective, (rows: number[][], v: number[]) => boolean][] = [
    ['dot', (v) => units.dot(v), () => true],
    ['cosine', (v) => units.cosine(v), awayFromZero],
    ...[[1, 0.1], [2, 0.1], [4, 0.1], [3, -1], [5, 0.4]].map(([power, floor]) => [
      `dotCos power ${power}, floor ${floor}`,
      (v: number[]) => units.dotCos(v, { power: power!, floor: floor! }),
      (rows: number[][], v: number[]) => awayFromZero(rows, v) && rows.every((r) => Math.abs(cosOf(r, v) - floor!) > 1e-3),
    ] as [string, (v: number[]) => Objective, (rows: number[][], v: number[]) => boolean]),
    ['dotOrthogonalPenalty', (v) => units.dotOrthogonalPenalty(v, { weight: 0.7 }),
      (rows, v) => awayFromZero(rows, v) && rows.every((r) => Math.abs(cosOf(r, v)) < 0.999)],
    ['l2', (v) => units.l2(v), () => true],
    ['innerProduct', (_v, A) => units.innerProduct(A), () => true],
    ['whitened(dotCos)', (v, _A, d) => units.whitened(units.dotCos(v, { power: 2 }), covariance(d)), () => true],
  ];
  for (const [name, make, valid] of cases) {
    it(name, () => {
      fc.assert(fc.property(batch, ({ d, v, rows, A }) => {
        fc.pre(valid(rows, v));
        if (name.startsWith('whitened')) {
          // The kinks move with the whitening: check them in the whitened space.
          const W = whitening(d);
          const white = rows.map((r) => Array.from({ length: d }, (_, j) => r.reduce((s, x, i) => s + x * W[i * d + j]!, 0)));
          fc.pre(awayFromZero(white, v) && white.every((r) => Math.abs(cosOf(r, v) - 0.1) > 1e-3));
        }
        expect(finiteDifferences(make(v, A, d), rows)).toBeNull();
      }), { numRuns: 60 });
    });
  }
});

/** A fixed positive definite covariance of size d: 2 on the diagonal, −0.5 beside it. */
function covariance(d: number): Matrix<Float64Array> {
  const S = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    S[i * d + i] = 2;
    if (i + 1 < d) S[i * d + i + 1] = S[(i + 1) * d + i] = -0.5;
  }
  return { rows: d, cols: d, data: S };
}

/** The matrix whitened() applies for {@link covariance}: column j is the gradient of whitened(dot(e_j)). */
function whitening(d: number): Float64Array {
  const W = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const e = Array.from({ length: d }, (_, i) => (i === j ? 1 : 0));
    W.set(units.whitened(units.dot(e), covariance(d))({ rows: 1, cols: d, data: new Float64Array(d) }).gradient.data, j * d);
  }
  return W; // W[j][i] = (Σ^−½)_ij, symmetric
}

describe('whitened', () => {
  it('applies the symmetric inverse square root: W Σ W = I and W = Wᵀ', () => {
    const d = 4, W = whitening(d), S = covariance(d).data;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) s += W[i * d + a]! * S[a * d + b]! * W[b * d + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
        expect(W[i * d + j]).toBeCloseTo(W[j * d + i]!, 14);
      }
    }
  });

  it('rejects a singular covariance unless epsilon makes it positive definite', () => {
    const singular = [[1, 1], [1, 1]];
    expect(codeOf(() => units.whitened(units.dot([1, 0]), singular))).toBe('INVALID_INPUT');
    expect(units.whitened(units.dot([1, 0]), singular, { epsilon: 1 })([[1, 0]]).value[0]).toBeCloseTo((1 / Math.sqrt(3) + 1) / 2, 12);
    expect(codeOf(() => units.whitened(units.dot([1, 0]), [[1, 0, 0], [0, 1, 0]]))).toBe('SHAPE_MISMATCH');
  });
});

describe('dotCos never climbs towards −v', () => {
  it('moving h towards −v never raises the objective, for any power and floor ≥ 0 (fast-check)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }).chain((d) => fc.tuple(vec(d), vec(d))),
      fc.integer({ min: 0, max: 7 }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 1e-3, max: 5, noNaN: true }),
      ([h, v], power, floor, t) => {
        fc.pre(norm(v) > 1e-3);
        const f = units.dotCos(v, { power, floor });
        const at = (s: number) => f([h.map((x, j) => x - s * v[j]!)]).value[0]!;
        const here = at(0);
        expect(at(t)).toBeLessThanOrEqual(here + 1e-9 * Math.max(1, Math.abs(here)));
        // And the gradient agrees: its component along v is never negative.
        const g = f([h]).gradient.data;
        expect(g.reduce((s, x, j) => s + x * v[j]!, 0)).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, norm(Array.from(g)) * norm(v)));
      },
    ), { numRuns: 300 });
  });

  it('without the floor an odd power does climb towards −v (what the floor is for)', () => {
    const v = [1, 0];
    const f = units.dotCos(v, { power: 1, floor: -1 });
    expect(f([[-2, 0]]).value[0]).toBeGreaterThan(f([[-1, 0]]).value[0]!);
    const floored = units.dotCos(v, { power: 1 });
    expect(floored([[-2, 0]]).value[0]).toBeLessThan(floored([[-1, 0]]).value[0]!);
  });
});

describe('on a skewed space, dot drifts away from v while dotCos stays with it (fast-check)', () => {
  // h = W x with ‖x‖ ≤ 1, where W stretches one direction u by a gain G and leaves the rest:
  // the reachable activations form an ellipsoid long along u. v makes an angle α with u.
  // Plain dot's optimum, h ∝ WWᵀv, leans towards u (cos(h, v) ≤ 0.73 for G ≥ 3, α ≥ 60°);
  // dot·cos⁴ pays for size only along v and ends within cos ≥ 0.98 of it. Found by
  // projected gradient ascent on x through the objective's gradient (∇x = Wᵀ ∇h).
  function ascend(f: Objective, W: Float64Array, d: number, x0: number[]): number[] {
    const x = Float64Array.from(x0);
    const hOf = () => Array.from({ length: d }, (_, i) => x.reduce((s, xj, j) => s + W[i * d + j]! * xj, 0));
    for (let step = 0; step < 1500; step++) {
      const g = f([hOf()]).gradient.data;
      const gx = Array.from({ length: d }, (_, j) => g.reduce((s, gi, i) => s + gi * W[i * d + j]!, 0));
      const size = Math.max(1e-12, norm(gx));
      for (let j = 0; j < d; j++) x[j]! += (0.02 * gx[j]!) / size;
      const nx = norm(Array.from(x));
      if (nx > 1) for (let j = 0; j < d; j++) x[j]! /= nx;
    }
    return hOf();
  }
  it('cos(h, v) ≤ 0.75 under dot, ≥ 0.9 under dotCos (power 4)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 5 }), fc.double({ min: 3, max: 12, noNaN: true }), fc.double({ min: 60, max: 82, noNaN: true }),
      fc.integer({ min: 1, max: 1e6 }),
      (d, gain, alphaDeg, seed) => {
        // A random orthonormal pair (u, w) from the seed; v = cos α u + sin α w.
        const rnd = lcg(seed);
        const u = normalise(Array.from({ length: d }, rnd));
        const w0 = Array.from({ length: d }, rnd);
        const w = normalise(w0.map((x, j) => x - w0.reduce((s, y, k) => s + y * u[k]!, 0) * u[j]!));
        const a = (alphaDeg * Math.PI) / 180;
        const v = u.map((x, j) => Math.cos(a) * x + Math.sin(a) * w[j]!);
        const W = new Float64Array(d * d); // I + (G − 1) u uᵀ
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) W[i * d + j] = (i === j ? 1 : 0) + (gain - 1) * u[i]! * u[j]!;
        const start = normalise(Array.from({ length: d }, rnd)).map((x) => 0.5 * x);
        const byDot = ascend(units.dot(v), W, d, start);
        const byDotCos = ascend(units.dotCos(v, { power: 4 }), W, d, start);
        expect(cosOf(byDot, v)).toBeLessThan(0.75);
        expect(cosOf(byDotCos, v)).toBeGreaterThanOrEqual(0.9);
      },
    ), { numRuns: 25 });
  });
});

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}
function normalise(x: number[]): number[] {
  const n = norm(x) || 1;
  return x.map((y) => y / n);
}

describe('objectives: small exact cases and errors', () => {
  it('gives the documented values', () => {
    expect(units.dot([1, 2])([[3, 4]]).value[0]).toBe(11);
    expect(units.cosine([1, 0])([[3, 3]]).value[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(units.dotCos([1, 0], { power: 2 })([[3, 3]]).value[0]).toBeCloseTo(1.5, 14);
    expect(units.dotOrthogonalPenalty([1, 0], { weight: 0.5 })([[3, 4]]).value[0]).toBe(1);
    expect(units.l2([1, 1])([[2, 3]]).value[0]).toBe(-5);
    expect(units.innerProduct([[1, 0], [0, 2]])([[3, 1]]).value[0]).toBe(13);
    expect(units.whitened(units.dot([1, 0]), [[4, 0], [0, 1]])([[2, 5]]).value[0]).toBeCloseTo(1, 15);
    // power 0 is the dot product; floor 1 too.
    expect(Array.from(units.dotCos([1, 2], { power: 0 })([[3, -4]]).gradient.data)).toEqual([1, 2]);
    expect(units.dotCos([1, 2], { floor: 1 })([[3, 4]]).value[0]).toBe(11);
  });

  it('at h = 0: value 0, a gradient towards v', () => {
    const zero = [[0, 0]];
    for (const f of [units.cosine([3, 4]), units.dotCos([3, 4]), units.dotOrthogonalPenalty([3, 4])]) {
      const r = f(zero);
      expect(r.value[0]).toBe(0);
      const g = Array.from(r.gradient.data);
      expect(g[0]! * 3 + g[1]! * 4).toBeGreaterThan(0);
    }
    // Without a floor the cosine (0) is above it: the gradient is cⁿ v = 0, and finite.
    const free = units.dotCos([3, 4], { power: 1, floor: -1 })(zero);
    expect([free.value[0], ...free.gradient.data]).toEqual([0, 0, 0]);
  });

  it('accepts float32 activations and any matrix input; returns float64', () => {
    const r = units.cosine([1, 1])({ rows: 1, cols: 2, data: new Float32Array([1, 0]) });
    expect(r.gradient.data).toBeInstanceOf(Float64Array);
    expect(r.value[0]).toBeCloseTo(Math.SQRT1_2, 7);
  });

  it('rejects bad directions, widths and options', () => {
    expect(codeOf(() => units.cosine([0, 0]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.dotCos([0, 0]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.dot([1, 2])([[1, 2, 3]]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.dot([1, NaN]))).toBe('NON_FINITE');
    expect(codeOf(() => units.dotCos([1], { power: 1.5 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.dotCos([1], { floor: 2 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.dotCos([1], { flor: 0.2 } as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.dotOrthogonalPenalty([1], { weight: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.whitened(units.dot([1]), [[1]], { epsilon: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.whitened(null as never, [[1]]))).toBe('INVALID_INPUT');
    const bad: Objective = () => ({ value: new Float64Array(1), gradient: { rows: 1, cols: 1, data: new Float64Array(1) } });
    expect(codeOf(() => units.whitened(bad, [[1, 0], [0, 1]])([[1, 2], [3, 4]]))).toBe('SHAPE_MISMATCH');
  });
});
