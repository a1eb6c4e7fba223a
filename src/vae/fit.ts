import { fail } from '../core/errors.js';
import { drive, driveAsync } from '../core/iterate.js';
import { asMatrix, type FloatArray, type Matrix, type MatrixInput } from '../core/matrix.js';
import { Random } from '../core/random.js';
import { valueAndGrad } from '../autodiff/grad.js';
import { adam } from '../autodiff/optim.js';
import { ResidentParams, residentWorkspace } from '../autodiff/resident.js';
import { cloneParams } from '../autodiff/tree.js';
import { meanElbo } from './infer.js';
import { freezeModel, type VaeHistory, type VaeModel } from './model.js';
import { initWeights, objective, type Architecture, type Net, type VaeWeights } from './network.js';
import { resolve, type Resolved, type VaeOptions, type VaeStep } from './options.js';

/** Copies rows `order[start..end)` of X into `into` (converting to its element type). */
function gatherRows(X: Matrix, order: Int32Array, start: number, end: number, into: FloatArray): void {
  const c = X.cols;
  for (let r = start; r < end; r++) into.set(X.data.subarray(order[r]! * c, (order[r]! + 1) * c), (r - start) * c);
}

/** The model around some weights (copied when `copy`: the run goes on changing its own). */
function modelOf(X: Matrix, o: Resolved, weights: VaeWeights, history: number[][], iterations: number, completed: boolean, copy: boolean): VaeModel {
  const column = (i: number) => Float64Array.from(history, (h) => h[i]!);
  const h: VaeHistory = { loss: column(0), reconstruction: column(1), kl: column(2), validationElbo: column(3) };
  return freezeModel({
    kind: 'vae', features: X.cols, options: o.settings, weights: copy ? cloneParams(weights) : weights, history: h,
    nEpochs: history.length, iterations, completed,
  });
}

/**
 * The one training loop: per minibatch, ε drawn, the summed objective and its gradient by
 * `valueAndGrad` (one Workspace for the run: nothing is allocated after the first steps),
 * one Adam step in place; per epoch, a shuffle and the validation ELBO. Weights, Adam's
 * moments, the minibatch and every value of a step live in the kernels' memory (WebAssembly
 * after `init()`), so no kernel call copies its operands in or out.
 */
function* run(X: Matrix, o: Resolved): Generator<VaeStep, VaeModel, boolean | undefined> {
  const s = o.settings;
  const a: Architecture = { features: X.cols, latent: s.latent, hidden: s.hidden, likelihood: s.likelihood, variational: s.variational, dtype: s.dtype };
  const { random } = o;
  // The weights and Adam's moments stay in the kernels' memory for the run (see ResidentParams).
  const resident = new ResidentParams(initWeights(a, random), adam({ learningRate: s.learningRate }));
  // The validation ε comes from a stream of its own, the same every epoch (a smoother curve).
  const validationSeed = random.uint32();
  // The step's values, and the minibatch with its ε, are made in the kernels' memory too.
  const workspace = residentWorkspace(), batchSpace = residentWorkspace();
  const n = X.rows, size = Math.min(s.batchSize, n);
  /**
   * The minibatch buffers of `rows` rows, fresh views of one region at every call: x and ε
   * share a single buffer, since a second region's allocation could grow the memory and
   * detach the view of the first.
   */
  const batchOf = (rows: number) => {
    batchSpace.reset();
    const width = rows * a.features;
    const data = batchSpace.take(a.dtype, width + (s.variational ? rows * a.latent : 0));
    const x: Matrix = { rows, cols: a.features, data: data.subarray(0, width) };
    const eps: Matrix | null = s.variational ? { rows, cols: a.latent, data: data.subarray(width) } : null;
    return { x, eps };
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const history: number[][] = [];
  let iteration = 0;
  // The regions are given back when the run ends (or fails: release is idempotent); the
  // model gets the weights as plain arrays.
  const releaseAll = () => {
    resident.release();
    workspace.release();
    batchSpace.release();
  };
  const finish = (completed: boolean) => {
    releaseAll();
    return modelOf(X, o, resident.params(), history, iteration, completed, false);
  };
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      random.shuffle(order);
      let lossSum = 0, recSum = 0, klSum = 0;
      for (let start = 0, b = 0; start < n; start += size, b++) {
        if (o.signal?.aborted === true) return finish(false);
        const end = Math.min(n, start + size), rows = end - start;
        const batch = batchOf(rows);
        gatherRows(X, order, start, end, batch.x.data);
        if (batch.eps !== null) random.fillNormal(batch.eps.data);
        let rec = 0, kl = 0;
        const gradient = (checkFinite: boolean) => resident.stable((w) => {
          const { x, eps } = batchOf(rows);
          return valueAndGrad((v: unknown) => {
            const t = objective(a, s.beta, v as Net, x, eps);
            rec = t.reconstruction.data[0]!;
            kl = t.kl === null ? 0 : t.kl.data[0]!;
            return t.loss;
          }, w, { workspace, checkFinite });
        });
        // Unchecked (a pass over every value and gradient saved, ~3% of a step); a loss that is
        // not finite is recomputed checked, which stops with the op where it first went wrong.
        const { value, grads } = gradient(false);
        if (!Number.isFinite(value)) {
          gradient(true);
          fail('NON_FINITE', `fit: the loss of minibatch ${b} of epoch ${epoch} is ${value}; lower the learning rate, or check the data`);
        }
        resident.step(grads);
        lossSum += value;
        recSum += rec;
        klSum += kl;
        iteration++;
        const epochEnd = end === n;
        let validationElbo = NaN;
        if (epochEnd) {
          if (o.validation !== undefined) validationElbo = resident.stable((w) => meanElbo(a, w, o.validation!, new Random(validationSeed)));
          history.push([lossSum / n, recSum / n, klSum / n, validationElbo]);
        }
        const done = iteration;
        const step: VaeStep = {
          epoch, batch: b, iteration, loss: value / rows, reconstruction: rec / rows, kl: kl / rows, epochEnd, validationElbo,
          // The weights as they are when it is called: call it from onProgress, before the next step.
          snapshot: () => modelOf(X, o, resident.params(), history, done, false, true),
        };
        const last = epochEnd && epoch === s.epochs - 1;
        if ((yield step) === true && !last) return finish(false);
      }
    }
    return finish(true);
  } finally {
    releaseAll();
  }
}

/**
 * Training as a generator of minibatch steps: the one loop {@link fit} and {@link fitAsync}
 * run. Yields a {@link VaeStep} after every minibatch and returns the model; `next(true)`
 * stops early and returns the model so far (`completed: false`), and so does an aborted
 * `signal`, checked before every minibatch. Options are checked when it is called.
 *
 * @param X - (nSamples, nFeatures); in [0, 1] for the default Bernoulli likelihood
 * @throws {@link core!LatentSpaceError} `INVALID_OPTION`, `INVALID_INPUT` (data outside [0, 1]
 *   with likelihood 'bernoulli'), `SHAPE_MISMATCH` (validation), the coercion errors of
 *   `asMatrix`, and `NON_FINITE` naming the op if training diverges
 *
 * @example
 * ```ts
 * const it = vae.steps(X, { epochs: 5 });
 * let r = it.next();
 * while (!r.done) r = it.next(r.value.loss < 120); // stop once a batch's loss is below 120
 * r.value.kind; // 'vae'
 * ```
 */
export function steps(X: MatrixInput, options?: VaeOptions): Generator<VaeStep, VaeModel, boolean | undefined> {
  const x = asMatrix(X, 'X');
  return run(x, resolve(options, x));
}

const lossOf = (s: VaeStep): number => s.loss;

/**
 * Trains a variational autoencoder (Kingma & Welling 2014): an encoder maps each sample to
 * a diagonal Gaussian q(z | x) = N(μ(x), diag σ²(x)) over the latent codes, a decoder maps
 * a code back to p(x | z), and both are trained together by Adam on minibatches to
 * maximise the evidence lower bound E_q[log p(x | z)] − KL(q(z | x) ‖ N(0, I)), through
 * z = μ + σ·ε (the reparameterisation trick). The objective is summed over each
 * minibatch, as PyTorch's examples/vae; with `variational: false` it is a plain
 * autoencoder, with `beta` a β-VAE.
 *
 * Matrix products run on `latentspace/autodiff`'s GEMM (WebAssembly SIMD after `init()`
 * from `latentspace/wasm`), in float32 unless `dtype: 'float64'`.
 *
 * @param X - (nSamples, nFeatures): number[][], Matrix, ndarray or ml-matrix
 * @returns a frozen {@link VaeModel}
 * @see Kingma & Welling (2014), "Auto-encoding variational Bayes", ICLR
 * @see Rezende, Mohamed & Wierstra (2014), "Stochastic backpropagation and approximate inference in deep generative models", ICML
 * @see Higgins et al. (2017), "β-VAE: learning basic visual concepts with a constrained variational framework", ICLR
 *
 * @example
 * ```ts
 * import * as vae from 'latentspace/vae';
 * const model = vae.fit(digits, { latent: 20, hidden: [400], epochs: 10, seed: 0 });
 * const { mean } = vae.encode(model, digits);       // (nSamples × 20)
 * const pictures = vae.decode(model, mean);         // (nSamples × 784), pixel probabilities
 * model.history.loss.length;                        // 10
 * ```
 */
export function fit(X: MatrixInput, options?: VaeOptions): VaeModel {
  return drive(steps(X, options), lossOf, options?.onProgress);
}

/**
 * {@link fit}, yielding to the event loop between minibatches: a page (or a Worker that
 * listens for messages) stays responsive, and `onProgress` can draw as it learns.
 *
 * @example
 * ```ts
 * const model = await vae.fitAsync(X, { onProgress: (s) => { if (s.batch % 10 === 0) draw(vae.reconstruct(s.snapshot(), few)); } });
 * model.completed; // true unless stopped
 * ```
 */
export async function fitAsync(X: MatrixInput, options?: VaeOptions): Promise<VaeModel> {
  return driveAsync(steps(X, options), lossOf, options?.onProgress);
}
