// The hot loops of t-SNE (latentspace/tsne) and their TypeScript references: the 2-D
// Barnes-Hut repulsion (quadtree build and traversal), the 2-D attraction over the sparse
// P and the nearest neighbours' selection of the affinities. Each has a WebAssembly twin (src/wasm/assembly/tsne.ts) that does the same operations in the
// same order, so both give the same bits. The traversal takes the quadtree as flat records;
// its twin runs each group's points two at a time in f64x2 lanes, and this reference
// accumulates the normaliser in the same two lanes (even and odd points of a group).

/**
 * Points of the Morton order that traverse the tree together.
 *
 * @example
 * ```ts
 * TSNE_GROUP; // 16
 * ```
 */
export const TSNE_GROUP = 16;
const gx = new Float64Array(TSNE_GROUP), gy = new Float64Array(TSNE_GROUP);
const fx = new Float64Array(TSNE_GROUP), fy = new Float64Array(TSNE_GROUP);

/**
 * Barnes-Hut repulsion in 2-D: out[2i, 2i+1] = Σ over summarised cells of
 * mass · w² · (yᵢ − centre of mass), w = 1 / (1 + ‖yᵢ − com‖²), and the return value
 * Z = Σ mass · w over all of them (a point's own leaf adds its duplicates, weight 1 each).
 *
 * The tree is given in the order of a depth-first walk ({@link walkRecords}): `rec` holds 4
 * numbers per cell (centre-of-mass x, y, the opening limit (width / θ)², 0 for a leaf, and
 * the mass), `next` the position after the cell's subtree; cell 0 is the root and
 * `next.length` the number of cells. Points are visited in `order` (a Morton order) in
 * groups of TSNE_GROUP: a cell is summarised for a whole group when its limit is below
 * the squared distance from its centre of mass to the group's bounding box (the walk then
 * jumps to `next`), else it is opened (the walk steps to the following cell, its first
 * child). The walk needs no stack, and reads the records forwards.
 *
 * @example
 * ```ts
 * const Z = tsneRepulsion2(n, order, Y, rec, next, out);
 * ```
 */
export function tsneRepulsion2(n: number, order: Int32Array, Y: Float64Array, rec: Float64Array, next: Int32Array, out: Float64Array): number {
  const cells = next.length;
  let Z = 0;
  for (let g0 = 0; g0 < n; g0 += TSNE_GROUP) {
    const size = Math.min(TSNE_GROUP, n - g0);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let q = 0; q < size; q++) {
      const i = order[g0 + q]!;
      const x = Y[2 * i]!, y = Y[2 * i + 1]!;
      gx[q] = x;
      gy[q] = y;
      fx[q] = 0;
      fy[q] = 0;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    let z0 = 0, z1 = 0;
    let cell = 0;
    while (cell < cells) {
      const r = 4 * cell;
      const cx = rec[r]!, cy = rec[r + 1]!, limit = rec[r + 2]!;
      // Squared distance from the centre of mass to the group's box.
      const ex = cx < minX ? minX - cx : cx > maxX ? cx - maxX : 0;
      const ey = cy < minY ? minY - cy : cy > maxY ? cy - maxY : 0;
      if (limit < ex * ex + ey * ey || limit === 0) {
        const cnt = rec[r + 3]!;
        for (let q = 0; q < size; q++) {
          const d0 = gx[q]! - cx, d1 = gy[q]! - cy;
          const d2 = d0 * d0 + d1 * d1;
          const w = 1 / (1 + d2);
          const mw = cnt * w;
          const mw2 = mw * w;
          // At distance 0, the point's own leaf: coincident duplicates weigh 1 each, no force.
          const zc = d2 === 0 ? cnt - 1 : mw;
          if ((q & 1) === 0) z0 += zc;
          else z1 += zc;
          if (d2 !== 0) {
            fx[q] = fx[q]! + mw2 * d0;
            fy[q] = fy[q]! + mw2 * d1;
          }
        }
        cell = next[cell]!;
      } else {
        cell++;
      }
    }
    for (let q = 0; q < size; q++) {
      const i = order[g0 + q]!;
      out[2 * i] = fx[q]!;
      out[2 * i + 1] = fy[q]!;
    }
    Z += z0 + z1;
  }
  return Z;
}

/**
 * The records of {@link tsneRepulsion2} from a 2-D tree whose `com` holds centres of
 * mass: its non-empty cells depth first, a cell's children last to first (the order in
 * which a stack that pushes them first to last pops them), each as centre of mass, opening
 * limit (2h)² / θ² (0 for a leaf) and mass into `rec` (4 per cell), and the position after
 * its subtree into `next`. `size` and `pos` (one per cell of the tree) are workspace.
 * Returns the number of records. The WebAssembly build (dtsnebh2) writes the same records
 * (mass and next in one 8-byte slot) without branches.
 *
 * @example
 * ```ts
 * const cells = walkRecords(tree, 0.5, rec, next, size, pos);
 * const Z = tsneRepulsion2(n, order, Y, rec, next.subarray(0, cells), out);
 * ```
 */
export function walkRecords(tree: TreeCells, theta: number, rec: Float64Array, next: Int32Array, size: Int32Array, pos: Int32Array): number {
  const { nodes, child, count, com, half } = tree;
  // Children come after their parent: a backward pass finds their sizes done.
  for (let node = nodes - 1; node >= 0; node--) {
    const first = child[node]!;
    let s = count[node]! > 0 ? 1 : 0;
    if (first >= 0) s += size[first]! + size[first + 1]! + size[first + 2]! + size[first + 3]!;
    size[node] = s;
  }
  const inv = theta > 0 ? 1 / (theta * theta) : Infinity;
  pos[0] = 0;
  for (let node = 0; node < nodes; node++) {
    const cnt = count[node]!;
    if (cnt === 0) continue;
    const at = pos[node]!, first = child[node]!;
    rec[4 * at] = com[2 * node]!;
    rec[4 * at + 1] = com[2 * node + 1]!;
    rec[4 * at + 2] = first < 0 ? 0 : 4 * half[node]! * half[node]! * inv;
    rec[4 * at + 3] = cnt;
    next[at] = at + size[node]!;
    if (first < 0) continue;
    for (let k = 3, to = at + 1; k >= 0; k--) {
      if (count[first + k]! > 0) {
        pos[first + k] = to;
        to += size[first + k]!;
      }
    }
  }
  return size[0]!;
}

/**
 * Attractive forces of 2-D t-SNE over the strict upper triangle U of the symmetric P
 * (CSR: row i's entries are val[rowPtr[i] … rowPtr[i + 1] − 1] in columns col[…], all
 * > i): out[i] = scale · Σⱼ pᵢⱼ wᵢⱼ (yᵢ − yⱼ), w = 1 / (1 + ‖yᵢ − yⱼ‖²). Each stored pair
 * acts on both of its points, equal and opposite, in one pass over U. Row i's own sum
 * starts from what earlier rows scattered into out[i] and adds its pairs in storage order;
 * the WebAssembly twin keeps that order (x and y in the two lanes of one f64x2), so both
 * give the same bits.
 *
 * @param Y - (n × 2) embedding, row-major
 * @param out - (n × 2), overwritten
 *
 * @example
 * ```ts
 * tsneAttraction2(n, U.rowPtr, U.col, U.val, Y, 12, out); // early exaggeration 12
 * ```
 */
export function tsneAttraction2(n: number, rowPtr: Int32Array, col: Int32Array, val: Float64Array, Y: Float64Array, scale: number, out: Float64Array): void {
  out.fill(0, 0, 2 * n);
  for (let i = 0; i < n; i++) {
    const yi0 = Y[2 * i]!, yi1 = Y[2 * i + 1]!;
    let f0 = out[2 * i]!, f1 = out[2 * i + 1]!;
    for (let e = rowPtr[i]!, end = rowPtr[i + 1]!; e < end; e++) {
      const j = col[e]!;
      const d0 = yi0 - Y[2 * j]!, d1 = yi1 - Y[2 * j + 1]!;
      const pw = val[e]! / (1 + d0 * d0 + d1 * d1);
      const g0 = pw * d0, g1 = pw * d1;
      f0 += g0;
      f1 += g1;
      out[2 * j] = out[2 * j]! - g0;
      out[2 * j + 1] = out[2 * j + 1]! - g1;
    }
    out[2 * i] = f0;
    out[2 * i + 1] = f1;
  }
  if (scale !== 1) for (let p = 0; p < 2 * n; p++) out[p] = out[p]! * scale;
}

/** Cells narrower than this fraction of the root hold nearly coincident points together. */
export const TSNE_MIN_RELATIVE_WIDTH = 1e-12;

/**
 * Sorts the n points of Y (n × 2) along a Z-order (Morton) curve of 16-bit grid
 * coordinates of the square of centre (cx, cy) and half-width h, into `order`: visited
 * (and inserted) in this order, consecutive points touch nearly the same cells, which stay
 * in cache. A stable LSD radix sort (four 8-bit passes), O(n); `codes`, `codesTmp` and
 * `orderTmp` (n each) are workspace.
 *
 * @example
 * ```ts
 * mortonOrder2(n, Y, 0, 0, 1, order, new Uint32Array(n), new Uint32Array(n), new Int32Array(n));
 * ```
 */
export function mortonOrder2(
  n: number, Y: Float64Array, cx: number, cy: number, h: number,
  order: Int32Array, codes: Uint32Array, codesTmp: Uint32Array, orderTmp: Int32Array,
): void {
  const scale = 65535 / (2 * h);
  for (let i = 0; i < n; i++) {
    const gx = Math.min(65535, Math.max(0, Math.floor((Y[2 * i]! - cx + h) * scale)));
    const gy = Math.min(65535, Math.max(0, Math.floor((Y[2 * i + 1]! - cy + h) * scale)));
    codes[i] = (spread16(gx) | (spread16(gy) << 1)) >>> 0;
    order[i] = i;
  }
  const counts = new Int32Array(256);
  let c = codes, ct = codesTmp, o = order, ot = orderTmp;
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let t = 0; t < n; t++) counts[(c[t]! >>> shift) & 255]!++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const k = counts[b]!;
      counts[b] = sum;
      sum += k;
    }
    for (let t = 0; t < n; t++) {
      const pos = counts[(c[t]! >>> shift) & 255]!++;
      ct[pos] = c[t]!;
      ot[pos] = o[t]!;
    }
    [c, ct] = [ct, c];
    [o, ot] = [ot, o];
  }
  // Four passes: the sorted data is back in the first buffers.
}

/** Spreads the 16 bits of x to the even bits of a 32-bit word. */
function spread16(x: number): number {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/**
 * The cells of a space-partitioning tree (binary tree, quadtree or octree for 1–3
 * dimensions) in flat arrays that grow as needed, no object per cell: the storage and the
 * splitting shared by the 2-D kernel's quadtree and latentspace/tsne's BarnesHutTree.
 *
 * @example
 * ```ts
 * const cells = new TreeCells(2);
 * cells.newNode(); // 0, the root
 * ```
 */
export class TreeCells {
  readonly dim: number;
  readonly nChild: number;
  cap = 0;
  nodes = 0;
  /** First child of each cell (its 2^dim children are consecutive), −1 for a leaf. */
  child = new Int32Array(0);
  /** The point a leaf holds (−1 when empty or internal). */
  point = new Int32Array(0);
  /** Number of points in each cell. */
  count = new Float64Array(0);
  /** Half the width of each (cubic) cell. */
  half = new Float64Array(0);
  /** Centre of each cell, (cap × dim). */
  centre = new Float64Array(0);
  /** Centre of mass of each cell (coordinate sums while building), (cap × dim). */
  com = new Float64Array(0);

  constructor(dim: number) {
    this.dim = dim;
    this.nChild = 1 << dim;
  }

  /** Room for `need` cells (the arrays may be replaced: read them again after). */
  grow(need: number): void {
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

  /** A new empty leaf (its centre and half-width are the caller's to set). */
  newNode(): number {
    const node = this.nodes++;
    this.child[node] = -1;
    this.point[node] = -1;
    this.count[node] = 0;
    for (let c = 0; c < this.dim; c++) this.com[node * this.dim + c] = 0;
    return node;
  }

  /** Gives `node` its 2^dim children, child q on the high side of coordinate c when bit c of q is set. */
  split(node: number): void {
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
}

/**
 * The quadtree of 2-D Barnes-Hut t-SNE, rebuilt on every call into the same buffers: the
 * reference of dtsnebh2's build (src/wasm/assembly/tsne.ts), step for step. The root is
 * the bounding square of the points (a hair wider); points go in along the Morton curve; a
 * leaf holding a point splits into four when a different point arrives, down to
 * TSNE_MIN_RELATIVE_WIDTH of the root; `com` holds coordinate sums (in insertion order)
 * until the end, then centres of mass.
 */
class Quadtree2 extends TreeCells {
  rec = new Float64Array(0);
  next = new Int32Array(0);
  private size = new Int32Array(0);
  private pos = new Int32Array(0);
  order = new Int32Array(0);
  private orderTmp = new Int32Array(0);
  private codes = new Uint32Array(0);
  private codesTmp = new Uint32Array(0);

  constructor() {
    super(2);
  }

  build(Y: Float64Array, n: number): void {
    this.grow(2 * n + 1);
    if (this.order.length < n) {
      this.order = new Int32Array(n);
      this.orderTmp = new Int32Array(n);
      this.codes = new Uint32Array(n);
      this.codesTmp = new Uint32Array(n);
    }
    this.nodes = 0;
    this.newNode();
    let width = 0;
    for (let c = 0; c < 2; c++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = Y[2 * i + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.centre[c] = (lo + hi) / 2;
      width = Math.max(width, hi - lo);
    }
    // A little margin so that the extreme points fall strictly inside.
    this.half[0] = (width / 2) * (1 + 1e-9) + 1e-300;
    const minHalf = this.half[0]! * TSNE_MIN_RELATIVE_WIDTH;
    mortonOrder2(n, Y, this.centre[0]!, this.centre[1]!, this.half[0]!, this.order, this.codes, this.codesTmp, this.orderTmp);
    for (let t = 0; t < n; t++) this.insert(Y, this.order[t]!, minHalf);
    const { count, child, com, half, point } = this;
    for (let node = 0; node < this.nodes; node++) {
      const cnt = count[node]!;
      if (cnt <= 1) continue;
      if (child[node]! < 0 && half[node]! > minHalf) {
        // A leaf of exact duplicates: their position itself (sum / count may round off it,
        // and the traversal recognises a point's own leaf by distance 0).
        const q = point[node]!;
        com[2 * node] = Y[2 * q]!;
        com[2 * node + 1] = Y[2 * q + 1]!;
      } else {
        com[2 * node] = com[2 * node]! / cnt;
        com[2 * node + 1] = com[2 * node + 1]! / cnt;
      }
    }
  }

  private insert(Y: Float64Array, p: number, minHalf: number): void {
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

  /** The traversal's records in the order of its walk (see walkRecords); returns their number. */
  pack(theta: number): number {
    if (this.rec.length < 4 * this.nodes) {
      this.rec = new Float64Array(4 * this.cap);
      this.next = new Int32Array(this.cap);
      this.size = new Int32Array(this.cap);
      this.pos = new Int32Array(this.cap);
    }
    return walkRecords(this, theta, this.rec, this.next, this.size, this.pos);
  }
}

// Made on first use: a module-level `new` would keep this file in every bundle that imports
// a kernel accessor (bundlers cannot prove a constructor call free of side effects).
let quadtree: Quadtree2 | undefined;

/**
 * 2-D Barnes-Hut repulsion from scratch: builds the quadtree over the n points of Y
 * (n × 2) and traverses it ({@link tsneRepulsion2}) with opening angle θ: out (n × 2) ≈
 * Σⱼ wᵢⱼ² (yᵢ − yⱼ), returning Z ≈ Σ_{i≠j} wᵢⱼ. The WebAssembly twin builds the same tree
 * in its workspace, so the tree never crosses into or out of linear memory.
 *
 * @example
 * ```ts
 * const Z = tsneBarnesHut2(n, Y, 0.5, out);
 * ```
 */
export function tsneBarnesHut2(n: number, Y: Float64Array, theta: number, out: Float64Array): number {
  if (n <= 0) return 0;
  const tree = (quadtree ??= new Quadtree2());
  tree.build(Y, n);
  const cells = tree.pack(theta);
  return tsneRepulsion2(n, tree.order.subarray(0, n), Y, tree.rec, tree.next.subarray(0, cells), out);
}

/**
 * Is entry (da, ia) after entry (db, ib) in the order (distance, index)?
 *
 * @example
 * ```ts
 * isAfter(1, 0, 1, 3); // false: equal distances, index 0 first
 * ```
 */
export function isAfter(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}

function siftDown(hd: Float64Array, hi: Int32Array, pos: number, size: number): void {
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) return;
    let c = l;
    if (l + 1 < size && isAfter(hd[l + 1]!, hi[l + 1]!, hd[l]!, hi[l]!)) c = l + 1;
    if (!isAfter(hd[c]!, hi[c]!, hd[pos]!, hi[pos]!)) return;
    const td = hd[c]!, ti = hi[c]!;
    hd[c] = hd[pos]!;
    hi[c] = hi[pos]!;
    hd[pos] = td;
    hi[pos] = ti;
    pos = c;
  }
}

let heapD: Float64Array | undefined, heapI: Int32Array | undefined;

/**
 * The k smallest entries of each of `rows` rows of D (n columns, leading dimension ldd),
 * by (value, column): their columns, ascending, into index[offIndex + r·k …]. Row r skips
 * column skip + r when skip ≥ 0 (a point is not its own neighbour). A bounded max-heap per
 * row; the rest of a row only enters below the current k-th smallest (most do not).
 * Needs k ≤ the columns a row offers. The WebAssembly twin makes the same comparisons, so
 * both pick the same columns.
 *
 * @example
 * ```ts
 * const index = new Int32Array(2);
 * smallestInRows(1, 4, new Float64Array([3, 1, 2, 0]), 0, 4, 2, 3, index, 0);
 * index; // Int32Array [1, 2] (column 3, skipped, holds the smallest)
 * ```
 */
export function smallestInRows(rows: number, n: number, D: Float64Array, offD: number, ldd: number, k: number, skip: number, index: Int32Array, offIndex: number): void {
  if (heapD === undefined || heapI === undefined || heapD.length < k) {
    heapD = new Float64Array(k);
    heapI = new Int32Array(k);
  }
  const hd = heapD, hi = heapI;
  for (let r = 0; r < rows; r++) {
    const off = offD + r * ldd, own = skip < 0 ? -1 : skip + r;
    // Fill the heap with the first k candidates.
    let size = 0, j = 0;
    for (; j < n && size < k; j++) {
      if (j === own) continue;
      const v = D[off + j]!;
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!isAfter(v, j, hd[parent]!, hi[parent]!)) break;
        hd[pos] = hd[parent]!;
        hi[pos] = hi[parent]!;
        pos = parent;
      }
      hd[pos] = v;
      hi[pos] = j;
    }
    let top = hd[0]!;
    for (; j < n; j++) {
      const v = D[off + j]!;
      if (v < top && j !== own) {
        hd[0] = v;
        hi[0] = j;
        siftDown(hd, hi, 0, k);
        top = hd[0]!;
      }
    }
    // Pop the max-heap from the back: the row comes out ascending.
    for (let s = k; s > 0; s--) {
      index[offIndex + r * k + s - 1] = hi[0]!;
      hd[0] = hd[s - 1]!;
      hi[0] = hi[s - 1]!;
      siftDown(hd, hi, 0, s - 1);
    }
  }
}
