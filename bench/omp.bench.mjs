// latentspace/omp against scikit-learn's orthogonal_mp_gram and orthogonal_mp (Debian's
// python3-sklearn at /usr/bin/python3, one thread, in a child process; skipped with a
// message where it is missing). There is no JavaScript peer.
// Problem of the issue: 10,000 signals of 64 features, each 5 atoms of a random unit-norm
// dictionary of 256 atoms plus noise of standard deviation 0.01; 5 non-zeros. Reported,
// for every contender (ours including G = DDᵀ and DXᵀ):
//   cold   the first call: ours in a fresh Node process after import (and initSync), the
//          median over a few such processes; scikit-learn's first call in its process
//   warm   the median of back-to-back calls after that, garbage left to the collector as
//          a user's calls leave it (the garbage of one call is paid for in the next)
//   GC forced  the same with a full collection before every timed call (as the harness does)
// and support recovery (the share of planted atoms found). `npm run bench`, or
// `npm run build && node --expose-gc bench/omp.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Random } from '../dist/core.js';
import { median, targetList } from './harness.mjs';

if (!existsSync(new URL('../dist/omp.js', import.meta.url))) {
  console.log('\n## OMP: skipped (dist/omp.js is missing: latentspace/omp is not built)');
  process.exit(0);
}
const QUICK = process.env.BENCH_QUICK === '1';
const COLD = process.argv[2] === '--cold' ? process.argv[3] : undefined;
const omp = await import('../dist/omp.js');
const wasm = await import('../dist/wasm.js');
wasm.initSync();

const nAtoms = 256, nFeatures = 64, nSamples = 10000, nNonzero = 5, noise = 0.01;
const rng = new Random(2026);
const D = { rows: nAtoms, cols: nFeatures, data: new Float64Array(nAtoms * nFeatures) };
for (let a = 0; a < nAtoms; a++) {
  const row = D.data.subarray(a * nFeatures, (a + 1) * nFeatures);
  rng.fillNormal(row);
  const norm = Math.hypot(...row);
  for (let j = 0; j < nFeatures; j++) row[j] /= norm;
}
const planted = new Int32Array(nSamples * nNonzero);
const X = { rows: nSamples, cols: nFeatures, data: new Float64Array(nSamples * nFeatures) };
for (let i = 0; i < nSamples; i++) {
  const support = rng.sampleWithoutReplacement(nAtoms, nNonzero);
  planted.set(support, i * nNonzero);
  const x = X.data.subarray(i * nFeatures, (i + 1) * nFeatures);
  for (const a of support) {
    const c = rng.normal();
    for (let j = 0; j < nFeatures; j++) x[j] += c * D.data[a * nFeatures + j];
  }
  for (let j = 0; j < nFeatures; j++) x[j] += noise * rng.normal();
}
const call = () => omp.encode(D, X, { nNonzero });

// Child mode (`--cold wasm|js`): time the first call of this fresh process and say so.
if (COLD !== undefined) {
  wasm.useBackend(COLD);
  const t0 = performance.now();
  call();
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
  process.exit(0);
}

/** Share of planted atoms among the non-zeros of each code row (codes: nSamples × nAtoms). */
function recovery(codes) {
  let found = 0;
  for (let i = 0; i < nSamples; i++) {
    for (let s = 0; s < nNonzero; s++) if (codes[i * nAtoms + planted[i * nNonzero + s]] !== 0) found++;
  }
  return found / (nSamples * nNonzero);
}

// ---- scikit-learn --------------------------------------------------------------------
const skReps = QUICK ? 2 : 5;
const tmp = fileURLToPath(new URL('../.bench-tmp/', import.meta.url));
mkdirSync(tmp, { recursive: true });
writeFileSync(`${tmp}omp-D.f64`, D.data);
writeFileSync(`${tmp}omp-X.f64`, X.data);
const script = `
import json, sys, time, os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from sklearn.linear_model import orthogonal_mp, orthogonal_mp_gram
D = np.fromfile(sys.argv[1] + "omp-D.f64").reshape(${nAtoms}, ${nFeatures})
X = np.fromfile(sys.argv[1] + "omp-X.f64").reshape(${nSamples}, ${nFeatures})
out = {}
for name in ("gram", "plain"):
    times = []
    for _ in range(${skReps}):
        t = time.perf_counter()
        if name == "gram":
            C = orthogonal_mp_gram(D @ D.T, D @ X.T, n_nonzero_coefs=${nNonzero})
        else:
            C = orthogonal_mp(D.T, X.T, n_nonzero_coefs=${nNonzero})
        times.append((time.perf_counter() - t) * 1000)
    out[name] = {"times": times, "nonzero": (C.T != 0).astype(np.uint8).ravel().tolist()}
print(json.dumps(out))
`;
const py = spawnSync('/usr/bin/python3', ['-c', script, tmp], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 28 });
const sk = py.status === 0 ? JSON.parse(py.stdout) : null;
if (sk === null) console.log(`\n(scikit-learn skipped: ${(py.stderr || py.error?.message || 'no /usr/bin/python3').trim().split('\n').pop()})`);

// ---- ours: cold calls, each in a fresh process ---------------------------------------
const backends = [['latentspace encode (wasm)', 'wasm'], ['latentspace encode (ts)', 'js']];
const coldRuns = QUICK ? 1 : 3;
const cold = new Map(backends.map(([, b]) => [b, []]));
for (let r = 0; r < coldRuns; r++) {
  for (const [, backend] of backends) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold', backend], { encoding: 'utf8' });
    if (child.status === 0) cold.get(backend).push(JSON.parse(child.stdout.trim().split('\n').pop()).ms);
    else console.log(`  (cold run on ${backend} failed: ${child.stderr.trim().split('\n').pop()})`);
  }
}

// ---- ours: warm calls, interleaved between the backends ------------------------------
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null;
const warmReps = QUICK ? 2 : 9;
const warm = new Map(backends.map(([, b]) => [b, []]));
const forced = new Map(backends.map(([, b]) => [b, []]));
const recovered = new Map();
for (const [, backend] of backends) {
  wasm.useBackend(backend);
  recovered.set(backend, recovery(call().codes.data)); // warm-up, and the check
}
for (const [series, collect] of [[warm, false], [forced, true]]) {
  if (collect && gc === null) break;
  for (let r = 0; r < warmReps; r++) {
    for (const [, backend] of backends) {
      wasm.useBackend(backend);
      if (collect) gc();
      const t0 = performance.now();
      call();
      series.get(backend).push(performance.now() - t0);
    }
  }
}
wasm.useBackend('wasm');

// ---- the table -----------------------------------------------------------------------
const med = (xs) => (xs.length ? median(xs) : null);
const rows = backends.map(([name, b]) => ({ name: `* ${name}`, cold: med(cold.get(b)), warm: med(warm.get(b)), forced: med(forced.get(b)), recovery: recovered.get(b) }));
if (sk) {
  for (const [key, r] of Object.entries(sk)) {
    rows.push({
      name: `  scikit-learn orthogonal_mp${key === 'gram' ? '_gram' : ''}`,
      cold: r.times[0], warm: median(r.times.slice(1)), forced: null, recovery: recovery(Float64Array.from(r.nonzero)),
    });
  }
}
const fmt = (ms) => (ms === null ? '–' : `${ms.toFixed(0)} ms`);
console.log(`\n## OMP: ${nSamples} signals × ${nFeatures} features, ${nAtoms} atoms, ${nNonzero} non-zeros`);
const head = ['contender (* = ours)', 'cold', 'warm', 'warm, GC forced', 'recovery'];
const cells = rows.map((r) => [r.name, fmt(r.cold), fmt(r.warm), fmt(r.forced), r.recovery.toFixed(4)]);
const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
for (const c of [head, ...cells]) console.log(`  ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')}`);
console.log(`  cold: first call, median of ${coldRuns} fresh process(es) (scikit-learn: its first call); warm: median of ${warmReps} (scikit-learn: of ${skReps - 1})`);
for (const r of rows) if (r.recovery < 0.9) console.log(`  warning (${r.name.trim()}): support recovery ${r.recovery.toFixed(3)} is low`);

const list = targetList('latentspace encode (wasm)');
const ours = rows[0];
if (sk) {
  for (const [key, label] of [['gram', 'orthogonal_mp_gram'], ['plain', 'orthogonal_mp']]) {
    const peer = rows.find((r) => r.name.trim() === `scikit-learn ${label}`);
    for (const when of ['cold', 'warm']) {
      const ratio = ours[when] && peer?.[when] ? peer[when] / ours[when] : null;
      if (key === 'gram') list.target(`OMP vs ${label}, ${when}`, ratio, 4);
      else console.log(`  ${label}, ${when}: ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} its time / ours`);
    }
  }
} else {
  list.target('OMP vs orthogonal_mp_gram, cold', null, 4);
  list.target('OMP vs orthogonal_mp_gram, warm', null, 4);
}
list.write('omp', 'OMP: 10k × 64 × 256, k = 5', { rows });
