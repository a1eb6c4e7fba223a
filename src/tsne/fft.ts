// FFT-accelerated interpolation of the repulsive forces (FIt-SNE, Linderman et al. 2019):
// the kernel K(y, y′) = 1 / (1 + ‖y − y′‖²)² is smooth, so the potentials
// φ_t(yᵢ) = Σⱼ K(yᵢ, yⱼ) q_t(j) for the charges q = 1, y (, y², or ‖y‖² in 2-D) are
// interpolated: charges are spread onto an equispaced grid (3 Lagrange nodes per interval,
// at least 50 intervals per dimension, one more per unit of the embedding's extent), the
// grid potentials are a Toeplitz convolution computed by FFT on a grid twice as wide, and
// they are interpolated back to the points. O(n + G log G) for G grid nodes, per iteration.

import { FftPlan } from './fourier.js';

/** Interpolation nodes per interval. */
const NODES = 3;
/** Fewest intervals per dimension. */
const MIN_INTERVALS = 50;
/** Intervals per unit of the embedding's extent (FIt-SNE's `intervals_per_integer`). */
const INTERVALS_PER_UNIT = 1;
/**
 * Most intervals per dimension: a map that a huge learning rate or exaggeration has blown
 * up to an extent of 1e6 would otherwise ask for a (6·10⁶)² grid and never return. In 2-D,
 * 200 intervals make grids of 1300², about 14 MB each; a map wider than that (far beyond
 * the usual ±50) is interpolated more coarsely instead. In 1-D the grid is a line.
 */
const MAX_INTERVALS = { 1: 10_000, 2: 200 } as const;

/**
 * The smallest m ≥ n whose prime factors are 2 and 3: the FFTs then run on lengths 6·m
 * with the fast radix-2, 3 and 4 butterflies only.
 *
 * @example
 * ```ts
 * smoothAtLeast(50); // 54
 * ```
 */
export function smoothAtLeast(n: number): number {
  for (let m = Math.max(1, Math.ceil(n)); ; m++) {
    let r = m;
    for (const p of [2, 3]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

/**
 * Lagrange weights of the NODES nodes at (k + ½) / NODES of an interval, for a point at
 * relative position u in [0, 1], into w[off … off + NODES).
 */
function lagrange(u: number, w: Float64Array, off: number): void {
  const t0 = 0.5 / NODES, t1 = 1.5 / NODES, t2 = 2.5 / NODES;
  const a = u - t0, b = u - t1, c = u - t2;
  // Denominators: (t0 − t1)(t0 − t2) = 2/9, (t1 − t0)(t1 − t2) = −1/9, (t2 − t0)(t2 − t1) = 2/9.
  w[off] = b * c * 4.5;
  w[off + 1] = a * c * -9;
  w[off + 2] = a * b * 4.5;
}

/**
 * The repulsion of the FFT method for 1- or 2-dimensional embeddings, with its grids and
 * FFT plans kept between iterations.
 *
 * @example
 * ```ts
 * const fft = new FftRepulsion(2);
 * const Z = fft.repulsion(Y, n, out); // out[i] ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ), Z ≈ Σ_{i≠j} wᵢⱼ
 * ```
 */
export class FftRepulsion {
  readonly dim: number;
  private plan: FftPlan | undefined;
  private size = 0;
  private re1 = new Float64Array(0);
  private im1 = new Float64Array(0);
  private re2 = new Float64Array(0);
  private im2 = new Float64Array(0);
  private kre = new Float64Array(0);
  private kim = new Float64Array(0);
  private weights = new Float64Array(0);
  private cells = new Int32Array(0);

  constructor(dim: number) {
    if (dim !== 1 && dim !== 2) throw new RangeError('FftRepulsion: 1 or 2 dimensions');
    this.dim = dim;
  }

  /** Grid of this iteration: the box [lo, lo + width)^dim cut into `boxes` intervals per dimension. */
  private layout(Y: Float64Array, n: number): { lo: number; width: number; boxes: number } {
    let lo = Infinity, hi = -Infinity;
    for (let p = 0; p < n * this.dim; p++) {
      const v = Y[p]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    let width = hi - lo;
    if (!(width > 0)) width = 1e-12;
    const boxes = smoothAtLeast(Math.min(MAX_INTERVALS[this.dim as 1 | 2], Math.max(MIN_INTERVALS, width * INTERVALS_PER_UNIT)));
    // A little margin so that the largest coordinate falls inside the last interval.
    return { lo, width: width * (1 + 1e-12), boxes };
  }

  private ensure(L: number, cells: number, n: number): void {
    if (this.plan?.n !== L) this.plan = new FftPlan(L);
    if (this.size < cells) {
      this.size = cells;
      this.re1 = new Float64Array(cells);
      this.im1 = new Float64Array(cells);
      this.re2 = new Float64Array(cells);
      this.im2 = new Float64Array(cells);
      this.kre = new Float64Array(cells);
      this.kim = new Float64Array(cells);
    }
    if (this.cells.length < n * this.dim) {
      this.cells = new Int32Array(n * this.dim);
      this.weights = new Float64Array(n * this.dim * NODES);
    }
  }

  /**
   * out[i] ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ) (not divided by Z) for the n points of Y; returns
   * Z ≈ Σ_{i≠j} wᵢⱼ.
   */
  repulsion(Y: Float64Array, n: number, out: Float64Array): number {
    return this.dim === 2 ? this.repulsion2(Y, n, out) : this.repulsion1(Y, n, out);
  }

  /** Interval and Lagrange weights of every coordinate; coordinates are taken relative to the box centre. */
  private locate(Y: Float64Array, n: number, lo: number, boxW: number, boxes: number): void {
    const { cells, weights } = this;
    for (let p = 0; p < n * this.dim; p++) {
      const x = (Y[p]! - lo) / boxW;
      let b = Math.floor(x);
      if (b >= boxes) b = boxes - 1;
      if (b < 0) b = 0;
      cells[p] = b * NODES;
      lagrange(x - b, weights, p * NODES);
    }
  }

  /** The kernel K at grid offsets, laid out circularly on an (L × L) grid, and its 2-D FFT. */
  private kernel2(nGrid: number, L: number, h: number): void {
    const { kre, kim } = this;
    kre.fill(0, 0, L * L);
    kim.fill(0, 0, L * L);
    for (let a = 0; a < nGrid; a++) {
      for (let b = 0; b < nGrid; b++) {
        const r2 = h * h * (a * a + b * b);
        const v = 1 / ((1 + r2) * (1 + r2));
        const ra = a === 0 ? 0 : L - a, rb = b === 0 ? 0 : L - b;
        kre[a * L + b] = v;
        kre[a * L + rb] = v;
        kre[ra * L + b] = v;
        kre[ra * L + rb] = v;
      }
    }
    this.fft2(kre, kim, L, L, false);
  }

  /**
   * 2-D FFT of an (L × L) grid, every pass a batch of whole rows (so the inner loops run
   * along memory): columns, transpose, columns again. The forward transform leaves the
   * spectrum transposed and the inverse expects it so; the kernel's spectrum is made the
   * same way, and the product is element-wise, so the layout never matters. `rows`: only
   * the first rows of a forward input are non-zero (the rest is not read).
   */
  private fft2(re: Float64Array, im: Float64Array, L: number, rows: number, inverse: boolean): void {
    const plan = this.plan!;
    if (!inverse) {
      plan.columnsOf(re, im, 0, L, L, false, rows);
      this.transpose(re, im, L);
      plan.columnsOf(re, im, 0, L, L, false, L);
    } else {
      plan.columnsOf(re, im, 0, L, L, true, L);
      this.transpose(re, im, L);
      plan.columnsOf(re, im, 0, L, L, true, L);
    }
  }

  /** In-place transpose of two (L × L) grids, in tiles for the cache. */
  private transpose(re: Float64Array, im: Float64Array, L: number): void {
    const T = 32;
    for (let bi = 0; bi < L; bi += T) {
      for (let bj = bi; bj < L; bj += T) {
        const ei = Math.min(bi + T, L), ej = Math.min(bj + T, L);
        for (let i = bi; i < ei; i++) {
          for (let j = bi === bj ? i + 1 : bj; j < ej; j++) {
            const a = i * L + j, b = j * L + i;
            const tr = re[a]!, ti = im[a]!;
            re[a] = re[b]!;
            im[a] = im[b]!;
            re[b] = tr;
            im[b] = ti;
          }
        }
      }
    }
  }

  private repulsion2(Y: Float64Array, n: number, out: Float64Array): number {
    const { lo, width, boxes } = this.layout(Y, n);
    const boxW = width / boxes;
    const nGrid = NODES * boxes, L = 2 * nGrid;
    this.ensure(L, L * L, n);
    this.locate(Y, n, lo, boxW, boxes);
    const { re1, im1, re2, im2, kre, cells, weights } = this;
    // Charges relative to the box centre, so that the Z identity below cancels less.
    const mid = lo + width / 2;
    re1.fill(0, 0, L * L);
    im1.fill(0, 0, L * L);
    re2.fill(0, 0, L * L);
    im2.fill(0, 0, L * L);
    for (let i = 0; i < n; i++) {
      const y0 = Y[2 * i]! - mid, y1 = Y[2 * i + 1]! - mid;
      const q3 = y0 * y0 + y1 * y1;
      const gx = cells[2 * i]!, gy = cells[2 * i + 1]!;
      for (let a = 0; a < NODES; a++) {
        const wa = weights[(2 * i) * NODES + a]!;
        const row = (gx + a) * L + gy;
        for (let b = 0; b < NODES; b++) {
          const w = wa * weights[(2 * i + 1) * NODES + b]!;
          re1[row + b] = re1[row + b]! + w;
          im1[row + b] = im1[row + b]! + w * y0;
          re2[row + b] = re2[row + b]! + w * y1;
          im2[row + b] = im2[row + b]! + w * q3;
        }
      }
    }
    this.kernel2(nGrid, L, boxW / NODES);
    this.fft2(re1, im1, L, nGrid, false);
    this.fft2(re2, im2, L, nGrid, false);
    // The kernel is real and even, so its transform is real: one product per grid.
    const scale = 1 / (L * L);
    for (let g = 0; g < L * L; g++) {
      const k = kre[g]! * scale;
      re1[g] = re1[g]! * k;
      im1[g] = im1[g]! * k;
      re2[g] = re2[g]! * k;
      im2[g] = im2[g]! * k;
    }
    this.fft2(re1, im1, L, nGrid, true);
    this.fft2(re2, im2, L, nGrid, true);
    let Z = 0;
    for (let i = 0; i < n; i++) {
      const y0 = Y[2 * i]! - mid, y1 = Y[2 * i + 1]! - mid;
      const gx = cells[2 * i]!, gy = cells[2 * i + 1]!;
      let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
      for (let a = 0; a < NODES; a++) {
        const wa = weights[(2 * i) * NODES + a]!;
        const row = (gx + a) * L + gy;
        for (let b = 0; b < NODES; b++) {
          const w = wa * weights[(2 * i + 1) * NODES + b]!;
          p0 += w * re1[row + b]!;
          p1 += w * im1[row + b]!;
          p2 += w * re2[row + b]!;
          p3 += w * im2[row + b]!;
        }
      }
      // Σⱼ wᵢⱼ = Σⱼ (1 + ‖yᵢ‖² − 2 yᵢ·yⱼ + ‖yⱼ‖²) K(yᵢ, yⱼ), including j = i (1).
      Z += (1 + y0 * y0 + y1 * y1) * p0 - 2 * (y0 * p1 + y1 * p2) + p3;
      out[2 * i] = y0 * p0 - p1;
      out[2 * i + 1] = y1 * p0 - p2;
    }
    return Z - n;
  }

  private repulsion1(Y: Float64Array, n: number, out: Float64Array): number {
    const { lo, width, boxes } = this.layout(Y, n);
    const boxW = width / boxes;
    const nGrid = NODES * boxes, L = 2 * nGrid;
    this.ensure(L, L, n);
    this.locate(Y, n, lo, boxW, boxes);
    const { re1, im1, re2, im2, kre, kim, cells, weights } = this;
    const plan = this.plan!;
    const mid = lo + width / 2;
    re1.fill(0, 0, L);
    im1.fill(0, 0, L);
    re2.fill(0, 0, L);
    im2.fill(0, 0, L);
    for (let i = 0; i < n; i++) {
      const y = Y[i]! - mid;
      for (let a = 0; a < NODES; a++) {
        const g = cells[i]! + a;
        const w = weights[i * NODES + a]!;
        re1[g] = re1[g]! + w;
        im1[g] = im1[g]! + w * y;
        re2[g] = re2[g]! + w * y * y;
      }
    }
    const h = boxW / NODES;
    kre.fill(0, 0, L);
    kim.fill(0, 0, L);
    for (let a = 0; a < nGrid; a++) {
      const v = 1 / ((1 + h * h * a * a) * (1 + h * h * a * a));
      kre[a] = v;
      if (a > 0) kre[L - a] = v;
    }
    plan.transform(kre, kim, 0, 1, false);
    plan.transform(re1, im1, 0, 1, false);
    plan.transform(re2, im2, 0, 1, false);
    for (let g = 0; g < L; g++) {
      const k = kre[g]! / L;
      re1[g] = re1[g]! * k;
      im1[g] = im1[g]! * k;
      re2[g] = re2[g]! * k;
      im2[g] = im2[g]! * k;
    }
    plan.transform(re1, im1, 0, 1, true);
    plan.transform(re2, im2, 0, 1, true);
    let Z = 0;
    for (let i = 0; i < n; i++) {
      const y = Y[i]! - mid;
      let p0 = 0, p1 = 0, p2 = 0;
      for (let a = 0; a < NODES; a++) {
        const g = cells[i]! + a;
        const w = weights[i * NODES + a]!;
        p0 += w * re1[g]!;
        p1 += w * im1[g]!;
        p2 += w * re2[g]!;
      }
      Z += (1 + y * y) * p0 - 2 * y * p1 + p2;
      out[i] = y * p0 - p1;
    }
    return Z - n;
  }
}
