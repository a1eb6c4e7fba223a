// A self-organizing map unfolds: train a SOM on the pictures that serve.mjs provides and
// draw the map after every epoch (the U-matrix with hit markers, and every unit's weights
// as a picture). The epochs come from the generator `som.steps`, one `next()` per epoch,
// with a pause between them so the eye can follow. Plain ES modules: the built bundle from
// dist/, no framework.
import * as som from '../../dist/som.js';
import { grid } from '../../dist/image.js';
import { backend, init } from '../../dist/wasm.js';
import { $, loadPictures, runPage } from './pictures.js';

let stopRequested = false;

runPage(main);

async function main() {
  const { info, X } = await loadPictures();
  const { count, width, height, noun } = info;
  const d = width * height;
  await init();
  $('status').textContent = `${count} ${noun}s of ${width} × ${height} pixels, on the ${backend()} backend. Choose a grid and press Train.`;
  $('pause').addEventListener('input', () => { $('pause-out').value = `${$('pause').value} ms`; });
  $('stop').addEventListener('click', () => { stopRequested = true; });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    train(X, { width, height, noun }).catch((err) => {
      $('status').textContent = `Something went wrong: ${err instanceof Error ? err.message : err}`;
      console.error(err);
    });
  });
  document.body.dataset.state = 'ready';
}

async function train(X, pictures) {
  const options = {
    width: clampInt($('width').value, 2, 40), height: clampInt($('height').value, 2, 40),
    topology: $('topology').value, method: $('method').value, init: $('init').value,
    epochs: clampInt($('epochs').value, 1, 200), seed: 0,
  };
  $('start').disabled = true;
  $('stop').disabled = false;
  stopRequested = false;
  document.body.dataset.state = 'training';
  const errors = [];
  const t0 = performance.now();
  let busy = 0;
  try {
    const it = som.steps(X, options);
    for (let r = it.next(); ; ) {
      if (r.done) {
        draw(r.value, X, pictures);
        const m = r.value;
        $('status').textContent = `${m.completed ? 'Done' : 'Stopped'}: ${m.nEpochs} epochs of the ${options.method} method ` +
          `(${busy.toFixed(0)} ms of computing in ${((performance.now() - t0) / 1000).toFixed(1)} s); quantization error ` +
          `${m.quantizationErrors.at(-1).toFixed(3)}, topographic error ${som.topographicError(m, X).toFixed(3)}.`;
        break;
      }
      const step = r.value;
      errors.push(step.quantizationError);
      // The step's weights as a model, to measure and draw.
      draw({ kind: 'som', width: options.width, height: options.height, topology: options.topology, toroidal: false, weights: step.weights }, X, pictures);
      $('epoch').textContent = `epoch ${step.epoch} of ${options.epochs}: σ = ${step.sigma.toFixed(2)}` +
        `${Number.isNaN(step.learningRate) ? '' : `, α = ${step.learningRate.toFixed(3)}`}; quantization error per epoch: ` +
        errors.map((q) => q.toFixed(2)).join(' → ');
      await sleep(Number($('pause').value));
      const c0 = performance.now();
      r = it.next(stopRequested);
      busy += performance.now() - c0;
    }
  } finally {
    $('start').disabled = false;
    $('stop').disabled = true;
    document.body.dataset.state = 'ready';
  }
}

function draw(model, X, { width, height }) {
  const hits = som.hitMap(model, X);
  const U = som.uMatrix(model, { interstitial: true });
  const cell = Math.max(4, Math.floor(360 / (2 * model.width)));
  put($('umatrix'), som.render(model, U, { cellSize: cell, hits, background: 255 }));
  const tiles = grid(model.weights, { width, height, columns: model.width, padding: 1, normalize: 'each', background: [200, 200, 200] });
  put($('codebook'), tiles);
}

function put(canvas, img) {
  canvas.width = img.width;
  canvas.height = img.height;
  canvas.getContext('2d').putImageData(new ImageData(img.rgba, img.width, img.height), 0, 0);
}

function clampInt(v, lo, hi) {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

function sleep(ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

