import { describe, expect, it } from 'vitest';
import { affinities } from '../../src/tsne/fit.js';
import { conditionalP, jointP, nearestNeighbours } from '../../src/tsne/affinities.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { blobs, dense, fixture, uniform } from './data.js';

interface PFixture {
  rows: number;
  cols: number;
  X: number[];
  cases: { method: 'knn' | 'exact'; perplexity: number; k: number; upper?: boolean; row: number[]; col: number[]; val: number[] }[];
}

describe.each(backendNames)('affinities on the %s backend', (name) => {
  useBackendFor(name);

  it('finds the k nearest neighbours by brute force, nearest first, self excluded', () => {
    const X = uniform(70, 3, 5);
    const k = 6;
    const nb = nearestNeighbours(X, X, k, true);
    for (let i = 0; i < X.rows; i++) {
      const d = Array.from({ length: X.rows }, (_, j) => {
        let s = 0;
        for (let c = 0; c < 3; c++) s += (X.data[i * 3 + c]! - X.data[j * 3 + c]!) ** 2;
        return [s, j] as const;
      }).filter(([, j]) => j !== i).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(Array.from(nb.index.subarray(i * k, (i + 1) * k))).toEqual(d.slice(0, k).map(([, j]) => j));
      for (let a = 0; a < k; a++) expect(nb.dist[i * k + a]).toBeCloseTo(d[a]![0], 12);
    }
  });

  it('gives every row the entropy log(perplexity) to 1e-5; P is symmetric and sums to 1', () => {
    const X = blobs(4, 50, 6, 5, 3);
    for (const perplexity of [2, 10, 30]) {
      const k = Math.floor(3 * perplexity + 1);
      const nb = nearestNeighbours(X, X, k, true);
      const cond = conditionalP(nb.dist, X.rows, k, perplexity);
      let worstSum = 0, worstH = 0;
      for (let i = 0; i < X.rows; i++) {
        let H = 0, s = 0;
        for (let a = 0; a < k; a++) {
          const p = cond[i * k + a]!;
          s += p;
          if (p > 0) H -= p * Math.log(p);
        }
        worstSum = Math.max(worstSum, Math.abs(s - 1));
        worstH = Math.max(worstH, Math.abs(H - Math.log(perplexity)));
      }
      expect(worstSum).toBeLessThan(1e-12);
      expect(worstH).toBeLessThanOrEqual(1.0001e-5);
      const P = jointP(nb.index, cond, X.rows, k);
      const D = dense(P);
      let total = 0, asymmetric = 0, diagonal = 0;
      for (let i = 0; i < X.rows; i++) {
        diagonal += D[i * X.rows + i]!;
        for (let j = 0; j < X.rows; j++) {
          if (D[i * X.rows + j] !== D[j * X.rows + i]) asymmetric++;
          total += D[i * X.rows + j]!;
        }
      }
      expect([asymmetric, diagonal]).toEqual([0, 0]);
      expect(total).toBeCloseTo(1, 13);
    }
  });

  it("matches scikit-learn's joint probabilities (kNN and exact)", () => {
    const f = fixture<PFixture>('p-sklearn.json');
    const X = { rows: f.rows, cols: f.cols, data: Float64Array.from(f.X) };
    const n = f.rows;
    for (const c of f.cases) {
      const ref = new Float64Array(n * n);
      c.row.forEach((r, e) => {
        ref[r * n + c.col[e]!] = c.val[e]!;
        if (c.upper === true) ref[c.col[e]! * n + r] = c.val[e]!;
      });
      const P = dense(affinities(X, c.perplexity, 'euclidean', c.method === 'exact'));
      // Both bisections stop within 1e-5 of the target entropy, from different starts, so
      // the bandwidths differ slightly: compare in total (P sums to 1) and entry by entry
      // for the entries that carry weight.
      let l1 = 0, worst = 0, big = 0;
      for (let p = 0; p < n * n; p++) big = Math.max(big, ref[p]!);
      for (let p = 0; p < n * n; p++) {
        l1 += Math.abs(P[p]! - ref[p]!);
        if (ref[p]! > 1e-3 * big) worst = Math.max(worst, Math.abs(P[p]! - ref[p]!) / ref[p]!);
      }
      expect(l1).toBeLessThan(3e-4);
      expect(worst).toBeLessThan(3e-4);
    }
  });

  it('copes with duplicate points: no NaN, duplicates share their weight', () => {
    const base = uniform(30, 2, 9);
    const data = new Float64Array(40 * 2);
    data.set(base.data);
    for (let r = 30; r < 40; r++) data.set(base.data.subarray(0, 2), r * 2); // 11 copies of row 0
    const P = affinities({ rows: 40, cols: 2, data }, 5, 'euclidean', false);
    expect(P.val.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(P.val.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const all = { rows: 8, cols: 2, data: new Float64Array(16).fill(3) };
    const Q = affinities(all, 2, 'euclidean', false);
    expect(Q.val.every((v) => Math.abs(v - 1 / 56) < 1e-15)).toBe(true);
  });
});
