import { describe, expect, it } from 'vitest';
import { choleskyOrNull, eigenvalues, factor, gramRows, mul, pinvTransposeTimes, solveLowerInPlace } from '../../src/interp/matfun.js';
import { cholesky, eigh } from '../../src/linalg/index.js';
import { backendNames, fill, useBackendFor } from '../helpers/backends.js';
import { maxDiff } from './helpers.js';

/** B·Bᵀ/n + shift·I, (n × n). */
function covariance(n: number, seed: number, shift = 0.5): Float64Array {
  const B = fill(new Float64Array(n * n), seed);
  const S = mul(n, B, B, false, true);
  for (let p = 0; p < n * n; p++) S[p] = S[p]! / n;
  for (let i = 0; i < n; i++) S[i * n + i] = S[i * n + i]! + shift;
  return S;
}

// Sizes on both sides of the block size (48) and of two blocks.
const sizes = [1, 2, 47, 48, 49, 96, 97, 130];

describe.each(backendNames)('matrix functions on the %s backend', (name) => {
  useBackendFor(name);

  it.each(sizes)('blocked Cholesky equals linalg.cholesky, n = %i', (n) => {
    const S = covariance(n, n);
    const L = choleskyOrNull(n, S)!;
    expect(maxDiff(L, cholesky({ rows: n, cols: n, data: S }).data)).toBeLessThan(1e-12);
    expect(S).toEqual(covariance(n, n)); // input untouched
  });

  it('Cholesky reports a semi-definite matrix with null, and factor falls back to eigh', () => {
    const n = 60;
    const B = fill(new Float64Array(n * 10), 3); // rank 10
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < 10; k++) S[i * n + j] = S[i * n + j]! + B[i * 10 + k]! * B[j * 10 + k]!;
    expect(choleskyOrNull(n, S)).toBeNull();
    const f = factor(n, S, 'S');
    expect(f.kind === 'eig' && f.rank).toBe(10);
    expect(maxDiff(gramRows(n, f.F), S)).toBeLessThan(1e-12);
  });

  it.each(sizes)('blocked triangular solves with L and Lᵀ, n = %i', (n) => {
    const L = choleskyOrNull(n, covariance(n, 7 * n))!;
    const m = 5;
    const X = fill(new Float64Array(n * m), 11);
    for (const trans of [false, true]) {
      // B = op(L)·X, then solve back.
      const B = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (trans ? L[k * n + i]! : L[i * n + k]!) * X[k * m + j]!;
        B[i * m + j] = s;
      }
      solveLowerInPlace(n, m, L, B, trans);
      expect(maxDiff(B, X)).toBeLessThan(1e-10);
    }
  });

  it.each(sizes)('eigenvalues only equal eigh\'s, n = %i', (n) => {
    const S = covariance(n, 3 * n, -0.2); // indefinite when n > 1
    const ours = Array.from(eigenvalues(n, S)).sort((a, b) => b - a);
    const ref = eigh({ rows: n, cols: n, data: S }).values;
    expect(maxDiff(ours, ref)).toBeLessThan(1e-12 * Math.max(1, Math.abs(ref[0]!)));
  });

  it('pinvTransposeTimes: L⁻ᵀ·X for Cholesky, the pseudo-inverse for eigen factors', () => {
    const n = 50;
    const S = covariance(n, 5);
    const X = fill(new Float64Array(n * n), 9);
    const byChol = pinvTransposeTimes(n, factor(n, S, 'S'), X);
    // For a regular S both factors give (F⁺)ᵀ with F·Fᵀ = S; the products differ by an
    // orthogonal matrix Q (F_eig = L·Q), so compare (F⁺)ᵀX·((F⁺)ᵀX)ᵀ-free quantities: Fᵀ·(F⁺)ᵀX = X.
    const L = choleskyOrNull(n, S)!;
    expect(maxDiff(mul(n, L, byChol, true, false), X)).toBeLessThan(1e-10);
  });
});
