// The WebAssembly kernels agree with the TypeScript kernels (the reference backend) on
// random problems: same shapes, strides and offsets, results within the dtype's tolerance
// (argmin exactly), and neither writes outside its output window.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmKernels } from '../../src/wasm/index.js';
import { RTOL, alloc, at, embed, expectClose, gemmOperands, type Dtype, type F, type GemmCase, type GemmOperands } from './reference.js';

let W: Kernels;
beforeAll(() => {
  W = wasmKernels();
});

const dtypes = fc.constantFrom<Dtype>('float64', 'float32');
const size = (max: number) => fc.oneof(fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65), fc.integer({ min: 1, max }));

/** Both outputs bit-identical outside the window, and within tolerance inside. */
function expectSame(w: F, j: F, scale: (p: number) => number, rtol: number, what: string): void {
  expect(w.length).toBe(j.length);
  for (let p = 0; p < w.length; p++) {
    if (Object.is(w[p], j[p])) continue;
    expectClose(w[p]!, j[p]!, 2 * scale(p), rtol, `${what} [${p}]`);
  }
}

/** |entries| of op(A)·op(B) bound the error of both backends' sums. */
function absProduct(A: F, offA: number, lda: number, tA: boolean, B: F, offB: number, ldb: number, tB: boolean, m: number, n: number, k: number) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += Math.abs((tA ? A[offA + p * lda + i]! : A[offA + i * lda + p]!) * (tB ? B[offB + j * ldb + p]! : B[offB + p * ldb + j]!));
    out[i * n + j] = s;
  }
  return out;
}

/** The case's gemm on the WebAssembly (w) and TypeScript (j) kernels, each on its own operands. */
function gemmOnBoth(c: GemmCase): { w: GemmOperands; j: GemmOperands } {
  const run = (K: Kernels) => {
    const o = gemmOperands(c);
    K.gemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, o.A.data, o.A.off, o.A.ld, o.B.data, o.B.off, o.B.ld, c.beta, o.C.data, o.C.off, o.C.ld);
    return o;
  };
  return { w: run(W), j: run(jsKernels) };
}

describe('wasm and TypeScript kernels agree', () => {
  it('gemm', () => {
    fc.assert(
      fc.property(
        fc.record({
          dtype: dtypes, m: size(150), n: size(150), k: size(300), transA: fc.boolean(), transB: fc.boolean(),
          alpha: fc.constantFrom(1, -2, 0.5), beta: fc.constantFrom(0, 1, 0.25),
          offA: fc.nat(4), offB: fc.nat(4), offC: fc.nat(4),
          slackA: fc.constantFrom(0, 2, 18), slackB: fc.constantFrom(0, 1, 20), slackC: fc.constantFrom(0, 3, 25), seed: fc.nat(),
        }),
        (c) => {
          const { w, j } = gemmOnBoth(c);
          const abs = absProduct(w.A.data, w.A.off, w.A.ld, c.transA, w.B.data, w.B.off, w.B.ld, c.transB, c.m, c.n, c.k);
          expectSame(w.C.data, j.C.data, (p) => {
            const q = p - c.offC, i = Math.floor(q / w.C.ld), jj = q % w.C.ld;
            return Math.abs(c.alpha) * abs[i * c.n + jj]! + Math.abs(c.beta * (c.beta === 0 ? 0 : w.C0[p]!));
          }, RTOL[c.dtype], 'gemm');
        },
      ),
      { numRuns: 60, seed: 1 },
    );
  });

  it('gemm in float64 gives the same bits on both backends at depths past one panel (k = 300, 513, 1000)', () => {
    for (const k of [300, 513, 1000]) {
      const c = { dtype: 'float64' as const, m: 7, n: 9, k, transA: false, transB: true, alpha: 1, beta: 0, offA: 0, offB: 0, offC: 0, slackA: 0, slackB: 0, slackC: 0, seed: k };
      const { w, j } = gemmOnBoth(c);
      expect(Array.from(w.C.data)).toEqual(Array.from(j.C.data));
    }
  });

  // The micro-kernel's accumulating epilogue (beta = 1) skips the multiply by beta: still
  // the bits of the TypeScript kernel's alpha·t + beta·c, on full and edge tiles, in the
  // first panel and past it.
  it('gemm in float64 with beta = 1 gives the same bits on both backends (alpha 1, −1, 0.5)', () => {
    for (const alpha of [1, -1, 0.5]) {
      for (const [m, n, k] of [[4, 4, 3], [9, 13, 300], [33, 7, 513]] as const) {
        for (const transA of [false, true]) {
          const c = { dtype: 'float64' as const, m, n, k, transA, transB: !transA, alpha, beta: 1, offA: 1, offB: 0, offC: 2, slackA: 2, slackB: 0, slackC: 3, seed: m + k };
          const { w, j } = gemmOnBoth(c);
          expect(Array.from(w.C.data)).toEqual(Array.from(j.C.data));
        }
      }
    }
  });

  it('gemm in float32 gives the same bits on both backends (float32 products and sums, sgemm order)', () => {
    fc.assert(
      fc.property(
        fc.record({
          dtype: fc.constant<Dtype>('float32'), m: size(40), n: size(40), k: fc.constantFrom(1, 7, 64, 257, 300, 600), transA: fc.boolean(), transB: fc.boolean(),
          alpha: fc.constantFrom(1, -2, 0.1), beta: fc.constantFrom(0, 1, 0.3),
          offA: fc.nat(4), offB: fc.nat(4), offC: fc.nat(4),
          slackA: fc.constantFrom(0, 2), slackB: fc.constantFrom(0, 1), slackC: fc.constantFrom(0, 3), seed: fc.nat(),
        }),
        (c) => {
          const { w, j } = gemmOnBoth(c);
          expect(Array.from(j.C.data)).toEqual(Array.from(w.C.data));
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });

  it('syrk', () => {
    fc.assert(
      fc.property(dtypes, size(140), size(270), fc.boolean(), fc.nat(), (dtype, n, k, trans, seed) => {
        const rng = new Random(seed);
        const A = trans ? embed(dtype, k, n, 1, 2, rng) : embed(dtype, n, k, 3, 0, rng);
        const Cw = embed(dtype, n, n, 2, 1, rng, NaN);
        const Cj = { ...Cw, data: Cw.data.slice() };
        W.syrk(trans, n, k, A.data, A.off, A.ld, Cw.data, Cw.off, Cw.ld);
        jsKernels.syrk(trans, n, k, A.data, A.off, A.ld, Cj.data, Cj.off, Cj.ld);
        const abs = absProduct(A.data, A.off, A.ld, trans, A.data, A.off, A.ld, !trans, n, n, k);
        expectSame(Cw.data, Cj.data, (p) => {
          const q = p - Cw.off;
          return abs[Math.floor(q / Cw.ld) * n + (q % Cw.ld)]!;
        }, RTOL[dtype], 'syrk');
      }),
      { numRuns: 40, seed: 2 },
    );
  });

  it('rowSqNorms, sqDistances and argminRows (the k-means step)', () => {
    fc.assert(
      fc.property(dtypes, size(300), size(40), size(200), fc.nat(), (dtype, m, n, d, seed) => {
        const rng = new Random(seed);
        const A = embed(dtype, m, d, 2, seed % 2 === 0 ? 0 : 17, rng);
        const B = embed(dtype, n, d, 1, 1, rng);
        const run = (K: Kernels) => {
          const na = alloc(dtype, m), nb = alloc(dtype, n);
          K.rowSqNorms(m, d, A.data, A.off, A.ld, na);
          K.rowSqNorms(n, d, B.data, B.off, B.ld, nb);
          const C = alloc(dtype, m * n + 5).fill(NaN);
          K.sqDistances(m, n, d, A.data, A.off, A.ld, na, B.data, B.off, B.ld, nb, C, 5, n);
          const index = new Int32Array(m);
          const values = alloc(dtype, m);
          K.argminRows(m, n, C, 5, n, index, values);
          return { na, nb, C, index, values };
        };
        const w = run(W), j = run(jsKernels);
        expectSame(w.na, j.na, (p) => j.na[p]!, RTOL[dtype], 'rowSqNorms');
        expectSame(w.nb, j.nb, (p) => j.nb[p]!, RTOL[dtype], 'rowSqNorms');
        expect(Number.isNaN(w.C[0]) && Number.isNaN(w.C[4])).toBe(true);
        const scale = (p: number) => {
          const i = Math.floor((p - 5) / n), jj = (p - 5) % n;
          let abs = 0;
          for (let q = 0; q < d; q++) abs += Math.abs(at(A, i, q) * at(B, jj, q));
          return j.na[i]! + j.nb[jj]! + 2 * abs;
        };
        for (let p = 5; p < w.C.length; p++) {
          expect(w.C[p]).toBeGreaterThanOrEqual(0);
          expectClose(w.C[p]!, j.C[p]!, 2 * scale(p), RTOL[dtype], 'sqDistances');
        }
        // Argmin is exact on identical inputs: feed both backends the same distances.
        const index = new Int32Array(m);
        const values = alloc(dtype, m);
        W.argminRows(m, n, j.C, 5, n, index, values);
        expect(Array.from(index)).toEqual(Array.from(j.index));
        expect(Array.from(values)).toEqual(Array.from(j.values));
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('sqDistancesAt: the bits of sqDistances on the gathered rows, within tolerance of the TypeScript twin', () => {
    fc.assert(
      // n up to 40 crosses the direct path's limit (32 rows of B) into the GEMM path.
      fc.property(dtypes, size(120), size(40), size(70), size(60), fc.boolean(), fc.nat(), (dtype, rows, n, d, m, resident, seed) => {
        const rng = new Random(seed);
        const X = alloc(dtype, rows * d).map(() => rng.uniform(-1, 1));
        const B = alloc(dtype, n * d).map(() => rng.uniform(-1, 1));
        // Rows in any order, repeated, from offIndex = 3 on.
        const index = Int32Array.from({ length: m + 3 }, () => Math.floor(rng.uniform(0, rows)));
        const normsX = alloc(dtype, rows), nb = alloc(dtype, n);
        jsKernels.rowSqNorms(rows, d, X, 0, d, normsX);
        jsKernels.rowSqNorms(n, d, B, 0, d, nb);
        const na = alloc(dtype, m).map((_, r) => normsX[index[3 + r]!]!);
        const at = (K: Kernels) => {
          const region = resident ? K.resident(X) : undefined;
          const C = alloc(dtype, m * n).fill(NaN);
          K.sqDistancesAt(m, n, d, region?.view() ?? X, rows, index, 3, na, B, nb, C);
          region?.release();
          return C;
        };
        const A = alloc(dtype, m * d);
        jsKernels.gatherRows(m, d, X, rows, index, 3, A);
        const gathered = alloc(dtype, m * n);
        W.sqDistances(m, n, d, A, 0, d, na, B, 0, d, nb, gathered, 0, n);
        const w = at(W), j = at(jsKernels);
        for (let p = 0; p < w.length; p++) if (!Object.is(w[p], gathered[p])) expect(`[${p}] ${w[p]}`).toBe(`[${p}] ${gathered[p]}`);
        // |a|, |b| ≤ 1: |a·b| ≤ d bounds the cross term's error.
        expectSame(w, j, (p) => na[Math.floor(p / n)]! + nb[p % n]! + 2 * d, RTOL[dtype], 'sqDistancesAt');
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('the k-means passes over X give the same bits (clusterSums, columnSums, shiftToFloat32, assignedSqDistances, argmin2Rows)', () => {
    /** Both arrays equal bit for bit (NaN and -0 included). */
    const same = (w: ArrayLike<number>, j: ArrayLike<number>, what: string) => {
      expect(w.length, what).toBe(j.length);
      for (let p = 0; p < w.length; p++) if (!Object.is(w[p], j[p])) expect(`${what} [${p}] ${w[p]}`).toBe(`${what} [${p}] ${j[p]}`);
    };
    fc.assert(
      fc.property(dtypes, size(70), size(40), size(12), fc.boolean(), fc.boolean(), fc.nat(), (dtype, n, d, k, weighted, resident, seed) => {
        const rng = new Random(seed);
        // Entries of mixed magnitudes, so that any change in the order of additions shows.
        const X = alloc(dtype, n * d).map(() => rng.uniform(-1, 1) * 2 ** Math.floor(rng.uniform(-20, 20)));
        const w = weighted ? Float64Array.from({ length: n }, () => rng.uniform(0, 3)) : null;
        const labels = Int32Array.from({ length: n }, () => Math.floor(rng.uniform(0, k)));
        const C = Float64Array.from({ length: k * d }, () => rng.uniform(-1, 1));
        const shift = Float64Array.from({ length: d }, () => rng.uniform(-1, 1));
        // Segments as a k-means pass makes them: blocks of rows grouped by cluster, some removed (−1).
        const order = new Int32Array(2 * n), segments: number[] = [];
        let t = 0;
        for (let start = 0; start < n; start += 9) {
          for (const sign of [1, -1]) {
            for (let c = 0; c < k; c++) {
              for (let i = start; i < Math.min(n, start + 9); i++) if (labels[i] === (sign === 1 ? c : (c + 1) % k)) order[t++] = i;
              segments.push(c, t, sign);
            }
          }
        }
        const run = (K: Kernels) => {
          const region = resident ? K.resident(X) : undefined;
          const x = () => region?.view() ?? X;
          const sums = Float64Array.from({ length: k * d }, (_, p) => p * 0.25);
          K.clusterSums(n, d, x(), order, segments.length / 3, Int32Array.from(segments), w, sums);
          const col = new Float64Array(d);
          const top = K.columnSums(n, d, x(), w, col);
          const dist = new Float64Array(n);
          K.assignedSqDistances(n, d, x(), C, labels, dist);
          const Y = new Float32Array(n * d), norms = new Float64Array(n);
          if (dtype === 'float64') K.shiftToFloat32(n, d, x() as Float64Array, shift, Y, norms);
          region?.release();
          return { sums, col, top, dist, Y, norms };
        };
        const a = run(W), b = run(jsKernels);
        same(a.sums, b.sums, 'clusterSums');
        same(a.col, b.col, 'columnSums');
        expect(a.top).toBe(b.top);
        same(a.dist, b.dist, 'assignedSqDistances');
        same(a.Y, b.Y, 'shiftToFloat32 Y');
        same(a.norms, b.norms, 'shiftToFloat32 norms');
        // The two smallest of each row, ties included (small integers tie often), against
        // their definition: argmin, then argmin with the smallest masked by +∞.
        const D = alloc(dtype, n * k).map(() => Math.floor(rng.uniform(0, 4)));
        const two = (K: Kernels) => {
          const index = new Int32Array(n), first = alloc(dtype, n), second = alloc(dtype, n);
          K.argmin2Rows(n, k, D, 0, k, index, first, second);
          return { index, first, second };
        };
        const masked = D.slice(), index = new Int32Array(n), first = alloc(dtype, n), second = alloc(dtype, n);
        jsKernels.argminRows(n, k, masked, 0, k, index, first);
        for (let i = 0; i < n; i++) masked[i * k + index[i]!] = Infinity;
        jsKernels.argminRows(n, k, masked, 0, k, new Int32Array(n), second);
        for (const got of [two(W), two(jsKernels)]) {
          same(got.index, index, 'argmin2Rows index');
          same(got.first, first, 'argmin2Rows first');
          same(got.second, second, 'argmin2Rows second');
        }
      }),
      { numRuns: 120, seed: 5 },
    );
  });

  it('dot and axpy with strides and offsets', () => {
    fc.assert(
      fc.property(
        dtypes, fc.integer({ min: 0, max: 300 }), fc.constantFrom(1, 2, -1, 3, -2), fc.constantFrom(1, -1, 2, 4), fc.constantFrom(0, 1, -0.5),
        fc.nat(),
        (dtype, n, sx, sy, alpha, seed) => {
          const rng = new Random(seed);
          const offX = sx < 0 ? Math.max(0, n - 1) * -sx : 1;
          const offY = sy < 0 ? Math.max(0, n - 1) * -sy : 2;
          const x = alloc(dtype, offX + Math.abs(sx) * n + 2).map(() => rng.uniform(-1, 1));
          const y = alloc(dtype, offY + Math.abs(sy) * n + 2).map(() => rng.uniform(-1, 1));
          let abs = 0;
          for (let i = 0; i < n; i++) abs += Math.abs(x[offX + i * sx]! * y[offY + i * sy]!);
          expectClose(W.dot(n, x, sx, offX, y, sy, offY), jsKernels.dot(n, x, sx, offX, y, sy, offY), 2 * abs, RTOL[dtype], 'dot');
          const yw = y.slice(), yj = y.slice();
          W.axpy(n, alpha, x, sx, offX, yw, sy, offY);
          jsKernels.axpy(n, alpha, x, sx, offX, yj, sy, offY);
          expectSame(yw, yj, (p) => Math.abs(y[p]!) + Math.abs(alpha), RTOL[dtype], 'axpy');
        },
      ),
      { numRuns: 150, seed: 4 },
    );
  });
});
