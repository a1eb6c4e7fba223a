// The interpolation part of the demo page:
// 1. Two pairs of 2-D Gaussians and the ellipses along the linear, Wasserstein and
//    Fisher-Rao paths between them, side by side (inline SVG): diagonal Gaussians with
//    different means, then full covariances with one mean.
// 2. A latent walk between two MNIST digits: their codes in a 32-component PCA, joined by
//    lerp and by slerp, decoded back to pictures with pca.inverseTransform.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs).
import * as interp from '../../dist/interp.js';
import * as pca from '../../dist/pca.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any,
 *   from?: number, to?: number, steps?: number, nComponents?: number,
 * }} InterpSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} InterpSection
 */

const METRICS = [
  ['linear', 'linear (parameters)'],
  ['wasserstein', 'Wasserstein-2'],
  ['fisher-rao', 'Fisher-Rao'],
];

/** The two pairs of Gaussians drawn. */
export const PAIRS = [
  {
    title: 'Diagonal Gaussians, different means',
    g0: { mean: [-2.5, 0], variance: [1.2, 0.08] },
    g1: { mean: [2.5, 0], variance: [0.08, 1.2] },
  },
  {
    title: 'Full covariances, one mean',
    g0: { mean: [0, 0], cov: rotated(2.2, 0.06, Math.PI / 5) },
    g1: { mean: [0, 0], cov: rotated(2.2, 0.06, -Math.PI / 3) },
  },
];

/**
 * Builds the section.
 * @param {InterpSectionInput} o
 * @returns {InterpSection} `files`: interp-ellipses.svg, interp-walk.png
 */
export function interpSection(o) {
  const { X, firstOfClass, timed } = o;
  const steps = o.steps ?? 9;
  const paths = timed('interp: geodesicPath, 2 pairs × 3 metrics', () => PAIRS.map((p) => ({
    ...p,
    walks: METRICS.map(([metric, label]) => ({ metric, label, gaussians: interp.geodesicPath(p.g0, p.g1, { steps: 7, metric }) })),
    w2: interp.w2Distance(p.g0, p.g1),
    fr: interp.fisherRaoDistance(p.g0, p.g1),
  })));
  const svg = ellipses(paths);

  // The latent walk: a digit `from` and a digit `to` (first picture of each class).
  const from = o.from ?? 2, to = o.to ?? 7;
  const nComponents = o.nComponents ?? 32;
  const model = timed(`interp: pca.fit, ${X.rows} × ${X.cols}, ${nComponents} components`, () => pca.fit(X, { nComponents }));
  const d = X.cols;
  const rowOf = (i) => X.data.subarray(i * d, (i + 1) * d);
  const Z = pca.transform(model, { rows: 2, cols: d, data: Float64Array.from([...rowOf(firstOfClass[from]), ...rowOf(firstOfClass[to])]) });
  const za = Z.data.subarray(0, nComponents), zb = Z.data.subarray(nComponents);
  const walks = timed(`interp: lerp and slerp walks, ${steps} steps, decoded`, () => ['linear', 'spherical'].map((method) => {
    const P = interp.path(za, zb, { steps, method });
    const norms = Array.from({ length: steps }, (_, s) => Math.hypot(...P.data.subarray(s * nComponents, (s + 1) * nComponents)));
    return { method, norms, pictures: pca.inverseTransform(model, P) };
  }));
  const both = new Float64Array(2 * steps * d);
  both.set(walks[0].pictures.data);
  both.set(walks[1].pictures.data, steps * d);
  const png = encodePng(grid({ rows: 2 * steps, cols: d, data: both }, { width: 28, height: 28, scale: 2, padding: 2, columns: steps, normalize: 'none' }));
  const mid = steps >> 1;
  const dip = walks[0].norms[mid] / ((walks[0].norms[0] + walks[0].norms[steps - 1]) / 2);
  const angle = Math.acos(dot(za, zb) / (Math.hypot(...za) * Math.hypot(...zb)));
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

  const html = `
<section id="interp">
<h2>Walks between Gaussians and between codes</h2>
<p>A VAE's encoder gives each input a Gaussian, not a point. <code>latentspace/interp</code>
walks between Gaussians along three paths: the <b>linear</b> one (means and covariances
mixed entry by entry), the <b>Wasserstein-2</b> geodesic (McCann's interpolation: the optimal
transport map applied a fraction t of the way; mass moves, shapes are carried along) and
the <b>Fisher-Rao</b> geodesic (the information geometry: a move is measured against the
spread, so a Gaussian first widens to travel cheaply and narrows on arrival). Ellipses at one
standard deviation, t = 0 (blue) to 1 (red), from <code>geodesicPath(g0, g1, { steps: 7, metric })</code>.</p>
${svg}
<p class="note">${paths.map((p) => `${p.title}: W₂ = ${p.w2.toFixed(3)}, Fisher-Rao distance = ${p.fr.toFixed(3)}`).join('; ')}.
Second row: mixing two thin covariances entry by entry swells the middle ones (the area of an
ellipse, π√det Σ, triples here); the Fisher-Rao geodesic keeps the area fixed
(det Σ_t = det Σ0^(1−t) · det Σ1^t) and rounds the ellipse as it turns; the Wasserstein-2
geodesic swells less (the area doubles) and turns the ellipse as it goes.</p>
<h3>A latent walk from a ${from} to a ${to}, lerp (top) and slerp (bottom)</h3>
<img alt="decoded walks: lerp on top, slerp below" src="${url(png)}">
<p class="note"><code>interp.path(za, zb, { steps: ${steps}, method })</code> between the codes of two digits
in a ${nComponents}-component PCA (angle ${(angle * 180 / Math.PI).toFixed(0)}° between the codes), decoded with
<code>pca.inverseTransform</code>. The straight line cuts inside: halfway its code is
${(100 * dip).toFixed(0)} % as long as the ends', so the middle pictures fade towards the mean digit;
slerp keeps the norm (it goes linearly from ‖za‖ = ${walks[1].norms[0].toFixed(2)} to ‖zb‖ = ${walks[1].norms[steps - 1].toFixed(2)}).</p>
</section>`;
  const summary = `interp: ${paths.map((p) => `${p.title}: W2 ${p.w2.toFixed(3)}, Fisher-Rao ${p.fr.toFixed(3)}`).join('; ')}; ` +
    `lerp ${from} → ${to}: midpoint norm ${(100 * dip).toFixed(0)} % of the ends'`;
  return {
    html, summary,
    files: {
      'interp-ellipses.svg': `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')}\n`,
      'interp-walk.png': png,
    },
  };
}

/** A 2 × 2 covariance with standard deviations² a (along angle θ) and b (across). */
function rotated(a, b, theta) {
  const c = Math.cos(theta), s = Math.sin(theta);
  return [[a * c * c + b * s * s, (a - b) * c * s], [(a - b) * c * s, a * s * s + b * c * c]];
}

function dot(x, y) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Mean (2) and covariance (2 × 2, as a, b, c for [[a, b], [b, c]]) of an output Gaussian. */
function parts(g) {
  if ('variance' in g) return { m: g.mean, a: g.variance[0], b: 0, c: g.variance[1] };
  return { m: g.mean, a: g.cov.data[0], b: g.cov.data[1], c: g.cov.data[3] };
}

/** One-σ ellipse of a 2-D Gaussian as an SVG element, in the coordinates of `map`. */
function ellipse(g, map, colour) {
  const { m, a, b, c } = parts(g);
  const half = (a + c) / 2, r = Math.hypot((a - c) / 2, b);
  const l1 = half + r, l2 = Math.max(half - r, 0);
  const theta = 0.5 * Math.atan2(2 * b, a - c);
  const [cx, cy] = map(m[0], m[1]);
  const f = (v) => v.toFixed(1);
  return `<ellipse cx="${f(cx)}" cy="${f(cy)}" rx="${f(Math.sqrt(l1) * map.scale)}" ry="${f(Math.sqrt(l2) * map.scale)}" ` +
    `transform="rotate(${f((-theta * 180) / Math.PI)} ${f(cx)} ${f(cy)})" fill="none" stroke="${colour}" stroke-width="1.4"/>`;
}

/** Rows of panels (one row per pair, one panel per metric) as one inline SVG. */
function ellipses(rows) {
  const W = 250, H = 190, gap = 12, top = 22, title = 20;
  const width = METRICS.length * W + (METRICS.length - 1) * gap;
  const height = rows.length * (H + top + title);
  const colour = (t) => `rgb(${Math.round(31 + t * (214 - 31))}, ${Math.round(119 - t * (119 - 39))}, ${Math.round(180 - t * (180 - 40))})`;
  let body = '';
  rows.forEach((row, r) => {
    const y0 = r * (H + top + title);
    body += `<text x="0" y="${y0 + 15}" font-size="13" font-weight="bold">${row.title}</text>`;
    // One scale for the whole row: 2.2 σ around every mean on every path.
    let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
    for (const w of row.walks) for (const g of w.gaussians) {
      const { m, a, c } = parts(g);
      xmin = Math.min(xmin, m[0] - 1.2 * Math.sqrt(a)); xmax = Math.max(xmax, m[0] + 1.2 * Math.sqrt(a));
      ymin = Math.min(ymin, m[1] - 1.2 * Math.sqrt(c)); ymax = Math.max(ymax, m[1] + 1.2 * Math.sqrt(c));
    }
    const scale = Math.min((W - 10) / (xmax - xmin), (H - 10) / (ymax - ymin));
    row.walks.forEach((w, k) => {
      const x0 = k * (W + gap), py = y0 + title + top;
      const map = (x, y) => [x0 + W / 2 + (x - (xmin + xmax) / 2) * scale, py + H / 2 - (y - (ymin + ymax) / 2) * scale];
      map.scale = scale;
      body += `<text x="${x0 + W / 2}" y="${py - 6}" font-size="12" text-anchor="middle">${w.label}</text>`;
      body += `<rect x="${x0}" y="${py}" width="${W}" height="${H}" fill="none" stroke="#ccc"/>`;
      const n = w.gaussians.length;
      body += w.gaussians.map((g, s) => ellipse(g, map, colour(s / (n - 1)))).join('');
    });
  });
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">${body}</svg>`;
}
