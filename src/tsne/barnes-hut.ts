// Barnes-Hut repulsion (van der Maaten 2014): a space-partitioning tree over the embedding
// (binary tree in 1-D, quadtree in 2-D, octree in 3-D) in flat typed arrays, rebuilt every
// iteration into the same buffers, no object per node. A cell far enough from a point
// (width / distance < θ) acts as one body of its total mass at its centre of mass.
// The 2-D repulsion of a fit is one backend kernel (tsneBarnesHut2: WebAssembly SIMD after
// init()), which builds its own quadtree, inserting the points along a Morton curve, and
// traverses it in groups of 16 consecutive points (a cell is summarised for the group when
// it is far enough from the group's bounding box, so the test is at least as strict as θ
// for each point). This class builds the same quadtree (same insertion order, same sums)
// for queries of new points ({@link BarnesHutTree.traverse}).

import { tsneBarnesHut2Kernel } from '../linalg/kernels/dispatch.js';
import { mortonOrder2, TreeCells, TSNE_MIN_RELATIVE_WIDTH as MIN_RELATIVE_WIDTH } from '../linalg/kernels/tsne.js';

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
export class BarnesHutTree extends TreeCells {
  private stack = new Int32Array(2048);

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
      // Along the Morton curve, as the kernel inserts them (the sums of a cell then run in
      // the same order, so the centres of mass have the same bits).
      const order = this.mortonOrder(Y, n);
      for (let t = 0; t < n; t++) this.insert(Y, order[t]!, minHalf);
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
   * Z ≈ Σ_{i≠j} wᵢⱼ. θ = 0 opens every cell down to single points: the exact sums. In 2-D
   * the kernel builds its own tree over Y (the same as this one).
   */
  repulsion(Y: Float64Array, n: number, theta: number, out: Float64Array): number {
    return this.dim === 2 ? tsneBarnesHut2Kernel()(n, Y, theta, out) : this.repulsionN(Y, n, theta, out);
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

  /** The points along the Morton curve of the root cell (see mortonOrder2). */
  private mortonOrder(Y: Float64Array, n: number): Int32Array {
    if (this.codes.length < n) {
      this.codes = new Uint32Array(n);
      this.codesTmp = new Uint32Array(n);
      this.orderBuf = new Int32Array(n);
      this.orderTmp = new Int32Array(n);
    }
    mortonOrder2(n, Y, this.centre[0]!, this.centre[1]!, this.half[0]!, this.orderBuf, this.codes, this.codesTmp, this.orderTmp);
    return this.orderBuf;
  }

  /** A traversal stack deep enough for the tree's depth (≤ 64 levels · 2^dim). */
  private ensureStack(): Int32Array {
    const need = 64 * this.nChild + 8;
    if (this.stack.length < need) this.stack = new Int32Array(need);
    return this.stack;
  }
}
