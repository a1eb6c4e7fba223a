import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearest } from '../../src/latent/index.js';
import { search } from '../../src/latent/nearest.js';
import { projectionFor, projectOnto, searchProjected } from '../../src/latent/projected.js';
import { prepareCorpus, queryBlock } from '../../src/latent/search.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { bruteNearest, errorOf, intRows, integers, rowsOf, type Metric } from './helpers.js';

const METRICS: Metric[] = ['euclidean', 'cosine', 'dot'];

/** Rows with a zero vector made non-zero, so the cosine metric accepts them. */
const noZeroRows = (rows: number[][]): number[][] => rows.map((r) => (r.every((v) => v === 0) ? r.map((_, j) => (j === 0 ? 1 : 0)) : r));

describe('nearest: small exact cases', () => {
  it('hand-computed neighbours for each metric', () => {
    const E = [[0, 0], [1, 0], [0, 2], [5, 5]];
    const e = nearest(E, [0.9, 0.1], { k: 2 });
    expect(Array.from(e.indices)).toEqual([1, 0]);
    expect(e.distances[0]).toBeCloseTo(Math.hypot(0.1, 0.1), 14);
    expect(e.distances[1]).toBeCloseTo(Math.hypot(0.9, 0.1), 14);
    expect(e.k).toBe(2);
    // Cosine: [1, 0] and [5, 5] are 0° and 45° from [1, 0.1]; dot: the largest product first.
    const c = nearest([[1, 0], [0, 2], [5, 5]], [[1, 0.1]], { k: 3, metric: 'cosine' });
    expect(Array.from(c.indices)).toEqual([0, 2, 1]);
    expect(c.distances[0]).toBeCloseTo(1 - 1 / Math.hypot(1, 0.1), 14);
    const d = nearest([[1, 0], [0, 2], [5, 5]], [[1, 0.1]], { k: 3, metric: 'dot' });
    expect(Array.from(d.indices)).toEqual([2, 0, 1]);
    expect(Array.from(d.distances)).toEqual([-5.5, -1, -0.2]);
  });

  it('ties go to the lower index; exclude removes rows per query', () => {
    const E = [[1], [0], [1], [0], [2]];
    expect(Array.from(nearest(E, [[0.5], [1]], { k: 4 }).indices)).toEqual([0, 1, 2, 3, 0, 2, 1, 3]);
    const r = nearest(E, [[0.5], [1]], { k: 2, exclude: [[0, 1, 0], []] });
    expect(Array.from(r.indices)).toEqual([2, 3, 0, 2]);
    expect(Array.from(r.distances)).toEqual([0.5, 0.5, 0, 0]);
  });

  it('a query equal to a row finds it at distance 0, first (self-search)', () => {
    const Z = [[0, 1], [3, 4], [0, 1.5], [3, 4]];
    const r = nearest(Z, Z, { k: 2 });
    expect(Array.from(r.indices)).toEqual([0, 2, 1, 3, 2, 0, 1, 3]);
    expect(Array.from(r.distances)).toEqual([0, 0.5, 0, 0, 0, 0.5, 0, 0]);
  });

  it('memory: a block of queries times the corpus stays within 16 MiB of scores', () => {
    for (const n of [1, 100, 10_000, 1_000_000, 10_000_000]) {
      for (const bytes of [4, 8]) {
        const b = queryBlock(1_000_000, n, 1, bytes);
        expect(b).toBeGreaterThanOrEqual(1);
        expect(b * n * bytes <= 2 ** 24 || b === 1).toBe(true);
      }
    }
  });
});

describe.each(backendNames)('nearest equals a brute force (%s backend)', (name) => {
  useBackendFor(name);

  it.each(METRICS)('%s: random small integer data, many exact ties', (metric) => {
    const sizes = fc.record({ d: fc.integer({ min: 1, max: 24 }), n: fc.integer({ min: 1, max: 30 }), nq: fc.integer({ min: 1, max: 6 }) });
    fc.assert(fc.property(
      sizes.chain(({ d, n, nq }) => fc.record({ E: intRows(fc.constant(n), d), Q: intRows(fc.constant(nq), d), k: fc.integer({ min: 1, max: n }) })),
      ({ E, Q, k }) => {
        if (metric === 'cosine') [E, Q] = [noZeroRows(E), noZeroRows(Q)];
        const r = nearest(E, Q, { k, metric });
        const b = bruteNearest(E, Q, k, metric);
        expect(Array.from(r.indices)).toEqual(b.indices);
        expect(Array.from(r.distances)).toEqual(b.distances);
        // The corpus against itself (the tiled self-search) too.
        const s = nearest(E, E, { k, metric });
        expect(Array.from(s.indices)).toEqual(bruteNearest(E, E, k, metric).indices);
      },
    ), { numRuns: 60 });
  });

  it.each(METRICS)('%s: random exclusion lists', (metric) => {
    fc.assert(fc.property(
      intRows(fc.integer({ min: 4, max: 25 }), 5), intRows(fc.integer({ min: 1, max: 5 }), 5), fc.infiniteStream(fc.array(fc.nat(24), { maxLength: 3 })),
      (E0, Q0, lists) => {
        const [E, Q] = metric === 'cosine' ? [noZeroRows(E0), noZeroRows(Q0)] : [E0, Q0];
        const exclude = Q.map(() => lists.next().value!.filter((j: number) => j < E.length));
        const k = Math.min(...exclude.map((x) => E.length - new Set(x).size));
        const r = nearest(E, Q, { k, metric, exclude });
        const b = bruteNearest(E, Q, k, metric, exclude);
        expect(Array.from(r.indices)).toEqual(b.indices);
        expect(Array.from(r.distances)).toEqual(b.distances);
      },
    ), { numRuns: 60 });
  });

  // Sizes past one block of queries (16 MiB of scores / 4500 rows: 466 queries in float64,
  // 932 in float32) and past one self-search tile (1448 rows in float64, 2048 in float32);
  // 20 columns, so the WebAssembly backend screens in float32.
  const big = { rows: 4500, cols: 20, data: integers(4500 * 20, 0, 9, 7) };
  const queries = { rows: 1900, cols: 20, data: integers(1900 * 20, 0, 9, 8) };
  const self = { rows: 3000, cols: 20, data: big.data.subarray(0, 3000 * 20) };
  it.each(METRICS)('%s: several blocks of queries and several tiles, with ties', (metric) => {
    const r = nearest(big, queries, { k: 5, metric });
    const b = bruteNearest(rowsOf(big), rowsOf(queries), 5, metric);
    expect(Array.from(r.indices)).toEqual(b.indices);
    expect(Array.from(r.distances)).toEqual(b.distances);
    const s = nearest(self, self, { k: 3, metric });
    const bs = bruteNearest(rowsOf(self), rowsOf(self), 3, metric);
    expect(Array.from(s.indices)).toEqual(bs.indices);
    expect(Array.from(s.distances)).toEqual(bs.distances);
  });

  it.each(METRICS)('%s: data far from the origin, float32 input, constant columns', (metric) => {
    // Codes around 1000 with a spread of 0.01 and two constant columns: the screen works
    // relative to the corpus mean and leaves the constant columns out; the answer is still exact.
    const n = 300, d = 24;
    const noise = integers(n * d, -5000, 5000, 11);
    const data = Float64Array.from(noise, (v, p) => (p % d === 3 ? 7 : p % d === 9 ? -2 : 1000 + v * 2e-6));
    const E = { rows: n, cols: d, data };
    const Q = { rows: 40, cols: d, data: data.slice(0, 40 * d).map((v, p) => v + (p % 5) * 1e-7) };
    const r = nearest(E, Q, { k: 4, metric });
    expect(Array.from(r.indices)).toEqual(bruteNearest(rowsOf(E), rowsOf(Q), 4, metric).indices);
    const E32 = { rows: n, cols: d, data: Float32Array.from(data) };
    const Q32 = { rows: 40, cols: d, data: Float32Array.from(Q.data) };
    const r32 = nearest(E32, Q32, { k: 4, metric });
    const b32 = bruteNearest(rowsOf(E32), rowsOf(Q32), 4, metric);
    expect(Array.from(r32.indices)).toEqual(b32.indices);
    expect(Array.from(r32.distances)).toEqual(b32.distances);
  });
});

describe.each(backendNames)('nearest through a projection (%s backend)', (name) => {
  useBackendFor(name);

  // 1024 queries × 4096 rows of 64 columns: enough work for the screen in a few directions.
  const n = 4096, nq = 1024, d = 64;
  /** Rows L·R + noise·N with L (rows × 8) and R (8 × 64) small integers: rank 8 plus noise. */
  const lowRank = (rows: number, seed: number, noise: number) => {
    const L = integers(rows * 8, -3, 3, seed), R = integers(8 * d, -2, 2, 99), N = integers(rows * d, -4, 4, seed + 1);
    const data = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) {
      let v = 0;
      for (let t = 0; t < 8; t++) v += L[i * 8 + t]! * R[t * d + j]!;
      data[i * d + j] = v + noise * N[i * d + j]!;
    }
    return { rows, cols: d, data };
  };

  it.each(METRICS)('%s: integer data of rank 8 (the bound is tight; many exact ties)', (metric) => {
    const E = lowRank(n, 31, 0), Q = lowRank(nq, 33, 0);
    const projection = projectionFor(prepareCorpus(E, metric, 'E', Q), nq);
    expect(projection?.p).toBeLessThanOrEqual(9);
    const r = nearest(E, Q, { k: 4, metric });
    const b = bruteNearest(rowsOf(E), rowsOf(Q), 4, metric);
    expect(Array.from(r.indices)).toEqual(b.indices);
    expect(Array.from(r.distances)).toEqual(b.distances);
  });

  it.each(METRICS)('%s: a poor basis leaves queries to the full-width product; the answer stays exact', (metric) => {
    const [rows, queries] = [2048, 256];
    const E = lowRank(rows, 41, 0.5), Q = lowRank(queries, 43, 0.5);
    const c = prepareCorpus(E, metric, 'E', Q);
    // Half of the directions chosen for a larger search: any orthonormal basis keeps the
    // bound valid, this one keeps it loose for some queries.
    const good = projectionFor(c, 1 << 22)!;
    const half = good.p >> 1;
    const basis = Float64Array.from({ length: d * half }, (_, i) => good.basis[Math.floor(i / half) * good.p + (i % half)]!);
    const poor = projectOnto(c, basis, half);
    const queued = searchProjected(c, poor, Q, 5, undefined, new Int32Array(queries * 5), new Float64Array(queries * 5));
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.length).toBeLessThan(queries);
    const exclude = Array.from({ length: queries }, (_, q) => Int32Array.of(q % 7, (7 * q) % rows).sort());
    const indices = new Int32Array(queries * 5), values = new Float64Array(queries * 5);
    search(c, Q, 5, exclude, indices, values, poor);
    const b = bruteNearest(rowsOf(E), rowsOf(Q), 5, metric, exclude.map((x) => Array.from(x)));
    expect(Array.from(indices)).toEqual(b.indices);
    expect(Array.from(values)).toEqual(b.distances);
  });
});

describe.each(backendNames)('nearest at extreme magnitudes (%s backend)', (name) => {
  useBackendFor(name);

  // Integer codes times 2^e: squares of 2^500 overflow float32 (and float64), those of 2^−500
  // and 2^−1000 underflow them. The data is scaled by a power of two in every computation,
  // so the neighbours are those of the integers, and the distances theirs times 2^e exactly
  // (cosine: the same; dot: times 4^e where that is a normal number).
  it.each([500, -500, -1000])('codes of magnitude 2^%s', (e) => {
    const n = 200, d = 24;
    const ints = { rows: n, cols: d, data: integers(n * d, -50, 50, 21) };
    const qints = { rows: 30, cols: d, data: integers(30 * d, -50, 50, 22) };
    const times = (m: typeof ints) => ({ ...m, data: m.data.map((v) => v * 2 ** e) });
    const [E, Q] = [times(ints), times(qints)];
    for (const metric of METRICS) {
      if (metric === 'dot' && e === -1000) continue; // 4^−1000 underflows: the values themselves are 0
      const factor = metric === 'euclidean' ? 2 ** e : metric === 'dot' ? 2 ** e * 2 ** e : 1;
      const r = nearest(E, Q, { k: 3, metric });
      const b = bruteNearest(rowsOf(ints), rowsOf(qints), 3, metric);
      expect(Array.from(r.indices)).toEqual(b.indices);
      expect(Array.from(r.distances)).toEqual(b.distances.map((v) => v * factor));
      const self = nearest(E, E, { k: 2, metric });
      expect(Array.from(self.indices)).toEqual(bruteNearest(rowsOf(ints), rowsOf(ints), 2, metric).indices);
    }
  });
});

describe('nearest: arguments', () => {
  it('never modifies the caller\'s arrays; accepts one query as a vector', () => {
    const data = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
    const E = { rows: 4, cols: 2, data };
    const q = [2, 2];
    nearest(E, q, { k: 2, metric: 'cosine', exclude: [[1]] });
    nearest(E, E, { k: 2 });
    expect(Array.from(data)).toEqual([3, 1, 4, 1, 5, 9, 2, 6]);
    expect(q).toEqual([2, 2]);
    expect(nearest(E, Float64Array.of(2, 2)).indices.length).toBe(1);
  });

  it('clear errors', () => {
    const E = [[0, 1], [1, 0], [1, 1]];
    let e = errorOf(() => nearest(E, [[0, 1]], { k: 4 }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/at most 3/);
    e = errorOf(() => nearest(E, [[0, 1], [1, 1]], { k: 2, exclude: [[0], [0, 2]] }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/query 1 has only 1 candidate row left after excluding 2 of 3/);
    expect(errorOf(() => nearest(E, [[0, 1]], { exclude: [[0], [1]] })).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => nearest(E, [[0, 1]], { exclude: [[3]] })).message).toMatch(/exclude\[0\]\[0\]: received 3/);
    expect(errorOf(() => nearest(E, [[0, 1]], { exclude: [[-1]] })).code).toBe('INVALID_OPTION');
    e = errorOf(() => nearest([[0, 1], [0, 0]], [[1, 1]], { metric: 'cosine' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/^E: row 1 is a zero vector/);
    expect(errorOf(() => nearest(E, [0, 0], { metric: 'cosine' })).message).toMatch(/^queries: row 0 is a zero vector/);
    expect(nearest([[0, 0], [1, 1]], [0, 0]).indices[0]).toBe(0); // fine under the euclidean metric
    expect(errorOf(() => nearest(E, [[1, 2, 3]])).code).toBe('SHAPE_MISMATCH');
    expect(errorOf(() => nearest(E, [[1, Number.NaN]])).code).toBe('NON_FINITE');
    expect(errorOf(() => nearest([[Infinity, 0]], [[1, 1]])).code).toBe('NON_FINITE');
    expect(errorOf(() => nearest(E, [[1, 1]], { k: 0 })).code).toBe('INVALID_OPTION');
    expect(errorOf(() => nearest(E, [[1, 1]], { metric: 'manhattan' as Metric })).message).toMatch(/'euclidean', 'cosine', 'dot'/);
    expect(errorOf(() => nearest(E, [[1, 1]], { K: 2 } as never)).message).toMatch(/did you mean 'k'/);
    expect(errorOf(() => nearest([], [[1]])).code).toBe('EMPTY_INPUT');
  });
});
