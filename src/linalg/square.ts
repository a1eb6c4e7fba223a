import { fail, formatNumber } from '../core/errors.js';
import { asMatrix, type Matrix, type MatrixInput } from '../core/matrix.js';

// Boundary checks shared by the decompositions of square matrices.

/**
 * Relative asymmetry accepted by default: rounding of a float64 or float32 product, with
 * room to spare.
 *
 * @example
 * ```ts
 * symmetryTolerance({ rows: 1, cols: 1, data: new Float32Array(1) }); // 1e-5
 * ```
 */
export function symmetryTolerance(m: Matrix): number {
  return m.data instanceof Float32Array ? 1e-5 : 1e-10;
}

/**
 * Coerces `input` and checks it is square; the result keeps the input's element type and
 * may share its memory (callers copy before writing).
 *
 * @example
 * ```ts
 * asSquare([[1, 2], [3, 4]], 'S').rows; // 2
 * asSquare([[1, 2]], 'S');              // throws SHAPE_MISMATCH: "S: received a 1 × 2 matrix, expected a square matrix"
 * ```
 */
export function asSquare(input: MatrixInput, name: string, expected = 'a square matrix'): Matrix {
  const m = asMatrix(input, name);
  if (m.rows !== m.cols) fail('SHAPE_MISMATCH', `${name}: received a ${m.rows} × ${m.cols} matrix, expected ${expected}`);
  return m;
}

/**
 * Throws `INVALID_INPUT` naming the most asymmetric pair of entries when
 * |Sᵢⱼ − Sⱼᵢ| > rtol · max|S|; `hint` ends the message.
 *
 * @example
 * ```ts
 * const S = { rows: 2, cols: 2, data: new Float64Array([1, 2, 3, 1]) };
 * checkSymmetric(S, 'S', 1e-10, ''); // throws INVALID_INPUT: "… entry (0, 1) is 2 but entry (1, 0) is 3 …"
 * ```
 */
export function checkSymmetric(m: Matrix, name: string, rtol: number, hint: string): void {
  const { rows: n, data } = m;
  let maxAbs = 0;
  for (let p = 0; p < data.length; p++) maxAbs = Math.max(maxAbs, Math.abs(data[p]!));
  let worst = 0, wi = 0, wj = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(data[i * n + j]! - data[j * n + i]!);
      if (diff > worst) {
        worst = diff;
        wi = i;
        wj = j;
      }
    }
  }
  if (worst > rtol * maxAbs) {
    fail('INVALID_INPUT', `${name}: received a matrix that is not symmetric: entry (${wi}, ${wj}) is ${data[wi * n + wj]} but entry (${wj}, ${wi}) is ${data[wj * n + wi]} (difference ${formatNumber(worst)}, tolerance ${formatNumber(rtol)} × max|${name}| = ${formatNumber(rtol * maxAbs)}); expected a symmetric matrix${hint}`);
  }
}

/**
 * A float64 copy of the symmetric part (S + Sᵀ)/2 of the square matrix m.
 *
 * @example
 * ```ts
 * Array.from(symmetricPart({ rows: 2, cols: 2, data: new Float64Array([1, 2, 4, 1]) })); // [1, 3, 3, 1]
 * ```
 */
export function symmetricPart(m: Matrix): Float64Array {
  const { rows: n, data } = m;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = data[i * n + i]!;
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (data[i * n + j]! + data[j * n + i]!);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
