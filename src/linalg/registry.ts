import type { Kernels } from './kernels/types.js';

// The kernel registry: which implementation runs. It holds only what `latentspace/wasm`
// registers; the TypeScript kernels are the fallback each accessor in ./kernels/dispatch.ts
// names itself, so this file imports no kernel and a bundle keeps only the kernels it calls.

let registered: Kernels | null = null;

/** The registered kernel table (WebAssembly after `init()`), or null while the TypeScript kernels run. */
export function registeredKernels(): Kernels | null {
  return registered;
}

/** Makes `next` the active implementation (`undefined` restores the TypeScript kernels). */
export function setKernels(next: Kernels | undefined): void {
  registered = next === undefined || next.name === 'js' ? null : next;
}
