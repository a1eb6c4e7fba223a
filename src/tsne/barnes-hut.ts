// Barnes-Hut repulsion (van der Maaten 2014): a space-partitioning tree over the embedding
// (binary tree in 1-D, quadtree in 2-D, octree in 3-D) in flat typed arrays, rebuilt every
// iteration into the same buffers, no object per node. A cell far enough from a point
// (width / distance < θ) acts as one body of its total mass at its centre of mass.
// In 2-D the points are sorted along a Morton curve, inserted in that order, and traverse
// the tree in groups of 16 consecutive points (a cell is summarised for the group when it
// is far enough from the group's bounding box, so the test is at least as strict as θ for
// each point); that traversal is a backend kernel (WebAssembly SIMD after init()).

import { tsneRepulsion2Kernel } from '../linalg/kernels/dispatch.js';

/** Cells narrower than this fraction of the root hold nearly coincident points together. */
const MIN_RELATIVE_WIDTH = 1e-12;

/**
 * A reusable space-partitioning tree for 1–3 dimensions.
 *
 * @example
 * ```ts
 * const tree = new BarnesHutTree(2);
 * tree.build(Y, n);
 * const Z = tree.repulsion(Y, n, 0.5, out); // out[i] ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ)
 * ```
 */
export class BarnesHutTree {
  readonly dim: number;
  private readonly nChild: number;
  private cap = 0;
  private nodes = 0;
  /** First child of each cell (its 2^dim children are consecutive), −1 for a leaf. */
  private child = new Int32Array(0);
  /** The point a leaf holds (−1 when empty or internal). */
  private point = new Int32Array(0);
  /** Number of points in each cell. */
  private count = new Float64Array(0);
  /** Half the width of each (cubic) cell. */
  private half = new Float64Array(0);
  /** Centre of each cell, (cap × dim). */
  private centre = new Float64Array(0);
  /** Centre of mass of each cell, (cap × dim). */
  private com = new Float64Array(0);
  private stack = new Int32Array(2048);
  /** The 2-D traversal's packed cell records. */
  private packed = new Float64Array(0);

  constructor(dim: number) {
    this.dim = dim;
    this.nChild = 1 << dim;
  }

  private grow(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(need, 2 * this.cap, 64);
    const dim = this.dim;
    const resize = <T extends Int32Array | Float64Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a.subarray(0, Math.min(a.length, size)));
      return b;
    };
    this.child = resize(this.child, cap);
    this.point = resize(this.point, cap);
    this.count = resize(this.count, cap);
    this.half = resize(this.half, cap);
    this.centre = resize(this.centre, cap * dim);
    this.com = resize(this.com, cap * dim);
    this.cap = cap;
  }

  private newNode(): number {
    const node = this.nodes++;
    this.child[node] = -1;
    this.point[node] = -1;
    this.count[node] = 0;
    for (let c = 0; c < this.dim; c++) this.com[node * this.dim + c] = 0;
    return node;
  }

  /** Builds the tree over the n points of Y (n × dim). */
  build(Y: Float64Array, n: number): void {
    const dim = this.dim;
    this.grow(2 * n + 1);
    this.nodes = 0;
    const root = this.newNode();
    let width = 0;
    for (let c = 0; c < dim; c++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = Y[i * dim + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.centre[root * dim + c] = (lo + hi) / 2;
      width = Math.max(width, hi - lo);
    }
    // A little margin so that the extreme points fall strictly inside.
    this.half[root] = (width / 2) * (1 + 1e-9) + 1e-300;
    const minHalf = this.half[root]! * MIN_RELATIVE_WIDTH;
    if (dim === 2) {
      // Inserting along the Morton curve keeps the path being extended in cache.
      const order = this.mortonOrder(Y, n);
      for (let t = 0; t < n; t++) this.insert2(Y, order[t]!, minHalf);
    } else {
      for (let p = 0; p < n; p++) this.insert(Y, p, minHalf);
    }
    for (let node = 0; node < this.nodes; node++) {
      const cnt = this.count[node]!;
      if (cnt <= 1) continue;
      const q = this.point[node]!;
      if (this.child[node]! < 0 && this.half[node]! > minHalf) {
        // A leaf of exact duplicates: their position itself (sum / count may round off it,
        // and the traversal recognises a point's own leaf by distance 0).
        for (let c = 0; c < dim; c++) this.com[node * dim + c] = Y[q * dim + c]!;
      } else {
        for (let c = 0; c < dim; c++) this.com[node * dim + c] = this.com[node * dim + c]! / cnt;
      }
    }
  }

  private childOf(node: number, Y: Float64Array, p: number): number {
    const dim = this.dim;
    let which = 0;
    for (let c = 0; c < dim; c++) if (Y[p * dim + c]! > this.centre[node * dim + c]!) which |= 1 << c;
    return this.child[node]! + which;
  }

  private split(node: number): void {
    const dim = this.dim;
    this.grow(this.nodes + this.nChild);
    const first = this.nodes;
    const h = this.half[node]! / 2;
    for (let q = 0; q < this.nChild; q++) {
      const ch = this.newNode();
      this.half[ch] = h;
      for (let c = 0; c < dim; c++) this.centre[ch * dim + c] = this.centre[node * dim + c]! + ((q >> c) & 1 ? h : -h);
    }
    this.child[node] = first;
  }

  /** {@link insert} for 2-D: the same steps with the coordinate loops unrolled (the hot path). */
  private insert2(Y: Float64Array, p: number, minHalf: number): void {
    const x = Y[2 * p]!, y = Y[2 * p + 1]!;
    let node = 0;
    for (;;) {
      const c0 = this.count[node]!;
      if (this.child[node]! < 0 && c0 > 0) {
        const q = this.point[node]!;
        if ((Y[2 * q] !== x || Y[2 * q + 1] !== y) && this.half[node]! > minHalf) {
          // Push the resident point(s) one level down (split may reallocate the arrays).
          this.split(node);
          const qc = this.child[node]! + (Y[2 * q]! > this.centre[2 * node]! ? 1 : 0) + (Y[2 * q + 1]! > this.centre[2 * node + 1]! ? 2 : 0);
          this.count[qc] = c0;
          this.point[qc] = q;
          this.com[2 * qc] = this.com[2 * node]!;
          this.com[2 * qc + 1] = this.com[2 * node + 1]!;
          this.point[node] = -1;
        }
      }
      const { count, child, com, centre } = this;
      count[node] = c0 + 1;
      com[2 * node] = com[2 * node]! + x;
      com[2 * node + 1] = com[2 * node + 1]! + y;
      const first = child[node]!;
      if (first < 0) {
        if (c0 === 0) this.point[node] = p;
        return;
      }
      node = first + (x > centre[2 * node]! ? 1 : 0) + (y > centre[2 * node + 1]! ? 2 : 0);
    }
  }

  private insert(Y: Float64Array, p: number, minHalf: number): void {
    const dim = this.dim;
    let node = 0;
    for (;;) {
      const c0 = this.count[node]!;
      if (this.child[node]! < 0 && c0 > 0) {
        const q = this.point[node]!;
        let same = true;
        for (let c = 0; c < dim; c++) if (Y[p * dim + c] !== Y[q * dim + c]) same = false;
        if (!same && this.half[node]! > minHalf) {
          // Push the resident point(s) one level down, then keep descending with p.
          this.split(node);
          const qc = this.childOf(node, Y, q);
          this.count[qc] = c0;
          this.point[qc] = q;
          for (let c = 0; c < dim; c++) this.com[qc * dim + c] = this.com[node * dim + c]!;
          this.point[node] = -1;
        }
      }
      this.count[node] = c0 + 1;
      // `com` holds coordinate sums while building; build() divides once at the end.
      for (let c = 0; c < dim; c++) this.com[node * dim + c] = this.com[node * dim + c]! + Y[p * dim + c]!;
      if (this.child[node]! < 0) {
        if (c0 === 0) this.point[node] = p;
        return;
      }
      node = this.childOf(node, Y, p);
    }
  }

  /**
   * Approximate repulsion: out[i] ≈ Σⱼ wᵢⱼ² (yᵢ − yⱼ) (not divided by Z), returning
   * Z ≈ Σ_{i≠j} wᵢⱼ. θ = 0 opens every cell down to single points: the exact sums.
   */
  repulsion(Y: Float64Array, n: number, theta: number, out: Float64Array): number {
    return this.dim === 2 ? this.repulsion2(Y, n, theta, out) : this.repulsionN(Y, n, theta, out);
  }

  private repulsion2(Y: Float64Array, n: number, theta: number, out: Float64Array): number {
    // Pack what the traversal reads into one record per cell (centre of mass, mass, width²
    // scaled by 1/θ²) so that each visit touches one cache line.
    const nodes = this.nodes;
    if (this.packed.length < 4 * nodes) this.packed = new Float64Array(4 * this.cap);
    const rec = this.packed;
    const { child, count, com, half } = this;
    const inv = theta > 0 ? 1 / (theta * theta) : Infinity;
    for (let c = 0; c < nodes; c++) {
      rec[4 * c] = com[2 * c]!;
      rec[4 * c + 1] = com[2 * c + 1]!;
      rec[4 * c + 2] = count[c]!;
      // A leaf (0) is summarised unless it is the point's own; an internal cell when (2h)² / θ² < d².
      rec[4 * c + 3] = child[c]! < 0 ? 0 : 4 * half[c]! * half[c]! * inv;
    }
    // build() sorted the points along the Morton curve (for the same Y).
    const order = this.orderBuf.subarray(0, n);
    return tsneRepulsion2Kernel()(n, order, Y, rec.subarray(0, 4 * nodes), child.subarray(0, nodes), out);
  }

  private repulsionN(Y: Float64Array, n: number, theta: number, out: Float64Array): number {
    const z = this.zBuffer(n);
    this.traverse(Y, n, theta, out, z, true);
    let Z = 0;
    for (let i = 0; i < n; i++) Z += z[i]!;
    return Z;
  }

  private zScratch = new Float64Array(0);

  private zBuffer(n: number): Float64Array {
    if (this.zScratch.length < n) this.zScratch = new Float64Array(n);
    return this.zScratch;
  }

  /**
   * Repulsion on m query points Q (m × dim) from the points in the tree, any dimension:
   * out[i] ≈ Σⱼ wᵢⱼ² (qᵢ − yⱼ) and z[i] ≈ Σⱼ wᵢⱼ. With `own`, query i is tree point i and
   * does not act on itself; otherwise a query on top of tree points feels each with weight 1.
   */
  traverse(Q: Float64Array, m: number, theta: number, out: Float64Array, z: Float64Array, own: boolean): void {
    const { child, count, com, half, dim, nChild } = this;
    const stack = this.ensureStack();
    const theta2 = theta * theta;
    const d = new Float64Array(dim), f = new Float64Array(dim);
    for (let i = 0; i < m; i++) {
      f.fill(0);
      let zi = 0, sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp]!;
        const cnt = count[node]!;
        if (cnt === 0) continue;
        let d2 = 0;
        for (let c = 0; c < dim; c++) {
          d[c] = Q[i * dim + c]! - com[node * dim + c]!;
          d2 += d[c]! * d[c]!;
        }
        const first = child[node]!;
        const h = half[node]!;
        if (first < 0 || 4 * h * h < theta2 * d2) {
          if (d2 === 0) {
            // Coincident points weigh 1 each and push nowhere (the query itself excepted).
            zi += own ? cnt - 1 : cnt;
            continue;
          }
          const w = 1 / (1 + d2);
          zi += cnt * w;
          for (let c = 0; c < dim; c++) f[c] = f[c]! + cnt * w * w * d[c]!;
        } else {
          for (let q = 0; q < nChild; q++) stack[sp++] = first + q;
        }
      }
      for (let c = 0; c < dim; c++) out[i * dim + c] = f[c]!;
      z[i] = zi;
    }
  }

  private codes = new Uint32Array(0);
  private codesTmp = new Uint32Array(0);
  private orderBuf = new Int32Array(0);
  private orderTmp = new Int32Array(0);

  /**
   * The points sorted along a Z-order (Morton) curve of 16-bit grid coordinates of the
   * root cell: visited (and inserted) in this order, consecutive points touch nearly the
   * same cells, which stay in cache. A stable LSD radix sort (four 8-bit passes), O(n).
   */
  private mortonOrder(Y: Float64Array, n: number): Int32Array {
    if (this.codes.length < n) {
      this.codes = new Uint32Array(n);
      this.codesTmp = new Uint32Array(n);
      this.orderBuf = new Int32Array(n);
      this.orderTmp = new Int32Array(n);
    }
    const cx = this.centre[0]!, cy = this.centre[1]!, h = this.half[0]!;
    const scale = 65535 / (2 * h);
    let codes = this.codes, codesTmp = this.codesTmp, order = this.orderBuf, orderTmp = this.orderTmp;
    for (let i = 0; i < n; i++) {
      const gx = Math.min(65535, Math.max(0, Math.floor((Y[2 * i]! - cx + h) * scale)));
      const gy = Math.min(65535, Math.max(0, Math.floor((Y[2 * i + 1]! - cy + h) * scale)));
      codes[i] = (spread16(gx) | (spread16(gy) << 1)) >>> 0;
      order[i] = i;
    }
    const counts = new Int32Array(256);
    for (let shift = 0; shift < 32; shift += 8) {
      counts.fill(0);
      for (let t = 0; t < n; t++) counts[(codes[t]! >>> shift) & 255]!++;
      let sum = 0;
      for (let b = 0; b < 256; b++) {
        const c = counts[b]!;
        counts[b] = sum;
        sum += c;
      }
      for (let t = 0; t < n; t++) {
        const pos = counts[(codes[t]! >>> shift) & 255]!++;
        codesTmp[pos] = codes[t]!;
        orderTmp[pos] = order[t]!;
      }
      [codes, codesTmp] = [codesTmp, codes];
      [order, orderTmp] = [orderTmp, order];
    }
    // Four passes: the sorted data is back in the first buffers.
    return order;
  }

  /** A traversal stack deep enough for the tree's depth (≤ 64 levels · 2^dim). */
  private ensureStack(): Int32Array {
    const need = 64 * this.nChild + 8;
    if (this.stack.length < need) this.stack = new Int32Array(need);
    return this.stack;
  }
}

/** Spreads the 16 bits of x to the even bits of a 32-bit word. */
function spread16(x: number): number {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}
