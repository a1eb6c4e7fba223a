// The covariance solver leaves the columns whose centred values are all 0 out of its
// products (MNIST's blank pixels): the Gram matrix must be the one computed with every
// column, bit for bit, on both backends, including when it is summed over several chunks.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { columnMeans } from '../../src/linalg/rows.js';
import { centredGram } from '../../src/pca/solvers.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

/** n × d normal data (some entries negative) with constant columns: 0, 0.5, −3 (exact means) and 0.1 (whose mean may round). */
function withConstantColumns(n: number, d: number, seed: number) {
  const rng = new Random(seed);
  const data = Float64Array.from({ length: n * d }, () => rng.normal());
  const constants = new Map([[0, 0], [3, 0.5], [d - 1, -3], [7, 0.1], [8, 0]]);
  for (const [j, c] of constants) for (let i = 0; i < n; i++) data[i * d + j] = c;
  return { rows: n, cols: d, data };
}

describe.each(backendNames)('centredGram on the %s backend', (backend) => {
  useBackendFor(backend);

  it.each([[50, 20], [2000, 600]])('skipping the all-zero centred columns gives the same bits (%i × %i; the second in two chunks)', (n, d) => {
    const x = withConstantColumns(n, d, n);
    const mean = columnMeans(x);
    const skipped = centredGram(x, mean), all = centredGram(x, mean, false);
    expect(Object.is(skipped[0], all[0])).toBe(true);
    expect(Buffer.from(skipped.buffer).equals(Buffer.from(all.buffer))).toBe(true);
    // And the skipped entries really are 0 (the blank column's row and column).
    for (let j = 0; j < d; j++) expect(skipped[j]).toBe(0);
  });
});
