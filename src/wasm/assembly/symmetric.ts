// Float64 kernels of the symmetric eigenproblem: Householder reduction to tridiagonal form
// (dsytrd), the secular equation of divide and conquer (dsecular) and the
// back-transformation of eigenvectors by the stored reflectors (dreflect). Each runs a whole
// sequence of steps inside linear memory, so the large operands cross the JavaScript
// boundary once per call rather than once per step (the reduction has n of them) or twice
// per block of reflectors (through dgemm, the back-transformation copied all of C in and
// out for each of its ~2n/32 gemm calls). They mirror the TypeScript kernels
// (src/linalg/kernels/tridiagonalize.ts, secular.ts, reflectors.ts) step for step; only
// the order of some sums differs.
//
// Pointers are byte addresses, leading dimensions are in elements, and the work areas are
// 16-byte aligned; the JavaScript side sizes them with dsytrdWork, dsecularWork and
// dreflectWork.

import { gemmCore, dgemmWork } from './f64';

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// @ts-ignore: decorator
@inline function at(p: usize, j: i32): usize {
  return p + (<usize>j << 3);
}

// @ts-ignore: decorator
@inline function align16(bytes: usize): usize {
  return (bytes + 15) & ~(<usize>15);
}

/** The smallest normal double. */
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

/**
 * Householder reflector for the n contiguous values at x (LAPACK dlarfg, as householder()
 * in src/linalg/kernels/reflectors.ts): x[0] ← β, x[1..] ← v[1..], returns τ (0 when
 * x[1..] is already zero).
 */
function dlarfg(n: i32, x: usize): f64 {
  if (n <= 1) return 0;
  let scale = 0.0;
  for (let i = 1; i < n; i++) scale = max(scale, abs<f64>(load<f64>(at(x, i))));
  if (scale == 0) return 0;
  const alpha = load<f64>(x);
  scale = max(scale, abs<f64>(alpha));
  // Scaled by the largest entry so that squaring can neither overflow nor underflow.
  let ss = 0.0;
  for (let i = 1; i < n; i++) {
    const a = load<f64>(at(x, i)) / scale;
    ss += a * a;
  }
  const a0 = alpha / scale;
  const norm = scale * sqrt<f64>(a0 * a0 + ss);
  const beta = alpha >= 0 ? -norm : norm;
  const tau = (beta - alpha) / beta;
  const d = alpha - beta;
  if (abs<f64>(d) >= MIN_NORMAL) {
    const inv = 1 / d;
    for (let i = 1; i < n; i++) store<f64>(at(x, i), load<f64>(at(x, i)) * inv);
  } else {
    // A subnormal α − β (a column of subnormal entries): 1/(α − β) would overflow.
    for (let i = 1; i < n; i++) store<f64>(at(x, i), load<f64>(at(x, i)) / d);
  }
  store<f64>(x, beta);
  return tau;
}

/** Bytes of work dsytrd needs: the vectors w and p, n entries each. */
export function dsytrdWork(n: i32): usize {
  return align16(<usize>max(n, 1) << 3) * 2;
}

/**
 * Reduces the symmetric A (n × n; the upper triangle is read) to tridiagonal form, with
 * the algorithm and storage of tridiagonalize() in src/linalg/kernels/tridiagonalize.ts:
 * d (n) and e (n − 1) receive T, row k of A reflector k (unit entry at column k + 1) and
 * tau (n − 1) its scalar. Each step's rank-2 update of the trailing upper triangle is
 * fused with the next step's symmetric matrix-vector product, two rows at a time, so the
 * trailing matrix is streamed once per step.
 */
export function dsytrd(n: i32, a: usize, lda: i32, d: usize, e: usize, tau: usize, work: usize): void {
  const ldab = <usize>lda << 3;
  const w = work;
  const p = work + align16(<usize>max(n, 1) << 3);
  let prev: i32 = -1;
  for (let k = 0; k < n; k++) {
    const u = a + <usize>k * ldab;
    const v = prev >= 0 ? a + <usize>prev * ldab : 0;
    if (prev >= 0) updateRow(k, n, u, v, w);
    store<f64>(at(d, k), load<f64>(at(u, k)));
    if (k == n - 1) break;
    const t = k < n - 2 ? dlarfg(n - k - 1, at(u, k + 1)) : 0.0;
    store<f64>(at(tau, k), t);
    store<f64>(at(e, k), load<f64>(at(u, k + 1)));
    // Row k now reads as the full reflector vector u (u[k + 1] = 1).
    store<f64>(at(u, k + 1), 1.0);
    if (t != 0) memory.fill(at(p, k + 1), 0, <usize>(n - k - 1) << 3);
    if (prev >= 0 && t != 0) {
      let i = k + 1;
      for (; i + 1 < n; i += 2) updateTwoRowsAndMultiply(i, n, a + <usize>i * ldab, ldab, v, w, u, p);
      if (i < n) updateRowAndMultiply(i, n, a + <usize>i * ldab, v, w, u, p);
    } else if (prev >= 0) {
      for (let i = k + 1; i < n; i++) updateRow(i, n, a + <usize>i * ldab, v, w);
    } else if (t != 0) {
      for (let i = k + 1; i < n; i++) multiplyRow(i, n, a + <usize>i * ldab, u, p);
    }
    if (t == 0) {
      prev = -1;
      continue;
    }
    // p = τ·B·u; w = p − (τ/2)(pᵀu)·u, so that H·B·H = B − u·wᵀ − w·uᵀ.
    let pu = 0.0;
    for (let j = k + 1; j < n; j++) {
      const pj = t * load<f64>(at(p, j));
      store<f64>(at(p, j), pj);
      pu += pj * load<f64>(at(u, j));
    }
    const alpha = -0.5 * t * pu;
    for (let j = k + 1; j < n; j++) store<f64>(at(w, j), load<f64>(at(p, j)) + alpha * load<f64>(at(u, j)));
    prev = k;
  }
}

// Row i (at `row`), columns i … n−1, of the pending update B −= v·wᵀ + w·vᵀ.
function updateRow(i: i32, n: i32, row: usize, v: usize, w: usize): void {
  const vi = load<f64>(at(v, i)), wi = load<f64>(at(w, i));
  const svi = f64x2.splat(vi), swi = f64x2.splat(wi);
  let j = i;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const x = f64x2.sub(f64x2.sub(v128.load(row + o, 0, 8), f64x2.mul(svi, v128.load(w + o, 0, 8))), f64x2.mul(swi, v128.load(v + o, 0, 8)));
    v128.store(row + o, x, 0, 8);
  }
  if (j < n) store<f64>(at(row, j), load<f64>(at(row, j)) - vi * load<f64>(at(w, j)) - wi * load<f64>(at(v, j)));
}

// Row i of the symmetric product p += B·u from B's upper triangle: entry (i, j) reaches
// p[i] through u[j] and p[j] through u[i].
function multiplyRow(i: i32, n: i32, row: usize, u: usize, p: usize): void {
  const ui = load<f64>(at(u, i));
  const sui = f64x2.splat(ui);
  let acc = load<f64>(at(row, i)) * ui;
  let s = f64x2.splat(0);
  let j = i + 1;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const x = v128.load(row + o, 0, 8);
    s = f64x2.add(s, f64x2.mul(x, v128.load(u + o, 0, 8)));
    v128.store(p + o, f64x2.add(v128.load(p + o, 0, 8), f64x2.mul(x, sui)), 0, 8);
  }
  if (j < n) {
    const x = load<f64>(at(row, j));
    acc += x * load<f64>(at(u, j));
    store<f64>(at(p, j), load<f64>(at(p, j)) + x * ui);
  }
  store<f64>(at(p, i), load<f64>(at(p, i)) + acc + hsum(s));
}

// updateRow and multiplyRow in one pass over the row.
function updateRowAndMultiply(i: i32, n: i32, row: usize, v: usize, w: usize, u: usize, p: usize): void {
  const vi = load<f64>(at(v, i)), wi = load<f64>(at(w, i)), ui = load<f64>(at(u, i));
  const svi = f64x2.splat(vi), swi = f64x2.splat(wi), sui = f64x2.splat(ui);
  let x = load<f64>(at(row, i)) - 2 * vi * wi;
  store<f64>(at(row, i), x);
  let acc = x * ui;
  let s = f64x2.splat(0);
  let j = i + 1;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const y = f64x2.sub(f64x2.sub(v128.load(row + o, 0, 8), f64x2.mul(svi, v128.load(w + o, 0, 8))), f64x2.mul(swi, v128.load(v + o, 0, 8)));
    v128.store(row + o, y, 0, 8);
    s = f64x2.add(s, f64x2.mul(y, v128.load(u + o, 0, 8)));
    v128.store(p + o, f64x2.add(v128.load(p + o, 0, 8), f64x2.mul(y, sui)), 0, 8);
  }
  if (j < n) {
    x = load<f64>(at(row, j)) - vi * load<f64>(at(w, j)) - wi * load<f64>(at(v, j));
    store<f64>(at(row, j), x);
    acc += x * load<f64>(at(u, j));
    store<f64>(at(p, j), load<f64>(at(p, j)) + x * ui);
  }
  store<f64>(at(p, i), load<f64>(at(p, i)) + acc + hsum(s));
}

// updateRowAndMultiply on rows i and i + 1 (at r0, r0 + ldab) together: the vectors v, w,
// u and p are loaded once for both rows, which is what bounds this loop.
function updateTwoRowsAndMultiply(i: i32, n: i32, r0: usize, ldab: usize, v: usize, w: usize, u: usize, p: usize): void {
  const r1 = r0 + ldab;
  const oi = <usize>i << 3;
  const v0 = load<f64>(v + oi), w0 = load<f64>(w + oi), u0 = load<f64>(u + oi);
  const v1 = load<f64>(v + oi, 8), w1 = load<f64>(w + oi, 8), u1 = load<f64>(u + oi, 8);
  // The 2 × 2 block on the diagonal: (i, i), (i, i + 1) and (i + 1, i + 1).
  let x = load<f64>(r0 + oi) - 2 * v0 * w0;
  store<f64>(r0 + oi, x);
  let acc0 = x * u0;
  x = load<f64>(r0 + oi, 8) - v0 * w1 - w0 * v1;
  store<f64>(r0 + oi, x, 8);
  acc0 += x * u1;
  let acc1 = x * u0;
  x = load<f64>(r1 + oi, 8) - 2 * v1 * w1;
  store<f64>(r1 + oi, x, 8);
  acc1 += x * u1;
  const sv0 = f64x2.splat(v0), sw0 = f64x2.splat(w0), su0 = f64x2.splat(u0);
  const sv1 = f64x2.splat(v1), sw1 = f64x2.splat(w1), su1 = f64x2.splat(u1);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let j = i + 2;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const wj = v128.load(w + o, 0, 8), vj = v128.load(v + o, 0, 8), uj = v128.load(u + o, 0, 8);
    const a0 = f64x2.sub(f64x2.sub(v128.load(r0 + o, 0, 8), f64x2.mul(sv0, wj)), f64x2.mul(sw0, vj));
    const a1 = f64x2.sub(f64x2.sub(v128.load(r1 + o, 0, 8), f64x2.mul(sv1, wj)), f64x2.mul(sw1, vj));
    v128.store(r0 + o, a0, 0, 8);
    v128.store(r1 + o, a1, 0, 8);
    s0 = f64x2.add(s0, f64x2.mul(a0, uj));
    s1 = f64x2.add(s1, f64x2.mul(a1, uj));
    v128.store(p + o, f64x2.add(v128.load(p + o, 0, 8), f64x2.add(f64x2.mul(a0, su0), f64x2.mul(a1, su1))), 0, 8);
  }
  if (j < n) {
    const o = <usize>j << 3;
    const wj = load<f64>(w + o), vj = load<f64>(v + o), uj = load<f64>(u + o);
    const a0 = load<f64>(r0 + o) - v0 * wj - w0 * vj;
    const a1 = load<f64>(r1 + o) - v1 * wj - w1 * vj;
    store<f64>(r0 + o, a0);
    store<f64>(r1 + o, a1);
    acc0 += a0 * uj;
    acc1 += a1 * uj;
    store<f64>(p + o, load<f64>(p + o) + a0 * u0 + a1 * u1);
  }
  store<f64>(p + oi, load<f64>(p + oi) + acc0 + hsum(s0));
  store<f64>(p + oi, load<f64>(p + oi, 8) + acc1 + hsum(s1), 8);
}

/** Reflectors applied together by dreflect (32, 48 and 64 measured within noise at n = 673). */
const NB: i32 = 32;

/**
 * Bytes of work dreflect needs for C (m × total) and k reflectors starting at `shift`:
 * the gathered block V (NB × len), its Gram matrix and T (NB × NB each), Y = op(T)·Vᵀ
 * (NB × len), W = C·V (m × NB), and dgemm's packing space for the largest call.
 */
export function dreflectWork(m: i32, total: i32, k: i32, shift: i32): usize {
  const len = max(total - shift, 1);
  let g: usize = 0;
  for (let j0 = 0; j0 < k; j0 += NB) {
    const nb = min(NB, k - j0);
    const l = total - j0 - shift;
    g = max(g, max(dgemmWork(m, nb, l), max(dgemmWork(m, l, nb), dgemmWork(nb, l, nb))));
    g = max(g, dgemmWork(nb, nb, l));
  }
  const block = align16(<usize>(NB * len) << 3);
  const small = align16(<usize>(NB * NB) << 3);
  return 2 * block + 2 * small + align16(<usize>(max(m, 1) * NB) << 3) + g;
}

/**
 * C (m × total) ← C·Q (`trans` 0) or C·Qᵀ (`trans` 1), Q = H₀H₁⋯H_{k−1}, where reflector j
 * has its unit entry at column j + shift of row j of V and its other entries after it
 * (tridiagonalisation's storage), with scalar tau[j]. Blocks of NB reflectors are applied
 * as compact WY products, C ← C − (C·V)·op(T)·Vᵀ, by dgemm on operands that stay in
 * linear memory; T is formed from the Gram matrix VᵀV (a dgemm too) rather than by
 * scalar dot products.
 */
export function dreflect(
  trans: i32, m: i32, total: i32, k: i32, shift: i32,
  v: usize, ldv: i32, tau: usize, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || k <= 0) return;
  const len0 = max(total - shift, 1);
  const vt = work;
  const y = vt + align16(<usize>(NB * len0) << 3);
  const gram = y + align16(<usize>(NB * len0) << 3);
  const t = gram + align16(<usize>(NB * NB) << 3);
  const wk = t + align16(<usize>(NB * NB) << 3);
  const gw = wk + align16(<usize>(max(m, 1) * NB) << 3);
  const ldvb = <usize>ldv << 3;
  const nBlocks = (k + NB - 1) / NB;
  // C·Qᵀ = C·H_{k−1}⋯H₀ needs the last block first; C·Q the first.
  for (let s = 0; s < nBlocks; s++) {
    const b = trans != 0 ? nBlocks - 1 - s : s;
    const j0 = b * NB;
    const nb = min(NB, k - j0);
    const base = j0 + shift;
    const len = total - base;
    if (len <= 0) continue;
    // Vᵀ (nb × len): row r is reflector j0 + r with explicit zeros before its unit entry.
    for (let r = 0; r < nb; r++) {
      const dst = vt + (<usize>(r * len) << 3);
      memory.fill(dst, 0, <usize>r << 3);
      store<f64>(at(dst, r), 1.0);
      const src = v + <usize>(j0 + r) * ldvb + (<usize>base << 3);
      if (len > r + 1) memory.copy(at(dst, r + 1), at(src, r + 1), <usize>(len - r - 1) << 3);
    }
    gemmCore(false, true, nb, nb, len, 1.0, vt, len, vt, len, 0.0, gram, nb, gw, false);
    formT(nb, gram, tau + (<usize>j0 << 3), t);
    // Y = op(T)·Vᵀ, so that C·op(H) = C − (C·V)·Y.
    gemmCore(trans != 0, false, nb, len, nb, 1.0, t, nb, vt, len, 0.0, y, len, gw, false);
    const cb = c + (<usize>base << 3);
    gemmCore(false, true, m, nb, len, 1.0, cb, ldc, vt, len, 0.0, wk, nb, gw, false);
    gemmCore(false, false, m, len, nb, -1.0, wk, nb, y, len, 1.0, cb, ldc, gw, false);
  }
}

/**
 * T (nb × nb, upper triangular) with H₀⋯H_{nb−1} = I − V·T·Vᵀ from the Gram matrix
 * G = VᵀV (LAPACK dlarft, forward, columnwise): T[0:i, i] = −τᵢ · T[0:i, 0:i] · G[0:i, i].
 */
function formT(nb: i32, gram: usize, tau: usize, t: usize): void {
  memory.fill(t, 0, <usize>(nb * nb) << 3);
  for (let i = 0; i < nb; i++) {
    const ti = load<f64>(at(tau, i));
    store<f64>(at(t, i * nb + i), ti);
    if (ti == 0) continue;
    // In place from the top row down: row p only reads entries q ≥ p of column i.
    for (let p = 0; p < i; p++) {
      let s = 0.0;
      for (let q = p; q < i; q++) s += load<f64>(at(t, p * nb + q)) * load<f64>(at(gram, q * nb + i));
      store<f64>(at(t, p * nb + i), -ti * s);
    }
  }
}

/** Bytes of work dsecular needs: the recomputed z, k entries. */
export function dsecularWork(k: i32): usize {
  return align16(<usize>max(k, 1) << 3);
}

/**
 * Eigen-decomposition of D + ρ·z·zᵀ for strictly increasing d (k), ρ > 0 and z without
 * zero entries, as secularEigen() in src/linalg/kernels/secular.ts: eigenvalues ascending
 * into `lambda`, unit eigenvectors into the rows of U (k × k). The O(k) loops of every
 * root iteration and the O(k²) passes of the eigenvectors, bound by divisions, run two
 * lanes at a time.
 */
export function dsecular(k: i32, d: usize, z: usize, rho: f64, lambda: usize, u: usize, work: usize): void {
  let zz = 0.0;
  for (let i = 0; i < k; i++) {
    const zi = load<f64>(at(z, i));
    zz += zi * zi;
  }
  const rowBytes = <usize>k << 3;
  // Row j of U first holds dᵢ − λⱼ.
  for (let j = 0; j < k; j++) store<f64>(at(lambda, j), secularRoot(k, d, z, rho, zz, j, u + <usize>j * rowBytes));
  // ẑᵢ² = (dᵢ − λᵢ) · Πⱼ≠ᵢ (dᵢ − λⱼ)/(dᵢ − dⱼ): Gu & Eisenstat's z, exactly consistent with the roots.
  const zhat = work;
  for (let i = 0; i < k; i++) store<f64>(at(zhat, i), load<f64>(u + <usize>i * rowBytes + (<usize>i << 3)));
  for (let j = 0; j < k; j++) {
    const row = u + <usize>j * rowBytes;
    const dj = load<f64>(at(d, j));
    const sdj = f64x2.splat(dj);
    // All i at once; entry j (a division by zero) is restored afterwards.
    const keep = load<f64>(at(zhat, j));
    let i = 0;
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      const q = f64x2.div(v128.load(row + o, 0, 8), f64x2.sub(v128.load(d + o, 0, 8), sdj));
      v128.store(zhat + o, f64x2.mul(v128.load(zhat + o, 0, 8), q), 0, 8);
    }
    if (i < k) store<f64>(at(zhat, i), load<f64>(at(zhat, i)) * (load<f64>(at(row, i)) / (load<f64>(at(d, i)) - dj)));
    store<f64>(at(zhat, j), keep);
  }
  for (let i = 0; i < k; i++) {
    const s = sqrt<f64>(max(0.0, -load<f64>(at(zhat, i))));
    store<f64>(at(zhat, i), load<f64>(at(z, i)) < 0 ? -s : s);
  }
  // Eigenvector j ∝ ẑᵢ / (dᵢ − λⱼ), normalised.
  for (let j = 0; j < k; j++) {
    const row = u + <usize>j * rowBytes;
    let ss = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      const x = f64x2.div(v128.load(zhat + o, 0, 8), v128.load(row + o, 0, 8));
      v128.store(row + o, x, 0, 8);
      ss = f64x2.add(ss, f64x2.mul(x, x));
    }
    let sum = hsum(ss);
    if (i < k) {
      const x = load<f64>(at(zhat, i)) / load<f64>(at(row, i));
      store<f64>(at(row, i), x);
      sum += x * x;
    }
    const inv = 1 / sqrt<f64>(sum);
    const sinv = f64x2.splat(inv);
    i = 0;
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      v128.store(row + o, f64x2.mul(v128.load(row + o, 0, 8), sinv), 0, 8);
    }
    if (i < k) store<f64>(at(row, i), load<f64>(at(row, i)) * inv);
  }
}

// Root j of 1/ρ + Σ zᵢ²/(dᵢ − λ) = 0 in (d_j, d_{j+1}) (or (d_{k−1}, d_{k−1} + ρ‖z‖²) for the
// last), as secularRoot() in secular.ts: λ = d_o + τ for the nearer pole o. Writes dᵢ − λ
// into out and returns λ.
function secularRoot(k: i32, d: usize, z: usize, rho: f64, zz: f64, j: i32, out: usize): f64 {
  const last = j == k - 1;
  let origin = j;
  let lo = 0.0, hi = 0.0;
  if (last) {
    hi = rho * zz;
  } else {
    const dj = load<f64>(at(d, j));
    const mid = (load<f64>(at(d, j + 1)) - dj) / 2;
    // g at the midpoint decides which pole the root is nearer to.
    const sdj = f64x2.splat(dj), smid = f64x2.splat(mid);
    let acc = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= k; i += 2) {
      const o = <usize>i << 3;
      const zi = v128.load(z + o, 0, 8);
      acc = f64x2.add(acc, f64x2.div(f64x2.mul(zi, zi), f64x2.sub(f64x2.sub(v128.load(d + o, 0, 8), sdj), smid)));
    }
    let g = 1 / rho + hsum(acc);
    if (i < k) {
      const zi = load<f64>(at(z, i));
      g += (zi * zi) / (load<f64>(at(d, i)) - dj - mid);
    }
    if (g >= 0) {
      hi = mid;
    } else {
      origin = j + 1;
      lo = -mid;
    }
  }
  const d0 = load<f64>(at(d, origin));
  shiftBy(k, d, d0, out);
  const tau = solveShifted(k, out, z, rho, j, last, lo, hi);
  shiftBy(k, out, tau, out);
  return d0 + tau;
}

// out[i] ← x[i] − s over k entries (out may be x).
function shiftBy(k: i32, x: usize, s: f64, out: usize): void {
  const ss = f64x2.splat(s);
  let i = 0;
  for (; i + 2 <= k; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, f64x2.sub(v128.load(x + o, 0, 8), ss), 0, 8);
  }
  if (i < k) store<f64>(at(out, i), load<f64>(at(x, i)) - s);
}

// Σ zᵢ·tᵢ and Σ tᵢ² over i in [from, to), tᵢ = zᵢ/(δᵢ − τ): left in these two globals
// (a function returns one value).
let sumZT: f64 = 0;
let sumTT: f64 = 0;

function partialSums(from: i32, to: i32, delta: usize, z: usize, tau: f64): void {
  const st = f64x2.splat(tau);
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const o = <usize>i << 3;
    const zi = v128.load(z + o, 0, 8);
    const t = f64x2.div(zi, f64x2.sub(v128.load(delta + o, 0, 8), st));
    a = f64x2.add(a, f64x2.mul(zi, t));
    b = f64x2.add(b, f64x2.mul(t, t));
  }
  let sa = hsum(a), sb = hsum(b);
  if (i < to) {
    const zi = load<f64>(at(z, i));
    const t = zi / (load<f64>(at(delta, i)) - tau);
    sa += zi * t;
    sb += t * t;
  }
  sumZT = sa;
  sumTT = sb;
}

// τ with 1/ρ + Σ zᵢ²/(δᵢ − τ) = 0 in (lo, hi), as solveShifted() in secular.ts: Li's
// "middle way" rational model, safeguarded by bisection.
function solveShifted(k: i32, delta: usize, z: usize, rho: f64, j: i32, last: bool, lo: f64, hi: f64): f64 {
  const rhoInv = 1 / rho;
  let tau = (lo + hi) / 2;
  for (let iter = 0; iter < 200; iter++) {
    partialSums(0, j + 1, delta, z, tau);
    const psi = sumZT, dpsi = sumTT;
    partialSums(j + 1, k, delta, z, tau);
    const phi = sumZT, dphi = sumTT;
    const g = rhoInv + psi + phi;
    // dlaed4's bound on the rounding error in evaluating g.
    const err = f64.EPSILON * (8 * (phi - psi) + 2 * rhoInv + 3 * abs<f64>(g) + abs<f64>(tau) * (dpsi + dphi));
    if (abs<f64>(g) <= err) break;
    if (g < 0) lo = tau;
    else hi = tau;
    const da = load<f64>(at(delta, j)) - tau;
    let next: f64;
    if (last) {
      const q = da * da * dpsi;
      const c = g - q / da;
      next = c > 0 ? tau + da + q / c : NaN;
    } else {
      const db = load<f64>(at(delta, j + 1)) - tau;
      const q = da * da * dpsi, qq = db * db * dphi;
      const c = g - q / da - qq / db;
      const b = c * (da + db) + q + qq;
      const a = da * db * g;
      // The root of c·η² − b·η + a = 0 between the poles, in its cancellation-free form.
      const disc = sqrt<f64>(abs<f64>(b * b - 4 * a * c));
      next = tau + (b > 0 ? (2 * a) / (b + disc) : c != 0 ? (b - disc) / (2 * c) : a / b);
    }
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (next == tau) break;
    tau = next;
  }
  return tau;
}
