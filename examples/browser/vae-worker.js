// The VAE worker of vae.html. Protocol (messages from the page):
//   { type: 'train', data: Float32Array, rows, cols, show: Float32Array (rows to reconstruct),
//     latent, hidden, epochs, seed }
//       vae.fitAsync on the pictures; while it runs the worker posts
//       { type: 'step', epoch, epochs, batch, batches, loss, reconstruction, kl, elapsed,
//         reconstructions?: Float32Array }   (reconstructions of `show`, at most every 250 ms)
//       then { type: 'done', model, ms }: the trained model itself (a plain object: it
//       arrives by structured clone, ready for vae.decode in the page).
//   { type: 'stop' }  aborts the run: fitAsync returns the model so far (completed: false).
// Errors come back as { type: 'error', message }.
import * as vae from '../../dist/vae.js';
import { backend, init } from '../../dist/wasm.js';
import { serveRuns } from './worker-runs.js';

const ready = init(); // WebAssembly SIMD where allowed; the TypeScript kernels otherwise

serveRuns('train', async (msg, signal) => {
  await ready;
  self.postMessage({ type: 'backend', backend: backend() });
  const X = { rows: msg.rows, cols: msg.cols, data: msg.data };
  const show = { rows: msg.show.length / msg.cols, cols: msg.cols, data: msg.show };
  const batches = Math.ceil(msg.rows / 128);
  const t0 = performance.now();
  let last = -Infinity;
  const model = await vae.fitAsync(X, {
    latent: msg.latent, hidden: msg.hidden, epochs: msg.epochs, seed: msg.seed, signal,
    onProgress: (p) => {
      const due = p.elapsed - last >= 250 || p.epochEnd;
      const step = {
        type: 'step', epoch: p.epoch, epochs: msg.epochs, batch: p.batch, batches, loss: p.loss,
        reconstruction: p.reconstruction, kl: p.kl, elapsed: p.elapsed,
      };
      if (due) {
        last = p.elapsed;
        step.reconstructions = vae.reconstruct(p.snapshot(), show).data;
      }
      self.postMessage(step);
    },
  });
  self.postMessage({ type: 'done', model, ms: performance.now() - t0 });
});
