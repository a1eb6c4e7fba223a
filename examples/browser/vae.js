// The page of vae.html: a VAE trained in a Web Worker (vae-worker.js) on the pictures that
// serve.mjs provides, with live reconstructions while it learns; the trained model is kept
// in the page (and in IndexedDB, so a reload starts from it), and one slider per latent
// dimension drives vae.decode here, on the main thread (one code is a few hundred thousand
// multiply-adds: instant). Without a cached model, training starts when the page opens.
// Plain ES modules, no framework.
import * as vae from '../../dist/vae.js';
import { grid } from '../../dist/image.js';
import { init } from '../../dist/wasm.js';
import { $, controlsFromUrl, loadPictures, runPage } from './pictures.js';

const SHOW = 12;           // pictures reconstructed live
const RANGE = 3;           // sliders span ±3 (the prior's ±3σ)

runPage(main);

async function main() {
  controlsFromUrl();
  const { info, X } = await loadPictures();
  const { count, width, height, noun } = info;
  const d = width * height;
  await init();
  const data = Float32Array.from(X.data);
  // Every (count / SHOW)-th picture: a spread of classes (the digits come ordered by class).
  const showRows = Array.from({ length: SHOW }, (_, k) => Math.floor((k * count) / SHOW) + 1);
  const show = new Float32Array(SHOW * d);
  showRows.forEach((r, k) => show.set(data.subarray(r * d, (r + 1) * d), k * d));
  const key = `vae-${info.source}-${count}-${width}x${height}`;
  const draw = (canvas, M, columns, scale) => {
    const img = grid(M, { width, height, columns, scale, padding: 2, normalize: 'none', background: [255, 255, 255] });
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
  };
  // One row of 12 small digits; two rows of 6 for larger pictures (12 faces of 64 × 64 at
  // scale 2 would be 1,562 pixels wide).
  const perRow = (2 * width + 2) * SHOW <= 900 ? SHOW : SHOW / 2;
  draw($('originals'), { rows: SHOW, cols: d, data: show }, perRow, 2);

  // ---- the model in the page: sliders drive decode ----------------------------------
  let model = null;
  let code = new Float32Array(0);
  const decodeNow = () => { if (model) draw($('decoded'), vae.decode(model, code), 1, Math.max(2, Math.round(224 / width))); };
  const setCode = (z) => {
    code = Float32Array.from(z);
    $('sliders').querySelectorAll('input').forEach((input, j) => {
      input.value = String(code[j]);
      input.nextSibling.textContent = code[j].toFixed(2);
    });
    decodeNow();
  };
  const useModel = (m, how) => {
    model = vae.load(m);
    const latent = model.options.latent;
    $('sliders').replaceChildren(...Array.from({ length: latent }, (_, j) => {
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), { type: 'range', min: -RANGE, max: RANGE, step: 0.01, value: 0 });
      input.addEventListener('input', () => {
        code[j] = Number(input.value);
        input.nextSibling.textContent = code[j].toFixed(2);
        decodeNow();
      });
      label.append(`z${j + 1}`, input, document.createElement('output'));
      return label;
    }));
    setCode(new Float32Array(latent));
    draw($('reconstructions'), vae.reconstruct(model, { rows: SHOW, cols: d, data: show }), perRow, 2);
    for (const id of ['encode', 'random', 'centre']) $(id).disabled = false;
    const h = model.history;
    $('status').textContent = `${how}: latent ${latent}, hidden [${model.options.hidden.join(', ')}], ${model.nEpochs} epochs on ${count} ${noun}s` +
      (h.loss.length ? `, final training loss ${h.loss.at(-1).toFixed(1)} per ${noun}` : '') + '. Move the sliders.';
    document.body.dataset.state = 'ready';
  };
  $('encode').addEventListener('click', () => {
    const i = Math.floor(Math.random() * count);
    setCode(vae.posterior(model, data.subarray(i * d, (i + 1) * d)).mean);
  });
  $('random').addEventListener('click', () => setCode(Array.from(code, () => normal())));
  $('centre').addEventListener('click', () => setCode(new Float32Array(code.length)));

  // ---- the cache --------------------------------------------------------------------------
  const cached = await cache('get', key).catch(() => undefined);
  if (cached) useModel(cached, 'Loaded the trained model from this browser\'s cache');
  $('forget').addEventListener('click', () => cache('delete', key).then(() => { $('status').textContent = 'Cache cleared.'; }));

  // ---- the worker -------------------------------------------------------------------------
  const worker = new Worker(new URL('vae-worker.js', import.meta.url), { type: 'module' });
  const running = (on) => {
    $('train').disabled = on;
    $('stop').disabled = !on;
    document.body.dataset.state = on ? 'training' : 'ready';
  };
  worker.onerror = (e) => {
    $('status').textContent = `The worker failed: ${e.message}`;
    document.body.dataset.state = 'error';
  };
  worker.onmessage = ({ data: msg }) => {
    if (msg.type === 'backend') {
      $('status').textContent = `Training in a Web Worker (${msg.backend} backend)…`;
    } else if (msg.type === 'step') {
      $('progress').textContent = `epoch ${msg.epoch + 1} / ${msg.epochs}, batch ${msg.batch + 1} / ${msg.batches}: loss ${msg.loss.toFixed(1)} ` +
        `(reconstruction ${msg.reconstruction.toFixed(1)} + KL ${msg.kl.toFixed(1)}) per ${noun}, ${(msg.elapsed / 1000).toFixed(1)} s`;
      if (msg.reconstructions) draw($('reconstructions'), { rows: SHOW, cols: d, data: msg.reconstructions }, perRow, 2);
    } else if (msg.type === 'done') {
      running(false);
      cache('put', key, msg.model).catch((e) => console.warn('could not cache the model', e));
      useModel(msg.model, `${msg.model.completed ? 'Trained' : 'Stopped'} in ${(msg.ms / 1000).toFixed(1)} s`);
    } else if (msg.type === 'error') {
      running(false);
      $('status').textContent = `Training failed: ${msg.message}`;
    }
  };
  $('train').disabled = false;
  $('train').addEventListener('click', () => {
    running(true);
    const hidden = [Number($('hidden').value)];
    worker.postMessage({
      type: 'train', data, rows: count, cols: d, show, latent: Number($('latent').value), hidden,
      epochs: Number($('epochs').value), seed: Number($('seed').value),
    });
  });
  $('stop').addEventListener('click', () => worker.postMessage({ type: 'stop' }));
  // Nothing to show yet: learn at once (the reconstructions fill in as it does).
  if (!cached) {
    $('status').textContent = `${count} ${noun}s of ${width} × ${height} pixels: training…`;
    $('train').click();
  }
}

/** A standard normal draw (Box-Muller; the page's own randomness, not the model's). */
function normal() {
  return Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
}

/** get / put / delete of one value in the page's IndexedDB store (a model is stored as is: structured clone). */
function cache(op, key, value) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('latentspace-vae', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('models');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('models', op === 'get' ? 'readonly' : 'readwrite');
      const store = tx.objectStore('models');
      const request = op === 'get' ? store.get(key) : op === 'put' ? store.put(value, key) : store.delete(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      tx.oncomplete = () => open.result.close();
    };
  });
}
