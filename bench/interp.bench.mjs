// latentspace/interp: the figures issue #9 asks for.
//
// 1. Full covariances, d = 2, 20, 128, 512: w2Distance, w2Geodesic (one t) and the
//    equal-mean fisherRaoDistance, on both backends, interleaved with one `eigh` of the
//    same size (the baseline of the target: w2Distance within 2.5× one eigh at d = 512).
// 2. 10⁵ diagonal Gaussians of d = 32 (a VAE batch) against one reference and as 10⁵
//    pairs: w2DistanceDiagonalBatch and fisherRaoDistanceDiagonalBatch (target: < 50 ms
//    each; the Fisher-Rao batch on both backends, the others run the same TypeScript on
//    both), with 10⁵ calls of the one-pair functions for comparison.
// 3. POT (Debian's python3-pot, /usr/bin/python3, one thread) in a child process: W2 by
//    its Bures formula with its own sqrtm, and the same diagonal batches in NumPy;
//    skipped with a message where missing. Not interleaved (another process): a reference.
//
// Imports the built package (dist/): `npm run bench`, or
// `npm run build && node --expose-gc bench/interp.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillRandom, runCase } from './harness.mjs';
import * as interp from '../dist/interp.js';
import * as linalg from '../dist/linalg.js';

const QUICK = process.env.BENCH_QUICK === '1';

// ---- our two backends -----------------------------------------------------------------
const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);
function ours(name, backend, run, extra = {}) {
  const before = () => wasm?.useBackend(backend);
  const prepare = async () => {
    if (backend === 'wasm' && !wasm) throw new Error('latentspace/wasm did not load or WebAssembly SIMD is missing');
    before();
    return run;
  };
  return { name: `${name} (${backend})`, ours: true, before, prepare, ...extra };
}
const backends = wasm ? ['wasm', 'js'] : ['js'];

/** B·Bᵀ/d + 0.1·I for a pseudo-random (d × d) B: a covariance with eigenvalues from 0.1 up. */
function covariance(d, seed) {
  const B = { rows: d, cols: d, data: fillRandom(new Float64Array(d * d), seed) };
  const S = linalg.matmul(B, B, { transB: true }).data;
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) S[i * d + j] = S[j * d + i] = (S[i * d + j] + S[j * d + i]) / (2 * d);
    S[i * d + i] = S[i * d + i] / d + 0.1;
  }
  return { rows: d, cols: d, data: S };
}

const absolute = [];

// ---- 1. full covariances ----------------------------------------------------------------
for (const d of QUICK ? [2, 128, 512] : [2, 20, 128, 512]) {
  const g0 = { mean: fillRandom(new Float64Array(d), 3), cov: covariance(d, 1) };
  const g1 = { mean: fillRandom(new Float64Array(d), 4), cov: covariance(d, 2) };
  const g1same = { mean: g0.mean, cov: g1.cov };
  const big = d >= 128;
  const contenders = [];
  for (const b of backends) {
    contenders.push(ours('eigh', b, () => linalg.eigh(g0.cov)));
    contenders.push(ours('w2Distance', b, () => interp.w2Distance(g0, g1)));
    contenders.push(ours('w2Geodesic', b, () => interp.w2Geodesic(g0, g1, 0.3)));
    contenders.push(ours('fisherRaoDistance', b, () => interp.fisherRaoDistance(g0, g1same), { note: 'equal means' }));
  }
  const small = d <= 20;
  await runCase({
    id: `interp-full-d${d}`,
    title: `interp: full covariances, d = ${d} (baseline: one eigh of the same size)`,
    reps: small ? 200 : big && d >= 512 ? 10 : 30,
    warmup: small ? 50 : 2,
    contenders,
    targets: d === 512 ? backends.map((b) => ({ ours: `w2Distance (${b})`, peer: `eigh (${b})`, min: 0.4, label: `w2Distance within 2.5× one eigh, ${b} backend` })) : [],
  });
}

// ---- 2. diagonal batches ----------------------------------------------------------------
{
  const n = 100_000, d = 32;
  const mean = fillRandom(new Float64Array(n * d), 5);
  const variance = fillRandom(new Float64Array(n * d), 6).map((v) => 0.05 + v * v);
  const mean1 = fillRandom(new Float64Array(n * d), 7);
  const variance1 = fillRandom(new Float64Array(n * d), 8).map((v) => 0.05 + v * v);
  const batch = { mean: { rows: n, cols: d, data: mean }, variance: { rows: n, cols: d, data: variance } };
  const pairs = { mean: { rows: n, cols: d, data: mean1 }, variance: { rows: n, cols: d, data: variance1 } };
  const ref = { mean: mean1.slice(0, d), variance: variance1.slice(0, d) };
  const onePair = (f) => () => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = f({ mean: mean.subarray(i * d, (i + 1) * d), variance: variance.subarray(i * d, (i + 1) * d) }, ref);
    }
    return out;
  };
  const same = (f) => (out) => {
    const g = { mean: mean.subarray(0, d), variance: variance.subarray(0, d) };
    return Math.abs(out[0] - f(g, ref)) <= 1e-12 * out[0] ? undefined : `row 0 differs from the one-pair function`;
  };
  const rec = await runCase({
    id: 'interp-diagonal-batch',
    title: `interp: ${n.toLocaleString('en')} diagonal Gaussians of d = ${d} (a VAE batch)`,
    reps: 30,
    warmup: 3,
    contenders: [
      ours('w2DistanceDiagonalBatch, against one reference', 'js', () => interp.w2DistanceDiagonalBatch(batch, ref), { check: same(interp.w2Distance) }),
      ours('w2DistanceDiagonalBatch, 10⁵ pairs', 'js', () => interp.w2DistanceDiagonalBatch(batch, pairs)),
      ours('fisherRaoDistanceDiagonalBatch, against one reference', 'js', () => interp.fisherRaoDistanceDiagonalBatch(batch, ref), { check: same(interp.fisherRaoDistance) }),
      ours('fisherRaoDistanceDiagonalBatch, 10⁵ pairs', 'js', () => interp.fisherRaoDistanceDiagonalBatch(batch, pairs)),
      // The backend a user gets after init(): its kernel is WebAssembly SIMD (the others run
      // the same TypeScript on both backends).
      ours('fisherRaoDistanceDiagonalBatch, against one reference', 'wasm', () => interp.fisherRaoDistanceDiagonalBatch(batch, ref)),
      ours('fisherRaoDistanceDiagonalBatch, 10⁵ pairs', 'wasm', () => interp.fisherRaoDistanceDiagonalBatch(batch, pairs)),
      ours('10⁵ calls of w2Distance', 'js', onePair(interp.w2Distance), { reps: 10 }),
      ours('10⁵ calls of fisherRaoDistance', 'js', onePair(interp.fisherRaoDistance), { reps: 10 }),
    ],
  });
  for (const r of rec.results.filter((x) => x.name.includes('Batch'))) {
    const met = r.median !== null && r.median < 50;
    // In the shape run-all prints: ratio = budget / median, met when ≥ 1.
    absolute.push({ label: `${r.name.replace(' (js)', '')} < 50 ms`, ours: r.name, peer: '50 ms budget', min: 1, ratio: r.median === null ? null : 50 / r.median, met: r.median === null ? null : met });
    console.log(`  target: ${r.name} under 50 ms: ${r.median === null ? '–' : `${r.median.toFixed(1)} ms`} ${met ? 'MET' : 'NOT MET'}`);
  }
}

// ---- 3. POT and NumPy, in one child process -------------------------------------------------
const PY = `
import json, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
import ot
spec = json.load(open(sys.argv[1]))
def timed(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1e3)
    return float(np.median(ts))
def cov(d, rng):
    B = rng.uniform(-1, 1, (d, d))
    return B @ B.T / d + 0.1 * np.eye(d)
out = {"pot": ot.__version__, "full": {}, "diagonal": {}}
rng = np.random.default_rng(0)
with threadpool_limits(1):
    for d in spec["dims"]:
        C0, C1 = cov(d, rng), cov(d, rng)
        m0, m1 = rng.normal(size=d), rng.normal(size=d)
        nx = ot.backend.get_backend(C0)
        def w2():
            s = nx.sqrtm(C0)
            return np.sqrt(np.sum((m0 - m1) ** 2) + np.trace(C0 + C1 - 2 * nx.sqrtm(s @ C1 @ s)))
        reps = 50 if d <= 20 else 10
        out["full"][str(d)] = {"w2 (POT Bures formula, nx.sqrtm)": timed(w2, reps), "numpy eigh": timed(lambda: np.linalg.eigh(C0), reps)}
    n, d = 100000, 32
    M0, M1 = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    V0, V1 = rng.uniform(0.05, 1, (n, d)), rng.uniform(0.05, 1, (n, d))
    def w2d():
        return np.sqrt(np.sum((M0 - M1) ** 2 + (np.sqrt(V0) - np.sqrt(V1)) ** 2, axis=1))
    def frd():
        s0, s1 = np.sqrt(V0), np.sqrt(V1)
        r = np.sqrt(((M0 - M1) ** 2 / 2 + (s0 - s1) ** 2) / (4 * s0 * s1))
        return np.sqrt(np.sum(8 * np.arcsinh(r) ** 2, axis=1))
    out["diagonal"] = {"W2, 10^5 pairs (NumPy)": timed(w2d, 10), "Fisher-Rao, 10^5 pairs (NumPy)": timed(frd, 10)}
print(json.dumps(out))
`;
function python() {
  const dir = join(process.env.TMPDIR ?? '/tmp', `latentspace-interp-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spec.json'), JSON.stringify({ dims: QUICK ? [2, 128, 512] : [2, 20, 128, 512] }));
  writeFileSync(join(dir, 'bench.py'), PY);
  const r = spawnSync('/usr/bin/python3', [join(dir, 'bench.py'), join(dir, 'spec.json')], {
    encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1));
  return JSON.parse(r.stdout);
}
let py = null;
try {
  console.log('\n## POT / NumPy (child process, one thread; medians, not interleaved)');
  py = python();
  for (const [d, row] of Object.entries(py.full)) {
    console.log(`  d = ${d}: ${Object.entries(row).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')}`);
  }
  for (const [k, v] of Object.entries(py.diagonal)) console.log(`  ${k}: ${v.toFixed(1)} ms`);
} catch (e) {
  console.log(`  skipped POT: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
}

if (process.env.BENCH_JSON) {
  mkdirSync(process.env.BENCH_JSON, { recursive: true });
  writeFileSync(join(process.env.BENCH_JSON, 'interp-extra.json'), JSON.stringify({ id: 'interp-extra', title: 'interp: absolute targets and POT/NumPy reference timings', results: [], targets: absolute, python: py }, null, 2));
}
