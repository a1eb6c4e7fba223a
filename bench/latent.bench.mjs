// latentspace/latent: `nearest` for 10,000 queries against the `mnist` package's 10,000
// digits (784 pixels), k = 10, euclidean: the figure issue #16 asks for.
//
// Contenders:
//   - ours on the WebAssembly backend, the queries a separate copy of the digits, and the
//     corpus itself as the queries (the kNN graph). On these digits both run the screen in
//     a few directions (src/latent/projected.ts: 131 of 784, then ~36 exact distances per
//     query); the GFLOP/s column counts the brute-force product (2·n²·d), which is not
//     what runs, so it reads as "equivalent";
//   - ours on the TypeScript backend, and a plain JavaScript loop (Σ(x − y)² per pair, an
//     insertion top-k), both on the first 1,000 queries (extrapolated ×10 for the ratio:
//     the work per query is the same for every query);
//   - scikit-learn's NearestNeighbors(algorithm='brute').kneighbors, one thread (Debian's
//     python3-sklearn at /usr/bin/python3, OMP/OpenBLAS one thread), in a child process
//     run before and after ours (its median over both), skipped with a message when absent.
// Targets: ≤ 1.0× scikit-learn's time (ratio scikit-learn / ours ≥ 1), ≥ 10× the plain loop.
//
// Imports the built package (dist/): `npm run bench`, or
// `npm run build && node --expose-gc bench/latent.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ourBackends, runCase, targetList } from './harness.mjs';
import { loadMnist } from './data.mjs';
import * as latent from '../dist/latent.js';

const QUICK = process.env.BENCH_QUICK === '1';
const K = 10;
const SUBSET = 1000;
const digits = loadMnist();
const E = { rows: digits.rows, cols: digits.cols, data: digits.data };
const Q = { rows: E.rows, cols: E.cols, data: E.data.slice() };
const Qsub = { rows: SUBSET, cols: E.cols, data: E.data.subarray(0, SUBSET * E.cols) };
const d = E.cols, n = E.rows;

// ---- our two backends ---------------------------------------------------------------
const { ours } = await ourBackends();

/** The plain loop: every distance, the k smallest kept by insertion (ties: lower index). */
function plainLoop(queries) {
  const { rows: nq, data: qd } = queries;
  const x = E.data;
  const indices = new Int32Array(nq * K), distances = new Float64Array(nq * K);
  const bestD = new Float64Array(K), bestI = new Int32Array(K);
  for (let q = 0; q < nq; q++) {
    let size = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0, p = q * d, r = j * d; t < d; t++, p++, r++) {
        const v = qd[p] - x[r];
        s += v * v;
      }
      if (size === K && !(s < bestD[K - 1])) continue;
      let at = size < K ? size++ : K - 1;
      while (at > 0 && bestD[at - 1] > s) {
        bestD[at] = bestD[at - 1];
        bestI[at] = bestI[at - 1];
        at--;
      }
      bestD[at] = s;
      bestI[at] = j;
    }
    for (let t = 0; t < K; t++) {
      indices[q * K + t] = bestI[t];
      distances[q * K + t] = Math.sqrt(bestD[t]);
    }
  }
  return { k: K, indices, distances };
}

// ---- scikit-learn, in a child process ---------------------------------------------------
const PY = `
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
import sklearn
from sklearn.neighbors import NearestNeighbors
spec = json.load(open(sys.argv[1]))
X = np.fromfile(spec["data"], dtype="<f8").reshape(-1, 784)
Q = X.copy()
out = {"version": sklearn.__version__, "ms": []}
with threadpool_limits(1):
    nn = NearestNeighbors(n_neighbors=spec["k"], algorithm="brute").fit(X)
    for r in range(spec["reps"] + 1):  # the first run warms up
        t = time.perf_counter(); dist, ind = nn.kneighbors(Q); t = time.perf_counter() - t
        if r > 0: out["ms"].append(t * 1e3)
np.asarray(ind, dtype="<i4").tofile(spec["indices"])
np.asarray(dist, dtype="<f8").tofile(spec["distances"])
print(json.dumps(out))
`;
const dir = mkdtempSync(join(tmpdir(), 'latentspace-latent-bench-'));
writeFileSync(join(dir, 'x.f64'), new Uint8Array(E.data.buffer, E.data.byteOffset, E.data.byteLength));
writeFileSync(join(dir, 'bench.py'), PY);
function sklearn(reps) {
  const spec = { data: join(dir, 'x.f64'), k: K, reps, indices: join(dir, 'ind.i32'), distances: join(dir, 'dist.f64') };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  const r = spawnSync('/usr/bin/python3', [join(dir, 'bench.py'), join(dir, 'spec.json')], {
    encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1));
  return JSON.parse(r.stdout);
}
const skRuns = [];
let skVersion = null;
function runSklearn(label) {
  try {
    console.log(`\nscikit-learn (child process, one thread), ${label} …`);
    const out = sklearn(QUICK ? 1 : 3);
    skVersion = out.version;
    skRuns.push(...out.ms);
    console.log(`  ${out.ms.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  } catch (e) {
    console.log(`  skipped scikit-learn: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}
runSklearn('before ours');

// ---- ours, the plain loop ------------------------------------------------------------
/** Checks a result against the plain loop on its first queries: the same rows and distances. */
const reference = plainLoop({ rows: 50, cols: d, data: E.data.subarray(0, 50 * d) });
function check(out) {
  for (let p = 0; p < reference.indices.length; p++) {
    if (out.indices[p] !== reference.indices[p] && Math.abs(out.distances[p] - reference.distances[p]) > 1e-9) return `query ${Math.floor(p / K)}: row ${out.indices[p]} where the plain loop has ${reference.indices[p]}`;
    if (Math.abs(out.distances[p] - reference.distances[p]) > 1e-9 * Math.max(1, reference.distances[p])) return `query ${Math.floor(p / K)}: distance ${out.distances[p]} vs ${reference.distances[p]}`;
  }
  return undefined;
}
const flops = 2 * n * n * d;
const full = await runCase({
  id: 'latent-nearest-mnist',
  title: `nearest: ${n.toLocaleString('en')} queries against MNIST ${n.toLocaleString('en')} × ${d}, k = ${K}, euclidean`,
  flops,
  reps: 5,
  warmup: 1,
  contenders: [
    ours('latentspace nearest, queries a copy (WASM)', 'wasm', () => latent.nearest(E, Q, { k: K }), { check }),
    ours('latentspace nearest, queries = E (WASM)', 'wasm', () => latent.nearest(E, E, { k: K }), { check, note: 'the kNN graph' }),
  ],
});
const sub = await runCase({
  id: 'latent-nearest-mnist-subset',
  title: `nearest: the first ${SUBSET.toLocaleString('en')} queries against MNIST ${n.toLocaleString('en')} × ${d}, k = ${K}`,
  flops: 2 * SUBSET * n * d,
  reps: 3,
  warmup: 1,
  contenders: [
    ours('latentspace nearest (WASM)', 'wasm', () => latent.nearest(E, Qsub, { k: K }), { check }),
    ours('latentspace nearest (TypeScript)', 'js', () => latent.nearest(E, Qsub, { k: K }), { check }),
    { name: 'plain JS loop', reps: 2, warmup: 1, prepare: async () => () => plainLoop(Qsub), check },
  ],
});

runSklearn('after ours');
let agreement = null;
if (skRuns.length > 0) {
  // How scikit-learn's answer compares (its last run): the same rows, ties aside.
  const { readFileSync } = await import('node:fs');
  const ind = new Int32Array(readFileSync(join(dir, 'ind.i32')).buffer.slice(0));
  const dist = new Float64Array(readFileSync(join(dir, 'dist.f64')).buffer.slice(0));
  const mine = latent.nearest(E, Q, { k: K });
  let same = 0, maxDiff = 0;
  for (let p = 0; p < ind.length; p++) {
    if (ind[p] === mine.indices[p]) same++;
    maxDiff = Math.max(maxDiff, Math.abs(dist[p] - mine.distances[p]));
  }
  agreement = { same: same / ind.length, maxDiff };
  console.log(`  scikit-learn ${skVersion} and ours: ${(100 * agreement.same).toFixed(3)} % of the indices identical, distances within ${maxDiff.toExponential(2)}`);
}
rmSync(dir, { recursive: true, force: true });

// ---- targets ---------------------------------------------------------------------------
const medianOf = (c, name) => c.results.find((r) => r.name === name)?.median ?? null;
const oursCopy = medianOf(full, 'latentspace nearest, queries a copy (WASM)');
const oursSelf = medianOf(full, 'latentspace nearest, queries = E (WASM)');
const skMs = skRuns.length ? median(skRuns) : null;
const plainMs = medianOf(sub, 'plain JS loop');
const t = targetList('latentspace nearest (WASM)');
console.log(`\n  scikit-learn brute, one thread: ${skMs === null ? '–' : `${(skMs / 1000).toFixed(2)} s (median of ${skRuns.length})`}; plain loop extrapolated to ${n.toLocaleString('en')} queries: ${plainMs === null ? '–' : `${((plainMs * n) / SUBSET / 1000).toFixed(1)} s`}`);
t.target('nearest vs scikit-learn, queries a copy', skMs && oursCopy ? skMs / oursCopy : null, 1);
t.target('nearest vs scikit-learn, queries = E', skMs && oursSelf ? skMs / oursSelf : null, 1);
t.target('nearest vs plain JS loop', plainMs && oursCopy ? (plainMs * n) / SUBSET / oursCopy : null, 10);
t.write('latent-targets', 'latent: nearest targets', { sklearnMs: skRuns, sklearnVersion: skVersion, agreement });
