// Eigenfaces with sliders: fit a PCA on the pictures that serve.mjs provides, then draw
// mean + Σ wᶜ·σᶜ·componentᶜ on a canvas as the sliders move (wᶜ in standard deviations σᶜ
// along component c). Plain ES modules: the built bundle from dist/, no framework.
import * as pca from '../../dist/pca.js';
import { grid } from '../../dist/image.js';
import { backend, init } from '../../dist/wasm.js';
import { $, loadPictures, runPage } from './pictures.js';

const SLIDERS = 8;
const RANGE = 4; // slider range, in standard deviations

runPage(main);

async function main() {
  // 1. The pictures: count · width · height bytes, one picture after another.
  const { info, X } = await loadPictures();
  const { count, width, height, noun } = info;
  const d = width * height;
  $('pick').max = String(count - 1);

  // 2. The model: WebAssembly where the page allows it, then one fit and every coordinate.
  await init();
  const t0 = performance.now();
  const model = pca.fit(X, { nComponents: Math.min(50, count - 1, d) });
  const Z = pca.transform(model, X); // (count × k): each picture's weights
  const ms = performance.now() - t0;
  const k = model.components.rows;
  const W = model.components.data;
  const mean = model.mean;
  const sigma = Float64Array.from(model.explainedVariance, Math.sqrt);
  const shown = Math.min(SLIDERS, k);
  let held = 0;
  for (let c = 0; c < shown; c++) held += model.explainedVarianceRatio[c];
  $('status').textContent = `${count} ${noun}s of ${width} × ${height} pixels; pca.fit to ${k} components ` +
    `(solver '${model.solver}') and transform in ${ms.toFixed(0)} ms on the ${backend()} backend. ` +
    `The ${shown} sliders span ${(100 * held).toFixed(0)} % of the variance.`;
  $('rest-count').textContent = String(k - shown);
  $('formula').textContent = `${noun} = mean + Σ w·σ·component over the ${shown} sliders` +
    ` (+ components ${shown + 1}–${k} of the chosen ${noun}, when ticked)`;

  // 3. State: the slider weights, and the part of the chosen picture beyond the sliders.
  const weights = new Float64Array(shown);
  const rest = new Float64Array(d);
  let havePicture = false;
  const face = $('face');
  face.width = width;
  face.height = height;
  const ctx = face.getContext('2d');

  const inputs = [];
  const outputs = [];
  const box = $('sliders');
  for (let c = 0; c < shown; c++) {
    const thumb = document.createElement('canvas');
    draw(thumb, W.subarray(c * d, (c + 1) * d), 'each');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = `#${c + 1} · ${(100 * model.explainedVarianceRatio[c]).toFixed(1)} %`;
    const input = Object.assign(document.createElement('input'), { type: 'range', min: -RANGE, max: RANGE, step: 0.01, value: 0 });
    input.setAttribute('aria-label', `weight of component ${c + 1}`);
    const out = document.createElement('output');
    input.addEventListener('input', () => {
      weights[c] = Number(input.value);
      render();
    });
    box.append(thumb, name, input, out);
    inputs.push(input);
    outputs.push(out);
  }

  function render() {
    const x = new Float64Array(d);
    for (let j = 0; j < d; j++) x[j] = mean[j] + (havePicture && $('rest').checked ? rest[j] : 0);
    for (let c = 0; c < shown; c++) {
      const a = weights[c] * sigma[c];
      if (a === 0) continue;
      for (let j = 0, o = c * d; j < d; j++) x[j] += a * W[o + j];
    }
    const img = grid(x, { width, height, normalize: 'none', padding: 0 });
    ctx.putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
    for (let c = 0; c < shown; c++) {
      inputs[c].value = String(Math.max(-RANGE, Math.min(RANGE, weights[c])));
      outputs[c].value = `${weights[c] >= 0 ? '+' : '−'}${Math.abs(weights[c]).toFixed(2)}`;
    }
    $('rest').disabled = !havePicture;
  }

  /** Weights and detail of picture i: its coordinates from transform, in σ units. */
  function pick(i) {
    const z = Z.data.subarray(i * k, (i + 1) * k);
    for (let c = 0; c < shown; c++) weights[c] = sigma[c] > 0 ? z[c] / sigma[c] : 0;
    rest.fill(0);
    for (let c = shown; c < k; c++) {
      for (let j = 0, o = c * d; j < d; j++) rest[j] += z[c] * W[o + j];
    }
    havePicture = true;
    render();
  }

  $('mean').addEventListener('click', () => {
    weights.fill(0);
    havePicture = false;
    render();
  });
  $('random').addEventListener('click', () => {
    for (let c = 0; c < shown; c++) weights[c] = gaussian();
    havePicture = false;
    render();
  });
  $('pick').addEventListener('change', () => {
    const i = Math.trunc(Number($('pick').value));
    if (i >= 0 && i < count) pick(i);
  });
  $('rest').addEventListener('change', render);
  pick(0);
  document.body.dataset.state = 'ready';

  function draw(canvas, values, normalize) {
    const img = grid(values, { width, height, normalize, padding: 0 });
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d').putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
  }
}


/** A standard normal draw (Box–Muller); the page's randomness, not the library's. */
function gaussian() {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}
