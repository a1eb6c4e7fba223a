import { jsKernels } from './kernels/index.js';
import type { Kernels } from './kernels/types.js';
import { registeredKernels, setKernels } from './registry.js';

export type { Kernels } from './kernels/types.js';
export { setKernels };

/**
 * The whole kernel table active now: the registered one (WebAssembly after `init()`), or
 * the TypeScript kernels. Library code calls the per-kernel accessors of
 * ./kernels/dispatch.ts instead, so a bundle keeps only the kernels it uses.
 */
export function kernels(): Kernels {
  return registeredKernels() ?? jsKernels;
}
