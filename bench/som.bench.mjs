// latentspace/som against its peers on the `mnist` package's 10,000 digits (784 pixels): a
// 20 × 20 rectangular map, ten passes over the data. Peers in the same run: ml-som (a
// devDependency, in this process, once: about a minute) and R's kohonen, online and batch,
// through one `Rscript` child process (skipped with a message where R or kohonen is
// missing). Every contender's quantization error (mean Euclidean distance of the digits to
// their best unit) is computed here, the same way, from its final codebook.
//
//   npm run build && node --expose-gc bench/som.bench.mjs
//   BENCH_QUICK=1      fewer repetitions; the slow peers (ml-som, kohonen) and our online
//                      method are skipped (BENCH_SOM_ONLINE=1 times it anyway)
//
// Targets (issue 8, raised by issue 19): batch ≥ 20× faster than kohonen online with a
// quantization error ≤ kohonen online's, and ≥ 30× faster than ml-som; our online method
// (mode 'online') no slower than kohonen's online. Before the timed rounds, one batch fit
// right after import is timed alone: the cold call a user's first fit pays.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPeer, median, runCase, targetList } from './harness.mjs';
import { loadMnist } from './data.mjs';
import { Random } from '../dist/core.js';
import * as som from '../dist/som.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLINE = process.env.BENCH_SOM_ONLINE === '1' || (!QUICK && process.env.BENCH_SOM_ONLINE !== '0');
const W = 20, H = 20, EPOCHS = 10;
const { firstOfClass, ...X } = loadMnist();
const rowsOf = (M) => Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));

const wasm = await import('../dist/wasm.js').then((m) => (m.initSync().backend === 'wasm' ? m : null), () => null);
const onWasm = () => wasm?.useBackend('wasm');
const onJs = () => wasm?.useBackend('js');

/**
 * A peer's codebook (400 × 784, row-major, unit index = row · 20 + column; ml-som's is
 * column-major, the transpose, which leaves the neighbours of a square grid unchanged) as
 * a model, so that its errors are measured by the same exact search as ours.
 */
function peerModel(codes) {
  return som.load({
    kind: 'som', width: W, height: H, topology: 'rectangular', toroidal: false,
    weights: { rows: W * H, cols: X.cols, data: Float64Array.from(codes) },
    quantizationErrors: new Float64Array(0), method: 'batch', nEpochs: 0, completed: true,
  });
}

/** Quantization and topographic errors of a final map (on the WebAssembly backend). */
function errorsOf(model) {
  onWasm();
  return { qe: som.quantizationError(model, X), te: som.topographicError(model, X) };
}

// ---- R's kohonen, in one child process ---------------------------------------------------
const R = `
suppressMessages(library(kohonen))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
X <- matrix(readBin(file.path(dir, "x.f64"), "double", n = 10000 * 784, endian = "little"), ncol = 784, byrow = TRUE)
g <- somgrid(${W}, ${H}, "rectangular")
res <- c()
for (mode in c("online", "batch")) {
  set.seed(0)
  t <- system.time(s <- som(X, grid = g, rlen = ${EPOCHS}, mode = mode, keep.data = FALSE))[["elapsed"]]
  writeBin(as.vector(t(s$codes[[1]])), file.path(dir, paste0(mode, ".f64")), endian = "little")
  res <- c(res, sprintf('"%s": %.6f', mode, t * 1000))
}
cat("{", paste(res, collapse = ", "), ', "version": "', as.character(packageVersion("kohonen")), '"}\\n', sep = "")
`;
function kohonen() {
  const dir = mkdtempSync(join(tmpdir(), 'latentspace-som-bench-'));
  try {
    writeFileSync(join(dir, 'x.f64'), new Uint8Array(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    writeFileSync(join(dir, 'bench.R'), R);
    const r = spawnSync('Rscript', [join(dir, 'bench.R'), dir], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').at(-1));
    const times = JSON.parse(r.stdout.trim().split('\n').at(-1));
    const codes = (mode) => {
      const b = readFileSync(join(dir, `${mode}.f64`));
      return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    };
    return { version: times.version, online: { ms: times.online, ...errorsOf(peerModel(codes('online'))) }, batch: { ms: times.batch, ...errorsOf(peerModel(codes('batch'))) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
let koh = null;
if (QUICK) {
  console.log('\nkohonen: skipped (BENCH_QUICK=1)');
} else {
  try {
    console.log(`\nR kohonen (child process; online, then batch; ${EPOCHS} epochs each, once) …`);
    koh = kohonen();
  } catch (e) {
    console.log(`  skipped kohonen: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
}

// ---- the cold call: the first batch fit after import ---------------------------------------
let coldMs = null;
if (wasm) {
  onWasm();
  const t0 = performance.now();
  som.fit(X, { width: W, height: H, epochs: EPOCHS, seed: 0 });
  coldMs = performance.now() - t0;
  console.log(`\nlatentspace batch, first call after import (cold): ${(coldMs / 1000).toFixed(2)} s`);
}

// ---- the timed case ------------------------------------------------------------------------
const outcome = new Map();
function ours(name, backend, options, extra = {}) {
  const before = backend === 'wasm' ? onWasm : onJs;
  return {
    name, ours: true, before, ...extra,
    prepare: async () => {
      if (backend === 'wasm' && !wasm) throw new Error('latentspace/wasm did not load or WebAssembly SIMD is missing');
      before();
      return () => {
        const model = som.fit(X, { width: W, height: H, epochs: EPOCHS, seed: 0, ...options });
        outcome.set(name, model);
        return model;
      };
    },
  };
}
const contenders = [
  ours('latentspace batch', 'wasm', {}),
  ours('latentspace batch, hexagonal', 'wasm', { topology: 'hexagonal' }),
  ours('latentspace batch (ts)', 'js', {}, { reps: 1, warmup: 0 }),
];
if (ONLINE) contenders.push(ours('latentspace online', 'wasm', { method: 'online' }, { reps: 1, warmup: 0 }));
if (!QUICK) {
  contenders.push({
    name: 'ml-som', reps: 1, warmup: 0, note: 'online, random init',
    prepare: async () => {
      const mod = await loadPeer('ml-som');
      const SOM = mod.default ?? mod;
      const rows = rowsOf(X);
      return () => {
        const rng = new Random(0);
        const map = new SOM(W, H, { fields: X.cols, iterations: EPOCHS, gridType: 'rect', torus: false, randomizer: () => rng.uniform() });
        map.train(rows);
        const codes = map.getConvertedNodes().flat().flat();
        outcome.set('ml-som', peerModel(codes));
        return map;
      };
    },
  });
}
const result = await runCase({
  id: 'som-mnist',
  title: `SOM, MNIST ${X.rows} × ${X.cols}, ${W} × ${H} units, ${EPOCHS} epochs`,
  reps: 7,
  warmup: 1,
  contenders,
});

// ---- table with kohonen, errors and targets ------------------------------------------------
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const medianOf = (name) => result.results.find((r) => r.name === name)?.median ?? null;
const rows = [];
for (const r of result.results) {
  if (r.median === null) continue;
  const m = outcome.get(r.name);
  const e = m ? errorsOf(m) : null;
  rows.push([r.name, fmt(r.median), e ? e.qe.toFixed(3) : '–', e ? e.te.toFixed(3) : '–']);
}
if (koh) {
  rows.push([`kohonen ${koh.version} online`, fmt(koh.online.ms), koh.online.qe.toFixed(3), koh.online.te.toFixed(3)]);
  rows.push([`kohonen ${koh.version} batch`, fmt(koh.batch.ms), koh.batch.qe.toFixed(3), koh.batch.te.toFixed(3)]);
}
console.log('\n### time (median) and quantization error of each final map');
const head = ['contender', 'fit', 'QE', 'TE'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
console.log(line(head));
for (const r of rows) console.log(line(r));

const { target, push, write: writeTargets } = targetList('latentspace batch');
console.log('\n### targets');
const oursMs = medianOf('latentspace batch');
const oursModel = outcome.get('latentspace batch');
const oursQe = oursModel ? errorsOf(oursModel).qe : null;
target('batch vs kohonen online (time)', koh && oursMs ? koh.online.ms / oursMs : null, 20);
if (koh && oursQe !== null) {
  const ok = oursQe <= koh.online.qe;
  push({ label: 'batch QE ≤ kohonen online QE', ratio: koh.online.qe / oursQe, min: 1, met: ok });
  console.log(`  target: batch QE ≤ kohonen online QE: ${oursQe.toFixed(3)} vs ${koh.online.qe.toFixed(3)} ${ok ? 'MET' : 'NOT MET'}`);
}
const ml = medianOf('ml-som');
target('batch vs ml-som (time)', ml && oursMs ? ml / oursMs : null, 30);
const onlineMs = medianOf('latentspace online');
target('online vs kohonen online (time)', koh && onlineMs ? koh.online.ms / onlineMs : null, 1);

writeTargets('som-targets', 'SOM targets of issues 8 and 19', { kohonen: koh, table: rows, coldMs });
onJs();
void median;
