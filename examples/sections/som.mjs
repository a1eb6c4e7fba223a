// The SOM part of the demo page: lay the 10,000 MNIST digits out on a 20 × 20
// self-organizing map (batch method), once on a hexagonal and once on a rectangular grid,
// and draw what a map shows: the U-matrix with the cells between units (borders between
// digit groups are bright ridges, with a colour scale), and, for the rectangular map, the
// codebook vectors as digit pictures on the grid, the label map (the digit most of each
// unit's rows are, a colour per digit) and the hit map: one grid, cell for cell.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs). The pictures are
// also docs/som.md's (`node examples/demo.mjs --docs-img` writes them into docs/img/).
import * as som from '../../dist/som.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';
import { colourScale, extent } from './figures.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   X: Matrix, labels?: Int32Array, firstOfClass?: number[], timed: (label: string, f: () => any) => any,
 *   width?: number, height?: number, epochs?: number, seed?: number, id?: string,
 * }} SomSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} SomSection
 */

/** Ten colours for the ten digits (Tableau 10), as RGBA bytes for render's palette. */
export const DIGIT_COLOURS = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];
const PALETTE = DIGIT_COLOURS.flatMap((c) => [...c, 255]);

/**
 * Fits both maps and renders the section.
 * @param {SomSectionInput} o
 * @returns {SomSection} html for the page; `files`: the pictures as PNG, named `som-….png`
 */
export function somSection(o) {
  const { X, timed } = o;
  const width = o.width ?? 20, height = o.height ?? 20, epochs = o.epochs ?? 10, seed = o.seed ?? 0;
  const id = o.id ?? 'som';
  const truth = o.labels ?? labelsFrom(o.firstOfClass, X.rows);
  const maps = ['hexagonal', 'rectangular'].map((topology) => {
    const t0 = performance.now();
    const model = timed(`som: fit ${width} × ${height} ${topology}, ${epochs} epochs on ${X.rows} × ${X.cols}`, () => som.fit(X, { width, height, topology, epochs, seed }));
    const ms = performance.now() - t0;
    const { qe, te } = timed(`som: quantization and topographic errors (${topology})`, () => ({ qe: som.quantizationError(model, X), te: som.topographicError(model, X) }));
    return { topology, model, ms, te, qe };
  });
  const [hex, rect] = maps;

  const files = {};
  const png = (name, img) => {
    files[`${id}-${name}.png`] = encodePng(img);
    return `${id}-${name}.png`;
  };
  // 1. U-matrices with the cells between units, both topologies.
  const U = { hex: som.uMatrix(hex.model, { interstitial: true }), rect: som.uMatrix(rect.model, { interstitial: true }) };
  const uHex = png('umatrix-hexagonal', som.render(hex.model, U.hex, { cellSize: 9, background: 255 }));
  const uRect = png('umatrix-rectangular', som.render(rect.model, U.rect, { cellSize: 9, background: 255 }));
  // 2. The codebook of the rectangular map as digits, one per unit, in grid order.
  const codebook = png('codebook', grid(rect.model.weights, { width: 28, height: 28, columns: width, padding: 1, normalize: 'none', background: [200, 200, 200] }));
  // 3. Label map (majority digit of each unit, a colour per digit; white: no digit), 4. hit
  //    maps, of the same rectangular map, so that they line up with the codebook.
  const onRect = timed('som: labelMap and hitMap (rectangular)', () => ({ labels: som.labelMap(rect.model, X, truth), hits: som.hitMap(rect.model, X) }));
  const labelValues = Float64Array.from(onRect.labels, (l) => (l < 0 ? NaN : l));
  const labels = png('labels', som.render(rect.model, labelValues, { cellSize: 14, colormap: PALETTE, range: [0, 9], background: 255 }));
  const uUnits = som.uMatrix(rect.model);
  const hitsPicture = png('hits', som.render(rect.model, uUnits, { cellSize: 14, hits: onRect.hits, hitColor: [255, 255, 255], background: 255 }));
  const hitCounts = png('hitcounts', som.render(rect.model, Float64Array.from(onRect.hits), { cellSize: 14, colormap: 'gray', background: 255 }));
  const url = (name) => `data:image/png;base64,${files[name].toString('base64')}`;
  const empty = onRect.labels.filter((l) => l < 0).length;
  const maxHits = Math.max(...onRect.hits);
  const distance = 'mean Euclidean distance between neighbouring units';

  const legend = DIGIT_COLOURS.map((c, digit) => `<span style="display:inline-block;width:1.6em;text-align:center;background:rgb(${c.join(',')});color:#fff;margin-right:2px">${digit}</span>`).join('');
  const row = (m) => `<tr><td>${m.topology}</td><td class="ms">${m.ms.toFixed(0)} ms</td><td class="ms">${m.qe.toFixed(3)}</td><td class="ms">${m.te.toFixed(3)}</td>` +
    `<td>${[...m.model.quantizationErrors, m.qe].map((q) => q.toFixed(2)).join(' → ')}</td></tr>`;
  const html = `
<section id="${id}">
<h2>A self-organizing map of the digits</h2>
<p><code>som.fit(X, { width: ${width}, height: ${height}, topology, seed: ${seed} })</code> lays the
${X.rows.toLocaleString('en')} digits out on a grid of ${width * height} units: each unit holds a
784-pixel weight vector, and neighbouring units hold similar ones. Kohonen's batch map, ${epochs} epochs
(each one distance pass on the kernels and one neighbourhood-weighted average), starting from the plane
of the first two principal components.</p>
<table><tr><th>grid</th><th class="ms">fit</th><th class="ms">quantization error</th><th class="ms">topographic error</th><th>quantization error at the start of each epoch</th></tr>
${maps.map(row).join('\n')}
</table>
<h3>U-matrix</h3>
<div class="row">
<figure><img alt="U-matrix of the hexagonal map" src="${url(uHex)}"><figcaption>Hexagonal map, with the cells between
units: each unit's hexagon holds its mean distance to its six neighbours, each small hexagon between two units their
distance. Dark (low) basins are groups of similar digits; bright ridges are the borders between them.
${colourScale(...extent(U.hex), distance)}</figcaption></figure>
<figure><img alt="U-matrix of the rectangular map" src="${url(uRect)}"><figcaption>Rectangular map: the same with squares;
the cell between four units holds the mean of the two diagonals. ${colourScale(...extent(U.rect), distance)}</figcaption></figure>
</div>
<h3>Codebook, labels and hits of the rectangular map</h3>
<p>Three views of the same ${width} × ${height} rectangular map, unit for unit: the picture each unit holds, the digit
its rows are, and how many rows it wins.</p>
<div class="row">
<figure><img alt="the codebook vectors as digits" src="${url(codebook)}"><figcaption>The ${width * height}
weight vectors drawn as digits in their grid positions: the map morphs from one digit to the next.</figcaption></figure>
</div>
<div class="row">
<figure><img alt="label map" src="${url(labels)}"><figcaption><code>som.labelMap</code>: the digit most of each unit's
rows are (labels the map never saw), ${legend}; ${empty} unit${empty === 1 ? '' : 's'} won no digit (white).</figcaption></figure>
<figure><img alt="hit map over the U-matrix" src="${url(hitsPicture)}"><figcaption><code>som.hitMap</code> drawn over the
U-matrix (one cell per unit): each white square's area is proportional to the digits the unit wins (at most ${maxHits}). Units on the
ridges win few. ${colourScale(...extent(uUnits), distance)}</figcaption></figure>
<figure><img alt="hit counts" src="${url(hitCounts)}"><figcaption>The hit counts themselves (black: none).
${colourScale(...extent(onRect.hits), 'digits won by the unit', 'gray')}</figcaption></figure>
</div>
</section>`;
  const summary = maps.map((m) => `${id}, ${m.topology}: ${m.ms.toFixed(0)} ms, QE ${m.qe.toFixed(3)}, TE ${m.te.toFixed(3)}`).join('\n');
  return { html, files, summary };
}

/** True digit of every row, from the first row of each digit. */
function labelsFrom(firstOfClass, n) {
  if (!firstOfClass) throw new Error('somSection: pass labels or firstOfClass');
  const out = new Int32Array(n);
  firstOfClass.forEach((start, digit) => out.fill(digit, start, firstOfClass[digit + 1] ?? n));
  return out;
}
