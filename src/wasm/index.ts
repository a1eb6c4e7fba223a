/**
 * `latentspace/wasm`: the hot kernels (gemm, Gram matrices, squared distances, row norms,
 * row-wise argmin, dot, axpy) as WebAssembly SIMD, for float64 and float32.
 *
 * Importing this module does nothing by itself. {@link init} (browsers, anywhere) or
 * {@link initSync} (Node, workers) compiles the embedded module and makes it the active
 * backend of every latentspace function; where WebAssembly SIMD is missing, or a
 * Content-Security-Policy forbids compiling, they resolve with the TypeScript kernels still
 * active and say why. Nothing is ever thrown or logged by them.
 *
 * @example
 * ```ts
 * import { init, backend } from 'latentspace/wasm';
 * const result = await init(); // { backend: 'wasm' } or { backend: 'js', reason: '…' }
 * backend(); // 'wasm' where WebAssembly SIMD runs
 * ```
 *
 * @packageDocumentation
 */
import { checkChoice } from '../core/options.js';
import { fail } from '../core/errors.js';
import { base64ToBytes } from '../core/json.js';
import { kernels, setKernels } from '../linalg/backend.js';
import type { Kernels } from '../linalg/backend.js';
import { wasmBase64 } from './binary.generated.js';
import { createWasmKernels } from './kernels.js';
import type { WasmExports, WasmKernels } from './kernels.js';

/**
 * The two kernel implementations.
 *
 * @example
 * ```ts
 * const name: BackendName = backend(); // 'wasm' or 'js'
 * ```
 */
export type BackendName = 'wasm' | 'js';

/**
 * What {@link init} and {@link initSync} achieved: the WebAssembly backend is active, or the
 * TypeScript one still is, with the reason (no WebAssembly, no SIMD, compiling forbidden).
 *
 * @example
 * ```ts
 * const r: InitResult = await init();
 * if (r.backend === 'js') r.reason; // e.g. 'WebAssembly SIMD is not supported'
 * ```
 */
export type InitResult =
  | { readonly backend: 'wasm' }
  | { readonly backend: 'js'; readonly reason: string };

let instance: WasmKernels | undefined;
let pending: Promise<WasmKernels | string> | undefined;

/**
 * Compiles and instantiates the embedded module asynchronously (browsers may refuse to
 * compile synchronously on the main thread) and makes it the active backend. Resolves, never
 * rejects: with `{ backend: 'js', reason }` where WebAssembly SIMD is unavailable or
 * compiling is forbidden, leaving the TypeScript kernels active. Calling it again is cheap.
 *
 * @example
 * ```ts
 * const r = await init();
 * r.backend; // 'wasm' (Node ≥ 16.4, every current browser)
 * ```
 */
export async function init(): Promise<InitResult> {
  if (instance === undefined) {
    pending ??= instantiateAsync();
    const outcome = await pending;
    pending = undefined;
    if (typeof outcome === 'string') return { backend: 'js', reason: outcome };
    instance ??= outcome;
  }
  setKernels(instance);
  return { backend: 'wasm' };
}

/**
 * Synchronous {@link init}, for Node and workers. Browsers may refuse to compile a module
 * of this size synchronously on the main thread; that too is reported, not thrown.
 *
 * @example
 * ```ts
 * initSync().backend; // 'wasm'
 * ```
 */
export function initSync(): InitResult {
  if (instance === undefined) {
    const outcome = instantiateSync();
    if (typeof outcome === 'string') return { backend: 'js', reason: outcome };
    instance = outcome;
  }
  setKernels(instance);
  return { backend: 'wasm' };
}

/**
 * The backend latentspace functions run on now.
 *
 * @example
 * ```ts
 * backend(); // 'js' until init() or initSync() succeeds
 * ```
 */
export function backend(): BackendName {
  return kernels().name;
}

/**
 * Selects the backend explicitly. `'js'` always works; `'wasm'` compiles the module
 * synchronously if {@link init} has not run yet.
 *
 * @throws {@link core!LatentSpaceError} `WASM_UNAVAILABLE` when WebAssembly SIMD cannot run here
 *   (the message says why), `INVALID_OPTION` for any other name
 *
 * @example
 * ```ts
 * useBackend('js');
 * backend(); // 'js'
 * ```
 */
export function useBackend(name: BackendName): void {
  switch (checkChoice<BackendName>(name, 'backend', ['wasm', 'js'])) {
    case 'js':
      setKernels(undefined);
      return;
    case 'wasm':
      setKernels(wasmKernels());
      return;
  }
}

/**
 * The WebAssembly kernels themselves, without making them the active backend (for
 * comparisons and benchmarks). Instantiates the module synchronously on first use.
 *
 * @throws {@link core!LatentSpaceError} `WASM_UNAVAILABLE` when WebAssembly SIMD cannot run here
 *
 * @example
 * ```ts
 * const k = wasmKernels();
 * k.dot(3, new Float64Array([1, 2, 3]), 1, 0, new Float64Array([4, 5, 6]), 1, 0); // 32
 * ```
 */
export function wasmKernels(): Kernels {
  if (instance === undefined) {
    const outcome = instantiateSync();
    if (typeof outcome === 'string') {
      fail('WASM_UNAVAILABLE', `backend 'wasm': ${outcome}; the TypeScript kernels ('js') remain available`);
    }
    instance = outcome;
  }
  return instance;
}

/**
 * Size in bytes of the WebAssembly linear memory: 0 until the first kernel call (the module
 * has no static data), then whole 64 KiB pages. Operands are copied into one arena that
 * grows only when a call needs more than any call before, so this is the high-water mark of
 * the largest call, and repeating a call does not change it. Data an algorithm keeps
 * resident for its whole run (k-means keeps X there during a fit) counts too: it is given
 * back for reuse when the run ends, but memory never shrinks, so the mark stays.
 *
 * @example
 * ```ts
 * initSync();
 * const before = memoryBytes();
 * // … any number of calls no larger than earlier ones …
 * memoryBytes() === before; // true
 * ```
 */
export function memoryBytes(): number {
  return instance === undefined ? 0 : instance.memoryBytes();
}

/**
 * Releases the WebAssembly memory. Linear memory only grows, so one large call (a
 * distance matrix of 10⁴ rows) would keep its high-water mark for the life of the page or
 * process; `reset` drops the module instance and its memory (the engine frees it once
 * nothing refers to it) and, when the WebAssembly backend is active, puts a fresh instance
 * with the initial memory in its place, so later calls run on WebAssembly as before and
 * give the same results. Safe to call at any time between calls; does nothing before
 * `init()`.
 *
 * @returns the bytes released (the memory held before minus the memory held after)
 *
 * @example
 * ```ts
 * initSync();
 * linalg.sqDistances(bigX);  // memoryBytes() is now hundreds of MB
 * reset();                   // returns those bytes; memoryBytes() is back to its start
 * ```
 */
export function reset(): number {
  if (instance === undefined) return 0;
  const before = instance.memoryBytes();
  const active = kernels() === instance;
  instance = undefined;
  if (active) {
    const outcome = instantiateSync();
    if (typeof outcome === 'string') {
      // It compiled before; if it cannot now, fall back to the TypeScript kernels, as init() would.
      setKernels(undefined);
      return before;
    }
    instance = outcome;
    setKernels(instance);
  }
  return before - memoryBytes();
}

/**
 * Whether this runtime has WebAssembly with SIMD: `WebAssembly.validate` on a tiny module
 * using v128 instructions (no compilation, so a Content-Security-Policy does not affect it).
 *
 * @example
 * ```ts
 * simdSupported(); // true in Node ≥ 16.4 and current browsers
 * ```
 */
export function simdSupported(): boolean {
  return unsupportedReason() === undefined;
}

// (func (result v128) i32.const 0  i8x16.splat  i8x16.popcnt): the same probe as
// wasm-feature-detect and tfjs-backend-wasm. i8x16.popcnt was among the last instructions
// added to the SIMD proposal, so engines with an early, partial SIMD fail it.
const SIMD_PROBE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // code
];

function unsupportedReason(): string | undefined {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (typeof wasm !== 'object' || wasm === null || typeof wasm.validate !== 'function') {
    return 'WebAssembly is not available';
  }
  try {
    if (!wasm.validate(new Uint8Array(SIMD_PROBE))) return 'WebAssembly SIMD is not supported';
  } catch {
    return 'WebAssembly SIMD is not supported';
  }
  return undefined;
}

function describeFailure(error: unknown): string {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `WebAssembly could not be compiled here (${detail})`;
}

async function instantiateAsync(): Promise<WasmKernels | string> {
  const reason = unsupportedReason();
  if (reason !== undefined) return reason;
  try {
    // A strict Content-Security-Policy (no 'wasm-unsafe-eval') makes compile reject.
    const module = await WebAssembly.compile(base64ToBytes(wasmBase64) as Uint8Array<ArrayBuffer>);
    const created = await WebAssembly.instantiate(module, {});
    return createWasmKernels(created.exports as unknown as WasmExports);
  } catch (error) {
    return describeFailure(error);
  }
}

function instantiateSync(): WasmKernels | string {
  const reason = unsupportedReason();
  if (reason !== undefined) return reason;
  try {
    const module = new WebAssembly.Module(base64ToBytes(wasmBase64) as Uint8Array<ArrayBuffer>);
    const created = new WebAssembly.Instance(module, {});
    return createWasmKernels(created.exports as unknown as WasmExports);
  } catch (error) {
    return describeFailure(error);
  }
}

export type { WasmKernels } from './kernels.js';
