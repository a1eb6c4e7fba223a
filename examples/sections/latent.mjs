// The latent-arithmetic part of the demo page (latentspace/latent), on PCA codes (a codec
// hook takes a VAE's encoder and decoder once latentspace/vae exists):
// 1. Pixel average vs latent average (Akten): three digits, their pixel mean, their decoded
//    mean code, and the real digit nearest to the mean code.
// 2. Attribute arithmetic on synthetic shapes (HiddenDimensions): 28 × 28 colour pictures of
//    {square, circle, triangle} × {red, green, blue}; red square − red circle + blue circle
//    should land on blue squares: the accuracy over every such analogy.
// 3. A stroke-thickness vector (thick minus thin digits by ink mass) added in steps.
// 4. Few-shot labels: 'nearest', 'cluster' and 'spread' with 1, 5 and 10 labels per class.
// 5. A valley path vs the straight line between two digits on a SOM of their codes.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs). The pictures are
// also docs/latent.md's (latent-….png, latent-fewshot.svg).
import * as latent from '../../dist/latent.js';
import * as pca from '../../dist/pca.js';
import * as som from '../../dist/som.js';
import * as interp from '../../dist/interp.js';
import { Random } from '../../dist/core.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';
import { colourScale, extent } from './figures.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{ name: string, encode: (X: Matrix) => Matrix, decode: (Z: Matrix) => Matrix }} Codec
 * @typedef {{
 *   X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any,
 *   nComponents?: number, codec?: Codec, seeds?: number,
 * }} LatentSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} LatentSection
 */

const SHAPES = ['square', 'circle', 'triangle'];
const COLOURS = [['red', [0.9, 0.15, 0.1]], ['green', [0.15, 0.75, 0.2]], ['blue', [0.15, 0.3, 0.95]]];
const PER_TYPE = 40;
// Size and placement of a shape vary by these (pixels): enough that no two pictures are
// alike, little enough that the arithmetic has something to find.
const JITTER = { radius: [7, 9], shift: 1.5 };

/**
 * Builds the section.
 * @param {LatentSectionInput} o
 * @returns {LatentSection} `files`: latent-average.png, latent-shapes.png, latent-thickness.png,
 *   latent-fewshot.svg, latent-valley.png, latent-valley-map.png
 */
export function latentSection(o) {
  const { X, firstOfClass, timed } = o;
  const nComponents = o.nComponents ?? 50;
  const truth = Int32Array.from({ length: X.rows }, (_, i) => firstOfClass.findLastIndex((s) => s <= i));
  const codec = o.codec ?? timed(`latent: pca.fit, ${X.rows} × ${X.cols}, ${nComponents} components`, () => pcaCodec(X, nComponents));
  const Z = timed(`latent: encode the ${X.rows} digits (${codec.name})`, () => codec.encode(X));
  const files = {};
  const png = (name, img) => {
    files[`latent-${name}.png`] = encodePng(img);
    return `data:image/png;base64,${files[`latent-${name}.png`].toString('base64')}`;
  };
  const digitsPicture = (M, columns) => grid(clamp01(M), { width: 28, height: 28, scale: 2, padding: 2, columns, normalize: 'none' });

  // 1. Pixel average vs latent average.
  const trio = [firstOfClass[2] + 3, firstOfClass[2] + 17, firstOfClass[2] + 40];
  const average = timed('latent: pixel and latent averages of three digits', () => {
    const pixels = rows(X, trio);
    const codes = rows(Z, trio);
    const pixelMean = meanRow(pixels);
    const codeMean = meanRow(codes);
    const decoded = codec.decode(codeMean);
    const { indices } = latent.nearest(Z, codeMean.data, { k: 1, exclude: [trio] });
    return { pixels, pixelMean, decoded, nearestRow: indices[0] };
  });
  const averageUrl = png('average', digitsPicture(stack([average.pixels, average.pixelMean, average.decoded, rows(X, [average.nearestRow])]), 6));

  // 2. Shapes and their analogies.
  const shapes = timed(`latent: ${SHAPES.length * COLOURS.length * PER_TYPE} synthetic shapes`, () => shapeSet(PER_TYPE, 7));
  const analogies = timed('latent: shape analogies (pixels, PCA-10, PCA-30)', () => shapeAnalogies(shapes));
  const shapesUrl = png('shapes', rgbTiles(analogies.examples, 4, 3));

  // 3. A thickness vector.
  const thick = timed('latent: thickness vector (thick minus thin by ink mass), shifted and decoded', () => thickness(X, Z, truth, firstOfClass, codec));
  const thickUrl = png('thickness', digitsPicture(thick.pictures, thick.amounts.length));

  // 4. Few-shot labels.
  const seeds = o.seeds ?? 2;
  const fewShot = timed(`latent: fewShot nearest/cluster/spread, 1/5/10 labels per class, ${seeds} draws`, () => fewShotCurves(Z, truth, firstOfClass, seeds));
  const svg = fewShotPlot(fewShot);
  files['latent-fewshot.svg'] = `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ')}\n`;

  // 5. Valley path vs straight line.
  const valley = timed('latent: SOM 16 × 16 of the codes, valley path vs straight line', () => valleyWalk(Z, firstOfClass, codec));
  const valleyUrl = png('valley', digitsPicture(stack([valley.line, valley.path]), valley.steps));
  const mapUrl = png('valley-map', valley.map);

  const pct = (v) => `${(100 * v).toFixed(1)} %`;
  const html = `
<section id="latent">
<h2>Arithmetic in the latent space</h2>
<p><code>latentspace/latent</code> on ${codec.name} codes of the digits (a VAE's codes once
<code>latentspace/vae</code> exists: the section takes any encoder and decoder).</p>
<h3>Pixel average, latent average</h3>
<img alt="three digits, their pixel mean, their decoded mean code, the digit nearest that code" src="${averageUrl}">
<p class="note">Three 2s, then the mean of their pixels (a blur), the decoded mean of their codes and the
real digit nearest to the mean code (<code>nearest(Z, mean, { exclude: [the three] })</code>). With PCA
the decoder is linear, so the decoded mean <i>is</i> the pixel mean seen through ${nComponents}
components: Akten's point, that a latent average is a sharp digit, needs a non-linear decoder. The
nearest real digit is what this space calls the average.</p>
<h3>Attribute arithmetic on shapes</h3>
<img alt="analogies on coloured shapes: a, b, c and the answer" src="${shapesUrl}">
<p class="note">${shapes.rows} pictures (${PER_TYPE} of each shape × colour, sizes and places drawn from a seed).
Each row: <i>a</i>, <i>b</i>, <i>c</i> and the answer of <code>analogy(E, a, b, c, { metric: 'euclidean' })</code>
in PCA-10 codes, first red circle : red square :: blue circle : ?, then three other pairs of shapes and colours.
Over ${analogies.count} analogies (every ordered pair of shapes and of colours, ${analogies.perType} random triples each),
the share whose answer has <i>b</i>'s shape in <i>c</i>'s colour:</p>
<table><tr><th>space</th><th>3CosAdd, euclidean</th><th>3CosAdd, cosine</th><th>3CosMul</th></tr>
${analogies.table.map((r) => `<tr><td>${r.space}</td>${r.accuracy.map((a) => `<td class="ms">${pct(a)}</td>`).join('')}</tr>`).join('\n')}
</table>
<h3>A stroke-thickness vector</h3>
<img alt="digits made thinner and thicker along the thickness vector" src="${thickUrl}">
<p class="note"><code>attributeVector(thick, thin)</code>: the codes of each digit's quarter with the most ink
minus those of its quarter with the least (${thick.counts[0]} and ${thick.counts[1]} digits), then
<code>shift(z, v, amount)</code> for amounts ${thick.amounts.join(', ')}, decoded.</p>
<h3>Few-shot labels</h3>
${svg}
<p class="note">Accuracy on all ${X.rows.toLocaleString('en')} digits of <code>fewShot(Z, landmarks, labels, { method })</code>
from 1, 5 and 10 labelled digits per class (mean of ${seeds} random draws): <code>'nearest'</code> (the nearest
landmark), <code>'cluster'</code> (k-means with 10 clusters per class, labelled by their landmarks) and
<code>'spread'</code> (label spreading over the 7-nearest-neighbour graph, scikit-learn's algorithm).
${fewShot.rows.map((r) => `${r.method}: ${r.accuracy.map(pct).join(' / ')}`).join('; ')}.</p>
<h3>Valley path vs straight line</h3>
<img alt="straight line (top) and valley path (bottom) from a ${valley.from} to a ${valley.to}" src="${valleyUrl}">
<img alt="the U-matrix with the valley path and the straight line's best-matching units" src="${mapUrl}">
<p class="note">From a ${valley.from} to a ${valley.to}. Top: the straight line between their codes
(<code>interp.path</code>, ${valley.steps} steps). Bottom: <code>valleyPath(model, za, zb)</code> on a 16 × 16 hexagonal SOM
of the codes, the shortest walk over the map where a step costs the distance between neighbouring units
(the U-matrix's cells). The largest distance from a code of the walk to the nearest real digit's code:
${valley.offData[0].toFixed(2)} on the straight line, ${valley.offData[1].toFixed(2)} on the valley path.
Map: U-matrix (bright ridges), valley path units white (left), straight line's best-matching units white (right).</p>
${colourScale(...valley.uRange, 'U-matrix: mean distance between neighbouring units\' codes')}
</section>`;
  const summary = `latent: shapes analogy accuracy (PCA-10, euclidean) ${pct(analogies.table[1].accuracy[0])}; ` +
    `few-shot at 1/5/10 per class ${fewShot.rows.map((r) => `${r.method} ${r.accuracy.map(pct).join('/')}`).join(', ')}; ` +
    `off-data distance line ${valley.offData[0].toFixed(2)} vs valley ${valley.offData[1].toFixed(2)}`;
  return { html, files, summary };
}

/** PCA as a codec. */
function pcaCodec(X, nComponents) {
  const model = pca.fit(X, { nComponents });
  return { name: `PCA-${nComponents}`, encode: (M) => pca.transform(model, M), decode: (M) => pca.inverseTransform(model, M) };
}

/** Rows `which` of a matrix. */
function rows(M, which) {
  const out = new Float64Array(which.length * M.cols);
  which.forEach((i, r) => out.set(M.data.subarray(i * M.cols, (i + 1) * M.cols), r * M.cols));
  return { rows: which.length, cols: M.cols, data: out };
}

/** The matrices one under the other. */
function stack(list) {
  const cols = list[0].cols;
  const data = new Float64Array(list.reduce((s, m) => s + m.rows, 0) * cols);
  let at = 0;
  for (const m of list) {
    data.set(m.data, at);
    at += m.data.length;
  }
  return { rows: data.length / cols, cols, data };
}

/** The mean row, as a 1-row matrix. */
function meanRow(M) {
  const out = new Float64Array(M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) out[j] += M.data[i * M.cols + j] / M.rows;
  return { rows: 1, cols: M.cols, data: out };
}

/** Values clamped to [0, 1] for drawing (decoded pictures overshoot a little). */
function clamp01(M) {
  return { ...M, data: M.data.map((v) => Math.min(1, Math.max(0, v))) };
}

/** 28 × 28 × 3 pictures (values in [0, 1], pixel-major) of every shape in every colour. */
export function shapeSet(perType, seed, jitter = JITTER) {
  const rng = new Random(seed);
  const size = 28, d = size * size * 3;
  const types = [];
  for (let s = 0; s < SHAPES.length; s++) for (let c = 0; c < COLOURS.length; c++) types.push([s, c]);
  const data = new Float64Array(types.length * perType * d);
  const shape = new Int32Array(types.length * perType), colour = new Int32Array(types.length * perType);
  let row = 0;
  for (const [s, c] of types) {
    for (let t = 0; t < perType; t++, row++) {
      shape[row] = s;
      colour[row] = c;
      const r = rng.uniform(jitter.radius[0], jitter.radius[1]), cx = 14 + rng.uniform(-jitter.shift, jitter.shift), cy = 14 + rng.uniform(-jitter.shift, jitter.shift);
      const tint = COLOURS[c][1].map((v) => Math.min(1, Math.max(0, v + rng.uniform(-0.05, 0.05))));
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
          const inside = s === 0 ? Math.abs(dx) <= 0.85 * r && Math.abs(dy) <= 0.85 * r
            : s === 1 ? dx * dx + dy * dy <= r * r
              : dy >= -r && dy <= 0.7 * r && Math.abs(dx) <= ((dy + r) / (1.7 * r)) * r;
          if (!inside) continue;
          for (let k = 0; k < 3; k++) data[row * d + (y * size + x) * 3 + k] = tint[k];
        }
      }
    }
  }
  return { rows: row, cols: d, data, shape, colour };
}

/** Every (b's shape, a's shape, a's colour, c's colour) analogy, a few random triples of each. */
export function shapeAnalogies(set) {
  const perType = 12;
  const rng = new Random(3);
  const of = (s, c) => Array.from({ length: set.rows }, (_, i) => i).filter((i) => set.shape[i] === s && set.colour[i] === c);
  const A = [], B = [], C = [], wantShape = [], wantColour = [];
  for (let s1 = 0; s1 < 3; s1++) for (let s2 = 0; s2 < 3; s2++) for (let c1 = 0; c1 < 3; c1++) for (let c2 = 0; c2 < 3; c2++) {
    if (s1 === s2 || c1 === c2) continue;
    for (let t = 0; t < perType; t++) {
      const pick = (list) => list[rng.int(list.length)];
      A.push(pick(of(s2, c1)));
      B.push(pick(of(s1, c1)));
      C.push(pick(of(s2, c2)));
      wantShape.push(s1);
      wantColour.push(c2);
    }
  }
  const accuracy = (E, options) => {
    const { indices } = latent.analogy(E, A, B, C, options);
    return wantShape.filter((s, q) => set.shape[indices[q]] === s && set.colour[indices[q]] === wantColour[q]).length / A.length;
  };
  const spaces = [['pixels', set]];
  for (const nc of [10, 30]) {
    const model = pca.fit(set, { nComponents: nc });
    spaces.push([`PCA-${nc}`, pca.transform(model, set)]);
  }
  const table = spaces.map(([space, E]) => ({
    space,
    accuracy: [{ metric: 'euclidean' }, { metric: 'cosine' }, { method: 'mul' }].map((opts) => accuracy(E, opts)),
  }));
  // The picture, one analogy per row as [b's shape, a's shape, a's colour, c's colour]
  // (square 0, circle 1, triangle 2; red 0, green 1, blue 2): red square − red circle +
  // blue circle first, then three more, answered in PCA-10 codes.
  const E = spaces[1][1];
  const shown = [[0, 1, 0, 2], [2, 0, 1, 0], [1, 2, 2, 1], [0, 2, 1, 2]].map(([s1, s2, c1, c2]) => {
    const a = of(s2, c1)[0], b = of(s1, c1)[0], c = of(s2, c2)[0];
    return [a, b, c, latent.analogy(E, a, b, c, { metric: 'euclidean' }).indices[0]];
  });
  return { table, count: A.length, perType, examples: rows(set, shown.flat()) };
}

/** Colour pictures (28 × 28 × 3 rows) tiled `columns` to a row, each pixel `scale` × `scale`. */
function rgbTiles(M, columns, scale) {
  const size = 28, pad = 2, tile = size * scale + pad;
  const count = M.rows, lines = Math.ceil(count / columns);
  const width = columns * tile + pad, height = lines * tile + pad;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let t = 0; t < count; t++) {
    const ox = pad + (t % columns) * tile, oy = pad + Math.floor(t / columns) * tile;
    for (let y = 0; y < size * scale; y++) {
      for (let x = 0; x < size * scale; x++) {
        const src = t * M.cols + (Math.floor(y / scale) * size + Math.floor(x / scale)) * 3;
        const dst = ((oy + y) * width + ox + x) * 4;
        for (let k = 0; k < 3; k++) rgba[dst + k] = Math.round(255 * M.data[src + k]);
      }
    }
  }
  return { width, height, rgba };
}

/** Thick minus thin (the quarters of each digit with the most and the least ink), in steps. */
function thickness(X, Z, truth, firstOfClass, codec) {
  const ink = Float64Array.from({ length: X.rows }, (_, i) => X.data.subarray(i * X.cols, (i + 1) * X.cols).reduce((s, v) => s + v, 0));
  const thick = [], thin = [];
  for (let digit = 0; digit < 10; digit++) {
    const members = Array.from(truth.keys()).filter((i) => truth[i] === digit).sort((a, b) => ink[a] - ink[b]);
    const q = Math.floor(members.length / 4);
    thin.push(...members.slice(0, q));
    thick.push(...members.slice(members.length - q));
  }
  const v = latent.attributeVector(rows(Z, thick), rows(Z, thin));
  const amounts = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5];
  const samples = [0, 2, 3, 4, 7].map((digit) => firstOfClass[digit] + 5);
  const shifted = samples.map((i) => latent.shift(rows(Z, Array(amounts.length).fill(i)), v, amounts));
  return { pictures: codec.decode(stack(shifted)), amounts, counts: [thick.length, thin.length] };
}

/** Accuracy of the three methods with 1, 5 and 10 labels per class, averaged over draws. */
function fewShotCurves(Z, truth, firstOfClass, seeds) {
  const perClass = [1, 5, 10];
  const methods = ['nearest', 'cluster', 'spread'];
  const sums = methods.map(() => perClass.map(() => 0));
  for (let seed = 0; seed < seeds; seed++) {
    const rng = new Random(100 + seed);
    for (const [p, m] of perClass.entries()) {
      const landmarks = [];
      firstOfClass.forEach((start, digit) => {
        const size = (firstOfClass[digit + 1] ?? truth.length) - start;
        for (const r of rng.sampleWithoutReplacement(size, m)) landmarks.push(start + r);
      });
      const labels = landmarks.map((i) => truth[i]);
      methods.forEach((method, t) => {
        const r = latent.fewShot(Z, landmarks, labels, { method, seed });
        sums[t][p] += truth.filter((v, i) => v === r.labels[i]).length / truth.length;
      });
    }
  }
  return { perClass, rows: methods.map((method, t) => ({ method, accuracy: sums[t].map((s) => s / seeds) })) };
}

/** Accuracy against labels per class as an inline SVG line chart. */
function fewShotPlot({ perClass, rows: lines }) {
  const W = 420, H = 260, left = 48, right = 110, top = 14, bottom = 36;
  const x = (i) => left + (i / (perClass.length - 1)) * (W - left - right);
  const y = (a) => top + (1 - a) * (H - top - bottom);
  const colours = ['#4e79a7', '#f28e2b', '#59a14f'];
  let body = `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#ccc"/>`;
  for (let a = 0; a <= 1.0001; a += 0.2) body += `<text x="${left - 6}" y="${y(a) + 4}" font-size="11" text-anchor="end">${Math.round(100 * a)} %</text><line x1="${left}" x2="${W - right}" y1="${y(a)}" y2="${y(a)}" stroke="#eee"/>`;
  perClass.forEach((m, i) => { body += `<text x="${x(i)}" y="${H - bottom + 16}" font-size="11" text-anchor="middle">${m}</text>`; });
  body += `<text x="${(left + W - right) / 2}" y="${H - 4}" font-size="12" text-anchor="middle">labelled digits per class</text>`;
  // The names at the lines' ends, at least 13 px apart (close accuracies would overprint).
  const ends = lines.map((l, t) => ({ t, at: y(l.accuracy[l.accuracy.length - 1]) + 4 })).sort((p, q) => p.at - q.at);
  for (let k = 1; k < ends.length; k++) ends[k].at = Math.max(ends[k].at, ends[k - 1].at + 13);
  lines.forEach((l, t) => {
    body += `<polyline fill="none" stroke="${colours[t]}" stroke-width="2" points="${l.accuracy.map((a, i) => `${x(i).toFixed(1)},${y(a).toFixed(1)}`).join(' ')}"/>`;
    body += l.accuracy.map((a, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(a).toFixed(1)}" r="3" fill="${colours[t]}"/>`).join('');
    body += `<text x="${W - right + 8}" y="${ends.find((e) => e.t === t).at.toFixed(1)}" font-size="12" fill="${colours[t]}">${l.method}</text>`;
  });
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif">${body}</svg>`;
}

/** A SOM of the codes; the valley path and the straight line from a 0 to a 1, decoded. */
function valleyWalk(Z, firstOfClass, codec) {
  const model = som.fit(Z, { width: 16, height: 16, topology: 'hexagonal', epochs: 10, seed: 0 });
  const from = 0, to = 1;
  const za = Z.data.subarray(firstOfClass[from] * Z.cols, (firstOfClass[from] + 1) * Z.cols);
  const zb = Z.data.subarray(firstOfClass[to] * Z.cols, (firstOfClass[to] + 1) * Z.cols);
  const walk = latent.valleyPath(model, za, zb);
  const steps = walk.units.length;
  const line = interp.path(za, zb, { steps });
  // How far each walk strays from the data: the largest distance from one of its codes to
  // the nearest real digit's code (the ends excluded: the line starts on two digits).
  const offData = [line, walk.codes].map((W) => Math.max(...latent.nearest(Z, W, { k: 1 }).distances.subarray(1, steps - 1)));
  const U = som.uMatrix(model);
  const mark = (units) => {
    const hits = new Float64Array(model.width * model.height);
    for (const u of units) hits[u] = 1;
    return hits;
  };
  const left = som.render(model, U, { cellSize: 12, hits: mark(walk.units), background: 255 });
  const right = som.render(model, U, { cellSize: 12, hits: mark(som.bmu(model, line)), background: 255 });
  return { from, to, steps, line: codec.decode(line), path: codec.decode(walk.codes), offData, map: sideBySide(left, right), uRange: extent(U) };
}

/** Two RGBA pictures side by side with a gap. */
function sideBySide(a, b) {
  const gap = 16, width = a.width + gap + b.width, height = Math.max(a.height, b.height);
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [img, ox] of [[a, 0], [b, a.width + gap]]) {
    for (let y = 0; y < img.height; y++) rgba.set(img.rgba.subarray(y * img.width * 4, (y + 1) * img.width * 4), (y * width + ox) * 4);
  }
  return { width, height, rgba };
}
