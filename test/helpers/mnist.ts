import { createRequire } from 'node:module';
import type { Matrix } from '../../src/core/matrix.js';

let digits: Matrix<Float64Array> | undefined;

/**
 * The `mnist` package's 10,000 digits as one (10000 × 784) matrix in [0, 1], ordered by
 * class, exactly as test/fixtures/kmeans/export-mnist.mjs exported them for scikit-learn
 * (through bench/data.mjs, which reads them the same way).
 */
export function mnistDigits(): Matrix<Float64Array> {
  if (digits !== undefined) return digits;
  const mnist = createRequire(import.meta.url)('mnist') as { raw: number[]; length: number }[];
  const rows = mnist.reduce((s, digit) => s + digit.length, 0);
  const data = new Float64Array(rows * 784);
  let row = 0;
  for (const digit of mnist) {
    data.set(digit.raw, row * 784);
    row += digit.length;
  }
  digits = { rows, cols: 784, data };
  return digits;
}
