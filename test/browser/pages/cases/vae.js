// The VAE case of the browser test: one epoch of a 784-32-4 VAE (float64, batch 128) on 1,000
// deterministic 28 × 28 "pictures" in [0, 1] (the suite's pattern, rescaled: the test page
// has no MNIST), then the history, some weights, codes, decodings, ELBO terms and the
// model's JSON round trip, compared between Chromium and Node on both backends. Float64
// for the reason given in cases/autodiff.js; the run is short (8 Adam steps), so a last-bit
// difference of Math.exp or Math.log1p between engines stays far below the comparison's
// tolerance.
import { flatData, pattern } from '../suite.js';

export function vaeCase(vae) {
  // pattern() values lie in [−3.9, 3.9]: (v + 3.9) / 7.8 ∈ [0, 1], computed exactly alike everywhere.
  const X = flatData(pattern(1000, 784, 1101));
  X.data.forEach((v, i) => { X.data[i] = (v + 3.9) / 7.8; });
  const model = vae.fit(X, { latent: 4, hidden: [32], epochs: 1, batchSize: 128, learningRate: 1e-3, seed: 7, dtype: 'float64' });
  const few = { rows: 5, cols: 784, data: X.data.subarray(0, 5 * 784) };
  const { mean, logVariance } = vae.encode(model, few);
  const terms = vae.elbo(model, few, { samples: 3, seed: 1 });
  const back = vae.load(vae.toJSON(model));
  return {
    'history (loss, reconstruction, kl), iterations': [model.history.loss[0], model.history.reconstruction[0], model.history.kl[0], model.iterations],
    'weights: mean head, last decoder bias': [...model.weights.mean.weight.data.subarray(0, 40), ...model.weights.decoder[1].bias.data.subarray(0, 40)],
    'encode mean, logVariance': [...mean.data, ...logVariance.data],
    'decode of the means': Array.from(vae.decode(model, mean).data.subarray(0, 200)),
    'elbo, reconstruction, kl': [...terms.elbo, ...terms.reconstruction, ...terms.kl],
    'toJSON / load round trip': [back.weights.decoder[0].weight.data[3] - model.weights.decoder[0].weight.data[3], back.nEpochs],
  };
}
