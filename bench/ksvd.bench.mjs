// latentspace/ksvd against scikit-learn's DictionaryLearning (lars; Debian's python3-sklearn
// at /usr/bin/python3, one thread, in a child process, run once since it takes ~30 s;
// skipped with a message where it is missing). There is no JavaScript peer.
// Problem of the issue (Aharon, Elad & Bruckstein 2006): a random 20 × 50 unit-norm
// dictionary, 1500 signals of 3 atoms with N(0, 1) coefficients, white noise at a given
// SNR, 80 iterations (scikit-learn: alpha = 0.1, its own stopping rule; alpha = 1 recovers
// about a third of the atoms, 0.3 all of them in a third of the time); an atom is recovered when 1 − |dᵢᵀd̂ⱼ| < 0.01 for some learned d̂ⱼ.
// Reported: our recovery (mean and range over 5 seeds) at ∞, 30, 20 and 10 dB for both
// methods, our time per fit, and scikit-learn's time and recovery on seed 0, noiseless.
// `npm run build && node --expose-gc bench/ksvd.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Random } from '../dist/core.js';
import { median } from './harness.mjs';
import { recovered, syntheticDictionary } from '../test/ksvd/synthetic-data.mjs';

if (!existsSync(new URL('../dist/ksvd.js', import.meta.url))) {
  console.log('\n## K-SVD: skipped (dist/ksvd.js is missing: latentspace/ksvd is not built)');
  process.exit(0);
}
const ksvd = await import('../dist/ksvd.js');
const wasm = await import('../dist/wasm.js');
wasm.initSync();
wasm.useBackend('wasm');

const nAtoms = 50, nFeatures = 20, nSamples = 1500, k = 3, maxIter = 80;
const seeds = [0, 1, 2, 3, 4];
const snrs = [Infinity, 30, 20, 10];

const synthetic = (seed, snrDb) => syntheticDictionary(Random, seed, nAtoms, nFeatures, nSamples, k, snrDb);

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
console.log(`\n## K-SVD: ${nSamples} signals × ${nFeatures} features, ${nAtoms} atoms, ${k} non-zeros, ${maxIter} iterations`);

// ---- ours: time (seed 0, noiseless; the first call, then the median of 5) -----------------
const times = {};
const base = synthetic(0, Infinity);
for (const method of ['approximate', 'exact']) {
  const opts = { nAtoms, nNonzero: k, maxIter, method, seed: 0, tol: 0 };
  globalThis.gc?.();
  const first = performance.now();
  ksvd.fit(base.X, opts);
  const firstMs = performance.now() - first;
  const t = [];
  for (let r = 0; r < 5; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    ksvd.fit(base.X, opts);
    t.push(performance.now() - t0);
  }
  times[method] = median(t);
  console.log(`  latentspace fit (${method}, wasm): median ${fmtMs(times[method])}, first call ${fmtMs(firstMs)}`);
}

// ---- ours: recovery over 5 seeds at every noise level ----------------------------------
const recovery = {};
for (const method of ['approximate', 'exact']) {
  for (const snr of snrs) {
    const rs = seeds.map((seed) => {
      const { D, X } = synthetic(seed, snr);
      return recovered(D, ksvd.fit(X, { nAtoms, nNonzero: k, maxIter, method, seed, tol: 0 }).dictionary);
    });
    const mean = rs.reduce((a, b) => a + b, 0) / rs.length;
    recovery[`${method} ${snr}`] = { mean, rs };
    console.log(`  recovery, ${method}, ${Number.isFinite(snr) ? `${snr} dB` : 'noiseless'}: mean ${(100 * mean).toFixed(1)}% (seeds: ${rs.map((r) => (100 * r).toFixed(0)).join(', ')})`);
  }
}

// ---- scikit-learn, once: seed 0, noiseless ---------------------------------------------
const tmp = fileURLToPath(new URL('../.bench-tmp/', import.meta.url));
mkdirSync(tmp, { recursive: true });
writeFileSync(`${tmp}ksvd-X.f64`, base.X.data);
const script = `
import json, sys, time, os
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from sklearn.decomposition import DictionaryLearning
X = np.fromfile(sys.argv[1] + "ksvd-X.f64").reshape(${nSamples}, ${nFeatures})
t = time.perf_counter()
dl = DictionaryLearning(n_components=${nAtoms}, alpha=0.1, fit_algorithm="lars", transform_algorithm="omp",
                        transform_n_nonzero_coefs=${k}, random_state=0).fit(X)
ms = (time.perf_counter() - t) * 1000
C = dl.components_
C = C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-300)
print(json.dumps({"ms": ms, "nIter": int(dl.n_iter_), "D": C.ravel().tolist()}))
`;
const py = spawnSync('/usr/bin/python3', ['-c', script, tmp], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 28, timeout: 180_000 });
const sk = py.status === 0 ? JSON.parse(py.stdout) : null;
if (sk === null) {
  console.log(`\n(scikit-learn skipped: ${(py.stderr || py.error?.message || 'no /usr/bin/python3').trim().split('\n').pop()})`);
} else {
  const skRec = recovered(base.D, { rows: nAtoms, cols: nFeatures, data: Float64Array.from(sk.D) });
  const ours = recovery['approximate Infinity'].rs[0];
  const ratio = times.approximate / sk.ms;
  console.log(`  scikit-learn DictionaryLearning (lars, alpha 0.1), seed 0, noiseless: ${fmtMs(sk.ms)}, ${sk.nIter} iterations, recovery ${(100 * skRec).toFixed(0)}%`);
  console.log(`  ours (approximate) on the same data: ${fmtMs(times.approximate)}, recovery ${(100 * ours).toFixed(0)}%; time ratio ${ratio.toFixed(4)}× (want ≤ 0.1×) ${ratio <= 0.1 ? 'MET' : 'NOT MET'}; recovery ${ours >= skRec ? 'MET' : 'NOT MET'} (want ≥ scikit-learn's)`);
}
