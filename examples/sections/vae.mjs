// The VAE part of the demo page (issue 15), five experiments on the `mnist` package's digits,
// 8,000 to train and 2,000 to test (a shuffle seeded with 0, as bench/vae-parity.mjs):
// 1. the manifold of a 2-D-latent VAE: a 20 × 20 grid of codes decoded, and the test
//    digits' posterior means by class;
// 2. Goh's "decoding the thought vector": K-SVD on the 20-D posterior means, each atom drawn
//    through the decoder around the mean code, a digit rebuilt atom by atom, the digits that
//    use an atom most; atom count and sparsity chosen by the reconstruction-error table;
// 3. walks from a test 8 to a 6: lerp and slerp of the means, the Wasserstein and
//    Fisher-Rao geodesics between the posteriors, and a loop in the plane of two directions;
// 4. maps of the latent space: a SOM of the means (U-matrix, labels), t-SNE of the test
//    means, and the principal components of the means;
// 5. a plain autoencoder beside the VAE: reconstructions, prior samples, the holes.
// To keep the page quick (about 45 s on 2 cores) each model trains for 4 epochs; with
// --docs-img (the pictures of docs/vae.md) for 10, as the parity run of bench/vae-parity.mjs.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs).
import * as vae from '../../dist/vae.js';
import * as ksvd from '../../dist/ksvd.js';
import * as interp from '../../dist/interp.js';
import * as som from '../../dist/som.js';
import * as tsne from '../../dist/tsne.js';
import * as pca from '../../dist/pca.js';
import { Random } from '../../dist/core.js';
import { grid } from '../../dist/image.js';
import { cholesky } from '../../dist/linalg.js';
import { encodePng } from '../png.mjs';
import { raster } from './tsne.mjs';
import { mostUsed } from './ksvd.mjs';
import { DIGIT_COLOURS } from './som.mjs';
import { colourScale, extent } from './figures.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array | Float32Array }} Matrix
 * @typedef {{
 *   X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any,
 *   epochs?: number, seed?: number,
 * }} VaeSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} VaeSection
 */

const SIDE = 28, D = 784;

/**
 * Trains the three models and renders the five experiments.
 * @param {VaeSectionInput} o
 * @returns {VaeSection} `files`: the pictures as PNG (and one SVG), named `vae-….png`
 */
export function vaeSection(o) {
  const { timed } = o;
  // 4 epochs keep the page quick; the docs' pictures (--docs-img) are drawn after 10.
  const epochs = o.epochs ?? (process.argv.includes('--docs-img') ? 10 : 4), seed = o.seed ?? 0;
  const { train, test, trainLabels, testLabels } = split(o.X, o.firstOfClass);
  const files = {};
  const png = (name, img) => {
    files[`vae-${name}.png`] = encodePng(img);
    return `<img alt="${name}" src="data:image/png;base64,${files[`vae-${name}.png`].toString('base64')}">`;
  };
  const tiles = (M, columns, scale = 2) => grid(M, { width: SIDE, height: SIDE, columns, padding: 1, scale, normalize: 'none', background: [200, 200, 200] });
  const fitted = (label, options) => timed(`vae: fit ${label}, ${epochs} epochs on ${train.rows} digits`, () => vae.fit(train, { epochs, seed, ...options }));
  const model = fitted('784-400-20', { latent: 20, hidden: [400], validation: test });
  const flat = fitted('784-256-2', { latent: 2, hidden: [256] });
  const ae = fitted('autoencoder 784-400-20', { latent: 20, hidden: [400], variational: false });
  const lossLine = (m) => `${m.history.loss.map((l) => l.toFixed(1)).join(' → ')}`;
  const elboTest = timed('vae: test ELBO (10 draws) and log-likelihood (100 draws) of 200 test digits', () => {
    const few = rowsAt(test, range(200));
    return { elbo: mean(vae.elbo(model, few, { samples: 10, seed: 1 }).elbo), ll: mean(vae.logLikelihood(model, few, { samples: 100, seed: 1 })) };
  });
  const nTrain = train.rows.toLocaleString('en');
  const means = timed(`vae: encode the ${nTrain} training digits`, () => vae.encode(model, train).mean);
  const testMeans = vae.encode(model, test).mean;

  // 1. The manifold of the 2-D VAE: codes at the normal quantiles of a 20 × 20 grid.
  const n = 20;
  const quantiles = range(n).map((i) => inverseNormal((i + 0.5) / n));
  const codes = { rows: n * n, cols: 2, data: new Float32Array(n * n * 2) };
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) codes.data.set([quantiles[c], quantiles[n - 1 - r]], 2 * (r * n + c));
  const manifold = png('manifold', tiles(vae.decode(flat, codes), n, 1));
  const scatter = png('means-2d', raster(vae.encode(flat, test).mean, testLabels, 360, 360));

  // 2. Thought vectors decoded: the error table, then the chosen dictionary.
  const sub = rowsAt(means, range(Math.min(2000, means.rows)));
  const nSub = sub.rows.toLocaleString('en');
  const table = timed(`vae: K-SVD error table (atoms × non-zeros) on ${nSub} codes`, () => [16, 32, 64, 128].map((nAtoms) => [2, 4, 8].map((nNonzero) => {
    const d = ksvd.fit(sub, { nAtoms, nNonzero, maxIter: 10, seed: 0 });
    return relativeError(sub, ksvd.inverseTransform(d, ksvd.transform(d, sub)));
  })));
  const nAtoms = 64, nNonzero = 4;
  const dict = timed(`vae: K-SVD, ${nAtoms} atoms, ${nNonzero} non-zeros, on the ${nTrain} codes`, () => ksvd.fit(means, { nAtoms, nNonzero, maxIter: 20, seed: 0 }));
  const sparse = ksvd.transform(dict, means);
  const chosenError = relativeError(means, ksvd.inverseTransform(dict, sparse));
  const m = columnMeans(means);
  const used = mostUsed(sparse, 12);
  const atomCodes = [];
  for (const sign of [-1, 0, 1]) {
    for (const { atom, rms } of used) atomCodes.push(Float64Array.from(m, (v, j) => v + sign * 1.5 * rms * dict.dictionary.data[atom * 20 + j]));
  }
  const atoms = png('atoms', tiles(vae.decodePath(model, atomCodes), used.length));
  const rebuiltRows = [];
  for (const i of [firstOf(testLabels, 2), firstOf(testLabels, 5), firstOf(testLabels, 7)]) {
    const z = testMeans.data.subarray(i * 20, (i + 1) * 20);
    const path = ksvd.incremental(dict, z);
    rebuiltRows.push(test.data.subarray(i * D, (i + 1) * D), vae.decode(model, z).data);
    const partial = vae.decodePath(model, path);
    for (let j = 0; j < path.rows; j++) rebuiltRows.push(partial.data.subarray(j * D, (j + 1) * D));
  }
  const rebuild = png('rebuild', tiles(stack(rebuiltRows), 2 + nNonzero, 3));
  const users = [];
  for (const { atom } of used.slice(0, 4)) for (const i of ksvd.query(dict, sparse, atom).slice(0, 10)) users.push(train.data.subarray(i * D, (i + 1) * D));
  const query = png('query', tiles(stack(users), 10));

  // 3. Walks from a test 8 to a test 6 (posteriors), and a loop.
  const a = firstOf(testLabels, 8), b = firstOf(testLabels, 6);
  const ga = vae.posterior(model, test.data.subarray(a * D, (a + 1) * D));
  const gb = vae.posterior(model, test.data.subarray(b * D, (b + 1) * D));
  const steps = 10;
  const walks = timed('vae: four walks from an 8 to a 6, decoded', () => [
    ['lerp of the means', interp.path(ga.mean, gb.mean, { steps, method: 'linear' })],
    ['slerp of the means', interp.path(ga.mean, gb.mean, { steps, method: 'spherical' })],
    ['Wasserstein-2 geodesic', interp.geodesicPath(ga, gb, { steps, metric: 'wasserstein' })],
    ['Fisher-Rao geodesic', interp.geodesicPath(ga, gb, { steps, metric: 'fisher-rao' })],
  ].map(([label, path]) => ({ label, path, pictures: vae.decodePath(model, path) })));
  const walkStrip = png('walks', tiles(stack(walks.map((w) => w.pictures.data)), steps, 2));
  const frMid = walks[3].path[steps >> 1].variance, w2Mid = walks[2].path[steps >> 1].variance;
  const spread = (v) => mean(Array.from(v, Math.sqrt));
  const p = pca.fit(means, { nComponents: 20 });
  const loopFrames = 16;
  const sd = Array.from(p.explainedVariance, Math.sqrt);
  const loopCodes = range(loopFrames).map((k) => {
    const t = (2 * Math.PI * k) / loopFrames;
    return Float64Array.from(m, (v, j) => v + 1.5 * (sd[0] * Math.cos(t) * p.components.data[j] + sd[1] * Math.sin(t) * p.components.data[20 + j]));
  });
  const loop = png('loop', tiles(vae.decodePath(model, loopCodes), loopFrames, 2));

  // 4. Maps: a SOM of the training means, t-SNE of 1,500 test means, the variance of the codes.
  const map = timed(`vae: SOM 16 × 16 hexagonal of the ${nTrain} codes, 10 epochs`, () => som.fit(means, { width: 16, height: 16, topology: 'hexagonal', seed: 0 }));
  const U = som.uMatrix(map, { interstitial: true });
  const uMatrix = png('som-umatrix', som.render(map, U, { cellSize: 8, background: 255 }));
  const labels = som.labelMap(map, means, trainLabels);
  const palette = DIGIT_COLOURS.flatMap((c) => [...c, 255]);
  const labelMap = png('som-labels', som.render(map, Float64Array.from(labels, (l) => (l < 0 ? NaN : l)), { cellSize: 16, colormap: palette, range: [0, 9], background: 255 }));
  const nT = Math.min(1500, test.rows);
  const tsneMap = timed(`vae: t-SNE of ${nT} test codes`, () => tsne.fit(rowsAt(testMeans, range(nT)), { seed: 1 }));
  const tsnePicture = png('tsne', raster(tsneMap.embedding, testLabels.subarray(0, nT), 360, 360));
  const cumulative = [];
  p.explainedVarianceRatio.reduce((s, r) => (cumulative.push(s + r), s + r), 0);
  const reach = (f) => cumulative.findIndex((c) => c >= f) + 1;
  const active = activeUnits(vae.encode(model, test).mean);

  // 5. Autoencoder vs VAE: reconstructions, prior samples, and how far samples fall from any code.
  const show = range(10).map((k) => firstOf(testLabels, k));
  const originals = rowsAt(test, show);
  const aeCodes = vae.encode(ae, train).mean;
  const compare = png('ae-vs-vae', tiles(stack([originals.data, vae.reconstruct(model, originals).data, vae.reconstruct(ae, originals).data,
    vae.sample(model, 10, { seed: 3 }).data, vae.sample(ae, 10, { seed: 3 }).data, vae.decode(ae, gaussianDraws(aeCodes, 10, 3)).data]), 10, 2));
  const spreads = { vae: columnSpread(means), ae: columnSpread(aeCodes) };

  const errorTable = `<table class="ks"><tr><td></td>${[2, 4, 8].map((s) => `<td>${s} non-zeros</td>`).join('')}</tr>` +
    [16, 32, 64, 128].map((k, r) => `<tr><td>${k} atoms</td>${table[r].map((e) => `<td>${pct(e)} %</td>`).join('')}</tr>`).join('') + '</table>';
  const html = `
<section id="vae">
<h2>A variational autoencoder, and its thought vectors decoded</h2>
<p><code>vae.fit(X, { latent: 20, hidden: [400], epochs: ${epochs} })</code>: PyTorch's examples/vae model (784-400-20-400-784,
Bernoulli decoder, Adam 1e-3, batch 128) on ${train.rows.toLocaleString('en')} digits for ${epochs} epochs (4 on the demo page, to keep it
quick; 10 for the pictures of docs/vae.md). Training loss per digit ${lossLine(model)}; on 200 test digits the ELBO is
${elboTest.elbo.toFixed(1)} nats per digit and the importance-sampled log-likelihood (100 draws) ${elboTest.ll.toFixed(1)}. After 10 epochs
the test loss is about 123, as PyTorch's (bench/RESULTS.md). Every model on this page is trained the same way.</p>
<h3>1. The manifold of a 2-D latent space</h3>
<div class="row"><figure>${manifold}<figcaption>A 784-256-2 VAE: codes on a 20 × 20 grid at the normal quantiles
Φ⁻¹(0.025) … Φ⁻¹(0.975) of each axis, decoded.</figcaption></figure>
<figure>${scatter}<figcaption>The posterior means of the ${test.rows.toLocaleString('en')} test digits, coloured by digit (0 blue … 9 grey, Tableau 10).</figcaption></figure></div>
<h3>2. Decoding the thought vector</h3>
<p>K-SVD on the 20-D posterior means. Relative reconstruction error ‖M − M̂‖² / ‖M‖² on ${nSub} codes (10 iterations each):</p>
${errorTable}
<p>Chosen: ${nAtoms} atoms, ${nNonzero} non-zeros. Going from 2 to 4 non-zeros cuts the error by ${pct(1 - table[2][1] / table[2][0])} %, from 32 to 64
atoms by ${pct(1 - table[2][1] / table[1][1])} %; beyond that, 8 non-zeros of 20 dimensions is hardly a sparse code any more, and 128 atoms
(${pct(table[3][1])} % against ${pct(table[2][1])} %) share the same uses among twice as many atoms, each drawn from half as many digits. On all ${nTrain} codes (20 iterations) the error is ${pct(chosenError)} %.
The ${used.length} atoms used most, each drawn around the mean code m: decode(m − 1.5·w·atom) (top), decode(m), decode(m + 1.5·w·atom)
(bottom), w the atom's RMS weight:</p>
${atoms}
<div class="row"><figure>${rebuild}<figcaption>Three test digits rebuilt atom by atom (<code>ksvd.incremental</code>): the digit,
decode(its code), then the decoded partial sums with 1 … ${nNonzero} atoms.</figcaption></figure>
<figure>${query}<figcaption><code>ksvd.query</code> in reverse: the ten training digits that weigh each of the four most used
atoms most, one atom per row.</figcaption></figure></div>
<h3>3. Walks from an 8 to a 6</h3>
${walkStrip}
<p class="note">Rows: ${walks.map((w) => w.label).join('; ')}, each ${steps} steps decoded with <code>vae.decodePath</code>.
The geodesics walk between the posteriors, not the means: halfway, the Fisher-Rao Gaussian's mean σ is ${spread(frMid).toFixed(3)},
the Wasserstein one's ${spread(w2Mid).toFixed(3)} (ends ${spread(ga.variance).toFixed(3)} and ${spread(gb.variance).toFixed(3)}); the decoder sees only the means,
which differ from the straight line's for Fisher-Rao.</p>
${loop}
<p class="note">A loop: m + 1.5 (σ₁ cos t · u₁ + σ₂ sin t · u₂) in the plane of the first two principal directions of the codes.</p>
<h3>4. Maps of the latent space</h3>
<div class="row"><figure>${uMatrix}<figcaption>A 16 × 16 hexagonal SOM of the ${nTrain} codes: the U-matrix (bright: borders).
${colourScale(...extent(U), 'mean distance between neighbouring units')}</figcaption></figure>
<figure>${labelMap}<figcaption>The digit most of each unit's codes are.</figcaption></figure>
<figure>${tsnePicture}<figcaption>t-SNE of ${nT} test codes.</figcaption></figure></div>
<p class="note">Principal components of the 20-D codes: ${reach(0.9)} carry 90 % of their variance, ${reach(0.99)} carry 99 %;
${active} of the 20 latent dimensions are active (variance of the posterior mean over the test digits above 0.01,
Burda et al.'s measure)${active < 20 ? '; the others stay at the prior and the decoder ignores them' : ''}.</p>
<h3>5. A plain autoencoder beside the VAE</h3>
${compare}
<p class="note">Rows: ten test digits; the VAE's reconstructions; the autoencoder's (same network, <code>variational: false</code>);
decoded draws z ~ N(0, I) through the VAE; the same draws through the autoencoder; draws from a Gaussian fitted to the
autoencoder's codes (their mean and covariance). The autoencoder reconstructs as well or better, but nothing asks its codes to fill
a known region: the standard deviations of its code coordinates range from ${spreads.ae[0].toFixed(2)} to ${spreads.ae[1].toFixed(2)} (the VAE's
posterior means: ${spreads.vae[0].toFixed(2)} to ${spreads.vae[1].toFixed(2)}, around the prior's 1),
so prior draws land off its codes, and even draws shaped like its codes fall into holes between them, where its decoder was never
trained: noisy, broken strokes.</p>
</section>`;
  const summary = `vae: 20-D test ELBO ${elboTest.elbo.toFixed(1)}, log-likelihood ${elboTest.ll.toFixed(1)} after ${epochs} epochs; K-SVD ${nAtoms}/${nNonzero} error ${pct(chosenError)} %; ` +
    `${active} active dimensions; code standard deviations: VAE means ${spreads.vae.map((v) => v.toFixed(2)).join('–')}, autoencoder ${spreads.ae.map((v) => v.toFixed(2)).join('–')}`;
  return { html, files, summary };
}

/** The digits split 80 / 20 % (8,000 / 2,000 of the 10,000) by a shuffle seeded with 0, with labels. */
function split(X, firstOfClass) {
  const labels = new Int32Array(X.rows);
  firstOfClass.forEach((start, c) => labels.fill(c, start, firstOfClass[c + 1] ?? X.rows));
  const order = new Random(0).shuffle(Int32Array.from({ length: X.rows }, (_, i) => i));
  const part = (from, n) => ({ M: rowsAt(X, order.subarray(from, from + n)), labels: Int32Array.from(order.subarray(from, from + n), (i) => labels[i]) });
  const nTrain = Math.round(0.8 * X.rows);
  const a = part(0, nTrain), b = part(nTrain, X.rows - nTrain);
  return { train: a.M, test: b.M, trainLabels: a.labels, testLabels: b.labels };
}

function rowsAt(M, rows) {
  const out = { rows: rows.length, cols: M.cols, data: new Float32Array(rows.length * M.cols) };
  Array.from(rows).forEach((r, k) => out.data.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), k * M.cols));
  return out;
}

/** Pictures (vectors of 784, or blocks of them) one after another, as one matrix. */
function stack(list) {
  const out = new Float32Array(list.reduce((s, v) => s + v.length, 0));
  let at = 0;
  for (const v of list) { out.set(v, at); at += v.length; }
  return { rows: out.length / D, cols: D, data: out };
}

const range = (n) => Array.from({ length: n }, (_, i) => i);
const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
const pct = (f) => (100 * f).toFixed(1);
const firstOf = (labels, digit) => labels.indexOf(digit);

function columnMeans(M) {
  const m = new Float64Array(M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) m[j] += M.data[i * M.cols + j] / M.rows;
  return m;
}

function relativeError(M, back) {
  let e = 0, t = 0;
  for (let i = 0; i < M.data.length; i++) {
    e += (M.data[i] - back.data[i]) ** 2;
    t += M.data[i] ** 2;
  }
  return e / t;
}

/** Dimensions whose posterior mean varies over the data (variance > 0.01; Burda et al. 2016). */
function activeUnits(M) {
  let count = 0;
  for (let j = 0; j < M.cols; j++) {
    let s = 0, q = 0;
    for (let i = 0; i < M.rows; i++) { s += M.data[i * M.cols + j]; q += M.data[i * M.cols + j] ** 2; }
    if (q / M.rows - (s / M.rows) ** 2 > 0.01) count++;
  }
  return count;
}

/** The smallest and largest standard deviation of the columns of M. */
function columnSpread(M) {
  const m = columnMeans(M), v = new Float64Array(M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) v[j] += (M.data[i * M.cols + j] - m[j]) ** 2 / M.rows;
  const sd = Array.from(v, Math.sqrt);
  return [Math.min(...sd), Math.max(...sd)];
}

/** n draws from N(mean, covariance) of the rows of Z (through a Cholesky factor). */
function gaussianDraws(Z, n, seed) {
  const d = Z.cols, m = columnMeans(Z);
  const C = new Float64Array(d * d);
  for (let i = 0; i < Z.rows; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += (Z.data[i * d + a] - m[a]) * (Z.data[i * d + b] - m[b]) / (Z.rows - 1);
  const L = cholesky({ rows: d, cols: d, data: C }).data;
  const random = new Random(seed), out = new Float32Array(n * d), e = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    random.fillNormal(e);
    for (let a = 0; a < d; a++) {
      let s = m[a];
      for (let b = 0; b <= a; b++) s += L[a * d + b] * e[b];
      out[r * d + a] = s;
    }
  }
  return { rows: n, cols: d, data: out };
}

/** Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function inverseNormal(p) {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const dd = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((dd[0] * q + dd[1]) * q + dd[2]) * q + dd[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
