/**
 * `latentspace/vae`: variational autoencoders (Kingma & Welling 2014) on
 * `latentspace/autodiff`. `fit` trains an encoder q(z | x) and a decoder p(x | z) by Adam;
 * the model is a plain object (post it to a Worker, save it with `toJSON`). Then: `encode`
 * and `posterior` (the diagonal Gaussian `latentspace/interp` walks between), `decode`,
 * `reconstruct`, `sample`, `elbo`, `logLikelihood`, and `decodePath` for walks. See
 * docs/vae.md.
 *
 * ```ts
 * import * as vae from 'latentspace/vae';
 * import * as interp from 'latentspace/interp';
 * const model = vae.fit(digits, { latent: 20, hidden: [400], epochs: 10, seed: 0 });
 * const { mean, logVariance } = vae.encode(model, digits);     // (n × 20) each
 * const walk = interp.geodesicPath(vae.posterior(model, a), vae.posterior(model, b), { steps: 8, metric: 'fisher-rao' });
 * const strip = vae.decodePath(model, walk);                     // (8 × 784) pixel probabilities
 * vae.elbo(model, digits, { samples: 10 }).elbo;                 // per-digit lower bound of log p(x)
 * ```
 *
 * @packageDocumentation
 */
export { fit, fitAsync, steps } from './fit.js';
export type { VaeOptions, VaeStep } from './options.js';
export type { VaeSettings } from './model.js';
export type { Likelihood } from './network.js';
export { encode, posterior, decode, reconstruct, sample, elbo, logLikelihood, decodePath } from './infer.js';
export type { SampleOptions, ElboOptions, ElboResult } from './infer.js';
export { load, fromJSON } from './model.js';
export type { VaeModel, VaeHistory } from './model.js';
export type { VaeWeights } from './network.js';
export type { DenseParams } from '../autodiff/layers.js';
export type { Progress, OnProgress } from '../core/iterate.js';
export type { Matrix } from '../core/matrix.js';
export { toJSON } from '../core/json.js';
