// Entry point of the AssemblyScript module compiled by scripts/build-wasm.mjs. The module
// owns no data: the JavaScript loader lays out every operand in linear memory above
// heapBase() and passes byte addresses, so the runtime is the allocation-free stub.

export { dgemm, dgemmWork, dsyrk, dsqdist, dsqdistat, dsqdistatWork, drownorms, dargmin, ddot, daxpy } from './f64';
export { dsytrd, dsytrdWork, dreflect, dreflectWork, dsecular, dsecularWork } from './symmetric';
export { sgemm, sgemmWork, ssyrk, ssqdist, ssqdistat, ssqdistatWork, srownorms, sargmin, sdot, saxpy } from './f32';
export { dtsneattr2, dtsnebh2, dtsnebh2Work, dsmallest, dsmallestWork } from './tsne';
export { dfisherraodiag } from './fisher-rao';
export { dadam, sadam } from './optim';
export { dbcelogits } from './bce';
export { sbcelogits } from './bce-f32';
export { dbiasrelu, sbiasrelu, dbiasrelugrad, sbiasrelugrad } from './dense';
export { drotchain } from './givens';
export { dgemv } from './gemv';
export { dreflectrows } from './reflect-rows';
export { dbatchomp, dbatchompWork } from './omp';
export { dclustersums, sclustersums, dcolumnsums, scolumnsums, dshifttof32, dassigned, sassigned, dargmin2, sargmin2, gatherrows } from './clusters';
export { dassignedsums, sassignedsums, dpairsqdist, spairsqdist, dcolumnranges, dshiftcolstof32 } from './som';
export { i16scores, dshifttoi16 } from './quantized';

/** First free byte of linear memory (above static data), rounded up to 64 bytes. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}
