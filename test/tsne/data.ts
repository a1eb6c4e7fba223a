import { readFileSync } from 'node:fs';
import type { Matrix } from '../../src/core/matrix.js';
import type { Csr } from '../../src/tsne/affinities.js';
import { fill } from '../helpers/backends.js';

/** A small deterministic generator (LCG), independent of the library's. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

/** Standard normal draws from an LCG (Box-Muller). */
export function gaussian(seed: number): () => number {
  const u = lcg(seed);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** `clusters` Gaussian blobs of `per` points in d dimensions, centres spread by `spread`. */
export function blobs(clusters: number, per: number, d: number, spread: number, seed: number): Matrix<Float64Array> & { labels: Int32Array } {
  const g = gaussian(seed);
  const centres = Float64Array.from({ length: clusters * d }, () => spread * g());
  const data = new Float64Array(clusters * per * d), labels = new Int32Array(clusters * per);
  for (let c = 0; c < clusters; c++) {
    for (let p = 0; p < per; p++) {
      const i = c * per + p;
      labels[i] = c;
      for (let j = 0; j < d; j++) data[i * d + j] = centres[c * d + j]! + g();
    }
  }
  return { rows: clusters * per, cols: d, data, labels };
}

/** Uniform random matrix in [-1, 1). */
export function uniform(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  return { rows, cols, data: fill(new Float64Array(rows * cols), seed) };
}

/** P as a dense (n × n) array. */
export function dense(P: Csr): Float64Array {
  const out = new Float64Array(P.n * P.n);
  for (let i = 0; i < P.n; i++) {
    for (let e = P.rowPtr[i]!; e < P.rowPtr[i + 1]!; e++) out[i * P.n + P.col[e]!] = out[i * P.n + P.col[e]!]! + P.val[e]!;
  }
  return out;
}

/** ‖a − b‖ / ‖b‖. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** A fixture file of test/fixtures/tsne. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/tsne/${name}`, import.meta.url), 'utf8')) as T;
}
