// latentspace/autodiff: one training step (forward, backward, Adam) of two MLPs on a batch
// of 128 MNIST digits, float32, against PyTorch on one thread and TensorFlow.js (wasm and
// cpu backends). Imports the built package (dist/): run `npm run bench`, or
// `npm run build && node --expose-gc bench/autodiff.bench.mjs`.
//
// Cases:
//   1. 784-400-20, relu, mse against a fixed 20-dim target (X·R, R a seeded random
//      projection): the shape of an autoencoder's encoder trained on a regression loss
//   2. 784-400-10, relu, softmaxCrossEntropy on the digits' labels
// Every contender starts from the same weights (ours, written out for PyTorch and TFJS) and
// trains on the same batch; the first step's loss is compared between them (a check that
// the same thing is timed). Ours runs on the WebAssembly SIMD kernels (`initSync()`), with a
// Workspace reused across steps, `checkFinite` on (the default) and, as a second row, off;
// a third row takes the step through train() (parameters resident in WebAssembly memory).
//
// How it is timed: rounds of interleaved blocks (ours, PyTorch, tfjs-wasm, …; each block a
// few consecutive steps, every step timed on its own), so that the other jobs that share
// this machine weigh on every contender alike; the figure is the median step. PyTorch
// 1.13 (Debian's python3-torch, /usr/bin/python3) runs in one long-lived child process with
// torch.set_num_threads(1) (and OMP/MKL/OpenBLAS held to one thread), its steps timed inside
// Python with time.perf_counter; skipped with a message where it is missing. TFJS 4.22 runs
// in this process, one thread (tfjs-backend-wasm's setThreadsCount(1)), the step being
// optimizer.minimize plus dataSync of the loss (gradients registered through
// ./tfjs-gradients.mjs: tfjs-core's Node bundle has none).
//
// Then a profile of our step (case 1): its phases timed apart (valueAndGrad with and without
// the NaN/Infinity scans, adam.step); the five GEMM calls of the step timed alone (the GEMM
// floor), and the largest once more without its transpose flag; and a sampling CPU profile
// (node:inspector, 100 µs) of 200 steps with every function's self time put in one of:
// WebAssembly GEMM, GEMM operand copies, elementwise/activation/loss loops, the scans, Adam,
// buffer fills, GC, other.
//
// BENCH_QUICK=1: fewer rounds.  `node --expose-gc bench/autodiff.bench.mjs profile` runs
// only the profile; `… cases` only the timings.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { Session } from 'node:inspector';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fillRandom, loadPeer, median, targetList } from './harness.mjs';
import { loadMnist } from './data.mjs';
import * as ad from '../dist/autodiff.js';
import * as wasm from '../dist/wasm.js';

const require = createRequire(import.meta.url);
const QUICK = process.env.BENCH_QUICK === '1';
const PYTHON = '/usr/bin/python3';
const ONE_THREAD = { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
const BATCH = 128;
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const init = wasm.initSync();
if (init.backend !== 'wasm') console.log(`warning: initSync() kept the TypeScript kernels (${init.reason}); ours is timed on them`);

// ---- data: 128 digits, every 78th of the 10,000 (all classes), float32 -----------------
const digits = loadMnist();
const X = { rows: BATCH, cols: 784, data: new Float32Array(BATCH * 784) };
const labels = new Int32Array(BATCH);
for (let r = 0; r < BATCH; r++) {
  const row = r * 78;
  X.data.set(digits.data.subarray(row * 784, (row + 1) * 784), r * 784);
  labels[r] = digits.firstOfClass.findLastIndex((start) => start <= row);
}
const R = { rows: 784, cols: 20, data: fillRandom(new Float32Array(784 * 20), 7).map((v) => v / 10) };
const Y20 = ad.matmul(X, R); // the regression target (plain data: no tape outside valueAndGrad)

const CASES = [
  {
    id: 'autodiff-step-784-400-20', title: 'one training step (forward + backward + Adam), MLP 784-400-20, relu, mse, batch 128, float32',
    sizes: [784, 400, 20], loss: 'mse', target: { rows: BATCH, cols: 20, data: Float32Array.from(Y20.data) },
  },
  {
    id: 'autodiff-step-784-400-10', title: 'one training step (forward + backward + Adam), MLP 784-400-10, relu, softmaxCrossEntropy, batch 128, float32',
    sizes: [784, 400, 10], loss: 'softmaxCrossEntropy', target: labels,
  },
];

// ---- contenders: each is { name, ours, note, prepare() → { step() → loss }, block, rounds } ----
function oursContender(c, checkFinite) {
  return {
    name: checkFinite ? 'latentspace (wasm)' : 'latentspace (wasm), checkFinite off', ours: true, note: 'float32',
    prepare: async () => {
      const params = ad.cloneParams(c.params);
      const opt = ad.adam({ learningRate: 1e-3 });
      const state = opt.init(params);
      const workspace = new ad.Workspace();
      const lossFn = c.loss === 'mse'
        ? (p) => ad.mse(ad.mlp.apply(p, X), c.target)
        : (p) => ad.softmaxCrossEntropy(ad.mlp.apply(p, X), c.target);
      return {
        step() {
          const { value, grads } = ad.valueAndGrad(lossFn, params, { workspace, checkFinite });
          opt.step(params, grads, state);
          return value;
        },
      };
    },
  };
}

// The same step through train(): its minibatch gathered from the data (here the one batch,
// shuffled), its parameters, gradients, Adam's moments and the step's values resident in
// WebAssembly memory for the run (what the VAE does), where the row above copies the
// weights into WebAssembly memory at every GEMM call.
function trainContender(c) {
  return {
    name: 'latentspace train() (wasm)', ours: true, note: 'float32, resident weights',
    prepare: async () => {
      const lossFn = c.loss === 'mse'
        ? (p, b) => ad.mse(ad.mlp.apply(p, b.x), b.target)
        : (p, b) => ad.softmaxCrossEntropy(ad.mlp.apply(p, b.x), b.target);
      const steps = ad.trainSteps(lossFn, c.params, { x: X, target: c.target }, { epochs: 1e9, batchSize: BATCH, optimizer: ad.adam({ learningRate: 1e-3 }) });
      return { step: () => steps.next().value.loss };
    },
  };
}

let tfCore;
async function tfjs(backendName) {
  tfCore ??= (async () => {
    const tf = await loadPeer('@tensorflow/tfjs-core');
    tf.enableProdMode();
    // Training needs the gradients, which tfjs-core's Node bundle does not register.
    register('./tfjs-gradients.mjs', import.meta.url);
    await loadPeer(require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js'));
    return tf;
  })();
  const tf = await tfCore;
  if (backendName === 'cpu') await loadPeer('@tensorflow/tfjs-backend-cpu');
  else {
    const tfw = await loadPeer('@tensorflow/tfjs-backend-wasm');
    tfw.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
    tfw.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backendName))) throw new Error(`tf.setBackend('${backendName}') failed`);
  return tf;
}

function tfContender(c, backendName, extra) {
  let tf;
  return {
    name: `tfjs-backend-${backendName}`, note: backendName === 'wasm' ? 'float32, 1 thread' : 'float32', ...extra,
    prepare: async () => {
      tf = await tfjs(backendName);
      const x = tf.tensor2d(X.data, [BATCH, 784]);
      const y = c.loss === 'mse' ? tf.tensor2d(c.target.data, [BATCH, 20]) : tf.oneHot(tf.tensor1d(c.target, 'int32'), 10);
      const vars = c.params.flatMap((l) => [tf.variable(tf.tensor2d(l.weight.data, [l.weight.rows, l.weight.cols])), tf.variable(tf.tensor2d(l.bias.data, [1, l.bias.cols]))]);
      const [W1, b1, W2, b2] = vars;
      const opt = tf.train.adam(1e-3);
      const f = () => {
        const out = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2);
        return c.loss === 'mse' ? tf.losses.meanSquaredError(y, out) : tf.losses.softmaxCrossEntropy(y, out);
      };
      return {
        before: () => { if (tf.getBackend() !== backendName) tf.setBackend(backendName); },
        step() {
          const cost = opt.minimize(f, true, vars);
          const v = cost.dataSync()[0]; // waits for the step
          cost.dispose();
          return v;
        },
      };
    },
  };
}

// PyTorch in a long-lived child: reads the batch and the start weights from files, then
// answers one JSON line per request {model, steps} with the steps' own times.
const PY = String.raw`
import json, sys, time, numpy as np, torch
torch.set_num_threads(1)
d = sys.argv[1]
X = torch.from_numpy(np.fromfile(d + '/X.f32', dtype='<f4').reshape(128, 784))
models = {}
def load(name, sizes, loss):
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        with torch.no_grad():
            # ours is (inputs x outputs): the transpose of Linear.weight
            lin.weight.copy_(torch.from_numpy(np.fromfile(f'{d}/{name}-W{i}.f32', dtype='<f4').reshape(sizes[i], sizes[i + 1]).T.copy()))
            lin.bias.copy_(torch.from_numpy(np.fromfile(f'{d}/{name}-b{i}.f32', dtype='<f4')))
        layers += [lin, torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers[:-1])
    if loss == 'mse':
        y = torch.from_numpy(np.fromfile(f'{d}/{name}-target.f32', dtype='<f4').reshape(128, sizes[-1]))
        f = lambda: torch.nn.functional.mse_loss(net(X), y)
    else:
        y = torch.from_numpy(np.fromfile(f'{d}/{name}-target.i32', dtype='<i4').astype(np.int64))
        f = lambda: torch.nn.functional.cross_entropy(net(X), y)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    def step():
        opt.zero_grad()
        loss = f()
        loss.backward()
        opt.step()
        return loss.item()
    return step
print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    if 'load' in req:
        models[req['load']] = load(req['load'], req['sizes'], req['loss'])
        print(json.dumps({'ok': True}), flush=True)
        continue
    step = models[req['model']]
    times, losses = [], []
    for _ in range(req['steps']):
        t0 = time.perf_counter()
        losses.append(step())
        times.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({'times': times, 'loss': losses[0]}), flush=True)
`;

let pyChild = null;
async function pytorch() {
  if (pyChild) return pyChild;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', env: { ...process.env, ...ONE_THREAD } });
  if (probe.error || probe.status !== 0) throw new Error(`\`${PYTHON} -c 'import torch'\` failed (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); apt-get install python3-torch`);
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-autodiff-bench-'));
  writeFileSync(join(dir, 'X.f32'), X.data);
  const child = spawn(PYTHON, ['-c', PY, dir], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...ONE_THREAD } });
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code, signal) => { for (const w of waiting.splice(0)) w.reject(new Error(`python exited (${code ?? signal})`)); });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const ready = await next();
  const ask = (req) => { const reply = next(); child.stdin.write(`${JSON.stringify(req)}\n`); return reply; };
  pyChild = { dir, ready, ask, close: () => { child.stdin.end(); rmSync(dir, { recursive: true, force: true }); } };
  return pyChild;
}

function torchContender(c) {
  return {
    name: 'PyTorch', note: 'float32, 1 thread',
    prepare: async () => {
      const py = await pytorch();
      c.params.forEach((l, i) => {
        writeFileSync(join(py.dir, `${c.id}-W${i}.f32`), l.weight.data);
        writeFileSync(join(py.dir, `${c.id}-b${i}.f32`), l.bias.data);
      });
      writeFileSync(join(py.dir, `${c.id}-target.${c.loss === 'mse' ? 'f32' : 'i32'}`), c.loss === 'mse' ? c.target.data : c.target);
      await py.ask({ load: c.id, sizes: c.sizes, loss: c.loss });
      return { note: `torch ${py.ready.torch}, ${py.ready.threads} thread`, block: (steps) => py.ask({ model: c.id, steps }) };
    },
  };
}

/** A block of `steps` steps: per-step times (ms) and the first step's loss. */
async function runBlock(run, steps) {
  if (run.block) return run.block(steps);
  run.before?.();
  gc();
  const times = [];
  let loss;
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const v = run.step();
    times.push(performance.now() - t0);
    loss ??= v;
  }
  return { times, loss };
}

async function timeCase(c) {
  console.log(`\n## ${c.title}`);
  c.params = ad.mlp.init(c.sizes, { seed: 1 });
  const rounds = QUICK ? 2 : 12;
  const contenders = [
    oursContender(c, true),
    oursContender(c, false),
    trainContender(c),
    torchContender(c),
    tfContender(c, 'wasm', { block: 5 }),
    tfContender(c, 'cpu', { block: 2, rounds: QUICK ? 1 : 5 }),
  ];
  const live = [];
  for (const k of contenders) {
    try {
      const run = await k.prepare();
      // The first step from the shared start: every contender must agree on its loss.
      const first = await runBlock(run, 1);
      live.push({ ...k, run, note: run.note ?? k.note, firstLoss: first.loss, firstMs: first.times?.[0] ?? NaN, times: [] });
    } catch (e) {
      console.log(`  skipped ${k.name}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    }
  }
  // Warm-up (JIT, WebAssembly tier-up, memory growth), then interleaved rounds.
  for (const k of live) await runBlock(k.run, QUICK ? 2 : 10);
  for (let r = 0; r < rounds; r++) {
    for (const k of live) {
      if (r >= (k.rounds ?? rounds)) continue;
      k.times.push(...(await runBlock(k.run, k.block ?? 10)).times);
    }
  }
  const ref = live.find((k) => k.ours);
  const rows = live.map((k) => ({ name: k.name, ours: Boolean(k.ours), note: k.note, median: median(k.times), first: k.firstMs, min: Math.min(...k.times), steps: k.times.length, firstLoss: k.firstLoss }));
  const width = Math.max(...rows.map((r) => r.name.length + r.note.length + 5));
  console.log(`  ${'contender (* = ours)'.padEnd(width)}  ${'median'.padStart(9)}  ${'first'.padStart(9)}  ${'min'.padStart(9)}  ${'× ours'.padStart(7)}  steps  first loss`);
  for (const r of rows) {
    console.log(`  ${`${r.ours ? '* ' : '  '}${r.name} (${r.note})`.padEnd(width)}  ${`${r.median.toFixed(2)} ms`.padStart(9)}  ${`${r.first.toFixed(2)} ms`.padStart(9)}  ${`${r.min.toFixed(2)} ms`.padStart(9)}  ${`${(r.median / rows[0].median).toFixed(2)}×`.padStart(7)}  ${String(r.steps).padStart(5)}  ${r.firstLoss.toPrecision(7)}`);
  }
  const byName = (name) => rows.find((r) => r.name === name);
  const torchRow = byName('PyTorch'), tfRow = byName('tfjs-backend-wasm');
  // On a shared machine the medians carry the other jobs' load; the fastest step of each is
  // the closest to an idle machine.
  if (torchRow && tfRow) console.log(`  on the fastest steps (least disturbed): ours = ${(rows[0].min / torchRow.min).toFixed(2)}× PyTorch's time; tfjs-wasm = ${(tfRow.min / rows[0].min).toFixed(2)}× ours`);
  const spread = Math.max(...rows.map((r) => Math.abs(r.firstLoss - ref.firstLoss) / ref.firstLoss));
  console.log(`  first-step losses agree to ${spread.toExponential(1)} (relative)${spread > 1e-4 ? '  WARNING: contenders do not compute the same loss' : ''}`);
  return rows;
}

// ---- profile of our step (case 1) ----------------------------------------------------------
function post(session, method, params) {
  return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

// Self time of the sampled functions, by what they do. The step calls only one WebAssembly
// kernel (gemm), so every wasm frame is GEMM work; its JS wrapper copies the operands in and
// the result out (copyIn/copyOut).
const ELEMENTWISE = new Set(['affine', 'backward', 'unary', 'binary', 'reduce', 'softmaxCrossEntropy', 'concat', 'slice', 'gather', 'forward', 'derivative', 'da', 'db', 'f', 'df']);
const CATEGORIES = [
  ['WebAssembly GEMM (packing and micro-kernel)', (f) => /^wasm:/.test(f.url)],
  ['GEMM operand copies and wrapper (copyIn/copyOut)', (f) => /^(copyIn|copyOut|gemm|innerLd|span|alloc|commit|begin)$/.test(f.functionName)],
  ['NaN/Infinity scans (firstNonFinite)', (f) => f.functionName === 'firstNonFinite'],
  // adam's step() method, with adamUpdate inlined into it part of the time.
  ['Adam update', (f) => /adam/i.test(f.functionName) || (f.functionName === 'step' && /chunk/.test(f.url))],
  ['elementwise, activation, bias and loss loops', (f) => ELEMENTWISE.has(f.functionName) || (f.functionName === '' && /chunk/.test(f.url))],
  ['buffer fills and workspace (take, fill, set)', (f) => /^(take|fill|set|scratch64|output|gradOf|gradSlot)$/.test(f.functionName)],
  ['garbage collector', (f) => f.functionName === '(garbage collector)'],
];

async function profile(c) {
  console.log(`\n## profile of our step: ${c.title}`);
  c.params ??= ad.mlp.init(c.sizes, { seed: 1 });
  const run = await oursContender(c, true).prepare();
  for (let i = 0; i < 30; i++) run.step();
  const reps = QUICK ? 20 : 200;
  /** Median time of f over `reps` calls, the fs interleaved (one call of each per round). */
  const medians = (fs) => {
    for (let i = 0; i < 10; i++) fs.forEach((f) => f());
    const t = fs.map(() => []);
    for (let i = 0; i < reps; i++) fs.forEach((f, j) => { const t0 = performance.now(); f(); t[j].push(performance.now() - t0); });
    return t.map(median);
  };

  // 1. The step's phases: valueAndGrad (forward + backward) with and without the NaN/Infinity
  //    scans, and Adam's update, each on its own.
  const params = ad.cloneParams(c.params), workspace = new ad.Workspace(), opt = ad.adam({ learningRate: 1e-3 }), state = opt.init(params);
  const lossFn = (p) => ad.mse(ad.mlp.apply(p, X), c.target);
  let grads = ad.valueAndGrad(lossFn, params, { workspace }).grads;
  const [step, vg, vgNoCheck, adamMs] = medians([
    () => run.step(),
    () => { grads = ad.valueAndGrad(lossFn, params, { workspace }).grads; },
    () => { grads = ad.valueAndGrad(lossFn, params, { workspace, checkFinite: false }).grads; },
    () => opt.step(params, grads, state),
  ]);
  console.log(`  phases (medians of ${reps}, interleaved): whole step ${step.toFixed(2)} ms = valueAndGrad ${vg.toFixed(2)} ms (${vgNoCheck.toFixed(2)} ms with checkFinite off: the scans cost ${(vg - vgNoCheck).toFixed(2)} ms) + adam.step ${adamMs.toFixed(2)} ms (${(c.sizes[0] * c.sizes[1] + c.sizes[1] + c.sizes[1] * c.sizes[2] + c.sizes[2]).toLocaleString('en')} parameters)`);

  // 2. The GEMM floor: the step's five GEMM calls alone, on the same shapes (forward with the
  //    bias already in C, beta = 1; backward into fresh gradients, beta = 0), and the largest
  //    backward product once more with Xᵀ stored, without the transpose flag.
  const k = wasm.wasmKernels();
  const [n0, n1, n2] = c.sizes, m = BATCH;
  const buf = (len, seed) => fillRandom(new Float32Array(len), seed);
  const W1 = buf(n0 * n1, 1), W2 = buf(n1 * n2, 2), H = buf(m * n1, 3), Z = buf(m * n2, 4), G1 = buf(m * n1, 5), O1 = buf(m * n1, 6), O2 = buf(m * n2, 7), dW1 = new Float32Array(n0 * n1), dW2 = new Float32Array(n1 * n2), dH = new Float32Array(m * n1);
  const XT = new Float32Array(n0 * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n0; j++) XT[j * m + i] = X.data[i * n0 + j];
  const calls = [
    [`forward  X·W1   (${m} × ${n0} × ${n1})`, () => k.gemm(false, false, m, n1, n0, 1, X.data, 0, n0, W1, 0, n1, 1, O1, 0, n1)],
    [`forward  H·W2   (${m} × ${n1} × ${n2})`, () => k.gemm(false, false, m, n2, n1, 1, H, 0, n1, W2, 0, n2, 1, O2, 0, n2)],
    [`backward Hᵀ·dZ  (${n1} × ${m} × ${n2}), transA`, () => k.gemm(true, false, n1, n2, m, 1, H, 0, n1, Z, 0, n2, 0, dW2, 0, n2)],
    [`backward dZ·W2ᵀ (${m} × ${n2} × ${n1}), transB`, () => k.gemm(false, true, m, n1, n2, 1, Z, 0, n2, W2, 0, n2, 0, dH, 0, n1)],
    [`backward Xᵀ·dZ1 (${n0} × ${m} × ${n1}), transA`, () => k.gemm(true, false, n0, n1, m, 1, X.data, 0, n0, G1, 0, n1, 0, dW1, 0, n1)],
  ];
  const gemmMs = medians(calls.map(([, f]) => f));
  const [plain] = medians([() => k.gemm(false, false, n0, n1, m, 1, XT, 0, m, G1, 0, n1, 0, dW1, 0, n1)]);
  const floor = gemmMs.reduce((sum, v) => sum + v, 0);
  console.log(`  the step's GEMM calls alone (WebAssembly kernel, operand copies included; medians of ${reps}):`);
  calls.forEach(([label], i) => {
    const [mm, nn, kk] = label.match(/\((\d+) × (\d+) × (\d+)\)/).slice(1).map(Number);
    console.log(`    ${label.padEnd(40)} ${gemmMs[i].toFixed(3)} ms  ${(2 * mm * nn * kk / gemmMs[i] / 1e6).toFixed(1).padStart(5)} GFLOP/s`);
  });
  console.log(`    ${'the last with Xᵀ stored (no transA)'.padEnd(40)} ${plain.toFixed(3)} ms  ${(2 * n0 * m * n1 / plain / 1e6).toFixed(1).padStart(5)} GFLOP/s`);
  console.log(`    ${'GEMM floor (sum of the five)'.padEnd(40)} ${floor.toFixed(2)} ms = ${(100 * floor / step).toFixed(0)} % of the step; the rest ${(step - floor).toFixed(2)} ms`);

  // Sampling profile of 200 steps: self time per category.
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
  await post(session, 'Profiler.start');
  const steps = QUICK ? 30 : 200;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) run.step();
  const wall = performance.now() - t0;
  const { profile: prof } = await post(session, 'Profiler.stop');
  session.disconnect();
  const selfUs = new Map(prof.nodes.map((n) => [n.id, 0]));
  prof.samples.forEach((id, i) => selfUs.set(id, selfUs.get(id) + (prof.timeDeltas[i + 1] ?? 0)));
  const byCat = new Map(), byFn = new Map();
  let total = 0;
  for (const node of prof.nodes) {
    const us = selfUs.get(node.id);
    if (!us || node.callFrame.functionName === '(idle)') continue;
    total += us;
    const f = node.callFrame;
    const cat = CATEGORIES.find(([, test]) => test(f))?.[0] ?? 'other (option checks, tape and tree bookkeeping, (program))';
    byCat.set(cat, (byCat.get(cat) ?? 0) + us);
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  console.log(`  sampling profile (100 µs), ${steps} steps in ${wall.toFixed(0)} ms; self time per step by category:`);
  for (const [cat, us] of [...byCat].sort((a, b) => b[1] - a[1])) console.log(`    ${cat.padEnd(56)} ${(us / 1e3 / steps).toFixed(3)} ms  ${(100 * us / total).toFixed(1).padStart(5)} %`);
  console.log('  top functions by self time per step:');
  for (const [fn, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`    ${fn.padEnd(56)} ${(us / 1e3 / steps).toFixed(3)} ms  ${(100 * us / total).toFixed(1).padStart(5)} %`);
  return { step, valueAndGrad: vg, valueAndGradNoCheck: vgNoCheck, adam: adamMs, floor, gemmMs, gemmXtStored: plain, categories: Object.fromEntries([...byCat].map(([cat, us]) => [cat, us / 1e3 / steps])) };
}

// ---- run ----------------------------------------------------------------------------------
const list = targetList('latentspace (wasm)');
const results = {};
if (want('cases')) {
  for (const c of CASES) {
    const rows = await timeCase(c);
    results[c.id] = rows;
    const ours = rows.find((r) => r.name === 'latentspace (wasm)');
    const ratio = (peer) => { const p = rows.find((r) => r.name === peer); return p && ours ? p.median / ours.median : null; };
    const torch = ratio('PyTorch');
    // "one step ≤ 2.5× PyTorch's time" ⇔ PyTorch's time / ours ≥ 0.4.
    list.target(`${c.sizes.join('-')} step vs PyTorch (1 thread)`, torch, 0.4, torch === null ? '' : ` (ours = ${(1 / torch).toFixed(2)}× PyTorch's time; want ≤ 2.5×)`);
    list.target(`${c.sizes.join('-')} step vs tfjs-wasm`, ratio('tfjs-backend-wasm'), 5);
    list.target(`${c.sizes.join('-')} step vs tfjs-cpu`, ratio('tfjs-backend-cpu'), 5);
  }
  pyChild?.close();
}
if (want('profile')) results.profile = await profile(CASES[0]);
list.write('autodiff', 'autodiff: one training step vs PyTorch and TFJS', { quick: QUICK, results });
