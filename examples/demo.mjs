// The demo page: PCA of faces and digits (and k-means of the digits), drawn with
// latentspace/image.
//
//   npm run demo                          (builds, then runs this file; writes demo-out/index.html)
//   node examples/demo.mjs --docs-img     (also writes the pictures the guides show into docs/img/)
//   node examples/demo.mjs --quick --out /tmp/demo.html
//                                         (a page of the same layout from 200 digits of each
//                                         class and a smaller t-SNE map, in about a third of
//                                         the time: what test/browser/pages.test.ts looks at)
//
// Data: the 10,000 digits of the `mnist` package and the 400 Olivetti faces committed
// under examples/data/ (both always there: a plain clone's demo is complete). Each
// section is built by a module in ./sections/ that returns
// `{ html, files, summary }`: its HTML, its pictures as files (for docs/img), and a line for
// the console. This file loads the data, runs the sections, and writes one self-contained
// page (pictures inlined as data: URLs).
import { balancedDigits, loadFaces, loadMnist } from './data.mjs';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { pcaSection } from './sections/pca.mjs';

const DOCS_IMG = fileURLToPath(new URL('../docs/img/', import.meta.url));
const QUICK = process.argv.includes('--quick');
const outArg = process.argv.indexOf('--out');
const outFile = outArg > 0 ? resolve(process.argv[outArg + 1]) : fileURLToPath(new URL('../demo-out/index.html', import.meta.url));
if (QUICK && process.argv.includes('--docs-img')) {
  console.error('--quick pages are for looking at the layout: their pictures do not go into docs/img (drop --quick)');
  process.exit(1);
}
const timings = [];
function timed(label, f) {
  const t0 = performance.now();
  const out = f();
  timings.push([label, performance.now() - t0]);
  return out;
}

/**
 * A section's render function from ./sections/, or null (with a line saying why) when it
 * cannot load, e.g. because its module is not built.
 */
async function optionalSection(path, name, label) {
  try {
    return (await import(path))[name];
  } catch (e) {
    console.log(`${label} section skipped: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    return null;
  }
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

// 2. Data. The mnist package keeps each digit class as one flat array of 28·28 values in
//    [0, 1]; the faces file holds 400 pictures of 64·64 bytes, one after another.
const digits = timed(`load ${QUICK ? '2,000 (200 per class, --quick) of the ' : ''}10,000 MNIST digits (parse the package JSON)`, () => {
  const { firstOfClass, ...X } = loadMnist();
  if (!QUICK) return { X, firstOfClass };
  const { labels, ...some } = balancedDigits({ ...X, firstOfClass }, 200);
  return { X: some, firstOfClass: firstOfClass.map((_, c) => 200 * c) };
});
const faces = timed('load 400 Olivetti faces (examples/data, bytes / 255)', () => {
  const { rows, cols, data } = loadFaces();
  return { rows, cols, data };
});

// 3. Sections.
const ks = [1, 5, 10, 25, 50, 100];
const sections = [];
if (faces) {
  sections.push(pcaSection({
    id: 'faces', title: 'Eigenfaces', noun: 'face', X: faces, width: 64, height: 64, scale: 2,
    about: 'The 400 Olivetti faces (40 people, 10 pictures each, 64 × 64 grey levels; AT&amp;T Laboratories Cambridge).',
    held: 0, ks, gallery: [10, 20, 30, 40, 50, 60, 70], galleryK: 50, timed,
  }));
}
sections.push(pcaSection({
  id: 'digits', title: 'Eigendigits', noun: 'digit', X: digits.X, width: 28, height: 28, scale: 3,
  about: `${QUICK ? 'The first 200 of each class of the' : 'The'} 10,000 MNIST digits of the <code>mnist</code> package (28 × 28, values in [0, 1]).`,
  held: digits.firstOfClass[2], ks, gallery: digits.firstOfClass.map((r) => r + 1), galleryK: 16, timed,
}));

// k-means of the digits (./sections/kmeans.mjs), when latentspace/kmeans is built.
const kmeansSection = await optionalSection('./sections/kmeans.mjs', 'kmeansSection', 'k-means');
if (kmeansSection) sections.push(kmeansSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// The t-SNE map of 2,500 digits (./sections/tsne.mjs).
const tsneSection = await optionalSection('./sections/tsne.mjs', 'tsneSection', 't-SNE');
if (tsneSection) sections.push(tsneSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed, ...(QUICK ? { perClass: 50 } : {}) }));

// "Decoding the thought vector" (./sections/ksvd.mjs): sparse codes of PCA coordinates, on
// the faces when they are there and always on 2,000 digits (whose pictures docs/ uses).
const ksvdSection = await optionalSection('./sections/ksvd.mjs', 'ksvdSection', 'sparse-coding');
if (ksvdSection && faces) {
  sections.push(ksvdSection({
    id: 'faces', title: 'Decoding the thought vector: faces', noun: 'face', X: faces, width: 64, height: 64, scale: 1,
    about: 'The 400 Olivetti faces again.', samples: [0, 125, 253], nComponents: 60, nAtoms: 96, nNonzero: 8, maxIter: 30, timed, people: true,
  }));
}
if (ksvdSection) {
  // Every fifth digit: 2,000 pictures, about 200 of each class (400 with --quick).
  const n = Math.floor(digits.X.rows / 5);
  const some = { rows: n, cols: digits.X.cols, data: new Float64Array(n * digits.X.cols) };
  for (let r = 0; r < n; r++) some.data.set(digits.X.data.subarray(5 * r * some.cols, (5 * r + 1) * some.cols), r * some.cols);
  sections.push(ksvdSection({
    id: 'digits', title: 'Decoding the thought vector: digits', noun: 'digit', X: some, width: 28, height: 28, scale: 2,
    about: `Every fifth MNIST digit (${n.toLocaleString('en')}).`, samples: [0, 410, 820, 1230].map((i) => Math.floor((i * n) / 2000)),
    nComponents: 40, nAtoms: 100, nNonzero: 8, maxIter: 30, timed,
  }));
}

// Self-organizing maps of the digits (./sections/som.mjs).
const somSection = await optionalSection('./sections/som.mjs', 'somSection', 'SOM');
if (somSection) sections.push(somSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// Walks between Gaussians and between codes (./sections/interp.mjs).
const interpSection = await optionalSection('./sections/interp.mjs', 'interpSection', 'interp');
if (interpSection) sections.push(interpSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// Arithmetic, neighbours and few-shot labels in the digits' codes (./sections/latent.mjs).
const latentSection = await optionalSection('./sections/latent.mjs', 'latentSection', 'latent');
if (latentSection) sections.push(latentSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// A classifier trained with latentspace/autodiff: loss curve and first-layer weights (./sections/autodiff.mjs).
const autodiffSection = await optionalSection('./sections/autodiff.mjs', 'autodiffSection', 'autodiff');
if (autodiffSection) sections.push(autodiffSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// Reading a classifier's units: profiles, ablation, feature visualisation (./sections/units.mjs).
const unitsSection = await optionalSection('./sections/units.mjs', 'unitsSection', 'units');
if (unitsSection) sections.push(unitsSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// A variational autoencoder and its thought vectors decoded, walked and mapped (./sections/vae.mjs).
const vaeSection = await optionalSection('./sections/vae.mjs', 'vaeSection', 'VAE');
if (vaeSection) sections.push(vaeSection({ X: digits.X, firstOfClass: digits.firstOfClass, timed }));

// 4. The page.
const total = timings.reduce((s, [, ms]) => s + ms, 0);
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>latentspace — demo</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 980px; color: #222; padding: 0 1em; }
  img { display: block; margin: 0.5em 0 0.5em; image-rendering: pixelated; max-width: 100%; }
  svg { max-width: 100%; height: auto; }
  figure { margin: 0 2em 1em 0; } figcaption { font-size: 13px; color: #555; max-width: 560px; }
  /* A caption as wide as its picture, never wider: it adds nothing to the figure's width. */
  .row > figure > figcaption { width: 0; min-width: 100%; }
  .row > figure:last-child { margin-right: 0; }
  figure.strip { margin: 0.3em 0; } figure.strip img { margin: 0.2em 0; }
  .row { display: flex; align-items: flex-start; flex-wrap: wrap; }
  table { border-collapse: collapse; } td, th { padding: 0.1em 1em 0.1em 0; } th { text-align: left; }
  table.ks td { padding: 0 0.6em 0 0; text-align: center; font-size: 13px; color: #444; }
  .tiles { display: grid; gap: 0.4em 0; margin: 0.5em 0; }
  .tiles figure { margin: 0; } .tiles img { margin: 0 0 0.1em; }
  .tiles figcaption { font-size: 12px; line-height: 1.3; color: #444; padding-right: 6px; overflow-wrap: anywhere; }
  .scale { display: flex; align-items: center; gap: 0.4em; font-size: 12px; color: #444; margin: 0.3em 0; flex-wrap: wrap; }
  .scale .bar { display: inline-block; width: 140px; height: 10px; border: 1px solid #999; }
  .scale .what { flex-basis: 100%; }
  td.ms, th.ms { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  th.ms { white-space: normal; }
  .note { font-size: 13px; color: #555; }
  code { background: #f3f3f3; padding: 0 0.2em; }
  section { margin-bottom: 2.5em; }
</style>
</head>
<body>
<h1>Latent spaces of faces and digits</h1>
<p>Principal component analysis with <code>latentspace/pca</code>${kmeansSection ? ', clusters with <code>latentspace/kmeans</code>' : ''}${ksvdSection ? ', sparse codes with <code>latentspace/ksvd</code> and <code>latentspace/omp</code>' : ''}${tsneSection ? ', a t-SNE map with <code>latentspace/tsne</code>' : ''}${somSection ? ', maps with <code>latentspace/som</code>' : ''}${interpSection ? ', paths with <code>latentspace/interp</code>' : ''}${latentSection ? ', arithmetic and few-shot labels with <code>latentspace/latent</code>' : ''}${autodiffSection ? ', a classifier trained with <code>latentspace/autodiff</code>' : ''}${unitsSection ? ', unit analysis and feature visualisation with <code>latentspace/units</code>' : ''}${vaeSection ? ', a variational autoencoder with <code>latentspace/vae</code>' : ''},
pictures with <code>latentspace/image</code>'s <code>grid</code>, all computed when this page was written. ${backendLine}.
</p>
${sections.map((s) => s.html).join('\n')}
<h2>Timings</h2>
<table>
${timings.map(([label, ms]) => `<tr><td>${label}</td><td class="ms">${ms.toFixed(1)} ms</td></tr>`).join('\n')}
<tr><td><b>total</b></td><td class="ms"><b>${total.toFixed(1)} ms</b></td></tr>
</table>
<p>${backendLine}; Node ${process.version}.</p>
</body>
</html>
`;

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, html);
if (process.argv.includes('--docs-img')) {
  mkdirSync(DOCS_IMG, { recursive: true });
  // Each section names its files after its guide (pca-…, kmeans-…). Only the pictures a
  // guide or the README shows are written: a picture nobody links is not kept.
  const shown = docsText();
  const skipped = [];
  for (const s of sections) {
    for (const [name, bytes] of Object.entries(s.files)) {
      if (shown.includes(`img/${name}`)) writeFileSync(`${DOCS_IMG}${name}`, bytes);
      else skipped.push(name);
    }
  }
  console.log(`wrote the pictures into ${DOCS_IMG}${skipped.length ? ` (not ${skipped.join(', ')}: no guide shows them)` : ''}`);
  const unused = readdirSync(DOCS_IMG).filter((name) => !shown.includes(`img/${name}`));
  if (unused.length) console.log(`docs/img holds pictures no guide shows: ${unused.join(', ')}`);
}

/** The text of every guide in docs/ and of the README, where the pictures of docs/img are linked. */
function docsText() {
  const docs = fileURLToPath(new URL('../docs/', import.meta.url));
  const guides = readdirSync(docs).filter((name) => name.endsWith('.md')).map((name) => readFileSync(`${docs}${name}`, 'utf8'));
  return [...guides, readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')].join('\n');
}
console.log(backendLine);
for (const [label, ms] of timings) console.log(`${label.padEnd(60)} ${ms.toFixed(1).padStart(9)} ms`);
console.log(`${'total'.padEnd(60)} ${total.toFixed(1).padStart(9)} ms`);
for (const s of sections) console.log(s.summary);
console.log(`wrote ${outFile}`);
