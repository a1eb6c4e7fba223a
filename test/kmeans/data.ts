import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { LatentSpaceError } from '../../src/core/errors.js';
import type { Matrix } from '../../src/core/matrix.js';

/** The LatentSpaceError that `f` throws (fails the test when it throws nothing). */
export function errorOf(f: () => unknown): LatentSpaceError {
  try {
    f();
  } catch (e) {
    return e as LatentSpaceError;
  }
  throw new Error('expected a LatentSpaceError');
}

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
