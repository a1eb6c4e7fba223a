// The page of tsne.html: loads the pictures that serve.mjs provides, hands them to a Web
// Worker (tsne-worker.js) that runs t-SNE, and draws the map on a canvas whenever the worker
// posts a new one (at most once per animation frame). Ten classes (digits) are ten colours
// with a legend; more (the 40 people of the faces) would be 40 hues nobody can tell apart,
// so each face is drawn as itself, small, with each person's number at the middle of their
// faces. Plain ES modules, no framework.
import { $, controlsFromUrl, loadPictures, runPage } from './pictures.js';

const THUMB = 22; // pixels across one picture on the map of many classes
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#7f7f7f'];

runPage(main);

async function main() {
  // 1. The pictures: count · width · height bytes, one after another. MNIST digits come
  //    ordered by class (count / 10 of each); the Olivetti faces 10 per person.
  controlsFromUrl();
  const { info, X } = await loadPictures();
  const { count, width, height } = info;
  const d = X.cols;
  const perLabel = info.source === 'mnist' ? count / 10 : 10;
  const labels = Int32Array.from({ length: count }, (_, i) => Math.floor(i / perLabel));
  const nLabels = labels[count - 1] + 1;
  const coloured = nLabels <= COLORS.length;
  const what = info.source === 'mnist' ? 'digit' : 'person';
  if (coloured) {
    $('credit').textContent = `${info.credit} Colours: the ${what}.`;
    $('legend').replaceChildren(...COLORS.slice(0, nLabels).map((c, k) => Object.assign(document.createElement('span'), { textContent: String(k), style: `--c: ${c}` })));
  } else {
    $('legend').className = 'pictures';
    $('legend').textContent = `Each ${info.noun} is drawn where t-SNE puts it; the number is the ${what} (0–${nLabels - 1}), ` +
      `written at the middle of their ${perLabel} ${info.noun}s: where t-SNE keeps a ${what}'s ${info.noun}s together, the number sits on them.`;
  }
  // The pictures themselves, for the map of many classes: one small canvas each.
  const thumbs = coloured ? [] : Array.from({ length: count }, (_, i) => {
    const c = Object.assign(document.createElement('canvas'), { width, height });
    const img = new ImageData(width, height);
    for (let p = 0; p < d; p++) {
      const v = Math.round(255 * X.data[i * d + p]);
      img.data.set([v, v, v, 255], 4 * p);
    }
    c.getContext('2d').putImageData(img, 0, 0);
    return c;
  });

  // 2. Drawing: the latest embedding, scaled to the canvas, once per animation frame.
  const canvas = $('map');
  const ctx = canvas.getContext('2d');
  let latest = null;
  let drawn = null;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (Math.imul(a, 0x9e3779b1) >>> 0) - (Math.imul(b, 0x9e3779b1) >>> 0));
  let frames = 0;
  const frame = () => {
    frames++;
    $('ticker').textContent = `page frames: ${frames}`;
    if (latest !== drawn) draw(latest);
    drawn = latest;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  function draw(E) {
    const w = canvas.width, h = canvas.height, pad = 8;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < count; i++) {
      x0 = Math.min(x0, E[2 * i]); x1 = Math.max(x1, E[2 * i]);
      y0 = Math.min(y0, E[2 * i + 1]); y1 = Math.max(y1, E[2 * i + 1]);
    }
    const margin = coloured ? pad : pad + THUMB / 2;
    const s = Math.min((w - 2 * margin) / (x1 - x0 || 1), (h - 2 * margin) / (y1 - y0 || 1));
    const ox = (w - s * (x1 - x0)) / 2, oy = (h - s * (y1 - y0)) / 2;
    const at = (i) => [ox + s * (E[2 * i] - x0), h - (oy + s * (E[2 * i + 1] - y0))];
    ctx.clearRect(0, 0, w, h);
    if (coloured) {
      ctx.globalAlpha = 0.85;
      for (const i of order) {
        const [x, y] = at(i);
        ctx.fillStyle = COLORS[labels[i]];
        ctx.beginPath();
        ctx.arc(x, y, 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
      return;
    }
    ctx.globalAlpha = 1;
    for (const i of order) {
      const [x, y] = at(i);
      ctx.drawImage(thumbs[i], x - THUMB / 2, y - THUMB / 2, THUMB, THUMB);
    }
    // Each class's number at the mean of its points, white-edged to stay readable over faces.
    const sums = new Float64Array(2 * nLabels);
    for (let i = 0; i < count; i++) {
      const [x, y] = at(i);
      sums[2 * labels[i]] += x / perLabel;
      sums[2 * labels[i] + 1] += y / perLabel;
    }
    ctx.font = 'bold 13px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#fff';
    ctx.fillStyle = '#c0392b';
    for (let k = 0; k < nLabels; k++) {
      ctx.strokeText(String(k), sums[2 * k], sums[2 * k + 1]);
      ctx.fillText(String(k), sums[2 * k], sums[2 * k + 1]);
    }
  }

  // 3. The worker and its protocol (see tsne-worker.js).
  const worker = new Worker(new URL('tsne-worker.js', import.meta.url), { type: 'module' });
  const data = X.data;
  const running = (on) => {
    $('start').disabled = on;
    $('stop').disabled = !on;
    document.body.dataset.state = on ? 'running' : 'ready';
  };
  worker.onerror = (e) => {
    $('status').textContent = `The worker failed: ${e.message}`;
    document.body.dataset.state = 'error';
  };
  worker.onmessage = ({ data: msg }) => {
    if (msg.type === 'pca') {
      $('status').textContent = `${count} ${info.noun}s of ${width} × ${height} pixels → ${msg.components} PCA coordinates in ${msg.ms.toFixed(0)} ms (${msg.backend} backend); t-SNE running…`;
    } else if (msg.type === 'step') {
      latest = msg.embedding;
      $('progress').textContent = `iteration ${msg.iteration} / ${msg.nIter}${msg.exaggeration > 1 ? ` (early exaggeration × ${msg.exaggeration})` : ''}, ` +
        `KL ${msg.kl.toFixed(3)}, ${(msg.elapsed / 1000).toFixed(1)} s`;
    } else if (msg.type === 'done') {
      latest = msg.embedding;
      $('progress').textContent = `${msg.stopped ? 'stopped' : 'done'} after ${msg.nIter} iterations (${msg.method}), KL ${msg.kl.toFixed(3)}, ${(msg.ms / 1000).toFixed(1)} s in all`;
      $('status').textContent = `${count} ${info.noun}s mapped. Change the perplexity and start again to compare.`;
      running(false);
    } else if (msg.type === 'error') {
      $('status').textContent = `t-SNE failed: ${msg.message}`;
      running(false);
      document.body.dataset.state = 'error';
    }
  };
  const start = () => {
    running(true);
    $('progress').textContent = '';
    // A copy goes to the worker, transferred (the original stays here for the next start).
    const copy = data.slice();
    worker.postMessage({
      type: 'start', data: copy, rows: count, cols: d,
      perplexity: Number($('perplexity').value), nIter: Number($('iterations').value), seed: Number($('seed').value),
    }, [copy.buffer]);
  };
  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', () => worker.postMessage({ type: 'stop' }));
  $('status').textContent = `${count} ${info.noun}s loaded; starting…`;
  start();
}
