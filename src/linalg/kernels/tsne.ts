// The hot loop of 2-D Barnes-Hut t-SNE (latentspace/tsne): the repulsive forces from a
// quadtree given as flat records. The WebAssembly twin (src/wasm/assembly/tsne.ts) runs
// each group's points two at a time in f64x2 lanes; this reference accumulates the
// normaliser in the same two lanes (even and odd points of a group), so both give the same
// bits.

/**
 * Points of the Morton order that traverse the tree together.
 *
 * @example
 * ```ts
 * TSNE_GROUP; // 16
 * ```
 */
export const TSNE_GROUP = 16;
/**
 * Entries of the traversal stack: ≥ 3 · depth + 1 for a quadtree, whose depth the tree
 * bounds near 41 levels (cells stop splitting below 1e-12 of the root's width).
 *
 * @example
 * ```ts
 * TSNE_STACK; // 256
 * ```
 */
export const TSNE_STACK = 256;

const stack = new Int32Array(TSNE_STACK);
const gx = new Float64Array(TSNE_GROUP), gy = new Float64Array(TSNE_GROUP);
const fx = new Float64Array(TSNE_GROUP), fy = new Float64Array(TSNE_GROUP);

/**
 * Barnes-Hut repulsion in 2-D: out[2i, 2i+1] = Σ over summarised cells of
 * mass · w² · (yᵢ − centre of mass), w = 1 / (1 + ‖yᵢ − com‖²), and the return value
 * Z = Σ mass · w over all of them (a point's own leaf adds its duplicates, weight 1 each).
 *
 * The tree is given as records `rec` (4 per cell: centre-of-mass x, y, mass, and the
 * opening limit (width / θ)², 0 for a leaf) and `child` (first of the 4 consecutive
 * children, −1 for a leaf); cell 0 is the root. Points are visited in `order` (a Morton
 * order) in groups of TSNE_GROUP: a cell is summarised for a whole group when its limit is
 * below the squared distance from its centre of mass to the group's bounding box, else
 * its non-empty children are opened.
 *
 * @example
 * ```ts
 * const Z = tsneRepulsion2(n, order, Y, rec, child, out);
 * ```
 */
export function tsneRepulsion2(n: number, order: Int32Array, Y: Float64Array, rec: Float64Array, child: Int32Array, out: Float64Array): number {
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
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const r = 4 * node;
      const cx = rec[r]!, cy = rec[r + 1]!, limit = rec[r + 3]!;
      // Squared distance from the centre of mass to the group's box.
      const ex = cx < minX ? minX - cx : cx > maxX ? cx - maxX : 0;
      const ey = cy < minY ? minY - cy : cy > maxY ? cy - maxY : 0;
      if (limit < ex * ex + ey * ey || limit === 0) {
        const cnt = rec[r + 2]!;
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
      } else {
        const first = child[node]!;
        for (let c = first; c < first + 4; c++) if (rec[4 * c + 2]! > 0) stack[sp++] = c;
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
