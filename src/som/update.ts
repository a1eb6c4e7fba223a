// Kohonen's batch map: one epoch of the batch method (the online rule is in online.ts).
import { gemmKernel } from '../linalg/kernels/dispatch.js';
import type { UnitSums } from './search.js';

/**
 * One batch epoch: from the per-unit sums S and counts N of the rows each unit won (as
 * `UnitSearch.find` gathers them while matching), every unit becomes
 * Σᵥ h(u, v)·Sᵥ / Σᵥ h(u, v)·Nᵥ: one (units × units) · (units × d) product on the active
 * backend. A unit whose denominator is not positive (no row won near it) keeps its weights.
 *
 * @example
 * ```ts
 * const sums = { S: new Float64Array(units * d), N: new Float64Array(units) };
 * search.find(W, units, false, undefined, sums);
 * batchUpdate(sums, H, W, units, d, new Float64Array(units * d));
 * ```
 */
export function batchUpdate({ S, N }: UnitSums, H: Float64Array, W: Float64Array, units: number, d: number, num: Float64Array): void {
  gemmKernel()(false, false, units, d, units, 1, H, 0, units, S, 0, d, 0, num, 0, d);
  for (let u = 0; u < units; u++) {
    let den = 0;
    for (let v = 0, p = u * units; v < units; v++) den += H[p + v]! * N[v]!;
    if (!(den > 0)) continue;
    for (let j = 0, q = u * d; j < d; j++) W[q + j] = num[q + j]! / den;
  }
}
