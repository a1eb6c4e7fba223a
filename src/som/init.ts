// The starting weights of a map: the plane of the first two principal components, random
// values in the data's box, random rows, or weights given by the caller.
import { isMatrix, type Matrix } from '../core/matrix.js';
import type { Random } from '../core/random.js';
import { columnMeans } from '../linalg/rows.js';
import { fit as pcaFit } from '../pca/fit.js';
import { unitPositions, type GridShape } from './topology.js';

/**
 * What the initialisation needs: the grid, the choice, and the random source.
 *
 * @example
 * ```ts
 * initialWeights(X, { width: 4, height: 3, topology: 'rectangular', toroidal: false, init: 'pca', rng: new Random(0) });
 * ```
 */
export interface InitOptions extends GridShape {
  readonly init: 'pca' | 'random' | 'sample' | Matrix;
  readonly rng: Random;
}

/**
 * Starting weights (units × d, float64); see `SomInit` for the choices. `mean` gives the
 * column means of X (the PCA plane's centre), `columnMeans(X)` unless the caller has them.
 *
 * @example
 * ```ts
 * initialWeights(X, { width: 4, height: 3, topology: 'hexagonal', toroidal: false, init: 'sample', rng: new Random(1) }).length; // 12 · X.cols
 * ```
 */
export function initialWeights(X: Matrix, o: InitOptions, mean: () => Float64Array = () => columnMeans(X)): Float64Array {
  const { rows: n, cols: d, data } = X;
  const units = o.width * o.height;
  const W = new Float64Array(units * d);
  const init = o.init;
  if (isMatrix(init)) {
    W.set(init.data);
  } else if (init === 'sample') {
    const pick = units <= n ? o.rng.sampleWithoutReplacement(n, units) : Int32Array.from({ length: units }, () => o.rng.int(n));
    for (let u = 0; u < units; u++) for (let j = 0; j < d; j++) W[u * d + j] = data[pick[u]! * d + j]!;
  } else if (init === 'random') {
    const lo = new Float64Array(d).fill(Infinity), hi = new Float64Array(d).fill(-Infinity);
    for (let p = 0; p < n * d; p++) {
      const j = p % d, v = data[p]!;
      if (v < lo[j]!) lo[j] = v;
      if (v > hi[j]!) hi[j] = v;
    }
    for (let u = 0; u < units; u++) for (let j = 0; j < d; j++) W[u * d + j] = o.rng.uniform(lo[j]!, hi[j]!);
  } else {
    pcaPlane(X, o, W, mean());
  }
  return W;
}

/**
 * The linear initialisation: mean + a·√λ₁·v₁ + b·√λ₂·v₂, (a, b) the unit's position scaled
 * to [−1, 1] along the grid's longer and shorter axes.
 */
function pcaPlane(X: Matrix, o: InitOptions, W: Float64Array, mean: Float64Array): void {
  const { rows: n, cols: d } = X;
  const units = o.width * o.height;
  for (let u = 0; u < units; u++) W.set(mean, u * d);
  const k = Math.min(2, d, n - 1);
  if (k < 1) return;
  // Only a starting plane: on large data a seeded sample of rows is plenty (about 2M values).
  const budget = Math.max(1000, Math.floor(2 ** 21 / d));
  let sample = X;
  if (n > budget) {
    const pick = o.rng.sampleWithoutReplacement(n, budget);
    const data = new Float64Array(budget * d);
    for (let r = 0; r < budget; r++) data.set(X.data.subarray(pick[r]! * d, pick[r]! * d + d), r * d);
    sample = { rows: budget, cols: d, data };
  }
  const model = pcaFit(sample, { nComponents: k, seed: o.rng.uint32() });
  const pos = unitPositions(o);
  // Coordinates along x (columns) and y (rows), each scaled to [−1, 1].
  const axes: Float64Array[] = [0, 1].map((a) => {
    let lo = Infinity, hi = -Infinity;
    for (let u = 0; u < units; u++) {
      lo = Math.min(lo, pos[2 * u + a]!);
      hi = Math.max(hi, pos[2 * u + a]!);
    }
    const mid = (lo + hi) / 2, half = (hi - lo) / 2;
    return Float64Array.from({ length: units }, (_, u) => (half > 0 ? (pos[2 * u + a]! - mid) / half : 0));
  });
  // The longer axis of the map takes the first component.
  const order = o.width >= o.height ? [axes[0]!, axes[1]!] : [axes[1]!, axes[0]!];
  const comps = model.components.data;
  for (let c = 0; c < k; c++) {
    const scale = Math.sqrt(Math.max(0, model.explainedVariance[c]!));
    const coord = order[c]!;
    for (let u = 0; u < units; u++) {
      const a = coord[u]! * scale;
      if (a === 0) continue;
      for (let j = 0; j < d; j++) W[u * d + j] = W[u * d + j]! + a * comps[c * d + j]!;
    }
  }
}

