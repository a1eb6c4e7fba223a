// A short exact t-SNE run against scikit-learn from the same start
// (test/fixtures/tsne/trajectory.json, made by make_trajectory_fixture.py beside it): 10
// iterations with early exaggeration, then 20 without, learning rate 10. With scikit-learn's
// P the optimiser and the exact gradient retrace its steps to rounding (measured: 1e-14
// relative after the first phase, 2e-13 after the second; the optimisation amplifies
// rounding, hence a short run). Through tsne.fit, which computes its own P (both perplexity
// bisections stop within 1e-5 of the target entropy, from different starts; P agrees to
// 3e-4), to what those differences become: 2.1e-3 of the map's extent, 1e-4 of the KL.
import { describe, expect, it } from 'vitest';
import { drive } from '../../src/core/iterate.js';
import type { Csr } from '../../src/tsne/affinities.js';
import { descend } from '../../src/tsne/descent.js';
import { repulsionFor, tsneGradient } from '../../src/tsne/forces.js';
import * as tsne from '../../src/tsne/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { fixture } from './data.js';

interface Trajectory {
  rows: number; cols: number; X: number[]; perplexity: number; learningRate: number; earlyExaggeration: number;
  earlyIter: number; finalIter: number; momentum: number; finalMomentum: number;
  P: number[]; Y0: number[]; afterEarly: number[]; final: number[]; kl: number;
}
const f = fixture<Trajectory>('trajectory.json');
const n = f.rows;

/** scikit-learn's P (dense, symmetric, sums to 1) in CSR form, every off-diagonal entry kept. */
function csr(P: number[]): Csr {
  const rowPtr = new Int32Array(n + 1), col = new Int32Array(n * (n - 1)), val = new Float64Array(n * (n - 1));
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      col[e] = j;
      val[e++] = P[i * n + j]!;
    }
    rowPtr[i + 1] = e;
  }
  return { n, rowPtr, col, val };
}

/** max |a − b| over max |b|. */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let gap = 0, scale = 0;
  for (let p = 0; p < b.length; p++) {
    gap = Math.max(gap, Math.abs(a[p]! - b[p]!));
    scale = Math.max(scale, Math.abs(b[p]!));
  }
  return gap / scale;
}

describe.each(backendNames)('exact t-SNE against scikit-learn on the %s backend', (backend) => {
  useBackendFor(backend);
  const phases = [
    { iterations: f.earlyIter, exaggeration: f.earlyExaggeration, momentum: f.momentum },
    { iterations: f.finalIter, exaggeration: 1, momentum: f.finalMomentum },
  ];

  it("with scikit-learn's P: the same embedding after each phase, to rounding", () => {
    const P = csr(f.P);
    const { gradient } = tsneGradient(P, 2, repulsionFor('exact', 2, 0));
    const Y = Float64Array.from(f.Y0);
    const seen = new Map<number, Float64Array>();
    const settings = { method: 'exact' as const, theta: 0, learningRate: f.learningRate, yieldEvery: 1, signal: undefined };
    drive(descend(Y, n, 2, gradient, settings, phases, 0, NaN), (s) => s.kl, (s) => { seen.set(s.iteration, s.embedding.data); });
    expect(relativeGap(seen.get(f.earlyIter)!, f.afterEarly)).toBeLessThan(1e-12);
    expect(relativeGap(Y, f.final)).toBeLessThan(1e-11);
    expect(Math.abs(gradient(Y, new Float64Array(2 * n), 1, true) - f.kl)).toBeLessThan(1e-12 * f.kl);
  });

  it('through tsne.fit from the same start: the same map, up to what the bandwidths change', () => {
    const model = tsne.fit({ rows: n, cols: f.cols, data: Float64Array.from(f.X) }, {
      method: 'exact', perplexity: f.perplexity, init: { rows: n, cols: 2, data: Float64Array.from(f.Y0) },
      learningRate: f.learningRate, earlyExaggeration: f.earlyExaggeration, earlyExaggerationIter: f.earlyIter,
      nIter: f.earlyIter + f.finalIter, momentum: f.momentum, finalMomentum: f.finalMomentum,
    });
    expect(relativeGap(model.embedding.data, f.final)).toBeLessThan(5e-3);
    expect(Math.abs(model.kl - f.kl)).toBeLessThan(5e-4 * f.kl);
  });
});
