// The per-cluster sums of a fit are kept by one kernel call per pass (clusterSums over the
// rows grouped block by block, X resident): after every pass, rebuilt or incremental,
// they must be the sums of the rows that carry each label, and the same bits on both
// backends.
import { describe, expect, it } from 'vitest';
import { Assignment } from '../../src/kmeans/centres.js';
import { prepareSource } from '../../src/kmeans/source.js';
import { residentKernel } from '../../src/linalg/kernels/dispatch.js';
import { columnMeans } from '../../src/linalg/rows.js';
import { fill, onBothBackends } from '../helpers/backends.js';

const n = 1000, d = 13, k = 7, block = 64;

/** Labels for pass p: random at first, then a share of rows moved (all of them in pass 3, a rebuild). */
function labelsOf(pass: number, previous: Int32Array): Int32Array {
  const r = fill(new Float64Array(2 * n), 100 + pass);
  const share = pass === 3 ? 1 : pass === 0 ? 1 : 0.05;
  return previous.map((c, i) => ((r[i]! + 1) / 2 < share ? Math.floor(((r[n + i]! + 1) / 2) * k) : c));
}

/** Runs passes of an Assignment over X and records its sums and masses after each. */
function passes(weights: Float64Array | undefined): { sums: Float64Array[]; mass: Float64Array[]; labels: Int32Array[] } {
  const X = { rows: n, cols: d, data: fill(new Float64Array(n * d), 5).map((v, p) => v * 2 ** ((p % 41) - 20)) };
  const src = prepareSource(X, columnMeans(X), false, residentKernel()(X.data));
  const a = new Assignment(src, weights, k, block);
  const out = { sums: [] as Float64Array[], mass: [] as Float64Array[], labels: [] as Int32Array[] };
  let labels: Int32Array = new Int32Array(n);
  for (let pass = 0; pass < 6; pass++) {
    labels = labelsOf(pass, labels);
    a.begin();
    for (let start = 0; start < n; start += block) a.commit(start, Math.min(block, n - start), labels.subarray(start, start + block));
    a.end();
    out.sums.push(a.sums.slice());
    out.mass.push(a.mass.slice());
    out.labels.push(labels.slice());
  }
  src.release();
  return out;
}

describe('per-cluster sums kept by the clusterSums kernel', () => {
  for (const weighted of [false, true]) {
    it(`equal the sums of each cluster's rows after every pass, the same bits on both backends${weighted ? ' (weighted)' : ''}`, () => {
      const w = weighted ? fill(new Float64Array(n), 9).map((v) => v + 1.5) : undefined;
      const [js, wasm] = onBothBackends(() => passes(w));
      const X = fill(new Float64Array(n * d), 5).map((v, p) => v * 2 ** ((p % 41) - 20));
      for (let pass = 0; pass < js.sums.length; pass++) {
        expect(Array.from(wasm.sums[pass]!)).toEqual(Array.from(js.sums[pass]!));
        const expected = new Float64Array(k * d), scale = new Float64Array(k * d);
        js.labels[pass]!.forEach((c, i) => {
          const wi = w === undefined ? 1 : w[i]!;
          for (let j = 0; j < d; j++) {
            expected[c * d + j] = expected[c * d + j]! + wi * X[i * d + j]!;
            scale[c * d + j] = scale[c * d + j]! + Math.abs(wi * X[i * d + j]!);
          }
        });
        for (let p = 0; p < k * d; p++) expect(Math.abs(js.sums[pass]![p]! - expected[p]!)).toBeLessThanOrEqual(1e-12 * scale[p]!);
      }
    });
  }
});
