// The t-SNE part of the demo page: a map of MNIST digits, coloured by the digit each one is
// (the labels are only used for the colours, never by t-SNE). The digits are reduced to 50
// PCA coordinates first (latentspace/pca), then mapped to 2-D with latentspace/tsne. The map
// is drawn as an inline SVG (with a legend) and as a PNG with a legend (docs/img/tsne-map.png);
// then perplexities 5, 30 and 100 side by side as PNGs (docs/img/tsne-perplexity-*.png).
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs).
import * as pca from '../../dist/pca.js';
import * as tsne from '../../dist/tsne.js';
import * as metrics from '../../dist/metrics.js';
import { encodePng } from '../png.mjs';
import { balancedDigits } from '../data.mjs';
import { withLegend } from './figures.mjs';

/** Tableau's 10 categorical colours, one per digit 0–9. */
export const DIGIT_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#7f7f7f'];

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any,
 *   perClass?: number, perplexities?: number[], seed?: number, id?: string,
 * }} TsneSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} TsneSection
 */

/**
 * Maps `perClass` digits of each class (the first ones; rows of X ordered by digit as
 * examples/data.mjs loads them; at most as many as the smallest class has) and renders the
 * section. `perplexities` defaults to [5, 30, 100]; 30 is always among them.
 * @param {TsneSectionInput} o
 * @returns {TsneSection}
 */
export function tsneSection(o) {
  const { X, firstOfClass, timed } = o;
  const smallest = Math.min(...firstOfClass.map((start, c) => (firstOfClass[c + 1] ?? X.rows) - start));
  const perClass = Math.min(o.perClass ?? 250, smallest);
  const seed = o.seed ?? 1;
  const id = o.id ?? 'tsne';
  const asked = o.perplexities ?? [5, 30, 100];
  const perplexities = [...new Set([...asked, 30])].sort((a, b) => a - b);

  // The digits: perClass of each class, class by class; their labels give the colours.
  const { labels, ...digits } = balancedDigits({ ...X, firstOfClass }, perClass);
  const n = digits.rows;
  const Z = timed(`tsne: PCA of ${n} digits to 50 coordinates`, () => {
    return pca.transform(pca.fit(digits, { nComponents: 50 }), digits);
  });

  const maps = perplexities.map((perplexity) => {
    const t0 = performance.now();
    const model = timed(`tsne: fit, ${n} × 50, perplexity ${perplexity}, 1000 iterations`, () => tsne.fit(Z, { perplexity, seed }));
    const ms = performance.now() - t0;
    const trust = timed(`tsne: trustworthiness@10 (perplexity ${perplexity})`, () => metrics.trustworthiness(Z, model.embedding, { k: 10 }));
    return { perplexity, model, ms, trust, png: encodePng(raster(model.embedding, labels, 420, 420)) };
  });
  const main = maps.find((m) => m.perplexity === 30);
  const legend = DIGIT_COLORS.map((c, k) => ({ colour: [1, 3, 5].map((j) => parseInt(c.slice(j, j + 2), 16)), text: String(k) }));
  const mapWithLegend = encodePng(withLegend(raster(main.model.embedding, labels, 420, 420), legend));
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;
  const svg = scatterSvg(main.model.embedding, labels, 560, 560);

  const html = `
<section id="${id}">
<h2>A map of the digits</h2>
<p><code>tsne.fit(Z, { perplexity: 30, seed: ${seed} })</code> places ${n.toLocaleString('en')} digits
(the first ${perClass} of each) on a plane so that digits that are near each other in their 50
PCA coordinates <code>Z</code> stay near each other. The colours are the true digits, which
t-SNE never sees. Method <code>${main.model.method}</code> (chosen by <code>'auto'</code>),
${main.model.nIter} iterations in ${(main.ms / 1000).toFixed(1)} s, KL divergence
${main.model.kl.toFixed(3)}; trustworthiness@10 ${main.trust.toFixed(4)} (1 would mean
no point's 10 nearest neighbours on the map are strangers in the data).</p>
${svg}
<h3>Perplexity: how many neighbours each point listens to</h3>
<p>The same ${n.toLocaleString('en')} digits and seed, at three perplexities (colours as above):</p>
<div class="row">
${maps.map((m) => `<figure style="width: 280px"><img alt="t-SNE map of the digits at perplexity ${m.perplexity}" src="${url(m.png)}" width="280" height="280" style="image-rendering: auto">
<figcaption>perplexity ${m.perplexity}: ${(m.ms / 1000).toFixed(1)} s, KL ${m.model.kl.toFixed(3)}, trustworthiness@10 ${m.trust.toFixed(4)}</figcaption></figure>`).join('\n')}
</div>
<p class="note">What the map shows: which digits have similar neighbours. What it does not:
the size of a cluster, the distance between two clusters, or empty space mean little (t-SNE
equalises densities and only keeps neighbourhoods), and another seed turns or mirrors the
picture.</p>
</section>`;
  const files = { [`${id}-map.png`]: mapWithLegend };
  for (const m of maps) files[`${id}-perplexity-${m.perplexity}.png`] = m.png;
  const summary = maps.map((m) => `${id}: ${n} digits, perplexity ${m.perplexity}, ${m.model.method}, ${m.ms.toFixed(0)} ms, KL ${m.model.kl.toFixed(3)}, trustworthiness@10 ${m.trust.toFixed(4)}`).join('\n');
  return { html, files, summary };
}

/** Scales an (n × 2) embedding into a box of w × h pixels (same scale on both axes, a margin of `pad`). */
function fitToBox(E, w, h, pad) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < E.rows; i++) {
    const x = E.data[2 * i], y = E.data[2 * i + 1];
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const s = Math.min((w - 2 * pad) / (x1 - x0 || 1), (h - 2 * pad) / (y1 - y0 || 1));
  const ox = (w - s * (x1 - x0)) / 2, oy = (h - s * (y1 - y0)) / 2;
  // y grows downwards on screen: flip it so the picture has the usual orientation.
  return (i) => [ox + s * (E.data[2 * i] - x0), h - (oy + s * (E.data[2 * i + 1] - y0))];
}

/** A drawing order that interleaves the digits (rows are grouped by digit), so no colour always lies on top. */
function drawOrder(n) {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (Math.imul(a, 0x9e3779b1) >>> 0) - (Math.imul(b, 0x9e3779b1) >>> 0));
}

/** The map as RGBA pixels: a disc of radius 1.8 px per point on white. */
export function raster(E, labels, w, h) {
  const rgba = new Uint8Array(w * h * 4).fill(255);
  const at = fitToBox(E, w, h, 6);
  const rgb = DIGIT_COLORS.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  const r = 1.8;
  for (const i of drawOrder(E.rows)) {
    const [cx, cy] = at(i);
    const colour = rgb[labels[i]];
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(h - 1, Math.ceil(cy + r)); y++) {
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(w - 1, Math.ceil(cx + r)); x++) {
        // Coverage of the pixel by the disc, roughly: 1 inside, fading over the last pixel.
        const a = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)));
        if (a === 0) continue;
        const p = (y * w + x) * 4;
        for (let k = 0; k < 3; k++) rgba[p + k] = Math.round(rgba[p + k] * (1 - a) + colour[k] * a);
      }
    }
  }
  return { width: w, height: h, rgba };
}

/** The map as an inline SVG: circles in the interleaved order, coloured through one class per digit, and a legend. */
function scatterSvg(E, labels, w, h) {
  const at = fitToBox(E, w, h, 8);
  const dots = drawOrder(E.rows).map((i) => {
    const [x, y] = at(i);
    return `<circle class="tsne-d${labels[i]}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2"/>`;
  });
  const style = DIGIT_COLORS.map((c, k) => `.tsne-d${k}{fill:${c}}`).join('');
  const legend = DIGIT_COLORS.map((c, k) => `<g transform="translate(${w + 10}, ${14 + 18 * k})"><circle r="5" fill="${c}"/><text x="10" y="4">${k}</text></g>`).join('');
  return `<svg width="${w + 40}" height="${h}" viewBox="0 0 ${w + 40} ${h}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="t-SNE map of the digits, coloured by digit">` +
    `<style>${style}</style><rect width="${w}" height="${h}" fill="#fff" stroke="#ddd"/>` +
    `<g fill-opacity="0.85">${dots.join('')}</g>` +
    legend + '</svg>';
}
