// The PCA part of the demo page: for one set of pictures (faces or digits), fit a PCA and
// draw what it gives: the mean picture, the first 16 principal components ("eigenfaces"),
// one picture the model never saw rebuilt from its first k components, a few more rebuilt
// from a fixed k, and the cumulative explained-variance curve.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ./png.mjs).
import * as pca from '../../dist/pca.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';
import { captionedTiles } from './figures.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   id: string, title: string, noun: string, X: Matrix, width: number, height: number,
 *   held: number, ks: number[], gallery: number[], galleryK: number, scale: number,
 *   about: string, timed: (label: string, f: () => any) => any,
 * }} PcaSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} PcaSection
 */

/**
 * Fits a PCA on every row of `X` but `held`, and renders the pictures.
 * @param {PcaSectionInput} o
 * @returns {PcaSection} html for the page; `files`: the same pictures as PNG/SVG files,
 *   named `pca-<id>-….png` (docs/img/ takes them as they are)
 */
export function pcaSection(o) {
  const { X, width, height, held, ks, timed } = o;
  const d = X.cols;
  const pad = 2;
  const train = timed(`${o.id}: training set (all but one ${o.noun})`, () => withoutRow(X, held));
  const model = timed(`${o.id}: pca.fit, ${train.rows} × ${d}, every component`, () => pca.fit(train));
  const x = X.data.subarray(held * d, (held + 1) * d);
  const steps = timed(`${o.id}: pca.reconstruct, k = ${ks.join(', ')}`, () => pca.reconstruct(model, x, ks));

  // Reconstruction error, relative to how far the picture is from the mean.
  const errors = ks.map((_, r) => {
    let num = 0, den = 0;
    for (let j = 0; j < d; j++) {
      num += (x[j] - steps.data[r * d + j]) ** 2;
      den += (x[j] - model.mean[j]) ** 2;
    }
    return Math.sqrt(num / den);
  });

  const gallery = timed(`${o.id}: ${o.gallery.length} ${o.noun}s rebuilt from ${o.galleryK} components`, () => {
    const originals = new Float64Array(o.gallery.length * d);
    const rebuilt = new Float64Array(o.gallery.length * d);
    o.gallery.forEach((i, r) => {
      const row = X.data.subarray(i * d, (i + 1) * d);
      originals.set(row, r * d);
      rebuilt.set(pca.reconstruct(model, row, [o.galleryK]).data, r * d);
    });
    return { originals, rebuilt };
  });

  const tile = width * o.scale + pad;
  const png = timed(`${o.id}: render pictures (image.grid + PNG)`, () => {
    const size = { width, height, scale: o.scale, padding: pad };
    const strip = new Float64Array((ks.length + 1) * d);
    strip.set(steps.data);
    strip.set(x, ks.length * d);
    const top16 = { rows: 16, cols: d, data: model.components.data.subarray(0, 16 * d) };
    const reconstruction = grid(strip, { ...size, columns: ks.length + 1, normalize: 'none' });
    return {
      mean: encodePng(grid(model.mean, { ...size, normalize: 'none' })),
      // 8 × 2 when that fits beside the mean in the page's column (digits), else 4 × 4 (faces).
      components: encodePng(grid(top16, { ...size, columns: 8 * tile + pad <= 720 ? 8 : 4, normalize: 'each' })),
      reconstructionImage: reconstruction,
      reconstruction: encodePng(reconstruction),
      originals: encodePng(grid(gallery.originals, { ...size, columns: o.gallery.length, normalize: 'none' })),
      rebuilt: encodePng(grid(gallery.rebuilt, { ...size, columns: o.gallery.length, normalize: 'none' })),
    };
  });
  const ratio = model.explainedVarianceRatio;
  const svg = varianceCurve(ratio, ks, o.noun);
  const need = (f) => firstReaching(ratio, f);
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

  const html = `
<section id="${o.id}">
<h2>${o.title}</h2>
<p>${o.about} <code>pca.fit</code> on ${train.rows} of them (${train.rows} × ${d}); solver
<code>'auto'</code> chose <code>'${model.solver}'</code>. Every ${o.noun} is the mean ${o.noun} plus a
weighted sum of the components below; its weights are its coordinates in the latent space.</p>
<div class="row">
<figure><img alt="mean ${o.noun}" src="${url(png.mean)}"><figcaption>mean ${o.noun}</figcaption></figure>
<figure><img alt="first 16 principal components" src="${url(png.components)}">
<figcaption>the first 16 components, each stretched black → white on its own (their sign is a convention)</figcaption></figure>
</div>
<h3>One ${o.noun} the model never saw, rebuilt from its first k components</h3>
${captionedTiles(png.reconstructionImage, { columns: ks.length + 1, tileWidth: width * o.scale, tileHeight: height * o.scale, padding: pad },
    [...ks.map((k, r) => `k = ${k}<br>error ${(100 * errors[r]).toFixed(0)} %`), 'original'], `one ${o.noun} rebuilt`)}
<p class="note"><code>pca.reconstruct(model, x, [${ks.join(', ')}])</code>; under each picture: k and ‖x − x̂‖ / ‖x − mean‖.</p>
<h3>More ${o.noun}s (from the training set), rebuilt from ${o.galleryK} components</h3>
<figure class="strip"><figcaption>the ${o.noun}s</figcaption><img alt="${o.gallery.length} ${o.noun}s of the training set" src="${url(png.originals)}"></figure>
<figure class="strip"><figcaption>the same, rebuilt from their first ${o.galleryK} components</figcaption><img alt="the same ${o.noun}s rebuilt from ${o.galleryK} components" src="${url(png.rebuilt)}"></figure>
<h3>Cumulative explained variance</h3>
${svg}
<p class="note">${need(0.5)} components hold 50 % of the variance, ${need(0.9)} hold 90 %, ${need(0.95)} hold 95 %
(of ${ratio.length}).</p>
</section>`;
  const summary = `${o.id}: ${model.solver} solver, ${need(0.9)} components for 90 % of the variance, ` +
    `${need(0.95)} for 95 %; reconstruction error at k = ${ks.join('/')}: ${errors.map((e) => `${(100 * e).toFixed(0)} %`).join(', ')}`;
  return {
    html, summary,
    files: {
      [`pca-${o.id}-mean.png`]: png.mean,
      [`pca-${o.id}-components.png`]: png.components,
      // A rebuilt face is nearly a photograph of one person: the shared data stays out of
      // the repository, so only the digit's reconstruction goes into docs/img.
      ...(o.id === 'faces' ? {} : { [`pca-${o.id}-reconstruction.png`]: png.reconstruction }),
      [`pca-${o.id}-variance.svg`]: `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')}\n`,
    },
  };
}

/** X without row `skip`, as a new matrix. */
function withoutRow(X, skip) {
  const d = X.cols;
  const data = new Float64Array((X.rows - 1) * d);
  data.set(X.data.subarray(0, skip * d));
  data.set(X.data.subarray((skip + 1) * d), skip * d);
  return { rows: X.rows - 1, cols: d, data };
}

/** Smallest k whose cumulative explained-variance ratio reaches f. */
function firstReaching(ratio, f) {
  let s = 0;
  for (let k = 0; k < ratio.length; k++) {
    s += ratio[k];
    if (s >= f) return k + 1;
  }
  return ratio.length;
}

/**
 * The cumulative explained-variance ratio against k (on a log axis, so that the first
 * components, which hold most of the variance, get room) as a small inline SVG: a line,
 * dots at the ks of the reconstruction, dashed guides at 90 % and 95 %.
 */
export function varianceCurve(ratio, ks, noun) {
  const W = 420, H = 220, left = 44, right = 14, top = 12, bottom = 34;
  const K = ratio.length;
  const cum = new Float64Array(K + 1);
  for (let k = 1; k <= K; k++) cum[k] = cum[k - 1] + ratio[k - 1];
  const px = (k) => left + ((W - left - right) * Math.log(k)) / Math.log(K);
  const py = (v) => top + (H - top - bottom) * (1 - v);
  const f = (v) => v.toFixed(1);
  let path = `M${f(px(1))},${f(py(cum[1]))}`;
  for (let k = 2; k <= K; k++) path += `L${f(px(k))},${f(py(cum[k]))}`;
  const xTicks = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000].filter((k) => k <= K);
  const guides = [0.9, 0.95].map((v, i) => {
    const k = firstReaching(ratio, v);
    return `<line x1="${left}" x2="${W - right}" y1="${f(py(v))}" y2="${f(py(v))}" stroke="#bbb" stroke-dasharray="3 3"/>` +
      `<text x="${left + 4}" y="${f(py(v) + (i === 0 ? 10 : -3))}" fill="#777">${v * 100} % at k = ${k}</text>`;
  }).join('');
  const dots = ks.filter((k) => k <= K).map((k) =>
    `<circle cx="${f(px(k))}" cy="${f(py(cum[k]))}" r="2.5" fill="#c0392b"><title>k = ${k}: ${(100 * cum[k]).toFixed(1)} %</title></circle>`).join('');
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="10" role="img" aria-label="cumulative explained variance of the ${noun}s">` +
    '<rect width="100%" height="100%" fill="#fff"/>' +
    `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#ccc"/>` +
    [0, 0.25, 0.5, 0.75, 1].map((v) => `<text x="${left - 4}" y="${f(py(v) + 3)}" text-anchor="end" fill="#555">${v * 100} %</text>`).join('') +
    xTicks.map((k) => `<text x="${f(px(k))}" y="${H - bottom + 13}" text-anchor="middle" fill="#555">${k}</text>`).join('') +
    `<text x="${f((left + W - right) / 2)}" y="${H - 4}" text-anchor="middle" fill="#333">components k (log scale), ${K} in all</text>` +
    guides +
    `<path d="${path}" fill="none" stroke="#2c5d8f" stroke-width="1.5"/>` + dots + '</svg>';
}
