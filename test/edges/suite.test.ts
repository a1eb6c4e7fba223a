// Issue #21, "done means": a property-based edge suite over the public functions, on both
// backends. Matrices of small integers moved to the edges of float64 (subnormal, near
// overflow, nearly equal far from the origin, columns of mixed scales, repeated rows), and
// hostile option values. Every call either returns finite numbers or throws a
// LatentSpaceError whose code fits (OUT_OF_RANGE where the true result exceeds float64) —
// never NON_FINITE for finite input, never a TypeError or RangeError, never NaN or ±∞, and
// never a hang (every case runs within the test's timeout). Correctness against scaled
// references is checked in subnormal, overflow and cancellation.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatentSpaceError } from '../../src/core/errors.js';
import * as image from '../../src/image/index.js';
import * as interp from '../../src/interp/index.js';
import * as kmeans from '../../src/kmeans/index.js';
import * as ksvd from '../../src/ksvd/index.js';
import * as linalg from '../../src/linalg/index.js';
import * as metrics from '../../src/metrics/index.js';
import * as omp from '../../src/omp/index.js';
import * as pca from '../../src/pca/index.js';
import * as som from '../../src/som/index.js';
import * as tsne from '../../src/tsne/index.js';
import { backendNames, useBackendFor } from '../helpers/backends.js';
import { ldexp } from './scaled.js';

type M = number[][];

/** How a matrix of small integers is moved to an edge of float64. */
const EDGES = ['plain', 'subnormal', 'huge', 'nearly-equal', 'mixed-scale', 'repeated'] as const;

const edgeMatrix = (rows: number, cols: number): fc.Arbitrary<{ edge: (typeof EDGES)[number]; X: M }> =>
  fc.record({
    edge: fc.constantFrom(...EDGES),
    ints: fc.array(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
    k: fc.integer({ min: 0, max: 60 }),
  }).map(({ edge, ints, k }) => {
    const X = ints.map((row, i) => row.map((v, j) => {
      switch (edge) {
        case 'plain': return v;
        case 'subnormal': return ldexp(v, -1064 + (k % 35));
        case 'huge': return ldexp(v, 950 + k);
        case 'nearly-equal': return (k % 2 === 0 ? 1e8 : 1e15) + v;
        case 'mixed-scale': return ldexp(v, j % 2 === 0 ? 500 + k : -500 - k);
        case 'repeated': return ints[i % 2]![j]!;
      }
    }));
    return { edge, X };
  });

const ALLOWED = ['OUT_OF_RANGE', 'INVALID_INPUT', 'INVALID_OPTION', 'UNSUPPORTED', 'SHAPE_MISMATCH', 'EMPTY_INPUT'];

/** Every number reachable in the result is finite. */
function expectFiniteDeep(r: unknown, path = 'result'): void {
  if (typeof r === 'number') {
    if (!Number.isFinite(r)) expect.fail(`${path} is ${r}`);
  } else if (ArrayBuffer.isView(r)) {
    const a = r as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (typeof a[i] === 'number' && !Number.isFinite(a[i]!)) expect.fail(`${path}[${i}] is ${a[i]}`);
  } else if (Array.isArray(r)) {
    r.forEach((v, i) => expectFiniteDeep(v, `${path}[${i}]`));
  } else if (r !== null && typeof r === 'object' && typeof (r as { next?: unknown }).next !== 'function') {
    for (const [k, v] of Object.entries(r)) expectFiniteDeep(v, `${path}.${k}`);
  }
}

/** A finite result, or a LatentSpaceError of an allowed code (never NON_FINITE: the input is finite). */
function expectEdgeOutcome(f: () => unknown, allowed = ALLOWED): void {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    if (!(e instanceof LatentSpaceError)) expect.fail(`threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    if (!allowed.includes(e.code)) expect.fail(`threw ${e.code}: ${e.message}`);
    return;
  }
  expectFiniteDeep(result);
}

const col = (X: M, j: number): number[] => X.map((r) => r[j]!);
/** The symmetric part, without overflow. */
const sym = (X: M): M => X.slice(0, X[0]!.length).map((r, i) => r.map((v, j) => v / 2 + X[j]![i]! / 2));
const positive = (v: number[]): number[] => v.map((x) => Math.abs(x) || 2 ** -1074);
const labels = (n: number): number[] => Array.from({ length: n }, (_, i) => i % 2);

/** Every public function, called on an edge matrix X (n × d, n ≥ 8). */
const calls: [string, (X: M) => unknown][] = [
  ['linalg.matmul', (X) => linalg.matmul(X, X, { transB: true })],
  ['linalg.gram', (X) => linalg.gram(X)],
  ['linalg.sqDistances', (X) => linalg.sqDistances(X)],
  ['linalg.sqDistances(A, B)', (X) => linalg.sqDistances(X, X.slice(1))],
  ['linalg.rowSqNorms', (X) => linalg.rowSqNorms(X)],
  ['linalg.argminRows', (X) => linalg.argminRows(X)],
  ['linalg.dot', (X) => linalg.dot(X[0]!, X[1]!)],
  ['linalg.axpy', (X) => linalg.axpy(0.5, X[0]!, X[1]!)],
  ['linalg.eigh', (X) => linalg.eigh(sym(X))],
  ['linalg.eigvalsh', (X) => linalg.eigvalsh(sym(X))],
  ['linalg.svd', (X) => linalg.svd(X)],
  ['linalg.qr', (X) => linalg.qr(X)],
  ['linalg.randomizedRangeFinder', (X) => linalg.randomizedRangeFinder(X, { size: 1 })],
  ['linalg.cholesky', (X) => linalg.cholesky(X.slice(0, X[0]!.length).map((r, i) => r.map((_, j) => (i === j ? positive([X[i]![j]!])[0]! : 0))))],
  ['pca.fit', (X) => pca.fit(X)],
  ['pca.fitTransform', (X) => pca.fitTransform(X, { nComponents: 1 })],
  ['pca.partialFit', (X) => pca.partialFit(undefined, X)],
  ['pca randomized', (X) => pca.fit(X, { nComponents: 1, solver: 'randomized' })],
  ['kmeans.fit', (X) => kmeans.fit(X, { k: 2 })],
  ['kmeans.fit elkan', (X) => kmeans.fit(X, { k: 2, algorithm: 'elkan', init: 'random', nInit: 2 })],
  ['kmeans.miniBatch', (X) => kmeans.miniBatch(X, { k: 2, batchSize: 4, maxIter: 3 })],
  ['kmeans predict/transform/score', (X) => {
    const m = kmeans.fit(X, { k: 2 });
    return [kmeans.predict(m, X), kmeans.transform(m, X), kmeans.score(m, X)];
  }],
  ['metrics.silhouetteScore', (X) => metrics.silhouetteScore(X, labels(X.length))],
  ['metrics.calinskiHarabasz', (X) => metrics.calinskiHarabasz(X, labels(X.length))],
  ['metrics.daviesBouldin', (X) => metrics.daviesBouldin(X, labels(X.length))],
  ['metrics.trustworthiness', (X) => metrics.trustworthiness(X, X.map((r) => [r[0]!]), { k: 2 })],
  ['omp.encode', (X) => omp.encode(X[0]!.map((_, j) => X[0]!.map((__, q) => (q === j ? 1 : 0))), X, { nNonzero: 1 })],
  ['omp.lasso', (X) => omp.lasso(X[0]!.map((_, j) => X[0]!.map((__, q) => (q === j ? 1 : 0))), X, { alpha: 0.1 })],
  ['ksvd.fit', (X) => ksvd.fit(X, { nAtoms: 2, nNonzero: 1, maxIter: 2 })],
  ['som.fit', (X) => {
    const m = som.fit(X, { width: 2, height: 2, epochs: 2 });
    return [m, som.quantizationError(m, X), som.bmu(m, X), som.uMatrix(m)];
  }],
  ['tsne.fit', (X) => tsne.fit(X, { perplexity: 2, nIter: 12, seed: 1 })],
  ['interp.lerp/slerp/path', (X) => [interp.lerp(X[0]!, X[1]!, 0.3), interp.slerp(X[0]!, X[1]!, 0.3), interp.path(X[0]!, X[1]!, { steps: 3, method: 'spherical' })]],
  ['interp W2 diagonal', (X) => {
    const g0 = { mean: X[0]!, variance: positive(X[1]!) }, g1 = { mean: X[2]!, variance: positive(X[3]!) };
    return [interp.w2Distance(g0, g1), interp.w2Map(g0, g1), interp.w2Geodesic(g0, g1, 0.4), interp.w2Barycenter([g0, g1]),
      interp.w2DistanceDiagonalBatch({ mean: X, variance: X.map(positive) }, g1)];
  }],
  ['interp Fisher-Rao diagonal', (X) => {
    const g0 = { mean: X[0]!, variance: positive(X[1]!) }, g1 = { mean: X[2]!, variance: positive(X[3]!) };
    return [interp.fisherRaoDistance(g0, g1), interp.fisherRaoGeodesic(g0, g1, 0.4),
      interp.fisherRaoDistanceDiagonalBatch({ mean: X, variance: X.map(positive) }, g1), interp.geodesicPath(g0, g1, { steps: 3, metric: 'fisher-rao' })];
  }],
  ['interp full covariances', (X) => {
    const d = X[0]!.length;
    const diag = (v: number[]): M => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const g0 = { mean: X[0]!, cov: diag(positive(X[1]!)) }, g1 = { mean: X[0]!, cov: diag(positive(X[3]!)) };
    void d;
    return [interp.w2Distance(g0, g1), interp.w2Map(g0, g1), interp.w2Geodesic(g0, g1, 0.4), interp.w2Barycenter([g0, g1]),
      interp.fisherRaoDistance(g0, g1), interp.fisherRaoGeodesic(g0, g1, 0.4)];
  }],
  ['image.grid', (X) => image.grid(X.map((r) => r.slice(0, 2)), { width: 2, height: 1 })],
];

describe.each(backendNames)('edge matrices on the %s backend', (backend) => {
  useBackendFor(backend);
  const data = fc.tuple(fc.integer({ min: 8, max: 10 }), fc.integer({ min: 2, max: 4 })).chain(([n, d]) => edgeMatrix(n, d));

  it.each(calls)('%s: finite, or a fitting LatentSpaceError', (_name, call) => {
    fc.assert(fc.property(data, ({ X }) => {
      const copy = X.map((r) => r.slice());
      expectEdgeOutcome(() => call(X));
      expect(X).toEqual(copy); // never modifies the caller's arrays
    }), { numRuns: 24 });
  });
});

/** Option values no function should take silently. */
const hostileValue = fc.constantFrom(NaN, Infinity, -1, 0, 0.5, 1e300, -1e300, 2 ** 53, '', '3', null, true, {}, [], () => 1, Symbol.for('x'));

/** Functions with the names of their options. */
const optionCalls: [string, readonly string[], (X: M, options: Record<string, unknown>) => unknown][] = [
  ['pca.fit', ['nComponents', 'solver', 'whiten', 'nOversamples', 'powerIterations', 'seed'], (X, o) => pca.fit(X, o)],
  ['kmeans.fit', ['k', 'init', 'nInit', 'seed', 'sampleWeight', 'algorithm', 'maxIter', 'tol', 'onProgress', 'signal'], (X, o) => kmeans.fit(X, { k: 2, ...o })],
  ['kmeans.miniBatch', ['k', 'batchSize', 'maxIter', 'tol', 'maxNoImprovement', 'reassignmentRatio', 'initSize', 'nInit', 'seed'], (X, o) => kmeans.miniBatch(X, { k: 2, maxIter: 3, ...o })],
  ['ksvd.fit', ['nAtoms', 'nNonzero', 'maxIter', 'tol', 'method', 'init', 'replaceAtoms', 'seed', 'onProgress', 'signal'], (X, o) => ksvd.fit(X, { nAtoms: 2, nNonzero: 1, maxIter: 2, ...o })],
  ['som.fit', ['width', 'height', 'topology', 'toroidal', 'epochs', 'method', 'neighborhood', 'sigma', 'learningRate', 'init', 'seed'], (X, o) => som.fit(X, { width: 2, height: 2, epochs: 2, ...o })],
  ['tsne.fit', ['nComponents', 'perplexity', 'method', 'theta', 'nIter', 'earlyExaggeration', 'earlyExaggerationIter', 'learningRate', 'momentum', 'finalMomentum', 'init', 'metric', 'seed', 'yieldEvery', 'signal'], (X, o) => tsne.fit(X, { perplexity: 2, nIter: 10, ...o })],
  ['metrics.silhouetteScore', ['sampleSize', 'seed', 'chunkSize'], (X, o) => metrics.silhouetteScore(X, labels(X.length), o)],
  ['interp.path', ['steps', 'method'], (X, o) => interp.path(X[0]!, X[1]!, o)],
  ['interp.geodesicPath', ['steps', 'metric'], (X, o) => interp.geodesicPath({ mean: X[0]!, variance: [1, 1] }, { mean: X[1]!, variance: [2, 3] }, o)],
  ['interp.w2Barycenter', ['tol', 'maxIter'], (X, o) => interp.w2Barycenter([{ mean: X[0]!, cov: [[2, 1], [1, 2]] }, { mean: X[1]!, cov: [[1, 0], [0, 1]] }], undefined, o)],
  ['linalg.svd', ['k'], (X, o) => linalg.svd(X, o)],
  ['linalg.randomizedRangeFinder', ['size', 'powerIterations', 'normalizer', 'seed'], (X, o) => linalg.randomizedRangeFinder(X, { size: 1, ...o })],
  ['image.grid', ['width', 'height', 'columns', 'padding', 'normalize', 'colormap', 'background', 'scale'], (X, o) => image.grid(X, { width: 2, height: 1, ...o })],
  ['omp.encode', ['nNonzero', 'tol', 'returnSparse'], (X, o) => omp.encode([[1, 0], [0, 1]], X, { nNonzero: 1, ...o })],
];

describe('hostile option values', () => {
  const X: M = Array.from({ length: 10 }, (_, i) => [Math.sin(i) * 3, Math.cos(i * 1.7) * 2]);
  it.each(optionCalls)('%s: a finite result or INVALID_OPTION / OUT_OF_RANGE, never a TypeError or a hang', (_name, names, call) => {
    fc.assert(fc.property(fc.constantFrom(...names), hostileValue, (name, value) => {
      expectEdgeOutcome(() => call(X, { [name]: value }), ['INVALID_OPTION', 'OUT_OF_RANGE', 'INVALID_INPUT', 'SHAPE_MISMATCH', 'UNSUPPORTED', 'EMPTY_INPUT']);
    }), { numRuns: 40 });
  });
});
