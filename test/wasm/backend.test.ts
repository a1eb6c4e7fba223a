// init / initSync / backend / useBackend, the fallbacks (no WebAssembly, no SIMD, compiling
// forbidden by a Content-Security-Policy), the absence of import-time work, the embedded
// binary, and the memory arena's reuse. Each test imports fresh copies of the modules
// (vi.resetModules), since the backend switch is module state.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LatentSpaceError } from '../../src/core/errors.js';
import { base64ToBytes } from '../../src/core/json.js';
import { jsKernels } from '../../src/linalg/kernels/index.js';
import { wasmBase64, wasmByteLength } from '../../src/wasm/binary.generated.js';
import { kernelsThatCannotGrow } from './reference.js';

type WasmModule = typeof import('../../src/wasm/index.js');
type BackendModule = typeof import('../../src/linalg/backend.js');

async function fresh(): Promise<{ wasm: WasmModule; linalg: BackendModule }> {
  vi.resetModules();
  const wasm = await import('../../src/wasm/index.js');
  const linalg = await import('../../src/linalg/backend.js');
  return { wasm, linalg };
}

/** A WebAssembly namespace that behaves like the real one except for `overrides`. */
function fakeWebAssembly(overrides: Record<string, unknown>): typeof WebAssembly {
  const real = WebAssembly;
  const props: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(overrides)) props[key] = { value, enumerable: true };
  return Object.create(real, props) as typeof WebAssembly;
}

function spyConsole() {
  return (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((name) => vi.spyOn(console, name));
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('backend selection', () => {
  it('starts on the TypeScript kernels; importing compiles nothing', async () => {
    const compile = vi.fn(WebAssembly.compile);
    const Module = vi.fn();
    vi.stubGlobal('WebAssembly', fakeWebAssembly({ compile, Module, instantiate: vi.fn() }));
    const { wasm, linalg } = await fresh();
    expect(compile).not.toHaveBeenCalled();
    expect(Module).not.toHaveBeenCalled();
    expect(wasm.backend()).toBe('js');
    expect(linalg.kernels().name).toBe('js');
    expect(wasm.memoryBytes()).toBe(0);
  });

  it('initSync() activates WebAssembly and says so', async () => {
    const { wasm, linalg } = await fresh();
    expect(wasm.initSync()).toEqual({ backend: 'wasm' });
    expect(wasm.backend()).toBe('wasm');
    expect(linalg.kernels().name).toBe('wasm');
    expect(wasm.initSync()).toEqual({ backend: 'wasm' });
  });

  it('init() compiles asynchronously and activates WebAssembly; concurrent calls share one compile', async () => {
    const realCompile = WebAssembly.compile.bind(WebAssembly);
    const compile = vi.fn((bytes: BufferSource) => realCompile(bytes));
    vi.stubGlobal('WebAssembly', fakeWebAssembly({ compile }));
    const { wasm, linalg } = await fresh();
    const [a, b] = await Promise.all([wasm.init(), wasm.init()]);
    expect(a).toEqual({ backend: 'wasm' });
    expect(b).toEqual({ backend: 'wasm' });
    expect(compile).toHaveBeenCalledTimes(1);
    expect(compile.mock.results[0]!.value).toBeInstanceOf(Promise);
    expect(wasm.backend()).toBe('wasm');
    expect(linalg.kernels().name).toBe('wasm');
    expect(await wasm.init()).toEqual({ backend: 'wasm' });
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it('useBackend switches both ways and validates its argument', async () => {
    const { wasm, linalg } = await fresh();
    wasm.useBackend('wasm'); // instantiates synchronously when init() has not run
    expect(wasm.backend()).toBe('wasm');
    wasm.useBackend('js');
    expect(wasm.backend()).toBe('js');
    expect(linalg.kernels().name).toBe('js');
    wasm.useBackend('wasm');
    expect(linalg.kernels().name).toBe('wasm');
    expect(() => wasm.useBackend('gpu' as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => wasm.useBackend('gpu' as never)).toThrow(/'wasm', 'js'/);
  });

  it('init() after useBackend("js") makes WebAssembly active again', async () => {
    const { wasm } = await fresh();
    await wasm.init();
    wasm.useBackend('js');
    expect(await wasm.init()).toEqual({ backend: 'wasm' });
    expect(wasm.backend()).toBe('wasm');
  });
});

describe('fallbacks: resolve with the TypeScript kernels, throw nothing, log nothing', () => {
  async function expectFallback(reason: RegExp, simd: boolean): Promise<void> {
    const spies = spyConsole();
    const { wasm, linalg } = await fresh();
    expect(wasm.simdSupported()).toBe(simd);
    const a = await wasm.init();
    expect(a.backend).toBe('js');
    expect(a.backend === 'js' && a.reason).toMatch(reason);
    const b = wasm.initSync();
    expect(b.backend).toBe('js');
    expect(b.backend === 'js' && b.reason).toMatch(reason);
    expect(wasm.backend()).toBe('js');
    expect(linalg.kernels().name).toBe('js');
    expect(wasm.memoryBytes()).toBe(0);
    let error: unknown;
    try {
      wasm.useBackend('wasm');
    } catch (e) {
      error = e;
    }
    // A fresh module graph has its own LatentSpaceError class, hence no instanceof here.
    expect(error).toMatchObject({ name: 'LatentSpaceError', code: 'WASM_UNAVAILABLE' });
    expect((error as LatentSpaceError).message).toContain(a.backend === 'js' ? a.reason : '?');
    expect(wasm.backend()).toBe('js');
    expect(() => wasm.wasmKernels()).toThrow(expect.objectContaining({ code: 'WASM_UNAVAILABLE' }));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  }

  it('no WebAssembly SIMD (validate rejects the v128 probe)', async () => {
    const realValidate = WebAssembly.validate.bind(WebAssembly);
    const validate = vi.fn(() => false);
    vi.stubGlobal('WebAssembly', fakeWebAssembly({ validate }));
    await expectFallback(/^WebAssembly SIMD is not supported$/, false);
    const probe = (validate.mock.calls[0] as unknown as [Uint8Array])[0];
    // The probe really is SIMD: the real engine accepts it, an engine without SIMD would not.
    expect(realValidate(probe as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(Array.from(probe)).toContain(0xfd); // the SIMD opcode prefix
  });

  it('no WebAssembly at all', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    await expectFallback(/^WebAssembly is not available$/, false);
  });

  it('compiling forbidden by a Content-Security-Policy', async () => {
    // What Chromium reports under `script-src 'self'` (no 'wasm-unsafe-eval').
    const refused = (): WebAssembly.CompileError => new WebAssembly.CompileError(
      "WebAssembly.compile(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script",
    );
    vi.stubGlobal('WebAssembly', fakeWebAssembly({
      compile: () => Promise.reject(refused()),
      instantiate: () => Promise.reject(refused()),
      Module: function Module() { throw refused(); },
    }));
    await expectFallback(/could not be compiled here \(CompileError: .*Refused to compile/, true);
  });

  it('a synchronous compile refused (browser main thread) is reported by initSync, not thrown', async () => {
    vi.stubGlobal('WebAssembly', fakeWebAssembly({
      Module: function Module() { throw new RangeError('WebAssembly.Module(): Buffer size exceeds the main-thread limit'); },
    }));
    const { wasm } = await fresh();
    const r = wasm.initSync();
    expect(r).toEqual({ backend: 'js', reason: expect.stringContaining('RangeError') });
    // The asynchronous path still works.
    expect(await wasm.init()).toEqual({ backend: 'wasm' });
  });
});

describe('the embedded module', () => {
  it('decodes to a valid, import-free module exporting every kernel', () => {
    const bytes = base64ToBytes(wasmBase64);
    expect(bytes.length).toBe(wasmByteLength);
    expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)).toBe(true);
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const names = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    expect(names).toEqual([
      'daxpy', 'ddot', 'dargmin', 'dgemm', 'dgemmWork', 'dreflect', 'dreflectWork', 'drownorms', 'dsecular',
      'dsecularWork', 'dsqdist', 'dsqdistat', 'dsqdistatWork', 'dsyrk', 'dsytrd', 'dsytrdWork', 'heapBase', 'memory',
      'saxpy', 'sargmin', 'sdot', 'sgemm', 'sgemmWork', 'srownorms', 'ssqdist', 'ssqdistat', 'ssqdistatWork', 'ssyrk',
      'dfisherraodiag', 'dadam', 'sadam', 'dbcelogits', 'sbcelogits', 'dbiasrelu', 'sbiasrelu', 'dbiasrelugrad', 'sbiasrelugrad', 'drotchain', 'dgemv', 'dreflectrows',
      'dclustersums', 'sclustersums', 'dcolumnsums', 'scolumnsums', 'dshifttof32', 'dassigned', 'sassigned', 'dargmin2', 'sargmin2', 'gatherrows',
      'dassignedsums', 'sassignedsums', 'dpairsqdist', 'spairsqdist', 'dcolumnranges', 'dshiftcolstof32', 'i16scores', 'dshifttoi16',
      'dtsneattr2', 'dtsnebh2', 'dtsnebh2Work', 'dsmallest', 'dsmallestWork',
      'dbatchomp', 'dbatchompWork',
    ].sort());
  });

  it('src/wasm uses no console, eval or Function constructor', () => {
    const dir = fileURLToPath(new URL('../../src/wasm/', import.meta.url));
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/\bconsole\./);
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\b/);
    }
  });
});

describe('memory arena', () => {
  it('grows on the first call of a size and never again for calls no larger', async () => {
    const { wasm } = await fresh();
    wasm.initSync();
    const k = wasm.wasmKernels();
    const m = 120, n = 90, d = 70;
    const A = new Float64Array(m * d).map((_, i) => Math.sin(i));
    const B = new Float64Array(n * d).map((_, i) => Math.cos(i));
    const C = new Float64Array(m * n);
    const na = new Float64Array(m), nb = new Float64Array(n);
    const index = new Int32Array(m);
    const once = (): void => {
      k.gemm(false, true, m, n, d, 1, A, 0, d, B, 0, d, 0, C, 0, n);
      k.rowSqNorms(m, d, A, 0, d, na);
      k.rowSqNorms(n, d, B, 0, d, nb);
      k.sqDistances(m, n, d, A, 0, d, na, B, 0, d, nb, C, 0, n);
      k.argminRows(m, n, C, 0, n, index, null);
      k.syrk(true, d, m, A, 0, d, C, 0, d);
      k.dot(m * d, A, 1, 0, A, 1, 0);
      k.axpy(n * d, 0.5, B, 1, 0, B, 1, 0);
    };
    once();
    const after = wasm.memoryBytes();
    expect(after).toBeGreaterThan(0);
    for (let r = 0; r < 1000; r++) once();
    expect(wasm.memoryBytes()).toBe(after);
    // Float32 operands of the same shape need fewer bytes: still no growth.
    const A32 = Float32Array.from(A), B32 = Float32Array.from(B), C32 = new Float32Array(m * n);
    for (let r = 0; r < 100; r++) k.gemm(false, true, m, n, d, 1, A32, 0, d, B32, 0, d, 0, C32, 0, n);
    expect(wasm.memoryBytes()).toBe(after);
    // A larger call grows it once, by whole 64 KiB pages.
    const big = 400;
    const X = new Float64Array(big * big);
    k.gemm(false, false, big, big, big, 1, X, 0, big, X, 0, big, 0, new Float64Array(big * big), 0, big);
    const grown = wasm.memoryBytes();
    expect(grown).toBeGreaterThan(after);
    expect(grown % 65536).toBe(0);
    k.gemm(false, false, big, big, big, 1, X, 0, big, X, 0, big, 0, new Float64Array(big * big), 0, big);
    expect(wasm.memoryBytes()).toBe(grown);
  });

  it('a call that cannot grow memory (past the 4 GiB of wasm32) runs on the TypeScript kernels', () => {
    const k = kernelsThatCannotGrow();
    const m = 9, n = 70, d = 11;
    const A = new Float64Array(m * d).map((_, i) => Math.sin(i));
    const B = new Float64Array(n * d).map((_, i) => Math.cos(i));
    const run = (K: typeof jsKernels) => {
      const C = new Float64Array(m * n), G = new Float64Array(d * d), na = new Float64Array(m), nb = new Float64Array(n);
      const D = new Float64Array(m * n), index = new Int32Array(m), y = B.slice(0, 100);
      K.gemm(false, true, m, n, d, 1, A, 0, d, B, 0, d, 0, C, 0, n);
      K.syrk(true, d, m, A, 0, d, G, 0, d);
      K.rowSqNorms(m, d, A, 0, d, na);
      K.rowSqNorms(n, d, B, 0, d, nb);
      K.sqDistances(m, n, d, A, 0, d, na, B, 0, d, nb, D, 0, n);
      K.argminRows(m, n, D, 0, n, index, null);
      K.axpy(99, 2, A, 1, 0, y, 1, 1);
      return { C, G, na, nb, D, index, y, dot: K.dot(99, A, 1, 0, B, 1, 0) };
    };
    expect(run(k)).toEqual(run(jsKernels));
    expect(k.memoryBytes()).toBe(0);
  });
});
