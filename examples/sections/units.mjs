// The unit-analysis part of the demo page (latentspace/units): a 784-100-10 ReLU classifier
// trained on the MNIST digits with latentspace/autodiff, then read from the inside:
// 1. the class profile of its 100 hidden units, by mean activation and by mean gradient
//    of the loss (David Bau's two views), as heatmaps;
// 2. six units: their top-9 digits and their rectified mean images;
// 3. is the unit basis special? selectivity of the units against 100 random rotations;
// 4. per-class accuracy after switching off the units most selective for "7";
// 5. feature visualisations of the "7" direction of the hidden layer under dot, cosine,
//    dot·cos⁴ and the orthogonal penalty, side by side (Chris Olah's comparison), and, when
//    latentspace/vae is built, of one VAE latent direction through its encoder, beside what
//    its decoder draws along that direction.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs). The pictures are
// also docs/units.md's (`node examples/demo.mjs --docs-img` writes them into docs/img/).
import * as ad from '../../dist/autodiff.js';
import * as units from '../../dist/units.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';

/** latentspace/vae when it is built (the VAE part is skipped otherwise). */
const vae = await import('../../dist/vae.js').catch(() => null);

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array | Float32Array }} Matrix
 * @typedef {{ X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any, epochs?: number }} UnitsSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} UnitsSection
 */

const SIDE = 28;
const OBJECTIVES = [
  ['dot', 'dot', (v) => units.dot(v)],
  ['cosine', 'cosine', (v) => units.cosine(v)],
  ['dotcos4', 'dot · cos⁴', (v) => units.dotCos(v, { power: 4 })],
  ['orthogonal', 'dot − ‖orthogonal part‖', (v) => units.dotOrthogonalPenalty(v, { weight: 1 })],
];

/**
 * Trains the classifier and builds the section.
 * @param {UnitsSectionInput} o
 * @returns {UnitsSection} `files`: units-profiles.png, units-top.png, units-isotropy.svg,
 *   units-ablation.svg, units-visualize.png (and units-vae.png with latentspace/vae)
 */
export function unitsSection(o) {
  const { X, firstOfClass, timed } = o;
  const epochs = o.epochs ?? 4;
  // Every fifth digit is held out (2,000, 200 per class); the classifier learns from the rest.
  const all = labelsFrom(firstOfClass, X.rows);
  const split = (keep) => subset(X, all, Array.from({ length: X.rows }, (_, i) => i).filter(keep));
  const train = split((i) => i % 5 !== 0), test = split((i) => i % 5 === 0);

  // The classifier, float32 (autodiff's default), Adam with PyTorch's defaults.
  const loss = (p, b) => ad.softmaxCrossEntropy(ad.mlp.apply(p, b.x), b.labels);
  const { params, history } = timed(`units: train 784-100-10 (ReLU) on ${train.X.rows} digits, ${epochs} epochs`, () => ad.train(
    loss, ad.mlp.init([784, 100, 10], { seed: 0 }), { x: train.X, labels: train.labels },
    { epochs, batchSize: 64, optimizer: ad.adam({ learningRate: 1e-3 }), seed: 0 },
  ));
  const logits = ad.mlp.apply(params, test.X);
  const accuracy = test.labels.filter((c, i) => argmax(logits.data.subarray(i * 10, (i + 1) * 10)) === c).length / test.X.rows;

  // 1. Class profiles of the hidden layer on the held-out digits.
  const A = timed(`units: hidden activations of the ${test.X.rows.toLocaleString('en')} held-out digits`, () => units.activations('mlp', params, test.X, { layer: 0 }));
  const P = units.classProfile(A, test.labels);
  const G = timed('units: gradientProfile (∂loss/∂hidden, class means)', () => units.gradientProfile('mlp', params, test.X, test.labels, { layer: 0 }));
  const s = units.selectivity(A, test.labels);
  // Each unit's best digit (10 for a unit that never fires: those go last).
  const best = Array.from({ length: 100 }, (_, j) => (s[j] === 0 ? 10 : argmax(Array.from({ length: 10 }, (_, c) => P.data[c * 100 + j]))));
  const order = Array.from({ length: 100 }, (_, j) => j).sort((a, b) => best[a] - best[b] || s[b] - s[a]);
  const profiles = encodePng(grid({ rows: 2, cols: 1000, data: new Float64Array([...heat(P, order, 'activation'), ...heat(G, order, 'gradient')]) },
    { width: 100, height: 10, columns: 1, scale: 6, padding: 6, normalize: 'none', colormap: 'viridis' }));
  const dead = best.filter((c) => c === 10).length;
  // Units whose most helped digit (by gradient) is the digit they fire most for.
  const agree = order.filter((j) => best[j] < 10 && argmax(Array.from({ length: 10 }, (_, c) => -G.data[c * 100 + j])) === best[j]).length;

  // 2. Six units (the most selective one of each of six classes): top-9 digits and rectified mean.
  const six = Array.from({ length: 10 }, (_, c) => order.find((j) => best[j] === c))
    .filter((j) => j !== undefined).sort((a, b) => s[b] - s[a]).slice(0, 6);
  const tiles = new Float64Array(six.length * 10 * 784);
  six.forEach((j, r) => {
    units.topActivating(A, j, 9).forEach((i, t) => tiles.set(test.X.data.subarray(i * 784, (i + 1) * 784), (r * 10 + t) * 784));
    tiles.set(units.rectifiedMean(A, test.X, j), (r * 10 + 9) * 784);
  });
  const top = encodePng(grid({ rows: six.length * 10, cols: 784, data: tiles }, { width: SIDE, height: SIDE, columns: 10, scale: 2, padding: 2, normalize: 'each' }));

  // 3. The unit basis against random rotations of the hidden space.
  const iso = timed('units: isotropy, 100 random rotations of the 100-unit layer', () => units.isotropy(A, test.labels, { rotations: 100, seed: 0 }));
  const isoSvg = histogramSvg(iso);

  // 4. Switch off the units most selective for 7 (those whose best class is 7, by selectivity).
  const sevens = order.filter((j) => best[j] === 7).sort((a, b) => s[b] - s[a]);
  const ablations = [3, sevens.length].filter((k, i, a) => k > 0 && a.indexOf(k) === i).map((k) => ({
    k, units: sevens.slice(0, k), result: units.ablate('mlp', params, test.X, test.labels, { units: sevens.slice(0, k) }),
  }));
  const ablationSvg = ablationBars(ablations);

  // 5. Feature visualisation of the "7" direction of the hidden layer: mean code of the 7s
  //    minus the mean code of all digits.
  const mean = (rows) => Array.from({ length: 100 }, (_, j) => rows.reduce((acc, i) => acc + A.data[i * 100 + j], 0) / rows.length);
  const everyone = Array.from({ length: A.rows }, (_, i) => i);
  const muAll = mean(everyone), mu7 = mean(everyone.filter((i) => test.labels[i] === 7));
  const v = mu7.map((x, j) => x - muAll[j]);
  const vis = OBJECTIVES.map(([id, label, make]) => {
    const r = timed(`units: visualize the 7 direction, ${label}, 3 starts × 256 steps`, () => units.visualize('mlp', params, make(v), {
      layer: 0, steps: 256, learningRate: 0.05, clamp: [0, 1], jitter: 1, inputShape: [SIDE, SIDE], l1: 1e-4, init: 3, seed: 1,
    }));
    return { id, label, ...r, ...codeStats(params, r.input, v) };
  });
  const visTiles = new Float64Array(3 * OBJECTIVES.length * 784);
  for (let start = 0; start < 3; start++) vis.forEach((r, k) => visTiles.set(r.input.data.subarray(start * 784, (start + 1) * 784), (start * OBJECTIVES.length + k) * 784));
  const visPng = encodePng(grid({ rows: 3 * OBJECTIVES.length, cols: 784, data: visTiles }, { width: SIDE, height: SIDE, columns: OBJECTIVES.length, scale: 3, padding: 3, normalize: 'none' }));
  const seven = codeStats(params, subset(test.X, test.labels, everyone.filter((i) => test.labels[i] === 7)).X, v);

  const vaePart = vae === null ? null : vaeVisualization(train.X, timed);

  const files = {
    'units-profiles.png': profiles, 'units-top.png': top, 'units-visualize.png': visPng,
    'units-isotropy.svg': standalone(isoSvg), 'units-ablation.svg': standalone(ablationSvg),
    ...(vaePart === null ? {} : { 'units-vae.png': vaePart.png }),
  };
  const url = (name) => `data:image/png;base64,${files[name].toString('base64')}`;
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const html = `
<section id="units">
<h2>Reading a classifier's units</h2>
<p>A 784-100-10 ReLU network trained with <code>latentspace/autodiff</code> (${epochs} epochs of Adam on
${train.X.rows} digits; loss ${history[history.length - 1].toFixed(3)}; ${pct(accuracy)} right on the ${test.X.rows} held-out
digits), read with <code>latentspace/units</code> on the held-out digits.</p>
<h3>Class profiles: by activation (top) and by gradient (bottom)</h3>
<img alt="class-profile heatmaps" src="${url('units-profiles.png')}">
<p class="note">Rows: digits 0 (top) to 9; columns: the 100 hidden units, grouped by the digit they fire
most for, most selective first. Top: <code>classProfile</code>, each unit's mean activation per digit
(scaled to its largest). Bottom: <code>gradientProfile</code>, the mean of ∂loss/∂activation per
digit where it is negative (scaled to its largest magnitude; bright: raising the unit lowers that
digit's loss; dark: it does not help that digit). Dead units come last. For ${agree} of the
${100 - dead} live units the digit whose loss the unit lowers most is the digit it fires most for: the
gradient is dominated by the digits the network still confuses. Mean selectivity ${iso.meanUnits.toFixed(2)}; ${dead} dead unit${dead === 1 ? '' : 's'}.</p>
<h3>Six units: the nine digits that fire them most, and their rectified mean</h3>
<img alt="top-9 digits and rectified means of six units" src="${url('units-top.png')}">
<p class="note">One row per unit (${six.map((j) => `unit ${j}: best digit ${best[j]}, selectivity ${s[j].toFixed(2)}`).join('; ')}).
Last column: <code>rectifiedMean</code>, the digits averaged with weights equal to the unit's
activation (silent inputs count as zero).</p>
<h3>Is the unit basis special?</h3>
${isoSvg}
<p class="note"><code>isotropy(A, labels, { rotations: 100 })</code>: the selectivity of the 100 units against that
of the directions of 100 random orthogonal bases of the same space. The units' mean is
${iso.meanUnits.toFixed(3)}; the random bases' means range from ${Math.min(...iso.meanRotated).toFixed(3)} to
${Math.max(...iso.meanRotated).toFixed(3)}; a fraction ${iso.fraction.toFixed(2)} of them reaches the units'.${iso.fraction < 0.05
    ? ' The ReLU acts unit by unit, so the unit basis is where the code is sparse: a random rotation mixes the classes.'
    : ' Here the unit basis is not special.'}</p>
<h3>Switching off the units most selective for 7</h3>
${ablationSvg}
<p class="note">Per-digit accuracy before (grey) and after <code>ablate</code>: ${ablations.map((a) => `the ${a.k} most 7-selective units (${a.units.join(', ')}): 7s ${pct(a.result.before[7])} → ${pct(a.result.after[7])}, all digits ${pct(a.result.overallBefore)} → ${pct(a.result.overallAfter)}`).join('; ')}.</p>
<h3>One direction, four objectives</h3>
<table class="ks"><tr>${vis.map((r) => `<td style="width:${SIDE * 3 + 3}px">${r.label}</td>`).join('')}</tr></table>
<img alt="feature visualisations of the 7 direction" src="${url('units-visualize.png')}">
<p class="note"><code>visualize('mlp', params, objective, { layer: 0, clamp: [0, 1], jitter: 1, l1: 1e-4 })</code>, three
random starts each, for v = (mean hidden code of the 7s) − (mean code of all digits). Of the codes found:
${vis.map((r) => `${r.label}: cos(h, v) ${r.cos.toFixed(2)}, ‖h‖ ${r.norm.toFixed(1)}, P(7) ${r.p7.toFixed(2)}`).join('; ')}
(a real 7: cos ${seven.cos.toFixed(2)}, ‖h‖ ${seven.norm.toFixed(1)}). The dot product grows the code
wherever the layer lets it; the cosine keeps the direction but not the strength; dot · cos⁴ asks for
both.${vis[3].norm < 0.2 * vis[0].norm ? ' At weight 1 the orthogonal penalty outweighs what the projection can gain and shrinks the code towards 0.' : ''}</p>
${vaePart === null ? '<p class="note">(The VAE part appears when <code>latentspace/vae</code> is built.)</p>' : vaePart.html(url('units-vae.png'))}
</section>`;
  const summary = `units: classifier ${pct(accuracy)} held-out; mean selectivity ${iso.meanUnits.toFixed(3)} vs rotations ` +
    `${Math.min(...iso.meanRotated).toFixed(3)}–${Math.max(...iso.meanRotated).toFixed(3)} (fraction ${iso.fraction}); ` +
    `ablating ${ablations.map((a) => `${a.k} 7-units: 7s ${pct(a.result.before[7])} → ${pct(a.result.after[7])}`).join(', ')}; ` +
    `cos(h, v): ${vis.map((r) => `${r.id} ${r.cos.toFixed(2)}`).join(', ')}`;
  return { html, summary, files };
}

/** Labels of the digits, class by class (the package orders them so). */
function labelsFrom(firstOfClass, n) {
  const labels = new Int32Array(n);
  firstOfClass.forEach((start, c) => labels.fill(c, start, c + 1 < firstOfClass.length ? firstOfClass[c + 1] : n));
  return labels;
}

/** Rows `rows` of X (float32, as the classifier computes) and their labels. */
function subset(X, labels, rows) {
  const data = new Float32Array(rows.length * X.cols);
  rows.forEach((i, r) => data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  return { X: { rows: rows.length, cols: X.cols, data }, labels: Int32Array.from(rows, (i) => labels[i]) };
}

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** A (10 × 100) profile as a picture row in [0, 1], units in `order`, each unit scaled on its own. */
function heat(M, order, kind) {
  const out = new Float64Array(10 * 100);
  order.forEach((j, col) => {
    const column = Array.from({ length: 10 }, (_, c) => M.data[c * 100 + j]);
    const scale = Math.max(...column.map(Math.abs)) || 1;
    // Gradients: only −∂loss/∂h > 0 is drawn (the digits the unit helps), 0 elsewhere.
    column.forEach((x, c) => { out[c * 100 + col] = kind === 'activation' ? x / scale : Math.max(0, -x) / scale; });
  });
  return out;
}

/** Mean cos(h, v), mean ‖h‖ and mean P(7) of the hidden codes of inputs X. */
function codeStats(params, X, v) {
  const [h, logits] = ad.mlp.activations(params, X);
  let cos = 0, norm = 0, p7 = 0;
  const nv = Math.hypot(...v);
  for (let i = 0; i < X.rows; i++) {
    const row = h.data.subarray(i * 100, (i + 1) * 100);
    const n = Math.hypot(...row);
    cos += n === 0 ? 0 : row.reduce((acc, x, j) => acc + x * v[j], 0) / (n * nv);
    norm += n;
    const z = logits.data.subarray(i * 10, (i + 1) * 10), m = Math.max(...z);
    p7 += Math.exp(z[7] - m) / z.reduce((acc, x) => acc + Math.exp(x - m), 0);
  }
  return { cos: cos / X.rows, norm: norm / X.rows, p7: p7 / X.rows };
}

/** Densities of the units' selectivities and of the random directions', with the means marked. */
function histogramSvg(iso) {
  const W = 560, H = 200, left = 40, bottom = 30, bins = 25;
  const density = (values) => {
    const counts = new Array(bins).fill(0);
    for (const x of values) counts[Math.min(bins - 1, Math.floor(x * bins))]++;
    return counts.map((c) => (c / values.length) * bins);
  };
  const unitsD = density(iso.units), rotatedD = density(iso.rotated.data);
  const top = Math.max(...unitsD, ...rotatedD);
  const x = (t) => left + t * (W - left - 10), y = (d) => H - bottom - (d / top) * (H - bottom - 20);
  const bars = (d, colour, offset) => d.map((h, b) => `<rect x="${(x(b / bins) + offset).toFixed(1)}" y="${y(h).toFixed(1)}" width="${((W - left - 10) / bins / 2 - 1).toFixed(1)}" height="${(H - bottom - y(h)).toFixed(1)}" fill="${colour}"/>`).join('');
  const half = (W - left - 10) / bins / 2;
  const marker = (t, colour) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="14" y2="${H - bottom}" stroke="${colour}" stroke-dasharray="4 3"/>`;
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => `<text x="${x(t).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle">${t}</text>`).join('');
  const rotatedMean = iso.meanRotated.reduce((a, b) => a + b, 0) / iso.meanRotated.length;
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="selectivity of units and of random directions">` +
    `<line x1="${left}" x2="${W - 10}" y1="${H - bottom}" y2="${H - bottom}" stroke="#444"/>` + ticks +
    `<text x="${(W + left) / 2}" y="${H - 3}" text-anchor="middle">class selectivity</text>` +
    bars(rotatedD, '#9aa7b8', 0) + bars(unitsD, '#e15759', half) +
    marker(rotatedMean, '#4e6a8f') + marker(iso.meanUnits, '#b8292b') +
    `<rect x="${W - 190}" y="8" width="10" height="10" fill="#e15759"/><text x="${W - 175}" y="17">the 100 units</text>` +
    `<rect x="${W - 190}" y="24" width="10" height="10" fill="#9aa7b8"/><text x="${W - 175}" y="33">directions of 100 random bases</text>` +
    '</svg>';
}

/** Per-digit accuracy before (grey) and after each ablation (one colour each), legend on top. */
function ablationBars(ablations) {
  const legend = ['as trained', ...ablations.map((a) => `without the ${a.k} most 7-selective units`)];
  const W = 560, top = 14 * legend.length + 10, H = top + 170, left = 36, bottom = 26, group = (W - left - 10) / 10;
  const colours = ['#bab0ac', '#f28e2b', '#e15759'];
  const series = [ablations[0].result.before, ...ablations.map((a) => a.result.after)];
  const width = (group - 6) / series.length;
  const y = (a) => H - bottom - a * (H - bottom - top);
  let body = `<line x1="${left}" x2="${W - 10}" y1="${H - bottom}" y2="${H - bottom}" stroke="#444"/>`;
  for (const t of [0, 0.5, 1]) body += `<text x="${left - 4}" y="${y(t) + 4}" text-anchor="end">${t * 100} %</text><line x1="${left}" x2="${W - 10}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`;
  for (let c = 0; c < 10; c++) {
    series.forEach((acc, k) => {
      body += `<rect x="${(left + c * group + 3 + k * width).toFixed(1)}" y="${y(acc[c]).toFixed(1)}" width="${(width - 1).toFixed(1)}" height="${(H - bottom - y(acc[c])).toFixed(1)}" fill="${colours[k % 3]}"/>`;
    });
    body += `<text x="${(left + (c + 0.5) * group).toFixed(1)}" y="${H - bottom + 15}" text-anchor="middle">${c}</text>`;
  }
  legend.forEach((label, k) => {
    body += `<rect x="${left + 8}" y="${2 + 14 * k}" width="10" height="10" fill="${colours[k % 3]}"/><text x="${left + 22}" y="${11 + 14 * k}">${label}</text>`;
  });
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="per-digit accuracy before and after ablation">${body}</svg>`;
}

function standalone(svg) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')}\n`;
}

/**
 * A small VAE of the training digits; its most used latent axis (largest variance of the
 * posterior means) visualised through the encoder under the four objectives, beside the
 * decoder's pictures along that axis.
 */
function vaeVisualization(X, timed) {
  const model = timed(`units: vae.fit, latent 8, hidden [128], 4 epochs on ${X.rows} digits`, () => vae.fit(X, { latent: 8, hidden: [128], epochs: 4, learningRate: 3e-3, seed: 0 }));
  const mu = vae.encode(model, X).mean;
  const L = mu.cols;
  const variance = Array.from({ length: L }, (_, k) => {
    let s = 0, q = 0;
    for (let i = 0; i < mu.rows; i++) { s += mu.data[i * L + k]; q += mu.data[i * L + k] ** 2; }
    return q / mu.rows - (s / mu.rows) ** 2;
  });
  const axis = argmax(variance);
  const v = Array.from({ length: L }, (_, k) => (k === axis ? 1 : 0));
  // The encoder as a Net: its hidden layers, then the posterior mean.
  const encoder = (w, x, call) => {
    const hook = call.intervene ?? ((_i, h) => h);
    const out = [];
    let h = x;
    w.encoder.forEach((layer, i) => { h = hook(i, ad.dense.apply(layer, h, 'relu')); out.push(h); });
    out.push(hook(w.encoder.length, ad.dense.apply(w.mean, h)));
    return out;
  };
  const found = OBJECTIVES.map(([, label, make]) => ({ label, input: timed(`units: visualize VAE latent ${axis}, ${label}`, () => units.visualize(encoder, model.weights, make(v), {
    layer: -1, steps: 200, learningRate: 0.05, clamp: [0, 1], jitter: 1, inputShape: [SIDE, SIDE], l1: 1e-4, seed: 2,
  })).input }));
  const sd = Math.sqrt(variance[axis]);
  const steps = [-2, -1, 0, 1, 2].map((t) => t * sd);
  const Z = new Float64Array(steps.length * L);
  steps.forEach((t, r) => { Z[r * L + axis] = t; });
  const decoded = vae.decode(model, { rows: steps.length, cols: L, data: Z });
  const tiles = new Float64Array((OBJECTIVES.length + steps.length) * 784);
  found.forEach((f, k) => tiles.set(f.input.data, k * 784));
  tiles.set(decoded.data, OBJECTIVES.length * 784);
  const png = encodePng(grid({ rows: OBJECTIVES.length + steps.length, cols: 784, data: tiles }, { width: SIDE, height: SIDE, columns: OBJECTIVES.length + steps.length, scale: 3, padding: 3, normalize: 'each' }));
  return {
    png,
    html: (src) => `<h3>A VAE latent direction</h3>
<img alt="a VAE latent direction: visualised through the encoder, decoded" src="${src}">
<p class="note">A small VAE (<code>vae.fit</code>, latent 8, hidden [128], 4 epochs on ${X.rows} digits). Its most used latent
axis (${axis}) as an objective on the encoder's posterior mean: first four pictures, ${found.map((f) => f.label).join(', ')};
last five: the decoder's pictures at −2σ … 2σ along that axis (the other coordinates 0).</p>`,
  };
}
