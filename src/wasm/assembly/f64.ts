// Float64 kernels (f64x2). Every pointer is a byte address in linear memory and every
// leading dimension is in elements; the JavaScript side has already copied the operands in,
// so offsets are zero and vectors are contiguous.
//
// gemm follows Goto and van de Geijn ("Anatomy of high-performance matrix multiplication",
// ACM TOMS 34(3), 2008): op(B) is packed in KC × NC panels, op(A) in MC × KC blocks, and
// a register-blocked MR × NR micro-kernel multiplies one A sliver by one B sliver. Packing
// makes every micro-kernel load sequential (A and B slivers are contiguous, in the order the
// kernel reads them), keeps the B sliver in L1 and the A block in L2, and removes the
// 4 KiB-stride cache conflicts that a 512-wide row-major matrix would otherwise cause.
//
// A is packed pre-broadcast: each value is stored twice, as the f64x2 the kernel multiplies
// by. The kernel then issues plain v128 loads at constant offsets from one pointer, which V8
// folds into the addressing mode. With v128.load64_splat instead, V8 (Node 20) needs a
// separate base register for every splat offset; whether it can keep those four in
// registers depends on allocation luck, and when it cannot the loop runs 20% slower.

import { gatherrows } from './clusters';

/** Rows of the micro-tile. */
const MR: i32 = 4;
/** Columns of the micro-tile: two f64x2 vectors, so a tile lives in 8 v128 accumulators. */
const NR: i32 = 4;
/** Depth of a packed panel: a KC × NR sliver of B is 8 KiB, well inside L1. */
const KC: i32 = 256;
/** Rows of a packed A block: MC × KC × 16 bytes (pre-broadcast) = 512 KiB, inside L2. */
const MC: i32 = 128;
/** Columns of a packed B panel. */
const NC: i32 = 2048;
/** Scratch tile for edges, at the start of the workspace (16-byte aligned). */
const TILE_BYTES: usize = <usize>(MR * NR * 8);

// @ts-ignore: decorator
@inline function roundUp(x: i32, to: i32): i32 {
  return ((x + to - 1) / to) * to;
}

/**
 * Splits `total` into blocks no larger than `max` and as even as possible, so that a depth
 * of 257 becomes 129 + 128 rather than 256 + 1 (a 1-deep panel would cost a full pass of
 * packing and micro-kernel overhead for almost no work).
 */
// @ts-ignore: decorator
@inline function evenBlock(total: i32, max: i32, multiple: i32): i32 {
  const blocks = (total + max - 1) / max;
  return roundUp((total + blocks - 1) / blocks, multiple);
}

/** Workspace bytes dgemm needs for these sizes (packed A block, packed B panel, edge tile). */
export function dgemmWork(m: i32, n: i32, k: i32): usize {
  if (m <= 0 || n <= 0 || k <= 0) return TILE_BYTES;
  const mc = evenBlock(m, MC, MR);
  const kc = evenBlock(k, KC, 1);
  const nc = evenBlock(n, NC, NR);
  return TILE_BYTES + <usize>(mc * kc) * 16 + <usize>(kc * nc) * 8;
}

/**
 * Packs `rows` × kc of a row-major source (M[i][p] at src + (i·ld + p)·8) into B slivers of
 * W = 4 rows: sliver s holds, for each p, the 4 values M[4s..4s+3][p]. Rows past `rows` are
 * zero, so the micro-kernel never needs a special case for a short sliver. Two columns at a
 * time are transposed with shuffles (a 4 × 2 block in four loads and four stores).
 */
function packRows4(src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = src + <usize>i * ldb;
    const r1 = r0 + ldb;
    const r2 = r1 + ldb;
    const r3 = r2 + ldb;
    let p = 0;
    for (; p + 2 <= kc; p += 2) {
      const o = <usize>p << 3;
      const x0 = v128.load(r0 + o, 0, 8);
      const x1 = v128.load(r1 + o, 0, 8);
      const x2 = v128.load(r2 + o, 0, 8);
      const x3 = v128.load(r3 + o, 0, 8);
      v128.store(dst, v128.shuffle<f64>(x0, x1, 0, 2));
      v128.store(dst, v128.shuffle<f64>(x2, x3, 0, 2), 16);
      v128.store(dst, v128.shuffle<f64>(x0, x1, 1, 3), 32);
      v128.store(dst, v128.shuffle<f64>(x2, x3, 1, 3), 48);
      dst += 64;
    }
    if (p < kc) {
      const o = <usize>p << 3;
      store<f64>(dst, load<f64>(r0 + o));
      store<f64>(dst, load<f64>(r1 + o), 8);
      store<f64>(dst, load<f64>(r2 + o), 16);
      store<f64>(dst, load<f64>(r3 + o), 24);
      dst += 32;
    }
  }
  const rest = rows - i;
  if (rest > 0) {
    const base = src + <usize>i * ldb;
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < 4; r++) {
        store<f64>(dst + (<usize>r << 3), r < rest ? load<f64>(base + <usize>r * ldb + (<usize>p << 3)) : 0.0);
      }
      dst += 32;
    }
  }
}

/**
 * Packs `rows` × kc of a column-major source (M[i][p] at src + (p·ld + i)·8) into the same
 * sliver layout as {@link packRows4}; here each sliver row is already contiguous.
 */
function packCols4(src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    let s = src + (<usize>i << 3);
    for (let p = 0; p < kc; p++) {
      v128.store(dst, v128.load(s, 0, 8));
      v128.store(dst, v128.load(s, 16, 8), 16);
      s += ldb;
      dst += 32;
    }
  }
  const rest = rows - i;
  if (rest > 0) {
    let s = src + (<usize>i << 3);
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < 4; r++) {
        store<f64>(dst + (<usize>r << 3), r < rest ? load<f64>(s + (<usize>r << 3)) : 0.0);
      }
      s += ldb;
      dst += 32;
    }
  }
}

/**
 * The micro-kernel: a 4 × 4 tile of alpha · Ã · B̃ (kc deep) into C at `c` (row stride
 * `ldcb` bytes), C ← tile + beta · C, or C ← tile when beta is 0 (C is then not read, so
 * NaN garbage in it cannot leak). Each k step is two B loads, four pre-broadcast A loads,
 * eight multiplies and eight adds on eight accumulators: with the two B vectors, one A
 * vector and one product that is 12 of the 15 XMM registers V8 allocates. The loop is
 * deliberately not unrolled: unrolled by two, V8 hoists all loads to the top, runs out of
 * registers and spills four accumulators to the stack (29 → 16 GFLOP/s at 512³). Node 20
 * has no relaxed-SIMD FMA, hence separate mul and add.
 */
function kernel4x4(kc: i32, pa: usize, pb: usize, c: usize, ldcb: usize, alpha: f64, beta: f64): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0)); c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load(pa, 16);
    c10 = f64x2.add(c10, f64x2.mul(a, b0)); c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load(pa, 32);
    c20 = f64x2.add(c20, f64x2.mul(a, b0)); c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load(pa, 48);
    c30 = f64x2.add(c30, f64x2.mul(a, b0)); c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += 64;
    pb += 32;
  }
  const va = f64x2.splat(alpha);
  const c1 = c + ldcb;
  const c2 = c1 + ldcb;
  const c3 = c2 + ldcb;
  if (beta == 0) {
    v128.store(c, f64x2.mul(va, c00), 0, 8); v128.store(c, f64x2.mul(va, c01), 16, 8);
    v128.store(c1, f64x2.mul(va, c10), 0, 8); v128.store(c1, f64x2.mul(va, c11), 16, 8);
    v128.store(c2, f64x2.mul(va, c20), 0, 8); v128.store(c2, f64x2.mul(va, c21), 16, 8);
    v128.store(c3, f64x2.mul(va, c30), 0, 8); v128.store(c3, f64x2.mul(va, c31), 16, 8);
  } else if (beta == 1) {
    // Accumulating (every k panel after the first, the trailing updates): C·1 is C, so
    // the multiply by beta is skipped and the bits are those of the general branch.
    v128.store(c, f64x2.add(f64x2.mul(va, c00), v128.load(c, 0, 8)), 0, 8);
    v128.store(c, f64x2.add(f64x2.mul(va, c01), v128.load(c, 16, 8)), 16, 8);
    v128.store(c1, f64x2.add(f64x2.mul(va, c10), v128.load(c1, 0, 8)), 0, 8);
    v128.store(c1, f64x2.add(f64x2.mul(va, c11), v128.load(c1, 16, 8)), 16, 8);
    v128.store(c2, f64x2.add(f64x2.mul(va, c20), v128.load(c2, 0, 8)), 0, 8);
    v128.store(c2, f64x2.add(f64x2.mul(va, c21), v128.load(c2, 16, 8)), 16, 8);
    v128.store(c3, f64x2.add(f64x2.mul(va, c30), v128.load(c3, 0, 8)), 0, 8);
    v128.store(c3, f64x2.add(f64x2.mul(va, c31), v128.load(c3, 16, 8)), 16, 8);
  } else {
    const vb = f64x2.splat(beta);
    v128.store(c, f64x2.add(f64x2.mul(va, c00), f64x2.mul(vb, v128.load(c, 0, 8))), 0, 8);
    v128.store(c, f64x2.add(f64x2.mul(va, c01), f64x2.mul(vb, v128.load(c, 16, 8))), 16, 8);
    v128.store(c1, f64x2.add(f64x2.mul(va, c10), f64x2.mul(vb, v128.load(c1, 0, 8))), 0, 8);
    v128.store(c1, f64x2.add(f64x2.mul(va, c11), f64x2.mul(vb, v128.load(c1, 16, 8))), 16, 8);
    v128.store(c2, f64x2.add(f64x2.mul(va, c20), f64x2.mul(vb, v128.load(c2, 0, 8))), 0, 8);
    v128.store(c2, f64x2.add(f64x2.mul(va, c21), f64x2.mul(vb, v128.load(c2, 16, 8))), 16, 8);
    v128.store(c3, f64x2.add(f64x2.mul(va, c30), f64x2.mul(vb, v128.load(c3, 0, 8))), 0, 8);
    v128.store(c3, f64x2.add(f64x2.mul(va, c31), f64x2.mul(vb, v128.load(c3, 16, 8))), 16, 8);
  }
}


/**
 * Packs `rows` × kc of op(A) into slivers of MR = 4 rows, pre-broadcast: for each p, the
 * sliver holds splat(M[4s][p]), …, splat(M[4s+3][p]), 64 bytes. M[i][p] is at
 * src + (i·ld + p)·8, or src + (p·ld + i)·8 when `trans`. Rows past `rows` are zero.
 */
function packA(trans: bool, src: usize, ld: i32, rows: i32, kc: i32, dst: usize): void {
  const ldb = <usize>ld << 3;
  const rs: usize = trans ? 8 : ldb;
  const ps: usize = trans ? ldb : 8;
  for (let i = 0; i < rows; i += 4) {
    const rest = rows - i;
    let s = src + <usize>i * rs;
    if (rest >= 4) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load64_splat(s));
        v128.store(dst, v128.load64_splat(s + rs), 16);
        v128.store(dst, v128.load64_splat(s + 2 * rs), 32);
        v128.store(dst, v128.load64_splat(s + 3 * rs), 48);
        s += ps;
        dst += 64;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < 4; r++) v128.store(dst + (<usize>r << 4), r < rest ? v128.load64_splat(s + <usize>r * rs) : v128.splat<i32>(0));
        s += ps;
        dst += 64;
      }
    }
  }
}

/** C (m × n) ← beta · C, writing zeros without reading C when beta is 0. */
function scale(m: i32, n: i32, beta: f64, c: usize, ldc: i32): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 3);
    if (beta == 0) {
      memory.fill(row, 0, <usize>n << 3);
    } else {
      for (let j = 0; j < n; j++) store<f64>(row + (<usize>j << 3), beta * load<f64>(row + (<usize>j << 3)));
    }
  }
}

/**
 * The blocked driver behind dgemm, dsyrk, dsqdist and the block reflectors of
 * symmetric.ts. With `lower`, tiles lying wholly above the diagonal are skipped (syrk
 * computes one triangle and mirrors it). `work` must hold {@link dgemmWork} bytes.
 */
export function gemmCore(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, work: usize, lower: bool,
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
  const ldcb = <usize>ldc << 3;
  for (let jc = 0; jc < n; jc += NCe) {
    const nc = min(NCe, n - jc);
    for (let pc = 0; pc < k; pc += KCe) {
      const kc = min(KCe, k - pc);
      // The first panel applies the caller's beta; later ones accumulate onto it.
      const betaEff = pc == 0 ? beta : 1.0;
      if (transB) packRows4(b + ((<usize>jc * <usize>ldb + <usize>pc) << 3), ldb, nc, kc, pb);
      else packCols4(b + ((<usize>pc * <usize>ldb + <usize>jc) << 3), ldb, nc, kc, pb);
      for (let ic = 0; ic < m; ic += MCe) {
        const mc = min(MCe, m - ic);
        if (lower && jc > ic + mc - 1) continue;
        if (transA) packA(true, a + ((<usize>pc * <usize>lda + <usize>ic) << 3), lda, mc, kc, pa);
        else packA(false, a + ((<usize>ic * <usize>lda + <usize>pc) << 3), lda, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pbs = pb + (<usize>(jr * kc) << 3);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (lower && jc + jr > ic + ir + mr - 1) continue;
            const pas = pa + (<usize>(ir * kc) << 4);
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 3);
            if (mr == MR && nr == NR) {
              kernel4x4(kc, pas, pbs, cp, ldcb, alpha, betaEff);
            } else {
              // Edge tile: compute the full tile into scratch, then merge the valid part.
              kernel4x4(kc, pas, pbs, tile, <usize>(NR << 3), alpha, 0);
              for (let r = 0; r < mr; r++) {
                const cr = cp + <usize>r * ldcb;
                const tr = tile + (<usize>(r * NR) << 3);
                for (let j = 0; j < nr; j++) {
                  const t = load<f64>(tr + (<usize>j << 3));
                  const at = cr + (<usize>j << 3);
                  store<f64>(at, betaEff == 0 ? t : t + betaEff * load<f64>(at));
                }
              }
            }
          }
        }
      }
    }
  }
}

/** C ← alpha · op(A) · op(B) + beta · C (the Kernels.gemm contract; C not read when beta = 0). */
export function dgemm(
  transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, work: usize,
): void {
  gemmCore(transA != 0, transB != 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, false);
}

/**
 * C (n × n) ← op(A) · op(A)ᵀ. The lower triangle is computed (tiles above the diagonal are
 * skipped, roughly halving the work) and mirrored into the upper one, so C is exactly
 * symmetric.
 */
export function dsyrk(trans: i32, n: i32, k: i32, a: usize, lda: i32, c: usize, ldc: i32, work: usize): void {
  if (trans != 0) gemmCore(true, false, n, n, k, 1.0, a, lda, a, lda, 0.0, c, ldc, work, true);
  else gemmCore(false, true, n, n, k, 1.0, a, lda, a, lda, 0.0, c, ldc, work, true);
  const ldcb = <usize>ldc << 3;
  for (let i = 0; i < n; i++) {
    const row = c + <usize>i * ldcb;
    for (let j = i + 1; j < n; j++) {
      store<f64>(row + (<usize>j << 3), load<f64>(c + <usize>j * ldcb + (<usize>i << 3)));
    }
  }
}

/**
 * C[i][j] ← max(0, (−2 aᵢ·bⱼ + ‖aᵢ‖²) + ‖bⱼ‖²), in the same order as the TypeScript kernel:
 * −2·A·Bᵀ (by gemm with alpha = −2, an exact scaling, or by the direct path below when B
 * has few rows), then a vector pass adding the norms and clamping.
 */
export function dsqdist(
  m: i32, n: i32, d: i32, a: usize, lda: i32, na: usize, b: usize, ldb: i32, nb: usize,
  c: usize, ldc: i32, work: usize,
): void {
  if (n <= SMALL_N && d <= SMALL_B / n) {
    crossDirect(m, n, d, a, lda, 0, b, ldb, na, nb, c, ldc);
  } else {
    gemmCore(false, true, m, n, d, -2.0, a, lda, b, ldb, 0.0, c, ldc, work, false);
    addNorms(m, n, na, nb, c, ldc);
  }
}

/**
 * dsqdist for the rows index[0 … m) of x (rows of d, contiguous) against b (n × d), into c
 * (m × n): norms `na` of those rows (m of them), `nb` of b's. On the direct path the rows
 * are read where they are, through the index (k-means measures a few scattered rows per
 * block: gathering them first cost 6 % of a fit, a write and a read of every row); the
 * GEMM path gathers them into `work` first, for its packing.
 */
export function dsqdistat(m: i32, n: i32, d: i32, x: usize, index: usize, na: usize, b: usize, nb: usize, c: usize, work: usize): void {
  if (n <= SMALL_N && d <= SMALL_B / n) {
    crossDirect(m, n, d, x, d, index, b, d, na, nb, c, n);
  } else {
    gatherrows(m, d << 3, x, index, work);
    dsqdist(m, n, d, work, d, na, b, d, nb, c, n, work + gatheredBytes(m, d, 8));
  }
}

/** Bytes of workspace dsqdistat needs. */
export function dsqdistatWork(m: i32, n: i32, d: i32): usize {
  return n <= SMALL_N && d <= SMALL_B / n ? 0 : gatheredBytes(m, d, 8) + dgemmWork(m, n, d);
}

/** Bytes of m gathered rows of d elements of `size` bytes, rounded up to 64 (the GEMM workspace after them stays aligned). */
export function gatheredBytes(m: i32, d: i32, size: usize): usize {
  return (<usize>m * <usize>d * size + 63) & ~(<usize>63);
}

/** Address of row i of a (rows `ldab` bytes apart), or of row index[i] when `index` is not 0. */
// @ts-ignore: decorator
@inline export function rowAt(a: usize, ldab: usize, index: usize, i: i32): usize {
  return a + (index == 0 ? <usize>i : <usize>load<i32>(index + (<usize>i << 2))) * ldab;
}

/**
 * Few B rows (k-means: 10 centroids against 10000 points) take the direct path: gemm would
 * pack all of A for a reuse of only n / 4 and pad each 4-wide sliver (10 columns cost 12).
 * Measured at m = 10000, d = 784 (ms, gemm → direct): n = 10: 13.0 → 8.8, n = 32: 24.2 →
 * 21.5, n = 96: equal. SMALL_B keeps all of B in L2, since every block of A rows re-reads it.
 */
const SMALL_N: i32 = 32;
const SMALL_B: i32 = 65536;

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * C ← max(0, na + nb − 2 · A · Bᵀ) by dot products of rows, both contiguous in memory: a
 * 4 × 2 block of rows shares its loads (six loads for eight multiply-adds per step), each
 * entry keeps its own f64x2 partial sum, reduced once at the end, and gets its norms as it
 * is stored (addNorms' arithmetic, without a second pass over C). A leftover B row uses a
 * 4 × 1 block, leftover A rows the plain dot product. With `index` ≠ 0, row i of A is row
 * index[i] (dsqdistat); `na` holds the norms of the rows in that order.
 */
function crossDirect(m: i32, n: i32, d: i32, a: usize, lda: i32, index: usize, b: usize, ldb: i32, na: usize, nb: usize, c: usize, ldc: i32): void {
  const ldab = <usize>lda << 3;
  const ldbb = <usize>ldb << 3;
  const ldcb = <usize>ldc << 3;
  const even = d & ~1;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = rowAt(a, ldab, index, i);
    const a1 = rowAt(a, ldab, index, i + 1);
    const a2 = rowAt(a, ldab, index, i + 2);
    const a3 = rowAt(a, ldab, index, i + 3);
    const n0 = load<f64>(na + (<usize>i << 3)), n1 = load<f64>(na + (<usize>i << 3), 8);
    const n2 = load<f64>(na + (<usize>i << 3), 16), n3 = load<f64>(na + (<usize>i << 3), 24);
    const crow = c + <usize>i * ldcb;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const b0 = b + <usize>j * ldbb;
      const b1 = b0 + ldbb;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s10 = f64x2.splat(0), s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s30 = f64x2.splat(0), s31 = f64x2.splat(0);
      for (let p = 0; p < even; p += 2) {
        const o = <usize>p << 3;
        const y0 = v128.load(b0 + o, 0, 8);
        const y1 = v128.load(b1 + o, 0, 8);
        let x = v128.load(a0 + o, 0, 8);
        s00 = f64x2.add(s00, f64x2.mul(x, y0)); s01 = f64x2.add(s01, f64x2.mul(x, y1));
        x = v128.load(a1 + o, 0, 8);
        s10 = f64x2.add(s10, f64x2.mul(x, y0)); s11 = f64x2.add(s11, f64x2.mul(x, y1));
        x = v128.load(a2 + o, 0, 8);
        s20 = f64x2.add(s20, f64x2.mul(x, y0)); s21 = f64x2.add(s21, f64x2.mul(x, y1));
        x = v128.load(a3 + o, 0, 8);
        s30 = f64x2.add(s30, f64x2.mul(x, y0)); s31 = f64x2.add(s31, f64x2.mul(x, y1));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t10 = hsum(s10), t11 = hsum(s11);
      let t20 = hsum(s20), t21 = hsum(s21), t30 = hsum(s30), t31 = hsum(s31);
      if (even < d) {
        const o = <usize>even << 3;
        const y0 = load<f64>(b0 + o), y1 = load<f64>(b1 + o);
        const x0 = load<f64>(a0 + o), x1 = load<f64>(a1 + o), x2 = load<f64>(a2 + o), x3 = load<f64>(a3 + o);
        t00 += x0 * y0; t01 += x0 * y1; t10 += x1 * y0; t11 += x1 * y1;
        t20 += x2 * y0; t21 += x2 * y1; t30 += x3 * y0; t31 += x3 * y1;
      }
      const cj = crow + (<usize>j << 3);
      store<f64>(cj, entry(t00, n0, nb, j)); store<f64>(cj, entry(t01, n0, nb, j + 1), 8);
      store<f64>(cj + ldcb, entry(t10, n1, nb, j)); store<f64>(cj + ldcb, entry(t11, n1, nb, j + 1), 8);
      store<f64>(cj + 2 * ldcb, entry(t20, n2, nb, j)); store<f64>(cj + 2 * ldcb, entry(t21, n2, nb, j + 1), 8);
      store<f64>(cj + 3 * ldcb, entry(t30, n3, nb, j)); store<f64>(cj + 3 * ldcb, entry(t31, n3, nb, j + 1), 8);
    }
    if (j < n) {
      const b0 = b + <usize>j * ldbb;
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      for (let p = 0; p < even; p += 2) {
        const o = <usize>p << 3;
        const y0 = v128.load(b0 + o, 0, 8);
        s0 = f64x2.add(s0, f64x2.mul(v128.load(a0 + o, 0, 8), y0));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(a1 + o, 0, 8), y0));
        s2 = f64x2.add(s2, f64x2.mul(v128.load(a2 + o, 0, 8), y0));
        s3 = f64x2.add(s3, f64x2.mul(v128.load(a3 + o, 0, 8), y0));
      }
      let t0 = hsum(s0), t1 = hsum(s1), t2 = hsum(s2), t3 = hsum(s3);
      if (even < d) {
        const o = <usize>even << 3;
        const y0 = load<f64>(b0 + o);
        t0 += load<f64>(a0 + o) * y0; t1 += load<f64>(a1 + o) * y0;
        t2 += load<f64>(a2 + o) * y0; t3 += load<f64>(a3 + o) * y0;
      }
      const cj = crow + (<usize>j << 3);
      store<f64>(cj, entry(t0, n0, nb, j));
      store<f64>(cj + ldcb, entry(t1, n1, nb, j));
      store<f64>(cj + 2 * ldcb, entry(t2, n2, nb, j));
      store<f64>(cj + 3 * ldcb, entry(t3, n3, nb, j));
    }
  }
  for (; i < m; i++) {
    const ai = rowAt(a, ldab, index, i);
    const crow = c + <usize>i * ldcb;
    const ni = load<f64>(na + (<usize>i << 3));
    for (let j = 0; j < n; j++) store<f64>(crow + (<usize>j << 3), entry(dot(d, ai, b + <usize>j * ldbb), ni, nb, j));
  }
}

/** The distance from a cross term t = a·b: (−2t + ‖a‖²) + ‖b_j‖², clamped at 0, addNorms' arithmetic for one entry. */
// @ts-ignore: decorator
@inline function entry(t: f64, na: f64, nb: usize, j: i32): f64 {
  const s = (-2 * t + na) + load<f64>(nb + (<usize>j << 3));
  return s > 0 ? s : 0.0;
}

function addNorms(m: i32, n: i32, na: usize, nb: usize, c: usize, ldc: i32): void {
  const zero = f64x2.splat(0);
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 3);
    const ai = load<f64>(na + (<usize>i << 3));
    const va = f64x2.splat(ai);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const s = f64x2.add(f64x2.add(v128.load(row + o, 0, 8), va), v128.load(nb + o, 0, 8));
      // pmax(zero, s) = zero < s ? s : zero: like `s > 0 ? s : 0`, it maps NaN and -0 to +0.
      v128.store(row + o, f64x2.pmax(zero, s), 0, 8);
    }
    if (j < n) {
      const o = <usize>j << 3;
      const s = (load<f64>(row + o) + ai) + load<f64>(nb + o);
      store<f64>(row + o, s > 0 ? s : 0.0);
    }
  }
}

/** Squared norm of each of the m rows of A (m × d) into `out`. */
export function drownorms(m: i32, d: i32, a: usize, lda: i32, out: usize): void {
  for (let i = 0; i < m; i++) {
    const row = a + ((<usize>i * <usize>lda) << 3);
    store<f64>(out + (<usize>i << 3), dot(d, row, row));
  }
}

/**
 * Σ x[i]·y[i] over contiguous vectors. Four independent f64x2 partial sums hide the add
 * latency; they are combined pairwise at the end.
 */
function dot(n: i32, x: usize, y: usize): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    const xo = x + o;
    const yo = y + o;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(xo, 0, 8), v128.load(yo, 0, 8)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(xo, 16, 8), v128.load(yo, 16, 8)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(xo, 32, 8), v128.load(yo, 32, 8)));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(xo, 48, 8), v128.load(yo, 48, 8)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o, 0, 8), v128.load(y + o, 0, 8)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (i < n) t += load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return t;
}

/** Σ x[i]·y[i] over n contiguous entries. */
export function ddot(n: i32, x: usize, y: usize): f64 {
  return dot(n, x, y);
}

/** y ← alpha · x + y over n contiguous entries. */
export function daxpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o, 0, 8), f64x2.mul(va, v128.load(x + o, 0, 8))), 0, 8);
    v128.store(y + o, f64x2.add(v128.load(y + o, 16, 8), f64x2.mul(va, v128.load(x + o, 16, 8))), 16, 8);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/**
 * For each row of C (m × n), the index of its smallest entry, first on ties, into `index`
 * (i32) and the entry into `values` (when `values` is not 0).
 *
 * Two lanes each keep a running minimum and its index with a strict `<`, so each lane holds
 * the first minimum of its own columns; the lanes are then merged preferring the smaller
 * index on equal values, which is exactly the first minimum of the row. Both lanes start
 * from entry 0, so a NaN entry is skipped as by the sequential loop `if (v < best)`, and a
 * NaN at entry 0 wins, as it does there.
 */
export function dargmin(m: i32, n: i32, c: usize, ldc: i32, index: usize, values: usize): void {
  for (let i = 0; i < m; i++) {
    const row = c + ((<usize>i * <usize>ldc) << 3);
    const first = load<f64>(row);
    let bestIndex = 0;
    let best = first;
    if (first == first && n > 1) {
      let vbest = f64x2.splat(first);
      let vidx = i64x2.splat(0);
      let cur = i64x2(0, 1);
      const two = i64x2.splat(2);
      let j = 0;
      for (; j + 2 <= n; j += 2) {
        const x = v128.load(row + (<usize>j << 3), 0, 8);
        const lt = f64x2.lt(x, vbest);
        vbest = v128.bitselect(x, vbest, lt);
        vidx = v128.bitselect(cur, vidx, lt);
        cur = i64x2.add(cur, two);
      }
      const b0 = f64x2.extract_lane(vbest, 0);
      const b1 = f64x2.extract_lane(vbest, 1);
      const i0 = <i32>i64x2.extract_lane(vidx, 0);
      const i1 = <i32>i64x2.extract_lane(vidx, 1);
      if (b1 < b0 || (b1 == b0 && i1 < i0)) { best = b1; bestIndex = i1; } else { best = b0; bestIndex = i0; }
      if (j < n) {
        const x = load<f64>(row + (<usize>j << 3));
        if (x < best) { best = x; bestIndex = j; }
      }
    }
    store<i32>(index + (<usize>i << 2), bestIndex);
    if (values != 0) store<f64>(values + (<usize>i << 3), best);
  }
}
