import { describe, expect, it } from 'vitest';
import { setKernels } from '../../src/linalg/backend.js';
import { BarnesHutTree } from '../../src/tsne/barnes-hut.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { tsneRepulsion2, walkRecords } from '../../src/linalg/kernels/tsne.js';
import type { Csr } from '../../src/tsne/affinities.js';
import { fit } from '../../src/tsne/fit.js';
import { attractive, exactRepulsion } from '../../src/tsne/gradient.js';
import { initSync, memoryBytes, useBackend, wasmKernels } from '../../src/wasm/index.js';
import { gaussian, lcg } from './data.js';

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

/** Bits of a Float64Array, for comparisons that treat −0 and +0 (and NaNs) apart. */
const bitsOf = (a: Float64Array): bigint[] => Array.from(new BigInt64Array(a.buffer, a.byteOffset, a.length));

describe('the 2-D Barnes-Hut kernel from the points (tree build and traversal)', () => {
  /** Z and forces of tsneBarnesHut2 on both backends, which must agree bit for bit. */
  function both(Y: Float64Array, n: number, theta: number): { Z: number; out: Float64Array } {
    initSync();
    const W = wasmKernels();
    const a = new Float64Array(2 * n), b = new Float64Array(2 * n);
    const Za = jsKernels.tsneBarnesHut2(n, Y, theta, a), Zb = W.tsneBarnesHut2(n, Y, theta, b);
    expect(Zb).toBe(Za);
    expect(bitsOf(b)).toEqual(bitsOf(a));
    return { Z: Za, out: a };
  }

  /** The exact sums when θ = 0 opens every cell. */
  function expectExact(Y: Float64Array, n: number, got: { Z: number; out: Float64Array }): void {
    const ref = new Float64Array(2 * n);
    const Z = exactRepulsion(Y, n, 2, ref);
    expect(Math.abs(got.Z - Z)).toBeLessThanOrEqual(1e-12 * Z);
    for (let p = 0; p < 2 * n; p++) expect(Math.abs(got.out[p]! - ref[p]!)).toBeLessThanOrEqual(1e-12 * (Math.abs(ref[p]!) + 1e-300) + 1e-15);
  }

  it('gives the same bits on both backends, and the exact sums at θ = 0', () => {
    for (const n of [1, 2, 3, 4, 15, 16, 17, 33, 300, 1001, 3000]) {
      for (const theta of [0, 0.5, 1.2]) {
        if (theta === 0 && n > 1001) continue;
        const g = gaussian(3 * n + 1);
        const Y = Float64Array.from({ length: 2 * n }, () => 4 * g());
        if (n > 5) {
          Y[6] = Y[0]!; // a duplicate pair, and one sharing only x
          Y[7] = Y[1]!;
          Y[8] = Y[0]!;
        }
        const r = both(Y, n, theta);
        if (theta === 0) expectExact(Y, n, r);
      }
    }
  });

  it('agrees with the tree the TypeScript class builds (same cells, same sums)', () => {
    // BarnesHutTree.repulsion in 2-D now runs the kernel; before, it traversed its own tree
    // with tsneRepulsion2. Both trees must be the same: the traversal over the class's tree
    // (its records laid out here as the kernel lays out its own) gives the kernel's bits.
    const n = 2000, theta = 0.5;
    const g = gaussian(77);
    const Y = Float64Array.from({ length: 2 * n }, () => 3 * g());
    const got = both(Y, n, theta);
    const tree = new BarnesHutTree(2);
    tree.build(Y, n);
    const m = tree.nodes;
    const rec = new Float64Array(4 * m), next = new Int32Array(m);
    const cells = walkRecords(tree, theta, rec, next, new Int32Array(m), new Int32Array(m));
    const order = (tree as unknown as { orderBuf: Int32Array }).orderBuf;
    const out = new Float64Array(2 * n);
    const Z = tsneRepulsion2(n, order.subarray(0, n), Y, rec, next.subarray(0, cells), out);
    expect(Z).toBe(got.Z);
    expect(bitsOf(out)).toEqual(bitsOf(got.out));
  });

  it('lays out the cells in the order a stack-based walk visits them, each with the end of its subtree', () => {
    // The reference: pop a cell, push its non-empty children first to last (so the last
    // comes out first); a cell's subtree ends its size (cells under it, itself included)
    // after its position.
    const n = 700, theta = 0.7;
    const g = gaussian(21);
    const Y = Float64Array.from({ length: 2 * n }, () => 2 * g());
    Y[2] = Y[0]!; // a leaf of duplicates
    Y[3] = Y[1]!;
    const tree = new BarnesHutTree(2);
    tree.build(Y, n);
    const m = tree.nodes;
    const rec = new Float64Array(4 * m), next = new Int32Array(m);
    const cells = walkRecords(tree, theta, rec, next, new Int32Array(m), new Int32Array(m));
    const visit: number[] = [], stack = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      visit.push(node);
      const first = tree.child[node]!;
      if (first >= 0) for (let c = first; c < first + 4; c++) if (tree.count[c]! > 0) stack.push(c);
    }
    const size = (node: number): number => {
      const first = tree.child[node]!;
      let s = 1;
      if (first >= 0) for (let c = first; c < first + 4; c++) if (tree.count[c]! > 0) s += size(c);
      return s;
    };
    expect(cells).toBe(visit.length);
    visit.forEach((node, at) => {
      const leaf = tree.child[node]! < 0;
      const limit = leaf ? 0 : (4 * tree.half[node]! * tree.half[node]!) * (1 / (theta * theta));
      expect([rec[4 * at], rec[4 * at + 1], rec[4 * at + 2], rec[4 * at + 3]]).toEqual([tree.com[2 * node], tree.com[2 * node + 1], limit, tree.count[node]]);
      expect(next[at]).toBe(at + size(node));
    });
  });

  it('rebuilds a tree that outgrows the room set aside for it (near-coincident pairs)', () => {
    // 600 pairs 1e-9 apart: each pair splits ~30 levels deep, ~70,000 cells, far above the
    // 4n + 64 (and every earlier test's) first guess, so the WebAssembly call runs again.
    const half = 600, n = 2 * half;
    const g = gaussian(5);
    const Y = new Float64Array(2 * n);
    for (let i = 0; i < half; i++) {
      Y[4 * i] = g();
      Y[4 * i + 1] = g();
      Y[4 * i + 2] = Y[4 * i]! + 1e-9;
      Y[4 * i + 3] = Y[4 * i + 1]!;
    }
    expectExact(Y, n, both(Y, n, 0));
    both(Y, n, 0.5);
  });
});

describe('the 2-D attraction kernel', () => {
  /** A random strict upper triangle with row lengths 0, 1, 2, … (odd and even: the pairs of the SIMD loop and the last one). */
  function upper(n: number, seed: number): Csr {
    const u = lcg(seed);
    const rowPtr = new Int32Array(n + 1), col: number[] = [], val: number[] = [];
    for (let i = 0; i < n; i++) {
      const len = Math.min(n - 1 - i, i % 7);
      const cols = new Set<number>();
      while (cols.size < len) cols.add(i + 1 + Math.floor(u() * (n - 1 - i)));
      for (const j of cols) {
        col.push(j);
        val.push(u() / n);
      }
      rowPtr[i + 1] = col.length;
    }
    return { n, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) };
  }

  it('gives the same bits on both backends and the forces of the generic loop', () => {
    initSync();
    const W = wasmKernels();
    for (const n of [1, 2, 3, 9, 64, 500]) {
      const U = upper(n, n);
      const g = gaussian(n + 3);
      const Y = Float64Array.from({ length: 2 * n }, () => 5 * g());
      for (const scale of [1, 12]) {
        const a = new Float64Array(2 * n).fill(NaN), b = new Float64Array(2 * n).fill(NaN), ref = new Float64Array(2 * n);
        jsKernels.tsneAttraction2(n, U.rowPtr, U.col, U.val, Y, scale, a);
        W.tsneAttraction2(n, U.rowPtr, U.col, U.val, Y, scale, b);
        expect(bitsOf(b)).toEqual(bitsOf(a));
        attractive(U, Y, 2, scale, ref);
        const big = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let p = 0; p < 2 * n; p++) expect(Math.abs(a[p]! - ref[p]!)).toBeLessThanOrEqual(1e-14 * big + 1e-300);
      }
    }
  });

  it('acts on both points of a pair, equal and opposite', () => {
    // One pair, p = 0.5, at distance 2 (w = 1/5): forces ∓0.5 · (1/5) · (−2, 0) · scale.
    const rowPtr = new Int32Array([0, 1, 1]), col = new Int32Array([1]), val = new Float64Array([0.5]);
    const Y = new Float64Array([0, 0, 2, 0]);
    const out = new Float64Array(4);
    jsKernels.tsneAttraction2(2, rowPtr, col, val, Y, 3, out);
    expect(out[0]).toBeCloseTo(-0.6, 15);
    expect(out[2]).toBeCloseTo(0.6, 15);
    expect(out[0]! + out[2]!).toBe(0);
    expect([out[1], out[3]]).toEqual([0, 0]);
  });
});

describe('t-SNE on WebAssembly memory', () => {
  it('gives the resident P back: a second fit of the same size does not grow the memory', () => {
    initSync();
    useBackend('wasm');
    try {
      const g = gaussian(11);
      const X = { rows: 1000, cols: 5, data: Float64Array.from({ length: 5000 }, () => g()) };
      fit(X, { nIter: 2, seed: 1 });
      const after1 = memoryBytes();
      fit(X, { nIter: 2, seed: 1 });
      expect(memoryBytes()).toBe(after1);
    } finally {
      setKernels(undefined);
    }
  });
});

describe('the k-smallest selection of the nearest neighbours', () => {
  it('picks the k smallest by (value, column), ascending, the same on both backends', () => {
    initSync();
    const W = wasmKernels();
    const u = lcg(9);
    for (const n of [2, 3, 8, 33, 200]) {
      for (const k of [1, 2, Math.max(1, n >> 1), n - 1]) {
        for (const skip of [-1, 0, 3]) {
          const rows = 7, ldd = n + 2;
          // Few distinct values (many ties), and gaps between rows that must not be read.
          const D = Float64Array.from({ length: rows * ldd }, (_, p) => (p % ldd >= n ? -1 : Math.floor(u() * 6)));
          const a = new Int32Array(2 + rows * k), b = new Int32Array(2 + rows * k);
          jsKernels.smallestInRows(rows, n, D, 0, ldd, k, skip, a, 2);
          W.smallestInRows(rows, n, D, 0, ldd, k, skip, b, 2);
          expect(Array.from(b)).toEqual(Array.from(a));
          for (let r = 0; r < rows; r++) {
            const own = skip < 0 ? -1 : skip + r;
            const want = Array.from({ length: n }, (_, j) => j).filter((j) => j !== own)
              .sort((x, y) => D[r * ldd + x]! - D[r * ldd + y]! || x - y).slice(0, k);
            if (want.length < k) continue; // the row offers fewer than k columns (skip past its end excluded)
            expect(Array.from(a.subarray(2 + r * k, 2 + (r + 1) * k))).toEqual(want);
          }
        }
      }
    }
  });
});
