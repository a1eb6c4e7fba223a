// A self-organizing map unfolds: train a SOM on the pictures that serve.mjs provides, from
// the moment the page opens (Train starts again with the form's settings), and draw the map
// after every epoch (the U-matrix with hit markers, and every unit's weights
// as a picture). The epochs come from the generator `som.steps`, one `next()` per epoch,
// with a pause between them so the eye can follow. Plain ES modules: the built bundle from
// dist/, no framework.
import * as som from '../../dist/som.js';
import { grid } from '../../dist/image.js';
import { backend, init } from '../../dist/wasm.js';
import { $, controlsFromUrl, loadPictures, runPage } from './pictures.js';

let stopRequested = false;

runPage(main);

async function main() {
  controlsFromUrl();
  $('pause-out').value = `${$('pause').value} ms`;
  const { info, X } = await loadPictures();
  const { count, width, height, noun } = info;
  const d = width * height;
  await init();
  const about = `${count} ${noun}s of ${width} × ${height} pixels, on the ${backend()} backend`;
  $('pause').addEventListener('input', () => { $('pause-out').value = `${$('pause').value} ms`; });
  $('stop').addEventListener('click', () => { stopRequested = true; });
  const start = () => {
    $('status').textContent = `${about}: training… (change the settings and press Train to start again)`;
    train(X, { width, height, noun }).catch((err) => {
      $('status').textContent = `Something went wrong: ${err instanceof Error ? err.message : err}`;
      document.body.dataset.state = 'error';
      console.error(err);
    });
  };
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    start();
  });
  // The map starts learning at once: the page opens on the first epoch, not on empty boxes.
  start();
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
      // The step's weights as a model (the map so far, every field a SOM model has), to measure and draw.
      draw({
        kind: 'som', width: options.width, height: options.height, topology: options.topology, toroidal: false,
        weights: step.weights, quantizationErrors: Float64Array.from(errors), method: options.method,
        nEpochs: step.epoch, completed: false,
      }, X, pictures);
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
  put($('codebook'), model.topology === 'hexagonal' ? brick(tiles, { x: width + 1, y: height + 1 }) : tiles);
}

/**
 * The codebook laid out like the hexagonal map: som.render puts rows 0, 2, 4, … half a unit
 * to the right, so those rows of tiles move right by half a tile. `step` is a tile's size
 * with the grid's padding of 1, across and down.
 */
function brick(img, step) {
  const shift = Math.round(step.x / 2);
  const width = img.width + shift;
  const rgba = new Uint8ClampedArray(width * img.height * 4);
  new Uint32Array(rgba.buffer).fill(new Uint32Array(Uint8ClampedArray.of(200, 200, 200, 255).buffer)[0]);
  for (let y = 0; y < img.height; y++) {
    const row = Math.floor(Math.max(0, y - 1) / step.y);
    const dx = row % 2 === 0 ? shift : 0;
    rgba.set(img.rgba.subarray(y * img.width * 4, (y + 1) * img.width * 4), (y * width + dx) * 4);
  }
  return { width, height: img.height, rgba };
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

