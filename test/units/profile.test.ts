import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix.js';
import { qr } from '../../src/linalg/qr.js';
import * as units from '../../src/units/index.js';
import { isotropyOf } from '../../src/units/isotropy.js';
import { codeOf } from '../helpers/errors.js';

type M = { rows: number; cols: number; data: number[] };
const fixture = JSON.parse(readFileSync(new URL('../fixtures/units/numpy.json', import.meta.url), 'utf8')) as {
  A: M; X: M; labels: number[]; classProfile: number[]; selectivity: number[];
  rectifiedMean: { unit: number; threshold: number; value: number[] }[];
  isotropy: { gaussians: number[][]; units: number[]; rotated: number[]; meanUnits: number; meanRotated: number[]; fraction: number };
};
const m64 = (m: M): Matrix<Float64Array> => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
}

describe('against numpy (test/fixtures/units/numpy.json)', () => {
  // Columns: ReLU units, a signed (tanh) unit, a dead unit, and a unit that never falls silent.
  const A = m64(fixture.A), X = m64(fixture.X), labels = fixture.labels;

  it('classProfile: the class means', () => {
    const P = units.classProfile(A, labels);
    expect([P.rows, P.cols]).toEqual([4, 6]);
    expectClose(P.data, fixture.classProfile);
  });

  it('selectivity: Morcos et al.\'s index from each unit\'s floor (0 for the dead unit)', () => {
    const s = units.selectivity(A, labels);
    expectClose(s, fixture.selectivity);
    expect(s[4]).toBe(0);
  });

  it('rectifiedMean at several thresholds, a signed unit included', () => {
    for (const c of fixture.rectifiedMean) expectClose(units.rectifiedMean(A, X, c.unit, { threshold: c.threshold }), c.value);
  });

  it('isotropy against the same Gaussian matrices (QR with a positive diagonal, then selectivity of A·Q)', () => {
    const u = A.cols;
    const gaussians = fixture.isotropy.gaussians.map((g) => ({ rows: u, cols: u, data: Float64Array.from(g) }));
    const r = isotropyOf(A, labels, gaussians);
    expectClose(r.units, fixture.isotropy.units);
    expectClose(r.rotated.data, fixture.isotropy.rotated, 1e-10);
    expectClose(r.meanRotated, fixture.isotropy.meanRotated, 1e-10);
    expect(r.meanUnits).toBeCloseTo(fixture.isotropy.meanUnits, 12);
    expect(r.fraction).toBe(fixture.isotropy.fraction);
  });
});

describe('isotropy', () => {
  const A = m64(fixture.A), labels = fixture.labels;

  it('is seeded: the same seed gives the same bases, another seed others', () => {
    const a = units.isotropy(A, labels, { rotations: 7, seed: 3 });
    const b = units.isotropy(A, labels, { rotations: 7, seed: 3 });
    const c = units.isotropy(A, labels, { rotations: 7, seed: 4 });
    expect(Array.from(a.rotated.data)).toEqual(Array.from(b.rotated.data));
    expect(Array.from(a.rotated.data)).not.toEqual(Array.from(c.rotated.data));
    expect([a.rotated.rows, a.rotated.cols, a.meanRotated.length]).toEqual([7, 6, 7]);
    expect(a.fraction).toBe(a.meanRotated.filter((m) => m >= a.meanUnits).length / 7);
  });

  it('finds the unit basis special where each class has its own sparse unit, and not for a rotated one', () => {
    // One unit per class, firing (ReLU-like) for that class only: every unit has selectivity
    // near 1, and random rotations mix the classes. Rotating the activations first leaves
    // nothing special about the unit basis: its units are random directions themselves.
    const k = 4, n = 200;
    const lab = Array.from({ length: n }, (_, i) => i % k);
    const data = new Float64Array(n * k);
    for (let i = 0; i < n; i++) data[i * k + lab[i]!] = 1 + ((i * 7919) % 13) / 13;
    const sparse = { rows: n, cols: k, data };
    const special = units.isotropy(sparse, lab, { rotations: 40, seed: 1 });
    expect(special.meanUnits).toBeGreaterThan(0.99);
    expect(special.fraction).toBe(0);
    const Q = qr({ rows: k, cols: k, data: Float64Array.from({ length: k * k }, (_, i) => Math.sin(1 + i * 2.3)) }).Q;
    const turned = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) for (let l = 0; l < k; l++) turned[i * k + j]! += data[i * k + l]! * Q.data[l * k + j]!;
    const plain = units.isotropy({ rows: n, cols: k, data: turned }, lab, { rotations: 40, seed: 1 });
    expect(plain.fraction).toBeGreaterThan(0.1);
  });

  it('rejects one class and bad options', () => {
    expect(codeOf(() => units.isotropy([[1, 2], [3, 4]], [0, 0]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.isotropy([[1, 2], [3, 4]], [0, 1], { rotations: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.isotropy([[1, 2], [3, 4]], [0, 1], { rotation: 3 } as never))).toBe('INVALID_OPTION');
  });
});

describe('classProfile, selectivity, topActivating, rectifiedMean: small exact cases', () => {
  it('give the documented values', () => {
    expect(Array.from(units.classProfile([[1, 0], [3, 0], [0, 5]], [0, 0, 1]).data)).toEqual([2, 0, 0, 5]);
    expect(Array.from(units.selectivity([[2, 1], [0, 1], [4, 1], [0, 1]], [0, 1, 0, 1]))).toEqual([1, 0]);
    expect(Array.from(units.topActivating([[0.1], [0.9], [0.5]], 0, 2))).toEqual([1, 2]);
    expect(Array.from(units.rectifiedMean([[3], [1], [-2]], [[1, 0], [0, 1], [5, 5]], 0))).toEqual([0.75, 0.25]);
  });

  it('selectivity is Morcos et al.\'s index for ReLU units, and unchanged by a shift of a unit that never fires 0', () => {
    // Class means 1.5, 1, 1 from a floor of 0: (1.5 − 1) / (1.5 + 1) = 0.2.
    const A = [[3, 13], [0, 10], [1, 11], [1, 11], [2, 12], [0, 10]];
    const labels = [0, 0, 1, 1, 2, 2];
    const s = units.selectivity(A, labels);
    expect(s[0]).toBeCloseTo((1.5 - 1) / (1.5 + 1), 15);
    expect(s[1]).toBeCloseTo(s[0]!, 14);
  });

  it('topActivating keeps row order among equal activations and reads the right column', () => {
    expect(Array.from(units.topActivating([[5, 1], [7, 1], [5, 3], [7, 0]], 0, 4))).toEqual([1, 3, 0, 2]);
    expect(Array.from(units.topActivating([[5, 1], [7, 1], [5, 3], [7, 0]], 1, 1))).toEqual([2]);
  });

  it('rectifiedMean: below the threshold counts as zero; a unit that never fires gives zeros', () => {
    expect(Array.from(units.rectifiedMean([[3], [1], [-2]], [[1, 0], [0, 1], [5, 5]], 0, { threshold: 2 }))).toEqual([1, 0]);
    expect(Array.from(units.rectifiedMean([[-1], [0]], [[1, 2], [3, 4]], 0))).toEqual([0, 0]);
  });

  it('accepts float32 and never modifies the inputs', () => {
    const A = { rows: 3, cols: 2, data: new Float32Array([1, 0, 3, 0, 0, 5]) };
    const X = { rows: 3, cols: 1, data: new Float32Array([1, 2, 3]) };
    expect(Array.from(units.classProfile(A, [0, 0, 1]).data)).toEqual([2, 0, 0, 5]);
    expect(Array.from(units.rectifiedMean(A, X, 0))).toEqual([(1 + 6) / 4]);
    expect(Array.from(A.data)).toEqual([1, 0, 3, 0, 0, 5]);
    expect(Array.from(X.data)).toEqual([1, 2, 3]);
  });

  it('reject mismatched labels, missing classes and units out of range', () => {
    const A = [[1, 2], [3, 4], [5, 6]];
    expect(codeOf(() => units.classProfile(A, [0, 1]))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.classProfile(A, [0, 2, 2]))).toBe('INVALID_INPUT'); // class 1 has no rows
    expect(codeOf(() => units.classProfile(A, [0, 1.5, 1]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.classProfile(A, [0, -1, 1]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.selectivity(A, [0, 0, 0]))).toBe('INVALID_INPUT');
    expect(codeOf(() => units.topActivating(A, 2, 1))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.topActivating(A, 0, 4))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.rectifiedMean(A, [[1], [2]], 0))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => units.rectifiedMean(A, [[1], [2], [3]], 0, { threshold: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.rectifiedMean(A, [[1], [2], [3]], 0, { treshold: 1 } as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => units.classProfile([[1, NaN]], [0]))).toBe('NON_FINITE');
  });
});
