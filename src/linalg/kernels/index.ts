import type { Kernels } from './types.js';
import { adam } from './adam.js';
import { bceLogits } from './bce.js';
import { biasRelu, biasReluGrad } from './dense.js';
import { axpy, dot } from './blas1.js';
import { argmin2Rows, argminRows, rowSqNorms, sqDistances } from './distances.js';
import { assignedSqDistances, clusterSums, columnSums, gatherRows, shiftToFloat32, sqDistancesAt } from './clusters.js';
import { gemm } from './gemm.js';
import { applyReflectorsRight } from './reflectors.js';
import { secularEigen } from './secular.js';
import { syrk } from './syrk.js';
import { tridiagonalize } from './tridiagonalize.js';
import { smallestInRows, tsneAttraction2, tsneBarnesHut2 } from './tsne.js';
import { fisherRaoDiagonalSq } from './fisher-rao.js';
import { region, resident } from './resident.js';
import { rotateChain } from './givens.js';
import { gemv } from './gemv.js';
import { reflectRows } from './reflect-rows.js';
import { batchOmp } from './omp.js';
import { assignedSums, columnRanges, pairSqDistances, shiftColumnsToFloat32 } from './som.js';
import { quantizedScores, quantizedScoresAt, shiftToInt16 } from './quantized.js';

/** The TypeScript kernels: the reference implementation and the fallback backend. */
export const jsKernels: Kernels = {
  name: 'js',
  resident,
  region,
  gemm: (tA, tB, m, n, k, alpha, A, oA, lda, B, oB, ldb, beta, C, oC, ldc) => gemm(tA, tB, m, n, k, alpha, A, oA, lda, B, oB, ldb, beta, C, oC, ldc),
  syrk,
  sqDistances,
  rowSqNorms,
  argminRows,
  argmin2Rows,
  clusterSums,
  gatherRows,
  sqDistancesAt,
  columnSums,
  shiftToFloat32,
  assignedSqDistances,
  assignedSums,
  pairSqDistances,
  columnRanges,
  shiftColumnsToFloat32,
  quantizedScores,
  quantizedScoresAt,
  shiftToInt16,
  dot,
  axpy,
  tridiagonalize,
  applyReflectorsRight,
  gemv,
  rotateChain,
  reflectRows,
  secularEigen,
  tsneAttraction2,
  tsneBarnesHut2,
  smallestInRows,
  fisherRaoDiagonalSq,
  adam,
  batchOmp,
  bceLogits,
  biasRelu,
  biasReluGrad,
};
