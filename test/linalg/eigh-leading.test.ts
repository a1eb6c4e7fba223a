// leadingEigenRows back-transforms only the eigenvectors it returns (PCA keeps 50 of
// MNIST's 784): each must have the bits of the same column of symmetricEigen, on both
// backends, whichever subset it is computed with (the back-transformation treats every
// vector on its own), including split-off zero rows and repeated eigenvalues.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { leadingEigenRows, symmetricEigen } from '../../src/linalg/eigh.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';

/** A random symmetric n × n matrix; `zeros` of its rows and columns are 0, `integer` entries make ties likely. */
function symmetric(n: number, seed: number, zeros: number, integer: boolean): Float64Array {
  const rng = new Random(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const v = integer ? Math.floor(rng.uniform(-2, 3)) : rng.normal() * 2 ** Math.floor(rng.uniform(-8, 8));
    A[i * n + j] = v;
    A[j * n + i] = v;
  }
  for (let z = 0; z < zeros; z++) {
    const r = Math.floor(rng.uniform(0, n));
    for (let j = 0; j < n; j++) A[r * n + j] = A[j * n + r] = 0;
  }
  return A;
}

/** Row c of `rows` (count × n) equals column c of V (n × n), bit for bit. */
function expectRowsAreColumns(n: number, count: number, rows: Float64Array, V: Float64Array): void {
  expect(rows.length).toBe(count * n);
  for (let c = 0; c < count; c++) for (let i = 0; i < n; i++) {
    if (!Object.is(rows[c * n + i], V[i * n + c])) expect(`[${c}][${i}] ${rows[c * n + i]}`).toBe(`[${c}][${i}] ${V[i * n + c]}`);
  }
}

describe.each(backendNames)('leadingEigenRows on the %s backend', (backend) => {
  useBackendFor(backend);

  it('gives the leading columns of symmetricEigen, bit for bit, for every count', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(1, 2, 3, 31, 32, 33, 65), fc.integer({ min: 1, max: 80 })),
        fc.nat({ max: 5 }), fc.boolean(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }),
        (n, zeros, integer, seed, share) => {
          const A = symmetric(n, seed, zeros, integer);
          const count = Math.round(share * n);
          const all = symmetricEigen(n, A.slice());
          const some = leadingEigenRows(n, A.slice(), count);
          expect(Buffer.from(some.values.buffer).equals(Buffer.from(all.values.buffer))).toBe(true);
          expectRowsAreColumns(n, count, some.rows, all.vectors.data);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a count of 0 gives every eigenvalue and no vector', () => {
    const A = symmetric(20, 3, 2, false);
    const r = leadingEigenRows(20, A.slice(), 0);
    expect(r.rows.length).toBe(0);
    expect(r.values).toEqual(symmetricEigen(20, A).values);
  });
});
