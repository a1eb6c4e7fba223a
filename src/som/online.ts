// The online rule, w_u ← w_u + α·h(d(c, u), σ)·(x − w_u) for every row in turn, run a
// block of rows at a time so that its two costs, finding each row's best unit (units × d
// per row) and moving the units (d per unit moved), become matrix products on the active
// backend instead of loops over d in TypeScript.
//
// Within a block of rows x_0 … x_{m−1} (in the epoch's order), every unit stays a linear
// combination of its weights at the block's start and the block's rows:
//   w_u = c_u·w⁰_u + g_u·Σ_s β_us·x_s,   and one update makes it (1 − a)·w_u + a·x_k,
// so it is bookkept in O(1), not O(d): c_u and g_u times (1 − a), then β_uk = a/g_u.
// What the search needs follows the same recurrence: P_tu = x_t·w_u for the block's later
// rows (P_tu ← (1 − a)·P_tu + a·x_t·x_k: O(block) per unit moved) and N_u = ‖w_u‖², so a row's scores
// N_u − 2·P_tu (its squared distances less ‖x_t‖²) cost O(units). Two GEMMs per block
// start it (P = W⁰·Xᵀ and the rows' Gram matrix) and one ends it (W = diag(c)·W⁰ + diag(g)·β·X;
// the pass that adds the product also measures N for the next block).
// Every rounding error of P and N is bounded as it is made (Higham's γ_d for the GEMMs,
// a few units of roundoff per recurrence step); a row whose runner-up lies within the
// bound of its best score is settled by exact distances, Σ(x − w)², to the candidates'
// weights as they stand. Equal to the row-by-row rule up to rounding (test/som).
//
// Only the units within the neighbourhood's support move: walked in order of grid
// distance from the winner (a table made once per fit), up to where the function
// vanishes (bubble, triangle) or falls below 1e-8 of its peak (Gaussian, Mexican hat).
import { describe, fail } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { Random } from '../core/random.js';
import { gemmKernel, regionKernel } from '../linalg/kernels/dispatch.js';
import type { Region } from '../linalg/kernels/types.js';
import { scheduleAt, type Decay } from './math.js';
import { distanceTable, type NeighborhoodFunction } from './topology.js';

/**
 * What the online rule needs: the run's length, its schedules, the neighbourhood and the
 * grid distance beyond which it is neglected, per unit of σ (`Infinity`: never).
 *
 * @example
 * ```ts
 * const o: OnlineOptions = { epochs: 10, sigma: { start: 5, end: 0.5 }, alpha: { start: 0.5, end: 0.01 }, decay: 'linear', h, reach: Infinity, rng };
 * ```
 */
export interface OnlineOptions {
  readonly epochs: number;
  readonly sigma: { readonly start: number; readonly end: number };
  readonly alpha: { readonly start: number; readonly end: number };
  readonly decay: Decay;
  readonly h: NeighborhoodFunction;
  /** Units farther than reach·σ from the winner do not move (see `supportReach`). */
  readonly reach: number;
  readonly rng: Random;
}

/** Unit roundoff of float64. */
const U = 2 ** -53;

// Rows per block. The two GEMMs cost 2·units·d per row whatever the block (SIMD GEMMs run
// faster on wider blocks); the bookkeeping costs about units·block/2 per row, and the pass
// that ends a block units·d/block per row: 64 balances them at d = 784 (MNIST, 400 units:
// about 0.14 ms a row in all, half of it in the GEMMs; measured: 32 rows 3%, 128 rows 7% slower). Short rows
// need no long blocks: d/8 rows, at least 1.
const MAX_BLOCK = 64;

/**
 * Runs the online rule over a fit: created once (the grid's order tables and the block
 * buffers), then called once per epoch. Updates `W` (units × d, float64) at the end of
 * every epoch. The operands of the block GEMMs (the weights, the block's rows, P, β and
 * β·X) live in regions of the kernels' memory for the whole fit, so no GEMM copies them
 * in or out (the weights alone were 2.5 MB each way per block of 64 MNIST rows);
 * `release()` gives them back.
 *
 * @example
 * ```ts
 * const trainer = new OnlineTrainer(X, options, gridDistances(grid), W);
 * const { sigma, alpha } = trainer.epoch(0); // the first epoch
 * trainer.release();
 * ```
 */
export class OnlineTrainer {
  private readonly n: number;
  private readonly d: number;
  private readonly units: number;
  private readonly block: number;
  /** Grid distances (units × units) and, per winner, the units in order of distance from it. */
  private readonly G: Float64Array;
  private readonly near: Int32Array;
  /** γ_d: the relative error bound of a dot product of length d. */
  private readonly gamma: number;
  // Block buffers (see the head of the file); the regions' views are taken afresh after
  // every kernel call (a call may grow the memory and detach them).
  private readonly order: Int32Array;
  /** The weights as the run moves them, (units × d). */
  private readonly Wr: Region<Float64Array>;
  private readonly xb: Region<Float64Array>;
  private readonly gram: Region<Float64Array>;
  private readonly P: Region<Float64Array>;
  private readonly beta: Region<Float64Array>;
  private readonly c: Float64Array;
  private readonly g: Float64Array;
  /** β·X of a block, (units × d). */
  private readonly M: Region<Float64Array>;
  /** Whether N holds ‖w_u‖² of the current weights (measured by the last block's end). */
  private normsKnown = false;
  private readonly N: Float64Array;
  private readonly errP: Float64Array;
  private readonly errN: Float64Array;
  private readonly w: Float64Array;
  private readonly cand: Int32Array;

  /**
   * @param X - (n × d), float64 or float32
   * @param G - the grid distances (units × units), as `gridDistances`
   * @param W - (units × d) float64 weights, updated at the end of every {@link epoch}
   */
  constructor(private readonly X: Matrix, private readonly o: OnlineOptions, G: Float64Array, private readonly W: Float64Array) {
    const { rows: n, cols: d } = X;
    const units = W.length / d;
    this.n = n;
    this.d = d;
    this.units = units;
    this.G = G;
    this.near = orderByDistance(G, units);
    this.block = Math.max(1, Math.min(MAX_BLOCK, Math.ceil(d / 8), n));
    this.gamma = ((d + 2) * U) / (1 - (d + 2) * U);
    const B = this.block;
    this.order = new Int32Array(n);
    const region = (length: number): Region<Float64Array> => regionKernel()(W, length);
    this.Wr = region(units * d);
    this.Wr.view().set(W);
    this.xb = region(B * d);
    this.gram = region(B * B);
    this.P = region(units * B);
    this.beta = region(units * B);
    this.c = new Float64Array(units);
    this.g = new Float64Array(units);
    this.M = region(units * d);
    this.N = new Float64Array(units);
    this.errP = new Float64Array(units);
    this.errN = new Float64Array(units);
    this.w = new Float64Array(d);
    this.cand = new Int32Array(units);
  }

  /**
   * One epoch: the rows in a random order; for each, its best unit, then the units around
   * it move towards the row by α·h(grid distance, σ), α and σ at that row's point of the
   * whole run. Returns σ and α at the epoch's last row.
   */
  epoch(epoch: number): { sigma: number; alpha: number } {
    const { n, o, order } = this;
    for (let i = 0; i < n; i++) order[i] = i;
    o.rng.shuffle(order);
    let sigma = o.sigma.start, alpha = o.alpha.start;
    for (let start = 0; start < n; start += this.block) {
      ({ sigma, alpha } = this.runBlock(epoch, start, Math.min(this.block, n - start)));
    }
    this.W.set(this.Wr.view());
    return { sigma, alpha };
  }

  /** Gives the kernels' memory back; the trainer must not be used afterwards. Idempotent. */
  release(): void {
    for (const r of [this.Wr, this.xb, this.gram, this.P, this.beta, this.M]) r.release();
  }

  /** Rows order[start … start + m) of the epoch. */
  private runBlock(epoch: number, start: number, m: number): { sigma: number; alpha: number } {
    const { n, d, units, block: B, o, X, c, g, N, errP, errN, G, near, gamma } = this;
    const data = X.data;
    const xb = this.xb.view();
    for (let t = 0; t < m; t++) {
      const i = this.order[start + t]!;
      for (let j = 0, p = i * d, q = t * d; j < d; j++) xb[q + j] = data[p + j]!;
    }
    // P_ut = w⁰_u·x_t (units × B), the Gram matrix of the block's rows (m × m, ld B).
    gemmKernel()(false, true, units, m, d, 1, this.Wr.view(), 0, d, xb, 0, d, 0, this.P.view(), 0, B);
    gemmKernel()(false, true, m, m, d, 1, this.xb.view(), 0, d, this.xb.view(), 0, d, 0, this.gram.view(), 0, B);
    // No kernel runs from here to the closing GEMM: these views stay valid.
    let W = this.Wr.view();
    const P = this.P.view(), gram = this.gram.view(), beta = this.beta.view();
    if (!this.normsKnown) {
      for (let u = 0; u < units; u++) {
        let s = 0;
        for (let j = 0, q = u * d; j < d; j++) s += W[q + j]! * W[q + j]!;
        N[u] = s;
      }
    }
    let maxN = 0;
    for (let u = 0; u < units; u++) {
      const s = N[u]!;
      errP[u] = gamma * Math.sqrt(s);
      errN[u] = gamma * s;
      if (s > maxN) maxN = s;
    }
    let maxErrP = gamma * Math.sqrt(maxN), maxErrN = gamma * maxN;
    c.fill(1);
    g.fill(1);
    beta.fill(0);
    let touched = false;
    const total = o.epochs * n;
    let sigma = o.sigma.start, alpha = o.alpha.start;
    for (let k = 0; k < m; k++) {
      const f = total > 1 ? (epoch * n + start + k) / (total - 1) : 0;
      sigma = scheduleAt(o.sigma.start, o.sigma.end, o.decay, f);
      alpha = scheduleAt(o.alpha.start, o.alpha.end, o.decay, f);
      const gkk = gram[k * B + k]!;
      const xn = Math.sqrt(gkk);
      // Scores N_u − 2·x·w_u, and a bound on the error of any two compared (×2 of margin).
      let v1 = Infinity, v2 = Infinity, best = 0;
      for (let u = 0; u < units; u++) {
        const s = N[u]! - 2 * P[u * B + k]!;
        if (s < v1) {
          v2 = v1;
          v1 = s;
          best = u;
        } else if (s < v2) {
          v2 = s;
        }
      }
      const tol = 4 * (maxErrN + 2 * maxErrP * xn + 4 * U * (maxN + 2 * xn * Math.sqrt(maxN)));
      if (!(v2 > v1 + tol)) best = this.settle(k, v1 + tol);
      // Move the units within the support, nearest first; h once per distinct distance.
      const reach = o.reach * sigma;
      let prev = NaN, hv = 0;
      for (let q = best * units, end = q + units; q < end; q++) {
        const u = near[q]!;
        const dist = G[best * units + u]!;
        if (dist > reach) break;
        if (dist !== prev) {
          hv = o.h(dist, sigma);
          if (typeof hv !== 'number' || !Number.isFinite(hv)) {
            fail('INVALID_OPTION', `neighborhood: the function returned ${describe(hv)} for distance ${dist} and sigma ${sigma}, expected a finite number`);
          }
          prev = dist;
        }
        const a = alpha * hv;
        if (a === 0) continue;
        touched = true;
        const om = 1 - a, aa = Math.abs(a), oa = Math.abs(om);
        const row = u * B;
        const p = P[row + k]!, nu = N[u]!, ep = errP[u]!, wn = Math.sqrt(Math.max(nu, 0));
        // N ← ‖(1 − a)w + a·x‖², and the error bounds of N and of P/‖x_t‖.
        const nn = om * om * nu + 2 * a * om * p + a * a * gkk;
        N[u] = nn;
        const en = om * om * errN[u]! + 2 * aa * oa * ep * xn + a * a * gamma * gkk + 5 * U * (om * om * nu + 2 * aa * oa * Math.abs(p) + a * a * gkk);
        errN[u] = en;
        const e = oa * ep + aa * gamma * xn + 3 * U * (oa * wn + aa * xn);
        errP[u] = e;
        if (nn > maxN) maxN = nn;
        if (en > maxErrN) maxErrN = en;
        if (e > maxErrP) maxErrP = e;
        // P of the block's later rows, and the coefficients of w.
        // (gram is symmetric up to rounding, within the same bound: read along its row.)
        for (let t = k + 1, q = k * B; t < m; t++) P[row + t] = om * P[row + t]! + a * gram[q + t]!;
        c[u] = c[u]! * om;
        let gu = g[u]! * om;
        if (!(Math.abs(gu) > 2 ** -900 && Math.abs(gu) < 2 ** 900)) {
          // The scale would leave float64's range (or a = 1 zeroed it): fold it into β.
          for (let s = 0; s < k; s++) beta[row + s] = beta[row + s]! * gu;
          gu = 1;
        }
        g[u] = gu;
        beta[row + k] = a / gu;
      }
    }
    // W = diag(c)·W⁰ + diag(g)·β·X_block, and N = ‖w_u‖² for the next block.
    if (touched) gemmKernel()(false, false, units, d, m, 1, beta, 0, B, this.xb.view(), 0, d, 0, this.M.view(), 0, d);
    W = this.Wr.view();
    const M = this.M.view();
    for (let u = 0; u < units; u++) {
      const cu = c[u]!, gu = g[u]!;
      let s = 0;
      if (!touched) {
        for (let j = 0, q = u * d; j < d; j++) s += W[q + j]! * W[q + j]!;
      } else {
        for (let j = 0, q = u * d; j < d; j++) {
          const v = cu * W[q + j]! + gu * M[q + j]!;
          W[q + j] = v;
          s += v * v;
        }
      }
      N[u] = s;
    }
    this.normsKnown = true;
    return { sigma, alpha };
  }

  /**
   * The best unit of the block's row k among the units whose score is at most `limit`, by
   * exact squared distances to their weights as they stand (lowest index on ties).
   */
  private settle(k: number, limit: number): number {
    const { d, units, block: B, N, c, g, w, cand } = this;
    const xb = this.xb.view(), P = this.P.view(), beta = this.beta.view(), W = this.Wr.view();
    let count = 0;
    for (let u = 0; u < units; u++) if (N[u]! - 2 * P[u * B + k]! <= limit) cand[count++] = u;
    let best = cand[0]!, bestDist = Infinity;
    for (let q = 0; q < count; q++) {
      const u = cand[q]!;
      const cu = c[u]!, gu = g[u]!;
      for (let j = 0, p = u * d; j < d; j++) w[j] = cu * W[p + j]!;
      for (let s = 0; s < k; s++) {
        const b = gu * beta[u * B + s]!;
        if (b !== 0) for (let j = 0, p = s * d; j < d; j++) w[j] = w[j]! + b * xb[p + j]!;
      }
      let e = 0;
      for (let j = 0, p = k * d; j < d; j++) {
        const t = xb[p + j]! - w[j]!;
        e += t * t;
      }
      if (e < bestDist) {
        bestDist = e;
        best = u;
      }
    }
    return best;
  }
}

/**
 * For every unit, all units in increasing grid distance from it (ties by index), as rows
 * of a (units × units) table: a counting sort by the rank of each distinct distance.
 */
function orderByDistance(G: Float64Array, units: number): Int32Array {
  const { values, index } = distanceTable(G);
  const byValue = Int32Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  const rank = new Int32Array(values.length);
  byValue.forEach((id, r) => { rank[id] = r; });
  const out = new Int32Array(units * units);
  const count = new Int32Array(values.length + 1);
  for (let b = 0; b < units; b++) {
    count.fill(0);
    const row = b * units;
    for (let u = 0; u < units; u++) {
      const r = rank[index[row + u]!]! + 1;
      count[r] = count[r]! + 1;
    }
    for (let r = 0; r < values.length; r++) count[r + 1] = count[r + 1]! + count[r]!;
    for (let u = 0; u < units; u++) {
      const r = rank[index[row + u]!]!;
      out[row + count[r]!] = u;
      count[r] = count[r]! + 1;
    }
  }
  return out;
}
