// Every WebAssembly kernel against a naive float64 reference, over sizes that cross every
// micro-tile (4 × 4 float64, 4 × 8 float32), unroll, panel (KC 256) and block (MC 128/192,
// NC 2048) boundary, with both transposes, non-zero offsets, padded rows, and NaN in C
// where beta = 0 says it must not be read.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import type { Kernels } from '../../src/linalg/backend.js';
import { wasmKernels } from '../../src/wasm/index.js';
import {
  EDGE_SIZES, RTOL, alloc, at, checkGemm, embed, expectClose, expectOutsideUntouched, gemmOperands, refArgmin,
  refRowSqNorms, type Dtype, type GemmCase,
} from './reference.js';

const DTYPES: Dtype[] = ['float64', 'float32'];
let W: Kernels;

beforeAll(() => {
  W = wasmKernels();
});

function runGemm(c: GemmCase, K: Kernels = W): ReturnType<typeof gemmOperands> {
  const ops = gemmOperands(c);
  const { A, B, C } = ops;
  K.gemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, A.data, A.off, A.ld, B.data, B.off, B.ld, c.beta, C.data, C.off, C.ld);
  return ops;
}

const base = { alpha: 1, beta: 0, offA: 0, offB: 0, offC: 0, slackA: 0, slackB: 0, slackC: 0 };

describe.each(DTYPES)('wasm gemm (%s)', (dtype) => {
  it('small sizes: every m, n, k in 1…17 around the tile edges, all four transposes', () => {
    const small = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17];
    let seed = 1;
    for (const m of small) for (const n of small) for (const k of small) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const c: GemmCase = { ...base, dtype, transA, transB, m, n, k, seed: seed++, alpha: 1.5, offA: seed % 3, offC: seed % 2, slackA: seed % 5, slackC: 1 };
        checkGemm(c, runGemm(c));
      }
    }
  });

  it('sizes across the 63/64/65 and KC, MC boundaries', () => {
    let seed = 100;
    const sizes = [63, 64, 65, 129, 257];
    for (const m of sizes) for (const n of [1, 17, 64, 65]) for (const k of [1, 63, 257]) {
      const transA = seed % 2 === 0, transB = seed % 3 === 0;
      const c: GemmCase = { ...base, dtype, transA, transB, m, n, k, seed: seed++, alpha: -0.75, beta: 0.5, offB: 2, slackB: 3 };
      checkGemm(c, runGemm(c));
    }
  });

  it('a 257³ product with all transposes (several KC panels and MC blocks)', () => {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const c: GemmCase = { ...base, dtype, transA, transB, m: 257, n: 257, k: 257, seed: 7, alpha: 2, beta: 0 };
      checkGemm(c, runGemm(c));
    }
  });

  it('k = 513 (three panels), and n = 2049 (two NC panels)', () => {
    checkGemm({ ...base, dtype, transA: false, transB: true, m: 9, n: 17, k: 513, seed: 3 }, runGemm({ ...base, dtype, transA: false, transB: true, m: 9, n: 17, k: 513, seed: 3 }));
    const wide: GemmCase = { ...base, dtype, transA: true, transB: false, m: 5, n: 2049, k: 3, seed: 4, beta: -1, slackC: 2 };
    checkGemm(wide, runGemm(wide));
  });

  it('beta = 0 ignores NaN in C; beta ≠ 0 scales it; alpha = 0 or k = 0 leaves beta · C', () => {
    for (const beta of [0, 1, -2.5]) {
      for (const [alpha, k] of [[1, 6], [0, 6], [3, 0]] as const) {
        const c: GemmCase = { ...base, dtype, transA: false, transB: false, m: 6, n: 10, k, alpha, beta, seed: 9, offC: 3, slackC: 2 };
        const ops = runGemm(c);
        checkGemm(c, ops);
        for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) expect(Number.isNaN(at(ops.C, i, j))).toBe(false);
      }
    }
  });

  it('padded rows on both copy paths (slack ≤ 16: copied whole; > 16: row by row)', () => {
    let seed = 50;
    for (const slack of [0, 1, 16, 17, 40]) for (const cols of [3, 40]) {
      const c: GemmCase = { ...base, dtype, transA: false, transB: false, m: 7, n: cols, k: cols, seed: seed++, beta: 0.25,
        offA: 5, offB: 1, offC: 2, slackA: slack, slackB: slack, slackC: slack };
      checkGemm(c, runGemm(c));
    }
  });

  it('m = 0 or n = 0 does nothing', () => {
    const C = alloc(dtype, 4).fill(7);
    W.gemm(false, false, 0, 2, 2, 1, alloc(dtype, 4), 0, 2, alloc(dtype, 4), 0, 2, 0, C, 0, 2);
    W.gemm(false, false, 2, 0, 2, 1, alloc(dtype, 4), 0, 2, alloc(dtype, 4), 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([7, 7, 7, 7]);
  });

  it('property: random shapes, transposes, offsets, strides, alpha and beta', () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 140 }), n: fc.integer({ min: 1, max: 140 }), k: fc.integer({ min: 1, max: 300 }),
          transA: fc.boolean(), transB: fc.boolean(),
          alpha: fc.constantFrom(1, -1, 0.5, 3), beta: fc.constantFrom(0, 1, -0.5),
          offA: fc.nat(7), offB: fc.nat(7), offC: fc.nat(7),
          slackA: fc.constantFrom(0, 1, 3, 20), slackB: fc.constantFrom(0, 2, 17), slackC: fc.constantFrom(0, 1, 33),
          seed: fc.nat(),
        }),
        (r) => checkGemm({ dtype, ...r }, runGemm({ dtype, ...r })),
      ),
      { numRuns: 40, seed: 4242 },
    );
  });
});

describe.each(DTYPES)('wasm syrk (%s)', (dtype) => {
  it('both orientations over edge sizes: matches the reference and is exactly symmetric', () => {
    let seed = 1;
    for (const trans of [false, true]) {
      for (const n of [...EDGE_SIZES, 129]) for (const k of [1, 4, 17, 65, 257]) {
        const rng = new Random(seed++);
        const A = trans ? embed(dtype, k, n, 2, 3, rng) : embed(dtype, n, k, 1, 0, rng);
        const C = embed(dtype, n, n, 3, 2, rng, NaN);
        W.syrk(trans, n, k, A.data, A.off, A.ld, C.data, C.off, C.ld);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          let s = 0, abs = 0;
          for (let p = 0; p < k; p++) {
            const t = (trans ? at(A, p, i) * at(A, p, j) : at(A, i, p) * at(A, j, p));
            s += t;
            abs += Math.abs(t);
          }
          expectClose(at(C, i, j), s, abs, RTOL[dtype], `syrk trans=${trans} n=${n} k=${k} C[${i}][${j}]`);
          expect(at(C, i, j)).toBe(at(C, j, i));
        }
        expectOutsideUntouched(C, n, n);
      }
    }
  });

  it('k = 0 gives a zero matrix', () => {
    const C = alloc(dtype, 9).fill(NaN);
    W.syrk(false, 3, 0, alloc(dtype, 1), 0, 1, C, 0, 3);
    expect(Array.from(C)).toEqual(new Array(9).fill(0));
  });
});

describe.each(DTYPES)('wasm sqDistances, rowSqNorms (%s)', (dtype) => {
  function check(m: number, n: number, d: number, seed: number, same = false): void {
    const rng = new Random(seed);
    const A = embed(dtype, m, d, seed % 4, seed % 3 === 0 ? 20 : 1, rng);
    const B = same ? A : embed(dtype, n, d, 1, 0, rng);
    const na = alloc(dtype, m), nb = alloc(dtype, n);
    W.rowSqNorms(m, d, A.data, A.off, A.ld, na);
    W.rowSqNorms(n, d, B.data, B.off, B.ld, nb);
    const refA = refRowSqNorms(A, m, d), refB = refRowSqNorms(B, n, d);
    for (let i = 0; i < m; i++) expectClose(na[i]!, refA[i]!, refA[i]!, RTOL[dtype], `rowSqNorms d=${d} [${i}]`);
    for (let j = 0; j < n; j++) expectClose(nb[j]!, refB[j]!, refB[j]!, RTOL[dtype], `rowSqNorms d=${d} [${j}]`);
    const C = embed(dtype, m, n, 2, 3, rng, NaN);
    W.sqDistances(m, n, d, A.data, A.off, A.ld, na, B.data, B.off, B.ld, nb, C.data, C.off, C.ld);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let dot = 0, abs = 0;
      for (let p = 0; p < d; p++) {
        dot += at(A, i, p) * at(B, j, p);
        abs += Math.abs(at(A, i, p) * at(B, j, p));
      }
      const expected = Math.max(0, na[i]! + nb[j]! - 2 * dot);
      const v = at(C, i, j);
      expect(v).toBeGreaterThanOrEqual(0);
      expectClose(v, expected, na[i]! + nb[j]! + 2 * abs, RTOL[dtype], `sqDistances m=${m} n=${n} d=${d} C[${i}][${j}]`);
    }
    expectOutsideUntouched(C, m, n);
  }

  it('edge sizes on both paths (direct for n ≤ 32 and n·d ≤ 65536, gemm otherwise)', () => {
    let seed = 1;
    for (const m of [1, 3, 4, 5, 9, 17, 65]) for (const n of [...EDGE_SIZES, 31, 32, 33]) for (const d of [1, 2, 3, 8, 17, 64, 257]) {
      check(m, n, d, seed++);
    }
    // Few B rows but too many entries to keep in cache: back on the gemm path.
    check(6, 4, 16385, seed++);
    check(5, 32, 2049, seed++);
  });

  it('the k-means shape (many points, few centroids, d = 784)', () => {
    check(203, 10, 784, 5);
  });

  it('distances of rows to themselves are ≥ 0 and ≈ 0 (the clamp)', () => {
    check(37, 37, 50, 11, true);
  });

  it('d = 0: norms 0, distances 0', () => {
    const na = alloc(dtype, 2).fill(NaN), C = alloc(dtype, 6).fill(NaN);
    W.rowSqNorms(2, 0, alloc(dtype, 1), 0, 0, na);
    expect(Array.from(na)).toEqual([0, 0]);
    W.sqDistances(2, 3, 0, alloc(dtype, 1), 0, 0, na, alloc(dtype, 1), 0, 0, alloc(dtype, 3), C, 0, 3);
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe.each(DTYPES)('wasm argminRows (%s)', (dtype) => {
  it('equals the sequential definition exactly: ties resolve to the first index', () => {
    const rng = new Random(3);
    for (const m of [1, 2, 5]) for (const n of [...EDGE_SIZES, 100]) for (const slack of [0, 3, 30]) {
      // Small integers make ties frequent, in every lane position.
      const C = embed(dtype, m, n, 1, slack, rng);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C.data[C.off + i * C.ld + j] = rng.int(4);
      const index = new Int32Array(m).fill(-7);
      const values = alloc(dtype, m);
      W.argminRows(m, n, C.data, C.off, C.ld, index, values);
      const indexOnly = new Int32Array(m);
      W.argminRows(m, n, C.data, C.off, C.ld, indexOnly, null);
      for (let i = 0; i < m; i++) {
        const row = C.data.subarray(C.off + i * C.ld, C.off + i * C.ld + n);
        const [best, min] = refArgmin(row);
        expect([index[i], values[i], indexOnly[i]]).toEqual([best, min, best]);
      }
    }
  });

  it('NaN entries behave as in the sequential loop (skipped, unless first)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, pNaN) => {
        const rng = new Random(seed);
        const m = Math.ceil(64 / n) + 1; // at least 64 entries: the WebAssembly path
        const C = alloc(dtype, m * n);
        for (let p = 0; p < m * n; p++) C[p] = rng.uniform() < pNaN ? NaN : rng.int(5) - 2;
        const index = new Int32Array(m);
        const values = alloc(dtype, m);
        W.argminRows(m, n, C, 0, n, index, values);
        for (let i = 0; i < m; i++) {
          const [best, min] = refArgmin(C.subarray(i * n, (i + 1) * n));
          expect(index[i]).toBe(best);
          expect(Object.is(values[i], min)).toBe(true);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe.each(DTYPES)('wasm dot, axpy (%s)', (dtype) => {
  const strides = [[1, 1], [2, 1], [1, 3], [-1, 1], [-2, -3]] as const;
  // Contiguous calls of 64 entries or more run in WebAssembly (shorter or strided ones on the
  // TypeScript kernel, which is faster there): cross the 2/4/8/16 unrolls above 64 too.
  const LENGTHS = [...EDGE_SIZES, 0, 66, 67, 70, 71, 72, 73, 79, 80, 81, 127, 1000];

  function vectors(n: number, sx: number, sy: number, seed: number) {
    const rng = new Random(seed);
    const offX = sx < 0 ? (n - 1) * -sx + 2 : 2;
    const offY = sy < 0 ? (n - 1) * -sy + 1 : 1;
    const x = alloc(dtype, offX + Math.abs(sx) * n + 3).fill(9);
    const y = alloc(dtype, offY + Math.abs(sy) * n + 3).fill(9);
    for (let i = 0; i < n; i++) {
      x[offX + i * sx] = rng.uniform(-1, 1);
      y[offY + i * sy] = rng.uniform(-1, 1);
    }
    return { x, y, offX, offY };
  }

  it('dot over lengths crossing the unrolls, with strides and offsets', () => {
    let seed = 1;
    for (const n of LENGTHS) for (const [sx, sy] of strides) {
      const { x, y, offX, offY } = vectors(n, sx, sy, seed++);
      let s = 0, abs = 0;
      for (let i = 0; i < n; i++) {
        s += x[offX + i * sx]! * y[offY + i * sy]!;
        abs += Math.abs(x[offX + i * sx]! * y[offY + i * sy]!);
      }
      expectClose(W.dot(n, x, sx, offX, y, sy, offY), s, abs, RTOL[dtype], `dot n=${n} strides ${sx},${sy}`);
    }
  });

  it('axpy writes exactly the strided entries of y', () => {
    let seed = 1;
    for (const n of LENGTHS) for (const [sx, sy] of strides) for (const alpha of [0, 1, -0.3]) {
      const { x, y, offX, offY } = vectors(n, sx, sy, seed++);
      const y0 = y.slice();
      W.axpy(n, alpha, x, sx, offX, y, sy, offY);
      const touched = new Set<number>();
      for (let i = 0; i < n; i++) {
        const iy = offY + i * sy;
        touched.add(iy);
        const expected = y0[iy]! + alpha * x[offX + i * sx]!;
        expectClose(y[iy]!, expected, Math.abs(y0[iy]!) + Math.abs(alpha * x[offX + i * sx]!), RTOL[dtype], `axpy n=${n} [${i}]`);
      }
      for (let p = 0; p < y.length; p++) if (!touched.has(p)) expect(y[p]).toBe(y0[p]);
    }
  });
});
