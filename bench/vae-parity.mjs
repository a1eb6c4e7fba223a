// Training parity of latentspace/vae with PyTorch's examples/vae (issue 15): the same model
// (784-400-20-400-784, ReLU, Bernoulli decoder with logits, Adam 1e-3, batch 128, the
// binary cross-entropy and the KL summed per minibatch) trained for 10 epochs on the same
// 8,000 of the `mnist` package's 10,000 digits, tested on the other 2,000. The split is a
// seeded shuffle (the package orders digits by class). Each side has its own initial
// weights, shuffles and ε (seeded); the target is a test loss per digit within 2% of
// PyTorch's. PyTorch runs one thread in a child process (bench/vae-torch.py, Debian's
// /usr/bin/python3 with python3-torch); it is skipped with a message where it is missing.
//
//   npm run build && node bench/vae-parity.mjs            (about a minute on 2 cores)
//   VAE_SEEDS=3 node bench/vae-parity.mjs                 (several seeds each: the spread)
//   VAE_EPOCHS=2 node bench/vae-parity.mjs                (a quicker look)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadMnist } from './data.mjs';
import { Random } from '../dist/core.js';
import * as vae from '../dist/vae.js';

const EPOCHS = Number(process.env.VAE_EPOCHS ?? 10);
const SEEDS = Number(process.env.VAE_SEEDS ?? 1);
const TEST_DRAWS = 10;
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./vae-torch.py', import.meta.url));

/** The 8,000 / 2,000 split of the 10,000 digits by a shuffle seeded with 0, as float32. */
export function mnistSplit() {
  const { rows, cols, data } = loadMnist();
  const order = new Random(0).shuffle(Int32Array.from({ length: rows }, (_, i) => i));
  const take = (from, n) => {
    const out = new Float32Array(n * cols);
    for (let r = 0; r < n; r++) out.set(data.subarray(order[from + r] * cols, (order[from + r] + 1) * cols), r * cols);
    return { rows: n, cols, data: out };
  };
  return { train: take(0, 8000), test: take(8000, 2000) };
}

/** PyTorch in a child process: { epochs: [{ seconds, train, test }], testFinal } or throws. */
export function torchRun({ train, test }, job) {
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-vae-'));
  try {
    writeFileSync(join(dir, 'train.f32'), new Uint8Array(train.data.buffer, train.data.byteOffset, train.data.byteLength));
    if (test) writeFileSync(join(dir, 'test.f32'), new Uint8Array(test.data.buffer, test.data.byteOffset, test.data.byteLength));
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
    const r = spawnSync(PYTHON, [SCRIPT, dir, join(dir, 'job.json')], {
      encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error((r.stderr || `exit ${r.status}`).trim().split('\n').at(-1));
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ours, with the test set as `validation` (its ELBO after every epoch, one ε per digit). */
function oursRun({ train, test }, seed) {
  const seconds = [];
  let t0 = performance.now();
  const model = vae.fit(train, {
    latent: 20, hidden: [400], epochs: EPOCHS, batchSize: 128, learningRate: 1e-3, seed, validation: test,
    onProgress: (s) => {
      if (!s.epochEnd) return;
      seconds.push((performance.now() - t0) / 1000);
      t0 = performance.now();
    },
  });
  const epochs = Array.from(model.history.loss, (train, e) => ({ seconds: seconds[e], train, test: -model.history.validationElbo[e] }));
  const { elbo } = vae.elbo(model, test, { samples: TEST_DRAWS, seed: 1 });
  return { epochs, testFinal: -elbo.reduce((a, b) => a + b, 0) / elbo.length };
}

async function main() {
  const wasm = await import('../dist/wasm.js');
  const backend = wasm.initSync().backend;
  const split = mnistSplit();
  console.log(`VAE parity: 784-400-20, Adam 1e-3, batch 128, ${EPOCHS} epochs, 8,000 train / 2,000 test MNIST digits; ` +
    `backend ${backend}; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const runs = [];
  for (let s = 0; s < SEEDS; s++) {
    const ours = oursRun(split, s);
    let torch = null;
    try {
      torch = torchRun(split, { seed: s, epochs: EPOCHS, batchSize: 128, learningRate: 1e-3, testDraws: TEST_DRAWS, threads: 1, evaluate: true });
    } catch (e) {
      console.log(`  PyTorch skipped: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
    runs.push({ ours, torch });
    console.log(`\nseed ${s}: loss per digit (train: mean over the epoch's batches; test: one ε per digit)`);
    console.log('  epoch   ours train   ours test   s/epoch   torch train   torch test   s/epoch');
    ours.epochs.forEach((o, e) => {
      const t = torch?.epochs[e];
      const f = (v, w = 11) => (v === undefined ? '–' : v.toFixed(2)).padStart(w);
      console.log(`  ${String(e + 1).padStart(5)} ${f(o.train, 12)} ${f(o.test)} ${f(o.seconds, 9)} ${f(t?.train, 13)} ${f(t?.test, 12)} ${f(t?.seconds, 9)}`);
    });
    console.log(`  test loss per digit after ${EPOCHS} epochs (${TEST_DRAWS} draws of ε per digit): ours ${ours.testFinal.toFixed(2)}` +
      (torch ? `, PyTorch ${torch.testFinal.toFixed(2)} (torch ${torch.torch}, ${torch.threads} thread)` : ''));
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ours = mean(runs.map((r) => r.ours.testFinal));
  const withTorch = runs.filter((r) => r.torch);
  if (withTorch.length === 0) return;
  const torch = mean(withTorch.map((r) => r.torch.testFinal));
  const gap = (ours - torch) / torch;
  console.log(`\nmean over ${SEEDS} seed(s): ours ${ours.toFixed(2)}, PyTorch ${torch.toFixed(2)}: ${(100 * gap).toFixed(2)}% ` +
    `(${gap <= 0.02 ? 'within 2%: MET' : 'NOT MET'}); mean epoch ours ${mean(runs.flatMap((r) => r.ours.epochs.map((e) => e.seconds))).toFixed(2)} s, ` +
    `PyTorch ${mean(withTorch.flatMap((r) => r.torch.epochs.map((e) => e.seconds))).toFixed(2)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
