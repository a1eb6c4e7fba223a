import type { FloatArray, Matrix } from '../core/matrix.js';

/**
 * Brings two matrices to one element type: float32 only when both are float32, otherwise
 * float64 (the float32 one is widened, exactly). Kernels need a single element type.
 */
export function commonDtype(A: Matrix, B: Matrix): [Matrix, Matrix, 'float32' | 'float64'] {
  const f32 = A.data instanceof Float32Array && B.data instanceof Float32Array;
  if (f32) return [A, B, 'float32'];
  return [widen(A), widen(B), 'float64'];
}

/** The matrix with float64 data (the same object when it already is). */
export function widen(A: Matrix): Matrix<Float64Array> {
  if (A.data instanceof Float64Array) return A as Matrix<Float64Array>;
  return { rows: A.rows, cols: A.cols, data: Float64Array.from(A.data) };
}

/** A new buffer of `length` values of the given type. */
export function allocate(dtype: 'float32' | 'float64', length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** The dtype name of a matrix's data. */
export function dtypeOf(A: Matrix): 'float32' | 'float64' {
  return A.data instanceof Float32Array ? 'float32' : 'float64';
}
