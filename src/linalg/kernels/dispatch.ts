import { registeredKernels } from '../registry.js';
import { adam } from './adam.js';
import { bceLogits } from './bce.js';
import { biasRelu, biasReluGrad } from './dense.js';
import { axpy, dot } from './blas1.js';
import { argmin2Rows, argminRows, rowSqNorms, sqDistances } from './distances.js';
import { assignedSqDistances, clusterSums, columnSums, gatherRows, shiftToFloat32, sqDistancesAt } from './clusters.js';
import { fisherRaoDiagonalSq } from './fisher-rao.js';
import { region, resident } from './resident.js';
import { rotateChain } from './givens.js';
import { gemv } from './gemv.js';
import { reflectRows } from './reflect-rows.js';
import { assignedSums, columnRanges, pairSqDistances, shiftColumnsToFloat32 } from './som.js';
import { quantizedScores, quantizedScoresAt, shiftToInt16 } from './quantized.js';
import { gemm } from './gemm.js';
import { batchOmp } from './omp.js';
import { applyReflectorsRight } from './reflectors.js';
import { secularEigen } from './secular.js';
import { syrk } from './syrk.js';
import { tridiagonalize } from './tridiagonalize.js';
import { smallestInRows, tsneAttraction2, tsneBarnesHut2 } from './tsne.js';
import type { Kernels } from './types.js';

// One accessor per kernel: the registered implementation (WebAssembly after `init()`) or
// this kernel's TypeScript fallback. Call `gemmKernel()(…)` where a kernel runs; unlike the
// whole table (`kernels()`), an accessor imports only its own fallback, so k-means' bundle
// does not carry the t-SNE, Fisher-Rao and eigen-solver kernels.

/** Which kernels run: 'wasm' after `init()`, else 'js'. */
export const activeBackendName = (): 'js' | 'wasm' => registeredKernels()?.name ?? 'js';
/** Places data where the active kernels read it without a copy (see `Region`). */
export const residentKernel = (): Kernels['resident'] => registeredKernels()?.resident ?? resident;
/** A region of the active kernels' memory (see `Region`). */
export const regionKernel = (): Kernels['region'] => registeredKernels()?.region ?? region;
/** The active GEMM kernel. */
export const gemmKernel = (): Kernels['gemm'] => registeredKernels()?.gemm ?? gemm;
/** The active Gram-matrix kernel. */
export const syrkKernel = (): Kernels['syrk'] => registeredKernels()?.syrk ?? syrk;
/** The active squared-distance kernel. */
export const sqDistancesKernel = (): Kernels['sqDistances'] => registeredKernels()?.sqDistances ?? sqDistances;
/** The active row-norm kernel. */
export const rowSqNormsKernel = (): Kernels['rowSqNorms'] => registeredKernels()?.rowSqNorms ?? rowSqNorms;
/** The active row-argmin kernel. */
export const argminRowsKernel = (): Kernels['argminRows'] => registeredKernels()?.argminRows ?? argminRows;
/** The active two-smallest-per-row kernel. */
export const argmin2RowsKernel = (): Kernels['argmin2Rows'] => registeredKernels()?.argmin2Rows ?? argmin2Rows;
/** The active row-gathering kernel. */
export const gatherRowsKernel = (): Kernels['gatherRows'] => registeredKernels()?.gatherRows ?? gatherRows;
/** The active kernel for squared distances of indexed rows. */
export const sqDistancesAtKernel = (): Kernels['sqDistancesAt'] => registeredKernels()?.sqDistancesAt ?? sqDistancesAt;
/** The active per-cluster row-sum kernel. */
export const clusterSumsKernel = (): Kernels['clusterSums'] => registeredKernels()?.clusterSums ?? clusterSums;
/** The active column-sum kernel. */
export const columnSumsKernel = (): Kernels['columnSums'] => registeredKernels()?.columnSums ?? columnSums;
/** The active float32-mirror kernel. */
export const shiftToFloat32Kernel = (): Kernels['shiftToFloat32'] => registeredKernels()?.shiftToFloat32 ?? shiftToFloat32;
/** The active distance-to-own-centre kernel. */
export const assignedSqDistancesKernel = (): Kernels['assignedSqDistances'] => registeredKernels()?.assignedSqDistances ?? assignedSqDistances;
/** The active SOM kernel for the exact distances to the winners and the per-unit sums. */
export const assignedSumsKernel = (): Kernels['assignedSums'] => registeredKernels()?.assignedSums ?? assignedSums;
/** The active integer-screen kernel (int16 dot products, see ./quantized.ts). */
export const quantizedScoresKernel = (): Kernels['quantizedScores'] => registeredKernels()?.quantizedScores ?? quantizedScores;
/** The active kernel making the integer screen's copy of X (see ./quantized.ts). */
export const shiftToInt16Kernel = (): Kernels['shiftToInt16'] => registeredKernels()?.shiftToInt16 ?? shiftToInt16;
/** The active integer-screen kernel for indexed rows (see ./quantized.ts). */
export const quantizedScoresAtKernel = (): Kernels['quantizedScoresAt'] => registeredKernels()?.quantizedScoresAt ?? quantizedScoresAt;
/** The active kernel for exact distances of (row, unit) pairs. */
export const pairSqDistancesKernel = (): Kernels['pairSqDistances'] => registeredKernels()?.pairSqDistances ?? pairSqDistances;
/** The active column-range kernel. */
export const columnRangesKernel = (): Kernels['columnRanges'] => registeredKernels()?.columnRanges ?? columnRanges;
/** The active SOM float32-mirror kernel (the columns that vary). */
export const shiftColumnsToFloat32Kernel = (): Kernels['shiftColumnsToFloat32'] => registeredKernels()?.shiftColumnsToFloat32 ?? shiftColumnsToFloat32;
/** The active dot-product kernel. */
export const dotKernel = (): Kernels['dot'] => registeredKernels()?.dot ?? dot;
/** The active axpy kernel. */
export const axpyKernel = (): Kernels['axpy'] => registeredKernels()?.axpy ?? axpy;
/** The active tridiagonalisation kernel. */
export const tridiagonalizeKernel = (): Kernels['tridiagonalize'] => registeredKernels()?.tridiagonalize ?? tridiagonalize;
/** The active reflector back-transformation kernel. */
export const applyReflectorsRightKernel = (): Kernels['applyReflectorsRight'] => registeredKernels()?.applyReflectorsRight ?? applyReflectorsRight;
/** The active matrix-vector product kernel (the bidiagonalisation's panels). */
export const gemvKernel = (): Kernels['gemv'] => registeredKernels()?.gemv ?? gemv;
/** The active rotation-sequence kernel (the bidiagonal QR's sweeps). */
export const rotateChainKernel = (): Kernels['rotateChain'] => registeredKernels()?.rotateChain ?? rotateChain;
/** The active one-reflector-on-rows kernel (the LQ panels' leaves). */
export const reflectRowsKernel = (): Kernels['reflectRows'] => registeredKernels()?.reflectRows ?? reflectRows;
/** The active secular-equation kernel. */
export const secularEigenKernel = (): Kernels['secularEigen'] => registeredKernels()?.secularEigen ?? secularEigen;
/** The active 2-D t-SNE attraction kernel. */
export const tsneAttraction2Kernel = (): Kernels['tsneAttraction2'] => registeredKernels()?.tsneAttraction2 ?? tsneAttraction2;
/** The active 2-D Barnes-Hut kernel (tree build and traversal). */
export const tsneBarnesHut2Kernel = (): Kernels['tsneBarnesHut2'] => registeredKernels()?.tsneBarnesHut2 ?? tsneBarnesHut2;
/** The active per-row k-smallest selection kernel. */
export const smallestInRowsKernel = (): Kernels['smallestInRows'] => registeredKernels()?.smallestInRows ?? smallestInRows;
/** The active diagonal Fisher-Rao kernel. */
export const fisherRaoDiagonalSqKernel = (): Kernels['fisherRaoDiagonalSq'] => registeredKernels()?.fisherRaoDiagonalSq ?? fisherRaoDiagonalSq;
/** The active Adam-step kernel. */
export const adamKernel = (): Kernels['adam'] => registeredKernels()?.adam ?? adam;
/** The active Batch-OMP kernel. */
export const batchOmpKernel = (): Kernels['batchOmp'] => registeredKernels()?.batchOmp ?? batchOmp;
/** The active binary cross-entropy kernel. */
export const bceLogitsKernel = (): Kernels['bceLogits'] => registeredKernels()?.bceLogits ?? bceLogits;
/** The active dense-layer bias and ReLU kernel. */
export const biasReluKernel = (): Kernels['biasRelu'] => registeredKernels()?.biasRelu ?? biasRelu;
/** The active kernel of its backward pass. */
export const biasReluGradKernel = (): Kernels['biasReluGrad'] => registeredKernels()?.biasReluGrad ?? biasReluGrad;
