// The autodiff part of the demo page: the classifier of docs/autodiff.md (784-100-10, relu,
// softmax cross-entropy, Adam) trained on 8,000 MNIST digits for 5 epochs and scored on the
// 2,000 held out; its loss curve (every minibatch, and the mean of each epoch) as an inline
// SVG, and its first layer's 100 weight vectors as 28 × 28 pictures (image/grid): the
// strokes each hidden unit looks for.
//
// Used by examples/demo.mjs; Node only (PNG encoding through ../png.mjs). The pictures are
// also docs/autodiff.md's (`node examples/demo.mjs --docs-img` writes them into docs/img/).
import * as ad from '../../dist/autodiff.js';
import { Random } from '../../dist/core.js';
import { grid } from '../../dist/image.js';
import { encodePng } from '../png.mjs';

/**
 * @typedef {{ rows: number, cols: number, data: Float64Array }} Matrix
 * @typedef {{
 *   X: Matrix, firstOfClass: number[], timed: (label: string, f: () => any) => any,
 *   seed?: number, epochs?: number,
 * }} AutodiffSectionInput
 * @typedef {{ html: string, files: Record<string, Buffer | string>, summary: string }} AutodiffSection
 */

/**
 * Trains the classifier and renders the section.
 * @param {AutodiffSectionInput} o
 * @returns {AutodiffSection} `files`: autodiff-loss.svg, autodiff-weights.png
 */
export function autodiffSection(o) {
  const { X, firstOfClass, timed } = o;
  const seed = o.seed ?? 2, epochs = o.epochs ?? 5, batchSize = 32, hidden = 100;
  // float32 pixels and the labels (the package orders digits by class), then a seeded split.
  const X32 = { rows: X.rows, cols: X.cols, data: Float32Array.from(X.data) };
  const y = new Int32Array(X.rows);
  firstOfClass.forEach((start, digit) => y.fill(digit, start, firstOfClass[digit + 1] ?? X.rows));
  const order = new Random(seed).shuffle(Int32Array.from({ length: X.rows }, (_, i) => i));
  const take = (rows) => ({ x: ad.gather(X32, rows), labels: Int32Array.from(rows, (i) => y[i]) });
  const nTrain = Math.round(0.8 * X.rows); // 8,000 of the 10,000
  const trainSet = take(order.subarray(0, nTrain)), heldOut = take(order.subarray(nTrain));

  const loss = (p, b) => ad.softmaxCrossEntropy(ad.mlp.apply(p, b.x), b.labels);
  const curve = [];
  const t0 = performance.now();
  const { params, history } = timed(`autodiff: train 784-${hidden}-10, ${epochs} epochs × ${Math.ceil(nTrain / batchSize)} minibatches of ${batchSize}`, () =>
    ad.train(loss, ad.mlp.init([784, hidden, 10], { init: 'he', seed: 0 }), trainSet, {
      epochs, batchSize, seed: 1, optimizer: ad.adam({ learningRate: 2e-3 }),
      onProgress: (s) => { curve.push(s.loss); },
    }));
  const ms = performance.now() - t0;
  const accuracy = timed(`autodiff: held-out accuracy (${heldOut.labels.length.toLocaleString('en')} digits)`, () => {
    const logits = ad.mlp.apply(params, heldOut.x);
    let correct = 0;
    for (let i = 0; i < heldOut.labels.length; i++) {
      const row = logits.data.subarray(i * 10, i * 10 + 10);
      if (row.indexOf(Math.max(...row)) === heldOut.labels[i]) correct++;
    }
    return (100 * correct) / heldOut.labels.length;
  });

  // The first layer's weight is (784 × hidden): column j is what hidden unit j multiplies
  // the pixels by. Transposed, each row is a 28 × 28 picture.
  const W = params[0].weight;
  const pictures = { rows: hidden, cols: 784, data: new Float32Array(hidden * 784) };
  for (let i = 0; i < 784; i++) for (let j = 0; j < hidden; j++) pictures.data[j * 784 + i] = W.data[i * hidden + j];
  const png = encodePng(grid(pictures, { width: 28, height: 28, columns: 10, scale: 2, padding: 2, normalize: 'each' }));
  // Units that output 0 for every training digit (dead ReLUs) get no gradient: they keep their start.
  const dead = timed('autodiff: hidden units that never fire on the training digits', () => {
    const H = ad.mlp.activations(params, trainSet.x)[0];
    let count = 0;
    for (let j = 0; j < hidden; j++) {
      let fires = false;
      for (let i = j; i < H.data.length && !fires; i += hidden) fires = H.data[i] > 0;
      if (!fires) count++;
    }
    return count;
  });
  const svg = lossCurve(curve, history, Math.ceil(nTrain / batchSize));
  const url = (buf) => `data:image/png;base64,${buf.toString('base64')}`;

  const html = `
<section id="autodiff">
<h2>A classifier trained with latentspace/autodiff</h2>
<p>A 784-${hidden}-10 network (relu, softmax cross-entropy, He initialisation), trained with Adam
(learning rate 0.002) on ${nTrain.toLocaleString('en')} of the digits for ${epochs} epochs of minibatches of ${batchSize}:
<code>train(loss, mlp.init([784, ${hidden}, 10], { init: 'he' }), trainSet, { epochs: ${epochs}, batchSize: ${batchSize}, optimizer: adam({ learningRate: 2e-3 }) })</code>,
each step a <code>valueAndGrad</code> of the loss (a tape of the forward pass, walked backwards)
and an Adam update, in float32 on the WebAssembly GEMM when it is active.
${ms.toFixed(0)} ms for ${curve.length.toLocaleString('en')} steps; <b>${accuracy.toFixed(1)} %</b> of the ${heldOut.labels.length.toLocaleString('en')} held-out digits are classified right.</p>
${svg}
<h3>What the hidden units look for</h3>
<img alt="the first layer's ${hidden} weight vectors as 28 × 28 pictures" src="${url(png)}">
<p class="note">The first layer's weights, one 28 × 28 picture per hidden unit (column j of the
784 × ${hidden} weight matrix), each scaled from its most negative (black) to its most positive (white)
weight: strokes and blobs a digit may or may not have, at the places it may have them, over
the grain of the random start that ${epochs} epochs have not worn away. ${dead} of the ${hidden} units never fire on
a training digit (their relu is 0 throughout, so no gradient reaches them): they are the
pictures of pure grain, their start unchanged.</p>
</section>`;
  const summary = `autodiff: 784-${hidden}-10, ${epochs} epochs (${curve.length} steps) in ${ms.toFixed(0)} ms; epoch losses ${Array.from(history, (v) => v.toFixed(3)).join(' ')}; held-out accuracy ${accuracy.toFixed(2)} %; ${dead} dead units`;
  return {
    html, summary,
    files: { 'autodiff-loss.svg': `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, 'autodiff-weights.png': png },
  };
}

/** Every minibatch's loss (grey), its running mean over 25 (blue) and each epoch's mean (dots), on a logarithmic axis. */
function lossCurve(losses, history, perEpoch) {
  const W = 640, H = 240, left = 48, right = 12, top = 14, bottom = 34;
  const lo = Math.log10(Math.min(...losses)), hi = Math.log10(Math.max(...losses));
  const x = (i) => left + ((W - left - right) * i) / (losses.length - 1);
  const yOf = (v) => top + ((H - top - bottom) * (hi - Math.log10(v))) / (hi - lo);
  const f = (v) => v.toFixed(1);
  const path = losses.map((v, i) => `${i ? 'L' : 'M'}${f(x(i))},${f(yOf(v))}`).join('');
  const ticks = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5].filter((v) => Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9);
  let body = `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#ccc"/>`;
  body += ticks.map((v) => `<line x1="${left - 4}" x2="${W - right}" y1="${f(yOf(v))}" y2="${f(yOf(v))}" stroke="#eee"/><text x="${left - 6}" y="${f(yOf(v) + 4)}" font-size="11" text-anchor="end">${v}</text>`).join('');
  body += Array.from(history, (_, e) => `<line x1="${f(x((e + 1) * perEpoch - 1))}" x2="${f(x((e + 1) * perEpoch - 1))}" y1="${top}" y2="${H - bottom}" stroke="#ddd"/><text x="${f(x((e + 0.5) * perEpoch))}" y="${H - bottom + 14}" font-size="11" text-anchor="middle">epoch ${e + 1}</text>`).join('');
  body += `<path d="${path}" fill="none" stroke="#bcc" stroke-width="0.7"/>`;
  // The mean of the last 25 minibatches, where there are 25.
  const smooth = [];
  for (let i = 24, s = losses.slice(0, 24).reduce((a, b) => a + b, 0); i < losses.length; i++) {
    s += losses[i];
    smooth.push(`${smooth.length ? 'L' : 'M'}${f(x(i))},${f(yOf(s / 25))}`);
    s -= losses[i - 24];
  }
  body += `<path d="${smooth.join('')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`;
  body += Array.from(history, (v, e) => `<circle cx="${f(x((e + 0.5) * perEpoch))}" cy="${f(yOf(v))}" r="4" fill="#d62728"><title>epoch ${e + 1}: ${v.toFixed(3)}</title></circle>`).join('');
  body += `<text x="${left}" y="${H - 4}" font-size="11">loss of every minibatch (grey), mean of the last 25 (blue), of each epoch (red); logarithmic axis</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif">${body}</svg>`;
}
