import { afterAll, beforeAll } from 'vitest';
import { setKernels } from '../../src/linalg/backend.js';
import { initSync, useBackend } from '../../src/wasm/index.js';

/** The backends every kernel test runs on. */
export const backendNames = ['js', 'wasm'] as const;
export type BackendName = (typeof backendNames)[number];

/**
 * Inside a `describe.each(backendNames)` block: activates the backend for the block's
 * tests and restores the TypeScript kernels afterwards.
 */
export function useBackendFor(name: BackendName): void {
  beforeAll(() => {
    if (name === 'wasm') {
      initSync();
      useBackend('wasm');
    } else {
      useBackend('js');
    }
  });
  afterAll(() => setKernels(undefined));
}

/** Runs `f` on the TypeScript backend, then on the WebAssembly one; restores the TypeScript kernels. */
export function onBothBackends<T>(f: () => T): [T, T] {
  try {
    useBackend('js');
    const js = f();
    initSync();
    useBackend('wasm');
    return [js, f()];
  } finally {
    setKernels(undefined);
  }
}

/** Sizes that cross every unroll (4) and block (128, 256) boundary of the kernels. */
export const boundarySizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65] as const;

/** Deterministic pseudo-random fill in [-1, 1) (a tiny LCG, independent of the library). */
export function fill<T extends Float64Array | Float32Array>(out: T, seed: number): T {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
