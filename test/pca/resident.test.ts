// The randomized solver keeps the centred data in the kernels' memory across its power
// iterations, and the covariance solver centres its chunks straight into that memory: the
// bits are those of the copies made before (the same kernels on the same values), and the
// regions are given back, so repeated fits leave the memory as they found it.
import { describe, expect, it } from 'vitest';
import { Random, randomFrom } from '../../src/core/random.js';
import { columnMeans } from '../../src/linalg/rows.js';
import { rangeFinder, residentRangeFinder } from '../../src/linalg/range-finder.js';
import { jsRegion } from '../../src/linalg/kernels/resident.js';
import * as pca from '../../src/pca/index.js';
import { randomizedSolver, randomizedSpectrum } from '../../src/pca/solvers.js';
import { centered } from '../../src/pca/stats.js';
import { memoryBytes } from '../../src/wasm/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { probe } from '../helpers/memory.js';

function random(n: number, d: number, seed: number) {
  const rng = new Random(seed);
  return { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, p) => rng.normal() + (p % d) * 0.1) };
}

const same = (a: Float64Array, b: Float64Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe.each(backendNames)('PCA operands resident on the %s backend', (backend) => {
  useBackendFor(backend);

  it('the randomized solver on its region gives the bits of the centred copy', () => {
    for (const [n, d, k] of [[300, 40, 5], [37, 90, 8]] as const) {
      const x = random(n, d, n + d), mean = columnMeans(x);
      const a = randomizedSolver(x, mean, k, 10, 4, 3);
      const b = randomizedSpectrum(centered(x, mean), k, 10, 4, 3);
      expect(same(a.components, b.components)).toBe(true);
      expect(same(a.variances, b.variances)).toBe(true);
    }
  });

  it('residentRangeFinder on a region gives rangeFinder\'s bits', () => {
    const x = random(120, 30, 5);
    const a = rangeFinder(x, 6, 3, 'lu', randomFrom(9));
    const b = residentRangeFinder(120, 30, jsRegion(x.data.slice()), 6, 3, 'lu', randomFrom(9));
    expect(same(a.data, b.data)).toBe(true);
  });

  it('repeated fits of every solver leave the memory flat', () => {
    const X = random(400, 60, 1), wide = random(30, 80, 2);
    const fits = () => {
      pca.fit(X, { nComponents: 5, solver: 'randomized' });
      pca.fit(X, { nComponents: 5, solver: 'covariance' });
      pca.fit(wide, { nComponents: 5, solver: 'randomized' });
      pca.fit(wide, { nComponents: 5 });
    };
    fits();
    // The first free address of the region allocator shows a region that was not released.
    const bytes = memoryBytes(), first = probe();
    for (let r = 0; r < 20; r++) fits();
    expect(memoryBytes()).toBe(bytes);
    expect(probe()).toBe(first);
  });
});
