// The t-SNE case of the browser test: short deterministic runs of latentspace/tsne (40
// points, 30 iterations) with each method, compared between Chromium and Node on both
// backends. Everything that feeds the optimiser is engine-independent (portable exp/log
// in the affinities, neighbour distances recomputed outside the kernels, a PCA start
// rounded to 2⁻²⁴ of its scale, FFT twiddles from a series, no Math.exp/log/sin/cos), but
// early t-SNE on 40 points with the default learning rate (50) multiplies a 1-ulp change
// by ~1e8 in 30 iterations; with learning rate 10 by ~1e4 (measured), far below 1e-9.
import { pattern } from '../suite.js';

export function tsneCase(tsne) {
  const X = pattern(40, 6, 1101);
  const out = {};
  for (const method of ['exact', 'barnes-hut', 'fft']) {
    const model = tsne.fit(X, { method, perplexity: 5, nIter: 30, earlyExaggerationIter: 20, learningRate: 10, init: method === 'exact' ? 'pca' : 'random', seed: 4 });
    out[`${method} embedding`] = Array.from(model.embedding.data);
    out[`${method} kl`] = [model.kl];
  }
  out['affinities'] = Array.from(tsne.fit(X, { perplexity: 5, nIter: 0 }).affinities.val.subarray(0, 60));
  const model = tsne.fit(X, { method: 'barnes-hut', perplexity: 5, nIter: 30, learningRate: 10, seed: 4 });
  out['transform'] = Array.from(tsne.transform(model, pattern(3, 6, 1102), { nIter: 20 }).data);
  return out;
}
