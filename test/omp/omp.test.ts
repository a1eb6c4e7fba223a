import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import { gram, matmul } from '../../src/linalg/index.js';
import * as omp from '../../src/omp/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { codeOf } from '../helpers/errors.js';

interface OmpCase {
  name: string;
  D: number[][];
  X: number[][];
  nNonzero: number | null;
  tol: number | null;
  codes: number[][];
  plainCodes: number[][];
}
interface LassoCase {
  name: string;
  D: number[][];
  X: number[][];
  alpha: number;
  codes: number[][];
  nIter: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/omp/sklearn.json', import.meta.url), 'utf8')) as {
  omp: OmpCase[];
  lasso: LassoCase[];
};

/** A random dictionary (nAtoms, nFeatures) with unit-norm rows. */
function dictionary(nAtoms: number, nFeatures: number, seed: number): Matrix<Float64Array> {
  const data = fill(new Float64Array(nAtoms * nFeatures), seed);
  for (let i = 0; i < nAtoms; i++) {
    let s = 0;
    for (let j = 0; j < nFeatures; j++) s += data[i * nFeatures + j]! ** 2;
    const r = 1 / Math.sqrt(s);
    for (let j = 0; j < nFeatures; j++) data[i * nFeatures + j]! *= r;
  }
  return { rows: nAtoms, cols: nFeatures, data };
}

/** Signals made of k distinct atoms each, weights ±[1, 2); returns X and the supports. */
function sparseSignals(D: Matrix<Float64Array>, nSamples: number, k: number, seed: number): { X: Matrix<Float64Array>; supports: number[][] } {
  const u = fill(new Float64Array(nSamples * k * 3), seed);
  const X = new Float64Array(nSamples * D.cols);
  const supports: number[][] = [];
  let p = 0;
  for (let i = 0; i < nSamples; i++) {
    const s: number[] = [];
    while (s.length < k) {
      const a = Math.floor(((u[p++ % u.length]! + 1) / 2) * D.rows + s.length * 7 + i) % D.rows;
      if (!s.includes(a)) s.push(a);
    }
    for (const a of s) {
      const r = u[p++ % u.length]!;
      const w = (r < 0 ? -1 : 1) * (1 + Math.abs(r));
      for (let j = 0; j < D.cols; j++) X[i * D.cols + j]! += w * D.data[a * D.cols + j]!;
    }
    supports.push(s.sort((a, b) => a - b));
  }
  return { X: { rows: nSamples, cols: D.cols, data: X }, supports };
}

function supportOf(codes: Matrix, i: number): number[] {
  const s: number[] = [];
  for (let j = 0; j < codes.cols; j++) if (codes.data[i * codes.cols + j] !== 0) s.push(j);
  return s;
}

/** Least squares min ‖x − D_Sᵀc‖ by the normal equations and Gaussian elimination (independent of the library). */
function leastSquares(D: Matrix, x: ArrayLike<number>, S: number[]): number[] {
  const k = S.length;
  const A = S.map((a) => S.map((b) => dotRows(D, a, D, b)));
  const y = S.map((a) => {
    let s = 0;
    for (let j = 0; j < D.cols; j++) s += D.data[a * D.cols + j]! * x[j]!;
    return s;
  });
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    [y[c], y[piv]] = [y[piv]!, y[c]!];
    for (let r = c + 1; r < k; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let t = c; t < k; t++) A[r]![t]! -= f * A[c]![t]!;
      y[r]! -= f * y[c]!;
    }
  }
  const out = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let t = r + 1; t < k; t++) s -= A[r]![t]! * out[t]!;
    out[r] = s / A[r]![r]!;
  }
  return out;
}

function dotRows(A: Matrix, i: number, B: Matrix, j: number): number {
  let s = 0;
  for (let t = 0; t < A.cols; t++) s += A.data[i * A.cols + t]! * B.data[j * B.cols + t]!;
  return s;
}

/** r = x − Dᵀc for signal i. */
function residual(D: Matrix, X: Matrix, codes: Matrix, i: number): Float64Array {
  const r = Float64Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  for (let a = 0; a < D.rows; a++) {
    const c = codes.data[i * codes.cols + a]!;
    if (c !== 0) for (let j = 0; j < D.cols; j++) r[j]! -= c * D.data[a * D.cols + j]!;
  }
  return r;
}

function flat(rows: number[][]): number[] {
  return rows.flat();
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(backendNames)('omp on the %s backend', (backend) => {
  useBackendFor(backend);

  describe('scikit-learn reference (test/fixtures/omp/make_fixtures.py)', () => {
    for (const c of fixture.omp) {
      it(`encode matches orthogonal_mp_gram and orthogonal_mp: ${c.name}`, () => {
        const opts = { ...(c.nNonzero === null ? {} : { nNonzero: c.nNonzero }), ...(c.tol === null ? {} : { tol: c.tol }) };
        const r = omp.encode(c.D, c.X, opts);
        expect(r.codes.rows).toBe(c.X.length);
        expect(r.codes.cols).toBe(c.D.length);
        expect(maxAbsDiff(r.codes.data, flat(c.codes))).toBeLessThan(1e-10);
        expect(maxAbsDiff(r.codes.data, flat(c.plainCodes))).toBeLessThan(1e-10);
        expect(r.clipped).toBe(false);
        for (let i = 0; i < c.X.length; i++) expect(r.nIter[i]).toBe(c.codes[i]!.filter((v) => v !== 0).length);
      });
    }
    for (const c of fixture.lasso) {
      it(`lasso matches Lasso(fit_intercept=False): ${c.name}`, () => {
        const r = omp.lasso(c.D, c.X, { alpha: c.alpha, tol: 1e-12, maxIter: 100000 });
        expect(maxAbsDiff(r.codes.data, flat(c.codes))).toBeLessThan(1e-6);
        expect(Array.from(r.converged)).toEqual(c.X.map(() => 1));
      });
    }
  });

  it('recovers the exact support of noiseless signals of k atoms (incoherent dictionary)', () => {
    for (const [nAtoms, nFeatures, k, seed] of [[50, 100, 3, 1], [30, 80, 2, 2], [64, 128, 4, 3]] as const) {
      const D = dictionary(nAtoms, nFeatures, seed);
      const { X, supports } = sparseSignals(D, 20, k, seed + 100);
      const r = omp.encode(D, X, { nNonzero: k, returnSparse: true });
      for (let i = 0; i < X.rows; i++) {
        expect(supportOf(r.codes, i)).toEqual(supports[i]);
        expect(r.nIter[i]).toBe(k);
        // noiseless: the signal is rebuilt exactly
        expect(Math.max(...residual(D, X, r.codes, i).map(Math.abs))).toBeLessThan(1e-10);
      }
      // with tol instead of nNonzero, the same support is found
      const t = omp.encode(D, X, { tol: 1e-20 });
      for (let i = 0; i < X.rows; i++) expect(supportOf(t.codes, i)).toEqual(supports[i]);
    }
  });

  it('gives least-squares weights on the chosen support, with a residual orthogonal to the chosen atoms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1e6 }), (nAtoms, nFeatures, nNonzero, seed) => {
        const D = dictionary(nAtoms, nFeatures, seed);
        const X: Matrix<Float64Array> = { rows: 3, cols: nFeatures, data: fill(new Float64Array(3 * nFeatures), seed + 1) };
        const r = omp.encode(D, X, { nNonzero });
        expect(r.clipped).toBe(nNonzero > Math.min(nAtoms, nFeatures));
        for (let i = 0; i < X.rows; i++) {
          const S = supportOf(r.codes, i);
          expect(S.length).toBe(r.nIter[i]);
          expect(S.length).toBeLessThanOrEqual(Math.min(nNonzero, nAtoms, nFeatures));
          const ls = leastSquares(D, X.data.subarray(i * nFeatures), S);
          S.forEach((a, t) => expect(Math.abs(r.codes.data[i * nAtoms + a]! - ls[t]!)).toBeLessThan(1e-10));
          const res = residual(D, X, r.codes, i);
          const rr: Matrix = { rows: 1, cols: nFeatures, data: res };
          for (const a of S) expect(Math.abs(dotRows(D, a, rr, 0))).toBeLessThan(1e-10);
        }
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('stops at tol: the squared residual norm is at most tol unless the atoms ran out', () => {
    const D = dictionary(40, 20, 7);
    const X: Matrix<Float64Array> = { rows: 10, cols: 20, data: fill(new Float64Array(200), 8) };
    for (const tol of [2, 0.5, 0.05]) {
      const r = omp.encode(D, X, { tol });
      for (let i = 0; i < X.rows; i++) {
        const rr = residual(D, X, r.codes, i).reduce((s, v) => s + v * v, 0);
        if (r.nIter[i]! < 20) expect(rr).toBeLessThanOrEqual(tol * (1 + 1e-9));
        // one atom fewer would not have been enough: the stop is the first that meets tol
        if (r.nIter[i]! > 1) {
          const xi: Matrix<Float64Array> = { rows: 1, cols: 20, data: X.data.slice(i * 20, (i + 1) * 20) };
          const fewer = omp.encode(D, xi, { nNonzero: r.nIter[i]! - 1 });
          expect(residual(D, xi, fewer.codes, 0).reduce((s, v) => s + v * v, 0)).toBeGreaterThan(tol);
        }
      }
      // with both options, the first stop wins
      const both = omp.encode(D, X, { tol, nNonzero: 2 });
      for (let i = 0; i < X.rows; i++) expect(both.nIter[i]).toBeLessThanOrEqual(Math.min(2, r.nIter[i]!));
    }
  });

  it('agrees between the plain and the Gram path', () => {
    const D = dictionary(33, 17, 11);
    const X: Matrix<Float64Array> = { rows: 9, cols: 17, data: fill(new Float64Array(9 * 17), 12) };
    const G = gram(D, { outer: true });
    const DX = matmul(D, X, { transB: true });
    const norms = Array.from({ length: 9 }, (_, i) => X.data.subarray(i * 17, (i + 1) * 17).reduce((s, v) => s + v * v, 0));
    for (const opts of [{ nNonzero: 4 }, { tol: 0.3 }, { tol: 0.01, nNonzero: 6 }]) {
      const a = omp.encode(D, X, opts);
      const b = omp.encodeGram(G, DX, { ...opts, norms });
      expect(maxAbsDiff(a.codes.data, b.codes.data)).toBeLessThan(1e-12);
      expect(Array.from(a.nIter)).toEqual(Array.from(b.nIter));
    }
  });

  it('returns CSR codes equal to the dense ones', () => {
    const D = dictionary(20, 10, 21);
    const X: Matrix<Float64Array> = { rows: 5, cols: 10, data: fill(new Float64Array(50), 22) };
    const r = omp.encode(D, X, { nNonzero: 3, returnSparse: true });
    const s = r.sparse!;
    expect([s.rows, s.cols]).toEqual([5, 20]);
    expect(s.indptr.length).toBe(6);
    const dense = new Float64Array(100);
    for (let i = 0; i < 5; i++) {
      expect(s.indptr[i + 1]! - s.indptr[i]!).toBe(r.nIter[i]);
      for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) {
        if (p > s.indptr[i]!) expect(s.indices[p]!).toBeGreaterThan(s.indices[p - 1]!);
        dense[i * 20 + s.indices[p]!] = s.values[p]!;
      }
    }
    expect(Array.from(dense)).toEqual(Array.from(r.codes.data));
    expect(omp.encode(D, X, { nNonzero: 3 }).sparse).toBeUndefined();
  });

  it('stops early without NaN on nearly dependent atoms', () => {
    // duplicated and nearly duplicated atoms
    const base = dictionary(6, 5, 31);
    const data = new Float64Array(9 * 5);
    data.set(base.data);
    data.set(base.data.subarray(0, 5), 30); // atom 6 = atom 0
    for (let j = 0; j < 5; j++) data[35 + j] = base.data[5 + j]! + (j === 0 ? 1e-12 : 0); // atom 7 ≈ atom 1
    data.set(base.data.subarray(10, 15), 40); // atom 8 = atom 2
    const D = dictionary(9, 5, 1);
    D.data.set(data);
    for (let i = 0; i < 9; i++) {
      let s = 0;
      for (let j = 0; j < 5; j++) s += D.data[i * 5 + j]! ** 2;
      for (let j = 0; j < 5; j++) D.data[i * 5 + j]! /= Math.sqrt(s);
    }
    const X: Matrix<Float64Array> = { rows: 6, cols: 5, data: fill(new Float64Array(30), 32) };
    for (const opts of [{ nNonzero: 9 }, { tol: 0 }]) {
      const r = omp.encode(D, X, opts);
      expect(r.codes.data.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < 6; i++) expect(r.nIter[i]).toBeLessThanOrEqual(5);
    }
    // an inconsistent DX that asks for an atom dependent on the chosen one: the Cholesky
    // pivot is zero, so the signal stops after one atom
    const g = omp.encodeGram([[1, 1], [1, 1]], [[2], [1]], { nNonzero: 2 });
    expect(Array.from(g.nIter)).toEqual([1]);
    expect(Array.from(g.codes.data)).toEqual([2, 0]);
  });

  it('codes the zero signal with no atoms', () => {
    const D = dictionary(8, 4, 41);
    const r = omp.encode(D, [[0, 0, 0, 0]], { nNonzero: 3 });
    expect(Array.from(r.nIter)).toEqual([0]);
    expect(Array.from(r.codes.data)).toEqual(new Array(8).fill(0));
  });

  it('does not modify the caller\'s arrays', () => {
    const D = dictionary(12, 6, 51);
    const X: Matrix<Float64Array> = { rows: 4, cols: 6, data: fill(new Float64Array(24), 52) };
    const G = gram(D, { outer: true });
    const DX = matmul(D, X, { transB: true });
    const norms = new Float64Array([1, 2, 3, 4]);
    const copies = [D.data, X.data, G.data, DX.data, norms].map((a) => Array.from(a));
    omp.encode(D, X, { tol: 0.1, nNonzero: 3, returnSparse: true });
    omp.encodeGram(G, DX, { tol: 0.1, norms });
    omp.lasso(D, X, { alpha: 0.01 });
    expect([D.data, X.data, G.data, DX.data, norms].map((a) => Array.from(a))).toEqual(copies);
  });

  it('agrees between CSR, dense and the Gram path past four atoms and past a 64-atom factor', () => {
    // k > 4 takes several passes over the atoms per update; k > 64 grows the Cholesky factor
    const D = dictionary(150, 100, 71);
    const X: Matrix<Float64Array> = { rows: 7, cols: 100, data: fill(new Float64Array(700), 72) };
    const G = gram(D, { outer: true });
    const DX = matmul(D, X, { transB: true });
    const norms = Array.from({ length: 7 }, (_, i) => X.data.subarray(i * 100, (i + 1) * 100).reduce((s, v) => s + v * v, 0));
    for (const [opts, atLeast] of [[{ nNonzero: 9 }, 9], [{ tol: 1e-6 }, 65], [{ nNonzero: 80 }, 80]] as const) {
      const r = omp.encode(D, X, { ...opts, returnSparse: true });
      const g = omp.encodeGram(G, DX, { ...opts, norms, returnSparse: true });
      expect(Array.from(g.codes.data)).toEqual(Array.from(r.codes.data));
      expect(Array.from(g.nIter)).toEqual(Array.from(r.nIter));
      expect(Math.max(...r.nIter)).toBeGreaterThanOrEqual(atLeast);
      const s = r.sparse!;
      const dense = new Float64Array(7 * 150);
      for (let i = 0; i < 7; i++) {
        for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) {
          if (p > s.indptr[i]!) expect(s.indices[p]!).toBeGreaterThan(s.indices[p - 1]!);
          dense[i * 150 + s.indices[p]!] = s.values[p]!;
        }
      }
      expect(Array.from(dense)).toEqual(Array.from(r.codes.data));
      for (let i = 0; i < 7; i++) {
        const S = supportOf(r.codes, i);
        const ls = leastSquares(D, X.data.subarray(i * 100), S);
        S.forEach((a, t) => expect(Math.abs(r.codes.data[i * 150 + a]! - ls[t]!)).toBeLessThan(1e-8));
      }
    }
  });

  it('makes no typed arrays per signal or per atom on a warm call, only its results', () => {
    // Deterministic: counts typed arrays constructed and views taken (subarray) during a call.
    // Scratch is kept between calls, so a warm call makes codes, nIter and the CSR arrays
    // (indptr, indices, values), plus the few views the WebAssembly kernels copy through,
    // however many signals and atoms it codes.
    const D = dictionary(32, 24, 81);
    const count = (rows: number, nNonzero: number): number => {
      const X: Matrix<Float64Array> = { rows, cols: 24, data: fill(new Float64Array(rows * 24), 82) };
      const call = () => omp.encode(D, X, { nNonzero, returnSparse: true });
      call(); // warm: scratch sized
      return typedArraysMadeBy(call);
    };
    const small = count(20, 2);
    expect(small).toBeLessThanOrEqual(backend === 'js' ? 5 : 12);
    expect(count(600, 6)).toBe(small);
  });
});

/** How many typed arrays `f` constructs (any way) or views it takes with subarray. */
function typedArraysMadeBy(f: () => void): number {
  let made = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  const names = ['Float64Array', 'Float32Array', 'Int32Array', 'Uint8Array', 'Uint32Array'];
  const saved = names.map((k) => g[k] as new (...args: unknown[]) => unknown);
  const proto = Object.getPrototypeOf(Float64Array.prototype) as { subarray: (...args: unknown[]) => unknown };
  const subarray = proto.subarray;
  try {
    names.forEach((k, i) => {
      g[k] = new Proxy(saved[i]!, {
        construct(target, args, newTarget) {
          made++;
          return Reflect.construct(target, args, newTarget) as object;
        },
      });
    });
    proto.subarray = function (this: unknown, ...args: unknown[]) {
      made++;
      return subarray.apply(this, args);
    };
    f();
  } finally {
    names.forEach((k, i) => {
      g[k] = saved[i];
    });
    proto.subarray = subarray;
  }
  return made;
}

describe('validation', () => {
  const D = [[1, 0], [0, 1], [0.6, 0.8]];
  const X = [[1, 2]];
  it('requires nNonzero or tol', () => {
    expect(codeOf(() => omp.encode(D, X))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, X, {}))).toBe('INVALID_OPTION');
    expect(() => omp.encode(D, X)).toThrow(/nNonzero.*tol/);
    expect(codeOf(() => omp.encodeGram([[1]], [[1]], {}))).toBe('INVALID_OPTION');
  });
  it('checks option ranges', () => {
    expect(codeOf(() => omp.encode(D, X, { nNonzero: 0 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, X, { nNonzero: 1.5 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, X, { tol: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, X, { nNonzero: 1, returnSparse: 'yes' as unknown as boolean }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, X, null as unknown as omp.EncodeOptions))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.lasso(D, X, {}))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.lasso(D, X, { alpha: -1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.lasso(D, X, { alpha: 1, maxIter: 0 }))).toBe('INVALID_OPTION');
  });
  it('clips nNonzero to min(nFeatures, nAtoms) and says so', () => {
    const r = omp.encode(D, X, { nNonzero: 5 });
    expect(r.clipped).toBe(true);
    expect(r.nIter[0]).toBeLessThanOrEqual(2);
    expect(omp.encode(D, X, { nNonzero: 2 }).clipped).toBe(false);
    expect(omp.encodeGram([[1, 0], [0, 1]], [[1], [1]], { nNonzero: 3 }).clipped).toBe(true);
  });
  it('asks for unit-norm atoms', () => {
    expect(codeOf(() => omp.encode([[1, 1]], X, { nNonzero: 1 }))).toBe('INVALID_INPUT');
    expect(() => omp.encode([[1, 1]], X, { nNonzero: 1 })).toThrow(/normalise/);
    expect(codeOf(() => omp.lasso([[2, 0]], X, { alpha: 0.1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => omp.encode([[1 + 1e-9, 0]], X, { nNonzero: 1 }))).toBeUndefined();
  });
  it('checks shapes and the norms of encodeGram', () => {
    expect(codeOf(() => omp.encode(D, [[1, 2, 3]], { nNonzero: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => omp.lasso(D, [[1, 2, 3]], { alpha: 0.1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => omp.encodeGram([[1, 0]], [[1]], { nNonzero: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => omp.encodeGram([[1, 0], [0, 1]], [[1]], { nNonzero: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => omp.encodeGram([[1, 0], [0, 1]], [[1], [1]], { tol: 0.1 }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encodeGram([[1, 0], [0, 1]], [[1], [1]], { tol: 0.1, norms: [1, 2] }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encodeGram([[1, 0], [0, 1]], [[1], [1]], { tol: 0.1, norms: [-1] }))).toBe('INVALID_OPTION');
    expect(codeOf(() => omp.encode(D, [[NaN, 1]], { nNonzero: 1 }))).toBe('NON_FINITE');
  });
  it('runs the TSDoc examples', () => {
    expect(Array.from(omp.encode([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 3, 0.5]], { nNonzero: 1 }).codes.data)).toEqual([0, 3, 0]);
    expect(Array.from(omp.encodeGram([[1, 0], [0, 1]], [[0.5], [2]], { tol: 0.3, norms: [4.25] }).codes.data)).toEqual([0, 2]);
    expect(Array.from(omp.lasso([[1, 0], [0, 1]], [[3, 0.5]], { alpha: 0.5 }).codes.data)).toEqual([2, 0]);
  });
});
