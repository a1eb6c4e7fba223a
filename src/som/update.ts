// The two ways a map learns in an epoch: Kohonen's batch map and the classic online rule.
import { describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { Random } from '../core/random.js';
import { scheduleAt, type Decay } from './math.js';
import type { NeighborhoodFunction } from './topology.js';
import { gemmKernel } from '../linalg/kernels/dispatch.js';

/**
 * What the online rule needs: the run's length, its schedules and the neighbourhood.
 *
 * @example
 * ```ts
 * const o: OnlineOptions = { epochs: 10, sigma: { start: 5, end: 0.5 }, alpha: { start: 0.5, end: 0.01 }, decay: 'linear', h, rng };
 * ```
 */
export interface OnlineOptions {
  readonly epochs: number;
  readonly sigma: { readonly start: number; readonly end: number };
  readonly alpha: { readonly start: number; readonly end: number };
  readonly decay: Decay;
  readonly h: NeighborhoodFunction;
  readonly rng: Random;
}

/**
 * One batch epoch: per-unit sums S and counts N of the rows each unit won, then every unit
 * becomes Σᵥ h(u, v)·Sᵥ / Σᵥ h(u, v)·Nᵥ: one (units × units) · (units × d) product on the
 * active backend. A unit whose denominator is not positive (no row won near it) keeps its
 * weights.
 *
 * @example
 * ```ts
 * batchUpdate(X, matches.first, H, W, units, new Float64Array(units * d), new Float64Array(units), new Float64Array(units * d));
 * ```
 */
export function batchUpdate(X: Matrix, bmu: Int32Array, H: Float64Array, W: Float64Array, units: number, S: Float64Array, N: Float64Array, num: Float64Array): void {
  const { rows: n, cols: d, data } = X;
  S.fill(0);
  N.fill(0);
  for (let i = 0; i < n; i++) {
    const u = bmu[i]!;
    N[u] = N[u]! + 1;
    for (let j = 0, p = i * d, q = u * d; j < d; j++) S[q + j] = S[q + j]! + data[p + j]!;
  }
  gemmKernel()(false, false, units, d, units, 1, H, 0, units, S, 0, d, 0, num, 0, d);
  for (let u = 0; u < units; u++) {
    let den = 0;
    for (let v = 0, p = u * units; v < units; v++) den += H[p + v]! * N[v]!;
    if (!(den > 0)) continue;
    for (let j = 0, q = u * d; j < d; j++) W[q + j] = num[q + j]! / den;
  }
}

/**
 * One online epoch: the rows in a random order; for each, its best unit by exact distances,
 * then every unit moves towards the row by α·h(grid distance, σ), α and σ at that row's
 * point of the whole run. Returns σ and α at the epoch's last row.
 *
 * @example
 * ```ts
 * const { sigma, alpha } = onlineEpoch(X, options, gridDistances(grid), W, units, 0); // the first epoch
 * ```
 */
export function onlineEpoch(X: Matrix, o: OnlineOptions, G: Float64Array, W: Float64Array, units: number, epoch: number): { sigma: number; alpha: number } {
  const { rows: n, cols: d, data } = X;
  const order = o.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const total = o.epochs * n;
  let sigma = o.sigma.start, alpha = o.alpha.start;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const f = total > 1 ? (epoch * n + t) / (total - 1) : 0;
    sigma = scheduleAt(o.sigma.start, o.sigma.end, o.decay, f);
    alpha = scheduleAt(o.alpha.start, o.alpha.end, o.decay, f);
    // The best unit by exact distances, with partial distance search: a unit is dropped as
    // soon as its running sum (which only grows) reaches the best so far, checked every 32
    // features. The same winner as the full sums (the lowest index on ties).
    let best = 0, bestDist = Infinity;
    for (let u = 0; u < units; u++) {
      let s = 0;
      for (let j = 0, p = i * d, q = u * d; j < d && s < bestDist; ) {
        const stop = Math.min(d, j + 32);
        for (; j < stop; j++) {
          const e = data[p + j]! - W[q + j]!;
          s += e * e;
        }
      }
      if (s < bestDist) {
        bestDist = s;
        best = u;
      }
    }
    for (let u = 0, g = best * units; u < units; u++) {
      const hv = o.h(G[g + u]!, sigma);
      if (typeof hv !== 'number' || !Number.isFinite(hv)) {
        fail('INVALID_OPTION', `neighborhood: the function returned ${describe(hv)} for distance ${G[g + u]} and sigma ${sigma}, expected a finite number`);
      }
      const a = alpha * hv;
      if (a === 0) continue;
      for (let j = 0, p = i * d, q = u * d; j < d; j++) W[q + j] = W[q + j]! + a * (data[p + j]! - W[q + j]!);
    }
  }
  return { sigma, alpha };
}

