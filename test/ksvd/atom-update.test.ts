// One K-SVD atom update against its definition (Aharon, Elad & Bruckstein 2006, §IV-B):
// atom k and its coefficients become the best rank-1 fit of the restricted residual E
// (the rows of the signals that use atom k, with every other atom's contribution removed),
// σ₁·u₁·v₁ᵀ by ml-matrix's SVD; 'approximate' is one power step from the current codes.
import { Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { indexUsers, updateAtom, type State } from '../../src/ksvd/atoms.js';
import { fill } from '../helpers/backends.js';

const n = 40, p = 6, K = 5, k = 2;

/** Signals of two atoms each (atom k in about 2/5 of them) plus noise, coded by their true supports. */
function state(seed: number): State {
  const D = fill(new Float64Array(K * p), seed);
  for (let a = 0; a < K; a++) {
    const norm = Math.hypot(...D.subarray(a * p, (a + 1) * p));
    for (let j = 0; j < p; j++) D[a * p + j]! /= norm;
  }
  const coef = fill(new Float64Array(2 * n), seed + 1), noise = fill(new Float64Array(n * p), seed + 2);
  const C = new Float64Array(n * K), X = new Float64Array(n * p), R = new Float64Array(n * p), rowErr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = i % K, b = (2 * i + 1) % K === a ? (a + 1) % K : (2 * i + 1) % K;
    C[i * K + a] = 1 + coef[2 * i]!;
    C[i * K + b] = coef[2 * i + 1]! - 1.5;
    for (let j = 0; j < p; j++) {
      X[i * p + j] = C[i * K + a]! * D[a * p + j]! + C[i * K + b]! * D[b * p + j]! + 0.3 * noise[i * p + j]!;
    }
  }
  // The codes a little off, as after a coding step: the update must not depend on them (exact).
  for (let t = 0; t < n * K; t++) if (C[t] !== 0) C[t] = C[t]! * 0.9;
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let j = 0; j < p; j++) {
      let v = X[i * p + j]!;
      for (let a = 0; a < K; a++) v -= C[i * K + a]! * D[a * p + j]!;
      R[i * p + j] = v;
      e += v * v;
    }
    rowErr[i] = e;
  }
  const st: State = {
    X: { rows: n, cols: p, data: X }, n, p, K, D, C, R, rowErr,
    E: new Float64Array(n * p), users: new Int32Array(n), atomStart: new Int32Array(K + 1), byAtom: new Int32Array(n * 2),
  };
  indexUsers(st);
  return st;
}

/** The users of atom k and their restricted residual rows X_i − Σ_{a≠k} c_ia·d_a, from scratch. */
function restricted(st: State): { users: number[]; E: number[][] } {
  const users: number[] = [];
  const E: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (st.C[i * K + k] === 0) continue;
    users.push(i);
    E.push(Array.from({ length: p }, (_, j) => {
      let v = st.X.data[i * p + j]!;
      for (let a = 0; a < K; a++) if (a !== k) v -= st.C[i * K + a]! * st.D[a * p + j]!;
      return v;
    }));
  }
  return { users, E };
}

describe('the K-SVD atom update', () => {
  for (const seed of [3, 11, 29]) {
    it(`'exact' is the first singular pair of the restricted residual (seed ${seed})`, () => {
      const st = state(seed);
      const before = { D: st.D.slice(), C: st.C.slice(), R: st.R.slice() };
      const { users, E } = restricted(st);
      expect(users.length).toBeGreaterThan(10);
      const svd = new SingularValueDecomposition(new MlMatrix(E), { autoTranspose: true });
      const sigma = svd.diagonal[0]!;
      expect(svd.diagonal[1]!).toBeLessThan(0.9 * sigma); // a well-separated first pair
      const v = svd.rightSingularVectors.getColumn(0), u = svd.leftSingularVectors.getColumn(0);
      // The sign that keeps the atom near the previous one.
      const sign = v.reduce((s, x, j) => s + x * before.D[k * p + j]!, 0) < 0 ? -1 : 1;

      expect(updateAtom(st, k, true)).toBe(true);
      for (let j = 0; j < p; j++) expect(Math.abs(st.D[k * p + j]! - sign * v[j]!)).toBeLessThan(1e-13);
      users.forEach((i, t) => {
        expect(Math.abs(st.C[i * K + k]! - sign * sigma * u[t]!)).toBeLessThan(1e-12 * sigma);
        let e = 0;
        for (let j = 0; j < p; j++) {
          const r = E[t]![j]! - sigma * u[t]! * v[j]!;
          expect(Math.abs(st.R[i * p + j]! - r)).toBeLessThan(1e-12 * sigma);
          e += st.R[i * p + j]! ** 2;
        }
        expect(st.rowErr[i]).toBeCloseTo(e, 12);
      });
      // Other atoms, other signals' codes and residuals are left alone.
      for (let a = 0; a < K; a++) if (a !== k) for (let j = 0; j < p; j++) expect(st.D[a * p + j]).toBe(before.D[a * p + j]);
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < K; a++) if (a !== k || !users.includes(i)) expect(st.C[i * K + a]).toBe(before.C[i * K + a]);
        if (!users.includes(i)) for (let j = 0; j < p; j++) expect(st.R[i * p + j]).toBe(before.R[i * p + j]);
      }
      // The rank-1 fit is optimal: the restricted error is Σ_{l≥2} σ_l².
      const rest = svd.diagonal.slice(1).reduce((s, x) => s + x * x, 0);
      expect(Math.abs(users.reduce((s, i) => s + st.rowErr[i]!, 0) - rest)).toBeLessThan(1e-12 * sigma * sigma);
    });
  }

  it("'approximate' is one power step from the current codes: d = Eᵀg / ‖Eᵀg‖, then c = E·d", () => {
    const st = state(5);
    const { users, E } = restricted(st);
    const g = users.map((i) => st.C[i * K + k]!);
    const d = Array.from({ length: p }, (_, j) => E.reduce((s, row, t) => s + g[t]! * row[j]!, 0));
    const norm = Math.hypot(...d);
    const sign = d.reduce((s, x, j) => s + x * st.D[k * p + j]!, 0) < 0 ? -1 : 1;
    expect(updateAtom(st, k, false)).toBe(true);
    for (let j = 0; j < p; j++) expect(Math.abs(st.D[k * p + j]! - (sign * d[j]!) / norm)).toBeLessThan(1e-14);
    users.forEach((i, t) => {
      const c = E[t]!.reduce((s, x, j) => s + x * st.D[k * p + j]!, 0);
      expect(Math.abs(st.C[i * K + k]! - c)).toBeLessThan(1e-13);
    });
  });
});
