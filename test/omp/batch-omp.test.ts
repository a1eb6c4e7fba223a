// The Batch-OMP kernel gives the same bits on both backends (supports, weights and atom
// counts), over atom counts around the SIMD width (2), the four-row passes and the 64-row
// Cholesky factor, with and without a tolerance, duplicated atoms, offsets; and OMP's
// calls keep the WebAssembly memory flat.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { kernels, setKernels } from '../../src/linalg/backend.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import * as omp from '../../src/omp/index.js';
import { initSync, memoryBytes, reset, useBackend, wasmKernels } from '../../src/wasm/index.js';
import { probe } from '../helpers/memory.js';

afterAll(() => setKernels(undefined));

interface Problem {
  n: number;
  m: number;
  G: Float64Array;
  B: Float64Array;
  norms: Float64Array;
}

/**
 * n unit atoms of f features (some repeated when `dup`), m signals of a few atoms times
 * `scale`, plus noise of standard deviation `noise`: G = DDᵀ, B = XDᵀ, ‖x‖².
 */
function problem(n: number, f: number, m: number, dup: boolean, seed: number, scale = 1, noise = 0.01): Problem {
  const random = new Random(seed);
  const D = new Float64Array(n * f);
  for (let a = 0; a < n; a++) {
    const row = D.subarray(a * f, (a + 1) * f);
    random.fillNormal(row);
    const r = 1 / Math.hypot(...row);
    for (let j = 0; j < f; j++) row[j]! *= r;
  }
  if (dup && n > 2) D.copyWithin(0, (n - 1) * f, n * f);
  const X = new Float64Array(m * f);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < 1 + (i % 6); c++) {
      const a = Math.floor(random.uniform() * n), w = scale * random.normal();
      for (let j = 0; j < f; j++) X[i * f + j]! += w * D[a * f + j]!;
    }
    for (let j = 0; j < f; j++) X[i * f + j]! += noise * random.normal();
  }
  const G = new Float64Array(n * n), B = new Float64Array(m * n), norms = new Float64Array(m);
  const dot = (x: Float64Array, p: number, y: Float64Array, q: number): number => {
    let s = 0;
    for (let j = 0; j < f; j++) s += x[p + j]! * y[q + j]!;
    return s;
  };
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) G[a * n + b] = dot(D, a * f, D, b * f);
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < n; a++) B[i * n + a] = dot(X, i * f, D, a * f);
    norms[i] = dot(X, i * f, X, i * f);
  }
  return { n, m, G, B, norms };
}

/** Runs the kernel with every operand at offset `off` (padding before it), returns the outputs per signal. */
function run(K: Kernels, p: Problem, maxAtoms: number, tol: number, off: number): { nIter: number[]; support: number[][]; gamma: number[][] } {
  const { n, m } = p;
  const pad = <T extends Float64Array | Int32Array>(a: T, Ctor: new (k: number) => T): T => {
    const out = new Ctor(a.length + off);
    out.set(a, off);
    return out;
  };
  const G = pad(p.G, Float64Array), B = pad(p.B, Float64Array), norms = pad(p.norms, Float64Array);
  const support = new Int32Array(off + m * maxAtoms), gamma = new Float64Array(off + m * maxAtoms), nIter = new Int32Array(off + m);
  K.batchOmp(m, n, maxAtoms, tol, G, off, B, off, tol < 0 ? null : norms, off, support, off, gamma, off, nIter, off);
  const k = Array.from(nIter.subarray(off));
  const rows = <T extends Int32Array | Float64Array>(a: T): number[][] => k.map((c, s) => Array.from(a.subarray(off + s * maxAtoms, off + s * maxAtoms + c)));
  return { nIter: k, support: rows(support), gamma: rows(gamma) };
}

/** Whether γ solves G[S, S]·γ = b[S] for every signal (OMP's least-squares weights), to 1e-6 relative. */
function leastSquares(p: Problem, r: ReturnType<typeof run>): boolean {
  return r.support.every((S, s) => S.every((a, t) => {
    let lhs = 0;
    S.forEach((c, u) => (lhs += p.G[a * p.n + c]! * r.gamma[s]![u]!));
    return Math.abs(lhs - p.B[s * p.n + a]!) <= 1e-6 * (1 + Math.abs(p.B[s * p.n + a]!)) && t < p.n;
  }));
}

describe('Batch-OMP kernel', () => {
  it('WebAssembly equals TypeScript bit for bit over sizes, stopping rules and offsets', () => {
    const W = wasmKernels();
    fc.assert(fc.property(
      fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 66, 67), fc.integer({ min: 1, max: 140 })),
      fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 90 }),
      fc.constantFrom(-1, 0, 1e-4, 0.5), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.nat(),
      // Exact combinations of atoms far from unit scale: once a signal is explained, its
      // correlations are rounding noise above the ε stop, the chosen atoms' among them.
      fc.constantFrom(1, 1, 2 ** 30, 2 ** -30), fc.nat(),
      (n, f, m, atoms, tol, dup, off, seed, scale, noisy) => {
        const p = problem(n, f, m, dup, seed, scale, scale === 1 || noisy % 2 === 0 ? 0.01 * scale : 0);
        const maxAtoms = Math.min(atoms, n, f);
        const a = run(jsKernels, p, maxAtoms, tol, off), b = run(W, p, maxAtoms, tol, off);
        expect(b.nIter).toEqual(a.nIter);
        expect(b.support).toEqual(a.support);
        expect(b.gamma.flat().map((v) => Object.is(v, -0) ? '-0' : v)).toEqual(a.gamma.flat().map((v) => Object.is(v, -0) ? '-0' : v));
        expect(leastSquares(p, a)).toBe(true);
        expect(a.nIter.every((k) => k <= maxAtoms)).toBe(true);
      },
    ), { numRuns: 200 });
  });

  it('signals of more than 64 atoms: the factor grows (TypeScript) or the block runs again with more room (WebAssembly)', () => {
    reset(); // a fresh instance, whose room for the factor starts at 64 rows
    const p = problem(150, 120, 5, false, 7);
    const a = run(jsKernels, p, 110, 0, 1), b = run(wasmKernels(), p, 110, 0, 1);
    expect(Math.max(...a.nIter)).toBeGreaterThan(64);
    expect(b).toEqual(a);
    expect(leastSquares(p, a)).toBe(true);
  });

  it('stops a signal at a dependent atom and at an uncorrelated residual, as the reference does', () => {
    // Two equal atoms, and correlations that G does not explain: after atom 0 (weight 2), atom
    // 1 is the most correlated with the residual but dependent on atom 0 (pivot 0); a zero
    // signal takes no atom.
    const G = new Float64Array([1, 1, 1, 1]), B = new Float64Array([2, 1, 0, 0]);
    for (const K of [jsKernels, wasmKernels()]) {
      const support = new Int32Array(4), gamma = new Float64Array(4), nIter = new Int32Array(2);
      K.batchOmp(2, 2, 2, -1, G, 0, B, 0, null, 0, support, 0, gamma, 0, nIter, 0);
      expect(Array.from(nIter)).toEqual([1, 0]);
      expect([support[0], gamma[0]]).toEqual([0, 2]);
    }
  });
});

describe('OMP and the WebAssembly memory', () => {
  it('many encode and encodeGram calls leave the memory flat', () => {
    initSync();
    useBackend('wasm');
    const random = new Random(5);
    const dict = new Float64Array(40 * 30);
    random.fillNormal(dict);
    for (let a = 0; a < 40; a++) {
      const row = dict.subarray(a * 30, (a + 1) * 30);
      const r = 1 / Math.hypot(...row);
      for (let j = 0; j < 30; j++) row[j]! *= r;
    }
    const X = { rows: 500, cols: 30, data: new Float64Array(500 * 30) };
    random.fillNormal(X.data);
    const p = problem(40, 30, 300, false, 3);
    const DX = { rows: 40, cols: 300, data: new Float64Array(40 * 300) };
    for (let i = 0; i < 300; i++) for (let a = 0; a < 40; a++) DX.data[a * 300 + i] = p.B[i * 40 + a]!;
    const call = (r: number): void => {
      omp.encode({ rows: 40, cols: 30, data: dict }, X, r % 2 === 0 ? { nNonzero: 6, returnSparse: true } : { tol: 1, nNonzero: 30 });
      omp.encodeGram({ rows: 40, cols: 40, data: p.G }, DX, { tol: 1e-3, norms: p.norms });
    };
    call(0);
    call(1);
    // Memory grown by an earlier test could hide a leak: the first free address shows it.
    const bytes = memoryBytes(), first = probe();
    for (let r = 0; r < 200; r++) call(r);
    expect(memoryBytes()).toBe(bytes);
    expect(probe()).toBe(first);
  });
});
