/**
 * `latentspace/linalg`: dense linear algebra over {@link Matrix} values. Public functions
 * validate their arguments once and call unvalidated kernels on the active backend
 * (TypeScript, or WebAssembly SIMD after `init()` from `latentspace/wasm`).
 *
 * @packageDocumentation
 */
export { matmul, gram } from './matmul.js';
export type { MatmulOptions, GramOptions } from './matmul.js';
export { sqDistances, argminRows, rowSqNorms } from './distances.js';
export type { ArgminResult } from './distances.js';
export { dot, axpy } from './vector.js';
export { kernels, setKernels } from './backend.js';
export type { Kernels } from './backend.js';
export { jsKernels } from './kernels/index.js';
export type { Matrix } from '../core/matrix.js';
