// latentspace/linalg against its peers: matrix products, the symmetric eigensolver and
// squared-distance matrices. Imports the built package (dist/): run `npm run bench`, or
// `npm run build && node --expose-gc bench/linalg.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { closeTo, fillRandom, loadPeer, maxAbsDiff, runCase, targetList } from './harness.mjs';
import { covariance, loadFaces, loadMnist } from './data.mjs';
import * as linalg from '../dist/linalg.js';

const require = createRequire(import.meta.url);

// ---- our two backends ---------------------------------------------------------------
let wasm = null;
let wasmError = '';
try {
  wasm = await import('../dist/wasm.js');
  const r = wasm.initSync();
  if (r.backend !== 'wasm') throw new Error(`initSync() kept the TypeScript backend: ${r.reason}`);
} catch (e) {
  wasm = null;
  wasmError = e instanceof Error ? e.message.split('\n')[0] : String(e);
}
const onWasm = () => wasm.useBackend('wasm');
const onJs = () => wasm?.useBackend('js');
/** Ours on WebAssembly: skipped (with the reason) when the module did not load. */
function oursWasm(name, run, extra = {}) {
  return {
    name, ours: true, before: onWasm, ...extra,
    prepare: async () => {
      if (!wasm) throw new Error(`latentspace/wasm not available (${wasmError})`);
      onWasm();
      if (wasm.backend() !== 'wasm') throw new Error(`useBackend('wasm') left backend() = ${wasm.backend()}`);
      return run;
    },
  };
}
function oursJs(name, run, extra = {}) {
  return { name, ours: true, before: onJs, ...extra, prepare: async () => { onJs(); return run; } };
}

// ---- TensorFlow.js, loaded once per backend -----------------------------------------
let tfPromise;
async function tfjs(backendName) {
  tfPromise ??= (async () => {
    const tf = await loadPeer('@tensorflow/tfjs-core');
    tf.enableProdMode(); // no debug checks, no "install tfjs-node" banner
    return tf;
  })();
  const tf = await tfPromise;
  if (backendName === 'cpu') {
    await loadPeer('@tensorflow/tfjs-backend-cpu');
  } else {
    const tfw = await loadPeer('@tensorflow/tfjs-backend-wasm');
    // In Node the backend reads its .wasm files from disk: point it at the package's dist/.
    tfw.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
    tfw.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backendName))) throw new Error(`tf.setBackend('${backendName}') failed`);
  return tf;
}
function tfMatmul(name, backendName, A32, B32, n, check, note, reps) {
  let tf;
  return {
    name, note, check, reps,
    before: () => { if (tf.getBackend() !== backendName) tf.setBackend(backendName); },
    prepare: async () => {
      tf = await tfjs(backendName);
      const a = tf.tensor2d(A32, [n, n]);
      const b = tf.tensor2d(B32, [n, n]);
      return () => {
        const c = tf.matMul(a, b);
        const out = c.dataSync(); // waits for the result (and copies it out, as ours returns it)
        c.dispose();
        return out;
      };
    },
  };
}

// ---- 1. f64 matmul 512³ -------------------------------------------------------------
const N = 512;
const A = { rows: N, cols: N, data: fillRandom(new Float64Array(N * N), 1) };
const B = { rows: N, cols: N, data: fillRandom(new Float64Array(N * N), 2) };
function naiveIkj(a, b, n) {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) c[ci + j] += aik * b[bk + j];
    }
  }
  return c;
}
const C64 = naiveIkj(A.data, B.data, N);
const A32 = Float32Array.from(A.data);
const B32 = Float32Array.from(B.data);
const flops = 2 * N * N * N;

await runCase({
  id: 'matmul-f64-512',
  title: `matmul, float64, ${N} × ${N} × ${N}`,
  flops,
  reps: 21,
  warmup: 3,
  contenders: [
    oursWasm('latentspace wasm', () => linalg.matmul(A, B), { check: closeTo(C64, 1e-9) }),
    oursJs('latentspace ts', () => linalg.matmul(A, B), { check: closeTo(C64, 1e-9) }),
    {
      name: 'ml-matrix mmul', reps: 7, warmup: 1,
      check: (out) => closeTo(C64, 1e-9)(out.to1DArray()),
      prepare: async () => {
        const { Matrix } = await loadPeer('ml-matrix');
        const a = new Matrix(N, N);
        const b = new Matrix(N, N);
        for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) { a.set(i, j, A.data[i * N + j]); b.set(i, j, B.data[i * N + j]); }
        return () => a.mmul(b);
      },
    },
    { name: 'naive ikj loop', reps: 9, check: closeTo(C64, 0), prepare: async () => () => naiveIkj(A.data, B.data, N) },
    tfMatmul('tfjs-backend-cpu matMul', 'cpu', A32, B32, N, closeTo(C64, 1e-2), 'float32', 9),
  ],
  targets: [
    { label: 'WASM f64 matmul vs ml-matrix', ours: 'latentspace wasm', peer: 'ml-matrix mmul', min: 18 },
    { label: 'TS f64 matmul vs naive ikj', ours: 'latentspace ts', peer: 'naive ikj loop', min: 2.5 },
  ],
});

// ---- 2. f32 matmul 512³ -------------------------------------------------------------
const A32m = { rows: N, cols: N, data: A32 };
const B32m = { rows: N, cols: N, data: B32 };
const f32Check = (out) => (out.data instanceof Float32Array ? closeTo(C64, 1e-2)(out) : `result is ${out.data?.constructor?.name}, expected Float32Array`);
await runCase({
  id: 'matmul-f32-512',
  title: `matmul, float32, ${N} × ${N} × ${N}`,
  flops,
  reps: 31,
  warmup: 3,
  contenders: [
    oursWasm('latentspace wasm', () => linalg.matmul(A32m, B32m), { check: f32Check }),
    tfMatmul('tfjs-backend-wasm matMul', 'wasm', A32, B32, N, closeTo(C64, 1e-2), '1 thread'),
    oursJs('latentspace ts', () => linalg.matmul(A32m, B32m), { check: f32Check, reps: 10 }),
  ],
  targets: [
    { label: 'WASM f32 matmul vs tfjs-wasm', ours: 'latentspace wasm', peer: 'tfjs-backend-wasm matMul', min: 1.0 },
  ],
});

// ---- 3. eigh of the 784 × 784 MNIST pixel covariance ---------------------------------
const digits = loadMnist();
const S = covariance(digits, linalg.gram);
const D = S.rows;
/** Largest ‖S v − λ v‖∞ over all eigenpairs (eigenvectors are the columns of `vectors`). */
function eighCheck(out) {
  if (!out?.values || !out?.vectors) return 'eigh returned no { values, vectors }';
  const V = out.vectors;
  let worst = 0;
  for (let j = 0; j < D; j += 37) {
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let p = 0; p < D; p++) s += S.data[i * D + p] * V.data[p * V.cols + j];
      worst = Math.max(worst, Math.abs(s - out.values[j] * V.data[i * V.cols + j]));
    }
  }
  return worst <= 1e-9 ? undefined : `max |Sv − λv| = ${worst.toExponential(2)} over sampled eigenpairs`;
}
const hasEigh = typeof linalg.eigh === 'function';
const eighRun = () => {
  if (!hasEigh) throw new Error('latentspace/linalg does not export eigh (yet)');
  return linalg.eigh(S);
};
let mlValues;
await runCase({
  id: 'eigh-784',
  title: `eigh, ${D} × ${D} covariance of ${digits.rows} MNIST digits`,
  reps: 9,
  warmup: 2,
  contenders: [
    oursWasm('latentspace eigh (wasm)', eighRun, { check: eighCheck }),
    oursJs('latentspace eigh (ts)', eighRun, { check: eighCheck }),
    {
      name: 'ml-matrix EigenvalueDecomposition', reps: 3, warmup: 1,
      check: (out) => {
        mlValues = out.realEigenvalues;
        return undefined;
      },
      prepare: async () => {
        const { Matrix, EigenvalueDecomposition } = await loadPeer('ml-matrix');
        const m = new Matrix(D, D);
        for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) m.set(i, j, S.data[i * D + j]);
        return () => new EigenvalueDecomposition(m, { assumeSymmetric: true });
      },
    },
  ],
  targets: [
    { label: 'eigh vs ml-matrix', ours: 'latentspace eigh (wasm)', peer: 'ml-matrix EigenvalueDecomposition', min: 20 },
  ],
});
if (hasEigh && mlValues) {
  const ours = Array.from(linalg.eigh(S).values).sort((a, b) => a - b);
  const theirs = [...mlValues].sort((a, b) => a - b);
  console.log(`  eigenvalues, ours vs ml-matrix: max |Δλ| = ${maxAbsDiff(ours, theirs).toExponential(2)} (λmax = ${theirs[D - 1].toFixed(3)})`);
}

// ---- 4. sqDistances, 10000 × 784 against 10 × 784 ------------------------------------
const X = { rows: digits.rows, cols: digits.cols, data: digits.data };
const centres = new Float64Array(10 * digits.cols);
digits.firstOfClass.forEach((row, r) => centres.set(digits.data.subarray(row * 784, (row + 1) * 784), r * 784));
const Y = { rows: 10, cols: 784, data: centres };
function plainDistances(a, m, b, n, d) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a[i * d + k] - b[j * d + k];
        s += t * t;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}
const Dref = plainDistances(X.data, X.rows, Y.data, Y.rows, 784);
// The distance step as k-means runs it (issue 19): X resident in the kernels' memory
// (placed once, as a fit does), its norms known, one kernel call; no validation, no copy.
function residentStep() {
  const K = wasm.wasmKernels();
  const R = K.resident(X.data);
  const na = new Float64Array(X.rows), nb = new Float64Array(10);
  K.rowSqNorms(X.rows, 784, R.view(), 0, 784, na);
  K.rowSqNorms(10, 784, centres, 0, 784, nb);
  return () => {
    const D = new Float64Array(X.rows * 10);
    K.sqDistances(X.rows, 10, 784, R.view(), 0, 784, na, centres, 0, 784, nb, D, 0, 10);
    return D;
  };
}
await runCase({
  id: 'sqdistances-10000x10',
  title: `sqDistances, ${X.rows} × 784 against 10 × 784 (MNIST digits)`,
  reps: 21,
  warmup: 3,
  contenders: [
    oursWasm('latentspace wasm', () => linalg.sqDistances(X, Y), { check: closeTo(Dref, 1e-9) }),
    oursJs('latentspace ts', () => linalg.sqDistances(X, Y), { check: closeTo(Dref, 1e-9) }),
    {
      name: 'latentspace wasm kernel, X resident', ours: true, before: onWasm, check: closeTo(Dref, 1e-9),
      prepare: async () => {
        if (!wasm) throw new Error(`latentspace/wasm not available (${wasmError})`);
        return residentStep();
      },
    },
    { name: 'plain JS double loop', reps: 11, check: closeTo(Dref, 0), prepare: async () => () => plainDistances(X.data, X.rows, Y.data, Y.rows, 784) },
  ],
  targets: [
    { label: 'sqDistances (WASM) vs plain loop', ours: 'latentspace wasm', peer: 'plain JS double loop', min: 10 },
    { label: 'distance kernel on resident X (the k-means step) vs plain loop', ours: 'latentspace wasm kernel, X resident', peer: 'plain JS double loop', min: 10 },
  ],
});

// ---- 5. full SVD of the 400 × 4096 Olivetti faces (issue 19) ---------------------------
// numpy (LAPACK dgesdd, OpenBLAS held to one thread) runs in a child process right after
// ours; its time is measured inside Python (median of 5 after a warm-up).
const faces = loadFaces();
const F = { rows: faces.rows, cols: faces.cols, data: faces.data };
/** Largest |A − U·diag(s)·Vᵀ| over a sample of entries, relative to s₀. */
function svdCheck(out) {
  let worst = 0;
  for (let i = 0; i < F.rows; i += 13) {
    for (let j = 0; j < F.cols; j += 101) {
      let x = 0;
      for (let c = 0; c < out.s.length; c++) x += out.U.data[i * out.U.cols + c] * out.s[c] * out.V.data[j * out.V.cols + c];
      worst = Math.max(worst, Math.abs(x - F.data[i * F.cols + j]));
    }
  }
  return worst <= 1e-11 * out.s[0] ? undefined : `max |A − USVᵀ| = ${worst.toExponential(2)} on sampled entries`;
}
const svdResult = await runCase({
  id: 'svd-faces-400x4096',
  title: `svd, ${F.rows} × ${F.cols} Olivetti faces (pixels / 255), all ${F.rows} triplets`,
  reps: 9,
  warmup: 2,
  contenders: [
    oursWasm('latentspace svd (wasm)', () => linalg.svd(F), { check: svdCheck }),
    oursJs('latentspace svd (ts)', () => linalg.svd(F), { check: svdCheck, reps: 3, warmup: 1 }),
  ],
});
const numpySvd = spawnSync('/usr/bin/python3', ['-c', `
import sys, time, json, numpy as np
F = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(400, 4096) / 255.0
np.linalg.svd(F, full_matrices=False)
ts = []
for _ in range(5):
    t = time.perf_counter(); np.linalg.svd(F, full_matrices=False); ts.append(time.perf_counter() - t)
print(json.dumps(sorted(ts)[2] * 1000))
`], { input: faces.pixels, encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
const svdTargets = targetList('latentspace svd (wasm)');
const oursSvd = svdResult?.results?.find?.((r) => r.name === 'latentspace svd (wasm)')?.median;
if (numpySvd.status === 0 && oursSvd) {
  const np = Number(numpySvd.stdout.trim());
  console.log(`  numpy.linalg.svd (LAPACK dgesdd, 1 thread): ${np.toFixed(0)} ms (median of 5); ours ÷ numpy = ${(oursSvd / np).toFixed(2)}×`);
  svdTargets.target('svd 400 × 4096 (WASM) within 1.5× numpy\'s time', np / oursSvd, 0.667);
} else {
  console.log(`  numpy: not measured (${numpySvd.status === 0 ? 'no median of ours' : String(numpySvd.stderr).split('\n')[0]})`);
}
svdTargets.write('svd-faces-400x4096-numpy', 'svd of the faces against numpy');

onJs();
