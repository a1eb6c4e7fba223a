// latentspace/omp against scikit-learn's orthogonal_mp_gram and orthogonal_mp (Debian's
// python3-sklearn at /usr/bin/python3, one thread, in a child process; skipped with a
// message where it is missing). There is no JavaScript peer.
// Problem of the issue: 10,000 signals of 64 features, each 5 atoms of a random unit-norm
// dictionary of 256 atoms plus noise of standard deviation 0.01; 5 non-zeros. Reported:
// median times (ours including G = DDᵀ and DXᵀ) and support recovery (the share of planted
// atoms found). `npm run bench`, or `npm run build && node --expose-gc bench/omp.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Random } from '../dist/core.js';
import { median, runCase } from './harness.mjs';

if (!existsSync(new URL('../dist/omp.js', import.meta.url))) {
  console.log('\n## OMP: skipped (dist/omp.js is missing: latentspace/omp is not built)');
  process.exit(0);
}
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

/** Share of planted atoms among the non-zeros of each code row (codes: nSamples × nAtoms). */
function recovery(codes) {
  let found = 0;
  for (let i = 0; i < nSamples; i++) {
    for (let s = 0; s < nNonzero; s++) if (codes[i * nAtoms + planted[i * nNonzero + s]] !== 0) found++;
  }
  return found / (nSamples * nNonzero);
}

// ---- scikit-learn --------------------------------------------------------------------
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
    for _ in range(3):
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

// ---- ours ----------------------------------------------------------------------------
let last;
const ours = (name, backend) => ({
  name, ours: true,
  before: () => wasm.useBackend(backend),
  prepare: async () => () => (last = omp.encode(D, X, { nNonzero })),
  check: () => {
    const r = recovery(last.codes.data);
    return r < 0.9 ? `support recovery ${r.toFixed(3)} is low` : undefined;
  },
});
const record = await runCase({
  id: 'omp', title: `OMP: ${nSamples} signals × ${nFeatures} features, ${nAtoms} atoms, ${nNonzero} non-zeros`,
  reps: 7,
  contenders: [ours('latentspace encode (wasm)', 'wasm'), ours('latentspace encode (ts)', 'js')],
});
wasm.useBackend('wasm');
const ourRecovery = recovery(omp.encode(D, X, { nNonzero }).codes.data);
const oursMs = record.results.find((r) => r.name === 'latentspace encode (wasm)')?.median;
console.log(`  support recovery, ours: ${ourRecovery.toFixed(4)}`);
if (sk) {
  for (const [name, r] of Object.entries(sk)) {
    const ms = median(r.times);
    const codes = Float64Array.from(r.nonzero);
    console.log(`  scikit-learn orthogonal_mp${name === 'gram' ? '_gram' : ''}: median ${ms.toFixed(0)} ms, recovery ${recovery(codes).toFixed(4)}; ratio to ours (wasm) ${(ms / oursMs).toFixed(2)}× (want ≥ 4×) ${ms / oursMs >= 4 ? 'MET' : 'NOT MET'}`);
  }
}
