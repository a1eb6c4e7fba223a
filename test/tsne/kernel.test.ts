import { describe, expect, it } from 'vitest';
import { setKernels } from '../../src/linalg/backend.js';
import { BarnesHutTree } from '../../src/tsne/barnes-hut.js';
import { exactRepulsion } from '../../src/tsne/gradient.js';
import { initSync, useBackend } from '../../src/wasm/index.js';
import { gaussian } from './data.js';

/** The repulsion of a tree built over Y, on one backend. */
function repulsion(backend: 'js' | 'wasm', Y: Float64Array, n: number, theta: number): { Z: number; out: Float64Array } {
  try {
    if (backend === 'wasm') initSync();
    useBackend(backend);
    const tree = new BarnesHutTree(2);
    tree.build(Y, n);
    const out = new Float64Array(2 * n);
    return { Z: tree.repulsion(Y, n, theta, out), out };
  } finally {
    setKernels(undefined);
  }
}

describe('the 2-D Barnes-Hut kernel', () => {
  // Sizes around the group of 16 points and its pairs of lanes (odd last points).
  const sizes = [1, 2, 3, 15, 16, 17, 31, 33, 300, 1001];

  it('gives the same bits on the WebAssembly and TypeScript backends', () => {
    for (const n of sizes) {
      for (const theta of [0, 0.5, 1.2]) {
        const g = gaussian(n + 7);
        const Y = Float64Array.from({ length: 2 * n }, () => 4 * g());
        if (n > 5) {
          Y[6] = Y[0]!; // a duplicate pair, and one sharing only x
          Y[7] = Y[1]!;
          Y[8] = Y[0]!;
        }
        const a = repulsion('js', Y, n, theta), b = repulsion('wasm', Y, n, theta);
        expect(b.Z).toBe(a.Z);
        expect(Array.from(b.out)).toEqual(Array.from(a.out));
        if (theta === 0) {
          const ref = new Float64Array(2 * n);
          const Z = exactRepulsion(Y, n, 2, ref);
          expect(Math.abs(a.Z - Z)).toBeLessThanOrEqual(1e-12 * Z);
          for (let p = 0; p < 2 * n; p++) expect(Math.abs(a.out[p]! - ref[p]!)).toBeLessThanOrEqual(1e-12 * (Math.abs(ref[p]!) + 1e-300) + 1e-15);
        }
      }
    }
  });

  it('counts coincident points with weight 1 and no force', () => {
    // Three points at one place, one apart: the leaf of the three is their own.
    const Y = new Float64Array([0, 0, 0, 0, 0, 0, 3, 4]);
    const tree = new BarnesHutTree(2);
    tree.build(Y, 4);
    const out = new Float64Array(8);
    const Z = tree.repulsion(Y, 4, 0, out);
    // Pairs among the three: 6 ordered pairs of weight 1; each of them with the far point: 6 of weight 1/26.
    expect(Z).toBeCloseTo(6 + 6 / 26, 14);
    expect(out[0]).toBeCloseTo(-3 / 26 ** 2, 15);
    expect(out[6]).toBeCloseTo(3 * 3 / 26 ** 2, 15);
  });
});
