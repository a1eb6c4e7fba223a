// The k-means part of the demo page: cluster the MNIST digits into 10 groups without
// looking at their labels, draw the 10 centroids, and compare the clusters with the true
// digits (a confusion table, the adjusted Rand index, the V-measure). Done twice: on the
// raw pixels and on the first 50 PCA coordinates (when latentspace/pca is built).
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs).
import * as kmeans from '../../dist/kmeans.js';
import * as metrics from '../../dist/metrics.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';

let pca = null;
try {
  pca = await import('../../dist/pca.js');
} catch {
  // latentspace/pca not built: the section clusters the pixels only.
}

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   X: Matrix, labels?: Int32Array, firstOfClass?: number[], timed: (label: string, f: () => any) => any,
 *   k?: number, seed?: number, id?: string,
 * }} KmeansSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} KmeansSection
 */

/**
 * Clusters the digits and renders the section. `labels` (the true digit of every row) may
 * be given directly or as `firstOfClass` (the first row of each digit, rows being ordered by
 * digit as examples/demo.mjs loads them).
 * @param {KmeansSectionInput} o
 * @returns {KmeansSection}
 */
export function kmeansSection(o) {
  const { X, timed } = o;
  const k = o.k ?? 10;
  const seed = o.seed ?? 1;
  const id = o.id ?? 'kmeans';
  const truth = o.labels ?? labelsFrom(o.firstOfClass, X.rows);
  const runs = [clusterPixels(X, truth, k, seed, timed)];
  if (pca) runs.push(clusterPca(X, truth, k, seed, timed));
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

  const html = `
<section id="${id}">
<h2>Clusters of digits</h2>
<p><code>kmeans.fit(X, { k: ${k}, seed: ${seed} })</code> groups the ${X.rows.toLocaleString('en')} digits
into ${k} clusters without seeing their labels (greedy k-means++ seeding, then Lloyd's
iterations on the distance kernels). The centroids are mean pictures; the table says which
true digits fell into each cluster. ${pca ? 'The same on the first 50 PCA coordinates, where distances are cheaper and a little less noisy.' : '(latentspace/pca is not built: the PCA comparison is skipped.)'}</p>
${runs.map((r) => `
<h3>${r.title}</h3>
<p>${r.iterations} iterations in ${r.ms.toFixed(0)} ms, inertia ${r.inertia.toFixed(0)}${r.converged ? '' : ' (not converged)'};
ARI ${r.scores.ari.toFixed(3)}, V-measure ${r.scores.v.vMeasure.toFixed(3)}
(homogeneity ${r.scores.v.homogeneity.toFixed(3)}, completeness ${r.scores.v.completeness.toFixed(3)}),
silhouette ${r.scores.silhouette.toFixed(3)} (2,000 rows).</p>
<img alt="the ${k} centroids, in the order of the table's columns" src="${url(r.png)}">
${confusionTable(r.confusion, r.order, r.majority)}`).join('\n')}
${runs.length > 1 ? comparison(runs) : ''}
<p class="note">Columns: clusters, ordered by the digit most of their members are (the number
above each column); rows: the true digits; darker cells hold more digits. ARI: adjusted Rand
index (0 for chance, 1 for the labels themselves); V-measure: harmonic mean of homogeneity
(each cluster one digit) and completeness (each digit one cluster).</p>
</section>`;
  const summary = runs.map((r) => `${id}, ${r.space}: ${r.iterations} iterations, ${r.ms.toFixed(0)} ms, ARI ${r.scores.ari.toFixed(3)}, V ${r.scores.v.vMeasure.toFixed(3)}`).join('\n');
  return { html, summary, files: Object.fromEntries(runs.map((r) => [`${id}-${r.space}-centroids.png`, r.png])) };
}

/** True digit of every row, from the first row of each digit. */
function labelsFrom(firstOfClass, n) {
  if (!firstOfClass) throw new Error('kmeansSection: pass labels or firstOfClass');
  const out = new Int32Array(n);
  firstOfClass.forEach((start, digit) => out.fill(digit, start, firstOfClass[digit + 1] ?? n));
  return out;
}

/** Clusters the raw pixels. */
function clusterPixels(X, truth, k, seed, timed) {
  const t0 = performance.now();
  const model = timed(`kmeans: fit on pixels, ${X.rows} × ${X.cols}, k = ${k}`, () => kmeans.fit(X, { k, seed }));
  const ms = performance.now() - t0;
  return describe('pixels', 'On the 784 pixels', model, model.centroids, X, truth, ms, timed);
}

/** Clusters the first 50 PCA coordinates; centroids are drawn back in pixel space. */
function clusterPca(X, truth, k, seed, timed) {
  const t0 = performance.now();
  const Z = timed('kmeans: pca.fit + transform to 50 coordinates', () => {
    const model = pca.fit(X, { nComponents: 50 });
    return { model, Z: pca.transform(model, X) };
  });
  const model = timed(`kmeans: fit on PCA-50, ${X.rows} × 50, k = ${k}`, () => kmeans.fit(Z.Z, { k, seed }));
  const ms = performance.now() - t0;
  const pictures = pca.inverseTransform(Z.model, model.centroids);
  return describe('pca50', 'On the first 50 PCA coordinates (time includes the PCA)', model, pictures, Z.Z, truth, ms, timed);
}

/** Scores, the confusion table and the centroid picture of one clustering. */
function describe(space, title, model, pictures, data, truth, ms, timed) {
  const k = model.centroids.rows;
  const scores = timed(`kmeans: metrics (${space})`, () => ({
    ari: metrics.adjustedRandIndex(truth, model.labels),
    v: metrics.homogeneityCompletenessVMeasure(truth, model.labels),
    silhouette: metrics.silhouetteScore(data, model.labels, { sampleSize: 2000, seed: 0 }),
  }));
  const confusion = Array.from({ length: 10 }, () => new Array(k).fill(0));
  for (let i = 0; i < truth.length; i++) confusion[truth[i]][model.labels[i]]++;
  const majority = Array.from({ length: k }, (_, c) => {
    let best = 0;
    for (let d = 1; d < 10; d++) if (confusion[d][c] > confusion[best][c]) best = d;
    return best;
  });
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => majority[a] - majority[b] || a - b);
  const d = pictures.cols;
  const ordered = new Float64Array(k * d);
  order.forEach((c, r) => ordered.set(pictures.data.subarray(c * d, (c + 1) * d), r * d));
  const png = encodePng(grid({ rows: k, cols: d, data: ordered }, { width: 28, height: 28, scale: 2, padding: 2, columns: k, normalize: 'none' }));
  return { space, title, ms, png, scores, confusion, order, majority, iterations: model.nIter, inertia: model.inertia, converged: model.converged };
}

// The centroid picture's tiles are 28 · 2 pixels wide with 2 pixels between them: table
// columns of the same width line up under them.
const TILE = 28 * 2 + 2;

/** The confusion table as HTML, under the centroids, cells shaded by their share of the row. */
function confusionTable(confusion, order, majority) {
  const cell = `width: ${TILE}px; min-width: ${TILE}px; padding: 1px 0; text-align: center; box-sizing: border-box`;
  const head = order.map((c) => `<th style="${cell}" title="cluster ${c}">${majority[c]}</th>`).join('');
  const body = confusion.map((row, digit) => {
    const total = row.reduce((s, v) => s + v, 0);
    const cells = order.map((c) => {
      const share = total ? row[c] / total : 0;
      const shade = Math.round(255 - 200 * share);
      return `<td style="${cell}; background: rgb(${shade}, ${shade}, 255); color: ${share > 0.6 ? '#fff' : '#222'}">${row[c] || ''}</td>`;
    }).join('');
    return `<tr>${cells}<th style="text-align: left; padding-left: 0.5em">digit ${digit}</th></tr>`;
  }).join('\n');
  return `<table class="confusion" style="border-collapse: collapse; font-size: 12px; margin-left: 1px">
<tr>${head}<th style="text-align: left; padding-left: 0.5em; font-weight: normal">← majority digit of each cluster</th></tr>
${body}
</table>`;
}

/** Pixels against PCA-50, side by side. */
function comparison(runs) {
  const row = (r) => `<tr><td>${r.space === 'pixels' ? '784 pixels' : '50 PCA coordinates'}</td><td class="ms">${r.ms.toFixed(0)} ms</td><td class="ms">${r.iterations}</td>` +
    `<td class="ms">${r.scores.ari.toFixed(3)}</td><td class="ms">${r.scores.v.vMeasure.toFixed(3)}</td><td class="ms">${r.scores.silhouette.toFixed(3)}</td></tr>`;
  return `<h3>Pixels or PCA coordinates?</h3>
<table><tr><th>space</th><th class="ms">time</th><th class="ms">iterations</th><th class="ms">ARI</th><th class="ms">V-measure</th><th class="ms">silhouette</th></tr>
${runs.map(row).join('\n')}
</table>
<p class="note">The silhouettes are measured in each space (PCA-50 discards the small
variations that blur distances between pixels), so they are not comparable with each other;
ARI and V-measure are, being computed against the true digits.</p>`;
}
