import { readFileSync } from 'node:fs';
import type { Matrix } from '../../src/core/matrix.js';

export { errorOf } from '../helpers/errors.js';
export { mnistDigits } from '../helpers/mnist.js';

/** A fixture file of test/fixtures/kmeans. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/kmeans/${name}`, import.meta.url), 'utf8')) as T;
}

/** Gathers rows of X into a new matrix. */
export function rowsOf(X: Matrix, index: readonly number[]): Matrix<Float64Array> {
  const out = new Float64Array(index.length * X.cols);
  index.forEach((i, r) => out.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  return { rows: index.length, cols: X.cols, data: out };
}

/** Deterministic Gaussian blobs: `perCluster` rows around each of `centres` (spread `sigma`). */
export function blobs(centres: readonly (readonly number[])[], perCluster: number, sigma: number, seed = 1): Matrix<Float64Array> {
  const d = centres[0]!.length;
  const data = new Float64Array(centres.length * perCluster * d);
  let s = seed >>> 0 || 1;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  let p = 0;
  for (const c of centres) {
    for (let i = 0; i < perCluster; i++) {
      for (let j = 0; j < d; j++) {
        // Box–Muller: independent of the library's generator.
        const g = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
        data[p++] = c[j]! + sigma * g;
      }
    }
  }
  return { rows: centres.length * perCluster, cols: d, data };
}
