// The hot loops of t-SNE (latentspace/tsne) in WebAssembly, the twins of
// src/linalg/kernels/tsne.ts: the 2-D Barnes-Hut repulsion (the quadtree built in the
// workspace, then traversed with each group's points two at a time in f64x2 lanes), the 2-D
// attraction over the sparse P, and the nearest neighbours' selection. Every product and
// sum is done in the TypeScript kernels' order (the normaliser per lane, even and odd
// points of a group, as there), so both give the same bits.

/** Points of the Morton order that traverse the tree together (as the TypeScript kernel). */
const GROUP: i32 = 16;
/** Bytes of a pair's block in the group buffer: x, y, fx, fy, one f64x2 each (the two points in the lanes). */
const PAIR_BYTES: usize = 64;
/** Offsets of the group's box (lower and upper corner, x and y in the lanes) in the group buffer. */
const LO: usize = <usize>(GROUP / 2 + 1) * PAIR_BYTES;
const HI: usize = LO + 16;
/** Workspace bytes of the walk: the group buffer (a block per pair, one for an odd last point, the box). */
const WALK_BYTES: usize = HI + 16;

/**
 * One cell's pull on a pair of the group's points, whose block of the group buffer is at p
 * (x, y, then the forces fx, fy: one f64x2 each, the pair's two points in the two lanes):
 * the forces take its terms and Z's lanes are returned with theirs. `near` (a constant): a
 * lane may be the point's own leaf (distance 0), which adds its duplicates to Z (cnt − 1)
 * and no force.
 */
@inline
function pull(p: usize, cxv: v128, cyv: v128, cntv: v128, zv: v128, near: bool): v128 {
  const one = f64x2.splat(1);
  const d0 = f64x2.sub(v128.load(p), cxv);
  const d1 = f64x2.sub(v128.load(p, 16), cyv);
  const d2 = f64x2.add(f64x2.mul(d0, d0), f64x2.mul(d1, d1));
  const w = f64x2.div(one, f64x2.add(one, d2));
  const mw = f64x2.mul(cntv, w);
  const mw2 = f64x2.mul(mw, w);
  let ax = f64x2.mul(mw2, d0), ay = f64x2.mul(mw2, d1), az = mw;
  if (near) {
    // At distance 0 w = 1, so mw = cnt: the duplicates add mw − 1 to Z, and no force
    // (+0: all bits of the lane cleared). Masks rather than selects: the same bits.
    const own = f64x2.eq(d2, f64x2.splat(0));
    az = f64x2.sub(mw, v128.and(own, one));
    ax = v128.andnot(ax, own);
    ay = v128.andnot(ay, own);
  }
  v128.store(p, f64x2.add(v128.load(p, 32), ax), 32);
  v128.store(p, f64x2.add(v128.load(p, 48), ay), 48);
  return f64x2.add(zv, az);
}

/**
 * One cell's pull on the first `pairs` pairs of the group (buffer g), pair after pair
 * (see pull). For a whole group (`full`, a constant) the 8 pairs are written out without a
 * loop: −10% of the walk's time on 10,000 points (the same unrolling of the masked form
 * gained nothing); the blocks of 64 bytes give every access an immediate offset.
 */
@inline
function summarise(g: usize, pairs: i32, cxv: v128, cyv: v128, cntv: v128, zv: v128, near: bool, full: bool): v128 {
  if (full) {
    zv = pull(g, cxv, cyv, cntv, zv, near);
    zv = pull(g + PAIR_BYTES, cxv, cyv, cntv, zv, near);
    zv = pull(g + 2 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
    zv = pull(g + 3 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
    zv = pull(g + 4 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
    zv = pull(g + 5 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
    zv = pull(g + 6 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
    return pull(g + 7 * PAIR_BYTES, cxv, cyv, cntv, zv, near);
  }
  for (let q: i32 = 0; q < pairs; q++) zv = pull(g + <usize>q * PAIR_BYTES, cxv, cyv, cntv, zv, near);
  return zv;
}

/**
 * One group's walk over the cells (see walk); returns Z's two lanes. `full` (a constant):
 * a group of GROUP points, no odd last point (the code the walk runs for all groups but the
 * last).
 */
@inline
function walkGroup(g: usize, size: i32, rec: usize, cells: i32, full: bool): v128 {
  const lo = v128.load(g, LO), hi = v128.load(g, HI);
  const pairs = full ? GROUP / 2 : size >> 1;
  const odd = g + <usize>pairs * PAIR_BYTES;
  let zv = f64x2.splat(0);
  // The cells in depth-first order: summarising a cell jumps past its subtree, opening it
  // steps into its first non-empty child (no stack; the records are read forwards).
  let cell: i32 = 0;
  while (cell < cells) {
    const r = rec + (<usize>cell << 5);
    const c = v128.load(r), limit = load<f64>(r, 16);
    // The distance from the centre of mass to the group's box, both axes at once: the
    // larger of lo − c, c − hi and 0 (pmax: the TypeScript kernel's comparisons, the same
    // value up to the sign of a zero, which squaring drops).
    const e = f64x2.pmax(f64x2.pmax(f64x2.sub(lo, c), f64x2.sub(c, hi)), f64x2.splat(0));
    const es = f64x2.mul(e, e);
    const e2 = f64x2.extract_lane(es, 0) + f64x2.extract_lane(es, 1);
    if (limit < e2 || limit == 0) {
      const cnt = <f64>load<u32>(r, 24);
      const cxv = v128.shuffle<f64>(c, c, 0, 0), cyv = v128.shuffle<f64>(c, c, 1, 1), cntv = f64x2.splat(cnt);
      // A cell outside the group's box (e2 > 0) is at distance ≥ √e2 > 0 from each point
      // (the roundings keep that order), so no lane is a point's own leaf: no masks. The
      // others (one in six) take the loop: unrolling them gained nothing measurable.
      if (e2 > 0) zv = summarise(g, pairs, cxv, cyv, cntv, zv, false, full);
      else zv = summarise(g, pairs, cxv, cyv, cntv, zv, true, false);
      if (!full && (size & 1)) {
        // The odd last point of the group: lane 0 (an even index) of the next block.
        const cx = f64x2.extract_lane(c, 0), cy = f64x2.extract_lane(c, 1);
        const d0 = load<f64>(odd) - cx, d1 = load<f64>(odd, 16) - cy;
        const d2 = d0 * d0 + d1 * d1;
        const w = 1 / (1 + d2);
        const mw = cnt * w;
        const mw2 = mw * w;
        zv = f64x2.replace_lane(zv, 0, f64x2.extract_lane(zv, 0) + (d2 == 0 ? cnt - 1 : mw));
        if (d2 != 0) {
          store<f64>(odd, load<f64>(odd, 32) + mw2 * d0, 32);
          store<f64>(odd, load<f64>(odd, 48) + mw2 * d1, 48);
        }
      }
      cell = load<i32>(r, 28);
    } else {
      cell++;
    }
  }
  return zv;
}

/**
 * Barnes-Hut repulsion in 2-D (the twin of tsneRepulsion2). order: n i32; y: n × 2 f64;
 * rec: 32 bytes per cell in the walk's order (packWalk: centre of mass x, y, opening limit
 * (0 for a leaf) as f64, mass as u32, the cell after the subtree as i32); cells: their
 * number; out: n × 2 f64; work: WALK_BYTES, 16-byte aligned. Returns Z.
 */
function walk(n: i32, order: usize, y: usize, rec: usize, cells: i32, out: usize, work: usize): f64 {
  const g = work;
  let total: f64 = 0;
  for (let g0: i32 = 0; g0 < n; g0 += GROUP) {
    const size = min(GROUP, n - g0);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let q: i32 = 0; q < size; q++) {
      const i = <usize>load<i32>(order + (<usize>(g0 + q) << 2));
      const x = load<f64>(y + (i << 4));
      const v = load<f64>(y + (i << 4), 8);
      // Point q: lane q & 1 of its pair's block.
      const p = g + <usize>(q >> 1) * PAIR_BYTES + (<usize>(q & 1) << 3);
      store<f64>(p, x);
      store<f64>(p, v, 16);
      store<f64>(p, 0, 32);
      store<f64>(p, 0, 48);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    v128.store(g, f64x2.replace_lane(f64x2.splat(minX), 1, minY), LO);
    v128.store(g, f64x2.replace_lane(f64x2.splat(maxX), 1, maxY), HI);
    const zv = size == GROUP ? walkGroup(g, size, rec, cells, true) : walkGroup(g, size, rec, cells, false);
    for (let q: i32 = 0; q < size; q++) {
      const i = <usize>load<i32>(order + (<usize>(g0 + q) << 2));
      const p = g + <usize>(q >> 1) * PAIR_BYTES + (<usize>(q & 1) << 3);
      store<f64>(out + (i << 4), load<f64>(p, 32));
      store<f64>(out + (i << 4), load<f64>(p, 48), 8);
    }
    total += f64x2.extract_lane(zv, 0) + f64x2.extract_lane(zv, 1);
  }
  return total;
}

/**
 * Two stored pairs of row i (entries e, e + 1; yi its point) pull on it and on their
 * columns: returns f (row i's force so far) with their terms added in order, the
 * reactions subtracted from out. One f64x2 division for both.
 */
@inline
function attractTwo(e: i32, col: usize, val: usize, y: usize, yi: v128, f: v128, out: usize): v128 {
  const one = f64x2.splat(1);
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
  v128.store(out + ja, f64x2.sub(v128.load(out + ja), ga));
  v128.store(out + jb, f64x2.sub(v128.load(out + jb), gb));
  return f64x2.add(f64x2.add(f, ga), gb);
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
  for (let i: i32 = 0; i < n; i++) {
    const yi = v128.load(y + (<usize>i << 4));
    let f = v128.load(out + (<usize>i << 4));
    let e = load<i32>(rowPtr + (<usize>i << 2));
    const end = load<i32>(rowPtr + (<usize>i << 2), 4);
    for (; e + 1 < end; e += 2) f = attractTwo(e, col, val, y, yi, f, out);
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
// src/linalg/kernels/tsne.ts: the same cells, the same sums in the same order, and the same
// records in the same order, without the branches there). ----

/** Bytes per cell of dtsnebh2's workspace: record 32, com 16, centre 16, count 8, half 8, child 4, point 4, size 4, position 4. */
const CELL_BYTES: usize = 96;

/** Workspace bytes of dtsnebh2 for n points and room for cap cells (and packWalk's 4 dummy cells). */
export function dtsnebh2Work(n: i32, cap: i32): usize {
  return WALK_BYTES + <usize>(cap + 4) * CELL_BYTES + <usize>n * 16 + 1024 + <usize>MAX_DEPTH * 4 + 64;
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
 * aligned), lays out its records in the order of the walk and walks them into out
 * (n × 2). Returns Z, or −1 when the tree needs more than cap cells (nothing is written to
 * out then).
 */
export function dtsnebh2(n: i32, y: usize, theta: f64, out: usize, cap: i32, work: usize): f64 {
  const c = <usize>cap + 4; // 4 more: the dummy cells of packWalk
  const rec = work;
  const rwork = rec + c * 32;
  const com = rwork + WALK_BYTES;
  const centre = com + c * 16;
  const count = centre + c * 16;
  const half = count + c * 8;
  const child = half + c * 8;
  const point = child + c * 4;
  const size = point + c * 4;
  const pos = size + c * 4;
  const order = pos + c * 4;
  const orderTmp = order + (<usize>n << 2);
  const codes = orderTmp + (<usize>n << 2);
  const codesTmp = codes + (<usize>n << 2);
  const counts = codesTmp + (<usize>n << 2);
  const path = counts + 1024;
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
  nodes = insertPoints(n, order, y, minHalf, cap, path, child, point, count, half, centre, com);
  if (nodes < 0) return -1;
  subtreeSizes(nodes, count, child, size, cap);
  const cells = packWalk(nodes, y, minHalf, theta, count, half, child, point, com, size, pos, rec, cap);
  return walk(n, order, y, rec, cells, out, rwork);
}

/**
 * Each cell's number of non-empty cells in its subtree, itself included, into `size`
 * (children come after their parent, so a backward pass finds theirs done). A leaf reads
 * the four zero sizes at `dummy` as its children: no branch.
 */
function subtreeSizes(nodes: i32, count: usize, child: usize, size: usize, dummy: i32): void {
  v128.store(size + (<usize>dummy << 2), i32x4.splat(0));
  for (let node = <usize>nodes; node-- > 0;) {
    const first = load<i32>(child + (node << 2));
    const ch = size + (<usize>select(dummy, first, first < 0) << 2);
    const s = <i32>(load<f64>(count + (node << 3)) > 0) + load<i32>(ch) + load<i32>(ch, 4) + load<i32>(ch, 8) + load<i32>(ch, 12);
    store<i32>(size + (node << 2), s);
  }
}

/**
 * The traversal's records in the order of its walk (as walkRecords in
 * src/linalg/kernels/tsne.ts): depth first, a cell's non-empty children last to first;
 * each record is the centre of mass (a leaf of exact duplicates: their position), the
 * opening limit (2h)² / θ² (0 for a leaf), the mass (u32) and the position after the
 * subtree (i32). Branch-free: an empty cell writes the record at `dummy`, a leaf the
 * positions of the four children at `dummy`. Returns the number of records.
 */
function packWalk(
  nodes: i32, y: usize, minHalf: f64, theta: f64, count: usize, half: usize, child: usize, point: usize,
  com: usize, size: usize, pos: usize, rec: usize, dummy: i32,
): i32 {
  const inv = theta > 0 ? 1 / (theta * theta) : Infinity;
  store<i32>(pos, 0);
  for (let node: usize = 0; node < <usize>nodes; node++) {
    const cnt = load<f64>(count + (node << 3));
    const first = load<i32>(child + (node << 2));
    const hh = load<f64>(half + (node << 3));
    const at = select(load<i32>(pos + (node << 2)), dummy, cnt > 0);
    const q = <usize>max(load<i32>(point + (node << 2)), 0);
    const dup = cnt > 1 && first < 0 && hh > minHalf;
    const r = rec + (<usize>at << 5);
    v128.store(r, v128.bitselect(v128.load(y + (q << 4)), f64x2.div(v128.load(com + (node << 4)), f64x2.splat(cnt)), i64x2.splat(-(<i64>dup))));
    store<f64>(r, first < 0 ? 0 : 4 * hh * hh * inv, 16);
    store<u32>(r, <u32>cnt, 24);
    store<i32>(r, at + load<i32>(size + (node << 2)), 28);
    // The children's positions, last child first (an empty one's is never read).
    const ch = <usize>select(dummy, first, first < 0) << 2;
    let to = at + 1;
    for (let k: i32 = 3; k >= 0; k--) {
      store<i32>(pos + ch + (<usize>k << 2), to);
      to += load<i32>(size + ch + (<usize>k << 2));
    }
  }
  return load<i32>(size);
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

/** Longest path down a tree: cells stop splitting at 1e-12 of the root's half-width (2^-40). */
const MAX_DEPTH: i32 = 64;

/**
 * Inserts the points in `order` (see Quadtree2.insert); returns the number of cells, −1
 * past cap. Consecutive points of the Morton order share most of their way down: each
 * follows the previous one's path (`path`, MAX_DEPTH i32) while it takes the same children,
 * the cells addressed from the path rather than from the child just computed, so the loads
 * of successive levels do not wait on each other (−40% of the insertion's time on 10,000
 * points). The cells on that path are internal: each takes the point (count and sum) as
 * the descent from the root does, in the same order.
 */
function insertPoints(
  n: i32, order: usize, y: usize, minHalf: f64, cap: i32, path: usize,
  child: usize, point: usize, count: usize, half: usize, centre: usize, com: usize,
): i32 {
  let nodes: i32 = 1, depth: i32 = 0;
  for (let t: usize = 0; t < <usize>n; t++) {
    const p = load<i32>(order + (t << 2));
    const pv = v128.load(y + (<usize>p << 4));
    const x = f64x2.extract_lane(pv, 0), v = f64x2.extract_lane(pv, 1);
    let level: i32 = 0, node: usize = 0;
    for (;;) {
      if (level >= depth - 1) {
        // All the previous path's choices (or none: the first point): on from its leaf.
        if (depth > 0) node = <usize>load<i32>(path + (<usize>level << 2));
        break;
      }
      const at = <usize>load<i32>(path + (<usize>level << 2));
      const ctr = centre + (at << 4);
      store<f64>(count + (at << 3), load<f64>(count + (at << 3)) + 1);
      v128.store(com + (at << 4), f64x2.add(v128.load(com + (at << 4)), pv));
      node = <usize>load<i32>(child + (at << 2)) + (x > load<f64>(ctr) ? 1 : 0) + (v > load<f64>(ctr, 8) ? 2 : 0);
      level++;
      if (node != <usize>load<i32>(path + (<usize>level << 2))) break;
    }
    // The rest of the way down, as from the root.
    for (;;) {
      store<i32>(path + (<usize>level << 2), <i32>node);
      level++;
      const c0 = load<f64>(count + (node << 3));
      const ctr = centre + (node << 4);
      if (load<i32>(child + (node << 2)) < 0 && c0 > 0) {
        const q = <usize>load<i32>(point + (node << 2));
        const qv = v128.load(y + (q << 4));
        if (!i64x2.all_true(f64x2.eq(qv, pv)) && load<f64>(half + (node << 3)) > minHalf) {
          if (nodes + 4 > cap) return -1;
          splitLeaf(node, <usize>nodes, q, qv, c0, child, point, count, half, centre, com);
          nodes += 4;
        }
      }
      store<f64>(count + (node << 3), c0 + 1);
      v128.store(com + (node << 4), f64x2.add(v128.load(com + (node << 4)), pv));
      const first = load<i32>(child + (node << 2));
      if (first < 0) {
        if (c0 == 0) store<i32>(point + (node << 2), p);
        break;
      }
      node = <usize>first + (x > load<f64>(ctr) ? 1 : 0) + (v > load<f64>(ctr, 8) ? 2 : 0);
    }
    depth = level;
  }
  return nodes;
}

/** Gives leaf `node` its four children (cells first …first + 3), and moves its point(s) q (at qv, c0 of them) one level down. */
function splitLeaf(
  node: usize, first: usize, q: usize, qv: v128, c0: f64,
  child: usize, point: usize, count: usize, half: usize, centre: usize, com: usize,
): void {
  const hc = load<f64>(half + (node << 3)) / 2;
  const cx = load<f64>(centre + (node << 4)), cy = load<f64>(centre + (node << 4), 8);
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
  store<i32>(child + (node << 2), <i32>first);
  const qc = first + (f64x2.extract_lane(qv, 0) > cx ? 1 : 0) + (f64x2.extract_lane(qv, 1) > cy ? 2 : 0);
  store<f64>(count + (qc << 3), c0);
  store<i32>(point + (qc << 2), <i32>q);
  v128.store(com + (qc << 4), v128.load(com + (node << 4)));
  store<i32>(point + (node << 2), -1);
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
