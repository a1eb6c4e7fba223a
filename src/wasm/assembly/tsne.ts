// The repulsive forces of 2-D Barnes-Hut t-SNE (latentspace/tsne), the twin of
// src/linalg/kernels/tsne.ts: the same traversal of the same flat quadtree, with each
// group's points taken two at a time in f64x2 lanes. The normaliser accumulates per lane
// (even and odd points of a group) exactly as the TypeScript kernel does, and every
// product and sum is done in the same order, so both give the same bits.

/** Points of the Morton order that traverse the tree together (as the TypeScript kernel). */
const GROUP: i32 = 16;
/** Traversal stack entries (as the TypeScript kernel). */
const STACK: i32 = 256;

/** Workspace bytes of dtsnerep2: the stack and four group buffers. */
export function dtsnerep2Work(): usize {
  return <usize>(STACK * 4 + 4 * GROUP * 8);
}

/**
 * Barnes-Hut repulsion in 2-D. order: n i32; y: n × 2 f64; rec: 4 f64 per cell (centre of
 * mass x, y, mass, opening limit or 0 for a leaf); child: 1 i32 per cell; out: n × 2 f64;
 * work: dtsnerep2Work() bytes, 16-byte aligned. Returns Z.
 */
export function dtsnerep2(n: i32, order: usize, y: usize, rec: usize, child: usize, out: usize, work: usize): f64 {
  const stack = work;
  const gx = work + <usize>(STACK * 4);
  const gy = gx + <usize>(GROUP * 8);
  const fx = gy + <usize>(GROUP * 8);
  const fy = fx + <usize>(GROUP * 8);
  const one = f64x2.splat(1);
  const zero = f64x2.splat(0);
  let total: f64 = 0;
  for (let g0: i32 = 0; g0 < n; g0 += GROUP) {
    const size = min(GROUP, n - g0);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let q: i32 = 0; q < size; q++) {
      const i = <usize>load<i32>(order + (<usize>(g0 + q) << 2));
      const x = load<f64>(y + (i << 4));
      const v = load<f64>(y + (i << 4), 8);
      store<f64>(gx + (<usize>q << 3), x);
      store<f64>(gy + (<usize>q << 3), v);
      store<f64>(fx + (<usize>q << 3), 0);
      store<f64>(fy + (<usize>q << 3), 0);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    const pairs = size & ~1;
    let zv = f64x2.splat(0);
    let sp: i32 = 0;
    store<i32>(stack, 0);
    sp = 1;
    while (sp > 0) {
      sp--;
      const node = load<i32>(stack + (<usize>sp << 2));
      const r = rec + (<usize>node << 5);
      const cx = load<f64>(r), cy = load<f64>(r, 8), limit = load<f64>(r, 24);
      const ex = cx < minX ? minX - cx : cx > maxX ? cx - maxX : 0;
      const ey = cy < minY ? minY - cy : cy > maxY ? cy - maxY : 0;
      if (limit < ex * ex + ey * ey || limit == 0) {
        const cnt = load<f64>(r, 16);
        const cxv = f64x2.splat(cx), cyv = f64x2.splat(cy), cntv = f64x2.splat(cnt), dupv = f64x2.splat(cnt - 1);
        for (let q: i32 = 0; q < pairs; q += 2) {
          const o = <usize>q << 3;
          const d0 = f64x2.sub(v128.load(gx + o), cxv);
          const d1 = f64x2.sub(v128.load(gy + o), cyv);
          const d2 = f64x2.add(f64x2.mul(d0, d0), f64x2.mul(d1, d1));
          const w = f64x2.div(one, f64x2.add(one, d2));
          const mw = f64x2.mul(cntv, w);
          const mw2 = f64x2.mul(mw, w);
          const own = f64x2.eq(d2, zero);
          zv = f64x2.add(zv, v128.bitselect(dupv, mw, own));
          v128.store(fx + o, f64x2.add(v128.load(fx + o), v128.bitselect(zero, f64x2.mul(mw2, d0), own)));
          v128.store(fy + o, f64x2.add(v128.load(fy + o), v128.bitselect(zero, f64x2.mul(mw2, d1), own)));
        }
        if (pairs < size) {
          // The odd last point of the group: lane 0 (an even index).
          const o = <usize>pairs << 3;
          const d0 = load<f64>(gx + o) - cx, d1 = load<f64>(gy + o) - cy;
          const d2 = d0 * d0 + d1 * d1;
          const w = 1 / (1 + d2);
          const mw = cnt * w;
          const mw2 = mw * w;
          zv = f64x2.replace_lane(zv, 0, f64x2.extract_lane(zv, 0) + (d2 == 0 ? cnt - 1 : mw));
          if (d2 != 0) {
            store<f64>(fx + o, load<f64>(fx + o) + mw2 * d0);
            store<f64>(fy + o, load<f64>(fy + o) + mw2 * d1);
          }
        }
      } else {
        const first = load<i32>(child + (<usize>node << 2));
        for (let c = first; c < first + 4; c++) {
          if (load<f64>(rec + (<usize>c << 5), 16) > 0) {
            store<i32>(stack + (<usize>sp << 2), c);
            sp++;
          }
        }
      }
    }
    for (let q: i32 = 0; q < size; q++) {
      const i = <usize>load<i32>(order + (<usize>(g0 + q) << 2));
      store<f64>(out + (i << 4), load<f64>(fx + (<usize>q << 3)));
      store<f64>(out + (i << 4), load<f64>(fy + (<usize>q << 3)), 8);
    }
    total += f64x2.extract_lane(zv, 0) + f64x2.extract_lane(zv, 1);
  }
  return total;
}
