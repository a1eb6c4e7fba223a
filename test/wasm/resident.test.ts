// Resident operands (src/wasm/arena.ts, the Call layout of src/wasm/kernels.ts): regions of
// linear memory that kernels read and write in place, addressed by offset so that growth
// (which detaches every view) loses nothing, reused once released.
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../src/core/json.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import type { Kernels } from '../../src/linalg/kernels/types.js';
import { wasmBase64 } from '../../src/wasm/binary.generated.js';
import { createWasmKernels, type WasmExports } from '../../src/wasm/kernels.js';
import { fill } from '../helpers/backends.js';
import { kernelsThatCannotGrow } from './reference.js';

function instance(): { K: ReturnType<typeof createWasmKernels>; memory: WebAssembly.Memory } {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(base64ToBytes(wasmBase64) as Uint8Array<ArrayBuffer>), {}).exports as unknown as WasmExports;
  return { K: createWasmKernels(ex), memory: ex.memory };
}

/** Grows the memory of K by at least `bytes` with an ordinary kernel call (a gemm whose operands are copied in). */
function growBy(K: Kernels, bytes: number): void {
  const n = Math.ceil(Math.sqrt(bytes / 8 / 3)) + 1;
  K.gemm(false, false, n, n, n, 1, new Float64Array(n * n), 0, n, new Float64Array(n * n), 0, n, 0, new Float64Array(n * n), 0, n);
}

const bits = (a: ArrayLike<number>): number[] => Array.from(a);

describe('regions of linear memory', () => {
  it('hold their data in linear memory; views are re-derived after growth, which detaches the old ones', () => {
    const { K, memory } = instance();
    const data = fill(new Float64Array(1000), 1);
    const r = K.resident(data);
    const before = r.view();
    expect(before.buffer).toBe(memory.buffer);
    expect(bits(before)).toEqual(bits(data));
    const bytes = K.memoryBytes();
    growBy(K, 4 * bytes);
    expect(K.memoryBytes()).toBeGreaterThan(bytes);
    expect(before.length).toBe(0); // detached by the growth
    const after = r.view();
    expect(after.buffer).toBe(memory.buffer);
    expect(bits(after)).toEqual(bits(data));
    // A detached view reaching a kernel is a bug of the caller: it says so instead of reading zeros.
    expect(() => K.rowSqNorms(10, 100, before, 0, 100, new Float64Array(10))).toThrow(/detached view/);
    r.release();
    expect(() => r.view()).toThrow(/after release/);
  });

  it('released regions are reused: their addresses come back, neighbours merge, memory stays flat', () => {
    const { K } = instance();
    const a = K.region(new Float64Array(0), 5000), b = K.region(new Float32Array(0), 3000), c = K.region(new Int32Array(0), 100);
    const at = (r: { view(): { byteOffset: number } }) => r.view().byteOffset;
    const [pa, pb, pc] = [at(a), at(b), at(c)];
    expect(pb).toBeGreaterThanOrEqual(pa + 5000 * 8);
    expect(pc).toBeGreaterThanOrEqual(pb + 3000 * 4);
    b.release();
    a.release();
    // a and b merged: a region as large as both together fits where a was.
    const ab = K.region(new Float64Array(0), 5000 + 1500);
    expect(at(ab)).toBe(pa);
    ab.release();
    c.release();
    const bytes = K.memoryBytes();
    for (let r = 0; r < 1000; r++) {
      const x = K.resident(new Float64Array(1000 + (r % 7) * 100));
      const y = K.region(new Float32Array(0), 2000 + (r % 5) * 300);
      expect(at(x)).toBe(pa);
      K.sqDistances(10, 5, 100, x.view(), 0, 100, null, x.view(), 0, 100, null, new Float64Array(50), 0, 5);
      (r % 2 === 0 ? x : y).release();
      (r % 2 === 0 ? y : x).release();
    }
    expect(K.memoryBytes()).toBe(bytes);
  });

  it('where memory cannot grow, a region is a plain array and the kernels copy it as before', () => {
    const K = kernelsThatCannotGrow();
    const data = fill(new Float64Array(64), 2);
    const r = K.resident(data);
    expect(bits(r.view())).toEqual(bits(data));
    const out = new Float64Array(8), ref = new Float64Array(8);
    K.rowSqNorms(8, 8, r.view(), 0, 8, out);
    jsKernels.rowSqNorms(8, 8, data, 0, 8, ref);
    expect(bits(out)).toEqual(bits(ref));
    r.release();
  });
});

describe('kernels on resident operands give the bits of copied ones', () => {
  // Operands as regions (inputs read in place, outputs written in place) against the same
  // call on ordinary arrays; offsets and leading dimensions with gaps, which must survive.
  const { K } = instance();
  const res = <A extends Float64Array | Float32Array | Int32Array>(a: A): { r: ReturnType<Kernels['resident']>; v: () => A } => {
    const r = K.resident(a);
    return { r, v: () => r.view() as A };
  };

  for (const F of [Float64Array, Float32Array]) {
    it(`gemm, syrk, sqDistances, rowSqNorms, argminRows, dot, axpy (${F.name})`, () => {
      for (const [m, n, d] of [[5, 3, 7], [67, 10, 130], [129, 33, 64]] as const) {
        const lda = d + 3, ldc = n + 2, off = 5;
        const A = fill(new F(off + m * lda), m), B = fill(new F(n * d), n + 1);
        const C0 = fill(new F(off + m * ldc), 7); // gaps and offset hold values that must stay
        const plain = C0.slice(), ra = res(A), rb = res(B), rc = res(C0.slice());
        K.gemm(false, true, m, n, d, 1.5, A, off, lda, B, 0, d, 0.5, plain, off, ldc);
        K.gemm(false, true, m, n, d, 1.5, ra.v(), off, lda, rb.v(), 0, d, 0.5, rc.v(), off, ldc);
        expect(bits(rc.v())).toEqual(bits(plain));

        const G = new F(d * d), rg = res(new F(d * d));
        K.syrk(true, d, m, A, off, lda, G, 0, d);
        K.syrk(true, d, m, ra.v(), off, lda, rg.v(), 0, d);
        expect(bits(rg.v())).toEqual(bits(G));

        const na = new F(m), rna = res(new F(m));
        K.rowSqNorms(m, d, A, off, lda, na);
        K.rowSqNorms(m, d, ra.v(), off, lda, rna.v());
        expect(bits(rna.v())).toEqual(bits(na));

        const D = C0.slice(), rd = res(C0.slice());
        K.sqDistances(m, n, d, A, off, lda, na, B, 0, d, null, D, off, ldc);
        K.sqDistances(m, n, d, ra.v(), off, lda, rna.v(), rb.v(), 0, d, null, rd.v(), off, ldc);
        expect(bits(rd.v())).toEqual(bits(D));

        const index = new Int32Array(m), values = new F(m), ri = res(new Int32Array(m)), rv = res(new F(m));
        K.argminRows(m, n, D, off, ldc, index, values);
        K.argminRows(m, n, rd.v(), off, ldc, ri.v(), rv.v());
        expect(bits(ri.v())).toEqual(bits(index));
        expect(bits(rv.v())).toEqual(bits(values));

        expect(K.dot(m * d, ra.v(), 1, off, ra.v(), 1, off)).toBe(K.dot(m * d, A, 1, off, A, 1, off));
        const y = fill(new F(m * d), 3), ry = res(y.slice());
        K.axpy(m * d, -0.25, A, 1, off, y, 1, 0);
        K.axpy(m * d, -0.25, ra.v(), 1, off, ry.v(), 1, 0);
        expect(bits(ry.v())).toEqual(bits(y));
        for (const r of [ra, rb, rc, rg, rna, rd, ri, rv, ry]) r.r.release();
      }
    });
  }

  it('an output overlapping an input of the same call goes through the scratch, as with ordinary arrays', () => {
    for (const n of [64, 100, 1000]) {
      const x = fill(new Float64Array(n + 8), n);
      // y is x shifted by 8: the kernel reads x as it was before the call, as it does for
      // ordinary overlapping arrays (which it copies in).
      const plain = x.slice();
      jsKernels.axpy(n, 2, x.slice(), 1, 0, plain, 1, 8);
      const r = K.resident(x);
      K.axpy(n, 2, r.view(), 1, 0, r.view(), 1, 8);
      expect(bits(r.view())).toEqual(bits(plain));
      r.release();
    }
    // C = A·B with C the same region as A: the product must read A before it is overwritten.
    const m = 20, A = fill(new Float64Array(m * m), 9), B = fill(new Float64Array(m * m), 10);
    const C = new Float64Array(m * m);
    jsKernels.gemm(false, false, m, m, m, 1, A, 0, m, B, 0, m, 0, C, 0, m);
    const r = K.resident(A);
    K.gemm(false, false, m, m, m, 1, r.view(), 0, m, B, 0, m, 0, r.view(), 0, m);
    const got = r.view();
    for (let p = 0; p < m * m; p++) expect(got[p]).toBeCloseTo(C[p]!, 12);
    r.release();
  });

  it('the symmetric, t-SNE, Fisher-Rao and Adam kernels accept resident operands', () => {
    const n = 40;
    const S = fill(new Float64Array(n * n), 4);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) S[i * n + j] = S[j * n + i]!;
    const run = (k: Kernels, wrap: <A extends Float64Array>(a: A) => A) => {
      const A = wrap(S.slice()), d = wrap(new Float64Array(n)), e = wrap(new Float64Array(n)), tau = wrap(new Float64Array(n));
      k.tridiagonalize(n, A, 0, n, d, e, tau);
      const p = wrap(fill(new Float64Array(100), 5)), m = wrap(new Float64Array(100)), v = wrap(new Float64Array(100));
      k.adam(100, p, fill(new Float64Array(100), 6), m, v, 0.01, 1, 0.9, 0.999, 1e-8, 0);
      return [A, d, e, tau, p, m, v].map((a) => bits(a));
    };
    const regions: { release(): void }[] = [];
    // Each array becomes a region's view; views are read after all calls here, so no call
    // between them grows memory (the layout is fixed before the first): re-derive to be safe.
    const wrapped = run(K, (a) => {
      const r = K.resident(a);
      regions.push(r);
      return r.view();
    });
    expect(wrapped).toEqual(run(K, (a) => a));
    for (const r of regions) r.release();
  });
});
