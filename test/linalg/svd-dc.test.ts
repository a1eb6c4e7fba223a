/**
 * Divide and conquer for the bidiagonal SVD (src/linalg/kernels/bidiagonal-dc.ts, LAPACK
 * dbdsdc), which `svd` uses from order 128 on. Against the implicit QR it replaces
 * (bidiagonalQR, still the leaves' solver) and against independent facts: B·vᵢ = σᵢ·uᵢ and
 * orthonormal vectors to a small multiple of n·u, values of constructed spectra. The
 * bidiagonals are chosen where the secular equation is hard: couplings that vanish at the
 * split points (deflation by tiny z), clustered and repeated values (close poles), exact
 * zeros, a graded spectrum down to 1e-15, and extreme scales. Sizes cross the leaf size
 * (25) and one or two levels of splitting. Like LAPACK's dbdsdc, divide and conquer is
 * accurate relative to ‖B‖ (the QR sweeps can be relatively accurate on graded bidiagonals,
 * but after the Householder bidiagonalisation of a full matrix only that bound holds).
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/index.js';
import { svd } from '../../src/linalg/svd.js';
import { qr } from '../../src/linalg/qr.js';
import { bidiagonalDC } from '../../src/linalg/kernels/bidiagonal-dc.js';
import { bidiagonalQR } from '../../src/linalg/kernels/bidiagonal.js';
import { setIdentity } from '../../src/linalg/kernels/givens.js';
import { jsRegion } from '../../src/linalg/kernels/resident.js';
import { fill, onBothBackends } from '../helpers/backends.js';
import { expectValidSvd, multiply, randomMatrix } from './decomposition-checks.js';

const U_EPS = Number.EPSILON;

interface Bidiagonal { d: Float64Array; e: Float64Array }

function make(n: number, seed: number, dOf: (i: number, r: number) => number, eOf: (i: number, r: number) => number): Bidiagonal {
  const r = fill(new Float64Array(2 * n), seed);
  return { d: Float64Array.from({ length: n }, (_, i) => dOf(i, r[i]!)), e: Float64Array.from({ length: n - 1 }, (_, i) => eOf(i, r[n + i]!)) };
}

// Every split point of the recursion for n (halves down to the leaf size), where a zero or
// tiny coupling makes the merge's z vanish.
function splitRows(n: number, lo = 0, out = new Set<number>()): Set<number> {
  if (n <= 25) return out;
  const k = n >> 1;
  out.add(lo + k);
  splitRows(k, lo, out);
  splitRows(n - k - 1, lo + k + 1, out);
  return out;
}

const cases: Record<string, (n: number, seed: number) => Bidiagonal> = {
  random: (n, s) => make(n, s, (_, r) => r, (_, r) => r),
  graded: (n, s) => make(n, s, (i, r) => 10 ** ((-15 * i) / n) * (1 + r / 10), (i, r) => 10 ** ((-15 * i) / n) * r),
  clustered: (n, s) => make(n, s, (_, r) => 1 + 1e-15 * r, () => 1e-13),
  repeated: (n, s) => make(n, s, (i) => (i % 2 ? 1 : 2), (i, r) => (i % 7 === 0 ? r : 0)),
  zeros: (n, s) => make(n, s, (i, r) => (i % 3 === 0 ? 0 : r), (i, r) => (i % 5 === 0 ? 0 : r)),
  'tiny couplings': (n, s) => {
    const splits = splitRows(n);
    return make(n, s, (_, r) => r, (i, r) => (splits.has(i) || splits.has(i + 1) ? 1e-18 * r : r));
  },
  'close poles': (n, s) => make(n, s, (i, r) => 1 + (i % 4) * 1e-16 + 1e-17 * r, (_, r) => 1e-9 * r),
  'all zero': (n) => make(n, 1, () => 0, () => 0),
  tiny: (n, s) => make(n, s, (_, r) => 1e-300 * r, (_, r) => 1e-300 * r),
  huge: (n, s) => make(n, s, (_, r) => 1e300 * r, (_, r) => 1e300 * r),
};

interface Solved { s: Float64Array; U: Float64Array; V: Float64Array }

function solveDC(n: number, { d, e }: Bidiagonal): Solved {
  const s = d.slice(), U = new Float64Array(n * n), V = new Float64Array(n * n);
  bidiagonalDC(n, s, e.slice(), U, V, n);
  return { s, U, V };
}

// The reference on B scaled to unit size by a power of two (exact), as svd scales its
// input: unscaled, QR's rotations lose accuracy near the underflow threshold.
function solveQR(n: number, B: Bidiagonal): Solved {
  const f = 2 ** -Math.round(Math.log2(norm(B) || 1));
  const s = B.d.map((x) => x * f), U = new Float64Array(n * n), V = new Float64Array(n * n);
  setIdentity(n, U, 0, n);
  setIdentity(n, V, 0, n);
  bidiagonalQR(n, s, B.e.map((x) => x * f), jsRegion(U), jsRegion(V), n);
  return { s: s.map((x) => x / f), U, V };
}

const norm = ({ d, e }: Bidiagonal): number => Math.max(...d.map(Math.abs), ...e.map(Math.abs));

// max |B·vᵢ − σᵢ·uᵢ| and max |XXᵀ − I| for X = Ut and Vt (vectors as rows).
function residual(n: number, { d, e }: Bidiagonal, { s, U, V }: Solved): number {
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const bv = d[j]! * V[i * n + j]! + (j < n - 1 ? e[j]! * V[i * n + j + 1]! : 0);
      r = Math.max(r, Math.abs(bv - s[i]! * U[i * n + j]!));
    }
  }
  return r;
}

function orthogonality(n: number, X: Float64Array): number {
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let c = 0; c < n; c++) t += X[i * n + c]! * X[j * n + c]!;
      r = Math.max(r, Math.abs(t - (i === j ? 1 : 0)));
    }
  }
  return r;
}

const sortedDown = (s: Float64Array): number[] => Array.from(s).sort((a, b) => b - a);

describe('bidiagonalDC against the implicit QR', () => {
  for (const [name, build] of Object.entries(cases)) {
    it(`${name}: residual, orthogonality and values to a small multiple of n·u`, () => {
      // dlasd2's deflation tolerance is 64·u·‖B‖ per deflated pair: hence 16·n·u, not 4.
      for (const n of [26, 27, 52, 53, 131]) {
        const B = build(n, n);
        const dc = solveDC(n, B), ref = solveQR(n, B);
        const scale = norm(B), tol = 16 * n * U_EPS;
        expect(residual(n, B, dc)).toBeLessThanOrEqual(tol * scale);
        expect(orthogonality(n, dc.U)).toBeLessThanOrEqual(tol);
        expect(orthogonality(n, dc.V)).toBeLessThanOrEqual(tol);
        const a = sortedDown(dc.s), b = sortedDown(ref.s);
        for (let i = 0; i < n; i++) {
          expect(a[i]!).toBeGreaterThanOrEqual(0);
          expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * scale);
        }
        if (name === 'all zero') expect(a.every((x) => x === 0)).toBe(true);
      }
    });
  }
});

// A (m × n) = Q₁·diag(σ)·Q₂ᵀ with orthonormal Q₁, Q₂ from QR factorisations of random matrices.
function withSpectrum(m: number, n: number, sigma: number[], seed: number): Matrix<Float64Array> {
  const Q1 = qr(randomMatrix(m, n, seed)).Q, Q2 = qr(randomMatrix(n, n, seed + 1)).Q;
  const S = { rows: n, cols: n, data: new Float64Array(n * n) };
  sigma.forEach((x, i) => (S.data[i * n + i] = x));
  return multiply(multiply(Q1, S), Q2, false, true);
}

describe('svd through divide and conquer (order ≥ 128)', () => {
  const n = 150;
  const spectra: Record<string, number[]> = {
    'graded, condition 1e12': Array.from({ length: n }, (_, i) => 10 ** ((-12 * i) / (n - 1))),
    'graded, condition 1e15': Array.from({ length: n }, (_, i) => 10 ** ((-15 * i) / (n - 1))),
    clustered: Array.from({ length: n }, (_, i) => 1 + 1e-14 * (n - i)),
    'repeated, rank-deficient': Array.from({ length: n }, (_, i) => (i < 50 ? 1 : i < 100 ? 1e-8 : 0)),
  };
  for (const [name, sigma] of Object.entries(spectra)) {
    it(`${name}: a valid SVD with the constructed values, at tiny and huge scales too`, () => {
      for (const scale of [1, 1e-300, 1e300]) {
        const A = withSpectrum(200, n, sigma.map((x) => x * scale), 7);
        const res = svd(A);
        expectValidSvd(A, res, 1e-14);
        // The matrix's own rounding (about n·u·σ₁ after the two products) bounds what any
        // backward-stable solver can recover.
        for (let i = 0; i < n; i++) expect(Math.abs(res.s[i]! - sigma[i]! * scale)).toBeLessThanOrEqual(4 * n * U_EPS * scale);
      }
    });
  }

  it('gives the same bits on both backends (tall, wide and square)', () => {
    for (const [m, c] of [[300, 140], [140, 500], [260, 260]] as const) {
      const A = randomMatrix(m, c, m + c);
      const [js, wasm] = onBothBackends(() => svd(A));
      expect(wasm.s).toEqual(js.s);
      expect(wasm.U.data).toEqual(js.U.data);
      expect(wasm.V.data).toEqual(js.V.data);
    }
  });
});
