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
export { eigh, eigvalsh } from './eigh.js';
export type { EighOptions, EighResult } from './eigh.js';
export { svd } from './svd.js';
export type { SvdOptions, SvdResult } from './svd.js';
export { qr } from './qr.js';
export type { QrOptions, QrResult } from './qr.js';
export { cholesky, createCholeskyFactor, choleskyAppend, choleskySolveInPlace, choleskyFactorMatrix } from './cholesky.js';
export type { CholeskyOptions, CholeskyFactor } from './cholesky.js';
export { solveTriangular } from './triangular.js';
export type { SolveTriangularOptions } from './triangular.js';
export { randomizedRangeFinder } from './range-finder.js';
export type { RangeFinderOptions, RangeNormalizer } from './range-finder.js';
export { svdFlip, largestEntrySign } from './sign.js';
export type { SvdFlipResult } from './sign.js';
export { kernels, setKernels } from './backend.js';
export type { Kernels } from './backend.js';
export type { Region } from './kernels/types.js';
export { jsKernels } from './kernels/index.js';
export type { Matrix } from '../core/matrix.js';
