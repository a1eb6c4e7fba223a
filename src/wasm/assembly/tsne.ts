// The hot loops of t-SNE (latentspace/tsne) in WebAssembly, the twins of
// src/linalg/kernels/tsne.ts: the 2-D Barnes-Hut repulsion (the quadtree built in the
// workspace, then traversed with each group's points two at a time in f64x2 lanes), the 2-D
// attraction over the sparse P, and the nearest neighbours' selection. Every product and
// sum is done in the TypeScript kernels' order (the normaliser per lane, even and odd
// points of a group, as there), so both give the same bits.

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
        const cxv = f64x2.splat(cx), cyv = f64x2.splat(cy), cntv = f64x2.splat(cnt);
        for (let q: i32 = 0; q < pairs; q += 2) {
          const o = <usize>q << 3;
          const d0 = f64x2.sub(v128.load(gx + o), cxv);
          const d1 = f64x2.sub(v128.load(gy + o), cyv);
          const d2 = f64x2.add(f64x2.mul(d0, d0), f64x2.mul(d1, d1));
          const w = f64x2.div(one, f64x2.add(one, d2));
          const mw = f64x2.mul(cntv, w);
          const mw2 = f64x2.mul(mw, w);
          // At distance 0 (the point's own leaf) w = 1, so mw = cnt: its duplicates add
          // cnt − 1 = mw − 1 to Z, and no force (+0: all bits of the lane cleared). Masks
          // rather than selects: fewer instructions, the same bits.
          const own = f64x2.eq(d2, zero);
          zv = f64x2.add(zv, f64x2.sub(mw, v128.and(own, one)));
          v128.store(fx + o, f64x2.add(v128.load(fx + o), v128.andnot(f64x2.mul(mw2, d0), own)));
          v128.store(fy + o, f64x2.add(v128.load(fy + o), v128.andnot(f64x2.mul(mw2, d1), own)));
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
        // The non-empty children, in order, without a branch per child (whether a child
        // is empty is as good as random): each is written, and kept when it has mass.
        const first = load<i32>(child + (<usize>node << 2));
        const cr = rec + (<usize>first << 5);
        store<i32>(stack + (<usize>sp << 2), first);
        sp += <i32>(load<f64>(cr, 16) > 0);
        store<i32>(stack + (<usize>sp << 2), first + 1);
        sp += <i32>(load<f64>(cr, 48) > 0);
        store<i32>(stack + (<usize>sp << 2), first + 2);
        sp += <i32>(load<f64>(cr, 80) > 0);
        store<i32>(stack + (<usize>sp << 2), first + 3);
        sp += <i32>(load<f64>(cr, 112) > 0);
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

/**
 * Attractive forces of 2-D t-SNE over the strict upper triangle of P (the twin of
 * tsneAttraction2 in src/linalg/kernels/tsne.ts). rowPtr: n + 1 i32; col: i32 and val: f64
 * per stored pair; y, out: n × 2 f64 (out is overwritten). A point's x and y share one
 * f64x2; two stored pairs share one f64x2 division; every sum runs in the TypeScript
 * kernel's order (the row's own forces pair by pair, each pair's reaction into out[j]).
 */
export function dtsneattr2(n: i32, rowPtr: usize, col: usize, val: usize, y: usize, scale: f64, out: usize): void {
  memory.fill(out, 0, <usize>n << 4);
  const one = f64x2.splat(1);
  for (let i: i32 = 0; i < n; i++) {
    const yi = v128.load(y + (<usize>i << 4));
    let f = v128.load(out + (<usize>i << 4));
    let e = load<i32>(rowPtr + (<usize>i << 2));
    const end = load<i32>(rowPtr + (<usize>i << 2), 4);
    for (; e + 1 < end; e += 2) {
      const ja = <usize>load<i32>(col + (<usize>e << 2)) << 4;
      const jb = <usize>load<i32>(col + (<usize>e << 2), 4) << 4;
      const da = f64x2.sub(yi, v128.load(y + ja));
      const db = f64x2.sub(yi, v128.load(y + jb));
      const sa = f64x2.mul(da, da), sb = f64x2.mul(db, db);
      // 1 + d0² + d1² of both pairs, summed left to right as the TypeScript kernel does.
      const den = f64x2.add(f64x2.add(one, v128.shuffle<f64>(sa, sb, 0, 2)), v128.shuffle<f64>(sa, sb, 1, 3));
      const pw = f64x2.div(v128.load(val + (<usize>e << 3)), den);
      const ga = f64x2.mul(v128.shuffle<f64>(pw, pw, 0, 0), da);
      const gb = f64x2.mul(v128.shuffle<f64>(pw, pw, 1, 1), db);
      f = f64x2.add(f64x2.add(f, ga), gb);
      v128.store(out + ja, f64x2.sub(v128.load(out + ja), ga));
      v128.store(out + jb, f64x2.sub(v128.load(out + jb), gb));
    }
    if (e < end) {
      const j = <usize>load<i32>(col + (<usize>e << 2)) << 4;
      const d = f64x2.sub(yi, v128.load(y + j));
      const d0 = f64x2.extract_lane(d, 0), d1 = f64x2.extract_lane(d, 1);
      const g = f64x2.mul(f64x2.splat(load<f64>(val + (<usize>e << 3)) / (1 + d0 * d0 + d1 * d1)), d);
      f = f64x2.add(f, g);
      v128.store(out + j, f64x2.sub(v128.load(out + j), g));
    }
    v128.store(out + (<usize>i << 4), f);
  }
  if (scale != 1) {
    const s = f64x2.splat(scale);
    for (let p: usize = 0; p < (<usize>n << 4); p += 16) v128.store(out + p, f64x2.mul(v128.load(out + p), s));
  }
}

// ---- The quadtree, built in the workspace (the twin of Quadtree2 in
// src/linalg/kernels/tsne.ts, step for step, so the same tree and the same sums). ----

/** Bytes per cell of dtsnebh2's workspace: record 32, com 16, centre 16, count 8, half 8, child 4, point 4. */
const CELL_BYTES: usize = 88;

/** Workspace bytes of dtsnebh2 for n points and room for cap cells. */
export function dtsnebh2Work(n: i32, cap: i32): usize {
  return dtsnerep2Work() + <usize>cap * CELL_BYTES + <usize>n * 16 + 1024 + 64;
}

/** Spreads the 16 bits of x to the even bits of a 32-bit word. */
@inline
function spread16(x: u32): u32 {
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/** A 16-bit grid coordinate: Math.min(65535, Math.max(0, Math.floor(v))). */
@inline
function grid16(v: f64): u32 {
  const f = floor(v);
  return f >= 65535 ? 65535 : f > 0 ? <u32>f : 0;
}

/**
 * 2-D Barnes-Hut repulsion from scratch (the twin of tsneBarnesHut2): builds the quadtree
 * over the n points of y (n × 2 f64) in `work` (dtsnebh2Work(n, cap) bytes, 16-byte
 * aligned), packs its records and runs dtsnerep2 into out (n × 2). Returns Z, or −1 when
 * the tree needs more than cap cells (nothing is written to out then).
 */
export function dtsnebh2(n: i32, y: usize, theta: f64, out: usize, cap: i32, work: usize): f64 {
  const c = <usize>cap;
  const rec = work;
  const rwork = rec + c * 32;
  const com = rwork + dtsnerep2Work();
  const centre = com + c * 16;
  const count = centre + c * 16;
  const half = count + c * 8;
  const child = half + c * 8;
  const point = child + c * 4;
  const order = point + c * 4;
  const orderTmp = order + (<usize>n << 2);
  const codes = orderTmp + (<usize>n << 2);
  const codesTmp = codes + (<usize>n << 2);
  const counts = codesTmp + (<usize>n << 2);
  // The root: the bounding square, a hair wider so that the extreme points fall inside.
  let width: f64 = 0;
  for (let k: usize = 0; k < 2; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i: usize = 0; i < <usize>n; i++) {
      const v = load<f64>(y + (i << 4) + (k << 3));
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    store<f64>(centre + (k << 3), (lo + hi) / 2);
    const w = hi - lo;
    width = width > w ? width : w;
  }
  const h0 = (width / 2) * (1 + 1e-9) + 1e-300;
  const minHalf = h0 * 1e-12;
  let nodes: i32 = 1;
  store<i32>(child, -1);
  store<i32>(point, -1);
  store<f64>(count, 0);
  v128.store(com, f64x2.splat(0));
  store<f64>(half, h0);
  mortonSort(n, y, load<f64>(centre), load<f64>(centre, 8), h0, order, orderTmp, codes, codesTmp, counts);
  for (let t: usize = 0; t < <usize>n; t++) {
    const p = load<i32>(order + (t << 2));
    nodes = insertPoint(p, y, minHalf, nodes, cap, child, point, count, half, centre, com);
    if (nodes < 0) return -1;
  }
  // Sums to centres of mass; a leaf of exact duplicates takes their position itself.
  for (let node: usize = 0; node < <usize>nodes; node++) {
    const cnt = load<f64>(count + (node << 3));
    if (cnt <= 1) continue;
    if (load<i32>(child + (node << 2)) < 0 && load<f64>(half + (node << 3)) > minHalf) {
      const q = <usize>load<i32>(point + (node << 2));
      v128.store(com + (node << 4), v128.load(y + (q << 4)));
    } else {
      store<f64>(com + (node << 4), load<f64>(com + (node << 4)) / cnt);
      store<f64>(com + (node << 4), load<f64>(com + (node << 4), 8) / cnt, 8);
    }
  }
  const inv = theta > 0 ? 1 / (theta * theta) : Infinity;
  for (let node: usize = 0; node < <usize>nodes; node++) {
    const r = rec + (node << 5);
    v128.store(r, v128.load(com + (node << 4)));
    store<f64>(r, load<f64>(count + (node << 3)), 16);
    const hh = load<f64>(half + (node << 3));
    store<f64>(r, load<i32>(child + (node << 2)) < 0 ? 0 : 4 * hh * hh * inv, 24);
  }
  return dtsnerep2(n, order, y, rec, child, out, rwork);
}

/** Morton order of the points (see mortonOrder2): a stable radix sort, four 8-bit passes. */
function mortonSort(n: i32, y: usize, cx: f64, cy: f64, h: f64, order: usize, orderTmp: usize, codes: usize, codesTmp: usize, counts: usize): void {
  const scale = 65535 / (2 * h);
  for (let i: usize = 0; i < <usize>n; i++) {
    const gx = grid16((load<f64>(y + (i << 4)) - cx + h) * scale);
    const gy = grid16((load<f64>(y + (i << 4), 8) - cy + h) * scale);
    store<u32>(codes + (i << 2), spread16(gx) | (spread16(gy) << 1));
    store<i32>(order + (i << 2), <i32>i);
  }
  let c = codes, ct = codesTmp, o = order, ot = orderTmp;
  for (let shift: u32 = 0; shift < 32; shift += 8) {
    memory.fill(counts, 0, 1024);
    for (let t: usize = 0; t < <usize>n; t++) {
      const b = counts + (<usize>((load<u32>(c + (t << 2)) >>> shift) & 255) << 2);
      store<i32>(b, load<i32>(b) + 1);
    }
    let sum: i32 = 0;
    for (let b: usize = 0; b < 256; b++) {
      const k = load<i32>(counts + (b << 2));
      store<i32>(counts + (b << 2), sum);
      sum += k;
    }
    for (let t: usize = 0; t < <usize>n; t++) {
      const code = load<u32>(c + (t << 2));
      const b = counts + (<usize>((code >>> shift) & 255) << 2);
      const pos = <usize>load<i32>(b);
      store<i32>(b, <i32>pos + 1);
      store<u32>(ct + (pos << 2), code);
      store<i32>(ot + (pos << 2), load<i32>(o + (t << 2)));
    }
    const sc = c; c = ct; ct = sc;
    const so = o; o = ot; ot = so;
  }
  // Four passes: the sorted order is back in `order`.
}

/** Inserts point p (see Quadtree2.insert); returns the new number of cells, −1 past cap. */
function insertPoint(
  p: i32, y: usize, minHalf: f64, nodes: i32, cap: i32,
  child: usize, point: usize, count: usize, half: usize, centre: usize, com: usize,
): i32 {
  const pv = v128.load(y + (<usize>p << 4));
  const x = f64x2.extract_lane(pv, 0), v = f64x2.extract_lane(pv, 1);
  let node: usize = 0;
  for (;;) {
    const c0 = load<f64>(count + (node << 3));
    const ctr = centre + (node << 4);
    if (load<i32>(child + (node << 2)) < 0 && c0 > 0) {
      const q = <usize>load<i32>(point + (node << 2));
      const qx = load<f64>(y + (q << 4)), qy = load<f64>(y + (q << 4), 8);
      const hn = load<f64>(half + (node << 3));
      if ((qx != x || qy != v) && hn > minHalf) {
        // Split: four children, then the resident point(s) one level down.
        if (nodes + 4 > cap) return -1;
        const first = <usize>nodes;
        const hc = hn / 2;
        const cx = load<f64>(ctr), cy = load<f64>(ctr, 8);
        for (let k: usize = 0; k < 4; k++) {
          const ch = first + k;
          store<i32>(child + (ch << 2), -1);
          store<i32>(point + (ch << 2), -1);
          store<f64>(count + (ch << 3), 0);
          v128.store(com + (ch << 4), f64x2.splat(0));
          store<f64>(half + (ch << 3), hc);
          store<f64>(centre + (ch << 4), cx + (k & 1 ? hc : -hc));
          store<f64>(centre + (ch << 4), cy + (k & 2 ? hc : -hc), 8);
        }
        nodes += 4;
        store<i32>(child + (node << 2), <i32>first);
        const qc = first + (qx > cx ? 1 : 0) + (qy > cy ? 2 : 0);
        store<f64>(count + (qc << 3), c0);
        store<i32>(point + (qc << 2), <i32>q);
        v128.store(com + (qc << 4), v128.load(com + (node << 4)));
        store<i32>(point + (node << 2), -1);
      }
    }
    store<f64>(count + (node << 3), c0 + 1);
    v128.store(com + (node << 4), f64x2.add(v128.load(com + (node << 4)), pv));
    const first = load<i32>(child + (node << 2));
    if (first < 0) {
      if (c0 == 0) store<i32>(point + (node << 2), p);
      return nodes;
    }
    node = <usize>first + (x > load<f64>(ctr) ? 1 : 0) + (v > load<f64>(ctr, 8) ? 2 : 0);
  }
  return nodes; // not reached: every path down the tree ends at a leaf
}

// ---- The nearest neighbours of the affinities: each row's k smallest distances (the twin
// of smallestInRows in src/linalg/kernels/tsne.ts: the same comparisons in the same order,
// so the same columns). ----

/** Workspace bytes of dsmallest: the heap of k values and k columns. */
export function dsmallestWork(k: i32): usize {
  return <usize>k * 12 + 16;
}

@inline
function after(da: f64, ia: i32, db: f64, ib: i32): bool {
  return da > db || (da == db && ia > ib);
}

function siftDown(hd: usize, hi: usize, pos: i32, size: i32): void {
  for (;;) {
    const l = 2 * pos + 1;
    if (l >= size) return;
    let c = l;
    if (l + 1 < size && after(load<f64>(hd + (<usize>(l + 1) << 3)), load<i32>(hi + (<usize>(l + 1) << 2)), load<f64>(hd + (<usize>l << 3)), load<i32>(hi + (<usize>l << 2)))) c = l + 1;
    const dc = load<f64>(hd + (<usize>c << 3)), ic = load<i32>(hi + (<usize>c << 2));
    const dp = load<f64>(hd + (<usize>pos << 3)), ip = load<i32>(hi + (<usize>pos << 2));
    if (!after(dc, ic, dp, ip)) return;
    store<f64>(hd + (<usize>c << 3), dp);
    store<i32>(hi + (<usize>c << 2), ip);
    store<f64>(hd + (<usize>pos << 3), dc);
    store<i32>(hi + (<usize>pos << 2), ic);
    pos = c;
  }
}

/**
 * The k smallest entries of each row of d (rows × n f64, leading dimension ldd), by
 * (value, column), skipping column skip + r of row r when skip ≥ 0: their columns,
 * ascending, into index (rows × k i32). work: dsmallestWork(k) bytes.
 */
export function dsmallest(rows: i32, n: i32, d: usize, ldd: i32, k: i32, skip: i32, index: usize, work: usize): void {
  const hd = work, hi = work + (<usize>k << 3);
  for (let r: i32 = 0; r < rows; r++) {
    const row = d + (<usize>r * <usize>ldd << 3);
    const own = skip < 0 ? -1 : skip + r;
    let size: i32 = 0, j: i32 = 0;
    for (; j < n && size < k; j++) {
      if (j == own) continue;
      const v = load<f64>(row + (<usize>j << 3));
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!after(v, j, load<f64>(hd + (<usize>parent << 3)), load<i32>(hi + (<usize>parent << 2)))) break;
        store<f64>(hd + (<usize>pos << 3), load<f64>(hd + (<usize>parent << 3)));
        store<i32>(hi + (<usize>pos << 2), load<i32>(hi + (<usize>parent << 2)));
        pos = parent;
      }
      store<f64>(hd + (<usize>pos << 3), v);
      store<i32>(hi + (<usize>pos << 2), j);
    }
    let top = load<f64>(hd);
    // Two columns at a time screened against the k-th smallest; a pair with a candidate
    // is taken one column after the other, as the TypeScript kernel does.
    for (; j + 1 < n; j += 2) {
      const v2 = v128.load(row + (<usize>j << 3));
      if (!v128.any_true(f64x2.lt(v2, f64x2.splat(top)))) continue;
      for (let t: i32 = j; t < j + 2; t++) {
        const v = load<f64>(row + (<usize>t << 3));
        if (v < top && t != own) {
          store<f64>(hd, v);
          store<i32>(hi, t);
          siftDown(hd, hi, 0, k);
          top = load<f64>(hd);
        }
      }
    }
    if (j < n) {
      const v = load<f64>(row + (<usize>j << 3));
      if (v < top && j != own) {
        store<f64>(hd, v);
        store<i32>(hi, j);
        siftDown(hd, hi, 0, k);
      }
    }
    const out = index + (<usize>r * <usize>k << 2);
    for (let s = k; s > 0; s--) {
      store<i32>(out + (<usize>(s - 1) << 2), load<i32>(hi));
      store<f64>(hd, load<f64>(hd + (<usize>(s - 1) << 3)));
      store<i32>(hi, load<i32>(hi + (<usize>(s - 1) << 2)));
      siftDown(hd, hi, 0, s - 1);
    }
  }
}
