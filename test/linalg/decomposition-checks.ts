// Reference computations for the decomposition tests, written independently of the
// library (plain triple loops), so that a bug in a kernel cannot hide in its own check.
import { expect } from 'vitest';
import { LatentSpaceError, type Matrix } from '../../src/core/index.js';
import { fill } from '../helpers/backends.js';

/** A (rows × cols) float64 matrix with entries in [-1, 1). */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  return { rows, cols, data: fill(new Float64Array(rows * cols), seed) };
}

/** A random symmetric (n × n) matrix. */
export function randomSymmetric(n: number, seed: number): Matrix<Float64Array> {
  const A = randomMatrix(n, n, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A.data[i * n + j] = A.data[j * n + i]!;
  return A;
}

/** A·B, or with transposes. */
export function multiply(A: Matrix, B: Matrix, transA = false, transB = false): Matrix<Float64Array> {
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols;
  const n = transB ? B.rows : B.cols;
  const a = (i: number, p: number): number => (transA ? A.data[p * A.cols + i]! : A.data[i * A.cols + p]!);
  const b = (p: number, j: number): number => (transB ? B.data[j * B.cols + p]! : B.data[p * B.cols + j]!);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
      out[i * n + j] = s;
    }
  }
  return { rows: m, cols: n, data: out };
}

/** U·diag(s)·Vᵀ. */
export function reconstruct(U: Matrix, s: ArrayLike<number>, V: Matrix): Matrix<Float64Array> {
  const US = { rows: U.rows, cols: U.cols, data: Float64Array.from(U.data, (x, p) => x * s[p % U.cols]!) };
  return multiply(US, V, false, true);
}

/** max |Aᵢⱼ − Bᵢⱼ| (shapes must agree). */
export function maxAbsDiff(A: Matrix, B: Matrix): number {
  expect([A.rows, A.cols]).toEqual([B.rows, B.cols]);
  let d = 0;
  for (let p = 0; p < A.data.length; p++) d = Math.max(d, Math.abs(A.data[p]! - B.data[p]!));
  return d;
}

/** max |Aᵢⱼ|, at least 1e-300 so that it can divide. */
export function maxAbs(A: Matrix): number {
  let m = 1e-300;
  for (let p = 0; p < A.data.length; p++) m = Math.max(m, Math.abs(A.data[p]!));
  return m;
}

/** max |QᵀQ − I| for the columns of Q. */
export function orthonormalityError(Q: Matrix): number {
  const G = multiply(Q, Q, true, false);
  let e = 0;
  for (let i = 0; i < G.rows; i++) for (let j = 0; j < G.cols; j++) e = Math.max(e, Math.abs(G.data[i * G.cols + j]! - (i === j ? 1 : 0)));
  return e;
}

/** Column c of M as an array. */
export function column(M: Matrix, c: number): number[] {
  return Array.from({ length: M.rows }, (_, i) => M.data[i * M.cols + c]!);
}

/** True when the first largest-magnitude entry of every column of M is positive. */
export function hasCanonicalSigns(M: Matrix): boolean {
  for (let c = 0; c < M.cols; c++) {
    let best = 0, value = 0;
    for (const x of column(M, c)) if (Math.abs(x) > best) { best = Math.abs(x); value = x; }
    if (value < 0) return false;
  }
  return true;
}

/** Expects `fn` to throw a LatentSpaceError with this code (and, optionally, a message matching `pattern`). */
export function expectError(fn: () => unknown, code: string, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(LatentSpaceError);
  expect((caught as LatentSpaceError).code).toBe(code);
  if (pattern) expect((caught as LatentSpaceError).message).toMatch(pattern);
}

/** Sizes crossing the loop boundaries of the kernels: unrolling, QL leaves (25), reflector blocks (32). */
export const decompositionSizes = [1, 2, 3, 5, 16, 17, 25, 26, 31, 32, 33, 64, 65] as const;

/**
 * Checks an SVD of A: A = U·diag(s)·Vᵀ, orthonormal U and V (to tol·size), s descending and
 * ≥ 0, canonical signs, no NaN.
 */
export function expectValidSvd(A: Matrix, res: { U: Matrix; s: ArrayLike<number>; V: Matrix }, tol = 1e-13): void {
  const { U, s, V } = res;
  const r = Math.min(A.rows, A.cols);
  expect([U.rows, U.cols, s.length, V.rows, V.cols]).toEqual([A.rows, r, r, A.cols, r]);
  const size = Math.max(A.rows, A.cols, 10);
  expect(maxAbsDiff(reconstruct(U, s, V), A) / maxAbs(A)).toBeLessThan(tol * size);
  expect(orthonormalityError(U)).toBeLessThan(tol * size);
  expect(orthonormalityError(V)).toBeLessThan(tol * size);
  for (let k = 0; k < r; k++) {
    expect(s[k]!).toBeGreaterThanOrEqual(0);
    if (k > 0) expect(s[k]!).toBeLessThanOrEqual(s[k - 1]!);
  }
  expect(hasCanonicalSigns(U)).toBe(true);
  for (const x of [...U.data, ...Array.from(s), ...V.data]) expect(Number.isNaN(x)).toBe(false);
}
