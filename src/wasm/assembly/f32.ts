// Float32 kernels (f32x4): the same blocked algorithm as f64.ts with a 4 × 8 micro-tile
// (four rows of two f32x4 vectors, eight accumulators) and A packed pre-broadcast (each
// value stored four times; see f64.ts for why). Pointers are byte addresses, leading
// dimensions are in elements, operands are contiguous copies made by the JavaScript side.
// Sums accumulate in float32, as float32 BLAS does.

import { gatherrows } from './clusters';
import { gatheredBytes, rowAt } from './f64';

/** Rows of the micro-tile (one f32 splat each per k step). */
const MR: i32 = 4;
/** Columns of the micro-tile: two f32x4 vectors. */
const NR: i32 = 8;
/** Depth of a packed panel: a KC × NR sliver of B is 8 KiB. */
const KC: i32 = 256;
/** Rows of a packed A block: MC × KC × 16 bytes (pre-broadcast) = 512 KiB, inside L2. */
const MC: i32 = 128;
/** Columns of a packed B panel. */
const NC: i32 = 2048;
const TILE_BYTES: usize = <usize>(MR * NR * 4);

// @ts-ignore: decorator
@inline function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/** As in f64.ts: blocks no larger than `max`, as even as possible. */
// @ts-ignore: decorator
@inline function evenBlock(total: i32, max: i32, multiple: i32): i32 {
  const blocks = (total + max - 1) / max;
  return roundUp((total + blocks - 1) / blocks, multiple);
}

/** Workspace bytes sgemm needs for these sizes. */
export function sgemmWork(m: i32, n: i32, k: i32): usize {
  if (m <= 0 || n <= 0 || k <= 0) return TILE_BYTES;
  const mc = evenBlock(m, MC, MR);
  const kc = evenBlock(k, KC, 1);
  const nc = evenBlock(n, NC, NR);
  return TILE_BYTES + <usize>(mc * kc) * 16 + <usize>(kc * nc) * 4;
}

/**
 * Transposes a 4 × 4 block whose rows start at r0..r3 and stores its columns at dst,
 * dst + stride, dst + 2·stride, dst + 3·stride (the standard two-stage unpack).
 */
// @ts-ignore: decorator
@inline function transpose4(r0: usize, r1: usize, r2: usize, r3: usize, dst: usize, stride: usize): void {
  const x0 = v128.load(r0, 0, 4);
  const x1 = v128.load(r1, 0, 4);
  const x2 = v128.load(r2, 0, 4);
  const x3 = v128.load(r3, 0, 4);
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

/**
 * Packs `rows` × kc of a row-major source (M[i][p] at src + (i·ld + p)·4) into slivers of W
 * rows (W a multiple of 4; B uses W = NR = 8): sliver s holds, for each p, M[W·s .. W·s + W − 1][p]. Rows past `rows`
 * are zero. Full slivers go through 4 × 4 shuffle transposes.
 */
// @ts-ignore: decorator
@inline function packRows(src: usize, ld: i32, rows: i32, kc: i32, W: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const sliverRow = <usize>W << 2;
  let i = 0;
  for (; i + W <= rows; i += W) {
    for (let g = 0; g < W; g += 4) {
      const r0 = src + <usize>(i + g) * ldb;
      const r1 = r0 + ldb;
      const r2 = r1 + ldb;
      const r3 = r2 + ldb;
      let d = dst + (<usize>g << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4(r0 + o, r1 + o, r2 + o, r3 + o, d, sliverRow);
        d += sliverRow << 2;
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        store<f32>(d, load<f32>(r0 + o));
        store<f32>(d, load<f32>(r1 + o), 4);
        store<f32>(d, load<f32>(r2 + o), 8);
        store<f32>(d, load<f32>(r3 + o), 12);
        d += sliverRow;
      }
    }
    dst += <usize>kc * sliverRow;
  }
  const rest = rows - i;
  if (rest > 0) {
    const base = src + <usize>i * ldb;
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < W; r++) {
        store<f32>(dst + (<usize>r << 2), r < rest ? load<f32>(base + <usize>r * ldb + (<usize>p << 2)) : <f32>0);
      }
      dst += sliverRow;
    }
  }
}

/** Packs from a column-major source (M[i][p] at src + (p·ld + i)·4) into W-row slivers. */
// @ts-ignore: decorator
@inline function packCols(src: usize, ld: i32, rows: i32, kc: i32, W: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const sliverRow = <usize>W << 2;
  let i = 0;
  for (; i + W <= rows; i += W) {
    let s = src + (<usize>i << 2);
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(s, 0, 4));
      if (W == 8) v128.store(dst, v128.load(s, 16, 4), 16);
      s += ldb;
      dst += sliverRow;
    }
  }
  const rest = rows - i;
  if (rest > 0) {
    let s = src + (<usize>i << 2);
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < W; r++) {
        store<f32>(dst + (<usize>r << 2), r < rest ? load<f32>(s + (<usize>r << 2)) : <f32>0);
      }
      s += ldb;
      dst += sliverRow;
    }
  }
}

function packRowsB(src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void { packRows(src, ld, rows, kc, NR, dst); }
function packColsB(src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void { packCols(src, ld, rows, kc, NR, dst); }

/**
 * The micro-kernel: a 4 × 8 tile of alpha · Ã · B̃ (kc deep) into C at `c` (row stride
 * `ldcb` bytes); C ← tile + beta · C, or C ← tile without reading C when beta is 0.
 * Each k step: two B loads, four pre-broadcast A loads, eight multiplies, eight adds; not
 * unrolled, for the register-pressure reason given at kernel4x4 in f64.ts.
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldcb: usize, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load(pa, 16);
    c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load(pa, 32);
    c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load(pa, 48);
    c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 64;
    pb += 32;
  }
  const va = f32x4.splat(alpha);
  const c1 = c + ldcb;
  const c2 = c1 + ldcb;
  const c3 = c2 + ldcb;
  if (beta == 0) {
    v128.store(c, f32x4.mul(va, c00), 0, 4); v128.store(c, f32x4.mul(va, c01), 16, 4);
    v128.store(c1, f32x4.mul(va, c10), 0, 4); v128.store(c1, f32x4.mul(va, c11), 16, 4);
    v128.store(c2, f32x4.mul(va, c20), 0, 4); v128.store(c2, f32x4.mul(va, c21), 16, 4);
    v128.store(c3, f32x4.mul(va, c30), 0, 4); v128.store(c3, f32x4.mul(va, c31), 16, 4);
  } else {
    const vb = f32x4.splat(beta);
    v128.store(c, f32x4.add(f32x4.mul(va, c00), f32x4.mul(vb, v128.load(c, 0, 4))), 0, 4);
    v128.store(c, f32x4.add(f32x4.mul(va, c01), f32x4.mul(vb, v128.load(c, 16, 4))), 16, 4);
    v128.store(c1, f32x4.add(f32x4.mul(va, c10), f32x4.mul(vb, v128.load(c1, 0, 4))), 0, 4);
    v128.store(c1, f32x4.add(f32x4.mul(va, c11), f32x4.mul(vb, v128.load(c1, 16, 4))), 16, 4);
    v128.store(c2, f32x4.add(f32x4.mul(va, c20), f32x4.mul(vb, v128.load(c2, 0, 4))), 0, 4);
    v128.store(c2, f32x4.add(f32x4.mul(va, c21), f32x4.mul(vb, v128.load(c2, 16, 4))), 16, 4);
    v128.store(c3, f32x4.add(f32x4.mul(va, c30), f32x4.mul(vb, v128.load(c3, 0, 4))), 0, 4);
    v128.store(c3, f32x4.add(f32x4.mul(va, c31), f32x4.mul(vb, v128.load(c3, 16, 4))), 16, 4);
  }
}


/**
 * Packs `rows` × kc of op(A) into pre-broadcast slivers of MR = 4 rows: for each p,
 * splat(M[4s][p]) … splat(M[4s+3][p]), 64 bytes. M[i][p] is at src + (i·ld + p)·4, or
 * src + (p·ld + i)·4 when `trans`. Rows past `rows` are zero.
 */
function packA(trans: bool, src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 2;
  const rs: usize = trans ? 4 : ldb;
  const ps: usize = trans ? ldb : 4;
  for (let i = 0; i < rows; i += 4) {
    const rest = rows - i;
    let s = src + <usize>i * rs;
    if (rest >= 4) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load32_splat(s));
        v128.store(dst, v128.load32_splat(s + rs), 16);
        v128.store(dst, v128.load32_splat(s + 2 * rs), 32);
        v128.store(dst, v128.load32_splat(s + 3 * rs), 48);
        s += ps;
        dst += 64;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < 4; r++) v128.store(dst + (<usize>r << 4), r < rest ? v128.load32_splat(s + <usize>r * rs) : v128.splat<i32>(0));
        s += ps;
        dst += 64;
      }
    }
  }
}

/** C (m × n) ← beta · C, writing zeros without reading C when beta is 0. */
function scale(m: i32, n: i32, beta: f32, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    if (beta == 0) {
      memory.fill(row, 0, <usize>n << 2);
    } else {
      for (let j = 0; j < n; j++) store<f32>(row + (<usize>j << 2), beta * load<f32>(row + (<usize>j << 2)));
    }
  }
}

/** The blocked driver behind sgemm, ssyrk and ssqdist (see gemmCore in f64.ts). */
function gemmCore(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize, lower: bool,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    scale(m, n, beta, c, ldc);
    return;
  }
  const MCe = evenBlock(m, MC, MR);
  const KCe = evenBlock(k, KC, 1);
  const NCe = evenBlock(n, NC, NR);
  const tile = work;
  const pa = work + TILE_BYTES;
  const pb = pa + (<usize>(MCe * KCe) << 4);
  const ldcb = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += NCe) {
    const nc = min(NCe, n - jc);
    for (let pc = 0; pc < k; pc += KCe) {
      const kc = min(KCe, k - pc);
      const betaEff: f32 = pc == 0 ? beta : <f32>1;
      if (transB) packRowsB(b + ((<usize>jc * <usize>ldb + <usize>pc) << 2), ldb, nc, kc, pb);
      else packColsB(b + ((<usize>pc * <usize>ldb + <usize>jc) << 2), ldb, nc, kc, pb);
      for (let ic = 0; ic < m; ic += MCe) {
        const mc = min(MCe, m - ic);
        if (lower && jc > ic + mc - 1) continue;
        if (transA) packA(true, a + ((<usize>pc * <usize>lda + <usize>ic) << 2), lda, mc, kc, pa);
        else packA(false, a + ((<usize>ic * <usize>lda + <usize>pc) << 2), lda, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pbs = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (lower && jc + jr > ic + ir + mr - 1) continue;
            const pas = pa + (<usize>(ir * kc) << 4);
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              kernel4x8(kc, pas, pbs, cp, ldcb, alpha, betaEff);
            } else {
              kernel4x8(kc, pas, pbs, tile, <usize>(NR << 2), alpha, 0);
              for (let r = 0; r < mr; r++) {
                const cr = cp + <usize>r * ldcb;
                const tr = tile + (<usize>(r * NR) << 2);
                for (let j = 0; j < nr; j++) {
                  const t = load<f32>(tr + (<usize>j << 2));
                  const at = cr + (<usize>j << 2);
                  store<f32>(at, betaEff == 0 ? t : t + betaEff * load<f32>(at));
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Float32 gemm (see dgemm). */
export function sgemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  gemmCore(transA != 0, transB != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, false);
}

/** Float32 syrk (see dsyrk): lower triangle computed, then mirrored. */
export function ssyrk(trans: i32, n: i32, k: i32, a: usize, lda: i32, c: usize, ldc: i32, work: usize): void {
  if (trans != 0) gemmCore(true, false, n, n, k, 1, a, lda, a, lda, 0, c, ldc, work, true);
  else gemmCore(false, true, n, n, k, 1, a, lda, a, lda, 0, c, ldc, work, true);
  const ldcb = <usize>ldc << 2;
  for (let i = 0; i < n; i++) {
    const row = c + <usize>i * ldcb;
    for (let j = i + 1; j < n; j++) {
      store<f32>(row + (<usize>j << 2), load<f32>(c + <usize>j * ldcb + (<usize>i << 2)));
    }
  }
}

/** Float32 squared distances (see dsqdist, including the direct path for few B rows). */
export function ssqdist(
  m: i32, n: i32, d: i32, a: usize, lda: i32, na: usize, b: usize, ldb: i32, nb: usize,
  c: usize, ldc: i32, work: usize,
): void {
  if (n <= SMALL_N && d <= SMALL_B / n) {
    crossDirect(m, n, d, a, lda, 0, b, ldb, na, nb, c, ldc);
  } else {
    gemmCore(false, true, m, n, d, -2, a, lda, b, ldb, 0, c, ldc, work, false);
    addNorms(m, n, na, nb, c, ldc);
  }
}

/** Float32 squared distances of the rows index[0 … m) of x (see dsqdistat). */
export function ssqdistat(m: i32, n: i32, d: i32, x: usize, index: usize, na: usize, b: usize, nb: usize, c: usize, work: usize): void {
  if (n <= SMALL_N && d <= SMALL_B / n) {
    crossDirect(m, n, d, x, d, index, b, d, na, nb, c, n);
  } else {
    gatherrows(m, d << 2, x, index, work);
    ssqdist(m, n, d, work, d, na, b, d, nb, c, n, work + gatheredBytes(m, d, 4));
  }
}

/** Bytes of workspace ssqdistat needs. */
export function ssqdistatWork(m: i32, n: i32, d: i32): usize {
  return n <= SMALL_N && d <= SMALL_B / n ? 0 : gatheredBytes(m, d, 4) + sgemmWork(m, n, d);
}

/** When ssqdist skips gemm (see f64.ts; float32 gains more: n = 10: 9.0 → 4.9 ms). */
const SMALL_N: i32 = 32;
const SMALL_B: i32 = 65536;

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** C ← max(0, na + nb − 2 · A · Bᵀ) by row dot products in 4 × 2 blocks, rows through `index` when not 0 (see crossDirect in f64.ts). */
function crossDirect(m: i32, n: i32, d: i32, a: usize, lda: i32, index: usize, b: usize, ldb: i32, na: usize, nb: usize, c: usize, ldc: i32): void {
  const ldab = <usize>lda << 2;
  const ldbb = <usize>ldb << 2;
  const ldcb = <usize>ldc << 2;
  const body = d & ~3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = rowAt(a, ldab, index, i);
    const a1 = rowAt(a, ldab, index, i + 1);
    const a2 = rowAt(a, ldab, index, i + 2);
    const a3 = rowAt(a, ldab, index, i + 3);
    const n0 = load<f32>(na + (<usize>i << 2)), n1 = load<f32>(na + (<usize>i << 2), 4);
    const n2 = load<f32>(na + (<usize>i << 2), 8), n3 = load<f32>(na + (<usize>i << 2), 12);
    const crow = c + <usize>i * ldcb;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = b + <usize>j * ldbb;
      const b1 = b0 + ldbb;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let p = 0; p < body; p += 4) {
        const o = <usize>p << 2;
        const y0 = v128.load(b0 + o, 0, 4);
        const y1 = v128.load(b1 + o, 0, 4);
        let x = v128.load(a0 + o, 0, 4);
        s00 = f32x4.add(s00, f32x4.mul(x, y0)); s01 = f32x4.add(s01, f32x4.mul(x, y1));
        x = v128.load(a1 + o, 0, 4);
        s10 = f32x4.add(s10, f32x4.mul(x, y0)); s11 = f32x4.add(s11, f32x4.mul(x, y1));
        x = v128.load(a2 + o, 0, 4);
        s20 = f32x4.add(s20, f32x4.mul(x, y0)); s21 = f32x4.add(s21, f32x4.mul(x, y1));
        x = v128.load(a3 + o, 0, 4);
        s30 = f32x4.add(s30, f32x4.mul(x, y0)); s31 = f32x4.add(s31, f32x4.mul(x, y1));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      let t20 = hsum(s20), t21 = hsum(s21), t30 = hsum(s30), t31 = hsum(s31);
      for (let p = body; p < d; p++) {
        const o = <usize>p << 2;
        const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o);
        const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o), x2 = load<f32>(a2 + o), x3 = load<f32>(a3 + o);
        t00 += x0 * y0; t01 += x0 * y1; t10 += x1 * y0; t11 += x1 * y1;
        t20 += x2 * y0; t21 += x2 * y1; t30 += x3 * y0; t31 += x3 * y1;
      }
      const cj = crow + (<usize>j << 2);
      store<f32>(cj, entry(t00, n0, nb, j)); store<f32>(cj, entry(t01, n0, nb, j + 1), 4);
      store<f32>(cj + ldcb, entry(t10, n1, nb, j)); store<f32>(cj + ldcb, entry(t11, n1, nb, j + 1), 4);
      store<f32>(cj + 2 * ldcb, entry(t20, n2, nb, j)); store<f32>(cj + 2 * ldcb, entry(t21, n2, nb, j + 1), 4);
      store<f32>(cj + 3 * ldcb, entry(t30, n3, nb, j)); store<f32>(cj + 3 * ldcb, entry(t31, n3, nb, j + 1), 4);
    }
    if (j < n) {
      const b0 = b + <usize>j * ldbb;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let p = 0; p < body; p += 4) {
        const o = <usize>p << 2;
        const y0 = v128.load(b0 + o, 0, 4);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + o, 0, 4), y0));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a1 + o, 0, 4), y0));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(a2 + o, 0, 4), y0));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(a3 + o, 0, 4), y0));
      }
      let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      for (let p = body; p < d; p++) {
        const o = <usize>p << 2;
        const y0 = load<f32>(b0 + o);
        t0 += load<f32>(a0 + o) * y0; t1 += load<f32>(a1 + o) * y0;
        t2 += load<f32>(a2 + o) * y0; t3 += load<f32>(a3 + o) * y0;
      }
      const cj = crow + (<usize>j << 2);
      store<f32>(cj, entry(t0, n0, nb, j));
      store<f32>(cj + ldcb, entry(t1, n1, nb, j));
      store<f32>(cj + 2 * ldcb, entry(t2, n2, nb, j));
      store<f32>(cj + 3 * ldcb, entry(t3, n3, nb, j));
    }
  }
  for (; i < m; i++) {
    const ai = rowAt(a, ldab, index, i);
    const crow = c + <usize>i * ldcb;
    const ni = load<f32>(na + (<usize>i << 2));
    for (let j = 0; j < n; j++) store<f32>(crow + (<usize>j << 2), entry(dot(d, ai, b + <usize>j * ldbb), ni, nb, j));
  }
}

/** The distance from a cross term t = a·b: (−2t + ‖a‖²) + ‖b_j‖², clamped at 0, addNorms' arithmetic for one entry. */
// @ts-ignore: decorator
@inline function entry(t: f32, na: f32, nb: usize, j: i32): f32 {
  const s: f32 = (<f32>-2 * t + na) + load<f32>(nb + (<usize>j << 2));
  return s > 0 ? s : 0;
}

function addNorms(m: i32, n: i32, na: usize, nb: usize, c: usize, ldc: i32): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    const ai = load<f32>(na + (<usize>i << 2));
    const va = f32x4.splat(ai);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const s = f32x4.add(f32x4.add(v128.load(row + o, 0, 4), va), v128.load(nb + o, 0, 4));
      v128.store(row + o, f32x4.pmax(zero, s), 0, 4);
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      const s = (load<f32>(row + o) + ai) + load<f32>(nb + o);
      store<f32>(row + o, s > 0 ? s : <f32>0);
    }
  }
}

/** Squared norm of each of the m rows of A (m × d) into `out`. */
export function srownorms(m: i32, d: i32, a: usize, lda: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>lda) << 2);
    store<f32>(out + (<usize>i << 2), dot(d, row, row));
  }
}

/** Σ x[i]·y[i] with four f32x4 partial sums (sixteen lanes), combined pairwise. */
function dot(n: i32, x: usize, y: usize): f32 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const xo = x + o;
    const yo = y + o;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(xo, 0, 4), v128.load(yo, 0, 4)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(xo, 16, 4), v128.load(yo, 16, 4)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(xo, 32, 4), v128.load(yo, 32, 4)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(xo, 48, 4), v128.load(yo, 48, 4)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(x + o, 0, 4), v128.load(y + o, 0, 4)));
  }
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let t = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; i < n; i++) t += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return t;
}

/** Σ x[i]·y[i] over n contiguous float32 entries, accumulated in float32 lanes. */
export function sdot(n: i32, x: usize, y: usize): f32 {
  return dot(n, x, y);
}

/** y ← alpha · x + y over n contiguous float32 entries. */
export function saxpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o, 0, 4), f32x4.mul(va, v128.load(x + o, 0, 4))), 0, 4);
    v128.store(y + o, f32x4.add(v128.load(y + o, 16, 4), f32x4.mul(va, v128.load(x + o, 16, 4))), 16, 4);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

/**
 * Row-wise argmin, first index on ties (see dargmin): four lanes keep a strict running
 * minimum each, all starting from entry 0, and are merged preferring the smaller index.
 */
export function sargmin(m: i32, n: i32, c: usize, ldc: i32, index: usize, values: usize): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 2);
    const first = load<f32>(row);
    let bestIndex = 0;
    let best = first;
    if (first == first && n > 1) {
      let vbest = f32x4.splat(first);
      let vidx = i32x4.splat(0);
      let cur = i32x4(0, 1, 2, 3);
      const four = i32x4.splat(4);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const x = v128.load(row + (<usize>j << 2), 0, 4);
        const lt = f32x4.lt(x, vbest);
        vbest = v128.bitselect(x, vbest, lt);
        vidx = v128.bitselect(cur, vidx, lt);
        cur = i32x4.add(cur, four);
      }
      best = f32x4.extract_lane(vbest, 0);
      bestIndex = i32x4.extract_lane(vidx, 0);
      let b = f32x4.extract_lane(vbest, 1);
      let ix = i32x4.extract_lane(vidx, 1);
      if (b < best || (b == best && ix < bestIndex)) { best = b; bestIndex = ix; }
      b = f32x4.extract_lane(vbest, 2);
      ix = i32x4.extract_lane(vidx, 2);
      if (b < best || (b == best && ix < bestIndex)) { best = b; bestIndex = ix; }
      b = f32x4.extract_lane(vbest, 3);
      ix = i32x4.extract_lane(vidx, 3);
      if (b < best || (b == best && ix < bestIndex)) { best = b; bestIndex = ix; }
      for (; j < n; j++) {
        const x = load<f32>(row + (<usize>j << 2));
        if (x < best) { best = x; bestIndex = j; }
      }
    }
    store<i32>(index + (<usize>i << 2), bestIndex);
    if (values != 0) store<f32>(values + (<usize>i << 2), best);
  }
}
