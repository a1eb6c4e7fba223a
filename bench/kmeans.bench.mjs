// latentspace/kmeans against its peers on the `mnist` package's 10,000 digits (784 pixels),
// k = 10: ml-kmeans and skmeans in this process (interleaved by the harness), and
// scikit-learn through one Python child process (Debian's python3-sklearn at
// /usr/bin/python3, one thread; skipped with a message where it is missing).
// Imports the built package (dist/): `npm run bench`, or
// `npm run build && node --expose-gc bench/kmeans.bench.mjs`.
//
// 1. The same k-means++ start for everyone: whole fit, iterations, time per iteration,
//    final inertia (Lloyd, Elkan, Hamerly, float32, the TypeScript backend, the peers).
// 2. One k-means++ seeding each (every implementation its own), as a user would call it.
// 3. nInit = 10 k-means++ seedings: the final inertia against scikit-learn's.
// 4. Mini-batch k-means: inertia on all 10,000 digits against time, ours and scikit-learn's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPeer, median, runCase, targetList } from './harness.mjs';
import { loadMnist } from './data.mjs';
import * as kmeans from '../dist/kmeans.js';

const QUICK = process.env.BENCH_QUICK === '1';
const K = 10;
const digits = loadMnist();
const X = { rows: digits.rows, cols: digits.cols, data: digits.data };
const X32 = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data) };
const rowsOf = (M) => Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
const Xrows = rowsOf(X);

// ---- our two backends ---------------------------------------------------------------
// The WebAssembly backend when it loads (contenders on it are skipped otherwise).
const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);
const onWasm = () => wasm?.useBackend('wasm');
const onJs = () => wasm?.useBackend('js');
function ours(name, backend, run, extra = {}) {
  const before = backend === 'wasm' ? onWasm : onJs;
  const prepare = async () => {
    if (backend === 'wasm' && !wasm) throw new Error('latentspace/wasm did not load or WebAssembly SIMD is missing');
    before();
    return run;
  };
  return { name, ours: true, before, prepare, ...extra };
}

// The shared start: our greedy k-means++ seeding (seed 0), read from a run stopped before
// its first iteration (an aborted signal), and given to everyone as explicit centroids.
onWasm();
const aborted = new AbortController();
aborted.abort();
const start = kmeans.fit(X, { k: K, seed: 0, signal: aborted.signal }).centroids;
const startRows = rowsOf(start);

/** Records what each contender's last run produced, for the tables after the timings. */
const outcome = new Map();
function remember(name, model) {
  outcome.set(name, model);
  return model;
}

// ---- scikit-learn, in one child process ----------------------------------------------
const PY = `
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.cluster import KMeans, MiniBatchKMeans
spec = json.load(open(sys.argv[1]))
X = np.fromfile(spec["data"], dtype="<f8").reshape(-1, 784)
start = np.fromfile(spec["start"], dtype="<f8").reshape(-1, 784)
reps, k = spec["reps"], spec["k"]
out = {}
def timed(make, data, n):
    runs = []
    for r in range(n + 1):  # the first run warms up
        km = make(r)
        t = time.perf_counter(); km.fit(data); t = time.perf_counter() - t
        if r > 0: runs.append({"ms": t * 1e3, "nIter": int(km.n_iter_), "inertia": float(km.inertia_)})
    return runs
with threadpool_limits(1):
    for algorithm in ("lloyd", "elkan"):
        out["fixed " + algorithm] = timed(lambda r: KMeans(k, init=start, n_init=1, algorithm=algorithm), X, reps)
    X32 = X.astype(np.float32)
    out["fixed lloyd float32"] = timed(lambda r: KMeans(k, init=start.astype(np.float32), n_init=1), X32, reps)
    for algorithm in ("lloyd", "elkan"):
        out["kmeans++ " + algorithm] = timed(lambda r: KMeans(k, n_init=1, algorithm=algorithm, random_state=r), X, reps)
    out["nInit 10"] = timed(lambda r: KMeans(k, n_init=10, random_state=r), X, max(1, reps // 3))
    mb = MiniBatchKMeans(k, batch_size=1024, random_state=0, n_init=1)
    rng = np.random.default_rng(0)
    curve, elapsed = [], 0.0
    for step in range(1, spec["mbSteps"] + 1):
        batch = X[rng.integers(0, X.shape[0], 1024)]
        t = time.perf_counter(); mb.partial_fit(batch); elapsed += time.perf_counter() - t
        if step in spec["checkpoints"]:
            curve.append({"step": step, "ms": elapsed * 1e3, "inertia": -float(mb.score(X))})
    out["minibatch"] = curve
print(json.dumps(out))
`;
const CHECKPOINTS = [1, 2, 5, 10, 20, 50, 100, 200, 400];
function sklearn() {
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-kmeans-bench-'));
  try {
    writeFileSync(join(dir, 'x.f64'), new Uint8Array(X.data.buffer));
    writeFileSync(join(dir, 'start.f64'), new Uint8Array(Float64Array.from(start.data).buffer));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ data: join(dir, 'x.f64'), start: join(dir, 'start.f64'), reps: QUICK ? 2 : 5, k: K, mbSteps: Math.max(...CHECKPOINTS), checkpoints: CHECKPOINTS }));
    writeFileSync(join(dir, 'bench.py'), PY);
    const r = spawnSync('/usr/bin/python3', [join(dir, 'bench.py'), join(dir, 'spec.json')], {
      encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1));
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let sk = null;
try {
  console.log('\nscikit-learn (child process, one thread) …');
  sk = sklearn();
} catch (e) {
  console.log(`  skipped scikit-learn: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
}

// ---- 1. the same start -------------------------------------------------------------
const fixed = (algorithm, data = X) => () => remember(`fixed ${algorithm}${data === X32 ? ' f32' : ''}`, kmeans.fit(data, { init: data === X32 ? { ...start, data: Float32Array.from(start.data) } : start, algorithm }));
const caseFixed = await runCase({
  id: 'kmeans-mnist-same-start',
  title: `k-means, MNIST ${X.rows} × ${X.cols}, k = ${K}, the same k-means++ start for everyone`,
  reps: 9,
  warmup: 2,
  contenders: [
    ours('latentspace lloyd', 'wasm', fixed('lloyd')),
    ours('latentspace elkan', 'wasm', fixed('elkan')),
    ours('latentspace hamerly', 'wasm', fixed('hamerly')),
    ours('latentspace lloyd', 'wasm', fixed('lloyd', X32), { name: 'latentspace lloyd f32', note: 'float32 data' }),
    ours('latentspace lloyd (ts)', 'js', fixed('lloyd'), { reps: 3, warmup: 1 }),
    {
      name: 'ml-kmeans', reps: 1, warmup: 0,
      prepare: async () => {
        const { kmeans: mlKmeans } = await loadPeer('ml-kmeans');
        return () => remember('ml-kmeans fixed', mlKmeans(Xrows, K, { initialization: startRows, maxIterations: 300 }));
      },
    },
    {
      name: 'skmeans', reps: 1, warmup: 0,
      prepare: async () => {
        const skmeans = (await loadPeer('skmeans')).default;
        return () => remember('skmeans fixed', skmeans(Xrows, K, startRows.map((r) => r.slice()), 300));
      },
    },
  ],
});

// ---- 2. one k-means++ seeding each ----------------------------------------------------
let seedRep = 0;
const casePlusPlus = await runCase({
  id: 'kmeans-mnist-kmeans++',
  title: `k-means, MNIST, k = ${K}, one k-means++ seeding each (its own), whole fit`,
  reps: 9,
  warmup: 1,
  contenders: [
    ours('latentspace lloyd', 'wasm', () => remember('++ lloyd', kmeans.fit(X, { k: K, seed: seedRep++, algorithm: 'lloyd' }))),
    ours('latentspace elkan', 'wasm', () => remember('++ elkan', kmeans.fit(X, { k: K, seed: seedRep++, algorithm: 'elkan' }))),
    {
      name: 'ml-kmeans', reps: 1, warmup: 0,
      prepare: async () => {
        const { kmeans: mlKmeans } = await loadPeer('ml-kmeans');
        return () => remember('ml-kmeans ++', mlKmeans(Xrows, K, { initialization: 'kmeans++', seed: 1, maxIterations: 300 }));
      },
    },
    {
      name: 'skmeans', reps: 1, warmup: 0,
      prepare: async () => {
        const skmeans = (await loadPeer('skmeans')).default;
        return () => remember('skmeans ++', skmeans(Xrows, K, 'kmpp', 300));
      },
    },
  ],
});

// ---- 3. nInit = 10 --------------------------------------------------------------------
const caseTen = await runCase({
  id: 'kmeans-mnist-ninit10',
  title: `k-means, MNIST, k = ${K}, nInit = 10 k-means++ seedings`,
  reps: 3,
  warmup: 1,
  contenders: [ours('latentspace lloyd', 'wasm', () => remember('nInit 10', kmeans.fit(X, { k: K, nInit: 10, seed: 0 })))],
});

// ---- 4. mini-batch: inertia on all digits against time --------------------------------
onWasm();
function miniBatchCurve() {
  const it = kmeans.miniBatchSteps(X, { k: K, batchSize: 1024, seed: 0, maxNoImprovement: 0 });
  const curve = [];
  let elapsed = 0;
  let t0 = performance.now();
  let r = it.next();
  while (!r.done) {
    elapsed += performance.now() - t0;
    const step = r.value.iteration;
    if (CHECKPOINTS.includes(step)) {
      // Scoring all of X is not part of the run: the clock is stopped meanwhile.
      const snapshot = { kind: 'kmeans', centroids: r.value.centroids, labels: new Int32Array(0), inertia: 0, nIter: step, converged: false, algorithm: 'minibatch', counts: new Float64Array(K) };
      curve.push({ step, ms: elapsed, inertia: -kmeans.score(snapshot, X) });
    }
    t0 = performance.now();
    r = it.next(step >= Math.max(...CHECKPOINTS));
  }
  return curve;
}
miniBatchCurve(); // warm-up
const ourCurve = miniBatchCurve();

// ---- tables and targets ---------------------------------------------------------------
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`);
const pad = (cells, widths) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
function table(title, head, rows) {
  console.log(`\n### ${title}`);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log(pad(head, widths));
  for (const r of rows) console.log(pad(r, widths));
}
const medianOf = (c, name) => c.results.find((r) => r.name === name)?.median ?? null;
const iterationsOf = (m) => m?.nIter ?? m?.iterations ?? m?.it ?? null;
function inertiaOf(m) {
  if (!m) return null;
  if (typeof m.inertia === 'number') return m.inertia;
  // The peers return labels and centroids: their inertia, computed here the same way for both.
  const labels = m.clusters ?? m.idxs;
  const C = m.centroids;
  let s = 0;
  for (let i = 0; i < X.rows; i++) {
    const c = C[labels[i]];
    for (let j = 0; j < X.cols; j++) s += (X.data[i * X.cols + j] - c[j]) ** 2;
  }
  return s;
}
const skMedian = (runs) => (runs ? median(runs.map((r) => r.ms)) : null);

const rowsFixed = [];
const fixedNames = [
  ['latentspace lloyd', 'fixed lloyd'], ['latentspace elkan', 'fixed elkan'], ['latentspace hamerly', 'fixed hamerly'],
  ['latentspace lloyd f32', 'fixed lloyd f32'], ['latentspace lloyd (ts)', 'fixed lloyd'], ['ml-kmeans', 'ml-kmeans fixed'], ['skmeans', 'skmeans fixed'],
];
for (const [name, key] of fixedNames) {
  const ms = medianOf(caseFixed, name);
  const m = outcome.get(key);
  if (ms === null || !m) continue;
  const it = iterationsOf(m);
  rowsFixed.push([name, fmt(ms), String(it), fmt(ms / it), (1000 * it / ms).toFixed(0), inertiaOf(m).toFixed(2)]);
}
for (const [label, key] of [['scikit-learn lloyd', 'fixed lloyd'], ['scikit-learn elkan', 'fixed elkan'], ['scikit-learn lloyd f32', 'fixed lloyd float32']]) {
  const runs = sk?.[key];
  if (!runs) continue;
  const ms = skMedian(runs), it = runs[0].nIter;
  rowsFixed.push([label, fmt(ms), String(it), fmt(ms / it), (1000 * it / ms).toFixed(0), runs[0].inertia.toFixed(2)]);
}
table('same start: whole fit, iterations, time per iteration, inertia', ['contender', 'fit (median)', 'iter', 'per iter', 'iter/s', 'inertia'], rowsFixed);

const rowsPP = [];
for (const [name, key] of [['latentspace lloyd', '++ lloyd'], ['latentspace elkan', '++ elkan'], ['ml-kmeans', 'ml-kmeans ++'], ['skmeans', 'skmeans ++']]) {
  const ms = medianOf(casePlusPlus, name);
  const m = outcome.get(key);
  if (ms !== null && m) rowsPP.push([name, fmt(ms), String(iterationsOf(m)), inertiaOf(m).toFixed(2)]);
}
for (const [label, key] of [['scikit-learn lloyd', 'kmeans++ lloyd'], ['scikit-learn elkan', 'kmeans++ elkan']]) {
  const runs = sk?.[key];
  if (runs) rowsPP.push([label, fmt(skMedian(runs)), String(median(runs.map((r) => r.nIter))), median(runs.map((r) => r.inertia)).toFixed(2)]);
}
table('one k-means++ seeding each: whole fit (median), iterations and inertia (last or median run)', ['contender', 'fit', 'iter', 'inertia'], rowsPP);

const ten = outcome.get('nInit 10');
const rowsTen = [['latentspace lloyd', fmt(medianOf(caseTen, 'latentspace lloyd')), ten.inertia.toFixed(2)]];
if (sk) rowsTen.push(['scikit-learn lloyd', fmt(skMedian(sk['nInit 10'])), Math.min(...sk['nInit 10'].map((r) => r.inertia)).toFixed(2)]);
table('nInit = 10: whole fit and final inertia', ['contender', 'fit', 'inertia'], rowsTen);

const rowsMb = CHECKPOINTS.map((step, i) => {
  const o = ourCurve[i], s = sk?.minibatch?.[i];
  return [String(step), o ? fmt(o.ms) : '–', o ? o.inertia.toFixed(0) : '–', s ? fmt(s.ms) : '–', s ? s.inertia.toFixed(0) : '–'];
});
table('mini-batch (batch 1024): inertia on all 10,000 digits after n steps', ['steps', 'ours time', 'ours inertia', 'sklearn time', 'sklearn inertia'], rowsMb);
const full = outcome.get('fixed lloyd');
console.log(`  (full Lloyd from the shared start: inertia ${full.inertia.toFixed(0)})`);

// Targets of issue 5, ratio = peer / ours where "≥" is wanted.
const perIter = (ms, it) => ms / it;
const { target, write: writeTargets } = targetList('latentspace');
console.log('\n### targets');
const oursLloyd = medianOf(caseFixed, 'latentspace lloyd');
const skLloyd = sk?.['fixed lloyd'];
target('Lloyd iteration vs scikit-learn (≤ 0.5×)', skLloyd && oursLloyd ? perIter(skMedian(skLloyd), skLloyd[0].nIter) / perIter(oursLloyd, full.nIter) : null, 2);
const ml = medianOf(caseFixed, 'ml-kmeans');
const mlInertia = inertiaOf(outcome.get('ml-kmeans fixed'));
target('whole fit vs ml-kmeans (same start)', ml && oursLloyd ? ml / oursLloyd : null, 30,
  mlInertia ? `; inertia ours ${full.inertia.toFixed(2)} vs ${mlInertia.toFixed(2)} (${full.inertia <= mlInertia * (1 + 1e-9) ? 'equal or lower' : 'HIGHER'})` : '');
if (sk) {
  const skTen = Math.min(...sk['nInit 10'].map((r) => r.inertia));
  target('nInit = 10 inertia vs scikit-learn (ratio = theirs / ours)', skTen / ten.inertia, 1, `; ${ten.inertia.toFixed(2)} vs ${skTen.toFixed(2)}`);
}

writeTargets('kmeans-targets', 'k-means targets of issue 5', {
  sklearn: sk, fixed: rowsFixed, kmeansPlusPlus: rowsPP, nInit10: rowsTen, miniBatch: { ours: ourCurve, sklearn: sk?.minibatch ?? null },
});
onJs();
