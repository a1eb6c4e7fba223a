// The t-SNE worker of tsne.html. Protocol (messages from the page):
//   { type: 'start', data: Float64Array, rows, cols, perplexity, nIter, seed }
//       PCA to (at most) 50 coordinates, then tsne.fitAsync; while it runs the worker posts
//       { type: 'step', iteration, nIter, kl, exaggeration, elapsed, embedding: Float64Array }
//       (at most one every 15 ms, plus the last), then
//       { type: 'done', embedding, kl, nIter, stopped, method, ms }.
//   { type: 'stop' }  aborts the run: fitAsync returns the map so far (stopped: true).
// Errors come back as { type: 'error', message }.
import * as pca from '../../dist/pca.js';
import * as tsne from '../../dist/tsne.js';
import { backend, init } from '../../dist/wasm.js';
import { serveRuns } from './worker-runs.js';

const ready = init(); // WebAssembly SIMD where allowed; the TypeScript kernels otherwise

serveRuns('start', async (msg, signal) => {
  await ready;
  const X = { rows: msg.rows, cols: msg.cols, data: msg.data };
  const t0 = performance.now();
  const model = pca.fit(X, { nComponents: Math.min(50, msg.rows - 1, msg.cols) });
  const Z = pca.transform(model, X);
  self.postMessage({ type: 'pca', components: Z.cols, ms: performance.now() - t0, backend: backend() });
  let last = 0;
  const result = await tsne.fitAsync(Z, {
    perplexity: msg.perplexity,
    nIter: msg.nIter,
    seed: msg.seed,
    signal,
    onProgress: (p) => {
      // The page draws once per animation frame: posting more often would only queue copies.
      if (p.elapsed - last < 15 && p.iteration !== msg.nIter) return;
      last = p.elapsed;
      self.postMessage({
        type: 'step', iteration: p.iteration, nIter: msg.nIter, kl: p.kl, exaggeration: p.exaggeration,
        elapsed: p.elapsed, embedding: p.embedding.data,
      });
    },
  });
  self.postMessage({
    type: 'done', embedding: result.embedding.data, kl: result.kl, nIter: result.nIter, stopped: !result.completed,
    method: result.method, ms: performance.now() - t0,
  });
});
