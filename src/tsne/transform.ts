// Placing new points into an existing map, openTSNE's way (Poličar et al. 2019): each new
// point gets affinities to the training points only, starts at the median of its
// neighbours' positions, and is optimised against the fixed training embedding; new
// points do not act on each other.

import { fail, finiteResults } from '../core/errors.js';
import { asRows, singleRow, type FlatArray, type Matrix, type RowsInput } from '../core/matrix.js';
import { checkInt, checkNumber, checkOptions, checkSignal, MAX_ITERATIONS, optionNames } from '../core/options.js';
import { conditionalP, nearestNeighbours } from './affinities.js';
import { BarnesHutTree } from './barnes-hut.js';
import { descend, type GradientFn } from './descent.js';
import { metricDistances, searchRows } from './fit.js';
import { checkModel, type TsneModel } from './model.js';
import { MAX_LEARNING_RATE } from './options.js';
import { drive } from '../core/iterate.js';

/**
 * Options of {@link transform} (defaults as openTSNE's `transform`).
 *
 * @example
 * ```ts
 * tsne.transform(model, Xnew, { perplexity: 5, nIter: 250 });
 * ```
 */
export interface TransformOptions {
  /**
   * Perplexity of each new point's affinities to the training points; small keeps new
   * points close to their nearest neighbours.
   * @defaultValue 5 (or less when the model has few points)
   */
  perplexity?: number;
  /**
   * Optimisation steps.
   * @defaultValue 250
   */
  nIter?: number;
  /**
   * Step size.
   * @defaultValue 0.1
   */
  learningRate?: number;
  /**
   * Momentum.
   * @defaultValue 0.8
   */
  momentum?: number;
  /**
   * Each new point's gradient is clipped to this norm, so no point jumps across the map.
   * @defaultValue 0.25
   */
  maxGradNorm?: number;
  /**
   * Barnes-Hut opening angle for the repulsion of the (fixed) training points.
   * @defaultValue the model's theta
   */
  theta?: number;
  /** Stops the optimisation early; the positions so far are returned. */
  signal?: AbortSignal;
}

/** Every option name of {@link TransformOptions} (unknown ones are rejected). */
const TRANSFORM_OPTION_NAMES = optionNames<TransformOptions>()('perplexity', 'nIter', 'learningRate', 'momentum', 'maxGradNorm', 'theta', 'signal');

/**
 * Embeds new points into a fitted map without moving the training points: affinities of
 * every new point to its nearest training points (with the model's metric), a start at
 * the coordinate-wise median of those neighbours' positions, then gradient descent on
 * each point's KL divergence KL(Pᵢ‖Qᵢ), Qᵢ over the training points, whose repulsion
 * comes from a Barnes-Hut tree of the training embedding built once. Needs the model's
 * training data (kept in `model.data`).
 *
 * @param Xnew - (mSamples, nFeatures), the model's number of features; or one sample as a
 *   `number[]` or 1-D typed array
 * @returns (mSamples × nComponents) positions in the map; for one sample, its position
 * @throws {@link core!LatentSpaceError} `SHAPE_MISMATCH` for a different number of features,
 *   `INVALID_OPTION`, and the coercion errors of `asMatrix`
 *
 * @see Poličar, Stražar & Zupan (2019), openTSNE: a modular Python library for t-SNE
 *   dimensionality reduction and embedding (section "Adding new data points")
 *
 * @example
 * ```ts
 * const model = tsne.fit(X, { seed: 1 });
 * const Ynew = tsne.transform(model, Xnew);
 * Ynew.rows; // Xnew.length
 * ```
 */
export function transform(model: TsneModel, Xnew: FlatArray, options?: TransformOptions): Float64Array;
export function transform(model: TsneModel, Xnew: RowsInput, options?: TransformOptions): Matrix<Float64Array>;
export function transform(model: TsneModel, Xnew: RowsInput | FlatArray, options?: TransformOptions): Matrix<Float64Array> | Float64Array;
export function transform(model: TsneModel, Xnew: RowsInput | FlatArray, options?: TransformOptions): Matrix<Float64Array> | Float64Array {
  checkModel(model);
  const o = checkOptions(options, TRANSFORM_OPTION_NAMES);
  const train = model.data, E = model.embedding;
  const n = train.rows, dim = E.cols;
  const { matrix: x, single } = asRows(Xnew, 'Xnew', { dtype: 'float64' });
  if (x.cols !== train.cols) fail('SHAPE_MISMATCH', `Xnew: rows have ${x.cols} features, expected ${train.cols} (the model's training data)`);
  const m = x.rows;
  const perplexity = checkNumber(o.perplexity ?? Math.min(5, (n - 1) / 3), 'perplexity', Number.MIN_VALUE, n - 1);
  const nIter = checkInt(o.nIter ?? 250, 'nIter', 0, MAX_ITERATIONS);
  const learningRate = checkNumber(o.learningRate ?? 0.1, 'learningRate', Number.MIN_VALUE, MAX_LEARNING_RATE);
  const signal = checkSignal(o.signal);
  const momentum = checkNumber(o.momentum ?? 0.8, 'momentum', 0, 1);
  const maxGradNorm = checkNumber(o.maxGradNorm ?? 0.25, 'maxGradNorm', Number.MIN_VALUE);
  const theta = checkNumber(o.theta ?? model.theta, 'theta', 0);
  const k = Math.min(n, Math.floor(3 * perplexity + 1));
  const nb = nearestNeighbours(searchRows(x, model.metric, 'Xnew'), searchRows(train, model.metric, 'X'), k, false);
  const P = conditionalP(metricDistances(nb.dist as Float64Array, model.metric), m, k, perplexity);
  const Y = medianStart(nb.index, m, k, E.data, dim);
  const tree = new BarnesHutTree(dim);
  tree.build(E.data, n);
  const gradient = transformGradient(nb.index, P, k, E.data, dim, tree, theta, maxGradNorm);
  const settings = { method: 'barnes-hut' as const, theta, learningRate, yieldEvery: Math.max(1, nIter), signal };
  drive(descend(Y, m, dim, gradient, settings, [{ iterations: nIter, exaggeration: 1, momentum }], 0, NaN), (s) => s.kl);
  const out = { rows: m, cols: dim, data: finiteResults(Y, 'Xnew', 'a coordinate of the embedding') };
  return single ? singleRow(out) : out;
}

/** Coordinate-wise median of each new point's neighbours' positions, (m × dim). */
function medianStart(index: Int32Array, m: number, k: number, E: Float64Array, dim: number): Float64Array {
  const Y = new Float64Array(m * dim);
  const vals = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < dim; c++) {
      for (let a = 0; a < k; a++) vals[a] = E[index[i * k + a]! * dim + c]!;
      vals.sort();
      Y[i * dim + c] = k % 2 === 1 ? vals[(k - 1) / 2]! : (vals[k / 2 - 1]! + vals[k / 2]!) / 2;
    }
  }
  return Y;
}

/**
 * Gradient of Σᵢ KL(Pᵢ‖Qᵢ) for the new points: 2·(Σⱼ pⱼ|ᵢ wᵢⱼ (yᵢ − yⱼ) − Σⱼ wᵢⱼ² (yᵢ − yⱼ) / zᵢ)
 * with zᵢ = Σⱼ wᵢⱼ over the training points, each point's gradient clipped to `maxNorm`;
 * the measured cost is the mean KL per new point.
 */
function transformGradient(
  index: Int32Array, P: Float64Array, k: number, E: Float64Array, dim: number,
  tree: BarnesHutTree, theta: number, maxNorm: number,
): GradientFn {
  let rep = new Float64Array(0), z = new Float64Array(0);
  return (Y, grad, exaggeration, measure) => {
    const m = Y.length / dim;
    if (z.length < m) {
      rep = new Float64Array(m * dim);
      z = new Float64Array(m);
    }
    tree.traverse(Y, m, theta, rep, z, false);
    let cost = 0;
    for (let i = 0; i < m; i++) {
      let norm = 0;
      for (let c = 0; c < dim; c++) grad[i * dim + c] = -rep[i * dim + c]! / z[i]!;
      for (let a = 0; a < k; a++) {
        const j = index[i * k + a]!;
        let d2 = 0;
        for (let c = 0; c < dim; c++) {
          const t = Y[i * dim + c]! - E[j * dim + c]!;
          d2 += t * t;
        }
        const p = P[i * k + a]!;
        const pw = (exaggeration * p) / (1 + d2);
        for (let c = 0; c < dim; c++) grad[i * dim + c] = grad[i * dim + c]! + pw * (Y[i * dim + c]! - E[j * dim + c]!);
        if (measure && p > 0) cost += p * (Math.log(p) + Math.log1p(d2));
      }
      if (measure) cost += Math.log(z[i]!);
      for (let c = 0; c < dim; c++) {
        grad[i * dim + c] = 2 * grad[i * dim + c]!;
        norm += grad[i * dim + c]! ** 2;
      }
      if (norm > maxNorm * maxNorm) {
        const s = maxNorm / Math.sqrt(norm);
        for (let c = 0; c < dim; c++) grad[i * dim + c] = grad[i * dim + c]! * s;
      }
    }
    return measure ? cost / m : NaN;
  };
}
